//! Text laid out and printed on an A4 page as Vietnamese administrative documents are: the
//! workspace's font, the margins of Decree 30/2020, blocks of fields, prose, titles and
//! signatures, wrapped to the text width.

use ab_glyph::{Font, FontRef, PxScale};
use image::{GrayImage, Luma};
use imageproc::drawing::{draw_filled_rect_mut, draw_text_mut, text_size};
use imageproc::rect::Rect;

use crate::error::{CaptureError, Result};

/// The two weights of the workspace's Vietnamese font (the forms crate prints with it too).
pub(super) const REGULAR_TTF: &[u8] =
    include_bytes!("../../../forms/fonts/BeVietnamPro-Regular.ttf");
pub(super) const BOLD_TTF: &[u8] = include_bytes!("../../../forms/fonts/BeVietnamPro-Bold.ttf");

/// A4 in millimetres.
pub(super) const PAGE_WIDTH_MM: f32 = 210.0;
pub(super) const PAGE_HEIGHT_MM: f32 = 297.0;
/// Margins of Vietnamese administrative documents (Decree 30/2020): wide binding margin left.
pub(super) const MARGIN_LEFT_MM: f32 = 30.0;
pub(super) const MARGIN_RIGHT_MM: f32 = 20.0;
pub(super) const MARGIN_TOP_MM: f32 = 20.0;
pub(super) const MARGIN_BOTTOM_MM: f32 = 20.0;
/// Body text size in points, and line pitch as a multiple of the font's own line height.
pub(super) const BODY_PT: f32 = 13.0;
pub(super) const LINE_PITCH: f32 = 1.08;
/// Grey levels: printer toner is never pure black and scanned paper never pure white.
pub(super) const INK: u8 = 28;

/// The page size in pixels at `dpi`.
pub(super) fn a4_pixels(dpi: u32) -> (u32, u32) {
    (mm_to_px(PAGE_WIDTH_MM, dpi), mm_to_px(PAGE_HEIGHT_MM, dpi))
}

pub(super) fn mm_to_px(mm: f32, dpi: u32) -> u32 {
    (mm / 25.4 * dpi as f32).round() as u32
}

pub(super) struct Fonts {
    regular: FontRef<'static>,
    bold: FontRef<'static>,
}

impl Fonts {
    pub(super) fn load() -> Result<Self> {
        let parse = |bytes: &'static [u8]| {
            FontRef::try_from_slice(bytes)
                .map_err(|_| CaptureError::Corrupt("the embedded test font".into()))
        };
        Ok(Fonts {
            regular: parse(REGULAR_TTF)?,
            bold: parse(BOLD_TTF)?,
        })
    }

    pub(super) fn get(&self, bold: bool) -> &FontRef<'static> {
        if bold { &self.bold } else { &self.regular }
    }
}

/// How a block sits on the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Align {
    Left,
    Centre,
    /// Centred on the right half of the text area, where forms put the date and signature.
    RightHalf,
}

/// One paragraph of a form: wrapped to the text width when too long.
#[derive(Debug, Clone)]
pub(super) struct Block {
    pub(super) text: String,
    pub(super) align: Align,
    pub(super) bold: bool,
    pub(super) size_pt: f32,
    /// Extra space above, in lines of this block's size.
    pub(super) space_before: f32,
    /// First-line indent in millimetres (prose paragraphs).
    pub(super) indent_mm: f32,
    /// A short rule under the block (the line under the national motto).
    pub(super) rule_below: bool,
}

impl Block {
    pub(super) fn field(text: impl Into<String>) -> Self {
        Block {
            text: text.into(),
            align: Align::Left,
            bold: false,
            size_pt: BODY_PT,
            space_before: 0.0,
            indent_mm: 0.0,
            rule_below: false,
        }
    }

    pub(super) fn prose(text: impl Into<String>) -> Self {
        Block {
            indent_mm: 10.0,
            space_before: 0.3,
            ..Block::field(text)
        }
    }

    pub(super) fn centred(text: impl Into<String>, bold: bool, size_pt: f32) -> Self {
        Block {
            align: Align::Centre,
            bold,
            size_pt,
            ..Block::field(text)
        }
    }

    pub(super) fn signature(text: impl Into<String>, bold: bool) -> Self {
        Block {
            align: Align::RightHalf,
            bold,
            ..Block::field(text)
        }
    }

    pub(super) fn space(mut self, lines: f32) -> Self {
        self.space_before = lines;
        self
    }
}

/// The white page being printed on, with a cursor moving down it.
pub(super) struct Canvas {
    pub(super) image: GrayImage,
    pub(super) dpi: u32,
    /// Top of the next line, in pixels.
    pub(super) y: f32,
}

impl Canvas {
    pub(super) fn new(dpi: u32) -> Self {
        let (width, height) = a4_pixels(dpi);
        Canvas {
            image: GrayImage::from_pixel(width, height, Luma([255])),
            dpi,
            y: mm_to_px(MARGIN_TOP_MM, dpi) as f32,
        }
    }

    pub(super) fn left(&self) -> f32 {
        mm_to_px(MARGIN_LEFT_MM, self.dpi) as f32
    }

    pub(super) fn text_width(&self) -> f32 {
        self.image.width() as f32 - self.left() - mm_to_px(MARGIN_RIGHT_MM, self.dpi) as f32
    }

    pub(super) fn bottom(&self) -> f32 {
        self.image.height() as f32 - mm_to_px(MARGIN_BOTTOM_MM, self.dpi) as f32
    }

    /// The scale that prints `pt` points at this resolution (ab_glyph scales by line height,
    /// not by em, hence the ratio).
    pub(super) fn scale(&self, font: &FontRef<'_>, pt: f32) -> PxScale {
        let px_per_em = pt / 72.0 * self.dpi as f32;
        let units_per_em = font.units_per_em().unwrap_or(1000.0);
        PxScale::from(px_per_em * font.height_unscaled() / units_per_em)
    }

    /// Prints the blocks top to bottom until the page is full; returns the printed lines.
    pub(super) fn lay_out(&mut self, fonts: &Fonts, blocks: &[Block]) -> Vec<String> {
        let mut printed = Vec::new();
        for block in blocks {
            let font = fonts.get(block.bold);
            let scale = self.scale(font, block.size_pt);
            let pitch = scale.y * LINE_PITCH;
            self.y += block.space_before * pitch;
            let indent = mm_to_px(block.indent_mm, self.dpi) as f32;
            for (index, line) in wrap(font, scale, &block.text, self.text_width(), indent)
                .into_iter()
                .enumerate()
            {
                if self.y + pitch > self.bottom() {
                    return printed;
                }
                let first_indent = if index == 0 { indent } else { 0.0 };
                self.print_line(font, scale, &line, block.align, first_indent);
                self.y += pitch;
                printed.push(line);
            }
            if block.rule_below {
                self.rule(font, scale, &block.text);
            }
        }
        printed
    }

    pub(super) fn print_line(
        &mut self,
        font: &FontRef<'_>,
        scale: PxScale,
        line: &str,
        align: Align,
        indent: f32,
    ) {
        let (width, _) = text_size(scale, font, line);
        let width = width as f32;
        let x = match align {
            Align::Left => self.left() + indent,
            Align::Centre => self.left() + (self.text_width() - width) / 2.0,
            Align::RightHalf => self.left() + self.text_width() * 0.75 - width / 2.0,
        };
        draw_text_mut(
            &mut self.image,
            Luma([INK]),
            x.round() as i32,
            self.y.round() as i32,
            scale,
            font,
            line,
        );
    }

    /// A thin rule, a third as wide as the block above, centred under it.
    pub(super) fn rule(&mut self, font: &FontRef<'_>, scale: PxScale, above: &str) {
        let (width, _) = text_size(scale, font, above);
        let length = (width / 3).max(1);
        let x = self.left() + (self.text_width() - length as f32) / 2.0;
        let thickness = (self.dpi / 150).max(1);
        draw_filled_rect_mut(
            &mut self.image,
            Rect::at(x.round() as i32, (self.y + scale.y * 0.05).round() as i32)
                .of_size(length, thickness),
            Luma([INK]),
        );
        self.y += scale.y * 0.4;
    }
}

/// Greedy word wrap: as many words per line as fit in `width` pixels (the first line is
/// `indent` narrower). A single word wider than the line gets a line of its own. Runs of
/// spaces inside a line are kept: forms use them to set fields apart.
pub(super) fn wrap(
    font: &FontRef<'_>,
    scale: PxScale,
    text: &str,
    width: f32,
    indent: f32,
) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split(' ') {
        if current.is_empty() && word.is_empty() {
            continue;
        }
        let candidate = if current.is_empty() {
            word.to_owned()
        } else {
            format!("{current} {word}")
        };
        let available = if lines.is_empty() {
            width - indent
        } else {
            width
        };
        if current.is_empty() || text_size(scale, font, &candidate).0 as f32 <= available {
            current = candidate;
        } else {
            lines.push(
                std::mem::replace(&mut current, word.to_owned())
                    .trim_end()
                    .to_owned(),
            );
        }
    }
    if !current.is_empty() {
        lines.push(current.trim_end().to_owned());
    }
    lines
}
