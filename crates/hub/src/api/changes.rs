//! What flows back to the desks: `GET /v1/changes` (what the hub's operator recorded for the
//! device's unit, after the desk's cursor, in pages, and on the last page how far the device's
//! slot numbered each day) and `POST /v1/heartbeat` (the desk's queue,
//! kept per device with the hub's receive time for `hoso-hub devices`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hoso_model::sync::{Heartbeat, MAX_CHANGES};
use serde::Deserialize;

use super::{JsonBody, QueryParams, Refusal, Shared, blocking, now_ms};
use crate::db::{Device, FLOOR_WINDOW_MS};

#[derive(Deserialize)]
pub(super) struct After {
    #[serde(default)]
    after: u64,
    limit: Option<u32>,
}

/// `GET /v1/changes?after=N&limit=M`: the unit's changes with `seq > N`, oldest first, at most
/// `M` (default and cap [`MAX_CHANGES`]); the last page carries the device's code floors.
pub(super) async fn changes(
    State(hub): State<Shared>,
    device: Device,
    QueryParams(query): QueryParams<After>,
) -> Result<Response, Refusal> {
    let limit = query.limit.unwrap_or(MAX_CHANGES).clamp(1, MAX_CHANGES);
    let after = query.after.min(i64::MAX as u64);
    let changes = blocking(&hub, move |hub| {
        let mut changes = hub.db.changes(&device.unit, after, limit)?;
        if !changes.more {
            let since = now_ms() - FLOOR_WINDOW_MS;
            changes.code_floors = Some(hub.db.code_floors(&device, since)?);
        }
        Ok(changes)
    })
    .await?;
    Ok(Json(changes).into_response())
}

/// `POST /v1/heartbeat`: 202.
pub(super) async fn heartbeat(
    State(hub): State<Shared>,
    device: Device,
    JsonBody(beat): JsonBody<Heartbeat>,
) -> Result<Response, Refusal> {
    blocking(&hub, move |hub| hub.db.heartbeat(&device, &beat, now_ms())).await?;
    Ok(StatusCode::ACCEPTED.into_response())
}
