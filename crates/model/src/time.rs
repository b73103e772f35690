//! Time as the law counts it: Vietnam keeps UTC+7 all year (no daylight saving), so a fixed
//! offset is exact and needs no time-zone database (which wasm32 does not have).

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
/// civil time without one (`2026-02-13T16:10`, `2026-02-13 16:10`).
pub fn parse_instant(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    text.parse::<Timestamp>().ok().or_else(|| {
        text.replacen(' ', "T", 1)
            .parse::<jiff::civil::DateTime>()
            .ok()
            .and_then(from_local)
    })
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
        ] {
            assert_eq!(parse_instant(text), Some(expected), "{text:?}");
        }
        for bad in ["", "13/02/2026", "2026-02-30T10:00", "tomorrow"] {
            assert_eq!(parse_instant(bad), None, "{bad:?}");
        }
        assert_eq!(format_rfc3339_local(expected), "2026-02-13T16:10:00+07:00");
    }
}
