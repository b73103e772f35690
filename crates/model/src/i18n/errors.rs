//! What an error says to the officer: what went wrong and what to do.

use super::{Language, Text};
use crate::error::{ApiError, ErrorCode, Field};

/// The text a user reads for an error: what went wrong and what to do, in their language.
pub fn error_text(lang: Language, err: &ApiError) -> &'static str {
    use crate::error::Problem;
    if err.problem == Some(Problem::Missing)
        && let Some(text) = err.field.and_then(missing_text)
    {
        return text.in_lang(lang);
    }
    if let Some(problem) = err.problem {
        let text = match problem {
            // A required field with no text of its own: the field's rule says what to type.
            Problem::Missing => return field_text(err).in_lang(lang),
            Problem::PasswordsDiffer => Text::ErrorPasswordsDiffer,
            Problem::FileEmpty => Text::ErrorFileEmpty,
            Problem::FileUnsupported => Text::ErrorFileUnsupported,
            Problem::FileDamaged => Text::ErrorFileDamaged,
            Problem::FileTooLarge => Text::ErrorFileTooLarge,
            Problem::FileUnreadable => Text::ErrorFileUnreadable,
            Problem::ScannerUnavailable => Text::ErrorScannerUnavailable,
            Problem::ScannerBusy => Text::ErrorScannerBusy,
            Problem::FeederEmpty => Text::ErrorFeederEmpty,
            Problem::ScannerFault => Text::ErrorScannerFault,
            Problem::ScannerUnsupported => Text::ErrorScannerUnsupported,
            Problem::ScanCancelled => Text::ErrorScanCancelled,
            Problem::NotEnrolled => Text::ErrorNotEnrolled,
            Problem::HubUnreachable => Text::ErrorHubUnreachable,
            Problem::EnrollmentRefused => Text::ErrorEnrollmentRefused,
            Problem::HubCredential => Text::ErrorHubCredential,
            Problem::ClockOff => Text::ErrorClockOff,
            Problem::HubIncompatible => Text::ErrorHubIncompatible,
            Problem::UnitMismatch => Text::ErrorUnitMismatch,
            Problem::WrongPassword => Text::ErrorWrongPassword,
            Problem::DamagedKeySlot => Text::ErrorDamagedKeySlot,
            Problem::AccountDisabled => Text::ErrorAccountDisabled,
            Problem::WrongRecoveryKey => Text::ErrorWrongRecoveryKey,
            Problem::NotSetUp => Text::ErrorNotSetUp,
            Problem::AlreadySetUp => Text::ErrorAlreadySetUp,
            Problem::OtherDesk => Text::ErrorOtherDesk,
            Problem::AccountExists => Text::ErrorAccountExists,
            Problem::LastAdmin => Text::ErrorLastAdmin,
            Problem::NothingToJoin => Text::ErrorNothingToJoin,
            Problem::AlreadyPaired => Text::ErrorAlreadyPaired,
            Problem::PageGone => Text::ErrorPageGone,
            Problem::PageNotDeleted => Text::ErrorPageNotDeleted,
            Problem::CertificatePin => Text::ErrorCertificatePin,
            Problem::CertificateCa => Text::ErrorCertificateCa,
            Problem::BadFingerprint => Text::ErrorBadFingerprint,
            Problem::BadCaFile => Text::ErrorBadCaFile,
            Problem::StoreDamaged => Text::ErrorStoreDamaged,
            Problem::StoreSetAside => Text::ErrorStoreSetAside,
        };
        return text.in_lang(lang);
    }
    field_text(err).in_lang(lang)
}

/// What to type in a required field left empty, for the fields that have such a text.
fn missing_text(field: Field) -> Option<Text> {
    match field {
        Field::Procedure => Some(Text::MissingProcedure),
        Field::ApplicantName => Some(Text::MissingApplicantName),
        Field::Reason => Some(Text::MissingReason),
        Field::Date => Some(Text::MissingDate),
        _ => None,
    }
}

/// The rule of the field the error names, or what its code says when it names none.
fn field_text(err: &ApiError) -> Text {
    match (err.code, err.field) {
        (ErrorCode::Validation, Some(Field::Procedure)) => Text::ErrorProcedure,
        (ErrorCode::Validation, Some(Field::ApplicantName)) => Text::ErrorApplicantName,
        (ErrorCode::Validation, Some(Field::Language)) => Text::ErrorLanguage,
        (ErrorCode::Validation, Some(Field::IdNumber)) => Text::ErrorIdNumber,
        (ErrorCode::Validation, Some(Field::Phone)) => Text::ErrorPhone,
        (ErrorCode::Validation, Some(Field::Address)) => Text::ErrorAddress,
        (ErrorCode::Validation, Some(Field::Email)) => Text::ErrorEmail,
        (ErrorCode::Validation, Some(Field::UnitCode)) => Text::ErrorUnitCode,
        (ErrorCode::Validation, Some(Field::UnitName)) => Text::ErrorUnitName,
        (ErrorCode::Validation, Some(Field::DeviceSlot)) => Text::ErrorDeviceSlot,
        (ErrorCode::Validation, Some(Field::OfficeHours)) => Text::ErrorOfficeHours,
        (ErrorCode::Validation, Some(Field::Event)) => Text::ErrorEvent,
        (ErrorCode::Validation, Some(Field::Reason)) => Text::ErrorReason,
        (ErrorCode::Validation, Some(Field::Date)) => Text::ErrorDate,
        (ErrorCode::Validation, Some(Field::Catalogue)) => Text::ErrorCatalogue,
        (ErrorCode::Validation, Some(Field::File)) => Text::ErrorFile,
        (ErrorCode::Validation, Some(Field::Component)) => Text::ErrorComponent,
        (ErrorCode::Validation, Some(Field::Page)) => Text::ErrorPage,
        (ErrorCode::Validation, Some(Field::Scanner)) => Text::ErrorScanner,
        (ErrorCode::Validation, Some(Field::Hub)) => Text::ErrorHub,
        (ErrorCode::Validation, Some(Field::Account)) => Text::ErrorAccount,
        (ErrorCode::Validation, Some(Field::Password)) => Text::ErrorPassword,
        (ErrorCode::Validation, Some(Field::FullName)) => Text::ErrorFullName,
        (ErrorCode::Validation, Some(Field::Role)) => Text::ErrorRole,
        (ErrorCode::Validation, Some(Field::RecoveryKey)) => Text::ErrorRecoveryKey,
        (ErrorCode::Validation, Some(Field::Backup)) => Text::ErrorBackup,
        (ErrorCode::Validation, Some(Field::Review)) => Text::ErrorReview,
        (ErrorCode::SignIn, _) => Text::ErrorSignIn,
        (ErrorCode::Forbidden, _) => Text::ErrorForbidden,
        (ErrorCode::Validation, None) | (ErrorCode::Internal, _) => Text::ErrorInternal,
        (ErrorCode::NotFound, _) => Text::ErrorNotFound,
        (ErrorCode::Offline, _) => Text::ErrorOffline,
        (ErrorCode::Conflict, _) => Text::ErrorConflict,
        (ErrorCode::Interrupted, _) => Text::ErrorInterrupted,
        (ErrorCode::Storage, _) => Text::ErrorStorage,
    }
}
