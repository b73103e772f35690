//! The whole of what the desk does with a file an officer brings, in one call: [`import`] it, then
//! [`analyse_image`] or [`analyse_pdf_page`] each page. The fuzz target (`fuzz/`) and the replay
//! of its corpus (`tests/corpus.rs`) run this, so that what they prove is what the desk meets:
//! any bytes end in `Ok` or a [`CaptureError`](crate::CaptureError), never in a panic, an abort,
//! a hang or an allocation without bound.
//!
//! [`import`]: crate::import::import
//! [`analyse_image`]: crate::analyse::analyse_image
//! [`analyse_pdf_page`]: crate::analyse::analyse_pdf_page

use crate::Result;
use crate::analyse::{Analysis, analyse_image, analyse_pdf_page};
use crate::import::{Imported, ImportedPage, import};

/// How many of a PDF's pages [`import_and_analyse`] renders. The desk renders every page, but
/// each page is rendered on its own, so the first few show what any page can do; more would only
/// slow the fuzzer down.
pub const PDF_PAGES_ANALYSED: usize = 3;

/// A file imported, and the analysis of its pages in order (image pages all, PDF pages up to
/// [`PDF_PAGES_ANALYSED`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    pub imported: Imported,
    pub analyses: Vec<Analysis>,
}

/// Imports `bytes` as a file and analyses its pages as the desk does, stopping at the first
/// error.
pub fn import_and_analyse(bytes: &[u8]) -> Result<Checked> {
    let imported = import(bytes)?;
    let mut analyses = Vec::new();
    let mut pdf_pages = 0;
    for page in &imported.pages {
        match page {
            ImportedPage::Image { bytes, format, .. } => {
                analyses.push(analyse_image(bytes, *format)?);
            }
            ImportedPage::PdfPage { index, .. } => {
                if pdf_pages == PDF_PAGES_ANALYSED {
                    continue;
                }
                pdf_pages += 1;
                analyses.push(analyse_pdf_page(bytes, *index)?);
            }
        }
    }
    Ok(Checked { imported, analyses })
}
