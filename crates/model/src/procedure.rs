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
    /// Phí, lệ phí.
    #[serde(default)]
    pub fee: Fee,
    /// Thành phần hồ sơ: the documents the citizen brings, in the order of the form.
    #[serde(default)]
    pub components: Vec<Component>,
    /// Kết quả: the documents the procedure issues.
    #[serde(default)]
    pub results: Vec<String>,
}

/// Thành phần hồ sơ: one document a procedure asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Component {
    pub name: String,
    /// Bản chính: how many originals are expected.
    pub originals: u8,
    /// Bản sao: how many copies are expected.
    pub copies: u8,
    pub required: bool,
    /// Only shown to the officer (an ID card, say): nothing to keep or scan.
    #[serde(default)]
    pub show_only: bool,
    /// The original carries colour that matters (a red stamp, a signature in ink): a grey scan
    /// of it is flagged.
    #[serde(default)]
    pub colour: bool,
}

/// Phí, lệ phí: what the citizen pays.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fee {
    /// Not yet known for this province: the receipt leaves it for the officer to fill in.
    #[default]
    Unknown,
    Free,
    Fixed {
        amount: u32,
    },
    /// Per page of each copy: `first_price` for each of the first `first_pages` pages,
    /// `then_price` for each page after, at most `max_per_copy` a copy (certified copies,
    /// procedure 2.000815).
    PerPage {
        first_pages: u32,
        first_price: u32,
        then_price: u32,
        max_per_copy: u32,
    },
}

impl Fee {
    /// The fee for one copy of `pages` pages; `None` when unknown.
    pub fn for_pages(self, pages: u32) -> Option<u32> {
        match self {
            Fee::Unknown => None,
            Fee::Free => Some(0),
            Fee::Fixed { amount } => Some(amount),
            Fee::PerPage {
                first_pages,
                first_price,
                then_price,
                max_per_copy,
            } => {
                let first = pages.min(first_pages) * first_price;
                let rest = pages.saturating_sub(first_pages) * then_price;
                Some((first + rest).min(max_per_copy))
            }
        }
    }

    /// The fee as the receipt writes it, in Vietnamese.
    pub fn describe(self) -> String {
        match self {
            Fee::Unknown => "……………… đồng".to_owned(),
            Fee::Free => "Miễn phí".to_owned(),
            Fee::Fixed { amount } => format!("{} đồng", format_vnd(amount)),
            Fee::PerPage {
                first_pages,
                first_price,
                then_price,
                max_per_copy,
            } => format!(
                "{} đồng/trang với {first_pages} trang đầu, {} đồng/trang từ trang thứ {}, tối đa {} đồng/bản",
                format_vnd(first_price),
                format_vnd(then_price),
                first_pages + 1,
                format_vnd(max_per_copy)
            ),
        }
    }
}

/// An amount in đồng with dots between thousands: 200000 → "200.000".
pub fn format_vnd(amount: u32) -> String {
    let digits = amount.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
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
    fn certified_copies_cost_per_page_with_a_cheaper_rate_from_page_three_and_a_cap() {
        let fee = Fee::PerPage {
            first_pages: 2,
            first_price: 2000,
            then_price: 1000,
            max_per_copy: 200_000,
        };
        assert_eq!(fee.for_pages(1), Some(2000));
        assert_eq!(fee.for_pages(2), Some(4000));
        assert_eq!(fee.for_pages(3), Some(5000));
        assert_eq!(fee.for_pages(10), Some(12_000));
        assert_eq!(fee.for_pages(500), Some(200_000), "capped per copy");
        assert_eq!(Fee::Fixed { amount: 10_000 }.for_pages(7), Some(10_000));
        assert_eq!(Fee::Free.for_pages(3), Some(0));
        assert_eq!(Fee::Unknown.for_pages(3), None);
        assert_eq!(format_vnd(200_000), "200.000");
        assert_eq!(format_vnd(1_234_567), "1.234.567");
        assert_eq!(format_vnd(500), "500");
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
