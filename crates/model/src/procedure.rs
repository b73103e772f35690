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

/// The procedures matching every word of `query` in their code, name or field, with or without
/// diacritics, in catalogue order. An empty query matches all.
pub fn search<'a>(catalogue: &'a [Procedure], query: &str) -> Vec<&'a Procedure> {
    let words: Vec<String> = crate::text::fold(query)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    catalogue
        .iter()
        .filter(|p| {
            let haystack = crate::text::fold(&format!("{} {} {}", p.code, p.name, p.field));
            words.iter().all(|w| haystack.contains(w.as_str()))
        })
        .collect()
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

    fn catalogue() -> Vec<Procedure> {
        [
            ("2.000815", "Chứng thực bản sao từ bản chính", "Chứng thực"),
            ("1.001193", "Đăng ký khai sinh", "Hộ tịch"),
            ("1.000656", "Đăng ký khai tử", "Hộ tịch"),
        ]
        .into_iter()
        .map(|(code, name, field)| Procedure {
            code: code.into(),
            name: name.into(),
            field: field.into(),
            ..Default::default()
        })
        .collect()
    }

    #[test]
    fn procedures_are_found_by_code_or_words_with_or_without_diacritics() {
        let catalogue = catalogue();
        let codes = |q: &str| {
            search(&catalogue, q)
                .into_iter()
                .map(|p| p.code.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(codes("khai sinh"), vec!["1.001193"]);
        assert_eq!(codes("Đăng ký"), vec!["1.001193", "1.000656"]);
        assert_eq!(codes("dang ky khai"), vec!["1.001193", "1.000656"]);
        assert_eq!(codes("815"), vec!["2.000815"]);
        assert_eq!(codes("ho tich"), vec!["1.001193", "1.000656"], "by field");
        assert_eq!(codes("").len(), 3);
        assert!(codes("kết hôn").is_empty());
    }

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
