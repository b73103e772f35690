//! The hub's HTTP API (`docs/protocol.md`, `docs/openapi.yaml`): health, enrollment, tus 1.0
//! uploads (creation, checksum, expiration, termination) named by content hash, batches of
//! dossier versions, changes, heartbeats. Every answer carries `Hoso-Protocol: 1`.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD as B64, URL_SAFE_NO_PAD};
use futures_util::StreamExt;
use hoso_model::sync::{
    Batch, EnrollRequest, Enrolled, Heartbeat, HubError, HubErrorCode, MAX_BATCH_BYTES,
    MAX_BATCH_ITEMS, MAX_CHANGES, MAX_FILE_BYTES, PROTOCOL_HEADER, PROTOCOL_VERSION, TUS_VERSION,
};
use serde::Deserialize;
use sha2::Digest;
use tokio::io::AsyncWriteExt;

use crate::db::{Db, DbError, Device, NewDevice, is_sha256, sha256_hex};
use crate::files::{FileStore, Partials, hash_file};

/// How long an incomplete upload is kept untouched.
pub const UPLOAD_LIFETIME_MS: i64 = 7 * 24 * 3600 * 1000;
/// How long an enrollment code stays valid.
pub const ENROLLMENT_LIFETIME_MS: i64 = 7 * 24 * 3600 * 1000;

/// The hub's state, shared by every request.
pub struct Hub {
    pub db: Db,
    pub files: Box<dyn FileStore>,
    pub partials: Partials,
    /// The address desks and the upstream system reach the hub at, if not the request's Host.
    pub public_url: Option<String>,
    /// Uploads a PATCH is writing now: a second PATCH on one waits its turn (423).
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
            busy: Mutex::new(HashSet::new()),
        }
    }

    /// Removes incomplete uploads untouched since `before_ms`; how many.
    pub fn sweep(&self, before_ms: i64) -> Result<usize, DbError> {
        let stale = self.db.stale_uploads(before_ms)?;
        for (unit, id) in &stale {
            self.partials.remove(unit, id);
            self.db.delete_upload(unit, id)?;
        }
        Ok(stale.len())
    }
}

/// A refusal: status, stable code, English message (never personal data).
#[derive(Debug)]
pub struct Refusal(StatusCode, HubErrorCode, &'static str);

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
        eprintln!("hoso-hub: {err}");
        match err {
            DbError::Refused(why) => {
                Refusal(StatusCode::BAD_REQUEST, HubErrorCode::BadRequest, why)
            }
            _ => Refusal(
                StatusCode::SERVICE_UNAVAILABLE,
                HubErrorCode::Unavailable,
                "the hub cannot keep data now",
            ),
        }
    }
}

fn refuse(status: u16, code: HubErrorCode, message: &'static str) -> Refusal {
    Refusal(
        StatusCode::from_u16(status).expect("a valid status"),
        code,
        message,
    )
}

/// Runs database work off the async threads.
async fn blocking<T: Send + 'static>(
    hub: &Shared,
    f: impl FnOnce(&Hub) -> Result<T, DbError> + Send + 'static,
) -> Result<T, Refusal> {
    let hub = hub.clone();
    tokio::task::spawn_blocking(move || f(&hub))
        .await
        .map_err(|_| refuse(500, HubErrorCode::Internal, "a task failed"))?
        .map_err(Refusal::from)
}

pub fn router(hub: Shared) -> Router {
    let files = || post(create_upload).options(tus_options);
    Router::new()
        .route("/v1/health", get(health))
        .route("/v1/enroll", post(enroll))
        .route("/v1/files", files())
        .route("/v1/files/", files())
        .route(
            "/v1/files/{id}",
            get(download)
                .head(upload_offset)
                .patch(upload_chunk)
                .delete(terminate),
        )
        .route("/v1/batches", post(batches))
        .route("/v1/changes", get(changes))
        .route("/v1/heartbeat", post(heartbeat))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BATCH_BYTES))
        .layer(middleware::from_fn(stamp))
        .with_state(hub)
}

/// Puts the protocol header on every answer, and tus's on the files' answers.
async fn stamp(request: Request, next: Next) -> Response {
    let tus = request.uri().path().starts_with("/v1/files");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(PROTOCOL_HEADER, HeaderValue::from_static(PROTOCOL_VERSION));
    if tus {
        headers.insert("Tus-Resumable", HeaderValue::from_static(TUS_VERSION));
    }
    response
}

async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "protocol": PROTOCOL_VERSION }))
}

impl FromRequestParts<Shared> for Device {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, hub: &Shared) -> Result<Device, Refusal> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|t| t.trim().to_owned())
            .ok_or(refuse(401, HubErrorCode::Unauthorized, "no credential"))?;
        let hash = sha256_hex(token.as_bytes());
        blocking(hub, move |hub| hub.db.authenticate(&hash, now_ms()))
            .await?
            .ok_or(refuse(
                401,
                HubErrorCode::Unauthorized,
                "unknown credential",
            ))
    }
}

/// The enrollment code as typed, folded: upper case, no spaces.
pub fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

async fn enroll(
    State(hub): State<Shared>,
    Json(request): Json<EnrollRequest>,
) -> Result<Response, Refusal> {
    let code_hash = sha256_hex(normalise_code(&request.code).as_bytes());
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret)
        .map_err(|_| refuse(500, HubErrorCode::Internal, "no randomness"))?;
    let token = URL_SAFE_NO_PAD.encode(secret);
    let token_hash = sha256_hex(token.as_bytes());
    let device_id = uuid::Uuid::new_v4().to_string();
    let id = device_id.clone();
    let name: String = request.device_name.chars().take(100).collect();
    let version: String = request.app_version.chars().take(40).collect();
    let enrolled = blocking(&hub, move |hub| {
        let now = now_ms();
        hub.db.enroll(
            &code_hash,
            now - ENROLLMENT_LIFETIME_MS,
            &NewDevice {
                id: &id,
                token_hash: &token_hash,
                name: &name,
                app_version: &version,
            },
            now,
        )
    })
    .await?
    .ok_or(refuse(
        403,
        HubErrorCode::EnrollmentCode,
        "the enrollment code is unknown, used or expired, or the unit has no free slot",
    ))?;
    let (unit, slot) = enrolled;
    Ok((
        StatusCode::CREATED,
        Json(Enrolled {
            device_id,
            token,
            unit,
            slot,
        }),
    )
        .into_response())
}

fn tus_headers() -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert("Tus-Version", HeaderValue::from_static(TUS_VERSION));
    h
}

async fn tus_options() -> Response {
    let mut h = tus_headers();
    h.insert(
        "Tus-Extension",
        HeaderValue::from_static("creation,checksum,expiration,termination"),
    );
    h.insert("Tus-Max-Size", HeaderValue::from(MAX_FILE_BYTES));
    h.insert(
        "Tus-Checksum-Algorithm",
        HeaderValue::from_static("sha1,sha256"),
    );
    (StatusCode::NO_CONTENT, h).into_response()
}

fn speaks_tus(headers: &HeaderMap) -> bool {
    headers.get("Tus-Resumable").and_then(|v| v.to_str().ok()) == Some(TUS_VERSION)
}

/// 412: the request does not say it speaks tus 1.0.0.
fn not_tus() -> Response {
    (
        StatusCode::PRECONDITION_FAILED,
        tus_headers(),
        Json(HubError {
            code: HubErrorCode::BadRequest,
            message: "Tus-Resumable 1.0.0 is required".into(),
        }),
    )
        .into_response()
}

fn header_u64(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// tus metadata: `key base64, key base64, key`.
fn parse_metadata(text: &str) -> Option<Vec<(String, String)>> {
    let mut out = Vec::new();
    for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let mut parts = pair.splitn(2, ' ');
        let key = parts.next()?.to_owned();
        let value = match parts.next() {
            Some(v) => String::from_utf8(B64.decode(v.trim()).ok()?).ok()?,
            None => String::new(),
        };
        out.push((key, value));
    }
    Some(out)
}

fn base_url(hub: &Hub, headers: &HeaderMap) -> String {
    match &hub.public_url {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => {
            let host = headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("localhost");
            format!("http://{host}")
        }
    }
}

fn expires_at(updated_at_ms: i64) -> HeaderValue {
    let at = jiff::Timestamp::from_millisecond(updated_at_ms + UPLOAD_LIFETIME_MS)
        .unwrap_or(jiff::Timestamp::MAX);
    let text = jiff::fmt::rfc2822::DateTimePrinter::new()
        .timestamp_to_rfc9110_string(&at)
        .unwrap_or_default();
    HeaderValue::from_str(&text).unwrap_or(HeaderValue::from_static(""))
}

async fn create_upload(
    State(hub): State<Shared>,
    device: Device,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    if !speaks_tus(&headers) {
        return Ok(not_tus());
    }
    let length = header_u64(&headers, "Upload-Length").ok_or(refuse(
        400,
        HubErrorCode::BadRequest,
        "Upload-Length is required",
    ))?;
    if length > MAX_FILE_BYTES {
        return Err(refuse(
            413,
            HubErrorCode::TooLarge,
            "the file is larger than the hub takes",
        ));
    }
    let metadata_text = headers
        .get("Upload-Metadata")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let metadata = parse_metadata(&metadata_text).ok_or(refuse(
        400,
        HubErrorCode::BadRequest,
        "Upload-Metadata is malformed",
    ))?;
    let sha256 = metadata
        .iter()
        .find(|(k, _)| k == "sha256")
        .map(|(_, v)| v.clone());
    if sha256.as_ref().is_some_and(|h| !is_sha256(h)) {
        return Err(refuse(
            400,
            HubErrorCode::BadRequest,
            "sha256 metadata is not a hex SHA-256",
        ));
    }
    let id = sha256
        .clone()
        .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string());
    let unit = device.unit.clone();
    let upload = blocking(&hub, {
        let id = id.clone();
        move |hub| {
            hub.db.create_upload(
                &unit,
                &id,
                sha256.as_deref(),
                length,
                &metadata_text,
                now_ms(),
            )
        }
    })
    .await?;
    let mut h = HeaderMap::new();
    let location = format!("{}/v1/files/{id}", base_url(&hub, &headers));
    h.insert(
        header::LOCATION,
        HeaderValue::from_str(&location).expect("an ASCII URL"),
    );
    h.insert("Upload-Offset", HeaderValue::from(upload.offset));
    if !upload.complete {
        h.insert("Upload-Expires", expires_at(upload.updated_at_ms));
    }
    Ok((StatusCode::CREATED, h).into_response())
}

fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

async fn find_upload(
    hub: &Shared,
    device: &Device,
    id: &str,
) -> Result<crate::db::Upload, Refusal> {
    let not_found = refuse(404, HubErrorCode::NotFound, "no such upload");
    if !valid_id(id) {
        return Err(not_found);
    }
    let (unit, id) = (device.unit.clone(), id.to_owned());
    let upload = blocking(hub, move |hub| hub.db.upload(&unit, &id))
        .await?
        .ok_or(not_found)?;
    if !upload.complete && upload.updated_at_ms + UPLOAD_LIFETIME_MS < now_ms() {
        return Err(refuse(410, HubErrorCode::NotFound, "the upload expired"));
    }
    Ok(upload)
}

async fn upload_offset(
    State(hub): State<Shared>,
    device: Device,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    if !speaks_tus(&headers) {
        return Ok(not_tus());
    }
    let upload = find_upload(&hub, &device, &id).await?;
    let mut h = HeaderMap::new();
    h.insert("Upload-Offset", HeaderValue::from(upload.offset));
    h.insert("Upload-Length", HeaderValue::from(upload.length));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if !upload.complete {
        h.insert("Upload-Expires", expires_at(upload.updated_at_ms));
    }
    Ok((StatusCode::OK, h).into_response())
}

/// Marks an upload busy while a PATCH writes it.
struct Busy(Shared, (String, String));

impl Drop for Busy {
    fn drop(&mut self) {
        self.0
            .busy
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.1);
    }
}

enum Checksum {
    Sha1(sha1::Sha1, Vec<u8>),
    Sha256(sha2::Sha256, Vec<u8>),
}

impl Checksum {
    fn parse(text: &str) -> Option<Checksum> {
        let (algo, digest) = text.trim().split_once(' ')?;
        let digest = B64.decode(digest.trim()).ok()?;
        match algo {
            "sha1" => Some(Checksum::Sha1(sha1::Sha1::new(), digest)),
            "sha256" => Some(Checksum::Sha256(sha2::Sha256::new(), digest)),
            _ => None,
        }
    }

    fn update(&mut self, bytes: &[u8]) {
        match self {
            Checksum::Sha1(h, _) => h.update(bytes),
            Checksum::Sha256(h, _) => h.update(bytes),
        }
    }

    fn matches(self) -> bool {
        match self {
            Checksum::Sha1(h, want) => h.finalize().as_slice() == want.as_slice(),
            Checksum::Sha256(h, want) => h.finalize().as_slice() == want.as_slice(),
        }
    }
}

async fn upload_chunk(
    State(hub): State<Shared>,
    device: Device,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Refusal> {
    if !speaks_tus(&headers) {
        return Ok(not_tus());
    }
    if headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        != Some("application/offset+octet-stream")
    {
        return Err(refuse(
            415,
            HubErrorCode::BadRequest,
            "Content-Type must be application/offset+octet-stream",
        ));
    }
    let mut checksum = match headers.get("Upload-Checksum") {
        None => None,
        Some(v) => Some(v.to_str().ok().and_then(Checksum::parse).ok_or(refuse(
            400,
            HubErrorCode::BadRequest,
            "unsupported checksum algorithm",
        ))?),
    };
    let offset = header_u64(&headers, "Upload-Offset").ok_or(refuse(
        400,
        HubErrorCode::BadRequest,
        "Upload-Offset is required",
    ))?;
    let key = (device.unit.clone(), id.clone());
    if !hub
        .busy
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(key.clone())
    {
        return Err(refuse(
            423,
            HubErrorCode::Conflict,
            "the upload is being written",
        ));
    }
    let _busy = Busy(hub.clone(), key);
    let upload = find_upload(&hub, &device, &id).await?;
    if upload.complete || offset != upload.offset {
        return Err(refuse(
            409,
            HubErrorCode::Conflict,
            "Upload-Offset does not match",
        ));
    }
    let file = hub
        .partials
        .open_at(&device.unit, &id, offset)
        .map_err(|_| refuse(507, HubErrorCode::Unavailable, "the hub cannot write"))?;
    let mut file = tokio::fs::File::from_std(file);
    let room = upload.length - offset;
    let mut written = 0u64;
    let mut stream = body.into_data_stream();
    let mut cut = false;
    while let Some(frame) = stream.next().await {
        let Ok(bytes) = frame else {
            cut = true;
            break;
        };
        if written + bytes.len() as u64 > room {
            let _ = file.set_len(offset).await;
            return Err(refuse(
                413,
                HubErrorCode::TooLarge,
                "more bytes than Upload-Length",
            ));
        }
        if let Some(c) = checksum.as_mut() {
            c.update(&bytes);
        }
        if file.write_all(&bytes).await.is_err() {
            let _ = file.set_len(offset).await;
            return Err(refuse(
                507,
                HubErrorCode::Unavailable,
                "the hub cannot write",
            ));
        }
        written += bytes.len() as u64;
    }
    if cut || checksum.is_some_and(|c| !c.matches()) {
        // Bytes that cannot be checked are not kept; unchecked ones that arrived are (tus).
        let keep = if cut && headers.get("Upload-Checksum").is_none() {
            written
        } else {
            0
        };
        let _ = file.set_len(offset + keep).await;
        let _ = file.sync_all().await;
        if keep > 0 {
            let (unit, id2) = (device.unit.clone(), id.clone());
            blocking(&hub, move |hub| {
                hub.db.set_offset(&unit, &id2, offset + keep, now_ms())
            })
            .await?;
        }
        return Err(if cut {
            refuse(400, HubErrorCode::BadRequest, "the body was cut short")
        } else {
            refuse(
                460,
                HubErrorCode::ChecksumMismatch,
                "the chunk does not match its checksum",
            )
        });
    }
    file.sync_all()
        .await
        .map_err(|_| refuse(507, HubErrorCode::Unavailable, "the hub cannot write"))?;
    drop(file);
    let new_offset = offset + written;
    let mut h = HeaderMap::new();
    h.insert("Upload-Offset", HeaderValue::from(new_offset));
    if new_offset < upload.length {
        let (unit, id2) = (device.unit.clone(), id.clone());
        blocking(&hub, move |hub| {
            hub.db.set_offset(&unit, &id2, new_offset, now_ms())
        })
        .await?;
        h.insert("Upload-Expires", expires_at(now_ms()));
        return Ok((StatusCode::NO_CONTENT, h).into_response());
    }
    // Complete: check the whole file against its name, then keep it by content.
    let unit = device.unit.clone();
    let named = upload.sha256.clone();
    let outcome = blocking(&hub, move |hub| {
        let path = hub.partials.path(&unit, &id);
        let hash = hash_file(&path).map_err(|_| DbError::Refused("cannot read the upload"))?;
        if named.as_ref().is_some_and(|n| *n != hash) {
            hub.partials.remove(&unit, &id);
            hub.db.delete_upload(&unit, &id)?;
            return Ok(false);
        }
        hub.files
            .put(&path, &hash)
            .map_err(|_| DbError::Refused("cannot keep the file"))?;
        hub.db
            .complete_upload(&unit, &id, &hash, upload.length, None, now_ms())?;
        Ok(true)
    })
    .await?;
    if !outcome {
        return Err(refuse(
            460,
            HubErrorCode::HashMismatch,
            "the file does not hash to the name it was created under",
        ));
    }
    Ok((StatusCode::NO_CONTENT, h).into_response())
}

async fn terminate(
    State(hub): State<Shared>,
    device: Device,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    if !speaks_tus(&headers) {
        return Ok(not_tus());
    }
    let upload = find_upload(&hub, &device, &id).await?;
    let unit = device.unit.clone();
    blocking(&hub, move |hub| {
        // A complete file stays: dossiers may name it. Only the upload resource goes.
        if !upload.complete {
            hub.partials.remove(&unit, &id);
        }
        hub.db.delete_upload(&unit, &id)
    })
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn download(
    State(hub): State<Shared>,
    device: Device,
    Path(sha256): Path<String>,
) -> Result<Response, Refusal> {
    let not_found = refuse(404, HubErrorCode::NotFound, "no such file");
    if !is_sha256(&sha256) {
        return Err(not_found);
    }
    let unit = device.unit.clone();
    let hash = sha256.clone();
    let file = blocking(&hub, move |hub| {
        if !hub.db.unit_holds(&unit, &hash)? {
            return Ok(None);
        }
        Ok(hub.files.open(&hash).ok())
    })
    .await?
    .ok_or(not_found)?;
    let file = tokio::fs::File::from_std(file);
    let stream = futures_util::stream::unfold(file, |mut file| async move {
        use tokio::io::AsyncReadExt;
        let mut buf = vec![0u8; 64 * 1024];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok::<_, std::io::Error>(Bytes::from(buf)), file))
            }
            Err(e) => Some((Err(e), file)),
        }
    });
    Ok((
        [(header::CONTENT_TYPE, "application/octet-stream")],
        Body::from_stream(stream),
    )
        .into_response())
}

async fn batches(
    State(hub): State<Shared>,
    device: Device,
    body: Bytes,
) -> Result<Response, Refusal> {
    let batch: Batch = serde_json::from_slice(&body)
        .map_err(|_| refuse(400, HubErrorCode::BadRequest, "not a batch"))?;
    if batch.items.len() > MAX_BATCH_ITEMS {
        return Err(refuse(
            413,
            HubErrorCode::TooLarge,
            "too many dossiers in one batch",
        ));
    }
    if batch.batch_id.is_empty() || batch.batch_id.len() > 64 {
        return Err(refuse(
            400,
            HubErrorCode::BadRequest,
            "a batch id is 1 to 64 characters",
        ));
    }
    let answer = blocking(&hub, move |hub| hub.db.batch(&device, &batch, now_ms()))
        .await?
        .ok_or(refuse(
            409,
            HubErrorCode::Conflict,
            "this batch id was used with another content",
        ))?;
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}

#[derive(Deserialize)]
struct After {
    #[serde(default)]
    after: u64,
    limit: Option<u32>,
}

async fn changes(
    State(hub): State<Shared>,
    device: Device,
    Query(query): Query<After>,
) -> Result<Response, Refusal> {
    let limit = query.limit.unwrap_or(MAX_CHANGES).clamp(1, MAX_CHANGES);
    let changes = blocking(&hub, move |hub| {
        hub.db.changes(&device.unit, query.after, limit)
    })
    .await?;
    Ok(Json(changes).into_response())
}

async fn heartbeat(
    State(hub): State<Shared>,
    device: Device,
    Json(beat): Json<Heartbeat>,
) -> Result<Response, Refusal> {
    blocking(&hub, move |hub| hub.db.heartbeat(&device, &beat, now_ms())).await?;
    Ok(StatusCode::ACCEPTED.into_response())
}
