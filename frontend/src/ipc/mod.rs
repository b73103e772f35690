//! One typed async function per shell command. Arguments and results are the `hoso-model`
//! types the shell uses, so both sides agree by construction.

use hoso_model::ipc::{FormKind, FormSaved, Startup, TransitionRequest, command};
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
