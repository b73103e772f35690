//! The lunar calendar against an independent implementation: the first day of every lunar
//! month from 1901 to 2050, as the PyPI package `lunar-vn` computes it for UTC+7.

use hoso_model::calendar::lunar::{LunarDate, from_lunar, to_lunar};
use jiff::civil::Date;

#[test]
fn every_lunar_month_from_1901_to_2050_starts_on_the_same_day_as_in_an_independent_implementation()
{
    let fixture = include_str!("fixtures/lunar_month_starts.txt");
    let mut checked = 0;
    let mut mismatches = Vec::new();
    for line in fixture.lines().filter(|l| !l.starts_with('#')) {
        let parts: Vec<&str> = line.split_whitespace().collect();
        let date: Date = parts[0].parse().unwrap();
        let expected = LunarDate {
            year: parts[1].parse().unwrap(),
            month: parts[2].parse().unwrap(),
            day: 1,
            leap: parts[3] == "1",
        };
        if to_lunar(date) != expected || from_lunar(expected) != Some(date) {
            mismatches.push(format!(
                "{date}: expected {expected:?}, got {:?}",
                to_lunar(date)
            ));
        }
        checked += 1;
    }
    assert!(
        checked > 1800,
        "the fixture covers a century and a half of months"
    );
    assert!(
        mismatches.is_empty(),
        "{} months differ:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
