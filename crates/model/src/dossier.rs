//! Hồ sơ: a citizen's dossier, received at the counter, and the rules for registering one.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::error::{ApiError, Field};
use crate::lifecycle::{Event, EventKind, Status};
use crate::procedure::Procedure;

/// The longest applicant name accepted, in characters. Vietnamese full names are far shorter;
/// the limit only keeps a pasted paragraph out of the store and the forms.
pub const MAX_APPLICANT_NAME_CHARS: usize = 100;

/// A dossier's identity, minted on the desk when it is registered (a UUID). It never changes,
/// so the hub can recognise a dossier sent twice; the official dossier code is a separate field.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DossierId(pub String);

impl std::fmt::Display for DossierId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Hồ sơ: a dossier as stored on the desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dossier {
    pub id: DossierId,
    /// Mã TTHC of the procedure the dossier is filed under.
    pub procedure_code: String,
    /// Chủ hồ sơ: the applicant's full name, as written on the form.
    pub applicant_name: String,
    /// Ngày tiếp nhận: when the centre received it.
    pub received_at: Timestamp,
    /// Mã hồ sơ: `UNITCODE-YYMMDD-XXXX`; `None` if registered before the unit was set up.
    pub code: Option<String>,
    pub status: Status,
    /// Ngày hẹn trả; `None` when the procedure sets no time limit.
    pub due_at: Option<Timestamp>,
}

/// A dossier with its event log and what can happen to it now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierDetail {
    pub dossier: Dossier,
    pub events: Vec<Event>,
    pub allowed: Vec<EventKind>,
    /// More than one supplementation request: late whatever the dates.
    pub late_by_rule: bool,
}

/// What the officer types at the counter to register a dossier.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewDossier {
    pub procedure_code: String,
    pub applicant_name: String,
}

/// A [`NewDossier`] that passed [`NewDossier::validate`]: trimmed and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidNewDossier {
    pub procedure_code: String,
    pub applicant_name: String,
}

impl NewDossier {
    /// Checks the form against the catalogue. Names are trimmed and inner runs of white space
    /// folded to one space, so "  Nguyễn   Văn Đức " is stored as "Nguyễn Văn Đức".
    pub fn validate(&self, catalogue: &[Procedure]) -> Result<ValidNewDossier, ApiError> {
        let code = self.procedure_code.trim();
        if code.is_empty() {
            return Err(ApiError::validation(
                Field::Procedure,
                "no procedure chosen",
            ));
        }
        if !catalogue.iter().any(|p| p.code == code) {
            return Err(ApiError::validation(
                Field::Procedure,
                "procedure is not in the catalogue",
            ));
        }
        let name = self
            .applicant_name
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if name.is_empty() {
            return Err(ApiError::validation(
                Field::ApplicantName,
                "applicant name is empty",
            ));
        }
        if name.chars().count() > MAX_APPLICANT_NAME_CHARS {
            return Err(ApiError::validation(
                Field::ApplicantName,
                "applicant name is too long",
            ));
        }
        if name.chars().any(char::is_control) {
            return Err(ApiError::validation(
                Field::ApplicantName,
                "applicant name contains control characters",
            ));
        }
        Ok(ValidNewDossier {
            procedure_code: code.to_owned(),
            applicant_name: name,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    fn catalogue() -> Vec<Procedure> {
        vec![Procedure {
            code: "1.001193".into(),
            name: "Đăng ký khai sinh".into(),
            field: "Hộ tịch".into(),
            ..Default::default()
        }]
    }

    fn form(code: &str, name: &str) -> NewDossier {
        NewDossier {
            procedure_code: code.into(),
            applicant_name: name.into(),
        }
    }

    #[test]
    fn a_complete_form_is_accepted_with_its_name_tidied() {
        let valid = form(" 1.001193 ", "  Nguyễn   Văn\tĐức ")
            .validate(&catalogue())
            .unwrap();
        assert_eq!(valid.procedure_code, "1.001193");
        assert_eq!(valid.applicant_name, "Nguyễn Văn Đức");
    }

    #[test]
    fn each_bad_form_names_the_field_to_fix() {
        let cases = [
            (form("", "Lê Thị Hoa"), Field::Procedure),
            (form("9.999999", "Lê Thị Hoa"), Field::Procedure),
            (form("1.001193", "   "), Field::ApplicantName),
            (
                form("1.001193", &"a".repeat(MAX_APPLICANT_NAME_CHARS + 1)),
                Field::ApplicantName,
            ),
            (form("1.001193", "Lê\u{0}Hoa"), Field::ApplicantName),
        ];
        for (input, field) in cases {
            let err = input.validate(&catalogue()).unwrap_err();
            assert_eq!(err.code, ErrorCode::Validation, "{input:?}");
            assert_eq!(
                err.field,
                Some(field),
                "{input:?} must point at the field to fix"
            );
        }
    }

    #[test]
    fn a_name_at_the_limit_counts_characters_not_bytes() {
        let name = "Đ".repeat(MAX_APPLICANT_NAME_CHARS);
        assert!(
            form("1.001193", &name).validate(&catalogue()).is_ok(),
            "Đ is two bytes but one character"
        );
    }

    #[test]
    fn a_dossier_travels_as_the_json_both_sides_expect() {
        let dossier = Dossier {
            id: DossierId("0b6f7f0e-6a43-4d7e-9a37-5c1f0d3b9e11".into()),
            procedure_code: "1.001193".into(),
            applicant_name: "Nguyễn Văn Đức".into(),
            received_at: "2026-02-13T09:10:00Z".parse().unwrap(),
            code: Some("H25.123-260213-0001".into()),
            status: Status::Received,
            due_at: Some("2026-02-23T10:00:00Z".parse().unwrap()),
        };
        let json = serde_json::to_string(&dossier).unwrap();
        assert_eq!(
            json,
            r#"{"id":"0b6f7f0e-6a43-4d7e-9a37-5c1f0d3b9e11","procedure_code":"1.001193","applicant_name":"Nguyễn Văn Đức","received_at":"2026-02-13T09:10:00Z","code":"H25.123-260213-0001","status":"received","due_at":"2026-02-23T10:00:00Z"}"#
        );
        assert_eq!(serde_json::from_str::<Dossier>(&json).unwrap(), dossier);
    }
}
