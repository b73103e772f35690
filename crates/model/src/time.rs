//! Time as the law counts it: Vietnam keeps UTC+7 all year (no daylight saving), so a fixed
//! offset is exact and needs no time-zone database (which wasm32 does not have).

use jiff::civil::Date;
use jiff::{Timestamp, tz};

/// The offset of Asia/Ho_Chi_Minh, in force since 1975.
pub const VIETNAM_OFFSET: tz::Offset = tz::Offset::constant(7);

/// Formats an instant as Vietnamese civil time, `dd/mm/yyyy HH:MM`, the way forms print it.
pub fn format_local(at: Timestamp) -> String {
    at.to_zoned(tz::TimeZone::fixed(VIETNAM_OFFSET))
        .strftime("%d/%m/%Y %H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_time_is_seven_hours_ahead_of_utc_and_formatted_day_first() {
        let at: Timestamp = "2026-02-13T09:10:00Z".parse().unwrap();
        assert_eq!(format_local(at), "13/02/2026 16:10");
    }

    #[test]
    fn local_date_rolls_over_at_utc_five_pm() {
        let at: Timestamp = "2026-12-31T17:30:00Z".parse().unwrap();
        assert_eq!(
            format_local(at),
            "01/01/2027 00:30",
            "17:30 UTC is already the next day in Vietnam"
        );
    }
}

/// The Vietnamese civil date and time of an instant.
pub fn to_local(at: Timestamp) -> jiff::civil::DateTime {
    at.to_zoned(tz::TimeZone::fixed(VIETNAM_OFFSET)).datetime()
}

/// The instant of a Vietnamese civil date and time.
pub fn from_local(local: jiff::civil::DateTime) -> Option<Timestamp> {
    local
        .to_zoned(tz::TimeZone::fixed(VIETNAM_OFFSET))
        .ok()
        .map(|z| z.timestamp())
}

/// RFC 3339 in Vietnamese civil time: `2026-02-23T17:00:00+07:00`.
pub fn format_rfc3339_local(at: Timestamp) -> String {
    at.to_zoned(tz::TimeZone::fixed(VIETNAM_OFFSET))
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// Reads an instant written with an offset (`2026-02-13T16:10:00+07:00`, `…Z`) or as Vietnamese
/// civil time without one (`2026-02-13T16:10`, `2026-02-13 16:10`, day first `13/02/2026 16:10`).
pub fn parse_instant(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    text.parse::<Timestamp>()
        .ok()
        .or_else(|| {
            text.replacen(' ', "T", 1)
                .parse::<jiff::civil::DateTime>()
                .ok()
                .and_then(from_local)
        })
        .or_else(|| {
            let (day, time) = text.split_once(' ')?;
            let time = time.trim().parse::<jiff::civil::Time>().ok()?;
            from_local(parse_day(day)?.to_datetime(time))
        })
}

/// Formats a day the way Vietnamese write it, day first: `13/02/2026`.
pub fn format_day(day: Date) -> String {
    day.strftime("%d/%m/%Y").to_string()
}

/// Reads a day as people type it, day first — `13/2/2026`, `13/02/2026`, `13-02-2026`,
/// `13.02.2026` — or as ISO `2026-02-13` (a four-digit year first). The year has four digits,
/// so `01/02/03` is refused rather than guessed.
pub fn parse_day(text: &str) -> Option<Date> {
    let text = text.trim();
    let separator = text.chars().find(|c| matches!(c, '/' | '-' | '.'))?;
    let parts: Vec<&str> = text.split(separator).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let number = |part: &str, most: usize| -> Option<i16> {
        let ok = !part.is_empty() && part.len() <= most && part.bytes().all(|b| b.is_ascii_digit());
        ok.then(|| part.parse().ok()).flatten()
    };
    let (year, month, day) = if a.len() == 4 {
        (number(a, 4)?, number(b, 2)?, number(c, 2)?)
    } else if c.len() == 4 {
        (number(c, 4)?, number(b, 2)?, number(a, 2)?)
    } else {
        return None;
    };
    let (month, day) = (i8::try_from(month).ok()?, i8::try_from(day).ok()?);
    Date::new(year, month, day).ok()
}

#[cfg(test)]
mod parse_tests {
    use super::*;

    #[test]
    fn instants_are_read_with_an_offset_or_as_vietnamese_civil_time() {
        let expected: Timestamp = "2026-02-13T09:10:00Z".parse().unwrap();
        for text in [
            "2026-02-13T16:10:00+07:00",
            "2026-02-13T09:10:00Z",
            "2026-02-13T16:10",
            " 2026-02-13 16:10 ",
            "13/02/2026 16:10",
        ] {
            assert_eq!(parse_instant(text), Some(expected), "{text:?}");
        }
        for bad in ["", "13/02/2026", "2026-02-30T10:00", "tomorrow"] {
            assert_eq!(parse_instant(bad), None, "{bad:?}");
        }
        assert_eq!(format_rfc3339_local(expected), "2026-02-13T16:10:00+07:00");
    }
}

#[cfg(test)]
mod day_tests {
    use super::*;

    #[test]
    fn days_are_read_day_first_with_any_usual_separator_or_as_iso() {
        let expected = jiff::civil::date(2026, 2, 3);
        for text in [
            "3/2/2026",
            "03/02/2026",
            " 03/02/2026 ",
            "03-02-2026",
            "03.02.2026",
            "3.2.2026",
            "2026-02-03",
        ] {
            assert_eq!(parse_day(text), Some(expected), "{text:?}");
        }
    }

    #[test]
    fn a_day_that_does_not_exist_or_is_ambiguous_is_refused() {
        for bad in [
            "",
            "30/02/2026",
            "13/13/2026",
            "02/03/26",
            "2026/02",
            "03/02/2026/1",
            "ba/02/2026",
            "+3/02/2026",
            "03 02 2026",
            "032/02/2026",
        ] {
            assert_eq!(parse_day(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_day_is_written_day_first_and_reads_back_the_same() {
        let day = jiff::civil::date(2026, 2, 3);
        assert_eq!(format_day(day), "03/02/2026");
        assert_eq!(parse_day(&format_day(day)), Some(day));
    }
}
