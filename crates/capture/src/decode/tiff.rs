//! A TIFF's pages, each turned into a lossless PNG (PDF readers cannot show TIFF, and the
//! archive PDF must). The decoder's own limits stop a file that claims huge strips or tables;
//! the pixels of every page together are checked on their headers before any page is decoded.

use ::tiff::ColorType;
use ::tiff::decoder::{Decoder, DecodingResult};

use super::corrupt;
use crate::limits::{MAX_PAGES, MAX_PIXELS, check_pixels};
use crate::{CaptureError, Result};

/// One page of a TIFF, as a PNG.
pub(crate) struct TiffPage {
    pub png: Vec<u8>,
    pub width: u32,
    pub height: u32,
    pub dpi: Option<u32>,
}

/// Every page of a TIFF, each turned into a lossless PNG.
pub(crate) fn pages(bytes: &[u8]) -> Result<Vec<TiffPage>> {
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
        pages.push(TiffPage {
            png,
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

fn tiff_decoder(bytes: &[u8]) -> Result<Decoder<std::io::Cursor<&[u8]>>> {
    let mut tiff_limits = ::tiff::decoder::Limits::default();
    tiff_limits.decoding_buffer_size = (MAX_PIXELS * 4) as usize;
    tiff_limits.intermediate_buffer_size = 128 * 1024 * 1024;
    tiff_limits.ifd_value_size = 16 * 1024 * 1024;
    Ok(Decoder::new(std::io::Cursor::new(bytes))
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

fn tiff_error(err: ::tiff::TiffError) -> CaptureError {
    match err {
        ::tiff::TiffError::LimitsExceeded => CaptureError::TooLarge("TIFF limits".into()),
        other => CaptureError::Corrupt(other.to_string()),
    }
}

/// The resolution a TIFF page declares, in dots per inch.
fn tiff_dpi<R: std::io::Read + std::io::Seek>(decoder: &mut Decoder<R>) -> Option<u32> {
    use ::tiff::tags::Tag;
    let value = decoder.find_tag(Tag::XResolution).ok()??;
    let (num, den) = match value {
        ::tiff::decoder::ifd::Value::Rational(n, d) => (n, d),
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
    decoder: &mut Decoder<R>,
    width: u32,
    height: u32,
) -> Result<Vec<u8>> {
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
