//! Errors of the desk's use cases, and their one mapping to the boundary's [`ApiError`].

use hoso_model::{ApiError, ErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The officer's input was refused; the [`ApiError`] names the field.
    #[error("{0}")]
    Invalid(#[from] ApiError),
    #[error(transparent)]
    Store(#[from] hoso_store::Error),
    #[error("the built-in procedure catalogue is broken: {0}")]
    Catalogue(String),
    #[error("no data directory: set HOSO_DATA_DIR")]
    NoDataDir,
    #[error("a form could not be made: {0}")]
    Form(String),
    #[error("could not write {path}: {source}")]
    Write {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    /// A kept file is not on the disk any more.
    #[error("the kept file {0} is missing")]
    MissingFile(String),
    /// A kept file's bytes no longer match their hash.
    #[error("the kept file {0} is damaged")]
    DamagedFile(String),
    /// A file or a scanner failed; `item` is which file of a list (from 1).
    #[error("{error}")]
    Capture {
        error: hoso_capture::CaptureError,
        item: Option<u32>,
    },
}

impl Error {
    pub(crate) fn capture(error: hoso_capture::CaptureError, item: Option<u32>) -> Error {
        Error::Capture { error, item }
    }
}

fn capture_error(err: &hoso_capture::CaptureError, item: Option<u32>) -> ApiError {
    use hoso_capture::CaptureError as C;
    use hoso_model::{Field, Problem};
    let (field, problem) = match err {
        C::Empty => (Field::File, Problem::FileEmpty),
        C::Unsupported => (Field::File, Problem::FileUnsupported),
        C::Corrupt(_) => (Field::File, Problem::FileDamaged),
        C::TooLarge(_) => (Field::File, Problem::FileTooLarge),
        C::Io(_) => (Field::File, Problem::FileUnreadable),
        C::DeviceUnavailable(_) => (Field::Scanner, Problem::ScannerUnavailable),
        C::DeviceBusy => (Field::Scanner, Problem::ScannerBusy),
        C::FeederEmpty => (Field::Scanner, Problem::FeederEmpty),
        C::DeviceFault(_) => (Field::Scanner, Problem::ScannerFault),
        C::NotSupported(_) => (Field::Scanner, Problem::ScannerUnsupported),
        C::Cancelled => (Field::Scanner, Problem::ScanCancelled),
        C::Ocr(_) => return ApiError::new(ErrorCode::Internal, err.to_string()),
    };
    let api = ApiError::problem(field, problem, err.to_string());
    match item {
        Some(n) => api.about_item(n),
        None => api,
    }
}

impl From<&Error> for ApiError {
    fn from(err: &Error) -> ApiError {
        use hoso_store::Error as S;
        match err {
            Error::Invalid(api) => api.clone(),
            Error::Store(S::TooNew { .. } | S::DiskFull | S::Io(_) | S::MoveAside { .. })
            | Error::NoDataDir => ApiError::new(ErrorCode::Storage, err.to_string()),
            Error::Write { .. } | Error::MissingFile(_) | Error::DamagedFile(_) => {
                ApiError::new(ErrorCode::Storage, err.to_string())
            }
            Error::Capture { error, item } => capture_error(error, *item),
            Error::Store(_) | Error::Catalogue(_) | Error::Form(_) => {
                ApiError::new(ErrorCode::Internal, err.to_string())
            }
        }
    }
}

impl From<Error> for ApiError {
    fn from(err: Error) -> ApiError {
        ApiError::from(&err)
    }
}
