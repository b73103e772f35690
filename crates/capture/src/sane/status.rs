//! libsane's status codes: a short English text for each, and what each means for a scan.

use sane_scan::sys::Status;

use crate::CaptureError;

/// A short English text for a SANE status (libsane's own texts may be translated, and asking
/// for them is a libsane call).
pub(super) fn status_text(status: Status) -> &'static str {
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
pub(super) fn scan_error(status: Status) -> CaptureError {
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

pub(super) fn unavailable(status: Status) -> CaptureError {
    CaptureError::DeviceUnavailable(status_text(status).into())
}
