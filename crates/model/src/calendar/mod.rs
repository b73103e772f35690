//! Lịch làm việc: which days the centre works, as versioned data.
//!
//! Holidays come from the Labour Code (2019, Art. 112) as [`HolidayRule`]s with the dates they
//! are in force; the government's yearly notices ([`YearNotice`]) replace the default days of a
//! holiday for that year and may swap a Saturday into a working day. Both are data
//! (`catalogue/calendar.json`), so a new regulation is a data update, not a release.
//!
//! - [`lunar`]: the Vietnamese lunar calendar (Tết, the Hùng Kings' day).
//! - [`due`]: appointment dates from the time received and a procedure's time limit.

pub mod due;
pub mod lunar;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use jiff::civil::{Date, Weekday};
use serde::{Deserialize, Serialize};

/// Where a holiday falls in a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HolidayDate {
    /// A civil date, plus adjacent days (`days_before` the date, `days_after` it).
    Solar {
        month: i8,
        day: i8,
        #[serde(default)]
        days_before: u8,
        #[serde(default)]
        days_after: u8,
    },
    /// A date of the lunar calendar of the same civil year.
    Lunar { month: u8, day: u8 },
    /// Tết Nguyên Đán: the last day of the lunar year and the first `days_after` + 1 days of the
    /// new one (the Labour Code's five days, by default the day before and days 1–4).
    Tet { days_before: u8, days_after: u8 },
}

/// One public holiday of the Labour Code, in force between two dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayRule {
    /// A stable key that yearly notices refer to (`tet`, `national_day`…).
    pub id: String,
    /// The holiday's Vietnamese name.
    pub name: String,
    pub date: HolidayDate,
    /// The first day the rule applies (inclusive), if it is newer than the calendar.
    #[serde(default)]
    pub effective_from: Option<Date>,
    /// The last day the rule applies (inclusive), if it was repealed.
    #[serde(default)]
    pub effective_until: Option<Date>,
    /// Whether a holiday falling on a weekly rest day gives a substitute day off (nghỉ bù) on
    /// the next working day.
    #[serde(default = "yes")]
    pub substitute: bool,
}

fn yes() -> bool {
    true
}

/// A government notice for one year: the exact days off of some holidays, and Saturdays
/// swapped into working days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearNotice {
    pub year: i16,
    /// The notice's reference, for the record (e.g. "Thông báo 6150/TB-BNV").
    pub source: String,
    /// The holidays (by [`HolidayRule::id`]) whose default days this notice replaces.
    pub replaces: Vec<String>,
    /// The days off it announces (weekends included as announced).
    #[serde(default)]
    pub days_off: Vec<Date>,
    /// Weekend days it makes working days (làm bù).
    #[serde(default)]
    pub working_days: Vec<Date>,
}

/// Everything needed to tell working days from days off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarRules {
    /// The version of this data (the date it was compiled).
    pub version: String,
    pub holidays: Vec<HolidayRule>,
    #[serde(default)]
    pub notices: Vec<YearNotice>,
}

/// A day of the calendar, and why it is off if it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayOff {
    pub date: Date,
    /// The holiday's name, or "Nghỉ bù" for a substitute day; `None` for a plain weekend.
    pub reason: String,
}

/// The working calendar of one year, computed from [`CalendarRules`].
#[derive(Debug, Clone, PartialEq, Eq)]
struct Year {
    off: BTreeMap<Date, String>,
    worked_weekends: BTreeSet<Date>,
}

/// Working days for the years asked about, computed once per year from the rules.
#[derive(Debug)]
pub struct WorkingCalendar {
    rules: CalendarRules,
    years: Mutex<BTreeMap<i16, Arc<Year>>>,
}

impl Clone for WorkingCalendar {
    fn clone(&self) -> Self {
        WorkingCalendar::new(self.rules.clone())
    }
}

impl PartialEq for WorkingCalendar {
    fn eq(&self, other: &Self) -> bool {
        self.rules == other.rules
    }
}

fn is_weekend(date: Date) -> bool {
    matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

impl WorkingCalendar {
    pub fn new(rules: CalendarRules) -> Self {
        WorkingCalendar {
            rules,
            years: Default::default(),
        }
    }

    pub fn rules(&self) -> &CalendarRules {
        &self.rules
    }

    fn year(&self, year: i16) -> Arc<Year> {
        let mut years = self
            .years
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        years
            .entry(year)
            .or_insert_with(|| Arc::new(self.compute(year)))
            .clone()
    }

    fn compute(&self, year: i16) -> Year {
        let notices: Vec<&YearNotice> = self
            .rules
            .notices
            .iter()
            .filter(|n| n.year == year)
            .collect();
        let replaced: BTreeSet<&str> = notices
            .iter()
            .flat_map(|n| n.replaces.iter().map(String::as_str))
            .collect();
        let mut off = BTreeMap::new();
        let mut substitutes = Vec::new();
        for rule in &self.rules.holidays {
            if replaced.contains(rule.id.as_str()) {
                continue;
            }
            for date in holiday_days(rule, year) {
                let in_force = rule.effective_from.is_none_or(|from| date >= from)
                    && rule.effective_until.is_none_or(|until| date <= until);
                if !in_force || date.year() != year {
                    continue;
                }
                if is_weekend(date) && rule.substitute {
                    substitutes.push(date);
                }
                off.insert(date, rule.name.clone());
            }
        }
        // A holiday on a weekend gives the next day that is neither weekend nor holiday off.
        for weekend_holiday in substitutes {
            let mut day = weekend_holiday;
            while let Ok(next) = day.tomorrow() {
                day = next;
                if !is_weekend(day) && !off.contains_key(&day) {
                    off.insert(day, "Nghỉ bù".to_owned());
                    break;
                }
            }
        }
        let mut worked_weekends = BTreeSet::new();
        for notice in notices {
            for &date in &notice.days_off {
                off.insert(date, notice.source.clone());
            }
            worked_weekends.extend(notice.working_days.iter().copied());
        }
        Year {
            off,
            worked_weekends,
        }
    }

    /// Whether the centre works on `date`.
    pub fn is_working_day(&self, date: Date) -> bool {
        let year = self.year(date.year());
        if year.worked_weekends.contains(&date) {
            return true;
        }
        !is_weekend(date) && !year.off.contains_key(&date)
    }

    /// The holidays and substitute days of a year (weekends not included unless announced).
    pub fn days_off(&self, year: i16) -> Vec<DayOff> {
        self.year(year)
            .off
            .iter()
            .map(|(date, reason)| DayOff {
                date: *date,
                reason: reason.clone(),
            })
            .collect()
    }

    /// The first working day on or after `date`.
    pub fn next_working_day(&self, date: Date) -> Date {
        let mut day = date;
        while !self.is_working_day(day) {
            day = day
                .tomorrow()
                .expect("the calendar ends far beyond any due date");
        }
        day
    }
}

/// The civil days a holiday rule gives in `year` (some may spill into the next civil year).
fn holiday_days(rule: &HolidayRule, year: i16) -> Vec<Date> {
    let span = |center: Date, before: u8, after: u8| -> Vec<Date> {
        (-i64::from(before)..=i64::from(after))
            .filter_map(|offset| center.checked_add(jiff::Span::new().days(offset)).ok())
            .collect()
    };
    match &rule.date {
        HolidayDate::Solar {
            month,
            day,
            days_before,
            days_after,
        } => Date::new(year, *month, *day)
            .map(|d| span(d, *days_before, *days_after))
            .unwrap_or_default(),
        HolidayDate::Lunar { month, day } => lunar::from_lunar(lunar::LunarDate {
            year: i32::from(year),
            month: *month,
            day: *day,
            leap: false,
        })
        .into_iter()
        .collect(),
        HolidayDate::Tet {
            days_before,
            days_after,
        } => {
            let tet = lunar::tet(i32::from(year));
            // Tết's first day is day 0: `days_after` more days follow it.
            span(tet, *days_before, days_after.saturating_sub(1))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i16, m: i8, day: i8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    pub(crate) fn labour_code() -> CalendarRules {
        serde_json::from_str(include_str!("../../../../catalogue/calendar.json")).unwrap()
    }

    #[test]
    fn the_2026_notice_gives_tet_from_16_to_20_february() {
        let cal = WorkingCalendar::new(labour_code());
        for day in 16..=20 {
            assert!(
                !cal.is_working_day(d(2026, 2, day)),
                "{day}/2/2026 is a Tết day off"
            );
        }
        assert!(cal.is_working_day(d(2026, 2, 13)), "the Friday before");
        assert!(cal.is_working_day(d(2026, 2, 23)), "the Monday after");
    }

    #[test]
    fn the_2026_notice_swaps_saturday_22_august_for_31_august() {
        let cal = WorkingCalendar::new(labour_code());
        assert!(
            cal.is_working_day(d(2026, 8, 22)),
            "Saturday 22/8/2026 is worked"
        );
        for day in [d(2026, 8, 31), d(2026, 9, 1), d(2026, 9, 2)] {
            assert!(!cal.is_working_day(day), "{day} is off");
        }
        assert!(cal.is_working_day(d(2026, 9, 3)));
    }

    #[test]
    fn culture_day_24_november_is_off_only_from_july_2026() {
        let cal = WorkingCalendar::new(labour_code());
        assert!(!cal.is_working_day(d(2026, 11, 24)), "Tuesday 24/11/2026");
        assert!(
            cal.is_working_day(d(2025, 11, 24)),
            "Monday 24/11/2025, before the rule"
        );
    }

    #[test]
    fn a_holiday_on_a_weekend_gives_the_next_working_day_off() {
        let cal = WorkingCalendar::new(labour_code());
        // 1/1/2028 is a Saturday: Monday 3/1 is the substitute day.
        assert!(!cal.is_working_day(d(2028, 1, 3)));
        assert!(cal.is_working_day(d(2028, 1, 4)));
        // 30/4/2028 is a Sunday and 1/5 a Monday holiday: the substitute is Tuesday 2/5.
        assert!(!cal.is_working_day(d(2028, 5, 1)));
        assert!(!cal.is_working_day(d(2028, 5, 2)));
        assert!(cal.is_working_day(d(2028, 5, 3)));
    }

    #[test]
    fn without_a_notice_tet_defaults_to_the_day_before_and_four_days_after_with_the_hung_kings_day()
    {
        let cal = WorkingCalendar::new(labour_code());
        // Tết 2027 is Saturday 6 February: 5/2 (Fri) to 9/2 (Tue), then substitutes for the
        // Saturday and Sunday, 10/2 and 11/2.
        for day in 5..=11 {
            assert!(!cal.is_working_day(d(2027, 2, day)), "{day}/2/2027");
        }
        assert!(cal.is_working_day(d(2027, 2, 12)));
        assert!(
            !cal.is_working_day(d(2027, 4, 16)),
            "Hùng Kings' day, Friday 16/4/2027"
        );
    }
}
