//! Folding Vietnamese text for search: "Nguyễn Văn Đức" and "nguyen van duc" must match.
//! Marks are removed after canonical decomposition; đ/Đ is a letter of its own (not d with a
//! mark), so it is mapped to d explicitly.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lower case, without diacritics, đ as d, runs of white space as one space.
pub fn fold(text: &str) -> String {
    let folded: String = text
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            other => other,
        })
        .flat_map(char::to_lowercase)
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_names_fold_to_plain_lower_case_letters() {
        assert_eq!(fold("Nguyễn Văn Đức"), "nguyen van duc");
        assert_eq!(fold("  PHẠM   THỊ ÁNH  TUYẾT "), "pham thi anh tuyet");
        assert_eq!(fold("Đặng Hữu Ước"), "dang huu uoc");
        assert_eq!(
            fold("đ"),
            "d",
            "đ is a letter of its own, folded explicitly"
        );
    }

    #[test]
    fn precomposed_and_decomposed_input_fold_alike() {
        let decomposed = "Nguye\u{302}\u{303}n";
        assert_eq!(fold(decomposed), fold("Nguyễn"));
    }
}
