//! Encoded images to pixels, always under the desk's [limits](crate::limits): a whole JPEG or
//! PNG, a JPEG at a fraction of its size straight from its DCT coefficients (1/2, 1/4 or 1/8,
//! so that a 300-dpi page costs a fraction of a full decode), a TIFF's pages (`tiff`), and
//! what an image's header says (its size, its resolution, a JPEG's colour components) without
//! decoding it. Nothing here knows what a page is for.

use image::{DynamicImage, GrayImage, RgbImage};

use crate::limits::MAX_PIXELS;
use crate::source::ImageFormat;
use crate::{CaptureError, Result};

pub(crate) mod tiff;

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

/// Decodes a whole image under the desk's limits.
pub fn decode(bytes: &[u8], format: ImageFormat) -> Result<DynamicImage> {
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

pub(crate) fn corrupt(err: image::ImageError) -> CaptureError {
    match err {
        image::ImageError::Limits(e) => CaptureError::TooLarge(e.to_string()),
        image::ImageError::Unsupported(e) => CaptureError::Corrupt(e.to_string()),
        other => CaptureError::Corrupt(other.to_string()),
    }
}

/// Decodes a JPEG at the smallest DCT scale whose long side is still at least `long_side`
/// pixels (or at full size when the image is smaller).
pub fn reduced_jpeg(bytes: &[u8], long_side: u32) -> Result<DynamicImage> {
    let (width, height) = dimensions(bytes, ImageFormat::Jpeg)?;
    let long = width.max(height).max(1);
    let mut decoder = jpeg_decoder::Decoder::new(bytes);
    decoder.set_max_decoding_buffer_size(MAX_PIXELS as usize * 4);
    let factor = long_side as f32 / long as f32;
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

/// The number of colour components a JPEG's frame header gives, without decoding it.
pub fn jpeg_components(bytes: &[u8]) -> Option<u8> {
    let mut at = 2;
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xFF {
            return None;
        }
        let marker = bytes[at + 1];
        let length = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        // SOF0…SOF15 (but DHT C4, JPG C8 and DAC CC) carry the frame: P(1) Y(2) X(2) Nf(1).
        if (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker) {
            return bytes.get(at + 9).copied();
        }
        if marker == 0xDA {
            return None;
        }
        at += 2 + length;
    }
    None
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
