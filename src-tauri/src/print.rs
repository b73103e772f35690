//! Printing forms through the system's print dialog, from the window itself: the desk saves the
//! form's PDF and draws its pages at a printer's resolution (`Desk::print_form`), and the
//! window puts them on a print-only layer and asks the shell to print it ([`print`]): the
//! system's dialog (GTK's on Linux, WebView2's on Windows), starting on the form's paper.
//!
//! On Linux, `HOSO_PRINT_TO=DIR` prints without a dialog to `DIR/print-N.pdf` through GTK's
//! "Print to File" printer (for unattended use and for the end-to-end tests): the same web
//! view, the same print path, only no one to click "Print". Otherwise GTK's dialog opens on
//! the printer used last (`printer.rs`); WebView2's dialog on Windows remembers it by itself.

#[cfg(target_os = "linux")]
use std::path::PathBuf;

use hoso_model::{ApiError, ErrorCode};

/// Prints what the window shows for print (the form's pages, see the frontend's `print.rs`)
/// through the system's dialog, which starts on the form's paper with no margins (the forms
/// have their own). On Linux the shell runs WebKitGTK's print operation itself, so that with
/// `HOSO_PRINT_TO` it can go to a file instead; elsewhere the web view's own print shows the
/// dialog (WebView2's).
/// `paper` is the form's, in millimetres as shown (width, height), as the desk drew it.
pub fn print(window: &tauri::WebviewWindow, paper: (f32, f32)) -> Result<(), ApiError> {
    let failed = |_| ApiError::new(ErrorCode::Internal, "print: the window cannot print");
    #[cfg(target_os = "linux")]
    {
        use tauri::Manager;
        let to_file = std::env::var_os("HOSO_PRINT_TO").map(PathBuf::from);
        let kept = window
            .state::<crate::state::AppState>()
            .data_dir()
            .ok()
            .map(|dir| crate::printer::settings_file(&dir));
        window
            .with_webview(move |webview| {
                use webkit2gtk::PrintOperationExt;
                let view = webview.inner();
                let operation = webkit2gtk::PrintOperation::new(&view);
                operation.set_page_setup(&page_setup(paper));
                match to_file {
                    Some(dir) => {
                        static PRINTED: std::sync::atomic::AtomicU32 =
                            std::sync::atomic::AtomicU32::new(0);
                        let n = PRINTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                        let name = format!("print-{n}.pdf");
                        print_to_file(
                            &operation,
                            &dir.join(format!("{name}.part")),
                            &dir.join(name),
                        );
                    }
                    None => {
                        use gtk::prelude::{Cast, WidgetExt};
                        let parent = view
                            .toplevel()
                            .and_then(|w| w.downcast::<gtk::Window>().ok());
                        let printed = kept.map(|file| keep_the_printer(&operation, file));
                        let response = operation.run_dialog(parent.as_ref());
                        if let Some(printed) = printed {
                            printed.set(response == webkit2gtk::PrintOperationResponse::Print);
                        }
                    }
                }
            })
            .map_err(failed)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = paper;
        window.print().map_err(failed)
    }
}

#[cfg(target_os = "linux")]
fn page_setup((width, height): (f32, f32)) -> gtk::PageSetup {
    let setup = gtk::PageSetup::new();
    let (short, long) = (f64::from(width.min(height)), f64::from(width.max(height)));
    let near = |a: f64, b: f64| (a - b).abs() < 2.0;
    let size = match (short, long) {
        (s, l) if near(s, 148.0) && near(l, 210.0) => gtk::PaperSize::new(Some("iso_a5")),
        (s, l) if near(s, 210.0) && near(l, 297.0) => gtk::PaperSize::new(Some("iso_a4")),
        _ => gtk::PaperSize::new_custom("hoso", "hoso", short, long, gtk::Unit::Mm),
    };
    setup.set_paper_size(&size);
    setup.set_orientation(if width > height {
        gtk::PageOrientation::Landscape
    } else {
        gtk::PageOrientation::Portrait
    });
    for set in [
        gtk::PageSetup::set_top_margin,
        gtk::PageSetup::set_bottom_margin,
        gtk::PageSetup::set_left_margin,
        gtk::PageSetup::set_right_margin,
    ] {
        set(&setup, 0.0, gtk::Unit::Mm);
    }
    setup
}

/// Opens the dialog on the settings kept in `file`, and keeps the dialog's settings there once
/// a print it started has finished without failing. Returns the flag to set when the officer
/// pressed "Print" (a cancelled dialog also finishes, and keeps nothing).
#[cfg(target_os = "linux")]
fn keep_the_printer(
    operation: &webkit2gtk::PrintOperation,
    file: PathBuf,
) -> std::rc::Rc<std::cell::Cell<bool>> {
    use std::cell::Cell;
    use std::rc::Rc;
    use webkit2gtk::PrintOperationExt;
    if let Some(settings) = crate::printer::load(&file) {
        operation.set_print_settings(&settings);
    }
    let (printed, failed) = (Rc::new(Cell::new(false)), Rc::new(Cell::new(false)));
    let failing = failed.clone();
    operation.connect_failed(move |_, _| failing.set(true));
    let finished = printed.clone();
    operation.connect_finished(move |operation| {
        if !finished.get() || failed.get() {
            return;
        }
        if let Some(settings) = operation.print_settings()
            && crate::printer::save(&settings, &file).is_err()
        {
            eprintln!("hoso-desktop: the printer chosen could not be kept for the next print");
        }
    });
    printed
}

/// Prints to `part`, renamed to `done` once the printer has finished, so a reader never sees
/// half a file.
#[cfg(target_os = "linux")]
fn print_to_file(
    operation: &webkit2gtk::PrintOperation,
    part: &std::path::Path,
    done: &std::path::Path,
) {
    use webkit2gtk::PrintOperationExt;
    let Ok(uri) = gtk::glib::filename_to_uri(part, None) else {
        return;
    };
    let settings = gtk::PrintSettings::new();
    // The file printer goes by its name in GTK's own language, which follows the desk's.
    settings.set_printer(&gtk::glib::dgettext(Some("gtk30"), "Print to File"));
    settings.set(gtk::PRINT_SETTINGS_OUTPUT_FILE_FORMAT, Some("pdf"));
    settings.set(gtk::PRINT_SETTINGS_OUTPUT_URI, Some(uri.as_str()));
    operation.set_print_settings(&settings);
    let (part, done) = (part.to_path_buf(), done.to_path_buf());
    operation.connect_failed(|_, err| {
        eprintln!("hoso-desktop: printing to a file failed: {err}");
    });
    operation.connect_finished(move |_| {
        if std::fs::rename(&part, &done).is_err() {
            eprintln!("hoso-desktop: the printed file could not be finished");
        }
    });
    operation.print();
}
