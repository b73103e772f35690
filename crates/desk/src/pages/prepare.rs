//! A file or a scanned page made ready to keep, before any lock is taken: the file goes through
//! capture's one entry point ([`hoso_capture::check::check_file`], the same path the fuzzer
//! runs), and each page it gives becomes a [`Prepared`] page with the bytes to keep.

use std::sync::Arc;

use hoso_capture::analyse::Analysis;
use hoso_capture::check::{CheckedPage, check_file};
use hoso_capture::import::{FileKind, ImportedPage};
use hoso_capture::{ImageFormat, ScannedPage};
use hoso_model::page::OcrState;

/// One page ready to be kept: its bytes (or the PDF it is a page of) and what the fast look
/// at it found.
pub(crate) struct Prepared {
    /// The file to keep: the page's own image, or the whole PDF for a PDF's page.
    pub(super) file: Arc<Vec<u8>>,
    pub(super) media_type: &'static str,
    pub(super) pdf_page: Option<u32>,
    pub(super) width: u32,
    pub(super) height: u32,
    pub(super) dpi: Option<u32>,
    pub(crate) analysis: Analysis,
    pub(super) ocr: OcrState,
}

/// Checks a file and gives its pages with the fast look at each.
pub(super) fn prepare_file(bytes: Vec<u8>) -> hoso_capture::Result<Vec<Prepared>> {
    let checked = check_file(&bytes)?;
    let file = Arc::new(bytes);
    let prepared = checked
        .pages
        .into_iter()
        .map(|CheckedPage { page, analysis }| match page {
            ImportedPage::Image {
                bytes,
                format,
                width,
                height,
                dpi,
            } => Prepared {
                // A JPEG or PNG file is its own page; a TIFF's pages are new PNGs.
                file: if checked.kind == FileKind::Tiff {
                    Arc::new(bytes)
                } else {
                    file.clone()
                },
                media_type: media_type(format),
                pdf_page: None,
                width,
                height,
                dpi,
                analysis,
                ocr: OcrState::Pending,
            },
            ImportedPage::PdfPage {
                index,
                width_pt,
                height_pt,
            } => Prepared {
                file: file.clone(),
                media_type: "application/pdf",
                pdf_page: Some(index as u32),
                width: width_pt.round() as u32,
                height: height_pt.round() as u32,
                dpi: None,
                analysis,
                // Read as the archive draws it (a scan saved as PDF has no text).
                ocr: OcrState::Pending,
            },
        })
        .collect();
    Ok(prepared)
}

/// A page as a scanner delivered it, with the fast look at it.
pub(crate) fn prepare_scanned(page: ScannedPage) -> hoso_capture::Result<Prepared> {
    let (width, height) = hoso_capture::decode::dimensions(&page.bytes, page.format)?;
    let analysis = hoso_capture::analyse::analyse_image(&page.bytes, page.format)?;
    let dpi = page
        .dpi
        .or_else(|| hoso_capture::decode::dpi_of(&page.bytes, page.format));
    Ok(Prepared {
        media_type: media_type(page.format),
        file: Arc::new(page.bytes),
        pdf_page: None,
        width,
        height,
        dpi,
        analysis,
        ocr: OcrState::Pending,
    })
}

fn media_type(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Jpeg => "image/jpeg",
        ImageFormat::Png => "image/png",
    }
}
