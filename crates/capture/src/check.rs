//! The whole of what the desk does with a file an officer brings, in one call: bytes in, checked
//! pages and the fast look at each out. [`check_file`] takes the file's kind from its signature,
//! checks every limit before decoding ([`import`]), decodes every page in full (a damaged file
//! fails here, not later in the archive), then looks at each page ([`analyse_image`] or
//! [`analyse_pdf_page`]: thumbnail, ink, colour, QR code, hash, skew).
//!
//! The desk's attach and drop paths call [`check_file`]; the fuzz target (`fuzz/`) and the replay
//! of its corpus (`tests/corpus.rs`) call [`check_file_sampled`], the same path told to look at
//! no more than a few of a PDF's pages. So what the fuzzer proves is what the desk meets: any
//! bytes end in `Ok` or a [`CaptureError`](crate::CaptureError), never in a panic, an abort, a
//! hang or an allocation without bound.
//!
//! [`import`]: crate::import::import
//! [`analyse_image`]: crate::analyse::analyse_image
//! [`analyse_pdf_page`]: crate::analyse::analyse_pdf_page

use crate::Result;
use crate::analyse::{Analysis, analyse_image, analyse_pdf_page};
use crate::import::{FileKind, ImportedPage, import};

/// How many of a PDF's pages the fuzzer has looked at. The desk looks at every page, but each
/// page is drawn on its own, so the first few show what any page can do; more would only slow
/// the fuzzer down.
pub const PDF_PAGES_ANALYSED: usize = 3;

/// A file checked: its kind and its pages, each with the fast look at it.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedFile {
    pub kind: FileKind,
    /// The pages looked at, in order: every page, unless [`check_file_sampled`] left some of a
    /// PDF's out.
    pub pages: Vec<CheckedPage>,
    /// The pages the file holds, looked at or not.
    pub page_count: usize,
}

/// One page of a checked file.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedPage {
    pub page: ImportedPage,
    pub analysis: Analysis,
}

/// Checks a file's bytes and looks at every page, stopping at the first error: nothing is kept
/// when any page is unreadable.
pub fn check_file(bytes: &[u8]) -> Result<CheckedFile> {
    check(bytes, usize::MAX)
}

/// [`check_file`] looking at no more than `pdf_pages` of a PDF's pages (every page of an image
/// file is still looked at); the fuzzer's way in, with [`PDF_PAGES_ANALYSED`].
pub fn check_file_sampled(bytes: &[u8], pdf_pages: usize) -> Result<CheckedFile> {
    check(bytes, pdf_pages)
}

fn check(bytes: &[u8], pdf_pages: usize) -> Result<CheckedFile> {
    let imported = import(bytes)?;
    let page_count = imported.pages.len();
    let mut pages = Vec::with_capacity(page_count);
    let mut pdf_pages_seen = 0;
    for page in imported.pages {
        let analysis = match &page {
            ImportedPage::Image { bytes, format, .. } => analyse_image(bytes, *format)?,
            ImportedPage::PdfPage { index, .. } => {
                if pdf_pages_seen == pdf_pages {
                    continue;
                }
                pdf_pages_seen += 1;
                analyse_pdf_page(bytes, *index)?
            }
        };
        pages.push(CheckedPage { page, analysis });
    }
    Ok(CheckedFile {
        kind: imported.kind,
        pages,
        page_count,
    })
}
