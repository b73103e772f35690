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

use ab_glyph::{Font, FontRef, PxScale};
use image::{GrayImage, Luma};
use imageproc::drawing::{draw_filled_rect_mut, draw_text_mut, text_size};
use imageproc::geometric_transformations::{Interpolation, rotate_about_center};
use imageproc::rect::Rect;

use crate::error::{CaptureError, Result};

/// The two weights of the workspace's Vietnamese font (the forms crate prints with it too).
const REGULAR_TTF: &[u8] = include_bytes!("../../forms/fonts/BeVietnamPro-Regular.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../forms/fonts/BeVietnamPro-Bold.ttf");

/// A4 in millimetres.
const PAGE_WIDTH_MM: f32 = 210.0;
const PAGE_HEIGHT_MM: f32 = 297.0;
/// Margins of Vietnamese administrative documents (Decree 30/2020): wide binding margin left.
const MARGIN_LEFT_MM: f32 = 30.0;
const MARGIN_RIGHT_MM: f32 = 20.0;
const MARGIN_TOP_MM: f32 = 20.0;
const MARGIN_BOTTOM_MM: f32 = 20.0;
/// Body text size in points, and line pitch as a multiple of the font's own line height.
const BODY_PT: f32 = 13.0;
const LINE_PITCH: f32 = 1.08;
/// Grey levels: printer toner is never pure black and scanned paper never pure white.
const INK: u8 = 28;

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

/// The page size in pixels at `dpi`.
fn a4_pixels(dpi: u32) -> (u32, u32) {
    (mm_to_px(PAGE_WIDTH_MM, dpi), mm_to_px(PAGE_HEIGHT_MM, dpi))
}

fn mm_to_px(mm: f32, dpi: u32) -> u32 {
    (mm / 25.4 * dpi as f32).round() as u32
}

struct Fonts {
    regular: FontRef<'static>,
    bold: FontRef<'static>,
}

impl Fonts {
    fn load() -> Result<Self> {
        let parse = |bytes: &'static [u8]| {
            FontRef::try_from_slice(bytes)
                .map_err(|_| CaptureError::Corrupt("the embedded test font".into()))
        };
        Ok(Fonts {
            regular: parse(REGULAR_TTF)?,
            bold: parse(BOLD_TTF)?,
        })
    }

    fn get(&self, bold: bool) -> &FontRef<'static> {
        if bold { &self.bold } else { &self.regular }
    }
}

/// How a block sits on the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Align {
    Left,
    Centre,
    /// Centred on the right half of the text area, where forms put the date and signature.
    RightHalf,
}

/// One paragraph of a form: wrapped to the text width when too long.
#[derive(Debug, Clone)]
struct Block {
    text: String,
    align: Align,
    bold: bool,
    size_pt: f32,
    /// Extra space above, in lines of this block's size.
    space_before: f32,
    /// First-line indent in millimetres (prose paragraphs).
    indent_mm: f32,
    /// A short rule under the block (the line under the national motto).
    rule_below: bool,
}

impl Block {
    fn field(text: impl Into<String>) -> Self {
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

    fn prose(text: impl Into<String>) -> Self {
        Block {
            indent_mm: 10.0,
            space_before: 0.3,
            ..Block::field(text)
        }
    }

    fn centred(text: impl Into<String>, bold: bool, size_pt: f32) -> Self {
        Block {
            align: Align::Centre,
            bold,
            size_pt,
            ..Block::field(text)
        }
    }

    fn signature(text: impl Into<String>, bold: bool) -> Self {
        Block {
            align: Align::RightHalf,
            bold,
            ..Block::field(text)
        }
    }

    fn space(mut self, lines: f32) -> Self {
        self.space_before = lines;
        self
    }
}

/// The white page being printed on, with a cursor moving down it.
struct Canvas {
    image: GrayImage,
    dpi: u32,
    /// Top of the next line, in pixels.
    y: f32,
}

impl Canvas {
    fn new(dpi: u32) -> Self {
        let (width, height) = a4_pixels(dpi);
        Canvas {
            image: GrayImage::from_pixel(width, height, Luma([255])),
            dpi,
            y: mm_to_px(MARGIN_TOP_MM, dpi) as f32,
        }
    }

    fn left(&self) -> f32 {
        mm_to_px(MARGIN_LEFT_MM, self.dpi) as f32
    }

    fn text_width(&self) -> f32 {
        self.image.width() as f32 - self.left() - mm_to_px(MARGIN_RIGHT_MM, self.dpi) as f32
    }

    fn bottom(&self) -> f32 {
        self.image.height() as f32 - mm_to_px(MARGIN_BOTTOM_MM, self.dpi) as f32
    }

    /// The scale that prints `pt` points at this resolution (ab_glyph scales by line height,
    /// not by em, hence the ratio).
    fn scale(&self, font: &FontRef<'_>, pt: f32) -> PxScale {
        let px_per_em = pt / 72.0 * self.dpi as f32;
        let units_per_em = font.units_per_em().unwrap_or(1000.0);
        PxScale::from(px_per_em * font.height_unscaled() / units_per_em)
    }

    /// Prints the blocks top to bottom until the page is full; returns the printed lines.
    fn lay_out(&mut self, fonts: &Fonts, blocks: &[Block]) -> Vec<String> {
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

    fn print_line(
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
    fn rule(&mut self, font: &FontRef<'_>, scale: PxScale, above: &str) {
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
fn wrap(font: &FontRef<'_>, scale: PxScale, text: &str, width: f32, indent: f32) -> Vec<String> {
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

/// Turns the clean print into a scan: skew, paper tone, sensor noise, a few dust specks.
fn scan(print: GrayImage, options: &PageOptions, rng: &mut fastrand::Rng) -> GrayImage {
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
fn paper_and_noise(image: &mut GrayImage, noise: f32, rng: &mut fastrand::Rng) {
    let paper = 238.0 + 12.0 * rng.f32();
    for pixel in image.pixels_mut() {
        let value = f32::from(pixel.0[0]) * paper / 255.0 + noise * normal(rng);
        pixel.0[0] = value.round().clamp(0.0, 255.0) as u8;
    }
}

/// An approximately standard normal sample: the sum of three uniforms (Irwin–Hall), rescaled.
/// Cheap, bounded, and plenty for sensor noise.
fn normal(rng: &mut fastrand::Rng) -> f32 {
    // Each uniform on [-1, 1] has variance 1/3, so three of them sum to variance 1.
    (0..3).map(|_| rng.f32() * 2.0 - 1.0).sum()
}

/// A few small dark specks anywhere on the page, as dust on the scanner glass leaves.
fn dust(image: &mut GrayImage, rng: &mut fastrand::Rng, dpi: u32) {
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

// ----- The forms and the invented people on them -----

const FAMILY_NAMES: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trương",
];
const MALE_MIDDLE: &[&str] = &["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thành", "Gia", "Xuân"];
const FEMALE_MIDDLE: &[&str] = &["Thị", "Ngọc", "Thu", "Thanh", "Bảo", "Diệu", "Mỹ", "Khánh"];
const MALE_GIVEN: &[&str] = &[
    "Hùng",
    "Dũng",
    "Tuấn",
    "Trường",
    "Đạt",
    "Hiếu",
    "Lộc",
    "Toàn",
    "Việt",
    "Hải",
    "Khôi",
    "Thắng",
    "Phước",
    "Quý",
];
const FEMALE_GIVEN: &[&str] = &[
    "Hương",
    "Lan",
    "Phượng",
    "Nguyệt",
    "Quỳnh",
    "Thảo",
    "Yến",
    "Nhung",
    "Ánh",
    "Huyền",
    "Trâm",
    "Ngân",
    "Thủy",
    "Diễm",
];
/// (commune, province) pairs in the two-level administration.
const COMMUNES: &[(&str, &str)] = &[
    ("Tân Phú", "Đắk Lắk"),
    ("Hòa Thắng", "Đắk Lắk"),
    ("Quảng Điền", "Huế"),
    ("Nghĩa Hưng", "Ninh Bình"),
    ("Diễn Châu", "Nghệ An"),
    ("Cẩm Xuyên", "Hà Tĩnh"),
    ("Triệu Phong", "Quảng Trị"),
    ("Đồng Hỷ", "Thái Nguyên"),
    ("Chợ Mới", "An Giang"),
    ("Trần Văn Thời", "Cà Mau"),
    ("Lâm Bình", "Tuyên Quang"),
    ("Đức Trọng", "Lâm Đồng"),
];
const HAMLETS: &[&str] = &[
    "Thôn Đông Hòa",
    "Thôn Phú Lộc",
    "Xóm Bãi Sậy",
    "Ấp Phước Lợi",
    "Tổ dân phố số 5",
    "Buôn Ea Kmar",
    "Bản Nà Mèo",
    "Thôn Trung Thượng",
    "Khối phố Quyết Thắng",
];
const ETHNICITIES: &[&str] = &[
    "Kinh", "Kinh", "Kinh", "Tày", "Thái", "Mường", "Ê Đê", "Khmer", "Nùng",
];
const MONTH_NAMES: [&str; 12] = [
    "một",
    "hai",
    "ba",
    "tư",
    "năm",
    "sáu",
    "bảy",
    "tám",
    "chín",
    "mười",
    "mười một",
    "mười hai",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sex {
    Male,
    Female,
}

impl Sex {
    fn label(self) -> &'static str {
        match self {
            Sex::Male => "Nam",
            Sex::Female => "Nữ",
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Date {
    day: u32,
    month: u32,
    year: u32,
}

impl Date {
    fn random(rng: &mut fastrand::Rng, years: std::ops::RangeInclusive<u32>) -> Self {
        Date {
            day: rng.u32(1..=28),
            month: rng.u32(1..=12),
            year: rng.u32(years),
        }
    }

    /// `14/03/2025`, as dates are written in form fields.
    fn numeric(self) -> String {
        format!("{:02}/{:02}/{}", self.day, self.month, self.year)
    }

    /// `ngày 05 tháng 03 năm 2026`, as in the place-and-date line above a signature.
    fn long(self) -> String {
        format!(
            "ngày {:02} tháng {:02} năm {}",
            self.day, self.month, self.year
        )
    }

    /// The date in words, which a birth registration requires beside the digits.
    fn words(self) -> String {
        let month = MONTH_NAMES[(self.month as usize).saturating_sub(1).min(11)];
        format!(
            "Ngày {} tháng {} năm {}",
            number_words(self.day),
            month,
            number_words(self.year)
        )
    }
}

/// A number below ten thousand in Vietnamese words: 2025 is "hai nghìn không trăm hai mươi
/// lăm", 2005 "hai nghìn không trăm linh năm", 21 "hai mươi mốt".
fn number_words(n: u32) -> String {
    const DIGITS: [&str; 10] = [
        "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
    ];
    let (thousands, hundreds, tens, units) = (n / 1000 % 10, n / 100 % 10, n / 10 % 10, n % 10);
    let mut words: Vec<&str> = Vec::new();
    if thousands > 0 {
        words.extend([DIGITS[thousands as usize], "nghìn"]);
    }
    let rest = n % 100;
    if hundreds > 0 || (thousands > 0 && rest > 0) {
        words.extend([DIGITS[hundreds as usize], "trăm"]);
    }
    let higher = !words.is_empty();
    match (tens, units) {
        (0, 0) if higher => {}
        (0, u) if higher => words.extend(["linh", DIGITS[u as usize]]),
        (0, u) => words.push(DIGITS[u as usize]),
        (1, u) => {
            words.push("mười");
            match u {
                0 => {}
                5 => words.push("lăm"),
                u => words.push(DIGITS[u as usize]),
            }
        }
        (t, u) => {
            words.extend([DIGITS[t as usize], "mươi"]);
            match u {
                0 => {}
                1 => words.push("mốt"),
                4 => words.push("tư"),
                5 => words.push("lăm"),
                u => words.push(DIGITS[u as usize]),
            }
        }
    }
    words.join(" ")
}

fn pick<'a>(rng: &mut fastrand::Rng, items: &[&'a str]) -> &'a str {
    items[rng.usize(..items.len())]
}

/// An invented resident: name, birth date, address and identity number.
#[derive(Debug, Clone)]
struct Person {
    name: String,
    sex: Sex,
    born: Date,
    ethnicity: &'static str,
    hamlet: &'static str,
    commune: (&'static str, &'static str),
    id_number: String,
}

impl Person {
    fn random(rng: &mut fastrand::Rng, sex: Sex, years: std::ops::RangeInclusive<u32>) -> Self {
        let (middle, given) = match sex {
            Sex::Male => (MALE_MIDDLE, MALE_GIVEN),
            Sex::Female => (FEMALE_MIDDLE, FEMALE_GIVEN),
        };
        let name = format!(
            "{} {} {}",
            pick(rng, FAMILY_NAMES),
            pick(rng, middle),
            pick(rng, given)
        );
        let born = Date::random(rng, years);
        let commune = COMMUNES[rng.usize(..COMMUNES.len())];
        Person {
            name,
            sex,
            born,
            ethnicity: pick(rng, ETHNICITIES),
            hamlet: pick(rng, HAMLETS),
            commune,
            id_number: id_number(rng, sex, born.year),
        }
    }

    fn address(&self) -> String {
        format!(
            "{}, xã {}, tỉnh {}",
            self.hamlet, self.commune.0, self.commune.1
        )
    }

    /// The identity document line of a form.
    fn identity(&self, rng: &mut fastrand::Rng) -> String {
        let issued = Date::random(rng, 2021..=2025);
        format!(
            "Giấy tờ tùy thân: Căn cước số {}, cấp ngày {}, nơi cấp: Bộ Công an",
            self.id_number,
            issued.numeric()
        )
    }
}

/// A twelve-digit personal identification number shaped like the real ones: province code,
/// a digit for sex and century, the birth year's last two digits, six random digits.
fn id_number(rng: &mut fastrand::Rng, sex: Sex, year: u32) -> String {
    let province = rng.u32(1..=96);
    let century = u32::from(year >= 2000) * 2 + u32::from(sex == Sex::Female);
    format!(
        "{province:03}{century}{:02}{:06}",
        year % 100,
        rng.u32(..1_000_000)
    )
}

/// The national header every form starts with.
fn national_header() -> Vec<Block> {
    let mut motto = Block::centred("Độc lập - Tự do - Hạnh phúc", true, BODY_PT);
    motto.rule_below = true;
    vec![
        Block::centred("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", true, BODY_PT),
        motto,
    ]
}

fn title(text: &str, commune: (&str, &str)) -> Vec<Block> {
    vec![
        Block::centred(text, true, 14.0).space(0.8),
        Block::centred(
            format!(
                "Kính gửi: Ủy ban nhân dân xã {}, tỉnh {}",
                commune.0, commune.1
            ),
            false,
            BODY_PT,
        )
        .space(0.4),
    ]
}

/// The place-and-date line and the signature block that close every form.
fn signature(place: &str, today: Date, signer: &str) -> Vec<Block> {
    vec![
        Block::signature(format!("{place}, {}", today.long()), false).space(0.6),
        Block::signature("Người yêu cầu", true),
        Block::signature("(Ký, ghi rõ họ, chữ đệm, tên)", false),
        Block::signature(signer, false).space(2.2),
    ]
}

fn compose(kind: DocumentKind, rng: &mut fastrand::Rng) -> Vec<Block> {
    match kind {
        DocumentKind::BirthRegistration => birth_registration(rng),
        DocumentKind::CertificationRequest => certification_request(rng),
        DocumentKind::MaritalStatus => marital_status(rng),
    }
}

fn birth_registration(rng: &mut fastrand::Rng) -> Vec<Block> {
    let mother = Person::random(rng, Sex::Female, 1988..=2003);
    let mut father = Person::random(rng, Sex::Male, 1985..=2001);
    father.hamlet = mother.hamlet;
    father.commune = mother.commune;
    let child_sex = if rng.bool() { Sex::Male } else { Sex::Female };
    let mut child = Person::random(rng, child_sex, 2025..=2025);
    let family = father.name.split(' ').next().unwrap_or("Nguyễn");
    child.name = format!(
        "{family} {}",
        child.name.split_once(' ').map_or("", |(_, rest)| rest)
    );
    let requester = if rng.bool() { &father } else { &mother };
    let relation = if requester.sex == Sex::Male {
        "Cha"
    } else {
        "Mẹ"
    };
    let birthplace = if rng.bool() {
        format!(
            "Trạm Y tế xã {}, tỉnh {}",
            mother.commune.0, mother.commune.1
        )
    } else {
        format!("Bệnh viện Đa khoa tỉnh {}", mother.commune.1)
    };
    let today = Date::random(rng, 2026..=2026);

    let mut blocks = national_header();
    blocks.extend(title("TỜ KHAI ĐĂNG KÝ KHAI SINH", mother.commune));
    blocks.extend([
        Block::field(format!(
            "Họ, chữ đệm, tên người yêu cầu: {}",
            requester.name
        ))
        .space(0.5),
        Block::field(format!("Nơi cư trú: {}", requester.address())),
        Block::field(requester.identity(rng)),
        Block::field(format!("Quan hệ với người được khai sinh: {relation}")),
        Block::field("Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:").space(0.3),
        Block::field(format!("Họ, chữ đệm, tên: {}", child.name.to_uppercase())),
        Block::field(format!(
            "Ngày, tháng, năm sinh: {}, ghi bằng chữ: {}",
            child.born.numeric(),
            child.born.words()
        )),
        Block::field(format!(
            "Giới tính: {}     Dân tộc: {}     Quốc tịch: Việt Nam",
            child.sex.label(),
            mother.ethnicity
        )),
        Block::field(format!("Nơi sinh: {birthplace}")),
        Block::field(format!(
            "Quê quán: xã {}, tỉnh {}",
            father.commune.0, father.commune.1
        )),
        Block::field(format!("Họ, chữ đệm, tên người mẹ: {}", mother.name)).space(0.3),
        Block::field(format!(
            "Năm sinh: {}     Dân tộc: {}     Quốc tịch: Việt Nam",
            mother.born.year, mother.ethnicity
        )),
        Block::field(format!("Nơi cư trú: {}", mother.address())),
        Block::field(format!("Họ, chữ đệm, tên người cha: {}", father.name)).space(0.3),
        Block::field(format!(
            "Năm sinh: {}     Dân tộc: {}     Quốc tịch: Việt Nam",
            father.born.year, father.ethnicity
        )),
        Block::field(format!("Nơi cư trú: {}", father.address())),
        Block::prose(
            "Tôi cam đoan những nội dung khai trên đây là đúng sự thật, đã được sự đồng ý của \
             những người có liên quan, và xin chịu hoàn toàn trách nhiệm trước pháp luật về \
             lời cam đoan của mình.",
        ),
        Block::field(format!(
            "Đề nghị cấp bản sao Trích lục khai sinh: có, số lượng: {:02} bản",
            rng.u32(1..=3)
        )),
    ]);
    blocks.extend(signature(mother.commune.0, today, &requester.name));
    blocks
}

fn certification_request(rng: &mut fastrand::Rng) -> Vec<Block> {
    let sex = if rng.bool() { Sex::Male } else { Sex::Female };
    let person = Person::random(rng, sex, 1960..=2004);
    let today = Date::random(rng, 2026..=2026);
    let purposes = [
        "bổ sung hồ sơ xin việc tại Công ty cổ phần Thủy sản Miền Trung",
        "hoàn thiện hồ sơ vay vốn tại Ngân hàng Chính sách xã hội",
        "nộp hồ sơ xét tuyển vào Trường Cao đẳng Y tế",
        "làm thủ tục thừa kế quyền sử dụng đất của gia đình",
    ];
    let land_certificate = format!(
        "Giấy chứng nhận quyền sử dụng đất số {}{} {:06}",
        char::from(rng.u8(b'A'..=b'Z')),
        char::from(rng.u8(b'A'..=b'Z')),
        rng.u32(..1_000_000)
    );
    let documents = [
        format!(
            "Giấy khai sinh bản chính, số bản sao: {:02}",
            rng.u32(1..=5)
        ),
        format!("{land_certificate}, số bản sao: {:02}", rng.u32(1..=3)),
        format!(
            "Bằng tốt nghiệp trung học phổ thông năm {}, số bản sao: {:02}",
            person.born.year + 18,
            rng.u32(1..=4)
        ),
    ];

    let mut blocks = national_header();
    blocks.extend(title(
        "ĐƠN ĐỀ NGHỊ CHỨNG THỰC BẢN SAO TỪ BẢN CHÍNH",
        person.commune,
    ));
    blocks.extend([
        Block::field(format!(
            "Tôi tên là: {}     Sinh ngày: {}",
            person.name,
            person.born.numeric()
        ))
        .space(0.5),
        Block::field(format!("Số định danh cá nhân: {}", person.id_number)),
        Block::field(format!("Nơi cư trú: {}", person.address())),
        Block::field(format!("Số điện thoại liên hệ: 09{:08}", rng.u32(..100_000_000))),
        Block::field(format!(
            "Tôi đề nghị Ủy ban nhân dân xã {} chứng thực bản sao từ bản chính các giấy tờ sau đây:",
            person.commune.0
        ))
        .space(0.3),
    ]);
    for (number, document) in documents.iter().enumerate() {
        blocks.push(Block {
            indent_mm: 6.0,
            ..Block::field(format!("{}. {document}", number + 1))
        });
    }
    blocks.extend([
        Block::field(format!(
            "Mục đích sử dụng: {}.",
            purposes[rng.usize(..purposes.len())]
        ))
        .space(0.3),
        Block::prose(
            "Tôi xin cam kết các bản chính xuất trình là giấy tờ hợp pháp, không bị tẩy xóa, \
             sửa chữa, thêm hay bớt nội dung. Tôi hoàn toàn chịu trách nhiệm trước pháp luật \
             về tính hợp pháp của các giấy tờ đã xuất trình để chứng thực.",
        ),
        Block::prose(
            "Kính đề nghị Ủy ban nhân dân xã xem xét, giải quyết. Tôi xin trân trọng cảm ơn.",
        ),
    ]);
    blocks.extend(signature(person.commune.0, today, &person.name));
    blocks
}

fn marital_status(rng: &mut fastrand::Rng) -> Vec<Block> {
    let sex = if rng.bool() { Sex::Male } else { Sex::Female };
    let person = Person::random(rng, sex, 1980..=2004);
    let partner_sex = if sex == Sex::Male {
        Sex::Female
    } else {
        Sex::Male
    };
    let partner = Person::random(rng, partner_sex, 1980..=2004);
    let honorific = if partner_sex == Sex::Male {
        "anh"
    } else {
        "chị"
    };
    let today = Date::random(rng, 2026..=2026);

    let mut blocks = national_header();
    blocks.extend(title(
        "TỜ KHAI CẤP GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN",
        person.commune,
    ));
    blocks.extend([
        Block::field(format!("Họ, chữ đệm, tên người yêu cầu: {}", person.name)).space(0.5),
        Block::field(format!("Nơi cư trú: {}", person.address())),
        Block::field(person.identity(rng)),
        Block::field("Quan hệ với người được cấp Giấy xác nhận: bản thân"),
        Block::field("Đề nghị cấp Giấy xác nhận tình trạng hôn nhân cho người có tên dưới đây:")
            .space(0.3),
        Block::field(format!("Họ, chữ đệm, tên: {}", person.name.to_uppercase())),
        Block::field(format!(
            "Ngày, tháng, năm sinh: {}     Giới tính: {}",
            person.born.numeric(),
            person.sex.label()
        )),
        Block::field(format!(
            "Dân tộc: {}     Quốc tịch: Việt Nam",
            person.ethnicity
        )),
        Block::field(format!(
            "Nơi cư trú trong thời gian từ năm {} đến nay: {}",
            person.born.year + 18,
            person.address()
        )),
        Block::field("Tình trạng hôn nhân: hiện tại chưa đăng ký kết hôn với ai."),
        Block::field(format!(
            "Mục đích sử dụng Giấy xác nhận: để làm thủ tục đăng ký kết hôn với {honorific} {}, \
             sinh năm {}, nơi cư trú: {}.",
            partner.name,
            partner.born.year,
            partner.address()
        )),
        Block::prose(
            "Tôi cam đoan những nội dung khai trên đây là đúng sự thật và chịu trách nhiệm \
             trước pháp luật về lời cam đoan của mình. Nếu phát hiện có sự gian dối, tôi xin \
             chịu xử lý theo quy định của pháp luật về hộ tịch.",
        ),
        Block::field(format!(
            "Đề nghị cấp {:02} bản Giấy xác nhận tình trạng hôn nhân.",
            rng.u32(1..=2)
        )),
    ]);
    blocks.extend(signature(person.commune.0, today, &person.name));
    blocks
}

// Pages as a scanner delivers them, for benchmarks.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_in_vietnamese_forms() {
        assert_eq!(number_words(2025), "hai nghìn không trăm hai mươi lăm");
        assert_eq!(number_words(2005), "hai nghìn không trăm linh năm");
        assert_eq!(number_words(2010), "hai nghìn không trăm mười");
        assert_eq!(number_words(2000), "hai nghìn");
        assert_eq!(number_words(1985), "một nghìn chín trăm tám mươi lăm");
        assert_eq!(number_words(21), "hai mươi mốt");
        assert_eq!(number_words(15), "mười lăm");
        assert_eq!(number_words(7), "bảy");
    }

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
