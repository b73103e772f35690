//! `POST /v1/audit`: each desk's audit log, entry by entry as the desk chained it. The hub takes
//! what extends its copy, recognises what it holds already, and refuses an entry that differs
//! from its own (409 `audit_fork`) or that does not chain (422 `audit_chain`).

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use hoso_model::sync::{AuditHeld, AuditUpload, HubErrorCode, MAX_AUDIT_ENTRIES};

use super::{JsonBody, Refusal, Shared, blocking, now_ms, refuse};
use crate::db::{AuditOutcome, Device};

/// `POST /v1/audit`: 200 with where the hub's copy of this device's log ends.
pub(super) async fn audit(
    State(hub): State<Shared>,
    device: Device,
    JsonBody(upload): JsonBody<AuditUpload>,
) -> Result<Response, Refusal> {
    if upload.entries.len() > MAX_AUDIT_ENTRIES {
        return Err(refuse(
            413,
            HubErrorCode::TooLarge,
            "more audit entries than the hub takes at once",
        ));
    }
    let outcome = blocking(&hub, move |hub| {
        hub.db.add_audit(&device, &upload.entries, now_ms())
    })
    .await?;
    match outcome {
        AuditOutcome::Held(held) => Ok(Json(AuditHeld { held }).into_response()),
        AuditOutcome::Fork(_) => Err(refuse(
            409,
            HubErrorCode::AuditFork,
            "an audit entry differs from the one the hub holds under its number",
        )),
        AuditOutcome::Chain(_) => Err(refuse(
            422,
            HubErrorCode::AuditChain,
            "audit entries that do not chain",
        )),
    }
}
