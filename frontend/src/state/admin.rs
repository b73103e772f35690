//! The pure part of the administrator's and supervisor's screens in Cài đặt: the audit
//! viewer's filter read from its inputs (and its entries as a reader reads them), the
//! passwords typed twice, the retention period.

use hoso_model::account::{AuditFilter, NewAccount};
use hoso_model::supervision::Queue;
use hoso_model::{ApiError, Field, Language, Role, Text, i18n};

/// The most entries the audit viewer asks for when its limit is left empty.
pub const DEFAULT_AUDIT_LIMIT: u32 = 200;

/// The audit viewer's inputs, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditInputs {
    pub actor: String,
    /// An action's name, or "" for any.
    pub action: String,
    /// A day as typed, day first (`01/03/2026`), or "".
    pub from: String,
    pub to: String,
    pub limit: String,
}

fn day_start(text: &str) -> Result<Option<jiff::civil::DateTime>, ApiError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    hoso_model::time::parse_day(text)
        .map(|d| Some(d.to_datetime(jiff::civil::Time::midnight())))
        .ok_or_else(|| ApiError::validation(Field::Date, "unreadable date"))
}

/// The period a dated form opens with when nothing was chosen: this month so far, from its
/// first day to `today`.
pub fn month_so_far(today: jiff::civil::Date) -> (jiff::civil::Date, jiff::civil::Date) {
    (today.first_of_month(), today)
}

impl AuditInputs {
    /// The filter to ask the desk for: dates are Vietnamese civil days, both ends included.
    pub fn filter(&self) -> Result<AuditFilter, ApiError> {
        let to_instant = |local: jiff::civil::DateTime| {
            hoso_model::time::from_local(local)
                .ok_or_else(|| ApiError::validation(Field::Date, "date out of range"))
        };
        let (from_day, to_day) = (day_start(&self.from)?, day_start(&self.to)?);
        if let (Some(from), Some(to)) = (from_day, to_day)
            && from > to
        {
            return Err(ApiError::validation(
                Field::Date,
                "dates in the wrong order",
            ));
        }
        let from = from_day.map(to_instant).transpose()?;
        let to = to_day
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

/// An entry's detail as a reader reads it: a queue by its name in words, days day first, a
/// search's count in the reader's language.
/// The log keeps codes and counts (`overdue 3`, `2026-03-01 2026-03-31`); nothing else changes.
pub fn audit_detail(lang: Language, object: &str, detail: &str) -> String {
    let words: Vec<String> = detail
        .split(' ')
        .map(|word| {
            if object == "queue"
                && let Some(queue) = Queue::from_name(word)
            {
                return i18n::queue_label(lang, queue).to_owned();
            }
            if word == "found" {
                return Text::SearchFound.in_lang(lang).to_owned();
            }
            match word.parse::<jiff::civil::Date>() {
                Ok(day) if word.len() == 10 => hoso_model::time::format_day(day),
                _ => word.to_owned(),
            }
        })
        .collect();
    words.join(" ")
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
            from: "2/3/2026".into(),
            to: "02/03/2026".into(),
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
                from: "03/13/2026".into(),
                ..Default::default()
            },
            AuditInputs {
                from: "02/03/2026".into(),
                to: "01/03/2026".into(),
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
    fn a_wrong_date_is_told_day_first_with_no_machine_format() {
        let err = AuditInputs {
            from: "2026-13-01".into(),
            ..Default::default()
        }
        .filter()
        .unwrap_err();
        let text = hoso_model::i18n::error_text(hoso_model::Language::Vi, &err);
        assert!(
            text.contains("ngày/tháng/năm") && text.contains("13/02/2026"),
            "{text}"
        );
        assert!(
            !text.contains("T16") && !text.contains("+07"),
            "an officer is never shown a machine's format: {text}"
        );
    }

    #[test]
    fn an_empty_period_opens_as_this_month_so_far() {
        let today = jiff::civil::date(2026, 3, 17);
        assert_eq!(month_so_far(today), (jiff::civil::date(2026, 3, 1), today));
        assert_eq!(
            month_so_far(jiff::civil::date(2026, 3, 1)),
            (jiff::civil::date(2026, 3, 1), jiff::civil::date(2026, 3, 1)),
            "on the first of the month the period is that one day"
        );
    }

    #[test]
    fn an_entry_names_its_queue_in_words_and_its_days_day_first() {
        assert_eq!(
            audit_detail(Language::Vi, "queue", "overdue 3"),
            format!("{} 3", i18n::queue_label(Language::Vi, Queue::Overdue))
        );
        assert_eq!(
            audit_detail(Language::En, "indicators", "2026-03-01 2026-03-31"),
            "01/03/2026 31/03/2026"
        );
        assert_eq!(
            audit_detail(Language::Vi, "backlog", "overdue"),
            "overdue",
            "only a queue's entry reads its words as a queue"
        );
        assert_eq!(audit_detail(Language::Vi, "", "3 found"), "3 kết quả");
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
