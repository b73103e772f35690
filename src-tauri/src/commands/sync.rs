//! Sync with the hub: where it stands, enrollment, pause, retry, send now.

use hoso_model::ipc::{DossierSyncState, EngineState, SyncView};
use hoso_model::{ApiError, DossierId};
use hoso_sync::State as Engine;
use tauri::State;

use crate::state::AppState;

#[tauri::command]
pub async fn sync_status(state: State<'_, AppState>) -> Result<SyncView, ApiError> {
    let (engine, bytes_sent) = match state.sync() {
        Some(sync) => {
            let status = sync.status.borrow().clone();
            let engine = match status.state {
                Engine::Idle => EngineState::Idle,
                Engine::Working => EngineState::Working,
                Engine::Waiting { until_ms } => EngineState::Waiting {
                    until: jiff::Timestamp::from_millisecond(until_ms)
                        .unwrap_or(jiff::Timestamp::UNIX_EPOCH),
                },
                Engine::Paused => EngineState::Paused,
                Engine::Stopped(_) => EngineState::Stopped,
            };
            (engine, status.bytes_sent)
        }
        None => (EngineState::Off, 0),
    };
    let overview = state.run(|desk| desk.sync_overview()).await?;
    let engine = if overview.hub_url.is_none() {
        EngineState::Off
    } else {
        engine
    };
    Ok(SyncView {
        overview,
        engine,
        bytes_sent,
    })
}

#[tauri::command]
pub async fn enroll(state: State<'_, AppState>, hub: String, code: String) -> Result<(), ApiError> {
    let name = std::env::var("HOSTNAME").unwrap_or_else(|_| "desk".into());
    state
        .run(move |desk| desk.enroll(&hub, &code, &name).map(drop))
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
