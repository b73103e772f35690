//! A page from libsane to bytes: the frame read whole (its shape checked before any byte, its
//! size capped), then encoded once, JPEG for colour and grey, PNG for black and white.

use std::io::Cursor;

use image::codecs::jpeg::{JpegEncoder, PixelDensity};
use image::{GrayImage, ImageBuffer, Luma, Rgb, RgbImage};
use sane_scan::DeviceHandle;
use sane_scan::sys::{Frame as FrameFormat, Parameters, Status};

use crate::{CaptureError, ImageFormat, Result, ScannedPage};

/// Quality of the JPEG pages: high enough that text and stamps stay sharp in the archive.
const JPEG_QUALITY: u8 = 90;

/// The largest frame read into memory (a 600 dpi A3 colour page at 16 bits is about 420 MB):
/// past this a broken device or backend cannot eat the desk's memory.
const MAX_FRAME_BYTES: usize = 1 << 30;

/// How much is asked of `sane_read` at a time.
const READ_CHUNK: usize = 64 * 1024;

/// One page as libsane delivered it: its shape, and its lines as they came (each
/// `bytes_per_line` long, padding included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Frame {
    channels: usize,
    /// Bits per sample: 1, 8 or 16 (16-bit samples in this machine's byte order).
    depth: u8,
    width: usize,
    bytes_per_line: usize,
    /// Complete lines only.
    data: Vec<u8>,
}

impl Frame {
    fn height(&self) -> usize {
        self.data.len() / self.bytes_per_line
    }

    fn line(&self, row: usize) -> &[u8] {
        &self.data[row * self.bytes_per_line..(row + 1) * self.bytes_per_line]
    }
}

/// Why reading a frame stopped early.
pub(super) enum ReadFailure {
    /// libsane said so.
    Sane(Status),
    Capture(CaptureError),
}

impl From<CaptureError> for ReadFailure {
    fn from(error: CaptureError) -> Self {
        ReadFailure::Capture(error)
    }
}

/// The frame's shape from its parameters, checked before any byte is read.
fn frame_shape(parameters: &Parameters) -> Result<Frame> {
    let channels = match parameters.format {
        FrameFormat::Gray => 1,
        FrameFormat::Rgb => 3,
        FrameFormat::Red | FrameFormat::Green | FrameFormat::Blue => {
            return Err(CaptureError::NotSupported(
                "three-pass colour scanners (one frame per colour)".into(),
            ));
        }
    };
    let depth = match parameters.depth {
        1 if channels == 1 => 1,
        8 => 8,
        16 => 16,
        other => {
            return Err(CaptureError::NotSupported(format!(
                "{other}-bit {} frames",
                if channels == 1 { "grey" } else { "colour" }
            )));
        }
    };
    let width = usize::try_from(parameters.pixels_per_line).unwrap_or(0);
    let bytes_per_line = usize::try_from(parameters.bytes_per_line).unwrap_or(0);
    if width == 0 || bytes_per_line < packed_len(width * channels, depth) {
        return Err(CaptureError::DeviceFault(
            "the scanner described an impossible page".into(),
        ));
    }
    Ok(Frame {
        channels,
        depth,
        width,
        bytes_per_line,
        data: Vec::new(),
    })
}

/// Bytes taken by `samples` samples of `depth` bits.
fn packed_len(samples: usize, depth: u8) -> usize {
    match depth {
        1 => samples.div_ceil(8),
        8 => samples,
        _ => samples * 2,
    }
}

/// Reads one started frame to its end. The number of lines may be unknown (-1: hand scanners,
/// feeders that measure the paper): the frame ends where the data does.
pub(super) fn read_frame(
    handle: &mut DeviceHandle,
    parameters: &Parameters,
) -> std::result::Result<Frame, ReadFailure> {
    let mut frame = frame_shape(parameters)?;
    let expected = usize::try_from(parameters.lines)
        .ok()
        .and_then(|lines| lines.checked_mul(frame.bytes_per_line))
        .unwrap_or(0);
    frame.data.reserve(expected.min(MAX_FRAME_BYTES));
    let mut chunk = vec![0_u8; READ_CHUNK];
    while let Some(read) = handle
        .read(&mut chunk)
        .map_err(|error| ReadFailure::Sane(error.0))?
    {
        frame.data.extend_from_slice(&chunk[..read]);
        if frame.data.len() > MAX_FRAME_BYTES {
            return Err(CaptureError::TooLarge("the scanned page is over 1 GiB".into()).into());
        }
    }
    let lines = frame.data.len() / frame.bytes_per_line;
    let lines = match usize::try_from(parameters.lines) {
        Ok(known) if known > 0 => lines.min(known),
        _ => lines,
    };
    if lines == 0 {
        return Err(CaptureError::DeviceFault("the scanner sent an empty page".into()).into());
    }
    frame.data.truncate(lines * frame.bytes_per_line);
    Ok(frame)
}

/// Encodes a frame once: JPEG for colour and grey, PNG for black and white (1-bit when the
/// frame is, 8-bit grey otherwise).
pub(super) fn encode_page(frame: &Frame, lineart: bool, dpi: Option<u32>) -> Result<ScannedPage> {
    let (bytes, format) = if lineart {
        (encode_png(frame, dpi)?, ImageFormat::Png)
    } else {
        (encode_jpeg(frame, dpi)?, ImageFormat::Jpeg)
    };
    Ok(ScannedPage { bytes, format, dpi })
}

fn encode_jpeg(frame: &Frame, dpi: Option<u32>) -> Result<Vec<u8>> {
    let (width, height) = dimensions(frame, u32::from(u16::MAX))?;
    let mut bytes = Vec::new();
    let mut encoder = JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY);
    if let Some(dpi) = dpi.and_then(|dpi| u16::try_from(dpi).ok()) {
        encoder.set_pixel_density(PixelDensity::dpi(dpi));
    }
    let samples = samples_8bit(frame);
    let encoded = if frame.channels == 3 {
        RgbImage::from_raw(width, height, samples).map(|image| encoder.encode_image(&image))
    } else {
        GrayImage::from_raw(width, height, samples).map(|image| encoder.encode_image(&image))
    };
    match encoded {
        Some(Ok(())) => Ok(bytes),
        Some(Err(error)) => Err(encode_error(&error)),
        None => Err(CaptureError::DeviceFault(
            "the page's size does not match its data".into(),
        )),
    }
}

fn encode_png(frame: &Frame, dpi: Option<u32>) -> Result<Vec<u8>> {
    let (width, height) = dimensions(frame, u32::MAX)?;
    let (depth, data) = if frame.depth == 1 && frame.channels == 1 {
        (png::BitDepth::One, png_lineart_rows(frame))
    } else {
        (png::BitDepth::Eight, grey_samples(frame))
    };
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(Cursor::new(&mut bytes), width, height);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(depth);
    if let Some(dpi) = dpi {
        let per_metre = (f64::from(dpi) / 0.0254).round() as u32;
        encoder.set_pixel_dims(Some(png::PixelDimensions {
            xppu: per_metre,
            yppu: per_metre,
            unit: png::Unit::Meter,
        }));
    }
    let written = encoder.write_header().and_then(|mut writer| {
        writer
            .write_image_data(&data)
            .and_then(|()| writer.finish())
    });
    written.map_err(|error| encode_error(&error))?;
    Ok(bytes)
}

/// Width and height as the encoders take them, within `max` pixels each way.
fn dimensions(frame: &Frame, max: u32) -> Result<(u32, u32)> {
    let width = u32::try_from(frame.width).ok().filter(|&w| w <= max);
    let height = u32::try_from(frame.height()).ok().filter(|&h| h <= max);
    width.zip(height).ok_or_else(|| {
        CaptureError::TooLarge(format!(
            "the scanned page is over {max} pixels wide or high"
        ))
    })
}

fn encode_error(error: &dyn std::error::Error) -> CaptureError {
    CaptureError::Io(std::io::Error::other(format!(
        "cannot encode the page: {error}"
    )))
}

/// The frame's samples at 8 bits, lines unpadded: 16-bit samples are scaled down, and 1-bit
/// samples (SANE: 1 is black) become 0 or 255.
fn samples_8bit(frame: &Frame) -> Vec<u8> {
    let row_samples = frame.width * frame.channels;
    let mut samples = Vec::with_capacity(row_samples * frame.height());
    for row in 0..frame.height() {
        let line = frame.line(row);
        match frame.depth {
            1 => samples.extend((0..row_samples).map(|x| {
                let black = line[x / 8] & (0x80 >> (x % 8)) != 0;
                if black { 0 } else { 255 }
            })),
            8 => samples.extend_from_slice(&line[..row_samples]),
            _ => samples.extend(line[..row_samples * 2].chunks_exact(2).map(|pair| {
                let wide = u32::from(u16::from_ne_bytes([pair[0], pair[1]]));
                ((wide * 255 + 32_767) / 65_535) as u8
            })),
        }
    }
    samples
}

/// 8-bit grey samples of any frame (colour becomes its luma).
fn grey_samples(frame: &Frame) -> Vec<u8> {
    let samples = samples_8bit(frame);
    if frame.channels == 1 {
        return samples;
    }
    let width = u32::try_from(frame.width).unwrap_or(0);
    let height = u32::try_from(frame.height()).unwrap_or(0);
    ImageBuffer::<Rgb<u8>, _>::from_raw(width, height, samples)
        .map(|colour| {
            let grey: ImageBuffer<Luma<u8>, Vec<u8>> =
                image::DynamicImage::ImageRgb8(colour).to_luma8();
            grey.into_raw()
        })
        .unwrap_or_default()
}

/// A 1-bit frame as PNG rows: the same packing (first pixel in the high bit), but PNG's grey
/// 1 is white where SANE's is black, so every bit flips; line padding is dropped.
fn png_lineart_rows(frame: &Frame) -> Vec<u8> {
    let row_bytes = frame.width.div_ceil(8);
    (0..frame.height())
        .flat_map(|row| frame.line(row)[..row_bytes].iter().map(|byte| !byte))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(
        channels: usize,
        depth: u8,
        width: usize,
        bytes_per_line: usize,
        data: Vec<u8>,
    ) -> Frame {
        Frame {
            channels,
            depth,
            width,
            bytes_per_line,
            data,
        }
    }

    #[test]
    fn sixteen_bit_samples_become_eight_bit() {
        let words: [u16; 3] = [0, 0x8000, 0xffff];
        let data: Vec<u8> = words.iter().flat_map(|w| w.to_ne_bytes()).collect();
        let frame = frame(1, 16, 3, 6, data);
        assert_eq!(samples_8bit(&frame), vec![0, 128, 255]);
    }

    #[test]
    fn line_padding_is_dropped() {
        // Two grey lines of 3 pixels, each padded to 4 bytes.
        let frame = frame(1, 8, 3, 4, vec![1, 2, 3, 99, 4, 5, 6, 99]);
        assert_eq!(samples_8bit(&frame), vec![1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn lineart_becomes_a_one_bit_png_with_black_kept_black() {
        // 10 pixels a line (2 bytes + 1 byte padding): black, white, black…
        let line = [0b1010_1010, 0b1000_0000, 0xff];
        let data: Vec<u8> = line.iter().chain(line.iter()).copied().collect();
        let frame = frame(1, 1, 10, 3, data);
        let page = encode_page(&frame, true, Some(100)).expect("encoded");
        assert_eq!(page.format, ImageFormat::Png);
        assert_eq!(page.bytes[24], 1, "1-bit PNG");
        let decoded = image::load_from_memory(&page.bytes)
            .expect("decodes")
            .to_luma8();
        assert_eq!(decoded.dimensions(), (10, 2));
        let row: Vec<u8> = (0..10).map(|x| decoded.get_pixel(x, 0).0[0]).collect();
        assert_eq!(row, vec![0, 255, 0, 255, 0, 255, 0, 255, 0, 255]);
    }

    #[test]
    fn colour_and_grey_become_jpeg() {
        let frame = frame(3, 16, 4, 24, vec![0x80; 24 * 5]);
        let page = encode_page(&frame, false, Some(75)).expect("encoded");
        assert_eq!(page.format, ImageFormat::Jpeg);
        let decoded = image::load_from_memory(&page.bytes).expect("decodes");
        assert_eq!((decoded.width(), decoded.height()), (4, 5));
        assert_eq!(decoded.color(), image::ColorType::Rgb8);
    }
}
