//! Đơn vị: the receiving unit this desk belongs to, and the official dossier codes it issues.
//!
//! A dossier code is `UNITCODE-YYMMDD-XXXX` (Circular 01/2018, Art. 19): the unit's identifier,
//! the date received, and the day's sequence number (at least four digits). Several desks of one
//! unit issue codes offline at once, so each desk has a slot (0–9) that gives it disjoint
//! numbers: slot `s` issues `s001`–`s999`, then, on a very busy day, `(s+10)001`–`(s+10)999`,
//! and so on. Codes never collide and never need renumbering.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::calendar::due::OfficeHours;

/// The longest unit identifier the standard allows.
pub const MAX_UNIT_CODE_LEN: usize = 35;
/// The number of slots, hence of desks of one unit that can issue codes offline.
pub const SLOTS: u8 = 10;
/// Numbers one slot issues before it moves to its next block.
const BLOCK: u32 = 999;

/// The unit's identity and this desk's place in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// Mã định danh: e.g. `000.00.25.H25` (old style) or `H25.123` (new style).
    pub code: String,
    /// Tên đơn vị: e.g. "Trung tâm Phục vụ hành chính công xã Thạch Hà".
    pub name: String,
    /// Cơ quan chủ quản: the governing body printed above the unit on forms.
    #[serde(default)]
    pub governing_body: String,
    /// This desk's slot (0–9) among the unit's desks.
    pub device_slot: u8,
    #[serde(default)]
    pub office_hours: OfficeHours,
}

/// Why a unit's settings are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitError {
    Code,
    Name,
    Slot,
}

/// Whether `code` is a unit identifier: 1–35 digits, capital letters and dots, in dot-separated
/// groups (no empty group).
pub fn is_unit_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= MAX_UNIT_CODE_LEN
        && code.split('.').all(|group| {
            !group.is_empty()
                && group
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
        })
}

impl Unit {
    pub fn validate(&self) -> Result<(), UnitError> {
        if !is_unit_code(&self.code) {
            return Err(UnitError::Code);
        }
        if self.name.trim().is_empty() || self.name.chars().count() > 200 {
            return Err(UnitError::Name);
        }
        if self.device_slot >= SLOTS {
            return Err(UnitError::Slot);
        }
        Ok(())
    }
}

/// The sequence number of the `n`-th code (1-based) a desk in `slot` issues on one day.
pub fn sequence_number(slot: u8, n: u32) -> u32 {
    let n = n.max(1);
    let block = u32::from(slot) + u32::from(SLOTS) * ((n - 1) / BLOCK);
    block * 1000 + (n - 1) % BLOCK + 1
}

/// `UNITCODE-YYMMDD-XXXX`.
pub fn dossier_code(unit_code: &str, received: Date, sequence: u32) -> String {
    format!("{unit_code}-{}-{sequence:04}", received.strftime("%y%m%d"))
}

/// Whether `text` has the shape of a dossier code: a unit code, a six-digit date and a
/// sequence of four or more digits.
pub fn is_dossier_code(text: &str) -> bool {
    let mut parts = text.rsplitn(3, '-');
    let (Some(seq), Some(day), Some(unit)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    seq.len() >= 4
        && seq.bytes().all(|b| b.is_ascii_digit())
        && day.len() == 6
        && day.bytes().all(|b| b.is_ascii_digit())
        && is_unit_code(unit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn dossier_codes_are_recognised_by_shape() {
        assert!(is_dossier_code("H25.123-260302-0001"));
        assert!(is_dossier_code("000.00.25.H25-260302-1002"));
        assert!(!is_dossier_code("H25.123-2603-0001"));
        assert!(!is_dossier_code("h25-260302-0001"));
        assert!(!is_dossier_code("HOSO:TACH"));
    }

    #[test]
    fn unit_codes_of_both_styles_are_accepted_and_malformed_ones_refused() {
        for good in ["000.00.25.H25", "H25.123", "H25", "G22.12.3"] {
            assert!(is_unit_code(good), "{good}");
        }
        for bad in [
            "",
            "h25.123",
            "H25..1",
            ".H25",
            "H25.",
            "H25-123",
            "H 25",
            &"1".repeat(36),
        ] {
            assert!(!is_unit_code(bad), "{bad:?}");
        }
    }

    #[test]
    fn a_code_is_unit_date_and_a_four_digit_sequence() {
        let date = Date::constant(2026, 3, 5);
        assert_eq!(
            dossier_code("000.00.25.H25", date, 7),
            "000.00.25.H25-260305-0007"
        );
        assert_eq!(
            dossier_code("H25.123", date, 12001),
            "H25.123-260305-12001",
            "more digits when needed"
        );
    }

    #[test]
    fn each_slot_numbers_in_its_own_thousand() {
        assert_eq!(sequence_number(0, 1), 1);
        assert_eq!(sequence_number(0, 999), 999);
        assert_eq!(sequence_number(1, 1), 1001);
        assert_eq!(sequence_number(9, 999), 9999);
        assert_eq!(sequence_number(0, 1000), 10001, "slot 0's second block");
        assert_eq!(sequence_number(3, 1000), 13001);
    }

    #[test]
    fn slots_never_issue_the_same_number_however_busy_the_day() {
        let mut seen = HashSet::new();
        for slot in 0..SLOTS {
            for n in 1..=5_000 {
                assert!(
                    seen.insert(sequence_number(slot, n)),
                    "slot {slot}, code {n} collides"
                );
            }
        }
    }

    #[test]
    fn unit_settings_are_checked_field_by_field() {
        let unit = Unit {
            code: "H25.123".into(),
            name: "Trung tâm Phục vụ hành chính công xã Thạch Hà".into(),
            governing_body: "UBND xã Thạch Hà".into(),
            device_slot: 0,
            office_hours: OfficeHours::default(),
        };
        assert_eq!(unit.validate(), Ok(()));
        assert_eq!(
            Unit {
                code: "h25".into(),
                ..unit.clone()
            }
            .validate(),
            Err(UnitError::Code)
        );
        assert_eq!(
            Unit {
                name: " ".into(),
                ..unit.clone()
            }
            .validate(),
            Err(UnitError::Name)
        );
        assert_eq!(
            Unit {
                device_slot: 10,
                ..unit
            }
            .validate(),
            Err(UnitError::Slot)
        );
    }
}
