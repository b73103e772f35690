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

//! The parts: [`worker`] (the owning thread and what runs on it), [`options`] (choosing and
//! setting a device's source, mode, depth, resolution and other options), [`page`] (reading a
//! frame and encoding it once), [`status`] (what libsane's status codes mean here).

mod options;
mod page;
mod status;
mod worker;

use std::ffi::CString;
use std::sync::Arc;

use crate::{Backend, CaptureError, Feed, Result, ScanSettings, ScannedPage, Scanner, ScannerInfo};
use page::encode_page;
use worker::{Session, Worker};

/// The prefix of every SANE device id: `sane:test:0` is the SANE device `test:0`.
const ID_PREFIX: &str = "sane:";

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
    fn devices(&self) -> Result<Vec<ScannerInfo>> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
