//! The thread that owns libsane (see the [module docs](super)): the worker and its queue of
//! jobs, and the [`Session`] every job runs against (libsane itself, the table of open devices).

use std::collections::HashMap;
use std::ffi::{CStr, CString};
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, PoisonError, Weak, mpsc};
use std::thread::JoinHandle;

use sane_scan::sys::Status;
use sane_scan::{DeviceHandle, DeviceOption};

use super::ID_PREFIX;
use super::options::{
    offered_feeds, offered_resolutions, set_by_text, set_mode, set_resolution, set_source,
};
use super::page::{Frame, ReadFailure, read_frame};
use super::status::{scan_error, status_text, unavailable};
use crate::{CaptureError, ColourMode, Result, ScanSettings, ScannerInfo};

/// Held by the worker thread from `sane_init` to `sane_exit` (see the module docs).
static LIBSANE: Mutex<()> = Mutex::new(());

/// The running worker, if any, shared by every backend and scanner of the process.
static WORKER: Mutex<Weak<Worker>> = Mutex::new(Weak::new());

/// Work for the worker thread.
type Job = Box<dyn FnOnce(&mut Session) + Send>;

/// The link to the worker thread. Dropping the last one ends the thread, after it has closed
/// every device and called `sane_exit`. No job ever holds one, so the thread never waits for
/// itself.
pub(super) struct Worker {
    jobs: Option<mpsc::Sender<Job>>,
    thread: Option<JoinHandle<()>>,
}

impl Worker {
    /// The running worker, or a new one if none runs.
    pub(super) fn shared() -> Result<Arc<Worker>> {
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
    pub(super) fn call<T, F>(&self, work: F) -> Result<T>
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
    pub(super) fn post(&self, work: impl FnOnce(&mut Session) + Send + 'static) {
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

/// libsane as the worker thread holds it.
pub(super) struct Session {
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
pub(super) struct Applied {
    /// The resolution the device took (it may round what was asked).
    pub(super) dpi: Option<u32>,
    /// Black and white was asked: the pages become PNG.
    pub(super) lineart: bool,
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

    pub(super) fn devices(&mut self) -> Result<Vec<ScannerInfo>> {
        let devices = self
            .sane()?
            .get_devices()
            .map_err(|error| unavailable(error.0))?;
        Ok(devices.iter().map(|device| self.describe(device)).collect())
    }

    /// A device for people and for the desk's choices. What cannot be read (a device another
    /// program holds) is left empty.
    fn describe(&self, device: &sane_scan::Device) -> ScannerInfo {
        let (feeds, resolutions) = self
            .with_options(&device.name, |options| {
                (offered_feeds(options), offered_resolutions(options))
            })
            .unwrap_or_default();
        ScannerInfo {
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

    pub(super) fn open(&mut self, name: CString) -> Result<u64> {
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

    pub(super) fn close(&mut self, slot: u64) {
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

    pub(super) fn set_extra_option(
        &mut self,
        slot: u64,
        (name, value): (String, String),
    ) -> Result<()> {
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
    pub(super) fn prepare(&mut self, slot: u64, settings: &ScanSettings) -> Result<Applied> {
        let handle = self.handle(slot)?;
        set_source(handle, settings.feed)?;
        let lineart = settings.mode == ColourMode::Lineart;
        set_mode(handle, settings.mode)?;
        let dpi = set_resolution(handle, settings.resolution)?;
        Ok(Applied { dpi, lineart })
    }

    /// Starts one page and reads it whole. `None` when the feeder has run out after at least one
    /// page; before the first page that is [`CaptureError::FeederEmpty`].
    pub(super) fn next_frame(&mut self, slot: u64, first: bool) -> Result<Option<Frame>> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
