//! Realistic scanned pages with their ground truth, for OCR tests and benchmarks.
//!
//! Real dossiers hold personal data and cannot be shipped with the code, so the tests need
//! pages that look like what a commune one-stop desk scans: Vietnamese administrative forms
//! (a birth registration declaration, a request to certify copies, a marital status
//! declaration) filled in with names, dates and addresses carrying every kind of diacritic,
//! printed in Be Vietnam Pro, scanned slightly askew on off-white paper with a little noise
//! and dust. Every page comes with the exact text printed on it, so a recogniser can be scored.
//!
//! Everything is deterministic for a given seed: the same options give the same pixels and the
//! same text on every machine, so a measured error rate stays comparable from run to run.
//! The people, places and numbers are invented.
//!
//! The forms and the invented people on them are in `documents`, how text is laid out and
//! printed on an A4 page in `layout`, what a scanner does to the print and the JPEG files it
//! delivers in `scanner`.

use image::{GrayImage, Luma};
use imageproc::drawing::draw_filled_rect_mut;
use imageproc::rect::Rect;

use crate::error::Result;

mod documents;
mod layout;
mod scanner;

use documents::compose;
use layout::{Canvas, Fonts, INK, a4_pixels, mm_to_px};
pub use scanner::{
    SCANNER_DPI, SCANNER_QUALITY, scanner_jpeg, scanner_jpegs, stamped, with_comment,
};
use scanner::{paper_and_noise, scan};

/// Which form a text page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    /// Tờ khai đăng ký khai sinh.
    BirthRegistration,
    /// Đơn đề nghị chứng thực bản sao từ bản chính.
    CertificationRequest,
    /// Tờ khai cấp Giấy xác nhận tình trạng hôn nhân.
    MaritalStatus,
}

impl DocumentKind {
    /// Every kind, in the order [`PageOptions::varied`] cycles through them.
    pub const ALL: [DocumentKind; 3] = [
        DocumentKind::BirthRegistration,
        DocumentKind::CertificationRequest,
        DocumentKind::MaritalStatus,
    ];
}

/// How to render one page.
#[derive(Debug, Clone, PartialEq)]
pub struct PageOptions {
    /// Picks the people, places and noise; the same seed gives the same page.
    pub seed: u64,
    /// Scan resolution; the page is A4 at this resolution.
    pub dpi: u32,
    /// Rotation of the printed content, in degrees (positive: clockwise), as a sheet laid
    /// slightly askew on the glass or pulled crooked by the feeder.
    pub skew_degrees: f32,
    /// Standard deviation of the per-pixel sensor noise, in grey levels (0 for none).
    pub noise: f32,
    /// The form to print; `None` lets the seed choose.
    pub kind: Option<DocumentKind>,
}

impl Default for PageOptions {
    fn default() -> Self {
        PageOptions {
            seed: 0,
            dpi: 300,
            skew_degrees: 1.0,
            noise: 6.0,
            kind: None,
        }
    }
}

impl PageOptions {
    /// Options for the `seed`-th page of a varied set: the form cycles through every kind and
    /// the skew is between 0.5° and 2° either way, as on a real batch from a feeder.
    pub fn varied(seed: u64) -> Self {
        let mut rng = fastrand::Rng::with_seed(seed ^ 0x5eed_5eed);
        let magnitude = 0.5 + 1.5 * rng.f32();
        let sign = if rng.bool() { 1.0 } else { -1.0 };
        let kind = DocumentKind::ALL[(seed % DocumentKind::ALL.len() as u64) as usize];
        PageOptions {
            seed,
            skew_degrees: sign * magnitude,
            kind: Some(kind),
            ..PageOptions::default()
        }
    }
}

/// A rendered page and the text printed on it.
#[derive(Debug, Clone)]
pub struct TestPage {
    /// The page as a scanner in greyscale mode would deliver it.
    pub image: GrayImage,
    /// The printed text, NFC, one line per printed line, in reading order.
    pub truth: String,
}

/// Renders a filled-in Vietnamese form as a scanned page.
///
/// Fails only if the embedded font cannot be parsed, which would be a build defect.
pub fn document_page(options: &PageOptions) -> Result<TestPage> {
    let fonts = Fonts::load()?;
    let mut rng = fastrand::Rng::with_seed(options.seed);
    let kind = options
        .kind
        .unwrap_or_else(|| DocumentKind::ALL[rng.usize(..DocumentKind::ALL.len())]);
    let blocks = compose(kind, &mut rng);
    let mut canvas = Canvas::new(options.dpi);
    let lines = canvas.lay_out(&fonts, &blocks);
    let image = scan(canvas.image, options, &mut rng);
    Ok(TestPage {
        image,
        truth: lines.join("\n"),
    })
}

/// A blank sheet as scanned: off-white paper with faint sensor noise and nothing printed.
pub fn blank_page(seed: u64, dpi: u32) -> GrayImage {
    let mut rng = fastrand::Rng::with_seed(seed);
    let (width, height) = a4_pixels(dpi);
    let mut image = GrayImage::from_pixel(width, height, Luma([255]));
    paper_and_noise(&mut image, 3.0, &mut rng);
    image
}

/// A sheet that is blank but for one tiny mark (a pen tick, a staple hole), the case a blank
/// page detector must not call empty too eagerly, nor OCR fill with invented text.
pub fn marked_page(seed: u64, dpi: u32) -> GrayImage {
    let mut rng = fastrand::Rng::with_seed(seed);
    let (width, height) = a4_pixels(dpi);
    let mut image = GrayImage::from_pixel(width, height, Luma([255]));
    let size = mm_to_px(2.0, dpi).max(2);
    let x = rng.u32(width / 4..width * 3 / 4);
    let y = rng.u32(height / 4..height * 3 / 4);
    draw_filled_rect_mut(
        &mut image,
        Rect::at(x as i32, y as i32).of_size(size, size.div_ceil(2)),
        Luma([INK]),
    );
    paper_and_noise(&mut image, 3.0, &mut rng);
    image
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_page() {
        let options = PageOptions {
            dpi: 100,
            ..PageOptions::varied(4)
        };
        let a = document_page(&options).unwrap();
        let b = document_page(&options).unwrap();
        assert_eq!(a.truth, b.truth);
        assert_eq!(a.image, b.image);
        assert_eq!(a.image.dimensions(), (827, 1169));
    }
}
