//! Text recognition of scanned pages with Tesseract, in Vietnamese.
//!
//! The desk needs two things from a page: its text (searchable, NFC like every string the
//! store keeps) and each word's box (to lay an invisible text layer over the image in the
//! archive PDF). [`OcrEngine`] gets both from one Tesseract instance; [`OcrPool`] runs one
//! engine per worker thread, because a Tesseract instance is single-threaded by design and
//! the only way to use both cores of a commune's PC is to recognise two pages at once.
//!
//! # OpenMP
//!
//! Debian builds libtesseract with OpenMP, which makes one recognition spread over up to four
//! threads. With one engine per core this oversubscribes the CPU and busy-waiting OpenMP
//! threads slow everything down. libgomp reads `OMP_THREAD_LIMIT` once, when the library is
//! loaded, before `main` runs; so the process must be *started* with `OMP_THREAD_LIMIT=1`
//! (the desk's launcher or service unit sets it). It cannot be set from here: changing the
//! environment of a running process is `unsafe` in Rust 2024, forbidden in this workspace, and
//! too late for libgomp anyway. [`openmp_thread_limit`] tells what the process was started
//! with, so the desk can log a hint when it is missing.
//!
//! Recognised text is personal data: nothing here logs it or puts it in an error.

use std::ffi::CString;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, TryRecvError};
use image::GrayImage;
use tesseract::PageSegMode;
use tesseract::plumbing::TessBaseApi;
use unicode_normalization::UnicodeNormalization;

use crate::error::{CaptureError, Result};

/// Where Linux distributions install Tesseract's language data, newest layout first. Used
/// only when neither the configuration nor `TESSDATA_PREFIX` names a directory, so that a
/// missing language can be reported by name before Tesseract is asked to load it.
const KNOWN_TESSDATA_DIRS: &[&str] = &[
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
];

/// Which languages to recognise and where their data lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OcrConfig {
    /// Tesseract language codes joined by `+`, the first being the main one: `"vie"`, or
    /// `"vie+eng"` for pages that mix in English.
    pub languages: String,
    /// The directory holding the `.traineddata` files. `None`: `TESSDATA_PREFIX` if set, else
    /// the distribution's usual place, else Tesseract's compiled-in default.
    pub tessdata: Option<PathBuf>,
}

impl Default for OcrConfig {
    fn default() -> Self {
        OcrConfig {
            languages: "vie".to_owned(),
            tessdata: None,
        }
    }
}

impl OcrConfig {
    /// The given languages, with the data directory found as described on [`Self::tessdata`].
    pub fn languages(languages: impl Into<String>) -> Self {
        OcrConfig {
            languages: languages.into(),
            tessdata: None,
        }
    }

    /// The data directory to use, if one can be named before Tesseract starts.
    fn resolved_tessdata(&self) -> Option<PathBuf> {
        if let Some(dir) = &self.tessdata {
            return Some(dir.clone());
        }
        if let Some(dir) = std::env::var_os("TESSDATA_PREFIX").filter(|dir| !dir.is_empty()) {
            return Some(PathBuf::from(dir));
        }
        KNOWN_TESSDATA_DIRS
            .iter()
            .map(PathBuf::from)
            .find(|dir| dir.is_dir())
    }
}

/// One recognised word and where it is on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct OcrWord {
    /// The word, NFC.
    pub text: String,
    /// Bounding box in pixels of the image that was recognised, origin top left.
    pub left: u32,
    pub top: u32,
    pub width: u32,
    pub height: u32,
    /// Tesseract's confidence, 0 to 100.
    pub confidence: f32,
    /// Index of the word's text line on the page, in reading order from 0, so a text layer
    /// can put words of one line together.
    pub line: u32,
}

/// What recognition found on a page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OcrPage {
    /// The page's text in reading order, NFC; lines end with `\n`, paragraphs are separated
    /// by an empty line. Empty for a page with no text.
    pub text: String,
    /// Every word with its box, in reading order.
    pub words: Vec<OcrWord>,
    /// Mean of the words' confidences, 0 to 100; 0 when there are no words.
    pub mean_confidence: f32,
    /// Clockwise degrees (0, 90, 180 or 270) the image was turned before its text was read,
    /// because it lay sideways or upside down ([`OcrEngine::recognise_upright`]); the words'
    /// boxes are on the turned image. 0 when it was read as given.
    pub turned: u16,
}

impl OcrPage {
    /// The page with [`correct_vietnamese`] applied to its text and to each word.
    pub fn corrected(mut self) -> Self {
        self.text = correct_vietnamese(&self.text);
        for word in &mut self.words {
            word.text = correct_vietnamese(&word.text);
        }
        self
    }
}

/// The `OMP_THREAD_LIMIT` this process was started with, if any (see the module docs).
pub fn openmp_thread_limit() -> Option<u32> {
    std::env::var("OMP_THREAD_LIMIT").ok()?.trim().parse().ok()
}

/// One Tesseract instance, loaded with its languages once and reused page after page
/// (loading `vie` takes a noticeable fraction of a second, recognising a page a few seconds).
///
/// An engine is `Send` but not shared: give each thread its own, as [`OcrPool`] does.
pub struct OcrEngine {
    api: TessBaseApi,
    /// Where `osd.traineddata` is, when it is installed: orientation detection needs it.
    osd: Option<PathBuf>,
}

impl std::fmt::Debug for OcrEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OcrEngine").finish_non_exhaustive()
    }
}

impl OcrEngine {
    /// Starts Tesseract with the configured languages.
    ///
    /// Fails with [`CaptureError::Ocr`] when a language code is malformed or its data is not
    /// installed; the message names the language and the directory looked in.
    pub fn new(config: &OcrConfig) -> Result<Self> {
        let languages = checked_languages(&config.languages)?;
        let tessdata = config.resolved_tessdata();
        if let Some(dir) = &tessdata {
            check_installed(dir, &languages)?;
        }
        let mut api = TessBaseApi::create();
        let datapath = tessdata.as_deref().map(path_to_cstring).transpose()?;
        let language = CString::new(config.languages.as_str())
            .map_err(|_| CaptureError::Ocr("the language list contains a NUL byte".into()))?;
        api.init_2(datapath.as_deref(), Some(&language))
            .map_err(|_| {
                CaptureError::Ocr(format!(
                    "the language data \"{}\" is not installed or could not be loaded",
                    config.languages
                ))
            })?;
        // The library's default is one uniform block of text; the command line's, and what a
        // page with a header, fields and a signature block needs, is full page layout analysis.
        api.set_page_seg_mode(PageSegMode::PsmAuto.as_tess_page_seg_mode());
        // Tesseract chats on stderr ("Detected 12 diacritics"); the desk's logs are not the
        // place. Failing to silence it changes nothing else, so the result is not checked.
        let _ = api.set_variable(c"debug_file", c"/dev/null");
        let osd = tessdata.filter(|dir| dir.join("osd.traineddata").is_file());
        Ok(OcrEngine { api, osd })
    }

    /// Whether [`detect_orientation`](Self::detect_orientation) can work: Tesseract's
    /// orientation data (`osd`, Debian package `tesseract-ocr-osd`) is installed. The
    /// `tesseract` program (package `tesseract-ocr`) is needed too; without it detection says
    /// nothing and pages are read as given.
    pub fn detects_orientation(&self) -> bool {
        self.osd.is_some()
    }

    /// Which way up a page is, by Tesseract's orientation and script detection: the clockwise
    /// turn that makes it upright, and how sure Tesseract is. `None` when it cannot tell (too
    /// little text, a photo) or detection is not installed.
    ///
    /// The library's detection call is not in its safe Rust binding, so this asks the
    /// `tesseract` program (`--psm 0`, as OCRmyPDF does), handing it the pixels as a PGM
    /// image on its standard input: no page is written to disk here either.
    pub fn detect_orientation(&self, image: &GrayImage, dpi: u32) -> Result<Option<Orientation>> {
        use std::io::Write;
        use std::process::{Command, Stdio};
        let Some(tessdata) = &self.osd else {
            return Ok(None);
        };
        checked_dimensions(image)?;
        let spawned = Command::new("tesseract")
            .args(["stdin", "stdout", "--psm", "0", "-l", "osd", "--dpi"])
            .arg(dpi.clamp(70, 2400).to_string())
            .arg("--tessdata-dir")
            .arg(tessdata)
            // One thread, like the engines themselves (see the module docs).
            .env("OMP_THREAD_LIMIT", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn();
        let mut child = match spawned {
            Ok(child) => child,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let (width, height) = image.dimensions();
        let written = child.stdin.take().map(|mut stdin| {
            stdin
                .write_all(format!("P5\n{width} {height}\n255\n").as_bytes())
                .and_then(|()| stdin.write_all(image.as_raw()))
        });
        let output = child.wait_with_output()?;
        if !matches!(written, Some(Ok(()))) || !output.status.success() {
            // "Too few characters": nothing to tell by.
            return Ok(None);
        }
        Ok(parse_osd(&String::from_utf8_lossy(&output.stdout)))
    }

    /// Recognises a page the right way up. A page read as given whose words stand on end or
    /// read poorly ([`looks_turned`]) is asked which way up it is; when Tesseract is sure
    /// enough of another way ([`MIN_ORIENTATION_CONFIDENCE`]), the page is read again turned,
    /// and that reading is kept only if its words lie flat and it is read at least as
    /// confidently: two signs must agree before a page is turned. A page read well costs
    /// nothing more; one that lies wrong costs a detection and a second reading.
    pub fn recognise_upright(&mut self, image: &GrayImage, dpi: u32) -> Result<OcrPage> {
        let page = self.recognise(image, dpi)?;
        if !self.detects_orientation() || !looks_turned(&page) {
            return Ok(page);
        }
        let Ok(Some(orientation)) = self.detect_orientation(image, dpi) else {
            return Ok(page);
        };
        if orientation.turn == 0 || orientation.confidence < MIN_ORIENTATION_CONFIDENCE {
            return Ok(page);
        }
        let mut turned = self.recognise(&turn(image, orientation.turn), dpi)?;
        if standing_fraction(&turned) < 0.5 && turned.mean_confidence + 2.0 >= page.mean_confidence
        {
            turned.turned = orientation.turn;
            Ok(turned)
        } else {
            Ok(page)
        }
    }

    /// Recognises a greyscale page scanned at `dpi` dots per inch.
    ///
    /// The pixels are handed to Tesseract directly (it copies them), with no file in between,
    /// so no page is ever written to disk on its way. The resolution matters: Tesseract uses it
    /// to judge text size, and guesses badly without it.
    pub fn recognise(&mut self, image: &GrayImage, dpi: u32) -> Result<OcrPage> {
        let (width, height) = checked_dimensions(image)?;
        self.api
            .set_image(image.as_raw(), width, height, 1, width)
            .map_err(|_| CaptureError::Ocr("Tesseract refused the image buffer".into()))?;
        self.api
            .set_source_resolution(i32::try_from(dpi).unwrap_or(i32::MAX));
        self.api
            .recognize()
            .map_err(|_| CaptureError::Ocr("Tesseract could not recognise the page".into()))?;
        let text = self
            .api
            .get_utf8_text()
            .map_err(|_| CaptureError::Ocr("Tesseract returned no text".into()))?;
        let text: String = text.as_ref().to_string_lossy().nfc().collect();
        let tsv = self
            .api
            .get_tsv_text(0)
            .map_err(|_| CaptureError::Ocr("Tesseract returned no word boxes".into()))?;
        let words = parse_tsv(&tsv.as_ref().to_string_lossy());
        let mean_confidence = mean_confidence(&words);
        Ok(OcrPage {
            text,
            words,
            mean_confidence,
            turned: 0,
        })
    }
}

/// Which way up a page lies, by Tesseract's orientation detection.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Orientation {
    /// Clockwise degrees that make the page upright: 0, 90, 180 or 270.
    pub turn: u16,
    /// Tesseract's confidence in it; about 15 and more on a page of printed text.
    pub confidence: f32,
}

/// The least orientation confidence a page is turned on: Tesseract's own
/// `min_orientation_margin`.
pub const MIN_ORIENTATION_CONFIDENCE: f32 = 7.0;

/// Below this mean confidence a page is suspected of lying the wrong way (printed pages the
/// right way up read at 85 to 97; upside down, at 40 to 50).
const SUSPECT_CONFIDENCE: f32 = 75.0;

/// Whether a reading suggests the page lies the wrong way: it was read poorly (upside down),
/// or most of its words stand on end (sideways: Tesseract reads vertical lines, but the page
/// is still shown sideways). A page with no words says nothing.
pub fn looks_turned(page: &OcrPage) -> bool {
    !page.words.is_empty()
        && (page.mean_confidence < SUSPECT_CONFIDENCE || standing_fraction(page) > 0.5)
}

/// The share of words of three letters or more whose box is taller than wide.
fn standing_fraction(page: &OcrPage) -> f32 {
    let long = page.words.iter().filter(|w| w.text.chars().count() >= 3);
    let (standing, all) = long.fold((0u32, 0u32), |(standing, all), w| {
        (standing + u32::from(w.height > w.width), all + 1)
    });
    if all == 0 {
        0.0
    } else {
        standing as f32 / all as f32
    }
}

/// `image` turned clockwise by `degrees` (0, 90, 180, 270).
fn turn(image: &GrayImage, degrees: u16) -> GrayImage {
    match degrees {
        90 => image::imageops::rotate90(image),
        180 => image::imageops::rotate180(image),
        270 => image::imageops::rotate270(image),
        _ => image.clone(),
    }
}

/// Reads `tesseract --psm 0` output: `Rotate: 270` (the clockwise turn to upright) and
/// `Orientation confidence: 17.57`.
fn parse_osd(output: &str) -> Option<Orientation> {
    let field = |name: &str| {
        output.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            (key.trim() == name).then(|| value.trim().to_owned())
        })
    };
    let turn: u16 = field("Rotate")?.parse().ok()?;
    let confidence: f32 = field("Orientation confidence")?.parse().ok()?;
    matches!(turn, 0 | 90 | 180 | 270)
        .then_some(Orientation { turn, confidence })
        .filter(|o| o.confidence.is_finite())
}

/// Accepts `vie`, `vie+eng`, `chi_sim`…: letters, digits and `_`, joined by `+`. Anything
/// else (a path, a NUL byte) is refused before it reaches Tesseract's file lookup.
fn checked_languages(languages: &str) -> Result<Vec<&str>> {
    let codes: Vec<&str> = languages.split('+').collect();
    let well_formed = |code: &&str| {
        !code.is_empty() && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    if codes.iter().all(well_formed) {
        Ok(codes)
    } else {
        Err(CaptureError::Ocr(format!(
            "\"{languages}\" is not a list of Tesseract language codes"
        )))
    }
}

/// Tesseract reports a missing language only as a failed start (or, for the second language
/// of `vie+xyz`, not at all), so look for the files first and say which one is missing.
fn check_installed(dir: &Path, languages: &[&str]) -> Result<()> {
    for code in languages {
        if !dir.join(format!("{code}.traineddata")).is_file() {
            return Err(CaptureError::Ocr(format!(
                "the language data \"{code}\" is not installed in {} (Debian package \
                 tesseract-ocr-{code})",
                dir.display()
            )));
        }
    }
    Ok(())
}

fn path_to_cstring(path: &Path) -> Result<CString> {
    CString::new(path.as_os_str().as_encoded_bytes())
        .map_err(|_| CaptureError::Ocr("the tessdata path contains a NUL byte".into()))
}

/// The image size as Tesseract's C ints, refusing empty images and sizes whose byte count
/// would overflow them.
fn checked_dimensions(image: &GrayImage) -> Result<(i32, i32)> {
    let (width, height) = image.dimensions();
    let fits = |value: u32| i32::try_from(value).ok().filter(|v| *v > 0);
    match (fits(width), fits(height)) {
        (Some(w), Some(h)) if w.checked_mul(h).is_some() => Ok((w, h)),
        _ => Err(CaptureError::Ocr(format!(
            "cannot recognise a {width}×{height} pixel image"
        ))),
    }
}

/// Reads the word rows (level 5) of Tesseract's TSV output:
/// `level page block paragraph line word left top width height confidence text`.
/// Rows that do not parse are skipped rather than failing the page.
fn parse_tsv(tsv: &str) -> Vec<OcrWord> {
    let mut words = Vec::new();
    let mut line_key = None;
    let mut line_index: u32 = 0;
    for row in tsv.lines() {
        let fields: Vec<&str> = row.split('\t').collect();
        let [
            level,
            _page,
            block,
            paragraph,
            line,
            _word,
            left,
            top,
            width,
            height,
            conf,
            text,
        ] = fields[..]
        else {
            continue;
        };
        if level != "5" || text.trim().is_empty() {
            continue;
        }
        let (Ok(left), Ok(top), Ok(width), Ok(height), Ok(confidence)) = (
            left.parse(),
            top.parse(),
            width.parse(),
            height.parse(),
            conf.parse::<f32>(),
        ) else {
            continue;
        };
        let key = (block, paragraph, line);
        if line_key.is_some_and(|previous| previous != key) {
            line_index += 1;
        }
        line_key = Some(key);
        words.push(OcrWord {
            text: text.nfc().collect(),
            left,
            top,
            width,
            height,
            confidence: confidence.clamp(0.0, 100.0),
            line: line_index,
        });
    }
    words
}

fn mean_confidence(words: &[OcrWord]) -> f32 {
    if words.is_empty() {
        return 0.0;
    }
    words.iter().map(|word| word.confidence).sum::<f32>() / words.len() as f32
}

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

/// One page waiting for a worker.
struct Job {
    id: u64,
    image: GrayImage,
    dpi: u32,
    /// Read the right way up ([`OcrEngine::recognise_upright`]) rather than as given.
    upright: bool,
}

/// A finished job: its id and what recognition gave.
pub type OcrResult = (u64, Result<OcrPage>);

/// Recognises pages on several threads, one [`OcrEngine`] each.
///
/// Pages go in with [`submit`](Self::submit), which never blocks: the queue is unbounded,
/// because the producer is a scanner or an officer importing files and stalling it would
/// freeze the desk, while the number of pages in a dossier is small. The cost is memory, about
/// 8.7 MB per queued A4 page at 300 dpi; [`pending`](Self::pending) lets the caller hold back
/// when a very large batch is queued. Results come back in completion order, not submission
/// order, each with its job id; a page that fails gives an error for that id and the worker
/// goes on with the next.
///
/// Dropping the pool abandons the pages still queued, lets each worker finish the page it is
/// on (Tesseract cannot be interrupted mid-page), and joins the threads. To wait for every
/// submitted page instead, use [`finish`](Self::finish).
pub struct OcrPool {
    jobs: Option<Sender<Job>>,
    results: Receiver<OcrResult>,
    workers: Vec<JoinHandle<()>>,
    stop: Arc<AtomicBool>,
    pending: AtomicUsize,
}

impl std::fmt::Debug for OcrPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OcrPool")
            .field("workers", &self.workers.len())
            .field("pending", &self.pending())
            .finish_non_exhaustive()
    }
}

impl OcrPool {
    /// One worker per core.
    pub fn with_default_workers(config: &OcrConfig) -> Result<Self> {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Self::new(config, cores)
    }

    /// `workers` threads (at least one), each with its own engine. The engines are started
    /// here, so a missing language fails now rather than on the first page.
    pub fn new(config: &OcrConfig, workers: usize) -> Result<Self> {
        let engines = (0..workers.max(1))
            .map(|_| OcrEngine::new(config))
            .collect::<Result<Vec<_>>>()?;
        let (job_sender, job_receiver) = crossbeam_channel::unbounded::<Job>();
        let (result_sender, result_receiver) = crossbeam_channel::unbounded();
        let stop = Arc::new(AtomicBool::new(false));
        let mut handles = Vec::with_capacity(engines.len());
        for (index, engine) in engines.into_iter().enumerate() {
            let worker = Worker {
                engine,
                jobs: job_receiver.clone(),
                results: result_sender.clone(),
                stop: Arc::clone(&stop),
            };
            let handle = std::thread::Builder::new()
                .name(format!("ocr-{index}"))
                .spawn(move || worker.run())?;
            handles.push(handle);
        }
        Ok(OcrPool {
            jobs: Some(job_sender),
            results: result_receiver,
            workers: handles,
            stop,
            pending: AtomicUsize::new(0),
        })
    }

    /// The number of worker threads.
    pub fn workers(&self) -> usize {
        self.workers.len()
    }

    /// Queues a page, to be read as given; returns at once. Fails only when every worker has
    /// stopped.
    pub fn submit(&self, job_id: u64, image: GrayImage, dpi: u32) -> Result<()> {
        self.queue(Job {
            id: job_id,
            image,
            dpi,
            upright: false,
        })
    }

    /// Like [`submit`](Self::submit), the page to be read the right way up
    /// ([`OcrEngine::recognise_upright`]): its result's [`OcrPage::turned`] says how it was
    /// turned.
    pub fn submit_upright(&self, job_id: u64, image: GrayImage, dpi: u32) -> Result<()> {
        self.queue(Job {
            id: job_id,
            image,
            dpi,
            upright: true,
        })
    }

    fn queue(&self, job: Job) -> Result<()> {
        // Counted before sending, so a result taken on another thread at once cannot bring
        // the count below zero.
        self.pending.fetch_add(1, Ordering::Relaxed);
        let sent = self
            .jobs
            .as_ref()
            .is_some_and(|jobs| jobs.send(job).is_ok());
        if sent {
            Ok(())
        } else {
            self.pending.fetch_sub(1, Ordering::Relaxed);
            Err(CaptureError::Ocr(
                "the recognition workers have stopped".into(),
            ))
        }
    }

    /// Jobs submitted whose result has not been taken yet.
    pub fn pending(&self) -> usize {
        self.pending.load(Ordering::Relaxed)
    }

    /// Waits for the next result. `None` when no job is pending (nothing to wait for) or every
    /// worker has stopped.
    pub fn recv(&self) -> Option<OcrResult> {
        if self.pending() == 0 {
            return None;
        }
        self.taken(self.results.recv().ok())
    }

    /// The next result if one is ready.
    pub fn try_recv(&self) -> Option<OcrResult> {
        match self.results.try_recv() {
            Ok(result) => self.taken(Some(result)),
            Err(TryRecvError::Empty | TryRecvError::Disconnected) => None,
        }
    }

    /// Waits at most `timeout` for the next result.
    pub fn recv_timeout(&self, timeout: std::time::Duration) -> Option<OcrResult> {
        match self.results.recv_timeout(timeout) {
            Ok(result) => self.taken(Some(result)),
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => None,
        }
    }

    /// Closes the queue and yields the result of every job still pending, in completion
    /// order; the iterator ends when the last worker has finished.
    pub fn finish(mut self) -> impl Iterator<Item = OcrResult> {
        self.jobs = None;
        std::iter::from_fn(move || self.taken(self.results.recv().ok()))
    }

    fn taken(&self, result: Option<OcrResult>) -> Option<OcrResult> {
        if result.is_some() {
            self.pending.fetch_sub(1, Ordering::Relaxed);
        }
        result
    }
}

impl Drop for OcrPool {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        self.jobs = None;
        for handle in self.workers.drain(..) {
            // A worker that panicked has already reported what it could; nothing to add.
            let _ = handle.join();
        }
    }
}

/// What one pool thread owns.
struct Worker {
    engine: OcrEngine,
    jobs: Receiver<Job>,
    results: Sender<OcrResult>,
    stop: Arc<AtomicBool>,
}

impl Worker {
    /// Takes jobs until the queue is closed and empty, the pool is dropped, or nobody listens.
    fn run(self) {
        let Worker {
            mut engine,
            jobs,
            results,
            stop,
        } = self;
        for job in jobs.iter() {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            let outcome = recognise_guarded(&mut engine, &job);
            if results.send((job.id, outcome)).is_err() {
                break;
            }
        }
    }
}

/// Recognises one page; a panic in this crate's code becomes an error for this job only, so
/// one bad page cannot take the worker, and the pages queued behind it, down.
fn recognise_guarded(engine: &mut OcrEngine, job: &Job) -> Result<OcrPage> {
    catch_unwind(AssertUnwindSafe(|| {
        if job.upright {
            engine.recognise_upright(&job.image, job.dpi)
        } else {
            engine.recognise(&job.image, job.dpi)
        }
    }))
    .unwrap_or_else(|_| {
        Err(CaptureError::Ocr(
            "recognition stopped on an internal error".into(),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orientation_is_read_from_tesseracts_report() {
        let report = "Page number: 0\nOrientation in degrees: 90\nRotate: 270\n\
                      Orientation confidence: 17.57\nScript: Latin\nScript confidence: 9.60\n";
        assert_eq!(
            parse_osd(report),
            Some(Orientation {
                turn: 270,
                confidence: 17.57
            })
        );
        assert_eq!(parse_osd("Rotate: 45\nOrientation confidence: 3"), None);
        assert_eq!(parse_osd("Rotate: 180\n"), None, "no confidence");
        assert_eq!(parse_osd("Orientation confidence: nan\nRotate: 0"), None);
        assert_eq!(parse_osd(""), None);
    }

    fn word(text: &str, width: u32, height: u32, confidence: f32) -> OcrWord {
        OcrWord {
            text: text.into(),
            left: 0,
            top: 0,
            width,
            height,
            confidence,
            line: 0,
        }
    }

    #[test]
    fn a_page_is_suspected_when_read_poorly_or_its_words_stand_on_end() {
        let page = |words: Vec<OcrWord>| OcrPage {
            mean_confidence: mean_confidence(&words),
            words,
            ..OcrPage::default()
        };
        let flat = page(vec![word("Hồ", 40, 30, 95.0), word("sơ", 40, 30, 95.0)]);
        assert!(!looks_turned(&flat));
        assert!(
            !looks_turned(&page(Vec::new())),
            "a blank page says nothing"
        );
        assert!(looks_turned(&page(vec![word("Hồ sơ", 90, 30, 40.0)])));
        let sideways = page(vec![
            word("Việt", 30, 90, 95.0),
            word("Nam", 30, 80, 95.0),
            word("xã", 30, 20, 95.0), // two letters: not counted
        ]);
        assert!(looks_turned(&sideways));
    }

    #[test]
    fn turning_is_clockwise() {
        let mut image = GrayImage::new(3, 2);
        image.put_pixel(0, 0, image::Luma([255])); // top left
        let turned = turn(&image, 90);
        assert_eq!(turned.dimensions(), (2, 3));
        assert_eq!(turned.get_pixel(1, 0).0, [255], "top left goes top right");
        assert_eq!(turn(&image, 180).get_pixel(2, 1).0, [255]);
        assert_eq!(turn(&image, 270).get_pixel(0, 2).0, [255]);
        assert_eq!(turn(&image, 0), image);
    }

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

    #[test]
    fn tsv_words_and_lines() {
        let tsv = "1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t\n\
                   4\t1\t1\t1\t1\t0\t10\t10\t80\t20\t-1\t\n\
                   5\t1\t1\t1\t1\t1\t10\t10\t30\t20\t96.5\tXin\n\
                   5\t1\t1\t1\t1\t2\t50\t10\t40\t20\t91.5\tchào\n\
                   5\t1\t1\t1\t2\t1\t10\t40\t40\t20\t80\tVie\u{323}\u{302}t\n\
                   5\t1\t1\t1\t2\t2\t60\t40\t5\t20\t-1\t \n";
        let words = parse_tsv(tsv);
        assert_eq!(words.len(), 3);
        assert_eq!(words[1].text, "chào");
        assert_eq!((words[1].left, words[1].width), (50, 40));
        assert_eq!(words[2].text, "Việt");
        assert_eq!(words.iter().map(|w| w.line).collect::<Vec<_>>(), [0, 0, 1]);
        assert!((mean_confidence(&words) - 89.333).abs() < 0.01);
    }

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

    #[test]
    fn language_codes_are_checked() {
        assert!(checked_languages("vie+eng").is_ok());
        assert!(checked_languages("../etc").is_err());
        assert!(checked_languages("vie+").is_err());
        assert!(checked_languages("").is_err());
    }
}
