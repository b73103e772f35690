//! What a transfer delivered: a page's bytes as a [`ScannedPage`]. JPEG and PNG are kept as
//! sent; a BMP (what many drivers give) becomes a lossless PNG, 1-bit when the scan was.

use std::io::Cursor;

use hoso_capture::{CaptureError, ImageFormat, Result, ScannedPage};

use crate::MAX_PAGE_BYTES;

/// The bytes of one transfer stream as a page. The bytes decide the format: JPEG and PNG are
/// kept exactly as the device sent them; BMP is re-encoded losslessly as PNG (1-bit when the
/// page is only black and white, grey when it has no colour).
pub fn page_from_transfer(bytes: Vec<u8>, dpi: u32) -> Result<ScannedPage> {
    let format = if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        ImageFormat::Jpeg
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        ImageFormat::Png
    } else if bytes.starts_with(b"BM") {
        return Ok(ScannedPage {
            bytes: bmp_to_png(&bytes, dpi)?,
            format: ImageFormat::Png,
            dpi: Some(dpi),
        });
    } else if bytes.is_empty() {
        return Err(CaptureError::DeviceFault(
            "the scanner sent an empty page".into(),
        ));
    } else {
        return Err(CaptureError::DeviceFault(
            "the scanner sent a page that is not JPEG, PNG or BMP".into(),
        ));
    };
    Ok(ScannedPage {
        bytes,
        format,
        dpi: Some(dpi),
    })
}

/// A BMP file as PNG, with its resolution.
fn bmp_to_png(bmp: &[u8], dpi: u32) -> Result<Vec<u8>> {
    let damaged = |why: String| CaptureError::DeviceFault(format!("the scanner sent {why}"));
    let mut reader = image::ImageReader::with_format(Cursor::new(bmp), image::ImageFormat::Bmp);
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_PAGE_BYTES);
    reader.limits(limits);
    let decoded = reader.decode().map_err(|error| match error {
        image::ImageError::Limits(_) => {
            CaptureError::TooLarge("the scanned page is larger than the desk takes".into())
        }
        other => damaged(format!("a damaged BMP page ({other})")),
    })?;
    let rgb = decoded.to_rgb8();
    let (width, height) = rgb.dimensions();
    let samples = rgb.as_raw();
    let grey = samples
        .chunks_exact(3)
        .all(|px| px[0] == px[1] && px[1] == px[2]);
    let (colour, depth, data) = if !grey {
        (png::ColorType::Rgb, png::BitDepth::Eight, samples.clone())
    } else {
        let luma: Vec<u8> = samples.chunks_exact(3).map(|px| px[0]).collect();
        if luma.iter().all(|&v| v == 0 || v == 255) {
            let row = usize::try_from(width).unwrap_or(0);
            (
                png::ColorType::Grayscale,
                png::BitDepth::One,
                pack_bits(&luma, row),
            )
        } else {
            (png::ColorType::Grayscale, png::BitDepth::Eight, luma)
        }
    };
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(Cursor::new(&mut bytes), width, height);
    encoder.set_color(colour);
    encoder.set_depth(depth);
    let per_metre = (f64::from(dpi) / 0.0254).round() as u32;
    encoder.set_pixel_dims(Some(png::PixelDimensions {
        xppu: per_metre,
        yppu: per_metre,
        unit: png::Unit::Meter,
    }));
    encoder
        .write_header()
        .and_then(|mut writer| {
            writer
                .write_image_data(&data)
                .and_then(|()| writer.finish())
        })
        .map_err(|error| {
            CaptureError::Io(std::io::Error::other(format!(
                "cannot encode the page: {error}"
            )))
        })?;
    Ok(bytes)
}

/// Black-and-white samples (0 or 255) packed eight to a byte, first pixel in the high bit, each
/// row padded to a whole byte: PNG's 1-bit grey, where 1 is white.
fn pack_bits(luma: &[u8], width: usize) -> Vec<u8> {
    if width == 0 {
        return Vec::new();
    }
    luma.chunks(width)
        .flat_map(|row| {
            row.chunks(8).map(|eight| {
                eight
                    .iter()
                    .enumerate()
                    .fold(0u8, |byte, (i, &v)| byte | (u8::from(v != 0) << (7 - i)))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A bottom-up BMP file: 24-bit when `palette` is empty, else 1 or 8 bits with that palette.
    fn bmp(width: u32, rows: &[Vec<u8>], bits: u16, palette: &[[u8; 3]]) -> Vec<u8> {
        let row_bytes = (width * u32::from(bits)).div_ceil(32) * 4;
        let height = rows.len() as u32;
        let offset = 14 + 40 + 4 * palette.len() as u32;
        let size = offset + row_bytes * height;
        let mut out = Vec::new();
        out.extend_from_slice(b"BM");
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&offset.to_le_bytes());
        out.extend_from_slice(&40u32.to_le_bytes());
        out.extend_from_slice(&width.to_le_bytes());
        out.extend_from_slice(&height.to_le_bytes());
        out.extend_from_slice(&1u16.to_le_bytes());
        out.extend_from_slice(&bits.to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&(row_bytes * height).to_le_bytes());
        out.extend_from_slice(&11811u32.to_le_bytes());
        out.extend_from_slice(&11811u32.to_le_bytes());
        out.extend_from_slice(&(palette.len() as u32).to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        for [r, g, b] in palette {
            out.extend_from_slice(&[*b, *g, *r, 0]);
        }
        for row in rows.iter().rev() {
            let mut line = row.clone();
            line.resize(row_bytes as usize, 0);
            out.extend_from_slice(&line);
        }
        out
    }

    fn decode(page: &ScannedPage) -> image::DynamicImage {
        image::load_from_memory_with_format(&page.bytes, image::ImageFormat::Png).unwrap()
    }

    #[test]
    fn jpeg_and_png_pages_are_kept_as_sent() {
        let jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3];
        let png = b"\x89PNG\r\n\x1a\nrest".to_vec();
        let cases = [(jpeg, ImageFormat::Jpeg), (png, ImageFormat::Png)];
        for (bytes, format) in cases {
            let page = page_from_transfer(bytes.clone(), 300).unwrap();
            assert_eq!(page.format, format);
            assert_eq!(page.bytes, bytes);
            assert_eq!(page.dpi, Some(300));
        }
    }

    #[test]
    fn other_bytes_are_refused() {
        let cases: [&[u8]; 4] = [b"", b"%PDF-1.7", b"II*\0tiff", b"BM not really"];
        for bytes in cases {
            assert!(
                matches!(
                    page_from_transfer(bytes.to_vec(), 300),
                    Err(CaptureError::DeviceFault(_))
                ),
                "{bytes:?}"
            );
        }
    }

    #[test]
    fn a_one_bit_bmp_becomes_a_one_bit_png() {
        // 10 pixels a row; palette 0 black, 1 white; rows: alternate, then all white.
        let rows = vec![vec![0b0101_0101, 0b0100_0000], vec![0xFF, 0xC0]];
        let page =
            page_from_transfer(bmp(10, &rows, 1, &[[0, 0, 0], [255, 255, 255]]), 200).unwrap();
        assert_eq!(page.format, ImageFormat::Png);
        assert_eq!(page.dpi, Some(200));
        assert_eq!(page.bytes[24], 1, "1-bit PNG");
        assert_eq!(page.bytes[25], 0, "grey");
        let grey = decode(&page).to_luma8();
        assert_eq!(grey.dimensions(), (10, 2));
        let first: Vec<u8> = (0..10).map(|x| grey.get_pixel(x, 0).0[0]).collect();
        assert_eq!(first, [0, 255, 0, 255, 0, 255, 0, 255, 0, 255]);
        assert!((0..10).all(|x| grey.get_pixel(x, 1).0[0] == 255));
    }

    #[test]
    fn grey_and_colour_bmps_become_lossless_pngs() {
        let grey_palette: Vec<[u8; 3]> = (0..=255u8).map(|v| [v, v, v]).collect();
        let grey = bmp(3, &[vec![0, 128, 255], vec![7, 8, 9]], 8, &grey_palette);
        let page = page_from_transfer(grey, 300).unwrap();
        assert_eq!(page.bytes[24..26], [8, 0], "8-bit grey PNG");
        let decoded = decode(&page).to_luma8();
        assert_eq!(decoded.as_raw(), &[0, 128, 255, 7, 8, 9]);

        // BMP keeps blue, green, red.
        let colour = bmp(2, &[vec![0, 0, 255, 255, 0, 0]], 24, &[]);
        let page = page_from_transfer(colour, 600).unwrap();
        assert_eq!(page.bytes[24..26], [8, 2], "8-bit RGB PNG");
        let decoded = decode(&page).to_rgb8();
        assert_eq!(decoded.as_raw(), &[255, 0, 0, 0, 0, 255]);
    }

    #[test]
    fn the_png_says_its_resolution() {
        let page = page_from_transfer(bmp(1, &[vec![0, 0, 0]], 24, &[]), 300).unwrap();
        let at = page
            .bytes
            .windows(4)
            .position(|w| w == b"pHYs")
            .expect("a pHYs chunk");
        let per_metre = u32::from_be_bytes(page.bytes[at + 4..at + 8].try_into().unwrap());
        assert_eq!(per_metre, 11811);
        assert_eq!(page.bytes[at + 12], 1, "in metres");
    }
}
