//! Start-up and preferences.

use hoso_model::ipc::Startup;
use hoso_model::scan::ScanPreferences;
use hoso_model::unit::Unit;
use hoso_model::{ApiError, Language, Settings};
use tauri::State;

use crate::state::AppState;

#[tauri::command]
pub async fn startup(state: State<'_, AppState>) -> Result<Startup, ApiError> {
    let notice = state.notice();
    let startup = state
        .run(move |desk| {
            Ok(Startup {
                settings: desk.settings()?,
                notice,
                unit: desk.unit()?,
                calendar: desk.calendar_rules().clone(),
            })
        })
        .await?;
    keep_language(&state, startup.settings.language);
    Ok(startup)
}

#[tauri::command]
pub async fn set_language(
    state: State<'_, AppState>,
    language: Language,
) -> Result<Settings, ApiError> {
    let settings = state.run(move |desk| desk.set_language(language)).await?;
    keep_language(&state, settings.language);
    Ok(settings)
}

/// Keeps the desk's language beside its data, for GTK's dialogs at the next start (`locale.rs`).
fn keep_language(state: &AppState, language: Language) {
    if let Ok(data_dir) = state.data_dir() {
        crate::locale::remember(&data_dir, language);
    }
}

#[tauri::command]
pub async fn set_unit(state: State<'_, AppState>, unit: Unit) -> Result<Unit, ApiError> {
    state.run(move |desk| desk.set_unit(unit)).await
}

#[tauri::command]
pub async fn scan_preferences(state: State<'_, AppState>) -> Result<ScanPreferences, ApiError> {
    state.run(move |desk| desk.scan_preferences()).await
}

#[tauri::command]
pub async fn set_scan_preferences(
    state: State<'_, AppState>,
    preferences: ScanPreferences,
) -> Result<(), ApiError> {
    state
        .run(move |desk| desk.set_scan_preferences(&preferences))
        .await
}
