//! The fast look at a page, done as soon as its bytes are safe on disk: a reduced decode (a JPEG
//! at 1/2, 1/4 or 1/8 of its size straight from its DCT coefficients, see [`decode`]; a PDF
//! page drawn small by [`pdf::read`](crate::pdf::read)), then from that small image the
//! thumbnail, how much ink the page carries (blank pages), whether it has colour (stamps), a QR
//! code (receipts and cover sheets), a perceptual hash (the same page scanned twice) and its
//! skew.

use image::{DynamicImage, GrayImage};

use crate::source::ImageFormat;
use crate::{Result, decode};

/// The long side of the image the analysis works on: about 75 dpi for an A4 page, enough to
/// read a receipt's QR code and to see a line of text.
pub const ANALYSIS_LONG_SIDE: u32 = 1100;
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
        ImageFormat::Jpeg => decode::reduced_jpeg(bytes, ANALYSIS_LONG_SIDE)?,
        ImageFormat::Png => shrink(decode::decode(bytes, format)?),
    };
    Ok(analyse_pixels(&small))
}

/// Analyses page `index` of a PDF, rendered at the analysis size.
pub fn analyse_pdf_page(pdf_bytes: &[u8], index: usize) -> Result<Analysis> {
    let small = crate::pdf::read::render_pdf_page(pdf_bytes, index, ANALYSIS_LONG_SIDE)?;
    Ok(analyse_pixels(&small))
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
