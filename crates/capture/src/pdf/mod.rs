//! The archive PDF of a component or a dossier: PDF/A-2b, one page per scanned page, sized from
//! the scan's resolution. Archives of images only (nearly all) are written by [`scans`]; those
//! holding pages of an imported PDF, or CMYK JPEGs, by `krilla`. JPEG pages are embedded byte for byte (DCTDecode, no re-encoding, as
//! `pdfimages -j` shows); PNG pages are embedded losslessly; pages of an imported PDF are
//! embedded as they were. Rotation and deskew are done by the page's transform, never by
//! re-encoding the image, and the OCR text is laid over the image as invisible text in the same
//! transform, so it is selectable and searchable exactly where the words are.

use std::collections::HashMap;
use std::sync::Arc;

use krilla::Document;
use krilla::configure::{Archival, ConfigurationBuilder};
use krilla::geom::{Point, Size, Transform};
use krilla::image::Image;
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::pdf::{Pdf, PdfDocument};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};

use crate::source::ImageFormat;
use crate::{CaptureError, Result};

mod scans;

/// The program named as the archive's creator and producer.
const PRODUCER: &str = "Hồ Sơ Số";

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

/// Builds the archive PDF: PDF/A-2b when every page is an image. A page embedded from an
/// imported PDF brings content this program cannot vouch for (fonts, colour spaces), so an
/// archive holding one is written as a plain PDF; [`is_pdf_a`] tells which.
pub fn archive_pdf(pages: &[ArchivePage<'_>], info: &ArchiveInfo) -> Result<Vec<u8>> {
    write_archive_pdf(pages, info, Vec::new())
}

/// [`archive_pdf`] written into `out` as it is made (a file: the pages' bytes are never held
/// twice), which is given back.
pub fn write_archive_pdf<W: std::io::Write>(
    pages: &[ArchivePage<'_>],
    info: &ArchiveInfo,
    mut out: W,
) -> Result<W> {
    if pages.is_empty() {
        return Err(CaptureError::Corrupt(
            "an archive needs at least one page".into(),
        ));
    }
    if scans::can_write(pages) {
        return scans::write(pages, info, out);
    }
    out.write_all(&with_krilla(pages, info)?)?;
    Ok(out)
}

/// The archive of pages some of which come from an imported PDF (or are CMYK), by `krilla`.
fn with_krilla(pages: &[ArchivePage<'_>], info: &ArchiveInfo) -> Result<Vec<u8>> {
    let mut settings = krilla::SerializeSettings::default();
    if is_pdf_a(pages) {
        settings.configuration = ConfigurationBuilder::new()
            .with_archival_validator(Archival::A2_B)
            .finish()
            .map_err(|e| CaptureError::Corrupt(format!("PDF/A configuration: {e:?}")))?;
    }
    let mut document = Document::new_with(settings);
    let font = Font::new(Arc::new(hoso_forms::REGULAR_FONT.to_vec()).into(), 0)
        .ok_or_else(|| CaptureError::Corrupt("the text layer's font".into()))?;
    let face = ttf_parser::Face::parse(hoso_forms::REGULAR_FONT, 0)
        .map_err(|_| CaptureError::Corrupt("the text layer's font".into()))?;
    let mut pdfs: HashMap<*const u8, PdfDocument> = HashMap::new();

    for page in pages {
        let (width, height) = content_size(&page.content)?;
        let (page_w, page_h) = match page.rotation {
            Rotation::Quarter | Rotation::ThreeQuarters => (height, width),
            _ => (width, height),
        };
        let size = Size::from_wh(page_w, page_h)
            .ok_or_else(|| CaptureError::Corrupt("a page of no size".into()))?;
        let mut pdf_page = document.start_page_with(PageSettings::new(size));
        let mut surface = pdf_page.surface();
        surface.push_transform(&rotation_transform(page.rotation, width, height));
        surface.push_transform(&Transform::from_rotate_at(
            -page.deskew_degrees,
            width / 2.0,
            height / 2.0,
        ));
        let mut text_scale = None;
        match page.content {
            Content::Image {
                bytes,
                format,
                width: px_w,
                ..
            } => {
                let image = match format {
                    ImageFormat::Jpeg => Image::from_jpeg(bytes.to_vec().into(), false),
                    ImageFormat::Png => Image::from_png(bytes.to_vec().into(), false),
                }
                .map_err(CaptureError::Corrupt)?;
                let image_size = Size::from_wh(width, height)
                    .ok_or_else(|| CaptureError::Corrupt("an image of no size".into()))?;
                surface.draw_image(image, image_size);
                text_scale = Some(width / px_w.max(1) as f32);
            }
            Content::PdfPage { file, index } => {
                let doc = match pdfs.get(&file.as_ptr()) {
                    Some(doc) => doc.clone(),
                    None => {
                        let pdf = Pdf::new(Arc::new(file.to_vec()))
                            .map_err(|e| CaptureError::Corrupt(format!("PDF: {e:?}")))?;
                        let doc = PdfDocument::new(Arc::new(pdf));
                        pdfs.insert(file.as_ptr(), doc.clone());
                        doc
                    }
                };
                let page_size = Size::from_wh(width, height)
                    .ok_or_else(|| CaptureError::Corrupt("a page of no size".into()))?;
                surface.draw_pdf_page(&doc, page_size, index);
            }
        }
        surface.pop();
        surface.pop();
        // The words were recognised on the page as shown (turned, not deskewed): they are laid
        // in page space, deskewed about the page's centre like the image.
        if let Some(scale) = text_scale {
            surface.push_transform(&Transform::from_rotate_at(
                -page.deskew_degrees,
                page_w / 2.0,
                page_h / 2.0,
            ));
            text_layer(&mut surface, &font, &face, page.words, scale);
            surface.pop();
        }
        surface.finish();
        pdf_page.finish();
    }

    let mut metadata = Metadata::new()
        .title(info.title.clone())
        .creator(PRODUCER.to_owned())
        .producer(PRODUCER.to_owned())
        .language("vi".to_owned())
        .creation_date(pdf_date(info.created));
    if let Some(author) = &info.author {
        metadata = metadata.authors(vec![author.clone()]);
    }
    if let Some(subject) = &info.subject {
        metadata = metadata.description(subject.clone());
    }
    if !info.keywords.is_empty() {
        metadata = metadata.keywords(info.keywords.clone());
    }
    document.set_metadata(metadata);
    document
        .finish()
        .map_err(|e| CaptureError::Corrupt(format!("PDF: {e:?}")))
}

fn pdf_date(at: jiff::Timestamp) -> krilla::metadata::DateTime {
    let local = jiff::tz::Offset::constant(7).to_datetime(at);
    krilla::metadata::DateTime::new(local.year().clamp(0, 9999) as u16)
        .month(local.month() as u8)
        .day(local.day() as u8)
        .hour(local.hour() as u8)
        .minute(local.minute() as u8)
        .second(local.second() as u8)
        .utc_offset_hour(7)
        .utc_offset_minute(0)
}

/// Whether [`archive_pdf`] writes these pages as PDF/A-2b: when none comes from an imported PDF.
pub fn is_pdf_a(pages: &[ArchivePage<'_>]) -> bool {
    pages
        .iter()
        .all(|p| matches!(p.content, Content::Image { .. }))
}

/// The page's size in points before rotation.
fn content_size(content: &Content<'_>) -> Result<(f32, f32)> {
    match *content {
        Content::Image {
            width, height, dpi, ..
        } => {
            let dpi = dpi
                .filter(|&d| (50..=2400).contains(&d))
                .unwrap_or(DEFAULT_DPI) as f32;
            Ok((width as f32 * 72.0 / dpi, height as f32 * 72.0 / dpi))
        }
        Content::PdfPage { file, index } => {
            let pdf = Pdf::new(Arc::new(file.to_vec()))
                .map_err(|e| CaptureError::Corrupt(format!("PDF: {e:?}")))?;
            let pages = pdf.pages();
            let page = pages
                .get(index)
                .ok_or_else(|| CaptureError::Corrupt(format!("PDF has no page {}", index + 1)))?;
            Ok(page.render_dimensions())
        }
    }
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

fn rotation_transform(rotation: Rotation, w: f32, h: f32) -> Transform {
    let [a, b, c, d, e, f] = rotation_matrix(rotation, w, h);
    Transform::from_row(a, b, c, d, e, f)
}

/// Each word in the regular face, invisible (fully transparent), stretched to its box.
fn text_layer(
    surface: &mut Surface<'_>,
    font: &Font,
    face: &ttf_parser::Face<'_>,
    words: &[Word],
    scale: f32,
) {
    if words.is_empty() {
        return;
    }
    surface.set_fill(Some(Fill {
        opacity: NormalizedF32::ZERO,
        ..Fill::default()
    }));
    surface.set_stroke(None);
    for word in words {
        let height = word.height * scale;
        let width = word.width * scale;
        let text = word.text.trim();
        if text.is_empty() || height <= 0.0 || width <= 0.0 {
            continue;
        }
        let size = height;
        let natural = text_width(face, text, size);
        let stretch = if natural > 0.0 { width / natural } else { 1.0 };
        let baseline = word.top * scale + height * 0.8;
        surface.push_transform(&Transform::from_row(
            stretch,
            0.0,
            0.0,
            1.0,
            word.left * scale,
            baseline,
        ));
        surface.draw_text(
            Point::from_xy(0.0, 0.0),
            font.clone(),
            size,
            text,
            false,
            TextDirection::Auto,
        );
        surface.pop();
    }
    surface.set_fill(Some(Fill::default()));
}

fn text_width(face: &ttf_parser::Face<'_>, text: &str, size: f32) -> f32 {
    let units: u32 = text
        .chars()
        .map(|c| {
            face.glyph_index(c)
                .and_then(|g| face.glyph_hor_advance(g))
                .map_or(0, u32::from)
        })
        .sum();
    units as f32 * size / f32::from(face.units_per_em())
}
