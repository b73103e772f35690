//! Printing forms: the desk saves the PDF; the system's viewer, opened on it, prints it.

use hoso_model::ipc::{FormKind, FormSaved};
use hoso_model::{ApiError, Field};
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

use crate::state::AppState;

#[tauri::command]
pub async fn print_form(
    app: AppHandle,
    state: State<'_, AppState>,
    dossier: String,
    form: FormKind,
) -> Result<FormSaved, ApiError> {
    let path = state
        .run(move |desk| desk.save_form(&dossier, form))
        .await?;
    Ok(open(&app, path))
}

/// `from` and `to` are ISO dates (`2026-03-01`), as a date input gives them.
#[tauri::command]
pub async fn print_tracking_book(
    app: AppHandle,
    state: State<'_, AppState>,
    from: String,
    to: String,
) -> Result<FormSaved, ApiError> {
    let day = |text: &str| {
        text.parse::<jiff::civil::Date>()
            .map_err(|_| ApiError::validation(Field::Date, "unreadable date"))
    };
    let (from, to) = (day(&from)?, day(&to)?);
    let path = state
        .run(move |desk| desk.save_tracking_book(from, to))
        .await?;
    Ok(open(&app, path))
}

/// Opens a saved form in the system's viewer. No viewer (a bare machine, a test under Xvfb) is
/// not an error: the file is saved.
pub(super) fn open(app: &AppHandle, path: std::path::PathBuf) -> FormSaved {
    let opened = app
        .opener()
        .open_path(path.to_string_lossy(), None::<&str>)
        .is_ok();
    FormSaved {
        path: path.display().to_string(),
        opened,
    }
}
