//! Reading a PDF someone else made (an imported file, a saved form), with hayro: how many pages
//! it has and their sizes, a page drawn at a given size or resolution, a page that is nothing
//! but one scanned JPEG (kept as it is in the archive), and every page drawn for a printer.
//! Change how imported PDFs are drawn here: the fast look, the text reader and the archive all
//! draw them through this module.

use hayro::hayro_syntax::page::Page;
use image::DynamicImage;

use crate::limits::MAX_PAGES;
use crate::{CaptureError, Result};

/// The size in points (1/72 inch) of each page of a PDF, as it is shown. A PDF that cannot be
/// parsed, or has no page, or more than [`MAX_PAGES`], is refused whole.
pub fn page_sizes(pdf_bytes: &[u8]) -> Result<Vec<(f32, f32)>> {
    let pdf = parse_pdf(pdf_bytes)?;
    let pages = pdf.pages();
    if pages.is_empty() {
        return Err(CaptureError::Corrupt("a PDF with no page".into()));
    }
    if pages.len() > MAX_PAGES {
        return Err(CaptureError::TooLarge(format!("{} pages", pages.len())));
    }
    Ok(pages.iter().map(Page::render_dimensions).collect())
}

/// Renders page `index` of a PDF so that its long side is about `long_side` pixels.
pub fn render_pdf_page(pdf_bytes: &[u8], index: usize, long_side: u32) -> Result<DynamicImage> {
    with_pdf_page(pdf_bytes, index, |page| render_page(page, long_side))
}

/// Page `index` of a PDF drawn at `dpi` dots per inch (on white), as the archive holds it and
/// as its text is read.
pub fn render_pdf_page_at(pdf_bytes: &[u8], index: usize, dpi: f32) -> Result<DynamicImage> {
    with_pdf_page(pdf_bytes, index, |page| render_page_at(page, dpi))
}

fn render_page_at(page: &Page<'_>, dpi: f32) -> Result<DynamicImage> {
    let (w, h) = page.render_dimensions();
    let long_side = (w.max(h) / 72.0 * dpi).round().clamp(1.0, 20_000.0) as u32;
    render_page(page, long_side)
}

/// How a page of an imported PDF goes into the archive.
pub enum ArchivedPdfPage {
    /// The page is one JPEG covering it (a scan saved as PDF): its bytes as they are.
    Jpeg(Vec<u8>),
    /// Any other page, drawn.
    Drawn(DynamicImage),
}

/// Page `index` of a PDF for the archive, with its size in points as shown: its JPEG when it is
/// nothing but one, else the page drawn at `dpi`. The file is parsed once.
pub fn pdf_page_for_archive(
    pdf_bytes: &[u8],
    index: usize,
    dpi: f32,
) -> Result<((f32, f32), ArchivedPdfPage)> {
    with_pdf_page(pdf_bytes, index, |page| {
        let size = page.render_dimensions();
        let image = match page_jpeg(page) {
            Some(jpeg) => ArchivedPdfPage::Jpeg(jpeg),
            None => ArchivedPdfPage::Drawn(render_page_at(page, dpi)?),
        };
        Ok((size, image))
    })
}

/// The JPEG of a page that is nothing but one grey or colour JPEG covering it, unturned (what a
/// scanner that saves to PDF writes): its bytes as they are in the file. `None` for any other.
fn page_jpeg(page: &Page<'_>) -> Option<Vec<u8>> {
    use hayro::hayro_syntax::content::ops::TypedInstruction as Op;
    use hayro::hayro_syntax::object::Name;
    use hayro::hayro_syntax::page::Rotation;

    if !matches!(page.rotation(), Rotation::None) {
        return None;
    }
    // Only q, Q, cm and one Do, the transforms together drawing the image on the page.
    let mut ctm = [1.0f64, 0.0, 0.0, 1.0, 0.0, 0.0];
    let mut drawn = None;
    let mut ops = page.typed_operations();
    while let Some(op) = ops.next() {
        match op {
            Op::SaveState(_) | Op::RestoreState(_) => {}
            Op::Transform(t) => {
                let m = [t.0, t.1, t.2, t.3, t.4, t.5].map(|n| n.as_f64());
                ctm = [
                    m[0] * ctm[0] + m[1] * ctm[2],
                    m[0] * ctm[1] + m[1] * ctm[3],
                    m[2] * ctm[0] + m[3] * ctm[2],
                    m[2] * ctm[1] + m[3] * ctm[3],
                    m[4] * ctm[0] + m[5] * ctm[2] + ctm[4],
                    m[4] * ctm[1] + m[5] * ctm[3] + ctm[5],
                ];
            }
            Op::XObject(name) if drawn.is_none() => drawn = Some((name.0.as_ref().to_vec(), ctm)),
            _ => return None,
        }
    }
    let (name, ctm) = drawn?;
    let media = page.media_box();
    let close = |a: f64, b: f64| (a - b).abs() < 0.5;
    let covers = close(ctm[0], media.x1 - media.x0)
        && close(ctm[1], 0.0)
        && close(ctm[2], 0.0)
        && close(ctm[3], media.y1 - media.y0)
        && close(ctm[4], media.x0)
        && close(ctm[5], media.y0);
    let image = page.resources().get_x_object(&Name::new_unescaped(&name))?;
    let dict = image.dict();
    let is = |key: &[u8], value: &[u8]| {
        dict.get::<Name<'_>>(key)
            .is_some_and(|n| n.as_ref() == value)
    };
    let plain = is(b"Subtype", b"Image")
        && (is(b"ColorSpace", b"DeviceRGB") || is(b"ColorSpace", b"DeviceGray"))
        && dict.get::<i32>(b"BitsPerComponent") == Some(8)
        && !dict.contains_key(b"SMask")
        && !dict.contains_key(b"Mask")
        && !dict.contains_key(b"Decode")
        && image.filters().as_slice() == [hayro::hayro_syntax::Filter::DctDecode];
    if !(covers && plain) {
        return None;
    }
    let bytes = image.raw_data().into_owned();
    crate::decode::jpeg_components(&bytes)
        .is_some_and(|n| n == 1 || n == 3)
        .then_some(bytes)
}

/// `f` on page `index` of a PDF.
fn with_pdf_page<T>(
    pdf_bytes: &[u8],
    index: usize,
    f: impl FnOnce(&Page<'_>) -> Result<T>,
) -> Result<T> {
    let pdf = parse_pdf(pdf_bytes)?;
    let pages = pdf.pages();
    let page = pages
        .get(index)
        .ok_or_else(|| CaptureError::Corrupt(format!("PDF has no page {}", index + 1)))?;
    f(page)
}

fn parse_pdf(pdf_bytes: &[u8]) -> Result<hayro::hayro_syntax::Pdf> {
    hayro::hayro_syntax::Pdf::new(pdf_bytes.to_vec())
        .map_err(|e| CaptureError::Corrupt(format!("PDF: {e:?}")))
}

/// Renders a parsed page so that its long side is about `long_side` pixels.
fn render_page(page: &Page<'_>, long_side: u32) -> Result<DynamicImage> {
    use hayro::hayro_interpret::InterpreterSettings;
    use hayro::vello_cpu::color::palette::css::WHITE;
    use hayro::{PixmapSettings, RenderCache, RenderSettings, render};

    let (w, h) = page.render_dimensions();
    let scale = long_side as f32 / w.max(h).max(1.0);
    // The renderer cuts its pixel size down: aim a quarter pixel past the nearest whole
    // number, so that a page of 108 pt at 300 dpi is 450 pixels, not 449.
    let (pw, ph) = ((w * scale).round().max(1.0), (h * scale).round().max(1.0));
    // Pages are paper: rendered on white, so every pixel is opaque.
    let pixmap_settings = PixmapSettings {
        x_scale: (pw + 0.25) / w.max(1e-3),
        y_scale: (ph + 0.25) / h.max(1e-3),
        bg_color: WHITE,
    };
    let pixmap = render(
        page,
        &RenderCache::new(),
        &InterpreterSettings::default(),
        &RenderSettings::default(),
        &pixmap_settings,
    );
    let (pw, ph) = (u32::from(pixmap.width()), u32::from(pixmap.height()));
    let rgba = image::RgbaImage::from_raw(pw, ph, pixmap.data_as_u8_slice().to_vec())
        .ok_or_else(|| CaptureError::Corrupt("PDF page rendered to nothing".into()))?;
    let rgb = DynamicImage::ImageRgba8(rgba).to_rgb8();
    Ok(DynamicImage::ImageRgb8(rgb))
}

/// A PDF page drawn for a printer: grey pixels and the paper size.
#[derive(Debug, Clone)]
pub struct PrintedPage {
    pub image: image::GrayImage,
    /// The page's size in PDF points (1/72 inch), as it is shown (turned pages turned).
    pub width_pt: f32,
    pub height_pt: f32,
}

/// Every page of a PDF drawn at `dpi` dots per inch, for printing through a dialog that takes
/// pictures of pages (a web view's). Forms are black on white: grey keeps them small.
pub fn render_pdf_for_print(pdf_bytes: &[u8], dpi: u32) -> Result<Vec<PrintedPage>> {
    let pdf = parse_pdf(pdf_bytes)?;
    let pages = pdf.pages();
    if pages.is_empty() {
        return Err(CaptureError::Corrupt("a PDF with no page".into()));
    }
    pages
        .iter()
        .map(|page| {
            let (width_pt, height_pt) = page.render_dimensions();
            let long_side = (width_pt.max(height_pt) / 72.0 * dpi as f32).round() as u32;
            let image = render_page(page, long_side.clamp(1, 20_000))?.to_luma8();
            Ok(PrintedPage {
                image,
                width_pt,
                height_pt,
            })
        })
        .collect()
}
