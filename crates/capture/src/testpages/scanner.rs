//! What a scanner does to a printed page (skew, paper tone, sensor noise, dust) and the JPEG
//! files it delivers, for benchmarks.

use image::{GrayImage, Luma};
use imageproc::drawing::draw_filled_rect_mut;
use imageproc::geometric_transformations::{Interpolation, rotate_about_center};
use imageproc::rect::Rect;

use super::{PageOptions, document_page};

/// Turns the clean print into a scan: skew, paper tone, sensor noise, a few dust specks.
pub(super) fn scan(print: GrayImage, options: &PageOptions, rng: &mut fastrand::Rng) -> GrayImage {
    let mut image = if options.skew_degrees == 0.0 {
        print
    } else {
        rotate_about_center(
            &print,
            options.skew_degrees.to_radians(),
            Interpolation::Bilinear,
            imageproc::geometric_transformations::Border::Constant(Luma([255])),
        )
    };
    dust(&mut image, rng, options.dpi);
    paper_and_noise(&mut image, options.noise, rng);
    image
}

/// Maps white to a slightly grey paper tone and adds zero-mean noise of deviation `noise`.
pub(super) fn paper_and_noise(image: &mut GrayImage, noise: f32, rng: &mut fastrand::Rng) {
    let paper = 238.0 + 12.0 * rng.f32();
    for pixel in image.pixels_mut() {
        let value = f32::from(pixel.0[0]) * paper / 255.0 + noise * normal(rng);
        pixel.0[0] = value.round().clamp(0.0, 255.0) as u8;
    }
}

/// An approximately standard normal sample: the sum of three uniforms (Irwin–Hall), rescaled.
/// Cheap, bounded, and plenty for sensor noise.
pub(super) fn normal(rng: &mut fastrand::Rng) -> f32 {
    // Each uniform on [-1, 1] has variance 1/3, so three of them sum to variance 1.
    (0..3).map(|_| rng.f32() * 2.0 - 1.0).sum()
}

/// A few small dark specks anywhere on the page, as dust on the scanner glass leaves.
pub(super) fn dust(image: &mut GrayImage, rng: &mut fastrand::Rng, dpi: u32) {
    let (width, height) = image.dimensions();
    let max_size = (dpi / 150).max(1) + 1;
    for _ in 0..rng.usize(10..40) {
        let size = rng.u32(1..=max_size);
        let x = rng.u32(..width.saturating_sub(size).max(1));
        let y = rng.u32(..height.saturating_sub(size).max(1));
        let grey = rng.u8(60..160);
        draw_filled_rect_mut(
            image,
            Rect::at(x as i32, y as i32).of_size(size, size),
            Luma([grey]),
        );
    }
}

/// The resolution of [`scanner_jpeg`] pages.
pub const SCANNER_DPI: u16 = 300;
/// The JPEG quality of [`scanner_jpeg`] pages, as office scanners use.
pub const SCANNER_QUALITY: u8 = 85;

/// `count` distinct pages as [`scanner_jpeg`] makes them, rendered on every core (for
/// benchmarks' set-up).
pub fn scanner_jpegs(count: usize) -> std::result::Result<Vec<Vec<u8>>, String> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(count);
    let mut made: Vec<(usize, std::result::Result<Vec<u8>, String>)> =
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|t| {
                    scope.spawn(move || {
                        (t..count)
                            .step_by(threads)
                            .map(|i| (i, scanner_jpeg(i as u64)))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|w| {
                    w.join()
                        .unwrap_or_else(|_| vec![(0, Err("a page generator panicked".into()))])
                })
                .collect()
        });
    made.sort_by_key(|(i, _)| *i);
    made.into_iter()
        .map(|(_, page)| page)
        .collect::<std::result::Result<Vec<_>, _>>()
}

/// Test page `seed` as a scanner's JPEG: grey, or every third page in colour with a red stamp
/// (results and coloured components are scanned in colour).
pub fn scanner_jpeg(seed: u64) -> std::result::Result<Vec<u8>, String> {
    let page = document_page(&PageOptions::varied(seed)).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, SCANNER_QUALITY);
    encoder.set_pixel_density(image::codecs::jpeg::PixelDensity::dpi(SCANNER_DPI));
    let encoded = if seed % 3 == 2 {
        encoder.encode_image(&stamped(&page.image))
    } else {
        encoder.encode_image(&page.image)
    };
    encoded.map_err(|e| e.to_string())?;
    Ok(out)
}

/// The page in colour with a round red stamp over the signature, the text showing through.
pub fn stamped(grey: &GrayImage) -> image::RgbImage {
    let (w, h) = grey.dimensions();
    let mut rgb = image::RgbImage::from_fn(w, h, |x, y| {
        let g = grey.get_pixel(x, y).0[0];
        image::Rgb([g, g, g])
    });
    let (cx, cy) = (w as f32 * 0.66, h as f32 * 0.80);
    let outer = w as f32 * 0.07;
    let x0 = (cx - outer).max(0.0) as u32;
    let y0 = (cy - outer).max(0.0) as u32;
    let x1 = ((cx + outer) as u32).min(w);
    let y1 = ((cy + outer) as u32).min(h);
    for y in y0..y1 {
        for x in x0..x1 {
            let r = ((x as f32 - cx).powi(2) + (y as f32 - cy).powi(2)).sqrt();
            let ring = (outer - 14.0..outer).contains(&r)
                || (outer * 0.72 - 5.0..outer * 0.72).contains(&r)
                || ((y as f32 - cy).abs() < 6.0 && r < outer * 0.6);
            if ring {
                let p = rgb.get_pixel_mut(x, y);
                let g = p.0[0];
                *p = image::Rgb([g.min(205), g.min(35), g.min(45)]);
            }
        }
    }
    rgb
}

/// The JPEG with a comment segment after its JFIF header (which readers look for first), so
/// copies of one page are different files showing the same pixels.
pub fn with_comment(jpeg: &[u8], text: &str) -> Vec<u8> {
    let at = if jpeg.get(2..4) == Some(&[0xFF, 0xE0][..]) && jpeg.len() > 6 {
        4 + usize::from(u16::from_be_bytes([jpeg[4], jpeg[5]]))
    } else {
        2
    };
    let mut out = Vec::with_capacity(jpeg.len() + text.len() + 4);
    out.extend_from_slice(&jpeg[..at]);
    out.extend_from_slice(&[0xFF, 0xFE]);
    out.extend_from_slice(&((text.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(text.as_bytes());
    out.extend_from_slice(&jpeg[at..]);
    out
}
