//! Sync with the hub: where it stands, enrollment, pause, retry, send now.

use hoso_model::ipc::{DossierSyncState, SyncView};
use hoso_model::{ApiError, DossierId};
use tauri::State;

use crate::state::AppState;

#[tauri::command]
pub async fn sync_status(state: State<'_, AppState>) -> Result<SyncView, ApiError> {
    let background = state.background();
    state
        .run(move |desk| desk.sync_view(background.as_ref()))
        .await
}

/// `fingerprint`: the hub certificate's SHA-256, when IT gave one (only that certificate is
/// trusted then).
#[tauri::command]
pub async fn enroll(
    state: State<'_, AppState>,
    hub: String,
    code: String,
    fingerprint: Option<String>,
) -> Result<(), ApiError> {
    let name = std::env::var("HOSTNAME").unwrap_or_else(|_| "desk".into());
    state
        .run(move |desk| {
            let trust = hoso_desk::sync::trust_from(fingerprint.as_deref(), None)?;
            desk.enroll_trusting(&hub, &code, &name, &trust).map(drop)
        })
        .await?;
    state.poke_sync();
    Ok(())
}

#[tauri::command]
pub async fn set_sync_paused(state: State<'_, AppState>, paused: bool) -> Result<(), ApiError> {
    state.run(move |desk| desk.set_sync_paused(paused)).await?;
    state.poke_sync();
    Ok(())
}

#[tauri::command]
pub async fn retry_sync(state: State<'_, AppState>, id: String) -> Result<(), ApiError> {
    state.run(move |desk| desk.retry_sync(&id)).await?;
    state.poke_sync();
    Ok(())
}

#[tauri::command]
pub async fn retry_audit_sync(state: State<'_, AppState>) -> Result<(), ApiError> {
    state.run(|desk| desk.retry_audit_sync()).await?;
    state.poke_sync();
    Ok(())
}

#[tauri::command]
pub async fn sync_now(state: State<'_, AppState>) -> Result<(), ApiError> {
    state.poke_sync();
    Ok(())
}

#[tauri::command]
pub async fn sync_states(
    state: State<'_, AppState>,
    ids: Vec<DossierId>,
) -> Result<Vec<(DossierId, DossierSyncState)>, ApiError> {
    state.run(move |desk| desk.sync_states(&ids)).await
}
