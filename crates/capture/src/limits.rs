//! What the desk accepts from a file, checked before anything large is read or decoded, so that
//! a 1 GB file or a decompression bomb is refused cheaply. Change a limit here and every path
//! that reads a file (import, decode, the archive) follows.

use crate::{CaptureError, Result};

/// Files larger than this are refused before they are read (a scanned A3 colour page at 600 dpi
/// is about 25 MB as JPEG; a 60-page PDF of such pages fits).
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;
/// Pixel count above which an image is refused before it is decoded: A3 at 600 dpi is 70 M.
pub const MAX_PIXELS: u64 = 120_000_000;
/// Pages of one TIFF or PDF file.
pub const MAX_PAGES: usize = 1000;

/// Refuses an image of no pixels, or of more than [`MAX_PIXELS`].
pub(crate) fn check_pixels(width: u32, height: u32) -> Result<()> {
    let pixels = u64::from(width) * u64::from(height);
    if pixels == 0 {
        return Err(CaptureError::Corrupt("an image of no pixels".into()));
    }
    if pixels > MAX_PIXELS {
        return Err(CaptureError::TooLarge(format!("{width}×{height} pixels")));
    }
    Ok(())
}
