//! Errors of the desk's use cases, and their one mapping to the boundary's [`ApiError`].
//!
//! A use case says what went wrong with a variant here; `From<&Error> for ApiError` at the end
//! decides once the code, field and problem the window reads. Messages name no person: a
//! dossier is named by its code at most, an account never.

use std::borrow::Cow;

use hoso_model::lifecycle::{EventKind, Status};
use hoso_model::{ApiError, ErrorCode, Field, Problem};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The officer's input broke a rule of `hoso-model` (a form's validation); the rule's own
    /// error, which names the field.
    #[error("{0}")]
    Invalid(#[from] ApiError),
    /// The desk refused the input; `field` says which, so the form can focus it.
    #[error("{reason}")]
    Refused {
        field: Field,
        reason: Cow<'static, str>,
    },
    /// Refused, with what exactly is wrong (a page, a backup, the hub) for the window's own text.
    #[error("{reason}")]
    Problem {
        field: Field,
        problem: Problem,
        reason: &'static str,
    },
    /// An event the dossier's lifecycle does not allow in its status now.
    #[error("{} is not allowed in status {from:?}", event.name())]
    NotAllowed { event: EventKind, from: Status },
    /// A period (of a tracking book, of indicators) that ends before it starts.
    #[error("the period ends before it starts")]
    Period,
    /// Forms print the unit: it must be set up first.
    #[error("the unit is not set up")]
    NoUnit,
    /// Nothing by that code, id or name.
    #[error("no such {0}")]
    NotFound(Object),
    /// The audit log's hash chain breaks at this entry (from 1): an entry was edited, removed
    /// or reordered.
    #[error("the audit log is broken at entry {0}")]
    AuditBroken(u64),
    #[error(transparent)]
    Store(#[from] hoso_store::Error),
    #[error("the built-in procedure catalogue is broken: {0}")]
    Catalogue(String),
    #[error("no data directory: set HOSO_DATA_DIR")]
    NoDataDir,
    /// An official form (receipt, notice, tracking book) could not be drawn.
    #[error("a form could not be made: {0}")]
    Form(String),
    /// A report (CSV or XLSX) could not be written.
    #[error("a report could not be made: {0}")]
    Report(String),
    /// A dossier's archive PDF could not be made.
    #[error("the archive could not be made: {0}")]
    Archive(String),
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
    /// The store was just set aside (damaged or unreadable) and the new, empty one knows no
    /// account yet, so the sign-in cannot go on; the notice says where the file is kept.
    #[error("the data file was set aside; the new store knows no account")]
    SetAside(hoso_store::OpenNotice),
}

/// What a lookup did not find.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Object {
    Dossier,
    Page,
    Account,
}

impl std::fmt::Display for Object {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Object::Dossier => "dossier",
            Object::Page => "page",
            Object::Account => "account",
        })
    }
}

impl Error {
    pub(crate) fn capture(error: hoso_capture::CaptureError, item: Option<u32>) -> Error {
        Error::Capture { error, item }
    }

    /// The input in `field` is refused, for `reason` (plain words, no personal data).
    pub fn refused(field: Field, reason: impl Into<Cow<'static, str>>) -> Error {
        Error::Refused {
            field,
            reason: reason.into(),
        }
    }

    /// The input in `field` is refused with a named `problem`.
    pub fn problem(field: Field, problem: Problem, reason: &'static str) -> Error {
        Error::Problem {
            field,
            problem,
            reason,
        }
    }

    /// Whether the input was refused and nothing changed (as opposed to a fault of the store,
    /// the disk or the program).
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            Error::Invalid(_)
                | Error::Refused { .. }
                | Error::Problem { .. }
                | Error::NotAllowed { .. }
                | Error::Period
                | Error::NoUnit
                | Error::NotFound(_)
        )
    }

    /// The input field the error is about, if any.
    pub fn field(&self) -> Option<Field> {
        ApiError::from(self).field
    }
}

fn capture_error(err: &hoso_capture::CaptureError, item: Option<u32>) -> ApiError {
    use hoso_capture::CaptureError as C;
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

fn problem_message(problem: Problem) -> &'static str {
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
            Error::Refused { field, reason } => ApiError::validation(*field, reason.as_ref()),
            Error::Problem {
                field,
                problem,
                reason,
            } => ApiError {
                code: match problem {
                    Problem::HubUnreachable => ErrorCode::Offline,
                    Problem::PageGone => ErrorCode::NotFound,
                    Problem::PageNotDeleted => ErrorCode::Conflict,
                    _ => ErrorCode::Validation,
                },
                ..ApiError::problem(*field, *problem, *reason)
            },
            Error::NotAllowed { .. } => ApiError::validation(Field::Event, err.to_string()),
            Error::Period => ApiError::validation(Field::Date, err.to_string()),
            Error::NoUnit => ApiError::validation(Field::UnitCode, err.to_string()),
            Error::NotFound(_) => ApiError::new(ErrorCode::NotFound, err.to_string()),
            Error::AuditBroken(_) => ApiError::new(ErrorCode::Conflict, err.to_string()),
            // Said as damage, not as a fault of the program: the officer is told to close,
            // and the next start sets the file aside.
            Error::Store(S::Damaged) => ApiError {
                problem: Some(Problem::StoreDamaged),
                ..ApiError::new(ErrorCode::Storage, err.to_string())
            },
            Error::SetAside(_) => ApiError {
                problem: Some(Problem::StoreSetAside),
                ..ApiError::new(ErrorCode::Storage, err.to_string())
            },
            Error::Store(
                S::TooNew { .. } | S::DiskFull | S::Io(_) | S::MoveAside { .. } | S::Unreadable,
            )
            | Error::NoDataDir => ApiError::new(ErrorCode::Storage, err.to_string()),
            Error::Write { .. } | Error::MissingFile(_) | Error::DamagedFile(_) => {
                ApiError::new(ErrorCode::Storage, err.to_string())
            }
            Error::Capture { error, item } => capture_error(error, *item),
            Error::Store(_)
            | Error::Catalogue(_)
            | Error::Form(_)
            | Error::Report(_)
            | Error::Archive(_) => ApiError::new(ErrorCode::Internal, err.to_string()),
        }
    }
}

impl From<Error> for ApiError {
    fn from(err: Error) -> ApiError {
        ApiError::from(&err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the window reads of an error: its code, field, problem and words.
    fn seen(err: Error) -> (ErrorCode, Option<Field>, Option<Problem>, String) {
        let api = ApiError::from(err);
        (api.code, api.field, api.problem, api.message)
    }

    #[test]
    fn each_refusal_reaches_the_window_with_its_code_field_and_words() {
        use ErrorCode::{Conflict, NotFound, Offline, Validation};
        let cases = [
            (
                Error::refused(Field::Reason, "a reason is required"),
                (
                    Validation,
                    Some(Field::Reason),
                    None,
                    "a reason is required",
                ),
            ),
            (
                Error::problem(
                    Field::Hub,
                    Problem::HubUnreachable,
                    "the hub did not answer",
                ),
                (
                    Offline,
                    Some(Field::Hub),
                    Some(Problem::HubUnreachable),
                    "the hub did not answer",
                ),
            ),
            (
                Error::problem(Field::Page, Problem::AlreadyPaired, "already paired"),
                (
                    Validation,
                    Some(Field::Page),
                    Some(Problem::AlreadyPaired),
                    "already paired",
                ),
            ),
            (
                Error::NotAllowed {
                    event: EventKind::Return,
                    from: Status::Received,
                },
                (
                    Validation,
                    Some(Field::Event),
                    None,
                    "return is not allowed in status Received",
                ),
            ),
            (
                Error::Period,
                (
                    Validation,
                    Some(Field::Date),
                    None,
                    "the period ends before it starts",
                ),
            ),
            (
                Error::NoUnit,
                (
                    Validation,
                    Some(Field::UnitCode),
                    None,
                    "the unit is not set up",
                ),
            ),
            (
                Error::NotFound(Object::Dossier),
                (NotFound, None, None, "no such dossier"),
            ),
            (
                Error::AuditBroken(7),
                (Conflict, None, None, "the audit log is broken at entry 7"),
            ),
        ];
        for (err, (code, field, problem, message)) in cases {
            assert!(err.is_refusal() || code == Conflict, "{err} is a refusal");
            assert_eq!(seen(err), (code, field, problem, message.to_owned()));
        }
    }

    #[test]
    fn a_damaged_store_is_said_as_damage_not_as_a_fault_of_the_program() {
        let (code, field, problem, _) = seen(Error::Store(hoso_store::Error::Damaged));
        assert_eq!(
            (code, field, problem),
            (ErrorCode::Storage, None, Some(Problem::StoreDamaged))
        );
        let text = hoso_model::i18n::error_text(
            hoso_model::i18n::Language::Vi,
            &ApiError::from(Error::Store(hoso_store::Error::Damaged)),
        );
        assert!(
            text.contains("bị hỏng") && text.contains("hoso restore"),
            "{text}"
        );
    }

    #[test]
    fn reports_and_archives_are_faults_of_their_own_not_forms() {
        let report = seen(Error::Report("xlsx: full".into()));
        assert_eq!(report.0, ErrorCode::Internal);
        assert_eq!(report.3, "a report could not be made: xlsx: full");
        let archive = seen(Error::Archive("bad page".into()));
        assert_eq!(archive.3, "the archive could not be made: bad page");
        assert!(!Error::Archive(String::new()).is_refusal());
    }
}
