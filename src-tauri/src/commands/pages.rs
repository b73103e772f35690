//! The scan station: scanners, scanning, pages (turn, move, delete, bring back), the checklist,
//! export.

use hoso_model::ApiError;
use hoso_model::ipc::{FormSaved, ScanDone, ScanRequest};
use hoso_model::page::{Digitisation, Target};
use hoso_model::scan::ScannerInfo;
use tauri::{AppHandle, State};

use crate::state::AppState;

/// The dossier's checklist and pages; their thumbnails come apart ([`thumbnails`]), once each.
#[tauri::command]
pub async fn digitisation(
    state: State<'_, AppState>,
    dossier: String,
) -> Result<Digitisation, ApiError> {
    state.run(move |desk| desk.digitisation(&dossier)).await
}

/// `(page id, data: URL)` of these pages' thumbnails.
#[tauri::command]
pub async fn thumbnails(
    state: State<'_, AppState>,
    pages: Vec<String>,
) -> Result<Vec<(String, String)>, ApiError> {
    state.run(move |desk| desk.thumbnail_urls(&pages)).await
}

/// The page as kept (for the zoomed view); a page of a PDF shows its thumbnail.
#[tauri::command]
pub async fn page_image(state: State<'_, AppState>, page: String) -> Result<String, ApiError> {
    state.run(move |desk| desk.page_image_url(&page)).await
}

#[tauri::command]
pub async fn scanners(state: State<'_, AppState>) -> Result<Vec<ScannerInfo>, ApiError> {
    state.run(|desk| desk.scanners()).await
}

#[tauri::command]
pub async fn scan(state: State<'_, AppState>, request: ScanRequest) -> Result<ScanDone, ApiError> {
    state
        .run(move |desk| {
            let start = match &request.dossier {
                Some(code) => Some((
                    code.as_str(),
                    request.target.clone().unwrap_or(Target::Component { n: 1 }),
                )),
                None => None,
            };
            let outcome = desk.scan(start, &request.device, &request.settings, &mut |_| {})?;
            Ok(ScanDone {
                pages: outcome.pages.len() as u32,
                dossiers: outcome.dossiers,
            })
        })
        .await
        .inspect(|_| state.poke_sync())
}

#[tauri::command]
pub async fn rotate_page(
    state: State<'_, AppState>,
    page: String,
    turns: i32,
) -> Result<(), ApiError> {
    state
        .run(move |desk| desk.rotate_page(&page, turns).map(|_| ()))
        .await
        .inspect(|_| state.poke_sync())
}

#[tauri::command]
pub async fn move_page(
    state: State<'_, AppState>,
    page: String,
    position: u32,
) -> Result<(), ApiError> {
    state
        .run(move |desk| desk.move_page(&page, position).map(|_| ()))
        .await
        .inspect(|_| state.poke_sync())
}

/// A page dragged onto another component of the checklist, or onto the results.
#[tauri::command]
pub async fn refile_page(
    state: State<'_, AppState>,
    page: String,
    target: Target,
) -> Result<(), ApiError> {
    state
        .run(move |desk| desk.refile_page(&page, &target).map(|_| ()))
        .await
        .inspect(|_| state.poke_sync())
}

/// The page becomes the second image of the page before it (a sheet with a sticky note).
#[tauri::command]
pub async fn join_note(state: State<'_, AppState>, page: String) -> Result<(), ApiError> {
    state
        .run(move |desk| desk.join_note(&page).map(|_| ()))
        .await
        .inspect(|_| state.poke_sync())
}

#[tauri::command]
pub async fn split_note(state: State<'_, AppState>, page: String) -> Result<(), ApiError> {
    state
        .run(move |desk| desk.split_note(&page).map(|_| ()))
        .await
        .inspect(|_| state.poke_sync())
}

#[tauri::command]
pub async fn delete_page(state: State<'_, AppState>, page: String) -> Result<(), ApiError> {
    state
        .run(move |desk| desk.delete_page(&page))
        .await
        .inspect(|_| state.poke_sync())
}

/// Hoàn tác: brings back a page deleted a short while ago, where it was.
#[tauri::command]
pub async fn restore_page(state: State<'_, AppState>, page: String) -> Result<(), ApiError> {
    state
        .run(move |desk| desk.restore_page(&page).map(|_| ()))
        .await
        .inspect(|_| state.poke_sync())
}

#[tauri::command]
pub async fn set_component(
    state: State<'_, AppState>,
    dossier: String,
    component: u16,
    checked: bool,
    declared: Option<u32>,
) -> Result<(), ApiError> {
    state
        .run(move |desk| {
            desk.set_component(&dossier, component, checked, declared)
                .map(|_| ())
        })
        .await
        .inspect(|_| state.poke_sync())
}

/// Files dropped on a component (or the results) in the window: kept like files imported from
/// disk, every one checked before any is kept.
#[tauri::command]
pub async fn attach_dropped(
    state: State<'_, AppState>,
    dossier: String,
    target: Target,
    files: Vec<hoso_model::ipc::DroppedFile>,
) -> Result<usize, ApiError> {
    state
        .run(move |desk| {
            desk.attach_dropped_files(&dossier, &target, files)
                .map(|pages| pages.len())
        })
        .await
        .inspect(|_| state.poke_sync())
}

/// Saves the dossier's archive PDF in the data directory and opens it in the system's viewer.
#[tauri::command]
pub async fn export_dossier(
    app: AppHandle,
    state: State<'_, AppState>,
    dossier: String,
) -> Result<FormSaved, ApiError> {
    let path = state.run(move |desk| desk.save_export(&dossier)).await?;
    Ok(super::forms::open(&app, path))
}
