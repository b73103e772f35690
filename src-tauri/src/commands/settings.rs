//! Start-up and preferences.

use hoso_model::ipc::Startup;
use hoso_model::unit::Unit;
use hoso_model::{ApiError, Language, Settings};
use tauri::State;

use crate::state::AppState;

#[tauri::command]
pub async fn startup(state: State<'_, AppState>) -> Result<Startup, ApiError> {
    let notice = state.notice();
    state
        .run(move |desk| {
            Ok(Startup {
                settings: desk.settings()?,
                notice,
                unit: desk.unit()?,
                calendar: desk.calendar_rules().clone(),
            })
        })
        .await
}

#[tauri::command]
pub async fn set_language(
    state: State<'_, AppState>,
    language: Language,
) -> Result<Settings, ApiError> {
    state.run(move |desk| desk.set_language(language)).await
}

#[tauri::command]
pub async fn set_unit(state: State<'_, AppState>, unit: Unit) -> Result<Unit, ApiError> {
    state.run(move |desk| desk.set_unit(unit)).await
}
