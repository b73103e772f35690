//! One typed async function per shell command. Arguments and results are the `hoso-model`
//! types the shell uses, so both sides agree by construction.

use hoso_model::ipc::{
    FormKind, FormSaved, SessionView, SetUpDone, SetUpRequest, Startup, TransitionRequest, command,
};
use hoso_model::unit::Unit;
use hoso_model::{
    ApiError, Dossier, DossierDetail, ErrorCode, Language, NewDossier, Procedure, Settings,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

mod accounts;
pub mod events;

pub use accounts::*;

#[wasm_bindgen]
extern "C" {
    /// Tauri's `invoke`, exposed on `window.__TAURI__` by `withGlobalTauri`.
    #[wasm_bindgen(catch, js_namespace = ["window", "__TAURI__", "core"], js_name = invoke)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;
}

async fn invoke<A: Serialize, R: DeserializeOwned>(cmd: &str, args: &A) -> Result<R, ApiError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let args = args
        .serialize(&serializer)
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("arguments of {cmd}: {e}")))?;
    match tauri_invoke(cmd, args).await {
        Ok(value) => serde_wasm_bindgen::from_value(value)
            .map_err(|e| ApiError::new(ErrorCode::Internal, format!("result of {cmd}: {e}"))),
        // The shell rejects with a serialised ApiError; anything else is a fault of the bridge.
        Err(value) => Err(
            serde_wasm_bindgen::from_value(value.clone()).unwrap_or_else(|_| {
                ApiError::new(
                    ErrorCode::Internal,
                    format!("{cmd} failed: {}", value.as_string().unwrap_or_default()),
                )
            }),
        ),
    }
}

#[derive(Serialize)]
struct NoArgs {}

#[derive(Serialize)]
struct FormArgs<'a> {
    form: &'a NewDossier,
}

#[derive(Serialize)]
struct LanguageArgs {
    language: Language,
}

pub async fn session() -> Result<SessionView, ApiError> {
    invoke(command::SESSION, &NoArgs {}).await
}

#[derive(Serialize)]
struct SetUpArgs<'a> {
    request: &'a SetUpRequest,
}

pub async fn set_up(request: &SetUpRequest) -> Result<SetUpDone, ApiError> {
    invoke(command::SET_UP, &SetUpArgs { request }).await
}

#[derive(Serialize)]
struct SignInArgs<'a> {
    name: &'a str,
    password: &'a str,
}

pub async fn sign_in(name: &str, password: &str) -> Result<hoso_model::Account, ApiError> {
    invoke(command::SIGN_IN, &SignInArgs { name, password }).await
}

pub async fn lock() -> Result<(), ApiError> {
    invoke(command::LOCK, &NoArgs {}).await
}

pub async fn startup() -> Result<Startup, ApiError> {
    invoke(command::STARTUP, &NoArgs {}).await
}

pub async fn procedures() -> Result<Vec<Procedure>, ApiError> {
    invoke(command::PROCEDURES, &NoArgs {}).await
}

pub async fn register_dossier(form: &NewDossier) -> Result<Dossier, ApiError> {
    invoke(command::REGISTER_DOSSIER, &FormArgs { form }).await
}

#[derive(Serialize)]
struct ListArgs<'a> {
    status: Option<hoso_model::lifecycle::Status>,
    filter: &'a hoso_model::supervision::BacklogFilter,
}

/// The latest dossiers, all or of one status, that the filter keeps.
pub async fn list_dossiers(
    status: Option<hoso_model::lifecycle::Status>,
    filter: &hoso_model::supervision::BacklogFilter,
) -> Result<Vec<Dossier>, ApiError> {
    invoke(command::LIST_DOSSIERS, &ListArgs { status, filter }).await
}

pub async fn scan_preferences() -> Result<hoso_model::scan::ScanPreferences, ApiError> {
    invoke(command::SCAN_PREFERENCES, &NoArgs {}).await
}

#[derive(Serialize)]
struct PreferencesArgs<'a> {
    preferences: &'a hoso_model::scan::ScanPreferences,
}

pub async fn set_scan_preferences(
    preferences: &hoso_model::scan::ScanPreferences,
) -> Result<(), ApiError> {
    invoke(
        command::SET_SCAN_PREFERENCES,
        &PreferencesArgs { preferences },
    )
    .await
}

pub async fn set_language(language: Language) -> Result<Settings, ApiError> {
    invoke(command::SET_LANGUAGE, &LanguageArgs { language }).await
}

#[derive(Serialize)]
struct UnitArgs<'a> {
    unit: &'a Unit,
}

pub async fn set_unit(unit: &Unit) -> Result<Unit, ApiError> {
    invoke(command::SET_UNIT, &UnitArgs { unit }).await
}

#[derive(Serialize)]
struct DossierArgs<'a> {
    dossier: &'a str,
}

pub async fn dossier_detail(dossier: &str) -> Result<DossierDetail, ApiError> {
    invoke(command::DOSSIER_DETAIL, &DossierArgs { dossier }).await
}

#[derive(Serialize)]
struct TransitionArgs<'a> {
    request: &'a TransitionRequest,
}

pub async fn transition(request: &TransitionRequest) -> Result<DossierDetail, ApiError> {
    invoke(command::TRANSITION, &TransitionArgs { request }).await
}

#[derive(Serialize)]
struct QueryArgs<'a> {
    query: &'a str,
}

pub async fn search(query: &str) -> Result<Vec<Dossier>, ApiError> {
    invoke(command::SEARCH, &QueryArgs { query }).await
}

#[derive(Serialize)]
struct FormArgsOf<'a> {
    dossier: &'a str,
    form: FormKind,
}

pub async fn print_form(
    dossier: &str,
    form: FormKind,
) -> Result<hoso_model::ipc::FormPrint, ApiError> {
    invoke(command::PRINT_FORM, &FormArgsOf { dossier, form }).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PaperArgs {
    width_mm: f32,
    height_mm: f32,
}

/// Asks the shell to print what the window has laid out for print, on this paper (mm).
pub async fn print_window(width_mm: f32, height_mm: f32) -> Result<(), ApiError> {
    invoke(
        command::PRINT_WINDOW,
        &PaperArgs {
            width_mm,
            height_mm,
        },
    )
    .await
}

#[derive(Serialize)]
struct PeriodArgs<'a> {
    from: &'a str,
    to: &'a str,
}

/// `from` and `to` as ISO dates.
pub async fn print_tracking_book(
    from: &str,
    to: &str,
) -> Result<hoso_model::ipc::FormPrint, ApiError> {
    invoke(command::PRINT_TRACKING_BOOK, &PeriodArgs { from, to }).await
}

#[derive(Serialize)]
struct DossierKey<'a> {
    dossier: &'a str,
}

/// A dossier's checklist and pages, without their pictures.
pub async fn digitisation_pages(dossier: &str) -> Result<hoso_model::page::Digitisation, ApiError> {
    invoke(command::DIGITISATION, &DossierKey { dossier }).await
}

#[derive(Serialize)]
struct PagesArgs<'a> {
    pages: &'a [String],
}

/// `(page id, data: URL)` of these pages' thumbnails; a page deleted meanwhile is left out.
pub async fn thumbnails(pages: &[String]) -> Result<Vec<(String, String)>, ApiError> {
    invoke(command::THUMBNAILS, &PagesArgs { pages }).await
}

/// A dossier's checklist and pages with every thumbnail, in the pages' order (the review page).
pub async fn digitisation(dossier: &str) -> Result<hoso_model::ipc::DigitisationView, ApiError> {
    let digitisation = digitisation_pages(dossier).await?;
    let ids: Vec<String> = digitisation.pages.iter().map(|p| p.id.clone()).collect();
    let mut drawn = thumbnails(&ids).await?;
    let thumbnails = ids
        .into_iter()
        .map(|id| {
            let url = drawn
                .iter()
                .position(|(drawn, _)| *drawn == id)
                .map(|at| drawn.swap_remove(at).1)
                .unwrap_or_default();
            (id, url)
        })
        .collect();
    Ok(hoso_model::ipc::DigitisationView {
        digitisation,
        thumbnails,
    })
}

pub async fn scanners() -> Result<Vec<hoso_model::scan::ScannerInfo>, ApiError> {
    invoke(command::SCANNERS, &NoArgs {}).await
}

#[derive(Serialize)]
struct ScanArgs<'a> {
    request: &'a hoso_model::ipc::ScanRequest,
}

pub async fn scan(
    request: &hoso_model::ipc::ScanRequest,
) -> Result<hoso_model::ipc::ScanDone, ApiError> {
    invoke(command::SCAN, &ScanArgs { request }).await
}

#[derive(Serialize)]
struct PageKey<'a> {
    page: &'a str,
}

#[derive(Serialize)]
struct RotateArgs<'a> {
    page: &'a str,
    turns: i32,
}

pub async fn rotate_page(page: &str, turns: i32) -> Result<(), ApiError> {
    invoke(command::ROTATE_PAGE, &RotateArgs { page, turns }).await
}

#[derive(Serialize)]
struct MoveArgs<'a> {
    page: &'a str,
    position: u32,
}

pub async fn move_page(page: &str, position: u32) -> Result<(), ApiError> {
    invoke(command::MOVE_PAGE, &MoveArgs { page, position }).await
}

#[derive(Serialize)]
struct RefileArgs<'a> {
    page: &'a str,
    target: &'a hoso_model::page::Target,
}

/// Moves a page (with its second image) to the end of another component or of the results.
pub async fn refile_page(page: &str, target: &hoso_model::page::Target) -> Result<(), ApiError> {
    invoke(command::REFILE_PAGE, &RefileArgs { page, target }).await
}

/// Keeps the page as the second image of the page before it.
pub async fn join_note(page: &str) -> Result<(), ApiError> {
    invoke(command::JOIN_NOTE, &PageKey { page }).await
}

/// Makes a second image a page of its own again.
pub async fn split_note(page: &str) -> Result<(), ApiError> {
    invoke(command::SPLIT_NOTE, &PageKey { page }).await
}

#[derive(Serialize)]
struct DroppedArgs<'a> {
    dossier: &'a str,
    target: &'a hoso_model::page::Target,
    files: &'a [hoso_model::ipc::DroppedFile],
}

/// Files dropped on the window, to keep as pages of `target`; how many pages they gave.
pub async fn attach_dropped(
    dossier: &str,
    target: &hoso_model::page::Target,
    files: &[hoso_model::ipc::DroppedFile],
) -> Result<usize, ApiError> {
    invoke(
        command::ATTACH_DROPPED,
        &DroppedArgs {
            dossier,
            target,
            files,
        },
    )
    .await
}

pub async fn delete_page(page: &str) -> Result<(), ApiError> {
    invoke(command::DELETE_PAGE, &PageKey { page }).await
}

/// Brings back a page deleted a short while ago, where it was.
pub async fn restore_page(page: &str) -> Result<(), ApiError> {
    invoke(command::RESTORE_PAGE, &PageKey { page }).await
}

/// The page's image as a `data:` URL, for the zoomed view.
pub async fn page_image(page: &str) -> Result<String, ApiError> {
    invoke(command::PAGE_IMAGE, &PageKey { page }).await
}

#[derive(Serialize)]
struct ComponentArgs<'a> {
    dossier: &'a str,
    component: u16,
    checked: bool,
    declared: Option<u32>,
}

pub async fn set_component(
    dossier: &str,
    component: u16,
    checked: bool,
    declared: Option<u32>,
) -> Result<(), ApiError> {
    invoke(
        command::SET_COMPONENT,
        &ComponentArgs {
            dossier,
            component,
            checked,
            declared,
        },
    )
    .await
}

pub async fn export_dossier(dossier: &str) -> Result<FormSaved, ApiError> {
    invoke(command::EXPORT_DOSSIER, &DossierKey { dossier }).await
}

pub async fn sync_status() -> Result<hoso_model::ipc::SyncView, ApiError> {
    invoke(command::SYNC_STATUS, &NoArgs {}).await
}

#[derive(Serialize)]
struct EnrollArgs<'a> {
    hub: &'a str,
    code: &'a str,
    /// The hub certificate's SHA-256, when IT gave one; empty is none.
    fingerprint: Option<&'a str>,
}

pub async fn enroll(hub: &str, code: &str, fingerprint: &str) -> Result<(), ApiError> {
    let fingerprint = Some(fingerprint.trim()).filter(|f| !f.is_empty());
    invoke(
        command::ENROLL,
        &EnrollArgs {
            hub,
            code,
            fingerprint,
        },
    )
    .await
}

#[derive(Serialize)]
struct PausedArgs {
    paused: bool,
}

pub async fn set_sync_paused(paused: bool) -> Result<(), ApiError> {
    invoke(command::SET_SYNC_PAUSED, &PausedArgs { paused }).await
}

#[derive(Serialize)]
struct IdArgs<'a> {
    id: &'a str,
}

pub async fn retry_sync(id: &str) -> Result<(), ApiError> {
    invoke(command::RETRY_SYNC, &IdArgs { id }).await
}

pub async fn retry_audit_sync() -> Result<(), ApiError> {
    invoke(command::RETRY_AUDIT_SYNC, &NoArgs {}).await
}

pub async fn sync_now() -> Result<(), ApiError> {
    invoke(command::SYNC_NOW, &NoArgs {}).await
}

#[derive(Serialize)]
struct IdsArgs<'a> {
    ids: &'a [hoso_model::DossierId],
}

/// Where each of these dossiers stands with the hub.
pub async fn sync_states(
    ids: &[hoso_model::DossierId],
) -> Result<Vec<(hoso_model::DossierId, hoso_model::ipc::DossierSyncState)>, ApiError> {
    invoke(command::SYNC_STATES, &IdsArgs { ids }).await
}

#[derive(Serialize)]
struct FilterArgs<'a> {
    filter: &'a hoso_model::supervision::BacklogFilter,
}

/// Every backlog queue with its count, for the dossiers the filter keeps.
pub async fn backlog(
    filter: &hoso_model::supervision::BacklogFilter,
) -> Result<hoso_model::supervision::Backlog, ApiError> {
    invoke(command::BACKLOG, &FilterArgs { filter }).await
}

#[derive(Serialize)]
struct QueueArgs<'a> {
    queue: hoso_model::supervision::Queue,
    filter: &'a hoso_model::supervision::BacklogFilter,
}

/// The dossiers of one queue (an officer may ask only for those returned to them).
pub async fn queue(
    queue: hoso_model::supervision::Queue,
    filter: &hoso_model::supervision::BacklogFilter,
) -> Result<Vec<hoso_model::supervision::QueueItem>, ApiError> {
    invoke(command::QUEUE, &QueueArgs { queue, filter }).await
}

/// A dossier's review page: its pages with their flags, its review state and log.
pub async fn review(dossier: &str) -> Result<hoso_model::supervision::Review, ApiError> {
    invoke(command::REVIEW, &DossierKey { dossier }).await
}

#[derive(Serialize)]
struct DecideArgs<'a> {
    dossier: &'a str,
    decision: hoso_model::supervision::ReviewDecision,
    note: Option<&'a str>,
}

/// Approves, returns (with a note) or resubmits a dossier; the state it is in afterwards.
pub async fn decide(
    dossier: &str,
    decision: hoso_model::supervision::ReviewDecision,
    note: Option<&str>,
) -> Result<hoso_model::supervision::ReviewState, ApiError> {
    invoke(
        command::DECIDE,
        &DecideArgs {
            dossier,
            decision,
            note,
        },
    )
    .await
}

#[derive(Serialize)]
struct DossiersArgs<'a> {
    dossiers: &'a [String],
}

/// Approves these dossiers (codes or ids); how many were approved.
pub async fn approve_all(dossiers: &[String]) -> Result<u32, ApiError> {
    invoke(command::APPROVE_ALL, &DossiersArgs { dossiers }).await
}

#[derive(Serialize)]
struct IndicatorsArgs {
    period: hoso_model::supervision::Period,
    by: Option<hoso_model::supervision::Breakdown>,
}

/// The indicators of a period, for the unit and, if asked, per officer or procedure.
pub async fn indicators(
    period: hoso_model::supervision::Period,
    by: Option<hoso_model::supervision::Breakdown>,
) -> Result<hoso_model::supervision::Indicators, ApiError> {
    invoke(command::INDICATORS, &IndicatorsArgs { period, by }).await
}

#[derive(Serialize)]
struct ReportArgs {
    period: hoso_model::supervision::Period,
}

/// Saves the supervision spreadsheet of a period (and opens it where the system can).
pub async fn save_supervision_report(
    period: hoso_model::supervision::Period,
) -> Result<FormSaved, ApiError> {
    invoke(command::SAVE_SUPERVISION_REPORT, &ReportArgs { period }).await
}
