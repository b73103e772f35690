//! Files an officer brings (a USB stick, a scanner that saves to a folder, drag and drop): their
//! kind is read from their first bytes, never from their name, and every limit is checked before
//! anything large is read or decoded, so a 1 GB file or a TIFF bomb is refused cheaply.
//!
//! JPEG and PNG pages are kept byte for byte. A TIFF's pages become lossless PNGs (PDF readers
//! cannot show TIFF, and the archive PDF must). A PDF is kept whole; its pages are referred to by
//! index and embedded as they are.

use std::io::Read;
use std::path::Path;

use crate::source::ImageFormat;
use crate::{CaptureError, Result};

/// Files larger than this are refused before they are read (a scanned A3 colour page at 600 dpi
/// is about 25 MB as JPEG; a 60-page PDF of such pages fits).
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;
/// Pixel count above which an image is refused before it is decoded: A3 at 600 dpi is 70 M.
pub const MAX_PIXELS: u64 = 120_000_000;
/// Pages of one TIFF or PDF file.
pub const MAX_PAGES: usize = 1000;

/// The kinds of file the desk takes, recognised by their signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Jpeg,
    Png,
    Tiff,
    Pdf,
}

impl FileKind {
    pub fn media_type(self) -> &'static str {
        match self {
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
            FileKind::Tiff => "image/tiff",
            FileKind::Pdf => "application/pdf",
        }
    }
}

/// Reads the kind from the first bytes.
pub fn sniff(bytes: &[u8]) -> Result<FileKind> {
    if bytes.is_empty() {
        return Err(CaptureError::Empty);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok(FileKind::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok(FileKind::Png)
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        Ok(FileKind::Tiff)
    } else if bytes.len() >= 5
        && bytes[..bytes.len().min(1024)]
            .windows(5)
            .any(|w| w == b"%PDF-")
    {
        // The PDF specification lets the header sit anywhere in the first 1024 bytes.
        Ok(FileKind::Pdf)
    } else {
        Err(CaptureError::Unsupported)
    }
}

/// Reads a whole file, refusing it before reading when it is larger than [`MAX_FILE_BYTES`].
/// The file's name plays no part in what it is taken for.
pub fn read_limited(path: &Path) -> Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    if len > MAX_FILE_BYTES {
        return Err(CaptureError::TooLarge(format!("{len} bytes")));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    // A file that grows while it is read (a scanner still writing it) is cut at the limit.
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(CaptureError::TooLarge(format!("{} bytes", bytes.len())));
    }
    Ok(bytes)
}

/// One page found in a file, ready for the page pipeline.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportedPage {
    /// A JPEG or PNG image (a whole JPEG/PNG file, or one page of a TIFF turned into PNG).
    Image {
        bytes: Vec<u8>,
        format: ImageFormat,
        width: u32,
        height: u32,
        dpi: Option<u32>,
    },
    /// Page `index` (from 0) of the PDF file the pages came from, kept as it is.
    PdfPage {
        index: usize,
        /// In PDF points (1/72 inch), as the page is shown.
        width_pt: f32,
        height_pt: f32,
    },
}

/// A file checked and split into pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub kind: FileKind,
    pub pages: Vec<ImportedPage>,
}

/// Checks a file's bytes and lists its pages. Nothing is kept when any page is unreadable: the
/// officer gets the whole file back with the reason, rather than some of its pages.
pub fn import(bytes: &[u8]) -> Result<Imported> {
    let kind = sniff(bytes)?;
    let pages = match kind {
        FileKind::Jpeg => vec![image_page(bytes, ImageFormat::Jpeg)?],
        FileKind::Png => vec![image_page(bytes, ImageFormat::Png)?],
        FileKind::Tiff => tiff_pages(bytes)?,
        FileKind::Pdf => pdf_pages(bytes)?,
    };
    Ok(Imported { kind, pages })
}

/// Checks a JPEG or PNG image: its header, its size, and a full decode (a truncated or damaged
/// file fails here, not later in the archive).
pub fn image_page(bytes: &[u8], format: ImageFormat) -> Result<ImportedPage> {
    let (width, height) = dimensions(bytes, format)?;
    check_pixels(width, height)?;
    decode(bytes, format)?;
    Ok(ImportedPage::Image {
        bytes: bytes.to_vec(),
        format,
        width,
        height,
        dpi: crate::analyse::dpi_of(bytes, format),
    })
}

fn image_format(format: ImageFormat) -> image::ImageFormat {
    match format {
        ImageFormat::Jpeg => image::ImageFormat::Jpeg,
        ImageFormat::Png => image::ImageFormat::Png,
    }
}

/// Width and height from the header alone.
pub fn dimensions(bytes: &[u8], format: ImageFormat) -> Result<(u32, u32)> {
    let reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), image_format(format));
    reader.into_dimensions().map_err(corrupt)
}

fn check_pixels(width: u32, height: u32) -> Result<()> {
    let pixels = u64::from(width) * u64::from(height);
    if pixels == 0 {
        return Err(CaptureError::Corrupt("an image of no pixels".into()));
    }
    if pixels > MAX_PIXELS {
        return Err(CaptureError::TooLarge(format!("{width}×{height} pixels")));
    }
    Ok(())
}

/// Decodes a whole image under the desk's limits.
pub fn decode(bytes: &[u8], format: ImageFormat) -> Result<image::DynamicImage> {
    let mut reader =
        image::ImageReader::with_format(std::io::Cursor::new(bytes), image_format(format));
    reader.limits(limits());
    reader.decode().map_err(corrupt)
}

fn limits() -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(65_535);
    limits.max_image_height = Some(65_535);
    // Four bytes a pixel at the largest page allowed, plus room for the decoder's buffers.
    limits.max_alloc = Some(MAX_PIXELS * 4 + 64 * 1024 * 1024);
    limits
}

fn corrupt(err: image::ImageError) -> CaptureError {
    match err {
        image::ImageError::Limits(e) => CaptureError::TooLarge(e.to_string()),
        image::ImageError::Unsupported(e) => CaptureError::Corrupt(e.to_string()),
        other => CaptureError::Corrupt(other.to_string()),
    }
}

/// Every page of a TIFF, each turned into a lossless PNG. The decoder's own limits stop a file
/// that claims huge strips or tables; the pixel limit is checked on each page's header before
/// its pixels are read.
fn tiff_pages(bytes: &[u8]) -> Result<Vec<ImportedPage>> {
    check_tiff_pixels(bytes)?;
    let mut decoder = tiff_decoder(bytes)?;
    let mut pages = Vec::new();
    loop {
        if pages.len() >= MAX_PAGES {
            return Err(CaptureError::TooLarge(format!(
                "more than {MAX_PAGES} pages"
            )));
        }
        let (width, height) = decoder.dimensions().map_err(tiff_error)?;
        check_pixels(width, height)?;
        let dpi = tiff_dpi(&mut decoder);
        let png = tiff_page_to_png(&mut decoder, width, height)?;
        pages.push(ImportedPage::Image {
            bytes: png,
            format: ImageFormat::Png,
            width,
            height,
            dpi,
        });
        if !decoder.more_images() {
            break;
        }
        decoder.next_image().map_err(tiff_error)?;
    }
    Ok(pages)
}

fn tiff_decoder(bytes: &[u8]) -> Result<tiff::decoder::Decoder<std::io::Cursor<&[u8]>>> {
    let mut tiff_limits = tiff::decoder::Limits::default();
    tiff_limits.decoding_buffer_size = (MAX_PIXELS * 4) as usize;
    tiff_limits.intermediate_buffer_size = 128 * 1024 * 1024;
    tiff_limits.ifd_value_size = 16 * 1024 * 1024;
    Ok(tiff::decoder::Decoder::new(std::io::Cursor::new(bytes))
        .map_err(tiff_error)?
        .with_limits(tiff_limits))
}

/// Pixels a TIFF may hold, all pages together, per byte of file once past [`MAX_PIXELS`]. Real
/// scans stay far below it (a 1-bit text page compressed with CCITT G4 or Deflate is a few
/// hundred pixels a byte; JPEG or LZW colour pages far fewer).
const TIFF_PIXELS_PER_BYTE: u64 = 1000;

/// Refuses a TIFF bomb before any page is decoded: many pages, each within [`MAX_PIXELS`], that
/// share one highly compressed strip (or each hold a few bytes of CCITT data) would cost about a
/// second a page to decode, convert and analyse, so a 60 KB file could keep the desk busy for
/// many minutes. Only the pages' headers are read here.
fn check_tiff_pixels(bytes: &[u8]) -> Result<()> {
    let mut decoder = tiff_decoder(bytes)?;
    let budget = MAX_PIXELS.max(bytes.len() as u64 * TIFF_PIXELS_PER_BYTE);
    let mut total = 0u64;
    for page in 1.. {
        if page > MAX_PAGES {
            return Err(CaptureError::TooLarge(format!(
                "more than {MAX_PAGES} pages"
            )));
        }
        let (width, height) = decoder.dimensions().map_err(tiff_error)?;
        total += u64::from(width) * u64::from(height);
        if total > budget {
            return Err(CaptureError::TooLarge(format!(
                "pages of {total} pixels in a file of {} bytes",
                bytes.len()
            )));
        }
        if !decoder.more_images() {
            break;
        }
        decoder.next_image().map_err(tiff_error)?;
    }
    Ok(())
}

fn tiff_error(err: tiff::TiffError) -> CaptureError {
    match err {
        tiff::TiffError::LimitsExceeded => CaptureError::TooLarge("TIFF limits".into()),
        other => CaptureError::Corrupt(other.to_string()),
    }
}

/// The resolution a TIFF page declares, in dots per inch.
fn tiff_dpi<R: std::io::Read + std::io::Seek>(
    decoder: &mut tiff::decoder::Decoder<R>,
) -> Option<u32> {
    use tiff::tags::Tag;
    let value = decoder.find_tag(Tag::XResolution).ok()??;
    let (num, den) = match value {
        tiff::decoder::ifd::Value::Rational(n, d) => (n, d),
        _ => return None,
    };
    if den == 0 {
        return None;
    }
    let per_unit = f64::from(num) / f64::from(den);
    let unit = decoder
        .find_tag(Tag::ResolutionUnit)
        .ok()
        .flatten()
        .and_then(|v| v.into_u16().ok())
        .unwrap_or(2);
    let dpi = if unit == 3 { per_unit * 2.54 } else { per_unit };
    (1.0..10_000.0).contains(&dpi).then(|| dpi.round() as u32)
}

fn tiff_page_to_png<R: std::io::Read + std::io::Seek>(
    decoder: &mut tiff::decoder::Decoder<R>,
    width: u32,
    height: u32,
) -> Result<Vec<u8>> {
    use tiff::ColorType;
    use tiff::decoder::DecodingResult;

    let colour = decoder.colortype().map_err(tiff_error)?;
    let data = decoder.read_image().map_err(tiff_error)?;
    let image: image::DynamicImage = match (colour, data) {
        (ColorType::Gray(8), DecodingResult::U8(px)) => {
            image::GrayImage::from_raw(width, height, px).map(Into::into)
        }
        (ColorType::Gray(1), DecodingResult::U8(px)) => unpack_bilevel(width, height, &px),
        (ColorType::RGB(8), DecodingResult::U8(px)) => {
            image::RgbImage::from_raw(width, height, px).map(Into::into)
        }
        (ColorType::RGBA(8), DecodingResult::U8(px)) => {
            image::RgbaImage::from_raw(width, height, px).map(Into::into)
        }
        (ColorType::Gray(16), DecodingResult::U16(px)) => {
            image::ImageBuffer::<image::Luma<u16>, _>::from_raw(width, height, px).map(Into::into)
        }
        (ColorType::RGB(16), DecodingResult::U16(px)) => {
            image::ImageBuffer::<image::Rgb<u16>, _>::from_raw(width, height, px).map(Into::into)
        }
        (other, _) => {
            return Err(CaptureError::Corrupt(format!(
                "TIFF colour type {other:?} is not supported"
            )));
        }
    }
    .ok_or_else(|| CaptureError::Corrupt("TIFF page shorter than its size".into()))?;
    let mut png = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(corrupt)?;
    Ok(png)
}

/// A 1-bit TIFF page (fax, lineart scans) as 8-bit grey; 0 is white unless the page says
/// otherwise, which the decoder has already applied.
fn unpack_bilevel(width: u32, height: u32, packed: &[u8]) -> Option<image::DynamicImage> {
    let row_bytes = width.div_ceil(8) as usize;
    if packed.len() < row_bytes * height as usize {
        return None;
    }
    let mut grey = image::GrayImage::new(width, height);
    for (y, row) in packed.chunks(row_bytes).take(height as usize).enumerate() {
        for x in 0..width as usize {
            let bit = (row[x / 8] >> (7 - (x % 8))) & 1;
            grey.put_pixel(
                x as u32,
                y as u32,
                image::Luma([if bit == 1 { 255 } else { 0 }]),
            );
        }
    }
    Some(grey.into())
}

/// The pages of a PDF, with their shown size. A PDF that cannot be parsed, or has no page, is
/// refused whole.
fn pdf_pages(bytes: &[u8]) -> Result<Vec<ImportedPage>> {
    let pdf = hayro::hayro_syntax::Pdf::new(bytes.to_vec())
        .map_err(|e| CaptureError::Corrupt(format!("PDF: {e:?}")))?;
    let pages = pdf.pages();
    if pages.is_empty() {
        return Err(CaptureError::Corrupt("a PDF with no page".into()));
    }
    if pages.len() > MAX_PAGES {
        return Err(CaptureError::TooLarge(format!("{} pages", pages.len())));
    }
    Ok(pages
        .iter()
        .enumerate()
        .map(|(index, page)| {
            let (width_pt, height_pt) = page.render_dimensions();
            ImportedPage::PdfPage {
                index,
                width_pt,
                height_pt,
            }
        })
        .collect())
}

/// A file name safe to show and to keep as a record of where a page came from: the last part of
/// the path only, with no folder, no `..`, and no control characters.
pub fn display_name(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let clean: String = name.chars().filter(|c| !c.is_control()).collect();
    if clean.is_empty() || clean == "." || clean == ".." {
        "file".to_owned()
    } else {
        clean
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let img = image::RgbImage::from_pixel(width, height, image::Rgb([250, 250, 250]));
        let mut out = Vec::new();
        image::DynamicImage::from(img)
            .write_to(
                &mut std::io::Cursor::new(&mut out),
                image::ImageFormat::Jpeg,
            )
            .unwrap();
        out
    }

    #[test]
    fn kinds_are_read_from_the_bytes_not_the_name() {
        assert_eq!(sniff(&jpeg(8, 8)).unwrap(), FileKind::Jpeg);
        assert_eq!(sniff(b"%PDF-1.7\n").unwrap(), FileKind::Pdf);
        assert_eq!(sniff(b"II*\0rest").unwrap(), FileKind::Tiff);
        assert!(matches!(sniff(b"Xin chao"), Err(CaptureError::Unsupported)));
        assert!(matches!(sniff(b""), Err(CaptureError::Empty)));
    }

    #[test]
    fn a_truncated_jpeg_is_corrupt_and_a_whole_one_is_a_page() {
        let whole = jpeg(64, 48);
        match import(&whole).unwrap().pages.as_slice() {
            [
                ImportedPage::Image {
                    width: 64,
                    height: 48,
                    bytes,
                    ..
                },
            ] => assert_eq!(bytes, &whole),
            other => panic!("{other:?}"),
        }
        let cut = &whole[..whole.len() / 2];
        assert!(matches!(import(cut), Err(CaptureError::Corrupt(_))));
    }

    #[test]
    fn display_names_keep_no_folder() {
        assert_eq!(display_name(Path::new("../../etc/passwd")), "passwd");
        assert_eq!(display_name(Path::new("..")), "file");
        assert_eq!(
            display_name(Path::new("a/giấy khai sinh.jpg")),
            "giấy khai sinh.jpg"
        );
    }
}
