//! How well a page was read: the character error rate against the text known to be on it.

use unicode_normalization::UnicodeNormalization;

/// Character error rate of `recognised` against `truth`: the Levenshtein distance between
/// them, counted in Unicode scalar values of their NFC forms after each run of whitespace
/// became one space and both ends were trimmed, divided by the length of the normalised truth.
///
/// Line breaks are not errors (a layout difference is not a reading mistake). 0 is perfect;
/// the rate can exceed 1 when the recognised text is much longer than the truth. An empty
/// truth gives 0 against an empty text and 1 against anything else.
pub fn character_error_rate(truth: &str, recognised: &str) -> f64 {
    let truth = normalised_chars(truth);
    let recognised = normalised_chars(recognised);
    if truth.is_empty() {
        return if recognised.is_empty() { 0.0 } else { 1.0 };
    }
    levenshtein(&truth, &recognised) as f64 / truth.len() as f64
}

fn normalised_chars(text: &str) -> Vec<char> {
    let composed: String = text.nfc().collect();
    composed
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .collect()
}

/// Edit distance with unit costs, in two rows of memory.
fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_rate_counts_edits_over_normalised_text() {
        assert_eq!(character_error_rate("Hồ sơ", "Hồ  sơ"), 0.0);
        assert_eq!(character_error_rate("Hồ sơ", "Hồ\nsơ"), 0.0);
        assert!((character_error_rate("Hồ sơ", "Ho sơ") - 0.2).abs() < 1e-9);
        // Decomposed input is the same text.
        assert_eq!(character_error_rate("Việt", "Vie\u{323}\u{302}t"), 0.0);
        assert_eq!(character_error_rate("", ""), 0.0);
        assert_eq!(character_error_rate("", "x"), 1.0);
        assert_eq!(character_error_rate("abc", ""), 1.0);
    }
}
