//! The one error shape that crosses a boundary (Tauri command, command line, later the hub's API).
//!
//! Codes are only those a user interface acts on. The `message` is a short English detail for
//! logs and developers; users see the localised text for the code and field
//! ([`crate::i18n::error_text`]). Neither ever carries personal data.

use serde::{Deserialize, Serialize};

/// What the caller can do about an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The input is wrong; `field` says which one. Nothing was changed.
    Validation,
    /// The thing asked for does not exist (any more).
    NotFound,
    /// The hub could not be reached; the work is kept and retried later.
    Offline,
    /// Someone else changed the same thing first.
    Conflict,
    /// The operation was stopped before it finished; nothing half-written was kept.
    Interrupted,
    /// The local store cannot be used (a newer version's database, a full disk…).
    Storage,
    /// A fault in the program itself.
    Internal,
    /// Nobody is signed in (the desk is locked, or the password was wrong): sign in.
    SignIn,
    /// The signed-in account's role does not allow this.
    Forbidden,
}

/// The input field a validation error is about, so the form can focus it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Procedure,
    ApplicantName,
    IdNumber,
    Phone,
    Address,
    Email,
    Language,
    UnitCode,
    UnitName,
    DeviceSlot,
    OfficeHours,
    /// A lifecycle event not allowed in the dossier's current state.
    Event,
    Reason,
    /// A date or time that could not be read.
    Date,
    /// A catalogue or calendar file that is not valid, or older than the one in use.
    Catalogue,
    /// A file brought to attach (see [`ApiError::problem`] for what is wrong with it).
    File,
    /// A component number that the dossier's procedure does not have.
    Component,
    /// A page that does not exist or cannot be moved there.
    Page,
    /// The scanner chosen or its settings.
    Scanner,
    /// The hub's address, the enrollment code, or sync with the hub.
    Hub,
    /// A sign-in name.
    Account,
    Password,
    FullName,
    Role,
    RecoveryKey,
    /// A backup folder or file.
    Backup,
    /// A review decision not possible now, or a return without a note.
    Review,
}

/// What is wrong with a file or a scanner, so the officer is told in words they can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    /// An empty file.
    FileEmpty,
    /// Not a JPEG, PNG, TIFF or PDF (whatever its name says).
    FileUnsupported,
    /// Starts as a known kind but is damaged or cut short.
    FileDamaged,
    /// Larger than the desk takes (bytes, pixels or pages).
    FileTooLarge,
    /// The file could not be opened or read.
    FileUnreadable,
    ScannerUnavailable,
    ScannerBusy,
    FeederEmpty,
    /// A jam, an open cover…
    ScannerFault,
    /// The scanner does not offer the feed, mode or resolution asked for.
    ScannerUnsupported,
    ScanCancelled,
    /// This desk is not enrolled with a hub.
    NotEnrolled,
    /// No answer from the hub at that address (no network, wrong address, hub down).
    HubUnreachable,
    /// The hub refused the enrollment code (unknown, used or expired).
    EnrollmentRefused,
    /// The hub no longer accepts this desk's credential.
    HubCredential,
    /// The desk's clock is far from the hub's.
    ClockOff,
    /// The hub and this desk do not speak the same protocol.
    HubIncompatible,
    /// The hub's unit is not the unit this desk is set up for.
    UnitMismatch,
    /// The password does not open that account.
    WrongPassword,
    /// The account's key slot was changed on disk: use the recovery key.
    DamagedKeySlot,
    /// The account was disabled by an administrator.
    AccountDisabled,
    /// The recovery key does not open this desk.
    WrongRecoveryKey,
    /// The desk has not been set up yet (no administrator).
    NotSetUp,
    /// The desk is set up already.
    AlreadySetUp,
    /// The backup belongs to another desk or unit.
    OtherDesk,
    /// A sign-in name taken already.
    AccountExists,
    /// The last active administrator cannot be disabled or demoted.
    LastAdmin,
    /// A second image needs a page before it (or, to split, is no second image).
    NothingToJoin,
    /// The page already has its second image, or is one.
    AlreadyPaired,
    /// A required field was left empty (the field says which).
    Missing,
    /// The two passwords typed differ.
    PasswordsDiffer,
    /// A deleted page cannot be brought back: it was deleted for good (not found).
    PageGone,
    /// A page to bring back is in its dossier: it was not deleted (a conflict).
    PageNotDeleted,
    /// The hub's certificate is not the one whose fingerprint was given at enrollment.
    CertificatePin,
    /// The hub's certificate was not issued by the CA given at enrollment.
    CertificateCa,
    /// A certificate fingerprint that is not 32 bytes of hex.
    BadFingerprint,
    /// A CA file with no readable PEM certificate.
    BadCaFile,
    /// The desk's data file is damaged (a page failed its check, a disk fault as a rule):
    /// nothing more is written to it; the next start sets it aside.
    StoreDamaged,
    /// The damaged data file was set aside at this start and the new, empty store knows no
    /// account: the recovery key and the latest backup bring the desk back.
    StoreSetAside,
}

/// `{code, message}`, plus the field for validation errors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<Field>,
    /// For files and scanners: what is wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<Problem>,
    /// For a list of files: which one (from 1) the error is about. Never the file's name,
    /// which may carry a citizen's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<u32>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            field: None,
            problem: None,
            item: None,
        }
    }

    /// A required field left empty.
    pub fn missing(field: Field) -> Self {
        Self::problem(field, Problem::Missing, "required field left empty")
    }

    pub fn validation(field: Field, message: impl Into<String>) -> Self {
        Self {
            code: ErrorCode::Validation,
            message: message.into(),
            field: Some(field),
            problem: None,
            item: None,
        }
    }

    /// A validation error about a file or a scanner, with what is wrong.
    pub fn problem(field: Field, problem: Problem, message: impl Into<String>) -> Self {
        Self {
            problem: Some(problem),
            ..Self::validation(field, message)
        }
    }

    /// The same error, about item `n` (from 1) of a list.
    pub fn about_item(mut self, n: u32) -> Self {
        self.item = Some(n);
        self
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_travel_as_snake_case_codes_and_omit_an_absent_field() {
        let err = ApiError::new(ErrorCode::NotFound, "no such dossier");
        assert_eq!(
            serde_json::to_string(&err).unwrap(),
            r#"{"code":"not_found","message":"no such dossier"}"#
        );
        let err = ApiError::validation(Field::ApplicantName, "empty");
        assert_eq!(
            serde_json::to_string(&err).unwrap(),
            r#"{"code":"validation","message":"empty","field":"applicant_name"}"#
        );
    }
}
