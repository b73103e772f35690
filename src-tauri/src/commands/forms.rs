//! Printing forms: the desk saves the PDF; the system's viewer, opened on it, prints it.

use hoso_model::ApiError;
use hoso_model::ipc::{FormKind, FormSaved};
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
    // No viewer (a bare machine, a test under Xvfb) is not an error: the file is saved.
    let opened = app
        .opener()
        .open_path(path.to_string_lossy(), None::<&str>)
        .is_ok();
    Ok(FormSaved {
        path: path.display().to_string(),
        opened,
    })
}
