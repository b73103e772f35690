//! Text recognition of scanned pages with Tesseract, in Vietnamese: what a page's reading is
//! ([`OcrPage`]), the engine (`engine`), the workers that run one engine per core (`pool`),
//! the corrections of what the `vie` model gets wrong (`vietnamese`) and the error rate that
//! measures them (`metric`).
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

use std::path::PathBuf;

mod engine;
mod metric;
mod pool;
mod vietnamese;

pub use engine::{MIN_ORIENTATION_CONFIDENCE, OcrEngine, Orientation, looks_turned};
pub use metric::character_error_rate;
pub use pool::{OcrPool, OcrResult};
pub use vietnamese::{CORRECTIONS, Correction, correct_vietnamese};

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
