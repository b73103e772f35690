//! The pure part of the administrator's and supervisor's screens in Cài đặt: the audit
//! viewer's filter read from its inputs, the passwords typed twice, the retention period.

use hoso_model::account::{AuditFilter, NewAccount};
use hoso_model::{ApiError, Field, Role};

/// The most entries the audit viewer asks for when its limit is left empty.
pub const DEFAULT_AUDIT_LIMIT: u32 = 200;

/// The audit viewer's inputs, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditInputs {
    pub actor: String,
    /// An action's name, or "" for any.
    pub action: String,
    /// `YYYY-MM-DD` (the date input's value), or "".
    pub from: String,
    pub to: String,
    pub limit: String,
}

fn day_start(text: &str) -> Result<Option<jiff::civil::DateTime>, ApiError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<jiff::civil::Date>()
        .map(|d| Some(d.to_datetime(jiff::civil::Time::midnight())))
        .map_err(|_| ApiError::validation(Field::Date, "unreadable date"))
}

impl AuditInputs {
    /// The filter to ask the desk for: dates are Vietnamese civil days, both ends included.
    pub fn filter(&self) -> Result<AuditFilter, ApiError> {
        let to_instant = |local: jiff::civil::DateTime| {
            hoso_model::time::from_local(local)
                .ok_or_else(|| ApiError::validation(Field::Date, "date out of range"))
        };
        let from = day_start(&self.from)?.map(to_instant).transpose()?;
        let to = day_start(&self.to)?
            .map(|start| {
                let end = start
                    .checked_add(jiff::SignedDuration::from_hours(24))
                    .map_err(|_| ApiError::validation(Field::Date, "date out of range"))?;
                to_instant(end).map(|t| {
                    t.checked_sub(jiff::SignedDuration::from_millis(1))
                        .unwrap_or(t)
                })
            })
            .transpose()?;
        // A limit left empty or unreadable asks for the usual number.
        let limit = self
            .limit
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| *n > 0)
            .unwrap_or(DEFAULT_AUDIT_LIMIT);
        let some = |text: &str| {
            let text = text.trim();
            (!text.is_empty()).then(|| text.to_owned())
        };
        Ok(AuditFilter {
            actor: some(&self.actor),
            action: some(&self.action),
            object: None,
            from,
            to,
            limit: Some(limit),
        })
    }
}

/// Why a form with a password typed twice was not sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Typed {
    /// The two passwords differ.
    PasswordsDiffer,
}

/// A password typed twice: the password, if both agree.
pub fn password_twice(password: &str, again: &str) -> Result<String, Typed> {
    if password == again {
        Ok(password.to_owned())
    } else {
        Err(Typed::PasswordsDiffer)
    }
}

/// The account to add, from the form (the desk checks the name, full name and length).
pub fn new_account(
    name: &str,
    full_name: &str,
    role: Role,
    password: &str,
    again: &str,
) -> Result<NewAccount, Typed> {
    Ok(NewAccount {
        name: name.trim().to_owned(),
        full_name: full_name.trim().to_owned(),
        role,
        password: password_twice(password, again)?,
    })
}

/// The retention period as typed: whole days, at least one.
pub fn retention_days(text: &str) -> Option<u32> {
    text.trim().parse::<u32>().ok().filter(|d| *d > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_audit_form_asks_for_the_newest_entries_of_everyone() {
        let filter = AuditInputs::default().filter().unwrap();
        assert_eq!(
            filter,
            AuditFilter {
                limit: Some(DEFAULT_AUDIT_LIMIT),
                ..AuditFilter::default()
            }
        );
    }

    #[test]
    fn audit_dates_are_whole_vietnamese_days_both_ends_included() {
        let inputs = AuditInputs {
            actor: " canbo ".into(),
            action: "change".into(),
            from: "2026-03-02".into(),
            to: "2026-03-02".into(),
            limit: "50".into(),
        };
        let filter = inputs.filter().unwrap();
        assert_eq!(filter.actor.as_deref(), Some("canbo"));
        assert_eq!(filter.action.as_deref(), Some("change"));
        assert_eq!(filter.limit, Some(50));
        assert_eq!(
            filter.from.unwrap().to_string(),
            "2026-03-01T17:00:00Z",
            "midnight in Vietnam is 17:00 UTC the day before"
        );
        assert_eq!(filter.to.unwrap().to_string(), "2026-03-02T16:59:59.999Z");
    }

    #[test]
    fn unreadable_dates_are_refused_and_unreadable_limits_ask_for_the_usual_number() {
        for inputs in [
            AuditInputs {
                from: "02/03/2026".into(),
                ..Default::default()
            },
            AuditInputs {
                to: "2026-13-01".into(),
                ..Default::default()
            },
        ] {
            let err = inputs.filter().unwrap_err();
            assert_eq!(err.field, Some(Field::Date), "{inputs:?}");
        }
        for limit in ["0", "nhiều", "-5"] {
            let inputs = AuditInputs {
                limit: limit.into(),
                ..Default::default()
            };
            assert_eq!(inputs.filter().unwrap().limit, Some(DEFAULT_AUDIT_LIMIT));
        }
    }

    #[test]
    fn passwords_typed_twice_must_agree() {
        assert_eq!(
            password_twice("mật khẩu 1", "mật khẩu 1").unwrap(),
            "mật khẩu 1"
        );
        assert_eq!(
            password_twice("mật khẩu 1", "mật khẩu 2"),
            Err(Typed::PasswordsDiffer)
        );
        let account = new_account(
            " lan ",
            " Lê Thị Lan ",
            Role::Officer,
            "12345678",
            "12345678",
        )
        .unwrap();
        assert_eq!(account.name, "lan");
        assert_eq!(account.full_name, "Lê Thị Lan");
        assert_eq!(account.role, Role::Officer);
        assert!(new_account("lan", "Lan", Role::Officer, "12345678", "1234567").is_err());
    }

    #[test]
    fn a_retention_period_is_a_whole_number_of_days() {
        assert_eq!(retention_days(" 365 "), Some(365));
        assert_eq!(retention_days("0"), None);
        assert_eq!(retention_days("-3"), None);
        assert_eq!(retention_days("một năm"), None);
    }
}
