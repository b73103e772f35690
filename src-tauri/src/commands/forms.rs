//! Printing forms: the desk saves the PDF and draws its pages; the window prints them through
//! the system's print dialog ([`crate::print`]).

use hoso_model::ipc::{FormKind, FormPrint};
use hoso_model::{ApiError, Field};
use tauri::State;

use crate::print;
use crate::state::AppState;

#[tauri::command]
pub async fn print_form(
    state: State<'_, AppState>,
    dossier: String,
    form: FormKind,
) -> Result<FormPrint, ApiError> {
    state.run(move |desk| desk.print_form(&dossier, form)).await
}

/// `from` and `to` are ISO dates (`2026-03-01`), as a date input gives them.
#[tauri::command]
pub async fn print_tracking_book(
    state: State<'_, AppState>,
    from: String,
    to: String,
) -> Result<FormPrint, ApiError> {
    let day = |text: &str| {
        text.parse::<jiff::civil::Date>()
            .map_err(|_| ApiError::validation(Field::Date, "unreadable date"))
    };
    let (from, to) = (day(&from)?, day(&to)?);
    state
        .run(move |desk| desk.print_tracking_book(from, to))
        .await
}

/// Prints what the window has laid out for print (the pages of the form just prepared), on
/// the form's paper.
#[tauri::command]
pub async fn print_window(
    window: tauri::WebviewWindow,
    width_mm: f32,
    height_mm: f32,
) -> Result<(), ApiError> {
    print::print(&window, (width_mm, height_mm))
}

/// Opens a saved file (an export, a report) in the system's viewer. No viewer (a bare machine,
/// a test under Xvfb) is not an error: the file is saved.
pub(super) fn open(app: &tauri::AppHandle, path: std::path::PathBuf) -> hoso_model::ipc::FormSaved {
    use tauri_plugin_opener::OpenerExt;
    let opened = app
        .opener()
        .open_path(path.to_string_lossy(), None::<&str>)
        .is_ok();
    hoso_model::ipc::FormSaved {
        path: path.display().to_string(),
        opened,
    }
}
