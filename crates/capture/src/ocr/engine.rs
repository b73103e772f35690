//! One Tesseract instance ([`OcrEngine`]): started with its languages once, it reads page after
//! page, and finds which way up a page lies when its words say it is turned.

use std::ffi::CString;
use std::path::{Path, PathBuf};

use image::GrayImage;
use tesseract::PageSegMode;
use tesseract::plumbing::TessBaseApi;
use unicode_normalization::UnicodeNormalization;

use super::{OcrConfig, OcrPage, OcrWord};
use crate::error::{CaptureError, Result};

/// One Tesseract instance, loaded with its languages once and reused page after page
/// (loading `vie` takes a noticeable fraction of a second, recognising a page a few seconds).
///
/// An engine is `Send` but not shared: give each thread its own, as [`OcrPool`](super::OcrPool) does.
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
    fn language_codes_are_checked() {
        assert!(checked_languages("vie+eng").is_ok());
        assert!(checked_languages("../etc").is_err());
        assert!(checked_languages("vie+").is_err());
        assert!(checked_languages("").is_err());
    }
}
