//! Page images to serve from a fake scanner. They are drawn rather than shipped so that a test can
//! ask for any size, and each is recognisable (a coloured frame, a number of bars) so that a test
//! can tell which page came back and whether its colours survived the trip.

use std::io::Cursor;

use image::{DynamicImage, GrayImage, ImageFormat, Luma, Rgb, RgbImage};

/// Draws a white page of `width` × `height` pixels with a frame in `colour` and `bars` horizontal
/// bars of the same colour near the top (the page number, say), and encodes it as JPEG.
pub fn jpeg_page(width: u32, height: u32, colour: [u8; 3], bars: u32) -> Vec<u8> {
    encode(
        DynamicImage::ImageRgb8(draw_rgb(width, height, colour, bars)),
        ImageFormat::Jpeg,
    )
}

/// The same page as [`jpeg_page`] in shades of grey (`level` is the frame's grey), as a device
/// sends for a `Grayscale8` or `BlackAndWhite1` scan.
pub fn grey_jpeg_page(width: u32, height: u32, level: u8, bars: u32) -> Vec<u8> {
    encode(
        DynamicImage::ImageLuma8(draw_grey(width, height, level, bars)),
        ImageFormat::Jpeg,
    )
}

/// The same page as [`jpeg_page`], encoded as PNG (some devices send PNG when asked).
pub fn png_page(width: u32, height: u32, colour: [u8; 3], bars: u32) -> Vec<u8> {
    encode(
        DynamicImage::ImageRgb8(draw_rgb(width, height, colour, bars)),
        ImageFormat::Png,
    )
}

fn draw_rgb(width: u32, height: u32, colour: [u8; 3], bars: u32) -> RgbImage {
    let (width, height) = (width.max(1), height.max(1));
    RgbImage::from_fn(width, height, |x, y| {
        if is_ink(width, height, bars, x, y) {
            Rgb(colour)
        } else {
            Rgb([255, 255, 255])
        }
    })
}

fn draw_grey(width: u32, height: u32, level: u8, bars: u32) -> GrayImage {
    let (width, height) = (width.max(1), height.max(1));
    GrayImage::from_fn(width, height, |x, y| {
        if is_ink(width, height, bars, x, y) {
            Luma([level])
        } else {
            Luma([255])
        }
    })
}

/// Whether the pixel at (`x`, `y`) belongs to the frame or to one of the bars. The frame is a
/// twentieth of the shorter side thick, so it survives JPEG at any size a test uses.
fn is_ink(width: u32, height: u32, bars: u32, x: u32, y: u32) -> bool {
    let thick = (width.min(height) / 20).max(1);
    let frame = x < thick || y < thick || x >= width - thick || y >= height - thick;
    let pitch = thick * 2;
    let top = thick * 2;
    let in_bars = y >= top && y < top + bars * pitch && (y - top) % pitch < thick;
    let bar_span = x >= thick * 2 && x < width.saturating_sub(thick * 2);
    frame || (in_bars && bar_span)
}

/// Encodes into memory. The encoders cannot fail on an in-memory buffer with a supported pixel
/// layout, so a failure is a bug in this fake and stops the test.
fn encode(image: DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut bytes = Cursor::new(Vec::new());
    if let Err(error) = image.write_to(&mut bytes, format) {
        panic!("the fake could not encode a page as {format:?}: {error}");
    }
    bytes.into_inner()
}
