//! Supervision: the backlog and its queues, the review of a dossier, the indicators and their
//! spreadsheet, citizens' ratings.

use hoso_model::ApiError;
use hoso_model::ipc::FormSaved;
use hoso_model::supervision::{
    Backlog, BacklogFilter, Breakdown, Indicators, Period, Queue, QueueItem, Rating, Review,
    ReviewDecision, ReviewState,
};
use tauri::{AppHandle, State};

use crate::state::AppState;

#[tauri::command]
pub async fn backlog(
    state: State<'_, AppState>,
    filter: BacklogFilter,
) -> Result<Backlog, ApiError> {
    state.run(move |desk| desk.backlog(&filter)).await
}

#[tauri::command]
pub async fn queue(
    state: State<'_, AppState>,
    queue: Queue,
    filter: BacklogFilter,
) -> Result<Vec<QueueItem>, ApiError> {
    state.run(move |desk| desk.queue(queue, &filter)).await
}

#[tauri::command]
pub async fn review(state: State<'_, AppState>, dossier: String) -> Result<Review, ApiError> {
    state.run(move |desk| desk.review(&dossier)).await
}

#[tauri::command]
pub async fn decide(
    state: State<'_, AppState>,
    dossier: String,
    decision: ReviewDecision,
    note: Option<String>,
) -> Result<ReviewState, ApiError> {
    let decided = state
        .run(move |desk| desk.decide(&dossier, decision, note))
        .await?;
    // Approval may let a dossier go to the hub.
    state.poke_sync();
    Ok(decided)
}

#[tauri::command]
pub async fn approve_all(
    state: State<'_, AppState>,
    dossiers: Vec<String>,
) -> Result<u32, ApiError> {
    let approved = state.run(move |desk| desk.approve_all(&dossiers)).await?;
    state.poke_sync();
    Ok(approved)
}

#[tauri::command]
pub async fn indicators(
    state: State<'_, AppState>,
    period: Period,
    by: Option<Breakdown>,
) -> Result<Indicators, ApiError> {
    state.run(move |desk| desk.indicators(period, by)).await
}

#[tauri::command]
pub async fn save_supervision_report(
    app: AppHandle,
    state: State<'_, AppState>,
    period: Period,
) -> Result<FormSaved, ApiError> {
    let path = state
        .run(move |desk| desk.save_supervision_report(period))
        .await?;
    Ok(super::forms::open(&app, path))
}

#[tauri::command]
pub async fn rate(
    state: State<'_, AppState>,
    dossier: String,
    rating: Rating,
) -> Result<(), ApiError> {
    state.run(move |desk| desk.rate(&dossier, rating)).await
}
