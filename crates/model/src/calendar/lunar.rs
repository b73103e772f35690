//! Âm lịch: the Vietnamese lunisolar calendar, computed astronomically for UTC+7.
//!
//! A lunar month starts on the local day of a new moon; month 11 is the one that contains the
//! winter solstice; in a year with 13 months the leap month is the first one in which the sun
//! enters no new 30° sector of longitude (no "major solar term"). Vietnam reckons days at UTC+7,
//! which is why Tết sometimes falls a day before the Chinese New Year (2007, 2030).
//!
//! New moons follow Meeus, *Astronomical Algorithms*, ch. 49 (main periodic terms); the sun's
//! longitude ch. 25 (low precision). Both are far more precise than the one-day resolution needed.

use jiff::civil::Date;

/// Hours east of UTC used to reckon lunar days.
const TIME_ZONE_HOURS: f64 = 7.0;
/// The mean length of a synodic month, in days.
const SYNODIC_MONTH: f64 = 29.530_588_861;

/// A date of the lunar calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LunarDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    /// Whether the month is the year's leap month (tháng nhuận), which repeats the number of the
    /// month before it.
    pub leap: bool,
}

/// Julian day number of a civil (proleptic Gregorian) date.
fn day_number(date: Date) -> i64 {
    // 1970-01-01 is Julian day 2 440 588.
    let epoch = Date::constant(1970, 1, 1);
    2_440_588 + i64::from((date - epoch).get_days())
}

fn date_of(day_number: i64) -> Option<Date> {
    let epoch = Date::constant(1970, 1, 1);
    epoch
        .checked_add(jiff::Span::new().days(day_number - 2_440_588))
        .ok()
}

/// The instant (Julian ephemeris day, UT) of the `k`-th new moon after 2000-01-06.
fn new_moon(k: f64) -> f64 {
    let t = k / 1236.85;
    let (t2, t3, t4) = (t * t, t * t * t, t * t * t * t);
    let jde = 2_451_550.097_66 + SYNODIC_MONTH * k + 0.000_154_37 * t2 - 0.000_000_150 * t3
        + 0.000_000_000_73 * t4;
    let e = 1.0 - 0.002_516 * t - 0.000_007_4 * t2;
    let m = (2.5534 + 29.105_356_70 * k - 0.000_001_4 * t2 - 0.000_000_11 * t3).to_radians();
    let mp = (201.5643 + 385.816_935_28 * k + 0.010_758_2 * t2 + 0.000_012_38 * t3
        - 0.000_000_058 * t4)
        .to_radians();
    let f = (160.7108 + 390.670_502_84 * k - 0.001_611_8 * t2 - 0.000_002_27 * t3
        + 0.000_000_011 * t4)
        .to_radians();
    let omega = (124.7746 - 1.563_755_88 * k + 0.002_067_2 * t2 + 0.000_002_15 * t3).to_radians();
    let correction = -0.40720 * mp.sin()
        + 0.17241 * e * m.sin()
        + 0.01608 * (2.0 * mp).sin()
        + 0.01039 * (2.0 * f).sin()
        + 0.00739 * e * (mp - m).sin()
        - 0.00514 * e * (mp + m).sin()
        + 0.00208 * e * e * (2.0 * m).sin()
        - 0.00111 * (mp - 2.0 * f).sin()
        - 0.00057 * (mp + 2.0 * f).sin()
        + 0.00056 * e * (2.0 * mp + m).sin()
        - 0.00042 * (3.0 * mp).sin()
        + 0.00042 * e * (m + 2.0 * f).sin()
        + 0.00038 * e * (m - 2.0 * f).sin()
        - 0.00024 * e * (2.0 * mp - m).sin()
        - 0.00017 * omega.sin();
    jde + correction - delta_t_days(2000.0 + k / 12.3685)
}

/// ΔT = TT − UT in days (Espenak & Meeus polynomial for 2005–2050, a smooth fit elsewhere).
fn delta_t_days(year: f64) -> f64 {
    let seconds = if (2005.0..2050.0).contains(&year) {
        let t = year - 2000.0;
        62.92 + 0.32217 * t + 0.005589 * t * t
    } else {
        let u = (year - 1820.0) / 100.0;
        -20.0 + 32.0 * u * u
    };
    seconds / 86_400.0
}

/// The local (UTC+7) Julian day number on which the `k`-th new moon falls.
fn new_moon_day(k: i64) -> i64 {
    (new_moon(k as f64) + 0.5 + TIME_ZONE_HOURS / 24.0).floor() as i64
}

/// Which 30° sector (0–11) the sun's apparent longitude is in at the start of local day `jdn`.
fn sun_sector(jdn: i64) -> i64 {
    let jd = jdn as f64 - 0.5 - TIME_ZONE_HOURS / 24.0;
    let t = (jd - 2_451_545.0) / 36_525.0;
    let m = (357.529_11 + 35_999.050_29 * t - 0.000_153_7 * t * t).to_radians();
    let l0 = 280.466_46 + 36_000.769_83 * t + 0.000_303_2 * t * t;
    let c = (1.914_602 - 0.004_817 * t - 0.000_014 * t * t) * m.sin()
        + (0.019_993 - 0.000_101 * t) * (2.0 * m).sin()
        + 0.000_289 * (3.0 * m).sin();
    let omega = (125.04 - 1934.136 * t).to_radians();
    let apparent = l0 + c - 0.005_69 - 0.004_78 * omega.sin();
    (apparent.rem_euclid(360.0) / 30.0).floor() as i64
}

/// The index `k` of the new moon that starts the month containing local day `jdn`.
fn month_index(jdn: i64) -> i64 {
    let mut k = ((jdn as f64 - 2_451_550.1) / SYNODIC_MONTH).floor() as i64;
    while new_moon_day(k + 1) <= jdn {
        k += 1;
    }
    while new_moon_day(k) > jdn {
        k -= 1;
    }
    k
}

/// The index of the new moon that starts month 11 of the lunar year that ends in `year`
/// (the month containing the winter solstice of `year`).
fn month_11(year: i32) -> i64 {
    let dec31 = day_number(Date::new(year as i16, 12, 31).expect("a valid year"));
    let k = month_index(dec31);
    // Sectors 9, 10, 11 (270°–360°): the solstice (270°) is already past on the month's first
    // day only if the month started after it; then month 11 is the one before.
    if sun_sector(new_moon_day(k)) >= 9 {
        k - 1
    } else {
        k
    }
}

/// For the lunar year between the months 11 at `a11` and `b11` (13 months apart), the 1-based
/// offset after month 11 of the leap month.
fn leap_offset(a11: i64) -> i64 {
    let mut i = 1;
    let mut last = sun_sector(new_moon_day(a11 + 1));
    loop {
        let next = sun_sector(new_moon_day(a11 + i + 1));
        if next == last || i >= 14 {
            return i;
        }
        last = next;
        i += 1;
    }
}

/// Converts a civil date to the Vietnamese lunar calendar.
pub fn to_lunar(date: Date) -> LunarDate {
    let jdn = day_number(date);
    let k = month_index(jdn);
    let month_start = new_moon_day(k);
    let day = (jdn - month_start + 1) as u8;
    let year = i32::from(date.year());
    let (a11, b11, lunar_year) = if k >= month_11(year) {
        (month_11(year), month_11(year + 1), year + 1)
    } else {
        (month_11(year - 1), month_11(year), year)
    };
    let diff = k - a11;
    let mut month = diff + 11;
    let mut leap = false;
    if b11 - a11 > 12 {
        let leap_at = leap_offset(a11);
        if diff >= leap_at {
            month = diff + 10;
            leap = diff == leap_at;
        }
    }
    if month > 12 {
        month -= 12;
    }
    let year = if month >= 11 && diff < 4 {
        lunar_year - 1
    } else {
        lunar_year
    };
    LunarDate {
        year,
        month: month as u8,
        day,
        leap,
    }
}

/// Converts a lunar date to the civil calendar; `None` if no such lunar date exists (a leap
/// month in a year without one, day 30 of a 29-day month, a month out of range).
pub fn from_lunar(lunar: LunarDate) -> Option<Date> {
    if !(1..=12).contains(&lunar.month) || !(1..=30).contains(&lunar.day) {
        return None;
    }
    let (a11, b11) = if lunar.month < 11 {
        (month_11(lunar.year - 1), month_11(lunar.year))
    } else {
        (month_11(lunar.year), month_11(lunar.year + 1))
    };
    let mut offset = i64::from(lunar.month) - 11;
    if offset < 0 {
        offset += 12;
    }
    if b11 - a11 > 12 {
        let leap_at = leap_offset(a11);
        let leap_month = (leap_at + 10).rem_euclid(12);
        let leap_month = if leap_month == 0 { 12 } else { leap_month };
        if lunar.leap && i64::from(lunar.month) != leap_month {
            return None;
        }
        if lunar.leap || offset >= leap_at {
            offset += 1;
        }
    } else if lunar.leap {
        return None;
    }
    let start = new_moon_day(a11 + offset);
    let jdn = start + i64::from(lunar.day) - 1;
    if jdn >= new_moon_day(a11 + offset + 1) {
        return None;
    }
    date_of(jdn)
}

/// Tết Nguyên Đán: the first day of the lunar year `year`.
pub fn tet(year: i32) -> Date {
    from_lunar(LunarDate {
        year,
        month: 1,
        day: 1,
        leap: false,
    })
    .expect("every lunar year has a first day")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i16, m: i8, day: i8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    /// (year, Tết as (month, day), Hùng Kings' day as (month, day)).
    type Known = (i16, (i8, i8), (i8, i8));

    /// Tết and the Hùng Kings' day (10/3) as announced in Vietnam, 2000–2040.
    const KNOWN: &[Known] = &[
        (2000, (2, 5), (4, 14)),
        (2001, (1, 24), (4, 3)),
        (2002, (2, 12), (4, 22)),
        (2003, (2, 1), (4, 11)),
        (2004, (1, 22), (4, 28)),
        (2005, (2, 9), (4, 18)),
        (2006, (1, 29), (4, 7)),
        (2007, (2, 17), (4, 26)),
        (2008, (2, 7), (4, 15)),
        (2009, (1, 26), (4, 4)),
        (2010, (2, 14), (4, 23)),
        (2011, (2, 3), (4, 12)),
        (2012, (1, 23), (3, 31)),
        (2013, (2, 10), (4, 19)),
        (2014, (1, 31), (4, 9)),
        (2015, (2, 19), (4, 28)),
        (2016, (2, 8), (4, 16)),
        (2017, (1, 28), (4, 6)),
        (2018, (2, 16), (4, 25)),
        (2019, (2, 5), (4, 14)),
        (2020, (1, 25), (4, 2)),
        (2021, (2, 12), (4, 21)),
        (2022, (2, 1), (4, 10)),
        (2023, (1, 22), (4, 29)),
        (2024, (2, 10), (4, 18)),
        (2025, (1, 29), (4, 7)),
        (2026, (2, 17), (4, 26)),
        (2027, (2, 6), (4, 16)),
        (2028, (1, 26), (4, 4)),
        (2029, (2, 13), (4, 23)),
        (2030, (2, 2), (4, 12)),
        (2031, (1, 23), (4, 1)),
        (2032, (2, 11), (4, 19)),
        (2033, (1, 31), (4, 9)),
        (2034, (2, 19), (4, 28)),
        (2035, (2, 8), (4, 17)),
        (2036, (1, 28), (4, 6)),
        (2037, (2, 15), (4, 24)),
        (2038, (2, 4), (4, 13)),
        (2039, (1, 24), (4, 3)),
        (2040, (2, 12), (4, 20)),
    ];

    #[test]
    fn tet_and_the_hung_kings_day_fall_on_the_announced_dates() {
        for &(year, (tm, td), (hm, hd)) in KNOWN {
            assert_eq!(tet(i32::from(year)), d(year, tm, td), "Tết {year}");
            let hung = from_lunar(LunarDate {
                year: i32::from(year),
                month: 3,
                day: 10,
                leap: false,
            });
            assert_eq!(hung, Some(d(year, hm, hd)), "Giỗ Tổ Hùng Vương {year}");
        }
    }

    #[test]
    fn vietnam_reckons_at_utc_plus_seven_so_tet_2007_and_2030_come_a_day_before_china() {
        assert_eq!(tet(2007), d(2007, 2, 17));
        assert_eq!(tet(2030), d(2030, 2, 2));
    }

    #[test]
    fn leap_months_are_found_and_numbered_after_the_month_they_repeat() {
        // 2023 had a leap second month (22 March – 19 April 2023); 2025 a leap sixth month.
        assert_eq!(
            to_lunar(d(2023, 3, 22)),
            LunarDate {
                year: 2023,
                month: 2,
                day: 1,
                leap: true
            }
        );
        assert_eq!(
            to_lunar(d(2023, 3, 21)),
            LunarDate {
                year: 2023,
                month: 2,
                day: 30,
                leap: false
            }
        );
        assert_eq!(
            to_lunar(d(2025, 7, 25)),
            LunarDate {
                year: 2025,
                month: 6,
                day: 1,
                leap: true
            }
        );
        assert_eq!(
            from_lunar(LunarDate {
                year: 2024,
                month: 2,
                day: 1,
                leap: true
            }),
            None,
            "2024 has no leap month"
        );
        assert_eq!(
            from_lunar(LunarDate {
                year: 2023,
                month: 5,
                day: 1,
                leap: true
            }),
            None,
            "2023's leap month is the 2nd"
        );
    }

    #[test]
    fn every_day_from_1990_to_2060_converts_there_and_back() {
        let mut date = d(1990, 1, 1);
        let end = d(2060, 12, 31);
        let mut previous = to_lunar(date);
        while date < end {
            date = date.tomorrow().unwrap();
            let lunar = to_lunar(date);
            assert_eq!(
                from_lunar(lunar),
                Some(date),
                "{date} → {lunar:?} must come back"
            );
            // Days run 1, 2, … and a month has 29 or 30 of them.
            if lunar.day == 1 {
                assert!(
                    previous.day == 29 || previous.day == 30,
                    "{date}: the month before had {} days",
                    previous.day
                );
            } else {
                assert_eq!(lunar.day, previous.day + 1, "{date}");
            }
            previous = lunar;
        }
    }
}
