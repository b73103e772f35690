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
