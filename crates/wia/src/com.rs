//! The COM side of WIA 2.0: the device manager, devices, items and transfers.
//!
//! # One thread owns COM
//!
//! COM interface pointers belong to the apartment of the thread that made them, and the
//! `windows` crate's interfaces are not `Send`. So every WIA object lives on one dedicated
//! thread, the *worker*: it enters COM's multithreaded apartment when it starts, creates the
//! device manager (`IWiaDevMgr2`) on first use, keeps every open device in a table, runs the jobs
//! that [`WiaBackend`] and the scanners it opened send it one at a time, and releases everything
//! and leaves COM when the last backend and scanner are gone. A scanner only holds the number of
//! its row in that table, so it is `Send` without any `unsafe`.
//!
//! The multithreaded apartment is chosen because the worker runs no message loop: during a
//! download WIA calls the transfer callback on COM's own threads, not on the worker, so the
//! callback keeps its state behind a mutex. It hands each page's bytes over a channel as soon as
//! the page's stream ends; the thread that called [`Scanner::scan`] turns them into a page and
//! runs `on_page` while the device goes on scanning. When `on_page` fails, the callback answers
//! WIA's next call with `S_FALSE`, which cancels the transfer.
#![allow(unsafe_code)]
#![warn(clippy::undocumented_unsafe_blocks)]

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak, mpsc};
use std::thread::JoinHandle;

use hoso_capture::{
    Backend, CaptureError, Result, ScanSettings, ScannedPage, Scanner, ScannerInfo,
};
use windows::Win32::Devices::ImageAcquisition::{
    IWiaDevMgr2, IWiaItem2, IWiaPropertyStorage, IWiaTransfer, IWiaTransferCallback,
    IWiaTransferCallback_Impl, WIA_FORMAT_INFO, WiaDevMgr2, WiaTransferParams,
};
use windows::Win32::Foundation::HGLOBAL;
use windows::Win32::System::Com::StructuredStorage::{
    CreateStreamOnHGlobal, FreePropVariantArray, PROPSPEC, PROPSPEC_0, PROPVARIANT, PRSPEC_PROPID,
};
use windows::Win32::System::Com::{
    CLSCTX_LOCAL_SERVER, COINIT_MULTITHREADED, CoCreateInstance, CoInitializeEx, CoUninitialize,
    IStream, STREAM_SEEK_END, STREAM_SEEK_SET,
};
use windows::Win32::System::Variant::{VARENUM, VT_BSTR, VT_CLSID, VT_I2, VT_I4, VT_INT};
use windows::Win32::System::Variant::{VT_LPWSTR, VT_UI2, VT_UI4, VT_UINT, VT_VECTOR};
use windows::core::{BSTR, ComObject, GUID, HRESULT, Interface, implement};

use crate::consts::*;
use crate::{
    Delivery, ItemCaps, MAX_PAGE_BYTES, PropValue, Source, ValidValues, device_info,
    error_from_hresult, is_scanner, page_from_transfer, plan_scan, refusal, wia_device_id,
};

/// The most entries read from one COM enumerator: a driver that never says "no more" cannot
/// hang the desk.
const MAX_ENUMERATED: usize = 256;

/// How much is read from a page's stream at a time.
const READ_CHUNK: u32 = 1 << 20;

/// The running worker, if any, shared by every backend and scanner of the process.
static WORKER: Mutex<Weak<Worker>> = Mutex::new(Weak::new());

/// WIA 2.0 scanners: lists and opens the devices Windows Image Acquisition knows.
pub struct WiaBackend {
    worker: Arc<Worker>,
}

impl WiaBackend {
    /// Starts the worker thread that owns COM, or joins the one already running. If COM or the
    /// WIA service cannot start, every call says so.
    pub fn new() -> Result<WiaBackend> {
        Ok(WiaBackend {
            worker: Worker::shared()?,
        })
    }
}

impl Backend for WiaBackend {
    /// The scanners attached to this computer (cameras are left out). A device that cannot be
    /// opened now (another program holds it) is listed without its feeds and resolutions.
    fn devices(&self) -> Result<Vec<ScannerInfo>> {
        self.worker.call(Session::devices)
    }

    fn open(&self, id: &str) -> Result<Box<dyn Scanner>> {
        let wia_id = wia_device_id(id)?.to_owned();
        let slot = self.worker.call(move |session| session.open(wia_id))?;
        Ok(Box::new(WiaScanner {
            worker: Arc::clone(&self.worker),
            slot,
        }))
    }
}

/// One open WIA device. It is released when dropped.
struct WiaScanner {
    worker: Arc<Worker>,
    /// Its row in the worker's table of open devices.
    slot: u64,
}

/// What the worker tells the scanning thread during a scan.
enum Event {
    /// One page's bytes as the transfer wrote them, and the resolution asked.
    Page(Vec<u8>, u32),
    /// The transfer is over: how many pages were sent, or why it failed.
    Done(Result<u32>),
}

impl Scanner for WiaScanner {
    fn scan(
        &mut self,
        settings: &ScanSettings,
        on_page: &mut dyn FnMut(ScannedPage) -> Result<()>,
    ) -> Result<u32> {
        let (events, inbox) = mpsc::channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let slot = self.slot;
        let settings = *settings;
        let stop = Arc::clone(&cancel);
        self.worker.post(move |session| {
            let done = session.scan(slot, &settings, events.clone(), stop);
            // The caller waits for this; it never goes before.
            let _ = events.send(Event::Done(done));
        });
        let mut delivered = 0;
        let mut failure = None;
        // Ends when the job has sent `Done`, or early if it died (its sender then drops).
        for event in inbox {
            match event {
                Event::Page(bytes, dpi) => {
                    if failure.is_some() {
                        continue;
                    }
                    match page_from_transfer(bytes, dpi).and_then(&mut *on_page) {
                        Ok(()) => delivered += 1,
                        Err(error) => {
                            cancel.store(true, Ordering::SeqCst);
                            failure = Some(error);
                        }
                    }
                }
                Event::Done(result) => {
                    return match failure {
                        Some(error) => Err(error),
                        None => result.map(|_| delivered),
                    };
                }
            }
        }
        Err(failure.unwrap_or_else(worker_gone))
    }
}

impl Drop for WiaScanner {
    fn drop(&mut self) {
        let slot = self.slot;
        self.worker.post(move |session| session.close(slot));
    }
}

// ---------------------------------------------------------------------------------------------
// The worker thread.

/// Work for the worker thread.
type Job = Box<dyn FnOnce(&mut Session) + Send>;

/// The link to the worker thread. Dropping the last one ends the thread once it has run what is
/// queued (releasing scanners). No job holds one, so the thread never waits for itself.
struct Worker {
    jobs: Option<mpsc::Sender<Job>>,
    thread: Option<JoinHandle<()>>,
}

impl Worker {
    /// The running worker, or a new one if none runs.
    fn shared() -> Result<Arc<Worker>> {
        let mut current = WORKER.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(worker) = current.upgrade() {
            return Ok(worker);
        }
        let (jobs, inbox) = mpsc::channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("wia".into())
            .spawn(move || serve(inbox))?;
        let worker = Arc::new(Worker {
            jobs: Some(jobs),
            thread: Some(thread),
        });
        *current = Arc::downgrade(&worker);
        Ok(worker)
    }

    /// Runs `work` on the worker thread and waits for its answer.
    fn call<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Session) -> Result<T> + Send + 'static,
    {
        let (reply, answer) = mpsc::sync_channel(1);
        self.post(move |session| {
            // The caller waits for the answer; it never goes before.
            let _ = reply.send(work(session));
        });
        answer.recv().unwrap_or_else(|_| Err(worker_gone()))
    }

    /// Runs `work` on the worker thread without waiting.
    fn post(&self, work: impl FnOnce(&mut Session) + Send + 'static) {
        if let Some(jobs) = &self.jobs {
            // Sending fails only if the thread died; the caller then sees its reply dropped.
            let _ = jobs.send(Box::new(work));
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        drop(self.jobs.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn worker_gone() -> CaptureError {
    CaptureError::DeviceUnavailable("the WIA worker did not answer".into())
}

/// The worker thread: in COM's multithreaded apartment from its start to its end.
fn serve(inbox: mpsc::Receiver<Job>) {
    // SAFETY: the first COM call of this new thread, balanced by `CoUninitialize` below once
    // every COM object of the session has been released.
    let entered = unsafe { CoInitializeEx(None, COINIT_MULTITHREADED) };
    let mut session = Session::new(entered);
    for job in inbox {
        // A panicking job must not take the worker (and every other scanner) with it; its
        // caller sees its reply channel closed.
        let _ = std::panic::catch_unwind(AssertUnwindSafe(|| job(&mut session)));
    }
    drop(session);
    if entered.is_ok() {
        // SAFETY: balances the successful `CoInitializeEx` above, on the same thread, after the
        // session (and with it every interface pointer) is gone.
        unsafe { CoUninitialize() };
    }
}

// ---------------------------------------------------------------------------------------------
// What runs on the worker thread.

/// WIA as the worker thread holds it.
struct Session {
    /// Open devices by slot. Declared before `manager` so they are released first.
    slots: HashMap<u64, Device>,
    next_slot: u64,
    /// Created on first use, and again after the WIA service went away.
    manager: Option<IWiaDevMgr2>,
    /// What `CoInitializeEx` answered.
    com: HRESULT,
}

/// One open device.
struct Device {
    wia_id: String,
    /// `None` after the device stopped answering; created again on its next use.
    open: Option<OpenDevice>,
}

/// A device's root item and its source items, with what each offers.
struct OpenDevice {
    /// Kept so the device stays open while its items are used.
    _root: IWiaItem2,
    items: Vec<IWiaItem2>,
    caps: Vec<ItemCaps>,
}

/// A device as `EnumDeviceInfo` lists it.
struct Listed {
    wia_id: String,
    vendor: String,
    name: String,
    dev_type: Option<i32>,
}

impl Session {
    fn new(com: HRESULT) -> Session {
        Session {
            slots: HashMap::new(),
            next_slot: 0,
            manager: None,
            com,
        }
    }

    /// The device manager, created if need be.
    fn manager(&mut self) -> Result<IWiaDevMgr2> {
        if self.com.is_err() {
            return Err(CaptureError::DeviceUnavailable(format!(
                "COM did not start ({})",
                crate::hex(self.com.0)
            )));
        }
        if let Some(manager) = &self.manager {
            return Ok(manager.clone());
        }
        // SAFETY: COM is entered on this thread; `WiaDevMgr2` is the class of `IWiaDevMgr2`,
        // served by the WIA service out of process.
        let manager: IWiaDevMgr2 =
            unsafe { CoCreateInstance(&WiaDevMgr2, None, CLSCTX_LOCAL_SERVER) }
                .map_err(|e| com_error(&e))?;
        self.manager = Some(manager.clone());
        Ok(manager)
    }

    /// Forgets the device manager when the service behind it is gone, so the next call starts
    /// it again.
    fn forget_manager_on(&mut self, error: &windows::core::Error) {
        if matches!(
            error.code().0,
            RPC_S_SERVER_UNAVAILABLE | RPC_E_DISCONNECTED | CO_E_SERVER_EXEC_FAILURE
        ) {
            self.manager = None;
        }
    }

    fn devices(&mut self) -> Result<Vec<ScannerInfo>> {
        let had_manager = self.manager.is_some();
        let listed = match self.list() {
            Ok(listed) => listed,
            // Once more with a new manager when the old one was dropped because the service
            // behind it had gone (it restarted since the last call).
            Err(_) if had_manager && self.manager.is_none() => self.list()?,
            Err(error) => return Err(error),
        };
        let mut found = Vec::new();
        for device in listed.into_iter().filter(|d| is_scanner(d.dev_type)) {
            let caps = self.caps_of(&device.wia_id).unwrap_or_default();
            found.push(device_info(
                &device.wia_id,
                &device.vendor,
                &device.name,
                &caps,
            ));
        }
        Ok(found)
    }

    fn list(&mut self) -> Result<Vec<Listed>> {
        let manager = self.manager()?;
        // SAFETY: a live device manager of this apartment.
        let listing = match unsafe { manager.EnumDeviceInfo(WIA_DEVINFO_ENUM_LOCAL) } {
            Ok(listing) => listing,
            Err(error) => {
                self.forget_manager_on(&error);
                return Err(com_error(&error));
            }
        };
        let mut found = Vec::new();
        for _ in 0..MAX_ENUMERATED {
            let mut next: [Option<IWiaPropertyStorage>; 1] = [None];
            let mut fetched = 0u32;
            // SAFETY: room for the one element asked and for the count, both live for the call;
            // the element, if any, is an owned reference released when `next` drops.
            unsafe { listing.Next(1, next.as_mut_ptr(), &mut fetched) }
                .map_err(|e| com_error(&e))?;
            let [Some(storage)] = next else { break };
            if fetched == 0 {
                break;
            }
            let values = read_properties(
                &storage,
                &[
                    WIA_DIP_DEV_ID,
                    WIA_DIP_VEND_DESC,
                    WIA_DIP_DEV_NAME,
                    WIA_DIP_DEV_TYPE,
                ],
            )?;
            let Some(wia_id) = values.string(0).filter(|id| !id.is_empty()) else {
                continue;
            };
            found.push(Listed {
                wia_id,
                vendor: values.string(1).unwrap_or_default(),
                name: values.string(2).unwrap_or_default(),
                dev_type: values.long(3),
            });
        }
        Ok(found)
    }

    /// What a device's items offer: from its open slot, or by opening it for the moment.
    fn caps_of(&mut self, wia_id: &str) -> Result<Vec<ItemCaps>> {
        let open = self
            .slots
            .values()
            .filter(|device| device.wia_id == wia_id)
            .find_map(|device| device.open.as_ref());
        match open {
            Some(open) => Ok(open.caps.clone()),
            None => Ok(self.create_device(wia_id)?.caps),
        }
    }

    fn open(&mut self, wia_id: String) -> Result<u64> {
        let open = self.create_device(&wia_id)?;
        let slot = self.next_slot;
        self.next_slot += 1;
        self.slots.insert(
            slot,
            Device {
                wia_id,
                open: Some(open),
            },
        );
        Ok(slot)
    }

    fn close(&mut self, slot: u64) {
        self.slots.remove(&slot);
    }

    /// Opens a device and reads what its source items offer.
    fn create_device(&mut self, wia_id: &str) -> Result<OpenDevice> {
        let manager = self.manager()?;
        let id = BSTR::from(wia_id);
        // SAFETY: a live device manager of this apartment and a BSTR that outlives the call.
        let root = match unsafe { manager.CreateDevice(0, &id) } {
            Ok(root) => root,
            Err(error) => {
                self.forget_manager_on(&error);
                return Err(com_error(&error));
            }
        };
        // WIA 1.0 drivers, seen through WIA 2.0, keep the feeder's capabilities on the root.
        let root_handling = root
            .cast::<IWiaPropertyStorage>()
            .ok()
            .and_then(|storage| read_long(&storage, WIA_IPS_DOCUMENT_HANDLING_CAPABILITIES))
            .unwrap_or(0) as u32;
        let mut items = Vec::new();
        let mut caps = Vec::new();
        for item in child_items(&root)? {
            let mut item_caps = item_caps(&item)?;
            let Some(source) = item_caps.source() else {
                continue;
            };
            if source == Source::Feeder && item_caps.handling_capabilities == 0 {
                item_caps.handling_capabilities = root_handling;
            }
            items.push(item);
            caps.push(item_caps);
        }
        Ok(OpenDevice {
            _root: root,
            items,
            caps,
        })
    }

    /// The slot's device, opened again if it had stopped answering.
    fn open_device(&mut self, slot: u64) -> Result<&OpenDevice> {
        let closed = || CaptureError::DeviceUnavailable("the scanner was closed".into());
        let device = self.slots.get(&slot).ok_or_else(closed)?;
        if device.open.is_none() {
            let wia_id = device.wia_id.clone();
            let open = self.create_device(&wia_id)?;
            self.slots.get_mut(&slot).ok_or_else(closed)?.open = Some(open);
        }
        self.slots
            .get(&slot)
            .and_then(|device| device.open.as_ref())
            .ok_or_else(closed)
    }

    /// Scans with `settings`, sending each page on `events` as it ends.
    fn scan(
        &mut self,
        slot: u64,
        settings: &ScanSettings,
        events: mpsc::Sender<Event>,
        cancel: Arc<AtomicBool>,
    ) -> Result<u32> {
        let result = self.try_scan(slot, settings, events, cancel);
        if let Err(CaptureError::DeviceUnavailable(_)) = &result {
            // Unplugged, switched off, or the service restarted: open it afresh next time, and
            // ask the service for a new device manager too (another device's items, open from
            // the old one, are not affected).
            if let Some(device) = self.slots.get_mut(&slot) {
                device.open = None;
            }
            self.manager = None;
        }
        result
    }

    fn try_scan(
        &mut self,
        slot: u64,
        settings: &ScanSettings,
        events: mpsc::Sender<Event>,
        cancel: Arc<AtomicBool>,
    ) -> Result<u32> {
        let device = self.open_device(slot)?;
        let plan = plan_scan(&device.caps, settings)?;
        let item = &device.items[plan.item];
        let storage: IWiaPropertyStorage = item.cast().map_err(|e| com_error(&e))?;
        for write in &plan.writes {
            if let Err(error) = write_property(&storage, write.id, write.value)
                && write.required
            {
                return Err(refusal(error.code().0, &write.what));
            }
        }
        let transfer: IWiaTransfer = item.cast().map_err(|e| com_error(&e))?;
        let callback = ComObject::new(Callback {
            events,
            cancel,
            dpi: plan.dpi,
            state: Mutex::new(Delivery::default()),
        });
        let callback_interface: IWiaTransferCallback = callback.to_interface();
        // SAFETY: `transfer` and `callback_interface` are live interfaces of this apartment, and
        // `Download` is called through the vtable the `windows` crate declares for it (this,
        // flags, callback) so that its own success codes (`S_FALSE`) are seen.
        let download = unsafe {
            (Interface::vtable(&transfer).Download)(
                transfer.as_raw(),
                0,
                callback_interface.as_raw(),
            )
        };
        drop(callback_interface);
        callback.finish(download, plan.feeder)
    }
}

/// The items directly under a device's root.
fn child_items(root: &IWiaItem2) -> Result<Vec<IWiaItem2>> {
    // SAFETY: a live item of this apartment; no category filter is passed.
    let children = unsafe { root.EnumChildItems(None) }.map_err(|e| com_error(&e))?;
    let mut items = Vec::new();
    for _ in 0..MAX_ENUMERATED {
        let mut next: [Option<IWiaItem2>; 1] = [None];
        let mut fetched = 0u32;
        // SAFETY: room for the one element asked and for the count, both live for the call.
        unsafe { children.Next(1, next.as_mut_ptr(), &mut fetched) }.map_err(|e| com_error(&e))?;
        match next {
            [Some(item)] if fetched == 1 => items.push(item),
            _ => break,
        }
    }
    Ok(items)
}

/// What an item offers. Properties the item lacks are left empty.
fn item_caps(item: &IWiaItem2) -> Result<ItemCaps> {
    let storage: IWiaPropertyStorage = item.cast().map_err(|e| com_error(&e))?;
    let category = read_properties(&storage, &[WIA_IPA_ITEM_CATEGORY])
        .ok()
        .and_then(|values| values.guid(0))
        // SAFETY: a live item of this apartment.
        .or_else(|| unsafe { item.GetItemCategory() }.ok().map(|g| g.to_u128()))
        .unwrap_or(0);
    if Source::of_category(category).is_none() {
        return Ok(ItemCaps {
            category,
            ..ItemCaps::default()
        });
    }
    let valid = |id| valid_values(&storage, id).unwrap_or(ValidValues::Any);
    Ok(ItemCaps {
        category,
        resolutions: valid(WIA_IPS_XRES).resolutions(),
        data_types: valid(WIA_IPA_DATATYPE).list(),
        formats: file_formats(item),
        handling_capabilities: read_long(&storage, WIA_IPS_DOCUMENT_HANDLING_CAPABILITIES)
            .unwrap_or(0) as u32,
        handling_select: valid(WIA_IPS_DOCUMENT_HANDLING_SELECT).flags(),
    })
}

/// The formats an item transfers to a stream (`TYMED_FILE`); all it lists if it marks none so.
fn file_formats(item: &IWiaItem2) -> Vec<Guid> {
    let Ok(transfer) = item.cast::<IWiaTransfer>() else {
        return Vec::new();
    };
    // SAFETY: a live transfer interface of this apartment.
    let Ok(formats) = (unsafe { transfer.EnumWIA_FORMAT_INFO() }) else {
        return Vec::new();
    };
    let mut listed = Vec::new();
    for _ in 0..MAX_ENUMERATED {
        let mut next = [WIA_FORMAT_INFO::default()];
        let mut fetched = 0u32;
        // SAFETY: room for the one element asked and for the count, both live for the call.
        let read = unsafe { formats.Next(1, next.as_mut_ptr(), &mut fetched) };
        if read.is_err() || fetched == 0 {
            break;
        }
        listed.push((next[0].guidFormatID.to_u128(), next[0].lTymed));
    }
    let file: Vec<Guid> = listed
        .iter()
        .filter(|(_, tymed)| *tymed == TYMED_FILE)
        .map(|(format, _)| *format)
        .collect();
    if file.is_empty() {
        listed.into_iter().map(|(format, _)| format).collect()
    } else {
        file
    }
}

// ---------------------------------------------------------------------------------------------
// Properties.

fn propspec(id: u32) -> PROPSPEC {
    PROPSPEC {
        ulKind: PRSPEC_PROPID,
        Anonymous: PROPSPEC_0 { propid: id },
    }
}

/// Values read from a property storage, freed when dropped.
struct PropVariants(Vec<PROPVARIANT>);

impl PropVariants {
    fn empty(count: usize) -> PropVariants {
        PropVariants((0..count).map(|_| PROPVARIANT::default()).collect())
    }

    fn vt(&self, index: usize) -> Option<VARENUM> {
        let value = self.0.get(index)?;
        // SAFETY: every PROPVARIANT begins with its type tag, zero (`VT_EMPTY`) when nothing
        // was stored.
        Some(unsafe { value.Anonymous.Anonymous.vt })
    }

    fn long(&self, index: usize) -> Option<i32> {
        let vt = self.vt(index)?;
        // SAFETY: the member read is the one the type tag says is stored.
        unsafe {
            let data = &self.0[index].Anonymous.Anonymous.Anonymous;
            match vt {
                VT_I4 | VT_INT => Some(data.lVal),
                VT_UI4 | VT_UINT => Some(data.ulVal as i32),
                VT_I2 => Some(i32::from(data.iVal)),
                VT_UI2 => Some(i32::from(data.uiVal)),
                _ => None,
            }
        }
    }

    fn string(&self, index: usize) -> Option<String> {
        let vt = self.vt(index)?;
        // SAFETY: the member read is the one the type tag says is stored; a BSTR or wide string
        // that COM filled is valid and terminated until the variant is freed.
        unsafe {
            let data = &self.0[index].Anonymous.Anonymous.Anonymous;
            match vt {
                VT_BSTR => Some(data.bstrVal.to_string()),
                VT_LPWSTR if !data.pwszVal.is_null() => data.pwszVal.to_string().ok(),
                _ => None,
            }
        }
    }

    fn guid(&self, index: usize) -> Option<Guid> {
        let vt = self.vt(index)?;
        if vt != VT_CLSID {
            return None;
        }
        // SAFETY: a `VT_CLSID` variant points to its GUID, or is null.
        unsafe {
            let data = &self.0[index].Anonymous.Anonymous.Anonymous;
            data.puuid.as_ref().map(GUID::to_u128)
        }
    }

    /// A vector of numbers (`VT_VECTOR | VT_I4` or `VT_UI4`), as valid values come.
    fn longs(&self, index: usize) -> Vec<i32> {
        let Some(vt) = self.vt(index) else {
            return Vec::new();
        };
        // SAFETY: the member read is the one the type tag says is stored, and a counted array
        // that COM filled holds `cElems` elements until the variant is freed.
        unsafe {
            let data = &self.0[index].Anonymous.Anonymous.Anonymous;
            let (count, elements) = if vt.0 == VT_VECTOR.0 | VT_I4.0 {
                (data.cal.cElems, data.cal.pElems)
            } else if vt.0 == VT_VECTOR.0 | VT_UI4.0 {
                (data.caul.cElems, data.caul.pElems.cast::<i32>())
            } else {
                return Vec::new();
            };
            if elements.is_null() {
                return Vec::new();
            }
            std::slice::from_raw_parts(elements, count as usize).to_vec()
        }
    }
}

impl Drop for PropVariants {
    fn drop(&mut self) {
        // SAFETY: each variant is empty or was filled by COM, and is freed once, here.
        let _ = unsafe { FreePropVariantArray(&mut self.0) };
    }
}

fn read_properties(storage: &IWiaPropertyStorage, ids: &[u32]) -> Result<PropVariants> {
    let specs: Vec<PROPSPEC> = ids.iter().map(|&id| propspec(id)).collect();
    let mut values = PropVariants::empty(ids.len());
    // SAFETY: as many specs as variants, all live for the call; what COM stores in the variants
    // is freed by `PropVariants`.
    unsafe { storage.ReadMultiple(specs.len() as u32, specs.as_ptr(), values.0.as_mut_ptr()) }
        .map_err(|e| com_error(&e))?;
    Ok(values)
}

fn read_long(storage: &IWiaPropertyStorage, id: u32) -> Option<i32> {
    read_properties(storage, &[id]).ok()?.long(0)
}

/// A property's valid values, or `None` when the item cannot say.
fn valid_values(storage: &IWiaPropertyStorage, id: u32) -> Option<ValidValues> {
    let spec = [propspec(id)];
    let mut flags = [0u32];
    let mut values = PropVariants::empty(1);
    // SAFETY: one spec, one flag and one variant, all live for the call; what COM stores in the
    // variant is freed by `PropVariants`.
    unsafe {
        storage.GetPropertyAttributes(1, spec.as_ptr(), flags.as_mut_ptr(), values.0.as_mut_ptr())
    }
    .ok()?;
    Some(ValidValues::from_attributes(flags[0], &values.longs(0)))
}

fn write_property(
    storage: &IWiaPropertyStorage,
    id: u32,
    value: PropValue,
) -> windows::core::Result<()> {
    let spec = [propspec(id)];
    let mut guid = match value {
        PropValue::Guid(format) => GUID::from_u128(format),
        PropValue::Long(_) => GUID::zeroed(),
    };
    let mut variant = PROPVARIANT::default();
    // SAFETY: this sets the type tag and the member it names in a zeroed variant that owns
    // nothing (so it is never passed to `PropVariantClear`); the GUID it may point to lives
    // until after the call below.
    unsafe {
        let tagged = &mut variant.Anonymous.Anonymous;
        match value {
            PropValue::Long(number) => {
                tagged.vt = VT_I4;
                tagged.Anonymous.lVal = number;
            }
            PropValue::Guid(_) => {
                tagged.vt = VT_CLSID;
                tagged.Anonymous.puuid = &raw mut guid;
            }
        }
    }
    // SAFETY: one spec and one variant, both live for the call.
    unsafe { storage.WriteMultiple(1, spec.as_ptr(), &variant, WIA_IPA_FIRST) }
}

fn com_error(error: &windows::core::Error) -> CaptureError {
    error_from_hresult(error.code().0)
}

// ---------------------------------------------------------------------------------------------
// Transfers.

/// The transfer callback: gives WIA a memory stream per page and hands each page over when its
/// stream ends. WIA calls it on COM's threads while the worker waits in `Download`.
#[implement(IWiaTransferCallback)]
struct Callback {
    events: mpsc::Sender<Event>,
    /// Set by the scanning thread when `on_page` failed, and here when a page cannot be read.
    cancel: Arc<AtomicBool>,
    dpi: u32,
    state: Mutex<Delivery<IStream>>,
}

impl Callback {
    fn delivery(&self) -> std::sync::MutexGuard<'_, Delivery<IStream>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::SeqCst)
    }

    /// Sends a page to the scanning thread; a page that cannot be read cancels the transfer.
    fn send(&self, page: Option<Vec<u8>>) {
        if self.delivery().failure.is_some() {
            self.cancel.store(true, Ordering::SeqCst);
        }
        if let Some(bytes) = page
            && self.events.send(Event::Page(bytes, self.dpi)).is_err()
        {
            // The scanning thread is gone: nobody wants the rest.
            self.cancel.store(true, Ordering::SeqCst);
        }
    }

    /// The end of the current page's stream.
    fn end_stream(&self) {
        if self.cancelled() {
            return;
        }
        let page = self.delivery().end_stream(stream_bytes);
        self.send(page);
    }

    /// After `Download` returned: ends a last stream whose end was not announced, and says how
    /// the transfer ended.
    fn finish(&self, download: HRESULT, feeder: bool) -> Result<u32> {
        self.end_stream();
        std::mem::take(&mut *self.delivery()).outcome(download.0, feeder)
    }

    /// What to answer WIA: go on, or `S_FALSE` to cancel the transfer.
    fn go_on(&self) -> windows::core::Result<()> {
        if self.cancelled() {
            Err(windows::core::Error::from_hresult(HRESULT(S_FALSE)))
        } else {
            Ok(())
        }
    }
}

impl IWiaTransferCallback_Impl for Callback_Impl {
    fn TransferCallback(
        &self,
        _flags: i32,
        params: *const WiaTransferParams,
    ) -> windows::core::Result<()> {
        // SAFETY: WIA passes a pointer to parameters that are valid for the call, or null.
        let Some(params) = (unsafe { params.as_ref() }) else {
            return self.go_on();
        };
        match params.lMessage {
            WIA_TRANSFER_MSG_END_OF_STREAM | WIA_TRANSFER_MSG_END_OF_TRANSFER => self.end_stream(),
            WIA_TRANSFER_MSG_DEVICE_STATUS => {
                self.delivery().device_status(params.hrErrorStatus.0);
            }
            _ => {}
        }
        self.go_on()
    }

    fn GetNextStream(
        &self,
        _flags: i32,
        _item_name: &BSTR,
        _full_item_name: &BSTR,
    ) -> windows::core::Result<IStream> {
        if self.cancelled() {
            return Err(windows::core::Error::from_hresult(HRESULT(E_ABORT)));
        }
        // SAFETY: a new stream over memory it allocates, grows and frees itself.
        let stream = unsafe { CreateStreamOnHGlobal(HGLOBAL::default(), true) }?;
        let page = self.delivery().next_stream(stream.clone(), stream_bytes);
        self.send(page);
        Ok(stream)
    }
}

/// Everything written to a page's stream.
fn stream_bytes(stream: &IStream) -> Result<Vec<u8>> {
    let unreadable = |e: &windows::core::Error| {
        CaptureError::DeviceFault(format!(
            "the page could not be read ({})",
            crate::hex(e.code().0)
        ))
    };
    let mut size = 0u64;
    // SAFETY: a live stream, and a place for its size that outlives the call.
    unsafe { stream.Seek(0, STREAM_SEEK_END, Some(&raw mut size)) }.map_err(|e| unreadable(&e))?;
    if size > MAX_PAGE_BYTES {
        return Err(CaptureError::TooLarge(
            "the scanned page is larger than the desk takes".into(),
        ));
    }
    // SAFETY: a live stream.
    unsafe { stream.Seek(0, STREAM_SEEK_SET, None) }.map_err(|e| unreadable(&e))?;
    let mut bytes = vec![0u8; size as usize];
    let mut filled = 0usize;
    while filled < bytes.len() {
        let want =
            u32::try_from(bytes.len() - filled).map_or(READ_CHUNK, |left| left.min(READ_CHUNK));
        let mut read = 0u32;
        // SAFETY: `want` bytes of room from `filled` on, and a place for the count, all live
        // for the call.
        unsafe {
            stream.Read(
                bytes[filled..].as_mut_ptr().cast(),
                want,
                Some(&raw mut read),
            )
        }
        .ok()
        .map_err(|e| unreadable(&e))?;
        if read == 0 {
            break;
        }
        filled += read as usize;
    }
    bytes.truncate(filled);
    Ok(bytes)
}

// The numbers in `consts`, checked against the `windows` crate's when building for Windows.
const _: () = {
    use windows::Win32::Devices::ImageAcquisition as wia;
    assert!(WIA_DIP_DEV_ID == wia::WIA_DIP_DEV_ID);
    assert!(WIA_DIP_VEND_DESC == wia::WIA_DIP_VEND_DESC);
    assert!(WIA_DIP_DEV_TYPE == wia::WIA_DIP_DEV_TYPE);
    assert!(WIA_DIP_DEV_NAME == wia::WIA_DIP_DEV_NAME);
    assert!(WIA_DEVINFO_ENUM_LOCAL as u32 == wia::WIA_DEVINFO_ENUM_LOCAL);
    assert!(WIA_IPA_FIRST == wia::WIA_IPA_FIRST);
    assert!(WIA_IPA_DATATYPE == wia::WIA_IPA_DATATYPE);
    assert!(WIA_IPA_DEPTH == wia::WIA_IPA_DEPTH);
    assert!(WIA_IPA_FORMAT == wia::WIA_IPA_FORMAT);
    assert!(WIA_IPA_ITEM_CATEGORY == wia::WIA_IPA_ITEM_CATEGORY);
    assert!(WIA_IPS_DOCUMENT_HANDLING_CAPABILITIES == wia::WIA_DPS_DOCUMENT_HANDLING_CAPABILITIES);
    assert!(WIA_IPS_DOCUMENT_HANDLING_STATUS == wia::WIA_DPS_DOCUMENT_HANDLING_STATUS);
    assert!(WIA_IPS_DOCUMENT_HANDLING_SELECT == wia::WIA_IPS_DOCUMENT_HANDLING_SELECT);
    assert!(WIA_IPS_PAGES == wia::WIA_IPS_PAGES);
    assert!(WIA_IPS_CUR_INTENT == wia::WIA_IPS_CUR_INTENT);
    assert!(WIA_IPS_XRES == wia::WIA_IPS_XRES);
    assert!(WIA_IPS_YRES == wia::WIA_IPS_YRES);
    assert!(WIA_DATA_THRESHOLD as u32 == wia::WIA_DATA_THRESHOLD);
    assert!(WIA_DATA_DITHER as u32 == wia::WIA_DATA_DITHER);
    assert!(WIA_DATA_GRAYSCALE as u32 == wia::WIA_DATA_GRAYSCALE);
    assert!(WIA_DATA_COLOR as u32 == wia::WIA_DATA_COLOR);
    assert!(WIA_INTENT_IMAGE_TYPE_COLOR as u32 == wia::WIA_INTENT_IMAGE_TYPE_COLOR);
    assert!(WIA_INTENT_IMAGE_TYPE_GRAYSCALE as u32 == wia::WIA_INTENT_IMAGE_TYPE_GRAYSCALE);
    assert!(WIA_INTENT_IMAGE_TYPE_TEXT as u32 == wia::WIA_INTENT_IMAGE_TYPE_TEXT);
    assert!(FEED == wia::FEED && FLAT == wia::FLAT && DUP == wia::DUP);
    assert!(FEEDER == wia::FEEDER && FLATBED == wia::FLATBED && DUPLEX == wia::DUPLEX);
    assert!(FRONT_ONLY == wia::FRONT_ONLY && FEED_READY == wia::FEED_READY);
    assert!(ALL_PAGES as u32 == wia::ALL_PAGES);
    assert!(WIA_PROP_READ == wia::WIA_PROP_READ && WIA_PROP_WRITE == wia::WIA_PROP_WRITE);
    assert!(WIA_PROP_NONE == wia::WIA_PROP_NONE && WIA_PROP_RANGE == wia::WIA_PROP_RANGE);
    assert!(WIA_PROP_LIST == wia::WIA_PROP_LIST && WIA_PROP_FLAG == wia::WIA_PROP_FLAG);
    assert!(WIA_RANGE_MIN as u32 == wia::WIA_RANGE_MIN);
    assert!(WIA_RANGE_NOM as u32 == wia::WIA_RANGE_NOM);
    assert!(WIA_RANGE_MAX as u32 == wia::WIA_RANGE_MAX);
    assert!(WIA_RANGE_STEP as u32 == wia::WIA_RANGE_STEP);
    assert!(WIA_LIST_COUNT as u32 == wia::WIA_LIST_COUNT);
    assert!(WIA_LIST_NOM as u32 == wia::WIA_LIST_NOM);
    assert!(WIA_LIST_VALUES as u32 == wia::WIA_LIST_VALUES);
    assert!(WIA_FLAG_NOM as u32 == wia::WIA_FLAG_NOM);
    assert!(WIA_FLAG_VALUES as u32 == wia::WIA_FLAG_VALUES);
    assert!(WIA_CATEGORY_ROOT == wia::WIA_CATEGORY_ROOT.to_u128());
    assert!(WIA_CATEGORY_FLATBED == wia::WIA_CATEGORY_FLATBED.to_u128());
    assert!(WIA_CATEGORY_FEEDER == wia::WIA_CATEGORY_FEEDER.to_u128());
    assert!(WIA_CATEGORY_FEEDER_FRONT == wia::WIA_CATEGORY_FEEDER_FRONT.to_u128());
    assert!(WIA_CATEGORY_FEEDER_BACK == wia::WIA_CATEGORY_FEEDER_BACK.to_u128());
    assert!(WIA_CATEGORY_FILM == wia::WIA_CATEGORY_FILM.to_u128());
    assert!(WIA_CATEGORY_AUTO == wia::WIA_CATEGORY_AUTO.to_u128());
    assert!(WiaImgFmt_BMP == wia::WiaImgFmt_BMP.to_u128());
    assert!(WiaImgFmt_MEMORYBMP == wia::WiaImgFmt_MEMORYBMP.to_u128());
    assert!(WiaImgFmt_JPEG == wia::WiaImgFmt_JPEG.to_u128());
    assert!(WiaImgFmt_PNG == wia::WiaImgFmt_PNG.to_u128());
    assert!(WiaImgFmt_TIFF == wia::WiaImgFmt_TIFF.to_u128());
    assert!(TYMED_FILE == windows::Win32::System::Com::TYMED_FILE.0);
    assert!(WIA_TRANSFER_MSG_STATUS as u32 == wia::WIA_TRANSFER_MSG_STATUS);
    assert!(WIA_TRANSFER_MSG_END_OF_STREAM as u32 == wia::WIA_TRANSFER_MSG_END_OF_STREAM);
    assert!(WIA_TRANSFER_MSG_END_OF_TRANSFER as u32 == wia::WIA_TRANSFER_MSG_END_OF_TRANSFER);
    assert!(WIA_TRANSFER_MSG_DEVICE_STATUS as u32 == wia::WIA_TRANSFER_MSG_DEVICE_STATUS);
    assert!(WIA_TRANSFER_MSG_NEW_PAGE as u32 == wia::WIA_TRANSFER_MSG_NEW_PAGE);
    assert!(WIA_ERROR_GENERAL_ERROR == wia::WIA_ERROR_GENERAL_ERROR.0);
    assert!(WIA_ERROR_PAPER_JAM == wia::WIA_ERROR_PAPER_JAM.0);
    assert!(WIA_ERROR_PAPER_EMPTY == wia::WIA_ERROR_PAPER_EMPTY.0);
    assert!(WIA_ERROR_PAPER_PROBLEM == wia::WIA_ERROR_PAPER_PROBLEM.0);
    assert!(WIA_ERROR_OFFLINE == wia::WIA_ERROR_OFFLINE.0);
    assert!(WIA_ERROR_BUSY == wia::WIA_ERROR_BUSY.0);
    assert!(WIA_ERROR_WARMING_UP == wia::WIA_ERROR_WARMING_UP.0);
    assert!(WIA_ERROR_USER_INTERVENTION == wia::WIA_ERROR_USER_INTERVENTION.0);
    assert!(WIA_ERROR_ITEM_DELETED == wia::WIA_ERROR_ITEM_DELETED.0);
    assert!(WIA_ERROR_DEVICE_COMMUNICATION == wia::WIA_ERROR_DEVICE_COMMUNICATION.0);
    assert!(WIA_ERROR_INVALID_COMMAND == wia::WIA_ERROR_INVALID_COMMAND.0);
    assert!(WIA_ERROR_INCORRECT_HARDWARE_SETTING == wia::WIA_ERROR_INCORRECT_HARDWARE_SETTING.0);
    assert!(WIA_ERROR_DEVICE_LOCKED == wia::WIA_ERROR_DEVICE_LOCKED.0);
    assert!(WIA_ERROR_EXCEPTION_IN_DRIVER == wia::WIA_ERROR_EXCEPTION_IN_DRIVER.0);
    assert!(WIA_ERROR_INVALID_DRIVER_RESPONSE == wia::WIA_ERROR_INVALID_DRIVER_RESPONSE.0);
    assert!(WIA_ERROR_COVER_OPEN == wia::WIA_ERROR_COVER_OPEN.0);
    assert!(WIA_ERROR_LAMP_OFF == wia::WIA_ERROR_LAMP_OFF.0);
    assert!(WIA_ERROR_DESTINATION == wia::WIA_ERROR_DESTINATION.0);
    assert!(WIA_ERROR_NETWORK_RESERVATION_FAILED == wia::WIA_ERROR_NETWORK_RESERVATION_FAILED.0);
    assert!(WIA_ERROR_MULTI_FEED == wia::WIA_ERROR_MULTI_FEED.0);
    assert!(WIA_S_NO_DEVICE_AVAILABLE == wia::WIA_S_NO_DEVICE_AVAILABLE.0);
    assert!(WIA_STATUS_END_OF_MEDIA == wia::WIA_STATUS_END_OF_MEDIA.0);
    assert!(WIA_STATUS_WARMING_UP == wia::WIA_STATUS_WARMING_UP.0);
    assert!(E_NOTIMPL == windows::Win32::Foundation::E_NOTIMPL.0);
    assert!(E_ABORT == windows::Win32::Foundation::E_ABORT.0);
    assert!(E_FAIL == windows::Win32::Foundation::E_FAIL.0);
    assert!(E_ACCESSDENIED == windows::Win32::Foundation::E_ACCESSDENIED.0);
    assert!(E_OUTOFMEMORY == windows::Win32::Foundation::E_OUTOFMEMORY.0);
    assert!(E_INVALIDARG == windows::Win32::Foundation::E_INVALIDARG.0);
    assert!(DISP_E_TYPEMISMATCH == windows::Win32::Foundation::DISP_E_TYPEMISMATCH.0);
    assert!(REGDB_E_CLASSNOTREG == windows::Win32::Foundation::REGDB_E_CLASSNOTREG.0);
    assert!(CO_E_SERVER_EXEC_FAILURE == windows::Win32::Foundation::CO_E_SERVER_EXEC_FAILURE.0);
    assert!(RPC_E_DISCONNECTED == windows::Win32::Foundation::RPC_E_DISCONNECTED.0);
};
