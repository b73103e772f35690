//! The archive PDF of a component or a dossier: PDF/A-2b, one page per page of the dossier,
//! sized from the scan's resolution. JPEG pages are embedded byte for byte (DCTDecode, no
//! re-encoding, as `pdfimages -j` shows); PNG pages losslessly; a page of an imported PDF is
//! drawn at 300 dpi and embedded losslessly (its own content, fonts and colours, cannot be
//! vouched for as PDF/A; the imported file itself is kept as it came). Rotation and deskew are
//! done by the page's transform, never by re-encoding the image, and the OCR text is laid over
//! the image as invisible text in the same transform, so it is selectable and searchable
//! exactly where the words are. The file is written by `writer` (its bytes laid out by
//! `sink`); a PDF someone else made is read by [`read`], which the writer uses for an
//! imported PDF's pages and nothing in [`read`] uses the writer.

use crate::source::ImageFormat;
use crate::{CaptureError, Result};

pub mod read;
mod sink;
pub(crate) mod writer;

/// The program named as the archive's creator and producer.
const PRODUCER: &str = "Hồ Sơ Số";

/// Pages of an imported PDF are drawn at this resolution in the archive, and read at it.
pub const PDF_PAGE_DPI: f32 = 300.0;

/// A quarter turn, clockwise, applied when the page is shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Rotation {
    #[default]
    None,
    Quarter,
    Half,
    ThreeQuarters,
}

impl Rotation {
    /// From degrees clockwise (0, 90, 180, 270; anything else is taken modulo 360 and rounded
    /// down to a quarter).
    pub fn from_degrees(degrees: i32) -> Rotation {
        match degrees.rem_euclid(360) / 90 {
            1 => Rotation::Quarter,
            2 => Rotation::Half,
            3 => Rotation::ThreeQuarters,
            _ => Rotation::None,
        }
    }

    pub fn degrees(self) -> i32 {
        match self {
            Rotation::None => 0,
            Rotation::Quarter => 90,
            Rotation::Half => 180,
            Rotation::ThreeQuarters => 270,
        }
    }
}

/// What a page shows.
#[derive(Debug, Clone, Copy)]
pub enum Content<'a> {
    /// An encoded image scanned at `dpi` (taken as 300 when unknown).
    Image {
        bytes: &'a [u8],
        format: ImageFormat,
        width: u32,
        height: u32,
        dpi: Option<u32>,
    },
    /// Page `index` of an imported PDF file.
    PdfPage { file: &'a [u8], index: usize },
}

/// A recognised word, in the image's pixels (top-left origin).
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub text: String,
    pub left: f32,
    pub top: f32,
    pub width: f32,
    pub height: f32,
}

/// One page of the archive.
#[derive(Debug, Clone)]
pub struct ArchivePage<'a> {
    pub content: Content<'a>,
    pub rotation: Rotation,
    /// The measured skew (degrees, clockwise) to take out; 0 leaves the page as scanned.
    pub deskew_degrees: f32,
    /// The text layer, in pixels of the image as shown (after `rotation`, before deskew);
    /// empty when the page has not been recognised (yet).
    pub words: &'a [Word],
}

/// The document's description, written into its XMP metadata.
#[derive(Debug, Clone)]
pub struct ArchiveInfo {
    /// E.g. `Hồ sơ 000.00.00.H01-260213-0001`.
    pub title: String,
    /// The unit that holds the dossier.
    pub author: Option<String>,
    pub subject: Option<String>,
    pub keywords: Vec<String>,
    /// When the archive was made; PDF/A requires it. Written in Vietnamese time (UTC+7).
    pub created: jiff::Timestamp,
}

/// Scans are 300 dpi unless they say otherwise.
const DEFAULT_DPI: u32 = 300;

/// Builds the archive PDF.
pub fn archive_pdf(pages: &[ArchivePage<'_>], info: &ArchiveInfo) -> Result<Vec<u8>> {
    write_archive_pdf(pages, info, Vec::new())
}

/// [`archive_pdf`] written into `out` as it is made (a file: the pages' bytes are never held
/// twice), which is given back.
pub fn write_archive_pdf<W: std::io::Write>(
    pages: &[ArchivePage<'_>],
    info: &ArchiveInfo,
    out: W,
) -> Result<W> {
    if pages.is_empty() {
        return Err(CaptureError::Corrupt(
            "an archive needs at least one page".into(),
        ));
    }
    writer::write(pages, info, out)
}

/// The size in points of an image of `width` × `height` pixels scanned at `dpi` (300 when
/// unknown or unlikely), before rotation.
fn image_size(width: u32, height: u32, dpi: Option<u32>) -> (f32, f32) {
    let dpi = dpi
        .filter(|&d| (50..=2400).contains(&d))
        .unwrap_or(DEFAULT_DPI) as f32;
    (width as f32 * 72.0 / dpi, height as f32 * 72.0 / dpi)
}

/// Turns content of `w`×`h` points (top-left origin, y down) clockwise by the rotation and puts
/// it back on the page: `[a b c d e f]` as PDF writes a matrix.
fn rotation_matrix(rotation: Rotation, w: f32, h: f32) -> [f32; 6] {
    match rotation {
        Rotation::None => [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
        Rotation::Quarter => [0.0, 1.0, -1.0, 0.0, h, 0.0],
        Rotation::Half => [-1.0, 0.0, 0.0, -1.0, w, h],
        Rotation::ThreeQuarters => [0.0, -1.0, 1.0, 0.0, 0.0, w],
    }
}
