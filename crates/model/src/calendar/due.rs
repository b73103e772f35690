//! Ngày hẹn trả: when a dossier is due, from the time it was received and its procedure's time
//! limit, counted in the centre's office hours on working days.
//!
//! - Working days and working hours are counted in office time: a working day is the sum of the
//!   day's sessions (8 hours by default), lunch and days off do not count. Received at 09:00 on a
//!   Monday with 2 working days, a dossier is due on Wednesday at 09:00.
//! - Calendar days are counted from the day received; a period ending on a day off ends at the
//!   close of the next working day (Civil Code 2015, Art. 148).
//! - Same-day procedures are due at the close of the day received. Where the procedure has the
//!   15:00 rule, a dossier received at or after 15:00 is handled the next working day.
//! - Supplementation (bổ sung) pauses the clock: the office time (or, for calendar-day limits,
//!   the days) between the request and the citizen's reply is added to the due date.

use jiff::civil::{Date, DateTime, Time};
use serde::{Deserialize, Serialize};

use super::WorkingCalendar;

/// A procedure's legal time limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TimeLimit {
    /// No time limit is set.
    #[default]
    None,
    /// Trong ngày: by the close of the day received.
    SameDay,
    WorkingDays {
        days: u16,
    },
    WorkingHours {
        hours: u16,
    },
    CalendarDays {
        days: u16,
    },
}

/// The centre's office hours: sessions of a working day, in order (default 07:00–11:30 and
/// 13:30–17:00).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeHours {
    pub sessions: Vec<(Time, Time)>,
}

impl Default for OfficeHours {
    fn default() -> Self {
        OfficeHours {
            sessions: vec![
                (Time::constant(7, 0, 0, 0), Time::constant(11, 30, 0, 0)),
                (Time::constant(13, 30, 0, 0), Time::constant(17, 0, 0, 0)),
            ],
        }
    }
}

impl OfficeHours {
    /// Reads office hours written as `07:00-11:30, 13:30-17:00`: one or more sessions, in
    /// order, each ending after it starts and before the next begins.
    pub fn parse(text: &str) -> Option<OfficeHours> {
        let mut sessions: Vec<(Time, Time)> = Vec::new();
        for part in text.split(',') {
            let (start, end) = part.trim().split_once('-')?;
            let time = |t: &str| -> Option<Time> {
                let (h, m) = t.trim().split_once(':')?;
                Time::new(h.parse().ok()?, m.parse().ok()?, 0, 0).ok()
            };
            let (start, end) = (time(start)?, time(end)?);
            if end <= start
                || sessions
                    .last()
                    .is_some_and(|(_, previous_end)| start < *previous_end)
            {
                return None;
            }
            sessions.push((start, end));
        }
        (!sessions.is_empty()).then_some(OfficeHours { sessions })
    }

    /// As [`OfficeHours::parse`] reads them.
    pub fn describe(&self) -> String {
        self.sessions
            .iter()
            .map(|(s, e)| format!("{}-{}", s.strftime("%H:%M"), e.strftime("%H:%M")))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Minutes of office time in one working day.
    pub fn day_minutes(&self) -> i64 {
        self.sessions
            .iter()
            .map(|(s, e)| minutes(*e) - minutes(*s))
            .sum()
    }

    fn closing(&self) -> Time {
        self.sessions
            .last()
            .map_or(Time::constant(17, 0, 0, 0), |(_, e)| *e)
    }
}

/// How a procedure's due date is counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueRule {
    pub limit: TimeLimit,
    /// The 15:00 rule: received at or after this time, the dossier is handled the next working day.
    #[serde(default)]
    pub next_day_after: Option<Time>,
}

/// A span during which the clock was stopped (waiting for the citizen to supplement).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    pub from: DateTime,
    pub until: DateTime,
}

fn minutes(t: Time) -> i64 {
    i64::from(t.hour()) * 60 + i64::from(t.minute())
}

fn at(date: Date, t: Time) -> DateTime {
    date.to_datetime(t)
}

fn next_date(date: Date) -> Date {
    date.tomorrow()
        .expect("due dates stay far from the end of the calendar")
}

/// Counts dates and office time with a calendar and office hours.
pub struct Clock<'a> {
    pub calendar: &'a WorkingCalendar,
    pub hours: &'a OfficeHours,
}

impl Clock<'_> {
    /// The first instant at or after `t` that is inside office hours on a working day.
    pub fn open_at_or_after(&self, t: DateTime) -> DateTime {
        let mut date = t.date();
        let mut earliest = t;
        loop {
            if self.calendar.is_working_day(date) {
                for (start, end) in &self.hours.sessions {
                    if earliest < at(date, *end) {
                        return earliest.max(at(date, *start));
                    }
                }
            }
            date = next_date(date);
            earliest = at(date, Time::midnight());
        }
    }

    /// The instant `budget` minutes of office time after `t`.
    pub fn add_office_minutes(&self, t: DateTime, mut budget: i64) -> DateTime {
        if budget <= 0 {
            return t;
        }
        let mut cur = self.open_at_or_after(t);
        loop {
            let end = self.session_end(cur);
            let span = end.duration_since(cur).as_secs() / 60;
            if budget <= span {
                return cur + jiff::Span::new().minutes(budget);
            }
            budget -= span;
            cur = self.open_at_or_after(end);
        }
    }

    /// The end of the session `t` (an instant inside office hours) is in.
    fn session_end(&self, t: DateTime) -> DateTime {
        self.hours
            .sessions
            .iter()
            .map(|(_, end)| at(t.date(), *end))
            .find(|end| t < *end)
            .expect("t is inside a session")
    }

    /// Minutes of office time between `from` and `until`.
    pub fn office_minutes_between(&self, from: DateTime, until: DateTime) -> i64 {
        let mut total = 0;
        let mut date = from.date();
        while date <= until.date() {
            if self.calendar.is_working_day(date) {
                for (start, end) in &self.hours.sessions {
                    let s = at(date, *start).max(from);
                    let e = at(date, *end).min(until);
                    if e > s {
                        total += e.duration_since(s).as_secs() / 60;
                    }
                }
            }
            date = next_date(date);
        }
        total
    }

    /// The close of the first working day on or after `date`.
    fn close_of_working_day(&self, date: Date) -> DateTime {
        at(self.calendar.next_working_day(date), self.hours.closing())
    }
}

/// When a dossier received at `received` (Vietnamese civil time) is due; `None` if its
/// procedure sets no time limit.
pub fn due_at(
    calendar: &WorkingCalendar,
    hours: &OfficeHours,
    rule: &DueRule,
    received: DateTime,
    pauses: &[Pause],
) -> Option<DateTime> {
    let clock = Clock { calendar, hours };
    let mut start = received;
    if let Some(cut) = rule.next_day_after
        && calendar.is_working_day(received.date())
        && received.time() >= cut
    {
        start = at(next_date(received.date()), Time::midnight());
    }
    let office_start = clock.open_at_or_after(start);
    let mut due = match rule.limit {
        TimeLimit::None => return None,
        TimeLimit::SameDay => at(office_start.date(), hours.closing()),
        TimeLimit::WorkingDays { days } => {
            clock.add_office_minutes(office_start, i64::from(days) * hours.day_minutes())
        }
        TimeLimit::WorkingHours { hours: h } => {
            clock.add_office_minutes(office_start, i64::from(h) * 60)
        }
        TimeLimit::CalendarDays { days } => {
            let last = start
                .date()
                .checked_add(jiff::Span::new().days(i64::from(days)))
                .ok()?;
            clock.close_of_working_day(last)
        }
    };
    let mut pauses = pauses.to_vec();
    pauses.sort_by_key(|p| p.from);
    for pause in &pauses {
        if pause.from >= due || pause.until <= pause.from {
            continue;
        }
        due = match rule.limit {
            TimeLimit::CalendarDays { .. } => {
                let days = (pause.until.date() - pause.from.date()).get_days();
                let last = due
                    .date()
                    .checked_add(jiff::Span::new().days(i64::from(days)))
                    .ok()?;
                clock.close_of_working_day(last)
            }
            _ => {
                clock.add_office_minutes(due, clock.office_minutes_between(pause.from, pause.until))
            }
        };
    }
    Some(due)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::tests::labour_code;

    fn dt(s: &str) -> DateTime {
        s.parse().unwrap()
    }

    fn due(
        limit: TimeLimit,
        fifteen: bool,
        received: &str,
        pauses: &[(&str, &str)],
    ) -> Option<String> {
        let calendar = WorkingCalendar::new(labour_code());
        let rule = DueRule {
            limit,
            next_day_after: fifteen.then_some(Time::constant(15, 0, 0, 0)),
        };
        let pauses: Vec<Pause> = pauses
            .iter()
            .map(|(f, u)| Pause {
                from: dt(f),
                until: dt(u),
            })
            .collect();
        due_at(
            &calendar,
            &OfficeHours::default(),
            &rule,
            dt(received),
            &pauses,
        )
        .map(|d| d.strftime("%Y-%m-%dT%H:%M").to_string())
    }

    const SAME: TimeLimit = TimeLimit::SameDay;
    const fn wd(days: u16) -> TimeLimit {
        TimeLimit::WorkingDays { days }
    }

    #[test]
    fn due_dates_follow_every_rule() {
        /// (case, limit, 15:00 rule, received, supplementation pauses, expected due date)
        type Case<'a> = (
            &'a str,
            TimeLimit,
            bool,
            &'a str,
            &'a [(&'a str, &'a str)],
            Option<&'a str>,
        );
        #[rustfmt::skip]
        let cases: &[Case] = &[
            ("same day, morning", SAME, true, "2026-03-05T09:00", &[], Some("2026-03-05T17:00")),
            ("same day, 14:59 is before the cut", SAME, true, "2026-03-05T14:59", &[], Some("2026-03-05T17:00")),
            ("same day, 15:00 goes to the next working day", SAME, true, "2026-03-05T15:00", &[], Some("2026-03-06T17:00")),
            ("same day, Friday 16:10 goes to Monday", SAME, true, "2026-03-06T16:10", &[], Some("2026-03-09T17:00")),
            ("same day without the 15:00 rule", SAME, false, "2026-03-05T16:10", &[], Some("2026-03-05T17:00")),
            ("same day, received on Saturday", SAME, true, "2026-03-07T09:00", &[], Some("2026-03-09T17:00")),
            ("same day, 13/2/2026 16:10 skips Tết to 23/2", SAME, true, "2026-02-13T16:10", &[], Some("2026-02-23T17:00")),
            ("2 working days from Monday 09:00", wd(2), false, "2026-03-02T09:00", &[], Some("2026-03-04T09:00")),
            ("lunch does not count", wd(1), false, "2026-03-02T11:00", &[], Some("2026-03-03T11:00")),
            ("received at lunch counts from 13:30", wd(1), false, "2026-03-02T12:15", &[], Some("2026-03-03T11:30")),
            ("received after closing counts from the next opening", wd(1), false, "2026-03-02T18:00", &[], Some("2026-03-03T17:00")),
            ("3 working days over a weekend", wd(3), false, "2026-03-05T10:00", &[], Some("2026-03-10T10:00")),
            ("Saturday 22/8/2026 is worked", wd(1), false, "2026-08-21T10:00", &[], Some("2026-08-22T10:00")),
            ("31/8-2/9/2026 are skipped", wd(2), false, "2026-08-28T08:00", &[], Some("2026-09-04T08:00")),
            ("8 working hours", TimeLimit::WorkingHours { hours: 8 }, false, "2026-03-02T15:00", &[], Some("2026-03-03T15:00")),
            ("calendar days ending on a working day", TimeLimit::CalendarDays { days: 10 }, false, "2026-03-02T09:00", &[], Some("2026-03-12T17:00")),
            ("calendar days ending on Sunday move to Monday", TimeLimit::CalendarDays { days: 6 }, false, "2026-03-02T09:00", &[], Some("2026-03-09T17:00")),
            ("calendar days ending in Tết move past it", TimeLimit::CalendarDays { days: 5 }, false, "2026-02-12T09:00", &[], Some("2026-02-23T17:00")),
            ("supplementation pauses the clock for its office time", wd(2), false, "2026-03-02T09:00",
                &[("2026-03-02T10:00", "2026-03-03T10:00")], Some("2026-03-05T09:00")),
            ("a pause after the due date changes nothing", wd(1), false, "2026-03-02T09:00",
                &[("2026-03-05T10:00", "2026-03-06T10:00")], Some("2026-03-03T09:00")),
            ("a pause over a weekend adds only office time", wd(1), false, "2026-03-06T09:00",
                &[("2026-03-06T16:00", "2026-03-09T08:00")], Some("2026-03-09T11:00")),
            ("a calendar-day pause adds its days", TimeLimit::CalendarDays { days: 10 }, false, "2026-03-02T09:00",
                &[("2026-03-03T09:00", "2026-03-05T09:00")], Some("2026-03-16T17:00")),
            ("no time limit, no due date", TimeLimit::None, false, "2026-03-02T09:00", &[], None),
        ];
        for (name, limit, fifteen, received, pauses, expected) in cases {
            assert_eq!(
                due(*limit, *fifteen, received, pauses).as_deref(),
                *expected,
                "{name}"
            );
        }
    }

    #[test]
    fn office_hours_are_read_as_officers_write_them_and_nonsense_is_refused() {
        let hours = OfficeHours::parse("07:00-11:30, 13:30-17:00").unwrap();
        assert_eq!(hours, OfficeHours::default());
        assert_eq!(hours.describe(), "07:00-11:30, 13:30-17:00");
        assert_eq!(OfficeHours::parse("7:30-17:00").unwrap().day_minutes(), 570);
        for bad in [
            "",
            "07:00",
            "11:30-07:00",
            "07:00-12:00, 11:00-17:00",
            "25:00-26:00",
            "a-b",
        ] {
            assert_eq!(OfficeHours::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn office_time_between_two_instants_skips_lunch_nights_and_days_off() {
        let calendar = WorkingCalendar::new(labour_code());
        let hours = OfficeHours::default();
        let clock = Clock {
            calendar: &calendar,
            hours: &hours,
        };
        assert_eq!(
            clock.office_minutes_between(dt("2026-03-02T07:00"), dt("2026-03-02T17:00")),
            480
        );
        assert_eq!(
            clock.office_minutes_between(dt("2026-03-06T16:00"), dt("2026-03-09T08:00")),
            120
        );
        assert_eq!(
            clock.office_minutes_between(dt("2026-02-13T17:00"), dt("2026-02-23T07:00")),
            0,
            "Tết 2026"
        );
        assert_eq!(hours.day_minutes(), 480, "a working day is 8 hours");
    }
}
