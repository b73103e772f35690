//! The fast look at a page, done as soon as its bytes are safe on disk: a reduced decode (a JPEG
//! is decoded at 1/2, 1/4 or 1/8 of its size straight from its DCT coefficients, so a 300-dpi page
//! costs a fraction of a full decode), then from that small image the thumbnail, how much ink
//! the page carries (blank pages), whether it has colour (stamps), a QR code (receipts and cover
//! sheets), a perceptual hash (the same page scanned twice) and its skew.

use image::{DynamicImage, GrayImage, RgbImage};

use crate::source::ImageFormat;
use crate::{CaptureError, Result};

/// The long side of the image the analysis works on: about 75 dpi for an A4 page, enough to
/// read a receipt's QR code and to see a line of text.
const ANALYSIS_LONG_SIDE: u32 = 1100;
/// The thumbnail's width in pixels.
pub const THUMBNAIL_WIDTH: u32 = 200;
/// Below this share of inked pixels (isolated specks not counted) a page is taken for blank.
pub const BLANK_INK_SHARE: f32 = 0.0004;
/// Skew below this many degrees is left alone: correcting it would change nothing a reader sees.
pub const DESKEW_THRESHOLD_DEGREES: f32 = 0.3;

/// What the fast pass found on a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// The share of the page (margins excluded) covered by ink, 0…1.
    pub ink: f32,
    pub blank: bool,
    /// Whether the page has coloured marks (a red stamp, a signature in blue).
    pub colour: bool,
    /// The text of the first QR code found, if any.
    pub qr: Option<String>,
    /// A 64-bit gradient hash: near-identical pages differ in a few bits.
    pub phash: u64,
    /// How far the text lines lean, in degrees (positive: clockwise); 0 when it cannot be told.
    pub skew_degrees: f32,
    /// A small JPEG of the page.
    pub thumbnail: Vec<u8>,
    pub thumbnail_width: u32,
    pub thumbnail_height: u32,
}

/// Analyses an encoded image page.
pub fn analyse_image(bytes: &[u8], format: ImageFormat) -> Result<Analysis> {
    let small = match format {
        ImageFormat::Jpeg => reduced_jpeg(bytes)?,
        ImageFormat::Png => {
            let full = crate::import::decode(bytes, format)?;
            shrink(full)
        }
    };
    Ok(analyse_pixels(&small))
}

/// Analyses page `index` of a PDF, rendered at the analysis size.
pub fn analyse_pdf_page(pdf_bytes: &[u8], index: usize) -> Result<Analysis> {
    let small = render_pdf_page(pdf_bytes, index, ANALYSIS_LONG_SIDE)?;
    Ok(analyse_pixels(&small))
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

fn render_page_at(page: &hayro::hayro_syntax::page::Page<'_>, dpi: f32) -> Result<DynamicImage> {
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
fn page_jpeg(page: &hayro::hayro_syntax::page::Page<'_>) -> Option<Vec<u8>> {
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
    crate::pdf::writer::jpeg_components(&bytes)
        .is_some_and(|n| n == 1 || n == 3)
        .then_some(bytes)
}

/// `f` on page `index` of a PDF.
fn with_pdf_page<T>(
    pdf_bytes: &[u8],
    index: usize,
    f: impl FnOnce(&hayro::hayro_syntax::page::Page<'_>) -> Result<T>,
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
fn render_page(page: &hayro::hayro_syntax::page::Page<'_>, long_side: u32) -> Result<DynamicImage> {
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

/// Decodes a JPEG at the smallest DCT scale that still gives the analysis size.
pub fn reduced_jpeg(bytes: &[u8]) -> Result<DynamicImage> {
    let (width, height) = crate::import::dimensions(bytes, ImageFormat::Jpeg)?;
    let long = width.max(height).max(1);
    let mut decoder = jpeg_decoder::Decoder::new(bytes);
    decoder.set_max_decoding_buffer_size(crate::import::MAX_PIXELS as usize * 4);
    let factor = ANALYSIS_LONG_SIDE as f32 / long as f32;
    let req_w = ((width as f32 * factor).ceil() as u32).clamp(1, u32::from(u16::MAX)) as u16;
    let req_h = ((height as f32 * factor).ceil() as u32).clamp(1, u32::from(u16::MAX)) as u16;
    let (w, h) = decoder.scale(req_w, req_h).map_err(jpeg_error)?;
    let pixels = decoder.decode().map_err(jpeg_error)?;
    let info = decoder
        .info()
        .ok_or_else(|| CaptureError::Corrupt("JPEG without a frame".into()))?;
    let (w, h) = (u32::from(w), u32::from(h));
    let image = match info.pixel_format {
        jpeg_decoder::PixelFormat::L8 => GrayImage::from_raw(w, h, pixels).map(DynamicImage::from),
        jpeg_decoder::PixelFormat::RGB24 => {
            RgbImage::from_raw(w, h, pixels).map(DynamicImage::from)
        }
        jpeg_decoder::PixelFormat::CMYK32 => Some(DynamicImage::from(cmyk_to_rgb(w, h, &pixels))),
        jpeg_decoder::PixelFormat::L16 => {
            return Err(CaptureError::Corrupt("12-bit JPEG is not supported".into()));
        }
    }
    .ok_or_else(|| CaptureError::Corrupt("JPEG shorter than its size".into()))?;
    Ok(image)
}

fn jpeg_error(err: jpeg_decoder::Error) -> CaptureError {
    CaptureError::Corrupt(format!("JPEG: {err}"))
}

fn cmyk_to_rgb(w: u32, h: u32, cmyk: &[u8]) -> RgbImage {
    let mut rgb = RgbImage::new(w, h);
    for (dst, src) in rgb.pixels_mut().zip(cmyk.chunks_exact(4)) {
        let k = u16::from(src[3]);
        let f = |c: u8| (u16::from(c) * k / 255) as u8;
        *dst = image::Rgb([f(src[0]), f(src[1]), f(src[2])]);
    }
    rgb
}

fn shrink(full: DynamicImage) -> DynamicImage {
    let long = full.width().max(full.height());
    if long <= ANALYSIS_LONG_SIDE {
        return full;
    }
    let scale = ANALYSIS_LONG_SIDE as f32 / long as f32;
    let w = ((full.width() as f32 * scale).round() as u32).max(1);
    let h = ((full.height() as f32 * scale).round() as u32).max(1);
    full.resize_exact(w, h, image::imageops::FilterType::Triangle)
}

/// Everything the fast pass reads from the reduced image.
pub fn analyse_pixels(small: &DynamicImage) -> Analysis {
    let grey = small.to_luma8();
    // A dark page (an open lid, a black sheet) is not paper with ink on it: never blank.
    let dark = background(&grey) < 128;
    let ink = if dark { 1.0 } else { ink_share(&grey) };
    let thumbnail = thumbnail(small);
    Analysis {
        ink,
        blank: ink < BLANK_INK_SHARE,
        colour: has_colour(small),
        qr: find_qr(&grey),
        phash: perceptual_hash(small),
        skew_degrees: estimate_skew(&grey),
        thumbnail_width: thumbnail.0,
        thumbnail_height: thumbnail.1,
        thumbnail: thumbnail.2,
    }
}

/// The paper's brightness: a high percentile, so that ink and dark borders do not pull it down.
fn background(grey: &GrayImage) -> u8 {
    let mut histogram = [0u32; 256];
    for p in grey.pixels() {
        histogram[usize::from(p[0])] += 1;
    }
    let total: u32 = histogram.iter().sum();
    let mut seen = 0;
    for level in (0..256).rev() {
        seen += histogram[level];
        if seen * 10 >= total {
            return level as u8;
        }
    }
    255
}

/// Whether each pixel is ink: clearly darker than the paper.
fn ink_mask(grey: &GrayImage) -> Vec<bool> {
    let bg = i32::from(background(grey));
    let threshold = (bg - 70).max(bg / 2);
    grey.pixels().map(|p| i32::from(p[0]) < threshold).collect()
}

/// The share of inked pixels inside the margins, counting only pixels with inked neighbours so
/// that scanner noise and dust make no ink.
fn ink_share(grey: &GrayImage) -> f32 {
    let (w, h) = (grey.width() as usize, grey.height() as usize);
    if w < 3 || h < 3 {
        return 0.0;
    }
    let mask = ink_mask(grey);
    let (mx, my) = ((w / 25).max(1), (h / 25).max(1));
    let mut inked = 0usize;
    let mut counted = 0usize;
    for y in my..h - my {
        for x in mx..w - mx {
            counted += 1;
            if !mask[y * w + x] {
                continue;
            }
            let neighbours = [
                mask[(y - 1) * w + x],
                mask[(y + 1) * w + x],
                mask[y * w + x - 1],
                mask[y * w + x + 1],
            ]
            .iter()
            .filter(|&&m| m)
            .count();
            if neighbours >= 2 {
                inked += 1;
            }
        }
    }
    if counted == 0 {
        0.0
    } else {
        inked as f32 / counted as f32
    }
}

/// Whether coloured marks are on the page: enough strongly coloured pixels (a stamp is a few
/// thousandths of a page) that JPEG's colour noise around black text does not count.
fn has_colour(image: &DynamicImage) -> bool {
    let rgb = match image {
        DynamicImage::ImageLuma8(_) | DynamicImage::ImageLuma16(_) => return false,
        other => other.to_rgb8(),
    };
    let coloured = rgb
        .pixels()
        .filter(|p| {
            let max = p.0.iter().copied().max().unwrap_or(0);
            let min = p.0.iter().copied().min().unwrap_or(0);
            max - min > 60
        })
        .count();
    coloured as f64 / (rgb.width() as f64 * rgb.height() as f64).max(1.0) > 0.0005
}

fn find_qr(grey: &GrayImage) -> Option<String> {
    let mut prepared = rqrr::PreparedImage::prepare(grey.clone());
    prepared
        .detect_grids()
        .iter()
        .find_map(|grid| grid.decode().ok().map(|(_, text)| text))
}

fn perceptual_hash(image: &DynamicImage) -> u64 {
    let hasher = image_hasher::HasherConfig::new()
        .hash_size(8, 8)
        .hash_alg(image_hasher::HashAlg::Gradient)
        .to_hasher();
    let hash = hasher.hash_image(image);
    let mut bytes = [0u8; 8];
    for (dst, src) in bytes.iter_mut().zip(hash.as_bytes()) {
        *dst = *src;
    }
    u64::from_be_bytes(bytes)
}

/// How many bits two perceptual hashes differ by: 0–5 is the same page scanned again.
pub fn hash_distance(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

/// Two pages whose hashes differ by at most this many bits are taken for the same page.
pub const NEAR_DUPLICATE_BITS: u32 = 4;

/// The skew of the text lines, by projection profiles: the angle at which the rows of ink are
/// sharpest (their counts' squares sum highest). Searched within ±5°, coarse then fine.
pub fn estimate_skew(grey: &GrayImage) -> f32 {
    let (w, h) = (grey.width() as usize, grey.height() as usize);
    let mask = ink_mask(grey);
    let points: Vec<(f32, f32)> = (0..h)
        .flat_map(|y| (0..w).map(move |x| (x, y)))
        .filter(|&(x, y)| mask[y * w + x])
        .map(|(x, y)| (x as f32 - w as f32 / 2.0, y as f32))
        .collect();
    // Too little ink (a blank page) or too much (a photo) tells nothing about lines.
    if points.len() < 200 || points.len() > w * h / 3 {
        return 0.0;
    }
    let score = |degrees: f32| -> f64 {
        let tan = degrees.to_radians().tan();
        let mut rows = vec![0u32; h + w];
        let offset = w as f32 / 2.0;
        for &(x, y) in &points {
            let r = (y - x * tan + offset).round();
            if r >= 0.0 && (r as usize) < rows.len() {
                rows[r as usize] += 1;
            }
        }
        rows.iter().map(|&c| f64::from(c) * f64::from(c)).sum()
    };
    let best = |from: f32, to: f32, step: f32| -> f32 {
        let mut best = (0.0f32, f64::MIN);
        let mut a = from;
        while a <= to + 1e-6 {
            let s = score(a);
            if s > best.1 {
                best = (a, s);
            }
            a += step;
        }
        best.0
    };
    let coarse = best(-5.0, 5.0, 0.5);
    let fine = best(coarse - 0.5, coarse + 0.5, 0.1);
    if fine.abs() < 0.05 { 0.0 } else { fine }
}

fn thumbnail(image: &DynamicImage) -> (u32, u32, Vec<u8>) {
    let scale = THUMBNAIL_WIDTH as f32 / image.width().max(1) as f32;
    let h = ((image.height() as f32 * scale).round() as u32).max(1);
    let small = image.resize_exact(THUMBNAIL_WIDTH, h, image::imageops::FilterType::Triangle);
    let rgb = small.to_rgb8();
    let mut out = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80);
    // Encoding a few kilobytes to memory cannot fail for an RGB image.
    if encoder.encode_image(&rgb).is_err() {
        out.clear();
    }
    (THUMBNAIL_WIDTH, h, out)
}

/// The resolution an image file declares (JFIF density, PNG pHYs), in dots per inch.
pub fn dpi_of(bytes: &[u8], format: ImageFormat) -> Option<u32> {
    match format {
        ImageFormat::Jpeg => jfif_dpi(bytes),
        ImageFormat::Png => {
            let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
            let reader = decoder.read_info().ok()?;
            let dims = reader.info().pixel_dims?;
            (dims.unit == png::Unit::Meter && dims.xppu > 0)
                .then(|| (f64::from(dims.xppu) * 0.0254).round() as u32)
        }
    }
}

/// The density of a JFIF APP0 segment: `FF D8 FF E0 len "JFIF\0" ver(2) units x(2) y(2)`.
fn jfif_dpi(bytes: &[u8]) -> Option<u32> {
    let app0 = bytes.get(2..20)?;
    if app0[0..2] != [0xFF, 0xE0] || &app0[4..9] != b"JFIF\0" {
        return None;
    }
    let units = app0[11];
    let x = u32::from(u16::from_be_bytes([app0[12], app0[13]]));
    match (units, x) {
        (_, 0) => None,
        (1, x) => Some(x),
        (2, x) => Some((f64::from(x) * 2.54).round() as u32),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page_with_lines(degrees: f32) -> GrayImage {
        let (w, h) = (800u32, 1100u32);
        let tan = degrees.to_radians().tan();
        GrayImage::from_fn(w, h, |x, y| {
            // Clockwise by `degrees`: lines descend to the right (y grows downwards).
            let yy = y as f32 - (x as f32 - w as f32 / 2.0) * tan;
            let row = (yy as i32).div_euclid(40);
            let end = 150 + (row * 137).rem_euclid(550) as u32;
            let line = (yy as i32).rem_euclid(40) < 6 && (100..end).contains(&x) && yy > 100.0;
            image::Luma([if line { 20 } else { 245 }])
        })
    }

    #[test]
    fn skew_is_found_within_a_tenth_of_a_degree() {
        for degrees in [-3.0f32, -1.2, 0.0, 0.8, 2.5] {
            let found = estimate_skew(&page_with_lines(degrees));
            assert!(
                (found - degrees).abs() <= 0.11,
                "{degrees}° found as {found}°"
            );
        }
    }

    #[test]
    fn a_white_page_with_specks_is_blank_and_a_page_of_lines_is_not() {
        let mut speckled = GrayImage::from_pixel(800, 1100, image::Luma([240]));
        for i in 0..400u32 {
            speckled.put_pixel((i * 7919) % 800, (i * 104_729) % 1100, image::Luma([0]));
        }
        let blank = analyse_pixels(&DynamicImage::from(speckled));
        assert!(blank.blank, "ink {}", blank.ink);
        let text = analyse_pixels(&DynamicImage::from(page_with_lines(0.0)));
        assert!(!text.blank && text.ink > 0.05);
    }

    #[test]
    fn a_black_page_is_not_blank() {
        let black = GrayImage::from_pixel(800, 1100, image::Luma([5]));
        assert!(!analyse_pixels(&DynamicImage::from(black)).blank);
    }

    #[test]
    fn grey_pages_have_no_colour_and_a_red_stamp_has() {
        let grey = DynamicImage::from(page_with_lines(0.0));
        assert!(!analyse_pixels(&grey).colour);
        let mut rgb = grey.to_rgb8();
        for y in 500..560 {
            for x in 500..560 {
                rgb.put_pixel(x, y, image::Rgb([200, 30, 30]));
            }
        }
        assert!(analyse_pixels(&DynamicImage::from(rgb)).colour);
    }

    #[test]
    fn the_same_page_hashes_alike_and_another_page_does_not() {
        let a = DynamicImage::from(page_with_lines(0.0));
        // The same page scanned again: a little lighter, with specks of dust.
        let noisy = {
            let mut g = page_with_lines(0.0);
            for p in g.pixels_mut() {
                p[0] = p[0].saturating_add(8);
            }
            for i in 0..2000u32 {
                g.put_pixel((i * 7919) % 800, (i * 104_729) % 1100, image::Luma([90]));
            }
            DynamicImage::from(g)
        };
        let other = DynamicImage::from(GrayImage::from_fn(800, 1100, |x, _| {
            image::Luma([if x < 400 { 30 } else { 240 }])
        }));
        let (ha, hn, ho) = (
            perceptual_hash(&a),
            perceptual_hash(&noisy),
            perceptual_hash(&other),
        );
        assert!(hash_distance(ha, hn) <= NEAR_DUPLICATE_BITS);
        assert!(hash_distance(ha, ho) > NEAR_DUPLICATE_BITS * 3);
    }
}
