//! A page to write on: text (left, centred, wrapped), rules and QR codes, in points from the
//! top-left corner, with the embedded Be Vietnam Pro font (regular and bold).

use std::sync::Arc;

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::num::NormalizedF32;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};

use crate::Error;

pub(crate) const REGULAR: &[u8] = include_bytes!("../fonts/BeVietnamPro-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../fonts/BeVietnamPro-Bold.ttf");

/// The two faces, for drawing (krilla) and for measuring (ttf-parser).
pub(crate) struct Fonts {
    regular: Font,
    bold: Font,
    regular_face: ttf_parser::Face<'static>,
    bold_face: ttf_parser::Face<'static>,
}

impl Fonts {
    pub(crate) fn load() -> Result<Fonts, Error> {
        let font =
            |bytes: &'static [u8]| Font::new(Arc::new(bytes.to_vec()).into(), 0).ok_or(Error::Font);
        let face =
            |bytes: &'static [u8]| ttf_parser::Face::parse(bytes, 0).map_err(|_| Error::Font);
        Ok(Fonts {
            regular: font(REGULAR)?,
            bold: font(BOLD)?,
            regular_face: face(REGULAR)?,
            bold_face: face(BOLD)?,
        })
    }

    /// The width of `text` set at `size` points.
    pub(crate) fn width(&self, text: &str, size: f32, bold: bool) -> f32 {
        let face = if bold {
            &self.bold_face
        } else {
            &self.regular_face
        };
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
}

pub(crate) struct Sheet<'a, 'b> {
    pub surface: Surface<'b>,
    pub fonts: &'a Fonts,
}

/// Paragraphs written one under the other (see [`Sheet::column`]).
pub(crate) struct Column<'s, 'a, 'b> {
    sheet: &'s mut Sheet<'a, 'b>,
    x: f32,
    pub y: f32,
    width: f32,
    size: f32,
}

impl Column<'_, '_, '_> {
    /// A paragraph in regular type.
    pub fn para(&mut self, text: &str) -> &mut Self {
        self.write(0.0, false, text)
    }

    /// A paragraph in bold.
    pub fn bold(&mut self, text: &str) -> &mut Self {
        self.write(0.0, true, text)
    }

    /// A paragraph indented by `indent` points.
    pub fn indented(&mut self, indent: f32, text: &str) -> &mut Self {
        self.write(indent, false, text)
    }

    /// Changes the width of the following paragraphs (e.g. once past a picture on the right).
    pub fn width(&mut self, width: f32) -> &mut Self {
        self.width = width;
        self
    }

    fn write(&mut self, indent: f32, bold: bool, text: &str) -> &mut Self {
        self.y = self.sheet.wrapped(
            self.x + indent,
            self.y,
            self.width - indent,
            self.size,
            bold,
            text,
        );
        self
    }
}

impl<'a, 'b> Sheet<'a, 'b> {
    /// Writes `text` with its baseline at `y`, starting at `x`.
    pub fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, text: &str) {
        let font = if bold {
            self.fonts.bold.clone()
        } else {
            self.fonts.regular.clone()
        };
        self.surface.set_fill(Some(black()));
        self.surface.draw_text(
            Point::from_xy(x, y),
            font,
            size,
            text,
            false,
            TextDirection::Auto,
        );
    }

    /// Writes `text` centred on `cx`.
    pub fn centred(&mut self, cx: f32, y: f32, size: f32, bold: bool, text: &str) {
        let w = self.fonts.width(text, size, bold);
        self.text(cx - w / 2.0, y, size, bold, text);
    }

    /// Writes `text` wrapped at word boundaries within `width`; returns the baseline below
    /// the last line.
    pub fn wrapped(
        &mut self,
        x: f32,
        mut y: f32,
        width: f32,
        size: f32,
        bold: bool,
        text: &str,
    ) -> f32 {
        for line in wrap(self.fonts, text, width, size, bold) {
            self.text(x, y, size, bold, &line);
            y += size * 1.4;
        }
        y
    }

    /// The heading every form shares: governing body and unit on the left, the national motto
    /// on the right, then the form's number and date. Returns the baseline of that last line.
    pub fn heading(
        &mut self,
        unit: &hoso_model::unit::Unit,
        number: &str,
        date: jiff::civil::Date,
        page_width: f32,
        margin: f32,
    ) -> f32 {
        let left_centre = margin + 85.0;
        let right_centre = page_width - margin - 95.0;
        self.centred(
            left_centre,
            margin + 8.0,
            8.0,
            false,
            &unit.governing_body.to_uppercase(),
        );
        let mut y = margin + 19.0;
        for line in wrap(self.fonts, &unit.name.to_uppercase(), 175.0, 8.0, true) {
            self.centred(left_centre, y, 8.0, true, &line);
            y += 10.0;
        }
        self.centred(
            right_centre,
            margin + 8.0,
            8.0,
            true,
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        );
        self.centred(
            right_centre,
            margin + 19.0,
            8.0,
            true,
            "Độc lập - Tự do - Hạnh phúc",
        );
        self.rule(right_centre - 45.0, right_centre + 45.0, margin + 23.5);
        y = y.max(margin + 34.0) + 6.0;
        self.text(margin, y, 8.5, false, &format!("Số: {number}"));
        let date = format!(
            "Ngày {} tháng {} năm {}",
            date.strftime("%d"),
            date.strftime("%m"),
            date.year()
        );
        self.centred(right_centre, y, 8.5, false, &date);
        y
    }

    /// Writes paragraphs one under the other from `(x, y)` in a column `width` wide.
    pub fn column(&mut self, x: f32, y: f32, width: f32, size: f32) -> Column<'_, 'a, 'b> {
        Column {
            sheet: self,
            x,
            y,
            width,
            size,
        }
    }

    /// A thin horizontal rule.
    pub fn rule(&mut self, x1: f32, x2: f32, y: f32) {
        let mut pb = PathBuilder::new();
        pb.move_to(x1, y);
        pb.line_to(x2, y);
        if let Some(path) = pb.finish() {
            self.surface.set_fill(None);
            self.surface.set_stroke(Some(Stroke {
                width: 0.6,
                ..Default::default()
            }));
            self.surface.draw_path(&path);
            self.surface.set_stroke(None);
        }
    }

    /// A QR code of `data`, `side` points wide, its top-left corner at (`x`, `y`).
    pub fn qr(&mut self, x: f32, y: f32, side: f32, data: &str) -> Result<(), Error> {
        let code = qrcode::QrCode::new(data.as_bytes()).map_err(|_| Error::Qr)?;
        let modules = code.width();
        let quiet = 2;
        let cell = side / (modules + 2 * quiet) as f32;
        let mut pb = PathBuilder::new();
        for (i, color) in code.to_colors().iter().enumerate() {
            if *color == qrcode::Color::Dark {
                let (col, row) = (i % modules, i / modules);
                let rx = x + (col + quiet) as f32 * cell;
                let ry = y + (row + quiet) as f32 * cell;
                if let Some(rect) = Rect::from_xywh(rx, ry, cell, cell) {
                    pb.push_rect(rect);
                }
            }
        }
        if let Some(path) = pb.finish() {
            self.surface.set_stroke(None);
            self.surface.set_fill(Some(black()));
            self.surface.draw_path(&path);
        }
        Ok(())
    }
}

fn black() -> Fill {
    Fill {
        paint: rgb::Color::new(0, 0, 0).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

/// Splits `text` into lines no wider than `width` (a word longer than a line stands alone).
pub(crate) fn wrap(fonts: &Fonts, text: &str, width: f32, size: f32, bold: bool) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if fonts.width(&candidate, size, bold) > width && !line.is_empty() {
            lines.push(std::mem::replace(&mut line, word.to_owned()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}
