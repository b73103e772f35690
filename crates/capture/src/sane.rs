//! SANE scanners (Linux), through the safe `sane-scan` wrapper over libsane.
//!
//! # One thread owns libsane
//!
//! libsane is not thread-safe, must be initialised once before any other call and ended once
//! with `sane_exit`, and its handles (`sane_scan::DeviceHandle`) are raw pointers that are not
//! `Send`. So every libsane call runs on one dedicated thread, the *worker*: it calls
//! `sane_init` when it starts, keeps every open device in a table, runs the jobs that
//! [`SaneBackend`] and [`SaneScanner`] send it one at a time, and calls `sane_exit` when the last
//! backend and scanner are gone. A scanner only holds the number of its row in that table, so it
//! is `Send` without any `unsafe`, and two scanners on two threads never meet inside libsane.
//!
//! A process-wide mutex ([`LIBSANE`]) is held by the worker thread from `sane_init` to
//! `sane_exit`: a worker started while the previous one is still closing waits for it, so libsane
//! is never initialised twice at once.
//!
//! A scan is driven from the caller's thread one frame at a time (set the options, then "start
//! and read one frame" per page): between two pages the worker is free for other devices, the
//! JPEG/PNG encoding and `on_page` run on the caller's thread, and when `on_page` fails no further
//! page is started.
//!
//! # What the wrapper imposes
//!
//! `sane-scan` 0.1.2 calls `sane_cancel` itself as soon as a frame has been read to its end and
//! has no other way to cancel than closing the handle. So after any failure in the middle of a
//! scan the device is closed (which cancels it) and opened again before its next use, with the
//! options set through [`SaneScanner::set_option`] applied again. Three-pass colour scanners
//! (one frame per colour) cannot work through it, since the cancel after each frame restarts the
//! passes: they are reported as not supported.

use std::collections::HashMap;
use std::ffi::{CStr, CString};
use std::io::Cursor;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, PoisonError, Weak, mpsc};
use std::thread::JoinHandle;

use image::codecs::jpeg::{JpegEncoder, PixelDensity};
use image::{GrayImage, ImageBuffer, Luma, Rgb, RgbImage};
use sane_scan::sys::{Frame as FrameFormat, Parameters, Status, ValueType};
use sane_scan::{
    DeviceHandle, DeviceOption, DeviceOptionValue, OptionCapability, OptionConstraint,
};

use crate::{
    Backend, CaptureError, ColourMode, DeviceInfo, Feed, ImageFormat, Result, ScanSettings,
    ScannedPage, Scanner,
};

/// The prefix of every SANE device id: `sane:test:0` is the SANE device `test:0`.
const ID_PREFIX: &str = "sane:";

/// Quality of the JPEG pages: high enough that text and stamps stay sharp in the archive.
const JPEG_QUALITY: u8 = 90;

/// Resolutions offered when a device gives a range: the usual ones, those within the range.
const COMMON_DPI: [u32; 8] = [75, 100, 150, 200, 300, 400, 600, 1200];

/// The largest frame read into memory (a 600 dpi A3 colour page at 16 bits is about 420 MB):
/// past this a broken device or backend cannot eat the desk's memory.
const MAX_FRAME_BYTES: usize = 1 << 30;

/// How much is asked of `sane_read` at a time.
const READ_CHUNK: usize = 64 * 1024;

/// Held by the worker thread from `sane_init` to `sane_exit` (see the module docs).
static LIBSANE: Mutex<()> = Mutex::new(());

/// The running worker, if any, shared by every backend and scanner of the process.
static WORKER: Mutex<Weak<Worker>> = Mutex::new(Weak::new());

/// SANE scanners: lists and opens the devices libsane can reach.
///
/// Keeps libsane initialised while it (or a scanner it opened) lives, since initialising it can
/// take seconds with some backends (network discovery).
pub struct SaneBackend {
    worker: Arc<Worker>,
}

impl SaneBackend {
    /// Starts the worker thread that owns libsane, or joins the one already running. libsane
    /// itself starts on that thread; if it cannot, every call says so.
    pub fn new() -> Result<SaneBackend> {
        Ok(SaneBackend {
            worker: Worker::shared()?,
        })
    }

    /// Like [`Backend::open`], but keeps the SANE type, for [`SaneScanner::set_option`].
    pub fn open_device(&self, id: &str) -> Result<SaneScanner> {
        let name = device_name(id)?;
        let slot = self.worker.call(move |session| session.open(name))?;
        Ok(SaneScanner {
            worker: Arc::clone(&self.worker),
            slot,
        })
    }
}

impl Backend for SaneBackend {
    fn devices(&self) -> Result<Vec<DeviceInfo>> {
        self.worker.call(Session::devices)
    }

    fn open(&self, id: &str) -> Result<Box<dyn Scanner>> {
        Ok(Box::new(self.open_device(id)?))
    }
}

/// One open SANE device. Closing happens when it is dropped.
pub struct SaneScanner {
    worker: Arc<Worker>,
    /// Its row in the worker's table of open devices.
    slot: u64,
}

impl SaneScanner {
    /// Sets a device-specific option that [`ScanSettings`] does not cover, by its SANE name and
    /// a value written as `scanimage` takes it: `yes`/`no` for switches, numbers, or one of the
    /// listed words (matched without regard to case). Kept for the life of the scanner, and set
    /// again whenever the device has to be reopened after a fault. Options that
    /// [`Scanner::scan`] sets itself (source, mode, depth, resolution) are overridden by it.
    pub fn set_option(&mut self, name: &str, value: &str) -> Result<()> {
        let slot = self.slot;
        let setting = (name.to_owned(), value.to_owned());
        self.worker
            .call(move |session| session.set_extra_option(slot, setting))
    }
}

impl Scanner for SaneScanner {
    fn scan(
        &mut self,
        settings: &ScanSettings,
        on_page: &mut dyn FnMut(ScannedPage) -> Result<()>,
    ) -> Result<u32> {
        let slot = self.slot;
        let settings = *settings;
        let applied = self
            .worker
            .call(move |session| session.prepare(slot, &settings))?;
        let mut pages = 0;
        loop {
            let first = pages == 0;
            let frame = self
                .worker
                .call(move |session| session.next_frame(slot, first))?;
            let Some(frame) = frame else { break };
            on_page(encode_page(&frame, applied.lineart, applied.dpi)?)?;
            pages += 1;
            if settings.feed == Feed::Flatbed {
                break;
            }
        }
        Ok(pages)
    }
}

impl Drop for SaneScanner {
    fn drop(&mut self) {
        let slot = self.slot;
        self.worker.post(move |session| session.close(slot));
    }
}

/// `sane:test:0` → `test:0`, as libsane wants it.
fn device_name(id: &str) -> Result<CString> {
    let name = id
        .strip_prefix(ID_PREFIX)
        .filter(|name| !name.is_empty())
        .ok_or_else(|| {
            CaptureError::DeviceUnavailable("not a SANE device id (sane:<device>)".into())
        })?;
    CString::new(name)
        .map_err(|_| CaptureError::DeviceUnavailable("not a SANE device id (sane:<device>)".into()))
}

// ---------------------------------------------------------------------------------------------
// The worker thread.

/// Work for the worker thread.
type Job = Box<dyn FnOnce(&mut Session) + Send>;

/// The link to the worker thread. Dropping the last one ends the thread, after it has closed
/// every device and called `sane_exit`. No job ever holds one, so the thread never waits for
/// itself.
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
        let worker = Arc::new(Worker::spawn()?);
        *current = Arc::downgrade(&worker);
        Ok(worker)
    }

    fn spawn() -> Result<Worker> {
        let (jobs, inbox) = mpsc::channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("sane".into())
            .spawn(move || serve(inbox))?;
        Ok(Worker {
            jobs: Some(jobs),
            thread: Some(thread),
        })
    }

    /// Runs `work` on the worker thread and waits for its answer.
    fn call<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Session) -> Result<T> + Send + 'static,
    {
        let (reply, answer) = mpsc::sync_channel(1);
        self.post(move |session| {
            // The caller may have gone (it never does while waiting): nothing to tell then.
            let _ = reply.send(work(session));
        });
        answer.recv().unwrap_or_else(|_| Err(worker_gone()))
    }

    /// Runs `work` on the worker thread without waiting (closing a device from `Drop`).
    fn post(&self, work: impl FnOnce(&mut Session) + Send + 'static) {
        if let Some(jobs) = &self.jobs {
            // The thread only stops when this sender is gone, so sending cannot fail but for a
            // thread that died; `call` then reports that through its closed reply channel.
            let _ = jobs.send(Box::new(work));
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // Closing the queue ends the thread once it has run what is queued (closing scanners).
        drop(self.jobs.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn worker_gone() -> CaptureError {
    CaptureError::DeviceUnavailable("the SANE worker did not answer".into())
}

/// The worker thread: owns libsane from `sane_init` to `sane_exit`.
fn serve(inbox: mpsc::Receiver<Job>) {
    let _owner = LIBSANE.lock().unwrap_or_else(PoisonError::into_inner);
    let mut session = Session::start();
    for job in inbox {
        // A panicking job must not take the worker (and every other scanner) with it; its
        // caller sees its reply channel closed.
        let _ = std::panic::catch_unwind(AssertUnwindSafe(|| job(&mut session)));
    }
    session.finish();
}

// ---------------------------------------------------------------------------------------------
// What runs on the worker thread.

/// libsane as the worker thread holds it.
struct Session {
    /// Open devices by slot. Declared before `sane` so that they close before `sane_exit`.
    slots: HashMap<u64, Slot>,
    next_slot: u64,
    sane: std::result::Result<sane_scan::Sane, Status>,
}

/// One open device.
struct Slot {
    name: CString,
    /// `None` after a fault closed it; opened again on its next use.
    handle: Option<DeviceHandle>,
    /// Options set with [`SaneScanner::set_option`], in the order they were first set.
    extra: Vec<(String, String)>,
}

/// What [`Session::prepare`] set, for encoding the pages.
#[derive(Debug, Clone, Copy)]
struct Applied {
    /// The resolution the device took (it may round what was asked).
    dpi: Option<u32>,
    /// Black and white was asked: the pages become PNG.
    lineart: bool,
}

impl Session {
    fn start() -> Session {
        Session {
            slots: HashMap::new(),
            next_slot: 0,
            sane: sane_scan::Sane::init_1_0().map_err(|error| error.0),
        }
    }

    fn finish(mut self) {
        self.slots.clear();
        drop(self);
    }

    fn sane(&self) -> Result<&sane_scan::Sane> {
        self.sane.as_ref().map_err(|status| {
            CaptureError::DeviceUnavailable(format!(
                "SANE did not start ({})",
                status_text(*status)
            ))
        })
    }

    fn devices(&mut self) -> Result<Vec<DeviceInfo>> {
        let devices = self
            .sane()?
            .get_devices()
            .map_err(|error| unavailable(error.0))?;
        Ok(devices.iter().map(|device| self.describe(device)).collect())
    }

    /// A device for people and for the desk's choices. What cannot be read (a device another
    /// program holds) is left empty.
    fn describe(&self, device: &sane_scan::Device) -> DeviceInfo {
        let (feeds, resolutions) = self
            .with_options(&device.name, |options| {
                (offered_feeds(options), offered_resolutions(options))
            })
            .unwrap_or_default();
        DeviceInfo {
            id: format!("{ID_PREFIX}{}", device.name.to_string_lossy()),
            name: display_name(&device.vendor, &device.model),
            feeds,
            resolutions,
        }
    }

    /// Reads a device's options through its open handle, or opens it for the moment.
    fn with_options<T>(&self, name: &CStr, read: impl FnOnce(&[DeviceOption]) -> T) -> Result<T> {
        let open = self
            .slots
            .values()
            .find(|slot| slot.name.as_c_str() == name)
            .and_then(|slot| slot.handle.as_ref());
        let options = match open {
            Some(handle) => handle.get_options(),
            None => open_handle(name)?.get_options(),
        };
        Ok(read(&options.map_err(|error| scan_error(error.0))?))
    }

    fn open(&mut self, name: CString) -> Result<u64> {
        self.sane()?;
        let handle = open_handle(&name)?;
        let slot = self.next_slot;
        self.next_slot += 1;
        self.slots.insert(
            slot,
            Slot {
                name,
                handle: Some(handle),
                extra: Vec::new(),
            },
        );
        Ok(slot)
    }

    fn close(&mut self, slot: u64) {
        self.slots.remove(&slot);
    }

    /// The slot's handle, opened again (with its extra options) if a fault had closed it.
    fn handle(&mut self, slot: u64) -> Result<&mut DeviceHandle> {
        let slot = self
            .slots
            .get_mut(&slot)
            .ok_or_else(|| CaptureError::DeviceUnavailable("the scanner was closed".into()))?;
        if slot.handle.is_none() {
            let handle = open_handle(&slot.name)?;
            for (name, value) in &slot.extra {
                set_by_text(&handle, name, value)?;
            }
            slot.handle = Some(handle);
        }
        slot.handle
            .as_mut()
            .ok_or_else(|| CaptureError::DeviceUnavailable("the scanner was closed".into()))
    }

    /// Closes the slot's handle, which cancels whatever it was doing; it is opened again on its
    /// next use.
    fn reset(&mut self, slot: u64) {
        if let Some(slot) = self.slots.get_mut(&slot) {
            slot.handle = None;
        }
    }

    fn set_extra_option(&mut self, slot: u64, (name, value): (String, String)) -> Result<()> {
        set_by_text(self.handle(slot)?, &name, &value)?;
        if let Some(slot) = self.slots.get_mut(&slot) {
            match slot.extra.iter_mut().find(|(known, _)| *known == name) {
                Some(entry) => entry.1 = value,
                None => slot.extra.push((name, value)),
            }
        }
        Ok(())
    }

    /// Sets source, mode, depth and resolution for `settings`.
    fn prepare(&mut self, slot: u64, settings: &ScanSettings) -> Result<Applied> {
        let handle = self.handle(slot)?;
        set_source(handle, settings.feed)?;
        let lineart = settings.mode == ColourMode::Lineart;
        set_mode(handle, settings.mode)?;
        let dpi = set_resolution(handle, settings.resolution)?;
        Ok(Applied { dpi, lineart })
    }

    /// Starts one page and reads it whole. `None` when the feeder has run out after at least one
    /// page; before the first page that is [`CaptureError::FeederEmpty`].
    fn next_frame(&mut self, slot: u64, first: bool) -> Result<Option<Frame>> {
        let handle = self.handle(slot)?;
        let outcome = match handle.start_scan() {
            Ok(parameters) => read_frame(handle, &parameters),
            // Not started: nothing to cancel.
            Err(error) => return feeder_end(error.0, first),
        };
        match outcome {
            Ok(frame) => Ok(Some(frame)),
            Err(failure) => {
                // Started but not read to its end: close the handle to cancel it.
                self.reset(slot);
                match failure {
                    ReadFailure::Sane(status) => feeder_end(status, first),
                    ReadFailure::Capture(error) => Err(error),
                }
            }
        }
    }
}

/// A failed start or read: the end of the feeder (after the first page) ends the scan without
/// error; anything else is the error it maps to.
fn feeder_end(status: Status, first: bool) -> Result<Option<Frame>> {
    if status == Status::NoDocs && !first {
        Ok(None)
    } else {
        Err(scan_error(status))
    }
}

fn open_handle(name: &CStr) -> Result<DeviceHandle> {
    let device = sane_scan::Device {
        name: name.to_owned(),
        vendor: CString::default(),
        model: CString::default(),
        type_: CString::default(),
    };
    device.open().map_err(|error| match error.0 {
        Status::DeviceBusy => CaptureError::DeviceBusy,
        status => CaptureError::DeviceUnavailable(format!(
            "cannot open SANE device {} ({})",
            name.to_string_lossy(),
            status_text(status)
        )),
    })
}

/// "Vendor Model", without empty parts.
fn display_name(vendor: &CStr, model: &CStr) -> String {
    [vendor, model]
        .iter()
        .map(|part| part.to_string_lossy().trim().to_owned())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

// ---------------------------------------------------------------------------------------------
// Options.

/// The option named `name`, if the device has it and it is active now. Options are read afresh
/// each time, since setting one can change others (and some backends refuse an option whose
/// descriptor was not read since).
fn active_option(handle: &DeviceHandle, name: &str) -> Result<Option<DeviceOption>> {
    let options = handle.get_options().map_err(|error| scan_error(error.0))?;
    Ok(options
        .into_iter()
        .find(|option| option.name.as_bytes() == name.as_bytes())
        .filter(is_active))
}

fn is_active(option: &DeviceOption) -> bool {
    !option.cap.contains(OptionCapability::INACTIVE)
}

fn is_settable(option: &DeviceOption) -> bool {
    is_active(option) && option.cap.contains(OptionCapability::SOFT_SELECT)
}

fn find<'a>(options: &'a [DeviceOption], name: &str) -> Option<&'a DeviceOption> {
    options
        .iter()
        .find(|option| option.name.as_bytes() == name.as_bytes() && is_active(option))
}

fn string_list(option: &DeviceOption) -> &[CString] {
    match &option.constraint {
        OptionConstraint::StringList(list) => list,
        _ => &[],
    }
}

fn set_value(handle: &DeviceHandle, option: &DeviceOption, value: DeviceOptionValue) -> Result<()> {
    handle
        .set_option(option, value)
        .map(|_| ())
        .map_err(|error| match error.0 {
            Status::Inval | Status::Unsupported => CaptureError::NotSupported(format!(
                "that value for {}",
                option.name.to_string_lossy()
            )),
            status => scan_error(status),
        })
}

/// The feeds named in the `source` option; a device without one is taken for a flatbed.
fn offered_feeds(options: &[DeviceOption]) -> Vec<Feed> {
    let Some(source) = find(options, "source") else {
        return vec![Feed::Flatbed];
    };
    let named: Vec<Feed> = string_list(source)
        .iter()
        .filter_map(|name| feed_of(&name.to_string_lossy()))
        .collect();
    [Feed::Flatbed, Feed::Adf, Feed::Duplex]
        .into_iter()
        .filter(|feed| named.contains(feed))
        .collect()
}

/// Which feed a SANE source name means ("Flatbed", "ADF Front", "Automatic Document Feeder",
/// "ADF Duplex"…); `None` for others (transparency units, film).
fn feed_of(source: &str) -> Option<Feed> {
    let source = source.to_lowercase();
    if source.contains("duplex") {
        Some(Feed::Duplex)
    } else if source.contains("adf") || source.contains("feeder") {
        Some(Feed::Adf)
    } else if ["flatbed", "platen", "document table", "normal"]
        .iter()
        .any(|word| source.contains(word))
    {
        Some(Feed::Flatbed)
    } else {
        None
    }
}

/// The source name to ask for `feed`: the first that means it, preferring one that is not a
/// back side only ("ADF Back").
fn choose_source(sources: &[CString], feed: Feed) -> Option<&CString> {
    let means = |name: &&CString| feed_of(&name.to_string_lossy()) == Some(feed);
    let front = |name: &&CString| !name.to_string_lossy().to_lowercase().contains("back");
    sources
        .iter()
        .filter(means)
        .find(front)
        .or_else(|| sources.iter().find(means))
}

fn set_source(handle: &DeviceHandle, feed: Feed) -> Result<()> {
    let source = active_option(handle, "source")?;
    let choice = source
        .as_ref()
        .filter(|source| is_settable(source))
        .and_then(|source| choose_source(string_list(source), feed).map(|name| (source, name)));
    match choice {
        Some((source, name)) => set_value(handle, source, DeviceOptionValue::String(name.clone())),
        // A device that cannot choose is taken for a flatbed.
        None if feed == Feed::Flatbed && source.as_ref().is_none_or(|s| !is_settable(s)) => Ok(()),
        None => Err(CaptureError::NotSupported(feed_text(feed).into())),
    }
}

fn feed_text(feed: Feed) -> &'static str {
    match feed {
        Feed::Flatbed => "the flatbed",
        Feed::Adf => "the document feeder",
        Feed::Duplex => "duplex scanning",
    }
}

fn mode_text(mode: ColourMode) -> &'static str {
    match mode {
        ColourMode::Color => "colour scanning",
        ColourMode::Gray => "grey scanning",
        ColourMode::Lineart => "black and white (lineart) scanning",
    }
}

/// Whether a SANE mode name means `mode` ("Color", "24bit Color", "Gray", "Lineart", "Binary",
/// "Black & White"…).
fn mode_means(name: &str, mode: ColourMode) -> bool {
    let name = name.to_lowercase();
    let words: &[&str] = match mode {
        ColourMode::Color => &["color", "colour"],
        ColourMode::Gray => &["gray", "grey"],
        ColourMode::Lineart => &[
            "lineart",
            "line art",
            "binary",
            "black & white",
            "black and white",
        ],
    };
    words.iter().any(|word| name.contains(word))
}

/// The mode name to ask for `mode`: its usual name (any case), else one that means it.
fn choose_mode(modes: &[CString], mode: ColourMode) -> Option<&CString> {
    modes
        .iter()
        .find(|name| name.to_string_lossy().eq_ignore_ascii_case(mode.name()))
        .or_else(|| {
            modes
                .iter()
                .find(|name| mode_means(&name.to_string_lossy(), mode))
        })
}

/// Sets the mode, and the depth that goes with it: 8 bits for colour and grey (a depth left at
/// 1 or 16 by an earlier scan would otherwise stay). A device with no lineart mode (SANE's test
/// backend) gives black and white as grey at 1 bit.
fn set_mode(handle: &DeviceHandle, mode: ColourMode) -> Result<()> {
    let Some(option) = active_option(handle, "mode")?.filter(is_settable) else {
        // One mode only: what it gives is what the frames say.
        return Ok(());
    };
    if let Some(name) = choose_mode(string_list(&option), mode) {
        set_value(handle, &option, DeviceOptionValue::String(name.clone()))?;
        return match mode {
            ColourMode::Lineart => Ok(()),
            ColourMode::Color | ColourMode::Gray => set_depth(handle, 8).map(|_| ()),
        };
    }
    let grey = choose_mode(string_list(&option), ColourMode::Gray);
    match (mode, grey) {
        (ColourMode::Lineart, Some(grey)) => {
            set_value(handle, &option, DeviceOptionValue::String(grey.clone()))?;
            if set_depth(handle, 1)? {
                Ok(())
            } else {
                Err(CaptureError::NotSupported(mode_text(mode).into()))
            }
        }
        _ => Err(CaptureError::NotSupported(mode_text(mode).into())),
    }
}

/// Sets the `depth` option to `bits` if the device offers it; whether it did.
fn set_depth(handle: &DeviceHandle, bits: i32) -> Result<bool> {
    let Some(option) = active_option(handle, "depth")?.filter(is_settable) else {
        return Ok(false);
    };
    let offered = match &option.constraint {
        OptionConstraint::WordList(words) => words.contains(&bits),
        OptionConstraint::Range { range, .. } => (range.start..=range.end).contains(&bits),
        _ => true,
    };
    if offered && option.type_ == ValueType::Int {
        set_value(handle, &option, DeviceOptionValue::Int(bits))?;
    }
    Ok(offered && option.type_ == ValueType::Int)
}

/// Sets the resolution nearest to `dpi` that the device offers; returns the one it took.
fn set_resolution(handle: &DeviceHandle, dpi: u32) -> Result<Option<u32>> {
    let Some(option) = active_option(handle, "resolution")?.filter(is_settable) else {
        return Ok(None);
    };
    let Some(scale) = DpiScale::of(option.type_) else {
        return Ok(None);
    };
    let wanted = nearest_allowed(&option.constraint, scale, f64::from(dpi));
    set_value(handle, &option, scale.value(wanted))?;
    // The device may have rounded it: ask what it took.
    let taken = active_option(handle, "resolution")?
        .and_then(|option| handle.get_option(&option).ok())
        .and_then(|value| scale.dpi_of(&value));
    Ok(Some(taken.unwrap_or(wanted).round() as u32))
}

/// How a resolution option holds its value: a plain integer, or SANE's 16.16 fixed point.
#[derive(Debug, Clone, Copy, PartialEq)]
enum DpiScale {
    Int,
    Fixed,
}

impl DpiScale {
    fn of(value_type: ValueType) -> Option<DpiScale> {
        match value_type {
            ValueType::Int => Some(DpiScale::Int),
            ValueType::Fixed => Some(DpiScale::Fixed),
            _ => None,
        }
    }

    fn dpi(self, word: i32) -> f64 {
        match self {
            DpiScale::Int => f64::from(word),
            DpiScale::Fixed => f64::from(word) / 65536.0,
        }
    }

    fn value(self, dpi: f64) -> DeviceOptionValue {
        match self {
            DpiScale::Int => DeviceOptionValue::Int(dpi.round() as i32),
            DpiScale::Fixed => DeviceOptionValue::Fixed((dpi * 65536.0).round() as i32),
        }
    }

    fn dpi_of(self, value: &DeviceOptionValue) -> Option<f64> {
        match (self, value) {
            (DpiScale::Int, DeviceOptionValue::Int(word))
            | (DpiScale::Fixed, DeviceOptionValue::Fixed(word)) => Some(self.dpi(*word)),
            _ => None,
        }
    }
}

/// The allowed value nearest to `dpi`: from the list, or within the range on its steps.
fn nearest_allowed(constraint: &OptionConstraint, scale: DpiScale, dpi: f64) -> f64 {
    match constraint {
        OptionConstraint::WordList(words) => words
            .iter()
            .map(|&word| scale.dpi(word))
            .min_by(|a, b| (a - dpi).abs().total_cmp(&(b - dpi).abs()))
            .unwrap_or(dpi),
        OptionConstraint::Range { range, quant } => {
            let (min, max) = (scale.dpi(range.start), scale.dpi(range.end));
            let step = scale.dpi(*quant);
            let clamped = dpi.clamp(min, max.max(min));
            if step > 0.0 {
                (min + ((clamped - min) / step).round() * step).min(max)
            } else {
                clamped
            }
        }
        _ => dpi,
    }
}

/// The resolutions a device offers: its list as it is, or the usual ones within its range.
fn offered_resolutions(options: &[DeviceOption]) -> Vec<u32> {
    let Some(option) = find(options, "resolution") else {
        return Vec::new();
    };
    let Some(scale) = DpiScale::of(option.type_) else {
        return Vec::new();
    };
    resolutions_from(&option.constraint, scale)
}

fn resolutions_from(constraint: &OptionConstraint, scale: DpiScale) -> Vec<u32> {
    let mut list: Vec<u32> = match constraint {
        OptionConstraint::WordList(words) => words
            .iter()
            .map(|&word| scale.dpi(word).round())
            .filter(|&dpi| dpi >= 1.0)
            .map(|dpi| dpi as u32)
            .collect(),
        OptionConstraint::Range { range, quant } => {
            let (min, max) = (scale.dpi(range.start), scale.dpi(range.end));
            let step = scale.dpi(*quant);
            let on_step = |dpi: f64| step <= 0.0 || ((dpi - min) / step).fract().abs() < 1e-6;
            let common: Vec<u32> = COMMON_DPI
                .into_iter()
                .filter(|&dpi| (min..=max).contains(&f64::from(dpi)) && on_step(f64::from(dpi)))
                .collect();
            if common.is_empty() {
                // An unusual range: offer its ends.
                [min.ceil(), max.floor()]
                    .into_iter()
                    .filter(|&dpi| dpi >= 1.0 && dpi <= max)
                    .map(|dpi| dpi as u32)
                    .collect()
            } else {
                common
            }
        }
        _ => Vec::new(),
    };
    list.sort_unstable();
    list.dedup();
    list
}

/// Sets an option from text, as [`SaneScanner::set_option`] describes.
fn set_by_text(handle: &DeviceHandle, name: &str, text: &str) -> Result<()> {
    let option = active_option(handle, name)?
        .filter(is_settable)
        .ok_or_else(|| CaptureError::NotSupported(format!("the option {name}")))?;
    let value = parse_value(&option, text)
        .ok_or_else(|| CaptureError::NotSupported(format!("{text:?} for the option {name}")))?;
    set_value(handle, &option, value)
}

fn parse_value(option: &DeviceOption, text: &str) -> Option<DeviceOptionValue> {
    let text = text.trim();
    match option.type_ {
        // A SANE_Bool is a word: sent as an Int, since the wrapper would pass a one-byte bool
        // where libsane reads four bytes.
        ValueType::Bool => parse_switch(text).map(|on| DeviceOptionValue::Int(i32::from(on))),
        ValueType::Int => text.parse().ok().map(DeviceOptionValue::Int),
        ValueType::Fixed => text
            .parse::<f64>()
            .ok()
            .filter(|value| value.is_finite())
            .map(|value| DeviceOptionValue::Fixed((value * 65536.0).round() as i32)),
        ValueType::String => {
            let listed = string_list(option)
                .iter()
                .find(|name| name.to_string_lossy().eq_ignore_ascii_case(text))
                .cloned();
            match listed {
                Some(name) => Some(DeviceOptionValue::String(name)),
                None if string_list(option).is_empty() => {
                    CString::new(text).ok().map(DeviceOptionValue::String)
                }
                None => None,
            }
        }
        ValueType::Button => Some(DeviceOptionValue::Button),
        ValueType::Group => None,
    }
}

fn parse_switch(text: &str) -> Option<bool> {
    match text.to_lowercase().as_str() {
        "yes" | "true" | "on" | "1" => Some(true),
        "no" | "false" | "off" | "0" => Some(false),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Reading frames.

/// One page as libsane delivered it: its shape, and its lines as they came (each
/// `bytes_per_line` long, padding included).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Frame {
    channels: usize,
    /// Bits per sample: 1, 8 or 16 (16-bit samples in this machine's byte order).
    depth: u8,
    width: usize,
    bytes_per_line: usize,
    /// Complete lines only.
    data: Vec<u8>,
}

impl Frame {
    fn height(&self) -> usize {
        self.data.len() / self.bytes_per_line
    }

    fn line(&self, row: usize) -> &[u8] {
        &self.data[row * self.bytes_per_line..(row + 1) * self.bytes_per_line]
    }
}

/// Why reading a frame stopped early.
enum ReadFailure {
    /// libsane said so.
    Sane(Status),
    Capture(CaptureError),
}

impl From<CaptureError> for ReadFailure {
    fn from(error: CaptureError) -> Self {
        ReadFailure::Capture(error)
    }
}

/// The frame's shape from its parameters, checked before any byte is read.
fn frame_shape(parameters: &Parameters) -> Result<Frame> {
    let channels = match parameters.format {
        FrameFormat::Gray => 1,
        FrameFormat::Rgb => 3,
        FrameFormat::Red | FrameFormat::Green | FrameFormat::Blue => {
            return Err(CaptureError::NotSupported(
                "three-pass colour scanners (one frame per colour)".into(),
            ));
        }
    };
    let depth = match parameters.depth {
        1 if channels == 1 => 1,
        8 => 8,
        16 => 16,
        other => {
            return Err(CaptureError::NotSupported(format!(
                "{other}-bit {} frames",
                if channels == 1 { "grey" } else { "colour" }
            )));
        }
    };
    let width = usize::try_from(parameters.pixels_per_line).unwrap_or(0);
    let bytes_per_line = usize::try_from(parameters.bytes_per_line).unwrap_or(0);
    if width == 0 || bytes_per_line < packed_len(width * channels, depth) {
        return Err(CaptureError::DeviceFault(
            "the scanner described an impossible page".into(),
        ));
    }
    Ok(Frame {
        channels,
        depth,
        width,
        bytes_per_line,
        data: Vec::new(),
    })
}

/// Bytes taken by `samples` samples of `depth` bits.
fn packed_len(samples: usize, depth: u8) -> usize {
    match depth {
        1 => samples.div_ceil(8),
        8 => samples,
        _ => samples * 2,
    }
}

/// Reads one started frame to its end. The number of lines may be unknown (-1: hand scanners,
/// feeders that measure the paper): the frame ends where the data does.
fn read_frame(
    handle: &mut DeviceHandle,
    parameters: &Parameters,
) -> std::result::Result<Frame, ReadFailure> {
    let mut frame = frame_shape(parameters)?;
    let expected = usize::try_from(parameters.lines)
        .ok()
        .and_then(|lines| lines.checked_mul(frame.bytes_per_line))
        .unwrap_or(0);
    frame.data.reserve(expected.min(MAX_FRAME_BYTES));
    let mut chunk = vec![0_u8; READ_CHUNK];
    while let Some(read) = handle
        .read(&mut chunk)
        .map_err(|error| ReadFailure::Sane(error.0))?
    {
        frame.data.extend_from_slice(&chunk[..read]);
        if frame.data.len() > MAX_FRAME_BYTES {
            return Err(CaptureError::TooLarge("the scanned page is over 1 GiB".into()).into());
        }
    }
    let lines = frame.data.len() / frame.bytes_per_line;
    let lines = match usize::try_from(parameters.lines) {
        Ok(known) if known > 0 => lines.min(known),
        _ => lines,
    };
    if lines == 0 {
        return Err(CaptureError::DeviceFault("the scanner sent an empty page".into()).into());
    }
    frame.data.truncate(lines * frame.bytes_per_line);
    Ok(frame)
}

// ---------------------------------------------------------------------------------------------
// Encoding pages.

/// Encodes a frame once: JPEG for colour and grey, PNG for black and white (1-bit when the
/// frame is, 8-bit grey otherwise).
fn encode_page(frame: &Frame, lineart: bool, dpi: Option<u32>) -> Result<ScannedPage> {
    let (bytes, format) = if lineart {
        (encode_png(frame, dpi)?, ImageFormat::Png)
    } else {
        (encode_jpeg(frame, dpi)?, ImageFormat::Jpeg)
    };
    Ok(ScannedPage { bytes, format, dpi })
}

fn encode_jpeg(frame: &Frame, dpi: Option<u32>) -> Result<Vec<u8>> {
    let (width, height) = dimensions(frame, u32::from(u16::MAX))?;
    let mut bytes = Vec::new();
    let mut encoder = JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY);
    if let Some(dpi) = dpi.and_then(|dpi| u16::try_from(dpi).ok()) {
        encoder.set_pixel_density(PixelDensity::dpi(dpi));
    }
    let samples = samples_8bit(frame);
    let encoded = if frame.channels == 3 {
        RgbImage::from_raw(width, height, samples).map(|image| encoder.encode_image(&image))
    } else {
        GrayImage::from_raw(width, height, samples).map(|image| encoder.encode_image(&image))
    };
    match encoded {
        Some(Ok(())) => Ok(bytes),
        Some(Err(error)) => Err(encode_error(&error)),
        None => Err(CaptureError::DeviceFault(
            "the page's size does not match its data".into(),
        )),
    }
}

fn encode_png(frame: &Frame, dpi: Option<u32>) -> Result<Vec<u8>> {
    let (width, height) = dimensions(frame, u32::MAX)?;
    let (depth, data) = if frame.depth == 1 && frame.channels == 1 {
        (png::BitDepth::One, png_lineart_rows(frame))
    } else {
        (png::BitDepth::Eight, grey_samples(frame))
    };
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(Cursor::new(&mut bytes), width, height);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(depth);
    if let Some(dpi) = dpi {
        let per_metre = (f64::from(dpi) / 0.0254).round() as u32;
        encoder.set_pixel_dims(Some(png::PixelDimensions {
            xppu: per_metre,
            yppu: per_metre,
            unit: png::Unit::Meter,
        }));
    }
    let written = encoder.write_header().and_then(|mut writer| {
        writer
            .write_image_data(&data)
            .and_then(|()| writer.finish())
    });
    written.map_err(|error| encode_error(&error))?;
    Ok(bytes)
}

/// Width and height as the encoders take them, within `max` pixels each way.
fn dimensions(frame: &Frame, max: u32) -> Result<(u32, u32)> {
    let width = u32::try_from(frame.width).ok().filter(|&w| w <= max);
    let height = u32::try_from(frame.height()).ok().filter(|&h| h <= max);
    width.zip(height).ok_or_else(|| {
        CaptureError::TooLarge(format!(
            "the scanned page is over {max} pixels wide or high"
        ))
    })
}

fn encode_error(error: &dyn std::error::Error) -> CaptureError {
    CaptureError::Io(std::io::Error::other(format!(
        "cannot encode the page: {error}"
    )))
}

/// The frame's samples at 8 bits, lines unpadded: 16-bit samples are scaled down, and 1-bit
/// samples (SANE: 1 is black) become 0 or 255.
fn samples_8bit(frame: &Frame) -> Vec<u8> {
    let row_samples = frame.width * frame.channels;
    let mut samples = Vec::with_capacity(row_samples * frame.height());
    for row in 0..frame.height() {
        let line = frame.line(row);
        match frame.depth {
            1 => samples.extend((0..row_samples).map(|x| {
                let black = line[x / 8] & (0x80 >> (x % 8)) != 0;
                if black { 0 } else { 255 }
            })),
            8 => samples.extend_from_slice(&line[..row_samples]),
            _ => samples.extend(line[..row_samples * 2].chunks_exact(2).map(|pair| {
                let wide = u32::from(u16::from_ne_bytes([pair[0], pair[1]]));
                ((wide * 255 + 32_767) / 65_535) as u8
            })),
        }
    }
    samples
}

/// 8-bit grey samples of any frame (colour becomes its luma).
fn grey_samples(frame: &Frame) -> Vec<u8> {
    let samples = samples_8bit(frame);
    if frame.channels == 1 {
        return samples;
    }
    let width = u32::try_from(frame.width).unwrap_or(0);
    let height = u32::try_from(frame.height()).unwrap_or(0);
    ImageBuffer::<Rgb<u8>, _>::from_raw(width, height, samples)
        .map(|colour| {
            let grey: ImageBuffer<Luma<u8>, Vec<u8>> =
                image::DynamicImage::ImageRgb8(colour).to_luma8();
            grey.into_raw()
        })
        .unwrap_or_default()
}

/// A 1-bit frame as PNG rows: the same packing (first pixel in the high bit), but PNG's grey
/// 1 is white where SANE's is black, so every bit flips; line padding is dropped.
fn png_lineart_rows(frame: &Frame) -> Vec<u8> {
    let row_bytes = frame.width.div_ceil(8);
    (0..frame.height())
        .flat_map(|row| frame.line(row)[..row_bytes].iter().map(|byte| !byte))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Status codes.

/// A short English text for a SANE status (libsane's own texts may be translated, and asking
/// for them is a libsane call).
fn status_text(status: Status) -> &'static str {
    match status {
        Status::Good => "no error",
        Status::Unsupported => "operation not supported",
        Status::Cancelled => "cancelled",
        Status::DeviceBusy => "device busy",
        Status::Inval => "invalid argument",
        Status::Eof => "no more data",
        Status::Jammed => "paper jam",
        Status::NoDocs => "no paper in the feeder",
        Status::CoverOpen => "cover open",
        Status::IoError => "input/output error",
        Status::NoMem => "out of memory",
        Status::AccessDenied => "access denied",
    }
}

/// What a status means for a scan.
fn scan_error(status: Status) -> CaptureError {
    match status {
        Status::DeviceBusy => CaptureError::DeviceBusy,
        Status::NoDocs => CaptureError::FeederEmpty,
        Status::Cancelled => CaptureError::Cancelled,
        Status::IoError | Status::AccessDenied => unavailable(status),
        Status::Unsupported => CaptureError::NotSupported("this request".into()),
        Status::Jammed
        | Status::CoverOpen
        | Status::Inval
        | Status::NoMem
        | Status::Eof
        | Status::Good => CaptureError::DeviceFault(status_text(status).into()),
    }
}

fn unavailable(status: Status) -> CaptureError {
    CaptureError::DeviceUnavailable(status_text(status).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(
        channels: usize,
        depth: u8,
        width: usize,
        bytes_per_line: usize,
        data: Vec<u8>,
    ) -> Frame {
        Frame {
            channels,
            depth,
            width,
            bytes_per_line,
            data,
        }
    }

    #[test]
    fn source_names_map_to_feeds() {
        assert_eq!(feed_of("Flatbed"), Some(Feed::Flatbed));
        assert_eq!(feed_of("FlatBed"), Some(Feed::Flatbed));
        assert_eq!(feed_of("Automatic Document Feeder"), Some(Feed::Adf));
        assert_eq!(feed_of("ADF Front"), Some(Feed::Adf));
        assert_eq!(feed_of("ADF Duplex"), Some(Feed::Duplex));
        assert_eq!(feed_of("Duplex"), Some(Feed::Duplex));
        assert_eq!(feed_of("Transparency Adapter"), None);
        let sources = [c"ADF Back", c"ADF Front", c"Flatbed"].map(CString::from);
        assert_eq!(
            choose_source(&sources, Feed::Adf).map(|s| s.as_c_str()),
            Some(c"ADF Front")
        );
        assert_eq!(choose_source(&sources, Feed::Duplex), None);
    }

    #[test]
    fn mode_names_match_without_case() {
        let modes = [c"24bit Color", c"Gray", c"Black & White"].map(CString::from);
        assert_eq!(
            choose_mode(&modes, ColourMode::Color).map(|m| m.as_c_str()),
            Some(c"24bit Color")
        );
        assert_eq!(
            choose_mode(&modes, ColourMode::Gray).map(|m| m.as_c_str()),
            Some(c"Gray")
        );
        assert_eq!(
            choose_mode(&modes, ColourMode::Lineart).map(|m| m.as_c_str()),
            Some(c"Black & White")
        );
        let test_backend = [c"Gray", c"Color"].map(CString::from);
        assert_eq!(choose_mode(&test_backend, ColourMode::Lineart), None);
    }

    #[test]
    fn resolutions_from_a_range_are_the_usual_ones_within_it() {
        let fixed = |dpi: i32| dpi * 65536;
        let range = OptionConstraint::Range {
            range: fixed(1)..fixed(1200),
            quant: fixed(1),
        };
        assert_eq!(
            resolutions_from(&range, DpiScale::Fixed),
            vec![75, 100, 150, 200, 300, 400, 600, 1200]
        );
        let stepped = OptionConstraint::Range {
            range: 100..600,
            quant: 100,
        };
        assert_eq!(
            resolutions_from(&stepped, DpiScale::Int),
            vec![100, 200, 300, 400, 600]
        );
        let odd = OptionConstraint::Range {
            range: 50..60,
            quant: 0,
        };
        assert_eq!(resolutions_from(&odd, DpiScale::Int), vec![50, 60]);
        let list = OptionConstraint::WordList(vec![600, 150, 300]);
        assert_eq!(resolutions_from(&list, DpiScale::Int), vec![150, 300, 600]);
    }

    #[test]
    fn the_nearest_allowed_resolution_is_asked() {
        let list = OptionConstraint::WordList(vec![150, 300, 600]);
        assert_eq!(nearest_allowed(&list, DpiScale::Int, 200.0), 150.0);
        let range = OptionConstraint::Range {
            range: 50..1200,
            quant: 50,
        };
        assert_eq!(nearest_allowed(&range, DpiScale::Int, 75.0), 100.0);
        assert_eq!(nearest_allowed(&range, DpiScale::Int, 5000.0), 1200.0);
    }

    #[test]
    fn sixteen_bit_samples_become_eight_bit() {
        let words: [u16; 3] = [0, 0x8000, 0xffff];
        let data: Vec<u8> = words.iter().flat_map(|w| w.to_ne_bytes()).collect();
        let frame = frame(1, 16, 3, 6, data);
        assert_eq!(samples_8bit(&frame), vec![0, 128, 255]);
    }

    #[test]
    fn line_padding_is_dropped() {
        // Two grey lines of 3 pixels, each padded to 4 bytes.
        let frame = frame(1, 8, 3, 4, vec![1, 2, 3, 99, 4, 5, 6, 99]);
        assert_eq!(samples_8bit(&frame), vec![1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn lineart_becomes_a_one_bit_png_with_black_kept_black() {
        // 10 pixels a line (2 bytes + 1 byte padding): black, white, black…
        let line = [0b1010_1010, 0b1000_0000, 0xff];
        let data: Vec<u8> = line.iter().chain(line.iter()).copied().collect();
        let frame = frame(1, 1, 10, 3, data);
        let page = encode_page(&frame, true, Some(100)).expect("encoded");
        assert_eq!(page.format, ImageFormat::Png);
        assert_eq!(page.bytes[24], 1, "1-bit PNG");
        let decoded = image::load_from_memory(&page.bytes)
            .expect("decodes")
            .to_luma8();
        assert_eq!(decoded.dimensions(), (10, 2));
        let row: Vec<u8> = (0..10).map(|x| decoded.get_pixel(x, 0).0[0]).collect();
        assert_eq!(row, vec![0, 255, 0, 255, 0, 255, 0, 255, 0, 255]);
    }

    #[test]
    fn colour_and_grey_become_jpeg() {
        let frame = frame(3, 16, 4, 24, vec![0x80; 24 * 5]);
        let page = encode_page(&frame, false, Some(75)).expect("encoded");
        assert_eq!(page.format, ImageFormat::Jpeg);
        let decoded = image::load_from_memory(&page.bytes).expect("decodes");
        assert_eq!((decoded.width(), decoded.height()), (4, 5));
        assert_eq!(decoded.color(), image::ColorType::Rgb8);
    }

    #[test]
    fn feeder_end_is_an_error_only_before_the_first_page() {
        assert!(matches!(
            feeder_end(Status::NoDocs, true),
            Err(CaptureError::FeederEmpty)
        ));
        assert!(matches!(feeder_end(Status::NoDocs, false), Ok(None)));
        assert!(matches!(
            feeder_end(Status::Jammed, false),
            Err(CaptureError::DeviceFault(_))
        ));
        assert!(matches!(
            feeder_end(Status::CoverOpen, true),
            Err(CaptureError::DeviceFault(_))
        ));
        assert!(matches!(
            feeder_end(Status::DeviceBusy, true),
            Err(CaptureError::DeviceBusy)
        ));
    }

    #[test]
    fn ids_name_sane_devices() {
        assert_eq!(
            device_name("sane:test:0").expect("a SANE id").as_c_str(),
            c"test:0"
        );
        assert!(matches!(
            device_name("escl:http://scanner/eSCL"),
            Err(CaptureError::DeviceUnavailable(_))
        ));
        assert!(matches!(
            device_name("sane:"),
            Err(CaptureError::DeviceUnavailable(_))
        ));
    }
}
