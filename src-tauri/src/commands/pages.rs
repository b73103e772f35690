//! The scan station: scanners, scanning, pages (turn, move, delete), the checklist, export.

use base64::Engine;
use hoso_model::ipc::{DigitisationView, FormSaved, ScanDone, ScanRequest, ScannerInfo};
use hoso_model::page::Target;
use hoso_model::{ApiError, Field};
use tauri::{AppHandle, State};

use crate::state::AppState;

fn data_url(media_type: &str, bytes: &[u8]) -> String {
    format!(
        "data:{media_type};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

#[tauri::command]
pub async fn digitisation(
    state: State<'_, AppState>,
    dossier: String,
) -> Result<DigitisationView, ApiError> {
    state
        .run(move |desk| {
            let digitisation = desk.digitisation(&dossier)?;
            let thumbnails = digitisation
                .pages
                .iter()
                .map(|p| {
                    Ok((
                        p.id.clone(),
                        data_url("image/jpeg", &desk.thumbnail(&p.id)?),
                    ))
                })
                .collect::<Result<Vec<_>, hoso_desk::Error>>()?;
            Ok(DigitisationView {
                digitisation,
                thumbnails,
            })
        })
        .await
}

/// The page as kept (for the zoomed view); a page of a PDF shows its thumbnail.
#[tauri::command]
pub async fn page_image(state: State<'_, AppState>, page: String) -> Result<String, ApiError> {
    state
        .run(move |desk| {
            let (bytes, media_type) = desk.page_file(&page)?;
            if media_type == "application/pdf" {
                Ok(data_url("image/jpeg", &desk.thumbnail(&page)?))
            } else {
                Ok(data_url(&media_type, &bytes))
            }
        })
        .await
}

#[tauri::command]
pub async fn scanners(state: State<'_, AppState>) -> Result<Vec<ScannerInfo>, ApiError> {
    state
        .run(|desk| {
            Ok(desk
                .scanners()?
                .into_iter()
                .map(|d| ScannerInfo {
                    id: d.id,
                    name: d.name,
                    feeds: d.feeds.iter().map(|f| f.name().to_owned()).collect(),
                    resolutions: d.resolutions,
                })
                .collect())
        })
        .await
}

#[tauri::command]
pub async fn scan(state: State<'_, AppState>, request: ScanRequest) -> Result<ScanDone, ApiError> {
    let scanner = |what| ApiError::validation(Field::Scanner, what);
    let settings = hoso_capture::ScanSettings {
        feed: hoso_capture::Feed::from_name(&request.feed)
            .ok_or_else(|| scanner("unknown feed"))?,
        resolution: request.resolution,
        mode: hoso_capture::ColourMode::from_name(&request.mode)
            .ok_or_else(|| scanner("unknown colour mode"))?,
    };
    state
        .run(move |desk| {
            let start = match &request.dossier {
                Some(code) => Some((
                    code.as_str(),
                    request.target.clone().unwrap_or(Target::Component { n: 1 }),
                )),
                None => None,
            };
            let outcome = desk.scan(start, &request.device, &settings, &mut |_| {})?;
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
    let files = files
        .into_iter()
        .map(|file| {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(file.data.as_bytes())
                .map_err(|_| ApiError::validation(Field::File, "not base64"))?;
            Ok((file.name, bytes))
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    state
        .run(move |desk| {
            desk.attach_dropped(&dossier, &target, files)
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
