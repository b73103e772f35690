//! Corrections of Vietnamese text as Tesseract's `vie` model reads printed administrative pages:
//! each a named rule, so that a benchmark can tell what each is worth. Add a rule to
//! [`CORRECTIONS`] only with a measured gain.

use unicode_normalization::UnicodeNormalization;

/// Cheap fixes for what Tesseract's `vie` model gets wrong on printed administrative pages:
/// every rule in [`CORRECTIONS`], in order, on the NFC form of `text`. Whitespace is kept as
/// it is.
///
/// The rules mostly rest on Vietnamese spelling, which is strict enough to tell that some
/// letter sequences can never occur (no syllable ends in `oy` or `ôu`, `o` is never followed
/// by `ơ`…), so rewriting them cannot damage a correctly read word. Each rule was kept only
/// because it lowered the character error rate on generated pages (see `tests/ocr.rs` and
/// `examples/ocr_bench.rs`).
pub fn correct_vietnamese(text: &str) -> String {
    let composed: String = text.nfc().collect();
    CORRECTIONS
        .iter()
        .fold(composed, |text, correction| (correction.apply)(&text))
}

/// One correction rule of [`correct_vietnamese`], named so a benchmark can measure what each
/// contributes.
#[derive(Debug, Clone, Copy)]
pub struct Correction {
    pub name: &'static str,
    /// Rewrites NFC text; returns it unchanged where the rule does not apply.
    pub apply: fn(&str) -> String,
}

/// The rules [`correct_vietnamese`] applies, in order.
pub const CORRECTIONS: &[Correction] = &[
    Correction {
        name: "stray underscores",
        apply: strip_underscores,
    },
    Correction {
        name: "digits for lookalikes in numbers",
        apply: digits_for_lookalikes,
    },
    Correction {
        name: "space after colon",
        apply: space_after_colon,
    },
    Correction {
        name: "-ay/-ây for impossible -oy/-ôy/-ơy",
        apply: |text| map_syllables(text, ay_ending),
    },
    Correction {
        name: "-ao/-au/-âu for impossible -ơo/-ơu/-ôu",
        apply: |text| map_syllables(text, ao_au_ending),
    },
    Correction {
        name: "oa for impossible oơ/oò",
        apply: |text| map_syllables(text, oa_cluster),
    },
    Correction {
        name: "-anh/-ach for impossible -onh/-och",
        apply: |text| map_syllables(text, anh_ach_ending),
    },
    Correction {
        name: "qua- for impossible quo-/quơ-",
        apply: |text| map_syllables(text, qua_rhyme),
    },
    Correction {
        name: "-a for impossible final g",
        apply: |text| map_syllables(text, final_g),
    },
    Correction {
        name: "frequent non-words",
        apply: |text| map_syllables(text, known_non_word),
    },
    Correction {
        name: "hai, ba, khai before the words they go with",
        apply: words_in_context,
    },
];

/// The text as alternating runs of whitespace and of anything else, so rules can rewrite
/// words and put the text back together exactly.
fn split_runs(text: &str) -> Vec<&str> {
    let mut runs = Vec::new();
    let mut start = 0;
    let mut in_space = None;
    for (index, c) in text.char_indices() {
        let space = c.is_whitespace();
        if in_space.is_some_and(|previous| previous != space) {
            runs.push(&text[start..index]);
            start = index;
        }
        in_space = Some(space);
    }
    if start < text.len() {
        runs.push(&text[start..]);
    }
    runs
}

/// Applies `rule` to every whitespace-separated word; `None` from the rule keeps the word.
fn map_words(text: &str, rule: impl Fn(&str) -> Option<String>) -> String {
    split_runs(text)
        .into_iter()
        .map(|run| {
            if run.starts_with(char::is_whitespace) {
                run.to_owned()
            } else {
                rule(run).unwrap_or_else(|| run.to_owned())
            }
        })
        .collect()
}

/// `2003_` and `_Sinh`: Tesseract reads the bottom edge of a skewed line or a speck as an
/// underscore. Words made only of underscores (blank fill-in lines) are dropped too.
fn strip_underscores(text: &str) -> String {
    map_words(text, |word| {
        if !word.contains('_') {
            return None;
        }
        Some(word.trim_matches('_').to_owned())
    })
}

/// `O7/03/2025` → `07/03/2025`, `O†` → `01`: in a word made only of digits and their
/// lookalikes (and date punctuation), a letter O is a zero and `†`, `]` or `|` a one.
fn digits_for_lookalikes(text: &str) -> String {
    const ZERO: [char; 2] = ['O', 'o'];
    const ONE: [char; 3] = ['†', ']', '|'];
    map_words(text, |word| {
        let core = word.trim_end_matches([',', '.', ';', ':', ')']);
        let allowed = |c: char| c.is_ascii_digit() || ZERO.contains(&c) || ONE.contains(&c);
        // A real digit, or both kinds of lookalike: `||` (a table rule) and `Oo` stay.
        let digit_like =
            core.chars().any(|c| c.is_ascii_digit()) || core.contains(ZERO) && core.contains(ONE);
        let numeric = core.chars().count() >= 2
            && digit_like
            && core
                .chars()
                .all(|c| allowed(c) || matches!(c, '/' | '.' | '-'));
        if !numeric || !core.contains(ZERO) && !core.contains(ONE) {
            return None;
        }
        let fixed: String = core
            .chars()
            .map(|c| match c {
                c if ZERO.contains(&c) => '0',
                c if ONE.contains(&c) => '1',
                c => c,
            })
            .collect();
        Some(format!("{fixed}{}", &word[core.len()..]))
    })
}

/// `sinh:2003` → `sinh: 2003`: Vietnamese puts a space after a colon that follows a word.
/// A colon after a digit (`10:30`) or before punctuation (`https://`) is left alone.
fn space_after_colon(text: &str) -> String {
    map_words(text, |word| {
        let chars: Vec<char> = word.chars().collect();
        let needs = |i: usize| {
            chars[i] == ':'
                && i > 0
                && chars[i - 1].is_alphabetic()
                && chars.get(i + 1).is_some_and(|c| c.is_alphanumeric())
        };
        if !(0..chars.len()).any(needs) {
            return None;
        }
        let mut fixed = String::with_capacity(word.len() + 2);
        for (i, c) in chars.iter().enumerate() {
            fixed.push(*c);
            if needs(i) {
                fixed.push(' ');
            }
        }
        Some(fixed)
    })
}

/// A vowel letter's base and tone, for the vowels Tesseract confuses with one another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Base {
    A,
    ACircumflex,
    O,
    OCircumflex,
    OHorn,
}

/// Each base with its tones in the order: none, grave (huyền), acute (sắc), hook (hỏi),
/// tilde (ngã), dot below (nặng).
const VOWELS: [(Base, [char; 6]); 5] = [
    (Base::A, ['a', 'à', 'á', 'ả', 'ã', 'ạ']),
    (Base::ACircumflex, ['â', 'ầ', 'ấ', 'ẩ', 'ẫ', 'ậ']),
    (Base::O, ['o', 'ò', 'ó', 'ỏ', 'õ', 'ọ']),
    (Base::OCircumflex, ['ô', 'ồ', 'ố', 'ổ', 'ỗ', 'ộ']),
    (Base::OHorn, ['ơ', 'ờ', 'ớ', 'ở', 'ỡ', 'ợ']),
];

/// The base and tone of a lower-case vowel among [`VOWELS`].
fn vowel(c: char) -> Option<(Base, usize)> {
    VOWELS.iter().find_map(|(base, forms)| {
        forms
            .iter()
            .position(|form| *form == c)
            .map(|tone| (*base, tone))
    })
}

/// The same tone on another base.
fn rebase(c: char, base: Base) -> char {
    match (vowel(c), VOWELS.iter().find(|(b, _)| *b == base)) {
        (Some((_, tone)), Some((_, forms))) => forms[tone],
        _ => c,
    }
}

fn is_base(c: char, bases: &[Base]) -> bool {
    vowel(c).is_some_and(|(base, _)| bases.contains(&base))
}

/// Rewrites each run of letters (a syllable, in Vietnamese) of every word with `rule`, which
/// sees the syllable in lower case and edits it in place, letter for letter; the letters'
/// case is restored afterwards.
fn map_syllables(text: &str, rule: fn(&mut [char])) -> String {
    map_words(text, |word| {
        let chars: Vec<char> = word.chars().collect();
        let mut out = Vec::with_capacity(chars.len());
        let mut changed = false;
        for run in chars.chunk_by(|a, b| a.is_alphabetic() == b.is_alphabetic()) {
            if !run[0].is_alphabetic() {
                out.extend_from_slice(run);
                continue;
            }
            let mut lower: Vec<char> = run.iter().map(|c| single_lower(*c)).collect();
            rule(&mut lower);
            for (original, new) in run.iter().zip(lower) {
                let new = if original.is_uppercase() {
                    single_upper(new)
                } else {
                    new
                };
                changed |= new != *original;
                out.push(new);
            }
        }
        changed.then(|| out.into_iter().collect())
    })
}

/// Case mappings that keep one letter one letter (true of every Vietnamese letter).
fn single_lower(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

fn single_upper(c: char) -> char {
    let mut upper = c.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// `ngòy` → `ngày`, `đôy` → `đây`: no syllable ends in `oy`, `ôy` or `ơy`.
fn ay_ending(s: &mut [char]) {
    let n = s.len();
    if n < 2 || s[n - 1] != 'y' {
        return;
    }
    let c = s[n - 2];
    if is_base(c, &[Base::O, Base::OHorn]) {
        s[n - 2] = rebase(c, Base::A);
    } else if is_base(c, &[Base::OCircumflex]) {
        s[n - 2] = rebase(c, Base::ACircumflex);
    }
}

/// `sơo` → `sao`, `chôu` → `châu`: no syllable ends in `ơo`, `ơu` or `ôu`.
fn ao_au_ending(s: &mut [char]) {
    let n = s.len();
    if n < 2 || !matches!(s[n - 1], 'o' | 'u') {
        return;
    }
    let c = s[n - 2];
    if is_base(c, &[Base::OHorn]) {
        s[n - 2] = rebase(c, Base::A);
    } else if s[n - 1] == 'u' && is_base(c, &[Base::OCircumflex]) {
        s[n - 2] = rebase(c, Base::ACircumflex);
    }
}

/// `đoơn` → `đoan`, `toòn` → `toàn`: after `o` comes `a`, never `ơ` nor a toned `o`.
fn oa_cluster(s: &mut [char]) {
    for i in 1..s.len() {
        let toned_o = vowel(s[i]).is_some_and(|(base, tone)| base == Base::O && tone > 0);
        if s[i - 1] == 'o' && (is_base(s[i], &[Base::OHorn]) || toned_o) {
            s[i] = rebase(s[i], Base::A);
        }
    }
}

/// `Khónh` → `Khánh`: `nh` and `ch` never close a syllable after `o`, `ô` or `ơ`.
fn anh_ach_ending(s: &mut [char]) {
    let n = s.len();
    if n < 3 || s[n - 1] != 'h' || !matches!(s[n - 2], 'n' | 'c') {
        return;
    }
    let c = s[n - 3];
    let after_o = n >= 4 && s[n - 4] == 'o';
    if !after_o && is_base(c, &[Base::O, Base::OCircumflex, Base::OHorn]) {
        s[n - 3] = rebase(c, Base::A);
    }
}

/// `quơn` → `quan`, `Quơng` → `Quang`: after `qu`, `o` or `ơ` cannot be followed by `n`,
/// `ng` or `m`.
fn qua_rhyme(s: &mut [char]) {
    if s.len() < 4 || s[0] != 'q' || s[1] != 'u' || !is_base(s[2], &[Base::O, Base::OHorn]) {
        return;
    }
    if matches!(&s[3..], ['n'] | ['n', 'g'] | ['m']) {
        s[2] = rebase(s[2], Base::A);
    }
}

/// `củg` → `của`, `xóg` → `xóa`: a syllable ends in `g` only as `ng`, so a `g` straight
/// after a vowel is a misread `a`.
fn final_g(s: &mut [char]) {
    let n = s.len();
    if n >= 2 && s[n - 1] == 'g' && is_vietnamese_vowel(s[n - 2]) {
        s[n - 1] = 'a';
    }
}

/// A lower-case vowel letter with any diacritics: its decomposition starts with a plain vowel.
fn is_vietnamese_vowel(c: char) -> bool {
    std::iter::once(c)
        .nfd()
        .next()
        .is_some_and(|base| matches!(base, 'a' | 'e' | 'i' | 'o' | 'u' | 'y'))
}

/// Misreadings of the desk's everyday words that are not Vietnamese words themselves, so
/// replacing them cannot destroy a correct reading.
const NON_WORDS: &[(&str, &str)] = &[
    ("xõ", "xã"),
    ("xỗ", "xã"),
    ("nhôn", "nhân"),
    ("nhên", "nhân"),
    ("dôn", "dân"),
    ("thóng", "tháng"),
    ("phóp", "pháp"),
    ("phớp", "pháp"),
    ("phúp", "pháp"),
    ("luột", "luật"),
    ("thột", "thật"),
    ("xuốt", "xuất"),
    ("cếp", "cấp"),
    ("giếy", "giấy"),
    ("quỏng", "quảng"),
    ("quón", "quán"),
    ("bỏo", "bảo"),
    ("tợi", "tại"),
];

fn known_non_word(s: &mut [char]) {
    let word: String = s.iter().collect();
    let Some((_, fix)) = NON_WORDS.iter().find(|(wrong, _)| *wrong == word) else {
        return;
    };
    let fix: Vec<char> = fix.chars().collect();
    if fix.len() == s.len() {
        s.copy_from_slice(&fix);
    }
}

/// Words Tesseract makes of a desk word that are real words too (`hơi` for `hai`), so they
/// are only corrected before a word that only the right one goes with: (misreading, word,
/// the words that must follow).
const CONTEXT_WORDS: &[(&str, &str, &[&str])] = &[
    ("hơi", "hai", &["nghìn", "trăm", "mươi", "triệu"]),
    ("bơ", "ba", &["nghìn", "trăm", "mươi", "triệu"]),
    ("khơi", "khai", &["sinh", "tử"]),
    ("khoi", "khai", &["sinh", "tử"]),
];

/// `hơi mươi` → `hai mươi` (dates in words), `khơi sinh` → `khai sinh` (birth registration).
fn words_in_context(text: &str) -> String {
    let mut runs: Vec<String> = split_runs(text).into_iter().map(str::to_owned).collect();
    let words: Vec<usize> = (0..runs.len())
        .filter(|i| !runs[*i].starts_with(char::is_whitespace))
        .collect();
    for pair in words.windows(2) {
        let next = runs[pair[1]].to_lowercase();
        let next = next.trim_end_matches(|c: char| !c.is_alphabetic());
        let word = runs[pair[0]].to_lowercase();
        let fix = CONTEXT_WORDS
            .iter()
            .find(|(wrong, _, before)| *wrong == word && before.contains(&next));
        if let Some((_, right, _)) = fix {
            runs[pair[0]] = with_case_of(&runs[pair[0]], right);
        }
    }
    runs.concat()
}

/// `right` in the case pattern of `original`: all capitals, a capital first, or lower case.
fn with_case_of(original: &str, right: &str) -> String {
    let mut letters = original.chars().filter(|c| c.is_alphabetic());
    let first_upper = letters.next().is_some_and(char::is_uppercase);
    if first_upper && letters.clone().next().is_some() && letters.all(char::is_uppercase) {
        return right.to_uppercase();
    }
    let mut chars = right.chars();
    match chars.next() {
        Some(first) if first_upper => first.to_uppercase().chain(chars).collect(),
        _ => right.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corrections_leave_correct_vietnamese_alone() {
        let correct = "Thôn Đông Hòa, xã Quảng Điền, tỉnh Huế. Người được khai sinh: NGUYỄN \
            THỊ KHÁNH HUYỀN, quốc tịch Việt Nam, dân tộc Ê Đê. Khuya rồi, nồi xoong trên boong \
            tàu ngoài khơi, hơi nước, cốp xe, nhộn nhịp, thuở nhỏ, quơ tay, quờ quạng, chuyện \
            được hương quyết khuỷu ngoằn ngoèo loay hoay ngoáy khuấy xoáy oai khoảng Đoàn \
            thoáng hoàng hôn cau câu chơi mới hơn thơm lớp ớt tuổi suối người mười lươn ruộng \
            quốc uống Cao Bằng. Lúc 10:30, xem https://dichvucong.gov.vn, 5 kg, số 0912 345 678, \
            ngày 05/03/2026, mục 2.1 - 2.3, hai mươi mốt, ba nghìn, khai tử.\n\nHết.\n";
        assert_eq!(correct_vietnamese(correct), correct);
    }

    #[test]
    fn corrections_fix_impossible_spellings() {
        let cases = [
            ("Ngòy, thóng, năm", "Ngày, tháng, năm"),
            ("đôy là giốy", "đây là giấy"),
            ("sơo Chôu", "sao Châu"),
            ("đoơn toòn", "đoan toàn"),
            ("Khónh Thònh sóch", "Khánh Thành sách"),
            ("Quơng Quơn quon", "Quang Quan quan"),
            ("củg xóg KHOG", "của xóa KHOA"),
            ("nhôn dôn xõ", "nhân dân xã"),
            ("O7/03/2025, O†", "07/03/2025, 01"),
            ("sinh:2003_ tộc:Kinh", "sinh: 2003 tộc: Kinh"),
            (
                "hơi mươi, Khơi sinh, KHƠI SINH",
                "hai mươi, Khai sinh, KHAI SINH",
            ),
            ("a  b\n\nc", "a  b\n\nc"),
        ];
        for (read, meant) in cases {
            assert_eq!(correct_vietnamese(read), meant, "{read}");
        }
        // Decomposed marks come out composed.
        assert_eq!(correct_vietnamese("Vie\u{323}\u{302}t"), "Việt");
    }
}
