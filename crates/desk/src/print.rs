//! Forms for the system's print dialog: the desk saves the form's PDF, then draws its pages at
//! a printer's resolution ([`PRINT_DPI`]) as PNG `data:` URLs, which the window lays out on a
//! print-only layer. Printing itself (the dialog, the paper) is the shell's.

use std::io::Cursor;
use std::path::Path;

use hoso_model::ipc::{FormKind, FormPrint, FormSaved, PRINT_DPI};

use crate::window::data_url;
use crate::{Desk, Error};

impl Desk {
    /// Saves one of a dossier's forms and draws it for printing.
    pub fn print_form(&self, code_or_id: &str, kind: FormKind) -> Result<FormPrint, Error> {
        form_print(&self.save_form(code_or_id, kind)?)
    }

    /// Saves the tracking book of a period (dates inclusive) and draws it for printing.
    pub fn print_tracking_book(
        &self,
        from: jiff::civil::Date,
        to: jiff::civil::Date,
    ) -> Result<FormPrint, Error> {
        form_print(&self.save_tracking_book(from, to)?)
    }
}

/// The saved form at `path`, its pages drawn for the print dialog (a fraction of a second a
/// page), with its paper in millimetres as the first page shows it.
pub fn form_print(path: &Path) -> Result<FormPrint, Error> {
    let failed = |what: &str| Error::Form(format!("print: {what}"));
    let bytes = std::fs::read(path).map_err(|_| failed("the saved form cannot be read"))?;
    let pages = hoso_capture::render_pdf_for_print(&bytes, PRINT_DPI)
        .map_err(|_| failed("the saved form cannot be drawn"))?;
    let first = pages
        .first()
        .ok_or_else(|| failed("the form has no page"))?;
    let to_mm = |pt: f32| (pt / 72.0 * 25.4 * 10.0).round() / 10.0;
    let (width_mm, height_mm) = (to_mm(first.width_pt), to_mm(first.height_pt));
    let mut urls = Vec::with_capacity(pages.len());
    for page in &pages {
        let mut png = Vec::new();
        page.image
            .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .map_err(|_| failed("a page cannot be encoded"))?;
        urls.push(data_url("image/png", &png));
    }
    Ok(FormPrint {
        saved: FormSaved {
            path: path.display().to_string(),
            opened: false,
        },
        pages: urls,
        width_mm,
        height_mm,
    })
}
