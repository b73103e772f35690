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
    /// Nobody is signed in (the desk is locked).
    #[error("nobody is signed in")]
    SignIn,
    /// The signed-in account's role does not allow this act.
    #[error("the role {role} may not {act:?}")]
    Forbidden {
        role: &'static str,
        act: hoso_model::Act,
    },
    /// Keys: a wrong password, a damaged key slot, a wrong recovery key…
    #[error(transparent)]
    Vault(#[from] hoso_vault::Error),
    /// An account refused at sign-in: disabled, or unknown to the store.
    #[error("the account is disabled")]
    AccountDisabled,
    /// The desk has no key file yet.
    #[error("the desk is not set up")]
    NotSetUp,
    /// A change that would leave no enabled administrator.
    #[error("the last administrator cannot be disabled or demoted")]
    LastAdmin,
    /// A backup that is not this desk's, or cannot be read.
    #[error("backup: {0}")]
    Backup(String),
    /// A backup made by another desk (its data key differs).
    #[error("the backup belongs to another desk")]
    OtherDesk,
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

fn vault_error(err: &hoso_vault::Error) -> ApiError {
    use hoso_model::{Field, Problem};
    use hoso_vault::Error as V;
    let (field, problem) = match err {
        V::WrongPassword | V::NoSuchAccount => (Field::Password, Problem::WrongPassword),
        V::WrongRecoveryKey => (Field::RecoveryKey, Problem::WrongRecoveryKey),
        V::MalformedRecoveryKey => {
            return ApiError::validation(Field::RecoveryKey, err.to_string());
        }
        V::DamagedSlot(_) | V::DamagedKeyFile(_) => (Field::Password, Problem::DamagedKeySlot),
        V::AlreadySetUp => (Field::Account, Problem::AlreadySetUp),
        V::AccountExists => (Field::Account, Problem::AccountExists),
        V::LastAccount => (Field::Account, Problem::LastAdmin),
        V::Tampered => return ApiError::new(ErrorCode::Storage, err.to_string()),
        V::Io(_) => return ApiError::new(ErrorCode::Storage, err.to_string()),
    };
    // Which account is never said: a message names no person.
    ApiError::problem(field, problem, problem_message(problem))
}

fn problem_message(problem: hoso_model::Problem) -> &'static str {
    use hoso_model::Problem;
    match problem {
        Problem::WrongPassword => "wrong name or password",
        Problem::WrongRecoveryKey => "wrong recovery key",
        Problem::DamagedKeySlot => "the account's key slot is damaged",
        Problem::AlreadySetUp => "the desk is set up already",
        Problem::AccountExists => "the name is taken",
        Problem::LastAdmin => "the last administrator must stay",
        _ => "refused",
    }
}

impl From<&Error> for ApiError {
    fn from(err: &Error) -> ApiError {
        use hoso_model::{Field, Problem};
        use hoso_store::Error as S;
        match err {
            Error::SignIn => ApiError::new(ErrorCode::SignIn, err.to_string()),
            Error::Forbidden { .. } => ApiError::new(ErrorCode::Forbidden, err.to_string()),
            Error::Vault(v) => vault_error(v),
            Error::AccountDisabled => ApiError::problem(
                Field::Account,
                Problem::AccountDisabled,
                "the account is disabled",
            ),
            Error::NotSetUp => {
                ApiError::problem(Field::Account, Problem::NotSetUp, "the desk is not set up")
            }
            Error::LastAdmin => ApiError::problem(
                Field::Role,
                Problem::LastAdmin,
                "the last administrator must stay",
            ),
            Error::OtherDesk => {
                ApiError::problem(Field::Backup, Problem::OtherDesk, err.to_string())
            }
            Error::Backup(_) => ApiError::validation(Field::Backup, err.to_string()),
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
