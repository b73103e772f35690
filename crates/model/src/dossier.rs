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
    /// Số giấy tờ: the applicant's ID card number (CCCD, 12 digits; old CMND, 9).
    #[serde(default)]
    pub id_number: Option<String>,
    /// Số điện thoại, normalised to 0xxxxxxxxx.
    #[serde(default)]
    pub phone: Option<String>,
    /// Địa chỉ.
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// Kênh thực hiện: how the dossier came in.
    #[serde(default)]
    pub channel: Channel,
}

impl Dossier {
    /// What the dossier is named by to the desk: its code, or its id before it has one.
    pub fn key(&self) -> String {
        self.code.clone().unwrap_or_else(|| self.id.0.clone())
    }
}

/// Kênh thực hiện: how a dossier reached the centre (the national codes 1–3).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 1 — Trực tiếp: at the counter.
    #[default]
    Direct,
    /// 2 — Trực tuyến: online.
    Online,
    /// 3 — Bưu chính: by post.
    Post,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::Direct, Channel::Online, Channel::Post];

    pub fn national_code(self) -> u8 {
        match self {
            Channel::Direct => 1,
            Channel::Online => 2,
            Channel::Post => 3,
        }
    }

    /// The name used on the command line and in storage.
    pub fn name(self) -> &'static str {
        match self {
            Channel::Direct => "direct",
            Channel::Online => "online",
            Channel::Post => "post",
        }
    }

    pub fn from_name(name: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.name() == name.trim())
    }
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
    /// Optional fields are empty strings when not given.
    #[serde(default)]
    pub id_number: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub channel: Channel,
}

/// A [`NewDossier`] that passed [`NewDossier::validate`]: trimmed and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidNewDossier {
    pub procedure_code: String,
    pub applicant_name: String,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub email: Option<String>,
    pub channel: Channel,
}

/// The longest address accepted, in characters.
pub const MAX_ADDRESS_CHARS: usize = 300;

/// An ID card number: 12 digits (CCCD) or 9 (the older CMND); spaces are ignored.
pub fn normalise_id_number(text: &str) -> Option<String> {
    let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    (matches!(digits.len(), 9 | 12) && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// A Vietnamese phone number, written with spaces, dots or dashes and optionally +84, as
/// `0` and 9 or 10 more digits.
pub fn normalise_phone(text: &str) -> Option<String> {
    let compact: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')'))
        .collect();
    let local = match compact
        .strip_prefix("+84")
        .or_else(|| compact.strip_prefix("84").filter(|r| r.len() == 9))
    {
        Some(rest) => format!("0{rest}"),
        None => compact,
    };
    (local.starts_with('0')
        && matches!(local.len(), 10 | 11)
        && local.bytes().all(|b| b.is_ascii_digit()))
    .then_some(local)
}

fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    text.len() <= 254
        && !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
        && !domain.contains('@')
}

fn optional(text: &str) -> Option<&str> {
    let t = text.trim();
    (!t.is_empty()).then_some(t)
}

impl NewDossier {
    /// Checks the form against the catalogue. Names are trimmed and inner runs of white space
    /// folded to one space, so "  Nguyễn   Văn Đức " is stored as "Nguyễn Văn Đức".
    /// The first mistake, in the form's order; [`check`](Self::check) gives them all.
    pub fn validate(&self, catalogue: &[Procedure]) -> Result<ValidNewDossier, ApiError> {
        self.check(catalogue).map_err(|mut all| all.swap_remove(0))
    }

    /// Checks every field at once: the valid dossier, or one error per wrong field in the
    /// form's order (procedure, name, ID number, phone, address, email), never empty.
    pub fn check(&self, catalogue: &[Procedure]) -> Result<ValidNewDossier, Vec<ApiError>> {
        let code = self.procedure_code.trim();
        let procedure = if code.is_empty() {
            Err(ApiError::missing(Field::Procedure))
        } else if !catalogue.iter().any(|p| p.code == code) {
            Err(ApiError::validation(
                Field::Procedure,
                "procedure is not in the catalogue",
            ))
        } else {
            Ok(code.to_owned())
        };
        let name = self
            .applicant_name
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let name = if name.is_empty() {
            Err(ApiError::missing(Field::ApplicantName))
        } else if name.chars().count() > MAX_APPLICANT_NAME_CHARS {
            Err(ApiError::validation(
                Field::ApplicantName,
                "applicant name is too long",
            ))
        } else if name.chars().any(char::is_control) {
            Err(ApiError::validation(
                Field::ApplicantName,
                "applicant name contains control characters",
            ))
        } else {
            Ok(name)
        };
        let id_number = optional(&self.id_number)
            .map(|text| {
                normalise_id_number(text).ok_or_else(|| {
                    ApiError::validation(Field::IdNumber, "an ID number has 9 or 12 digits")
                })
            })
            .transpose();
        let phone = optional(&self.phone)
            .map(|text| {
                normalise_phone(text).ok_or_else(|| {
                    ApiError::validation(Field::Phone, "a phone number is 0 and 9 or 10 digits")
                })
            })
            .transpose();
        let address = match optional(&self.address)
            .map(|a| a.split_whitespace().collect::<Vec<_>>().join(" "))
        {
            Some(a) if a.chars().count() > MAX_ADDRESS_CHARS || a.chars().any(char::is_control) => {
                Err(ApiError::validation(
                    Field::Address,
                    "address too long or with control characters",
                ))
            }
            address => Ok(address),
        };
        let email = match optional(&self.email) {
            Some(e) if !is_email(e) => {
                Err(ApiError::validation(Field::Email, "not an email address"))
            }
            email => Ok(email.map(str::to_owned)),
        };
        match (procedure, name, id_number, phone, address, email) {
            (
                Ok(procedure_code),
                Ok(applicant_name),
                Ok(id_number),
                Ok(phone),
                Ok(address),
                Ok(email),
            ) => Ok(ValidNewDossier {
                procedure_code,
                applicant_name,
                id_number,
                phone,
                address,
                email,
                channel: self.channel,
            }),
            (procedure, name, id_number, phone, address, email) => Err([
                procedure.err(),
                name.err(),
                id_number.err(),
                phone.err(),
                address.err(),
                email.err(),
            ]
            .into_iter()
            .flatten()
            .collect()),
        }
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
            ..Default::default()
        }
    }

    #[test]
    fn id_numbers_and_phones_are_accepted_in_their_usual_forms_and_normalised() {
        assert_eq!(
            normalise_id_number("001 099 012345").as_deref(),
            Some("001099012345")
        );
        assert_eq!(
            normalise_id_number("123456789").as_deref(),
            Some("123456789")
        );
        for bad in ["12345678", "1234567890", "00109901234a", ""] {
            assert_eq!(normalise_id_number(bad), None, "{bad:?}");
        }
        for (written, stored) in [
            ("0912 345 678", "0912345678"),
            ("+84 912.345.678", "0912345678"),
            ("84912345678", "0912345678"),
            ("(0239) 385-5678", "02393855678"),
        ] {
            assert_eq!(
                normalise_phone(written).as_deref(),
                Some(stored),
                "{written}"
            );
        }
        for bad in ["912345678", "0912 345", "0912-345-678-999", "09123456ab"] {
            assert_eq!(normalise_phone(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn contact_fields_are_optional_but_checked_when_given() {
        let full = NewDossier {
            id_number: "042 199 001 234".into(),
            phone: "+84 905 111 222".into(),
            address: "  Thôn 3,   xã Thạch Hà ".into(),
            email: "duc@example.vn".into(),
            channel: Channel::Post,
            ..form("1.001193", "Nguyễn Văn Đức")
        };
        let valid = full.validate(&catalogue()).unwrap();
        assert_eq!(valid.id_number.as_deref(), Some("042199001234"));
        assert_eq!(valid.phone.as_deref(), Some("0905111222"));
        assert_eq!(valid.address.as_deref(), Some("Thôn 3, xã Thạch Hà"));
        assert_eq!(valid.channel, Channel::Post);
        let bare = form("1.001193", "Nguyễn Văn Đức")
            .validate(&catalogue())
            .unwrap();
        assert_eq!(
            (bare.id_number, bare.phone, bare.address, bare.email),
            (None, None, None, None)
        );
        for (bad, field) in [
            (
                NewDossier {
                    id_number: "12345".into(),
                    ..full.clone()
                },
                Field::IdNumber,
            ),
            (
                NewDossier {
                    phone: "12345".into(),
                    ..full.clone()
                },
                Field::Phone,
            ),
            (
                NewDossier {
                    address: "x".repeat(MAX_ADDRESS_CHARS + 1),
                    ..full.clone()
                },
                Field::Address,
            ),
            (
                NewDossier {
                    email: "duc@".into(),
                    ..full.clone()
                },
                Field::Email,
            ),
        ] {
            assert_eq!(bad.validate(&catalogue()).unwrap_err().field, Some(field));
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
            id_number: None,
            phone: None,
            address: None,
            email: None,
            channel: Channel::Direct,
        };
        let json = serde_json::to_string(&dossier).unwrap();
        assert_eq!(
            json,
            r#"{"id":"0b6f7f0e-6a43-4d7e-9a37-5c1f0d3b9e11","procedure_code":"1.001193","applicant_name":"Nguyễn Văn Đức","received_at":"2026-02-13T09:10:00Z","code":"H25.123-260213-0001","status":"received","due_at":"2026-02-23T10:00:00Z","id_number":null,"phone":null,"address":null,"email":null,"channel":"direct"}"#
        );
        assert_eq!(serde_json::from_str::<Dossier>(&json).unwrap(), dossier);
    }

    #[test]
    fn every_wrong_field_is_named_at_once_in_the_form_s_order() {
        let mut bad = form("", "   ");
        bad.id_number = "12345".into();
        bad.phone = "12".into();
        bad.email = "not mail".into();
        let all = bad.check(&catalogue()).unwrap_err();
        let fields: Vec<_> = all.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                Field::Procedure,
                Field::ApplicantName,
                Field::IdNumber,
                Field::Phone,
                Field::Email
            ]
            .map(Some)
        );
        assert_eq!(all[0].problem, Some(crate::error::Problem::Missing));
        assert_eq!(all[1].problem, Some(crate::error::Problem::Missing));
        assert_eq!(
            crate::i18n::error_text(crate::Language::Vi, &all[1]),
            "Chưa nhập họ tên người nộp."
        );
        assert_eq!(
            bad.validate(&catalogue()).unwrap_err(),
            all[0],
            "validate gives the first"
        );
        assert!(form("1.001193", "An").check(&catalogue()).is_ok());
    }
}
