//! `POST /v1/batches`: dossier versions under a batch id the desk minted.
//!
//! Each item is judged on its own, in order, so one bad dossier never blocks the others
//! (`Db::batch` has the rules); the whole batch is one database transaction. A batch id is
//! remembered per unit with the SHA-256 of the batch (re-serialised, so formatting does not
//! matter) and the answer given: the same batch again gets the same answer, the same id with
//! other content is refused (409).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hoso_model::sync::{Batch, HubErrorCode, ItemOutcome, MAX_BATCH_ITEMS};

use super::{JsonBody, Refusal, Shared, blocking, now_ms, refuse};
use crate::db::Device;

pub(super) async fn batches(
    State(hub): State<Shared>,
    device: Device,
    JsonBody(batch): JsonBody<Batch>,
) -> Result<Response, Refusal> {
    if batch.items.len() > MAX_BATCH_ITEMS {
        return Err(refuse(
            413,
            HubErrorCode::TooLarge,
            "too many dossiers in one batch",
        ));
    }
    if batch.batch_id.is_empty()
        || batch.batch_id.len() > 64
        || !batch.batch_id.bytes().all(|b| b.is_ascii_graphic())
    {
        return Err(refuse(
            400,
            HubErrorCode::BadRequest,
            "a batch id is 1 to 64 visible ASCII characters",
        ));
    }
    let unit = device.unit.clone();
    let answer = blocking(&hub, move |hub| hub.db.batch(&device, &batch, now_ms()))
        .await?
        .ok_or(refuse(
            409,
            HubErrorCode::Conflict,
            "this batch id was used with another content",
        ))?;
    let count =
        |f: fn(&ItemOutcome) -> bool| answer.results.iter().filter(|r| f(&r.outcome)).count();
    eprintln!(
        "hoso-hub: unit {unit} batch {}: {} accepted, {} waiting for files, {} rejected",
        answer.batch_id,
        count(|o| matches!(o, ItemOutcome::Accepted { .. })),
        count(|o| matches!(o, ItemOutcome::MissingFiles { .. })),
        count(|o| matches!(o, ItemOutcome::Rejected { .. })),
    );
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}
