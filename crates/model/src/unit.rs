//! Đơn vị: the receiving unit this desk belongs to, and the official dossier codes it issues.
//!
//! A dossier code is `UNITCODE-YYMMDD-XXXX` (Circular 01/2018, Art. 19): the unit's identifier,
//! the date received, and the day's sequence number (at least four digits). Several desks of one
//! unit issue codes offline at once, so each desk has a slot (0–9) that gives it disjoint
//! numbers: slot `s` issues `s001`–`s999`, then, on a very busy day, `(s+10)001`–`(s+10)999`,
//! and so on. Codes never collide and never need renumbering.
//!
//! A desk restored from an older backup has an older count; the hub tells it the highest it
//! holds ([`code_position`] reads a code back into the count), and until it has, the desk
//! numbers from [`RESTORED_FROM`], a range its lost self cannot have reached
//! (`docs/protocol.md`, "Dossier codes after a restore").

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::calendar::due::OfficeHours;

/// The longest unit identifier the standard allows.
pub const MAX_UNIT_CODE_LEN: usize = 35;
/// The number of slots, hence of desks of one unit that can issue codes offline.
pub const SLOTS: u8 = 10;
/// Numbers one slot issues before it moves to its next block.
const BLOCK: u32 = 999;
/// The first count a restored desk issues on a day before the hub has told it what it holds:
/// the slot's ninth block (`s+80` thousand: `81001` for slot 1). Reaching it by normal
/// numbering takes 7,992 dossiers at one desk in one day.
pub const RESTORED_FROM: u32 = 8 * BLOCK + 1;
/// The highest count taken from the hub: more than any desk issues in a day, low enough that
/// its sequence number has at most seven digits.
pub const MAX_DAILY: u32 = 1000 * BLOCK;

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

/// Which of `slot`'s codes of a day carries `sequence`: the `n` with
/// `sequence_number(slot, n) == sequence`, or `None` when the number is not the slot's.
pub fn code_position(slot: u8, sequence: u32) -> Option<u32> {
    let (block, k) = (sequence / 1000, sequence % 1000);
    if k == 0 || block % u32::from(SLOTS) != u32::from(slot) {
        return None;
    }
    Some(block / u32::from(SLOTS) * BLOCK + k)
}

/// A code of the unit `unit_code`, split into its day (`YYMMDD`) and sequence number; `None`
/// for a code of another unit or of another shape.
pub fn split_code<'a>(unit_code: &str, code: &'a str) -> Option<(&'a str, u32)> {
    let rest = code.strip_prefix(unit_code)?.strip_prefix('-')?;
    let (day, seq) = rest.split_once('-')?;
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if day.len() != 6 || !digits(day) || seq.len() < 4 || !digits(seq) {
        return None;
    }
    Some((day, seq.parse().ok()?))
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
    fn every_sequence_number_of_every_slot_and_block_reads_back_as_its_count() {
        let far = [
            RESTORED_FROM - 1,
            RESTORED_FROM,
            RESTORED_FROM + 998,
            MAX_DAILY,
        ];
        for slot in 0..SLOTS {
            for n in (1..=12 * BLOCK).chain(far) {
                let sequence = sequence_number(slot, n);
                assert_eq!(code_position(slot, sequence), Some(n), "slot {slot}, n {n}");
                for other in (0..SLOTS).filter(|o| *o != slot) {
                    assert_eq!(
                        code_position(other, sequence),
                        None,
                        "{sequence} is {slot}'s"
                    );
                }
            }
        }
        for not_issued in [0, 1000, 10_000, 81_000] {
            for slot in 0..SLOTS {
                assert_eq!(code_position(slot, not_issued), None, "{not_issued}");
            }
        }
        assert_eq!(
            sequence_number(1, RESTORED_FROM),
            81_001,
            "slot 1's reserved range"
        );
        assert!(
            sequence_number(9, MAX_DAILY) < 10_000_000,
            "seven digits at most"
        );
    }

    #[test]
    fn a_code_splits_into_day_and_sequence_only_for_its_own_unit() {
        assert_eq!(
            split_code("H25.123", "H25.123-260305-1002"),
            Some(("260305", 1002))
        );
        assert_eq!(
            split_code("H25.123", "H25.123-260305-81001"),
            Some(("260305", 81001))
        );
        for other in [
            "H25.1234-260305-1002",
            "H25.12-260305-1002",
            "H25.123-2603-1002",
            "H25.123-260305-102",
            "H25.123-260305-10x2",
            "H25.123-260305-99999999999",
        ] {
            assert_eq!(split_code("H25.123", other), None, "{other}");
        }
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
