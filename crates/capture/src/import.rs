//! Files an officer brings (a USB stick, a scanner that saves to a folder, drag and drop): their
//! kind is read from their first bytes, never from their name, and every limit is checked before
//! anything large is read or decoded, so a 1 GB file or a TIFF bomb is refused cheaply.
//!
//! JPEG and PNG pages are kept byte for byte. A TIFF's pages become lossless PNGs (PDF readers
//! cannot show TIFF, and the archive PDF must). A PDF is kept whole; its pages are referred to by
//! index and embedded as they are.

use std::io::Read;
use std::path::Path;

use crate::limits::check_pixels;
use crate::source::ImageFormat;
use crate::{CaptureError, Result, decode};

pub use crate::limits::{MAX_FILE_BYTES, MAX_PAGES, MAX_PIXELS};

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
    let (width, height) = decode::dimensions(bytes, format)?;
    check_pixels(width, height)?;
    decode::decode(bytes, format)?;
    Ok(ImportedPage::Image {
        bytes: bytes.to_vec(),
        format,
        width,
        height,
        dpi: decode::dpi_of(bytes, format),
    })
}

/// The pages of a PDF, with their shown size. A PDF that cannot be parsed, or has no page, is
/// refused whole.
fn pdf_pages(bytes: &[u8]) -> Result<Vec<ImportedPage>> {
    Ok(crate::pdf::read::page_sizes(bytes)?
        .into_iter()
        .enumerate()
        .map(|(index, (width_pt, height_pt))| ImportedPage::PdfPage {
            index,
            width_pt,
            height_pt,
        })
        .collect())
}

/// Every page of a TIFF, each turned into a lossless PNG.
fn tiff_pages(bytes: &[u8]) -> Result<Vec<ImportedPage>> {
    Ok(decode::tiff::pages(bytes)?
        .into_iter()
        .map(|page| ImportedPage::Image {
            bytes: page.png,
            format: ImageFormat::Png,
            width: page.width,
            height: page.height,
            dpi: page.dpi,
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
