//! The hub's HTTP API (`docs/protocol.md`, `docs/openapi.yaml`), on axum.
//!
//! - [`auth`]: `POST /v1/enroll` and the bearer credential every other request carries.
//! - [`tus`]: tus 1.0.0 uploads at `/v1/files` (creation, checksum, expiration, termination),
//!   named by content hash within a unit, and `GET /v1/files/{sha256}`.
//! - [`batches`]: `POST /v1/batches`, dossier versions answered item by item.
//! - [`changes`]: `GET /v1/changes` and `POST /v1/heartbeat`.
//! - [`audit`]: `POST /v1/audit`, each desk's hash-chained audit log.
//!
//! Every answer — success, refusal, tus, even a route that does not exist — carries
//! `Hoso-Protocol: 1`, and every refusal is a JSON [`HubError`] with a stable code and an English
//! message that never holds personal data. Refusals are logged to stderr as method, path (ids
//! and hashes only, never the query) and status.
//! Every successful answer to a request with a credential also carries the hub's generation
//! (`Hoso-Hub-Generation`), which a restore renews.
//!
//! Database and disk work runs on Tokio's blocking threads ([`blocking`]); request bodies are
//! streamed (uploads) or capped (JSON).

pub mod audit;
pub mod auth;
pub mod batches;
pub mod changes;
pub mod tus;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Query, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use hoso_model::sync::{
    GENERATION_HEADER, HubError, HubErrorCode, MAX_AUDIT_BYTES, MAX_BATCH_BYTES, PROTOCOL_HEADER,
    PROTOCOL_VERSION,
};
use serde::de::DeserializeOwned;

pub use auth::normalise_code;

use crate::db::{Db, DbError};
use crate::files::{FileStore, Partials};

/// How long an incomplete upload is kept untouched.
pub const UPLOAD_LIFETIME_MS: i64 = 7 * 24 * 3600 * 1000;
/// How long an enrollment code stays valid.
pub const ENROLLMENT_LIFETIME_MS: i64 = 7 * 24 * 3600 * 1000;
/// How long a connection may stay without a byte moving either way (see [`crate::net`]). Longer
/// than the desk's own 30 s, so that the desk is the one to give up on a stalled request.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// The largest body of the small JSON requests (enrollment, heartbeat).
const SMALL_BODY_BYTES: usize = 64 * 1024;

/// The hub's state, shared by every request.
pub struct Hub {
    pub db: Db,
    pub files: Box<dyn FileStore>,
    pub partials: Partials,
    /// The address desks and the upstream system reach the hub at, if not the request's Host.
    pub public_url: Option<String>,
    /// Served over TLS: locations built from the Host say `https`.
    pub tls: bool,
    /// See [`IDLE_TIMEOUT`].
    pub idle_timeout: Duration,
    /// The hub's generation (`crate::db::Db::generation`), sent on every authenticated answer
    /// in [`GENERATION_HEADER`]; none for a hub made without one.
    pub generation: Option<HeaderValue>,
    /// Uploads being written or removed now, `(unit, id)`: anyone else waits (423).
    busy: Mutex<HashSet<(String, String)>>,
}

pub type Shared = Arc<Hub>;

pub fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

impl Hub {
    pub fn new(db: Db, files: Box<dyn FileStore>, partials: Partials) -> Hub {
        Hub {
            db,
            files,
            partials,
            public_url: None,
            tls: false,
            idle_timeout: IDLE_TIMEOUT,
            generation: None,
            busy: Mutex::new(HashSet::new()),
        }
    }

    /// Removes incomplete uploads untouched since `before_ms` (their records and partial files);
    /// how many. An upload being written now is left for the next sweep.
    pub fn sweep(&self, before_ms: i64) -> Result<usize, DbError> {
        let mut removed = 0;
        for (unit, id) in self.db.stale_uploads(before_ms)? {
            let Some(_claim) = self.claim(&unit, &id) else {
                continue;
            };
            // Only if still stale: a creation may have renewed it since the list was made.
            if self.db.delete_stale_upload(&unit, &id, before_ms)? {
                self.partials.remove(&unit, &id);
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// Takes an upload for writing or removal; `None` if someone else has it.
    pub(crate) fn claim(&self, unit: &str, id: &str) -> Option<Claim<'_>> {
        let key = (unit.to_owned(), id.to_owned());
        let taken = {
            let mut busy = self.busy.lock().unwrap_or_else(|p| p.into_inner());
            busy.insert(key.clone())
        };
        // Made only when taken: dropping a claim releases its key.
        taken.then(|| Claim { hub: self, key })
    }

    pub(crate) fn is_busy(&self, unit: &str, id: &str) -> bool {
        let busy = self.busy.lock().unwrap_or_else(|p| p.into_inner());
        busy.contains(&(unit.to_owned(), id.to_owned()))
    }
}

/// An upload taken by [`Hub::claim`], released when dropped.
pub(crate) struct Claim<'a> {
    hub: &'a Hub,
    key: (String, String),
}

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        let mut busy = self.hub.busy.lock().unwrap_or_else(|p| p.into_inner());
        busy.remove(&self.key);
    }
}

/// A refusal: status, stable code, English message (never personal data).
#[derive(Debug)]
pub struct Refusal(pub StatusCode, pub HubErrorCode, pub &'static str);

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let body = HubError {
            code: self.1,
            message: self.2.to_owned(),
        };
        (self.0, Json(body)).into_response()
    }
}

impl From<DbError> for Refusal {
    fn from(err: DbError) -> Refusal {
        match err {
            DbError::Refused(why) => refuse(400, HubErrorCode::BadRequest, why),
            DbError::Storage(why) => {
                eprintln!("hoso-hub: storage: {why}");
                refuse(
                    507,
                    HubErrorCode::Unavailable,
                    "the hub cannot store data now",
                )
            }
            other => {
                eprintln!("hoso-hub: {other}");
                refuse(
                    503,
                    HubErrorCode::Unavailable,
                    "the hub cannot keep data now",
                )
            }
        }
    }
}

pub(crate) fn refuse(status: u16, code: HubErrorCode, message: &'static str) -> Refusal {
    Refusal(
        StatusCode::from_u16(status).expect("a valid status"),
        code,
        message,
    )
}

/// Runs database or disk work on a blocking thread.
pub(crate) async fn blocking<T: Send + 'static>(
    hub: &Shared,
    f: impl FnOnce(&Hub) -> Result<T, DbError> + Send + 'static,
) -> Result<T, Refusal> {
    let hub = hub.clone();
    tokio::task::spawn_blocking(move || f(&hub))
        .await
        .map_err(|_| refuse(500, HubErrorCode::Internal, "a task failed"))?
        .map_err(Refusal::from)
}

/// A JSON body, refused as a [`HubError`] (400, or 413 past the route's body limit).
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = Refusal;

    async fn from_request(request: Request, state: &S) -> Result<Self, Refusal> {
        let bytes = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    refuse(
                        413,
                        HubErrorCode::TooLarge,
                        "the body is larger than the hub reads",
                    )
                } else {
                    refuse(400, HubErrorCode::BadRequest, "the body could not be read")
                }
            })?;
        serde_json::from_slice(&bytes).map(JsonBody).map_err(|_| {
            refuse(
                400,
                HubErrorCode::BadRequest,
                "the body is not what this endpoint takes",
            )
        })
    }
}

/// Query parameters, refused as a [`HubError`] (400).
pub struct QueryParams<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for QueryParams<T> {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Refusal> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(q)| QueryParams(q))
            .map_err(|_| refuse(400, HubErrorCode::BadRequest, "bad query parameters"))
    }
}

pub fn router(hub: Shared) -> Router {
    let files = || post(tus::create).options(tus::options);
    let small = || DefaultBodyLimit::max(SMALL_BODY_BYTES);
    Router::new()
        .route("/v1/health", get(health))
        .route("/v1/enroll", post(auth::enroll).layer(small()))
        .route("/v1/files", files())
        .route("/v1/files/", files())
        .route(
            "/v1/files/{id}",
            get(tus::download)
                .head(tus::head)
                .patch(tus::patch)
                .delete(tus::terminate),
        )
        .route(
            "/v1/batches",
            post(batches::batches).layer(DefaultBodyLimit::max(MAX_BATCH_BYTES)),
        )
        .route("/v1/changes", get(changes::changes))
        .route("/v1/heartbeat", post(changes::heartbeat).layer(small()))
        .route(
            "/v1/audit",
            post(audit::audit).layer(DefaultBodyLimit::max(MAX_AUDIT_BYTES)),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(hub.clone(), stamp))
        .with_state(hub)
}

/// Puts the protocol header on every answer, tus's on the files' answers, and the hub's
/// generation on every successful answer to a request with a credential; logs refusals.
async fn stamp(State(hub): State<Shared>, request: Request, next: Next) -> Response {
    let tus = request.uri().path().starts_with("/v1/files");
    let credential = request.headers().contains_key(AUTHORIZATION)
        && !request.uri().path().starts_with("/v1/health");
    let method = request.method().clone();
    // The path only: ids and hashes. Queries are not logged.
    let path: String = request.uri().path().chars().take(200).collect();
    let mut response = next.run(request).await;
    let status = response.status();
    if status.is_client_error() || status.is_server_error() {
        eprintln!("hoso-hub: {method} {path} {}", status.as_u16());
    }
    let headers = response.headers_mut();
    headers.insert(PROTOCOL_HEADER, HeaderValue::from_static(PROTOCOL_VERSION));
    if credential
        && status.is_success()
        && let Some(generation) = &hub.generation
    {
        headers.insert(GENERATION_HEADER, generation.clone());
    }
    if tus {
        headers.insert(
            "Tus-Resumable",
            HeaderValue::from_static(hoso_model::sync::TUS_VERSION),
        );
    }
    response
}

async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "protocol": PROTOCOL_VERSION }))
}

async fn not_found() -> Refusal {
    refuse(404, HubErrorCode::NotFound, "no such endpoint")
}

async fn method_not_allowed() -> Refusal {
    refuse(
        405,
        HubErrorCode::BadRequest,
        "this endpoint does not take that method",
    )
}
