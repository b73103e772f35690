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
}

impl From<&Error> for ApiError {
    fn from(err: &Error) -> ApiError {
        use hoso_store::Error as S;
        match err {
            Error::Invalid(api) => api.clone(),
            Error::Store(S::TooNew { .. } | S::DiskFull | S::Io(_) | S::MoveAside { .. })
            | Error::NoDataDir => ApiError::new(ErrorCode::Storage, err.to_string()),
            Error::Write { .. } => ApiError::new(ErrorCode::Storage, err.to_string()),
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
