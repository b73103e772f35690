//! Thủ tục hành chính (TTHC): an administrative procedure a citizen can file at the centre.
//!
//! The catalogue itself is data (`catalogue/` at the repository root), not code; this module only
//! holds its shape.

use serde::{Deserialize, Serialize};

use crate::calendar::due::DueRule;

/// Thủ tục hành chính: one procedure of the catalogue, identified by its national code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Procedure {
    /// Mã TTHC: the national code, `N.NNNNNN` (e.g. `2.000815`).
    pub code: String,
    /// The official Vietnamese name; it is a legal name and is shown as is in every language.
    pub name: String,
    /// Lĩnh vực: the field the procedure belongs to (e.g. `Chứng thực`, `Hộ tịch`).
    pub field: String,
    /// Thời hạn giải quyết: the legal time limit and how it is counted.
    #[serde(default)]
    pub due: DueRule,
}

/// Whether `code` has the shape of a national procedure code: one digit, a dot, six digits.
pub fn is_national_code(code: &str) -> bool {
    let bytes = code.as_bytes();
    bytes.len() == 8
        && bytes[0].is_ascii_digit()
        && bytes[1] == b'.'
        && bytes[2..].iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_codes_are_a_digit_a_dot_and_six_digits() {
        assert!(is_national_code("2.000815"));
        assert!(is_national_code("1.001193"));
        for bad in [
            "",
            "2000815",
            "2.00081",
            "2.0008150",
            "a.000815",
            "2,000815",
            "2.000815.000.00.00.H25",
        ] {
            assert!(!is_national_code(bad), "{bad:?} is not a national code");
        }
    }
}
