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
struct StatusArgs {
    status: Option<hoso_model::lifecycle::Status>,
}

/// The latest dossiers, all or of one status.
pub async fn list_dossiers(
    status: Option<hoso_model::lifecycle::Status>,
) -> Result<Vec<Dossier>, ApiError> {
    invoke(command::LIST_DOSSIERS, &StatusArgs { status }).await
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

pub async fn print_form(dossier: &str, form: FormKind) -> Result<FormSaved, ApiError> {
    invoke(command::PRINT_FORM, &FormArgsOf { dossier, form }).await
}

#[derive(Serialize)]
struct PeriodArgs<'a> {
    from: &'a str,
    to: &'a str,
}

/// `from` and `to` as ISO dates.
pub async fn print_tracking_book(from: &str, to: &str) -> Result<FormSaved, ApiError> {
    invoke(command::PRINT_TRACKING_BOOK, &PeriodArgs { from, to }).await
}

#[derive(Serialize)]
struct DossierKey<'a> {
    dossier: &'a str,
}

pub async fn digitisation(dossier: &str) -> Result<hoso_model::ipc::DigitisationView, ApiError> {
    invoke(command::DIGITISATION, &DossierKey { dossier }).await
}

pub async fn scanners() -> Result<Vec<hoso_model::ipc::ScannerInfo>, ApiError> {
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

pub async fn delete_page(page: &str) -> Result<(), ApiError> {
    invoke(command::DELETE_PAGE, &PageKey { page }).await
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
}

pub async fn enroll(hub: &str, code: &str) -> Result<(), ApiError> {
    invoke(command::ENROLL, &EnrollArgs { hub, code }).await
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
