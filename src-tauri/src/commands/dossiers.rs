//! Intake and the dossier list.

use hoso_model::ipc::TransitionRequest;
use hoso_model::lifecycle::Status;
use hoso_model::{ApiError, Dossier, DossierDetail, NewDossier, Procedure};
use tauri::State;

use crate::state::AppState;

#[tauri::command]
pub async fn procedures(state: State<'_, AppState>) -> Result<Vec<Procedure>, ApiError> {
    state.run(|desk| Ok(desk.procedures().to_vec())).await
}

#[tauri::command]
pub async fn register_dossier(
    state: State<'_, AppState>,
    form: NewDossier,
) -> Result<Dossier, ApiError> {
    let saved = state.run(move |desk| desk.register(&form)).await?;
    state.poke_sync();
    Ok(saved)
}

#[tauri::command]
pub async fn list_dossiers(
    state: State<'_, AppState>,
    status: Option<Status>,
    filter: Option<hoso_model::supervision::BacklogFilter>,
) -> Result<Vec<Dossier>, ApiError> {
    let filter = filter.unwrap_or_default();
    state
        .run(move |desk| desk.dossiers_matching(status, &filter))
        .await
}

#[tauri::command]
pub async fn dossier_detail(
    state: State<'_, AppState>,
    dossier: String,
) -> Result<DossierDetail, ApiError> {
    state.run(move |desk| desk.detail(&dossier)).await
}

#[tauri::command]
pub async fn transition(
    state: State<'_, AppState>,
    request: TransitionRequest,
) -> Result<DossierDetail, ApiError> {
    state
        .run(move |desk| {
            desk.transition_with(
                &request.dossier,
                request.event,
                None,
                request.reason,
                hoso_desk::Handover {
                    giver: request.giver,
                    taker: request.taker,
                },
            )
        })
        .await
        .inspect(|_| state.poke_sync())
}

#[tauri::command]
pub async fn search(state: State<'_, AppState>, query: String) -> Result<Vec<Dossier>, ApiError> {
    state.run(move |desk| desk.search(&query)).await
}
