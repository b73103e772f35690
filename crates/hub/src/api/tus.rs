//! Files by tus 1.0.0 at `/v1/files`, with the `creation`, `checksum`, `expiration` and
//! `termination` extensions, and `GET /v1/files/{sha256}` for the upstream export.
//!
//! **Naming.** An upload created with `sha256` metadata (the lower-case hex hash, base64-encoded
//! as tus demands) is named by that hash *within the device's unit*: if the unit already holds
//! the file the creation answers `Upload-Offset` = `Upload-Length` and nothing is sent again; if
//! an incomplete upload of it exists, the creation points at it. A generic tus client's upload is
//! named by a fresh UUID; when it completes, its bytes are hashed and kept by content all the
//! same. Uploads of another unit do not exist for a device (404, never 403: nothing leaks).
//!
//! **Bytes.** A PATCH streams its body to the partial file (`DATA_DIR/uploads/<unit>/<id>`)
//! through a small buffer, then flushes it to disk before the new offset is recorded and
//! answered. With `Upload-Checksum` (sha1 or sha256) a chunk that does not match is dropped
//! (460) and the partial file cut back. Without one, a body cut short (reset, or the connection
//! idle past [`super::IDLE_TIMEOUT`]) keeps the bytes that arrived: the desk resumes at the byte
//! where the cut left it. When the last byte arrives the whole file is hashed; an upload named by
//! a hash that its bytes do not have is dropped entirely (460 `hash_mismatch`), else the file
//! moves into the content-addressed store and the unit is recorded as holding it.
//!
//! **Truth.** The recorded offset is only ever raised after the bytes are flushed, so the
//! partial file is never shorter than the record — unless the disk lost it, in which case the
//! record is lowered to what the disk has (HEAD and PATCH check) and the desk resumes from
//! there. One request at a time writes an upload; another gets 423 and tries again.
//!
//! **Termination.** `DELETE` removes an incomplete upload and its bytes. On a complete upload
//! it removes only the upload resource: the file stays, since dossiers may name it, and a new
//! creation under its hash is complete at once.
//!
//! **Expiration.** An incomplete upload untouched for 7 days is gone: 410 until the hourly sweep
//! removes it (then 404); creating it again under its hash starts it afresh.

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use futures_util::StreamExt;
use hoso_model::sync::{HubError, HubErrorCode, MAX_FILE_BYTES, TUS_VERSION};
use sha2::Digest;
use tokio::io::AsyncWriteExt;

use super::{Hub, Refusal, Shared, UPLOAD_LIFETIME_MS, blocking, now_ms, refuse};
use crate::db::{DbError, Device, Upload, is_sha256};
use crate::files::hash_file;

const EXTENSIONS: &str = "creation,checksum,expiration,termination";
const CHECKSUM_ALGORITHMS: &str = "sha1,sha256";
const OFFSET_OCTETS: &str = "application/offset+octet-stream";

fn tus_version() -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert("Tus-Version", HeaderValue::from_static(TUS_VERSION));
    h
}

/// `OPTIONS /v1/files`: what the hub speaks (no credential needed).
pub(super) async fn options() -> Response {
    let mut h = tus_version();
    h.insert("Tus-Extension", HeaderValue::from_static(EXTENSIONS));
    h.insert("Tus-Max-Size", HeaderValue::from(MAX_FILE_BYTES));
    h.insert(
        "Tus-Checksum-Algorithm",
        HeaderValue::from_static(CHECKSUM_ALGORITHMS),
    );
    (StatusCode::NO_CONTENT, h).into_response()
}

fn speaks_tus(headers: &HeaderMap) -> bool {
    headers.get("Tus-Resumable").and_then(|v| v.to_str().ok()) == Some(TUS_VERSION)
}

/// 412: the request does not say it speaks tus 1.0.0.
fn not_tus() -> Response {
    let body = HubError {
        code: HubErrorCode::BadRequest,
        message: "Tus-Resumable 1.0.0 is required".into(),
    };
    (StatusCode::PRECONDITION_FAILED, tus_version(), Json(body)).into_response()
}

fn header_u64(headers: &HeaderMap, name: impl header::AsHeaderName) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// tus metadata: `key base64, key base64, key`.
pub fn parse_metadata(text: &str) -> Option<Vec<(String, String)>> {
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

fn metadata_value(text: &str, key: &str) -> Option<String> {
    parse_metadata(text)?
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

/// Where the hub is reached: `--public-url`, else the request's Host.
fn base_url(hub: &Hub, headers: &HeaderMap) -> String {
    match &hub.public_url {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => {
            let host = headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("localhost");
            let scheme = if hub.tls { "https" } else { "http" };
            format!("{scheme}://{host}")
        }
    }
}

/// `Upload-Expires` for an upload last touched at `updated_at_ms` (RFC 9110 date).
fn expires_at(updated_at_ms: i64) -> HeaderValue {
    let at = jiff::Timestamp::from_millisecond(updated_at_ms + UPLOAD_LIFETIME_MS)
        .unwrap_or(jiff::Timestamp::MAX);
    let text = jiff::fmt::rfc2822::DateTimePrinter::new()
        .timestamp_to_rfc9110_string(&at)
        .unwrap_or_default();
    HeaderValue::from_str(&text).unwrap_or(HeaderValue::from_static(""))
}

fn too_large() -> Refusal {
    refuse(
        413,
        HubErrorCode::TooLarge,
        "the file is larger than the hub takes",
    )
}

/// `POST /v1/files`: tus creation.
pub(super) async fn create(
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
        return Err(too_large());
    }
    let metadata = headers
        .get("Upload-Metadata")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    if metadata.len() > 4096 {
        return Err(refuse(
            400,
            HubErrorCode::BadRequest,
            "Upload-Metadata is too long",
        ));
    }
    let pairs = parse_metadata(&metadata).ok_or(refuse(
        400,
        HubErrorCode::BadRequest,
        "Upload-Metadata is malformed",
    ))?;
    let sha256 = pairs
        .into_iter()
        .find(|(k, _)| k == "sha256")
        .map(|(_, v)| v);
    if sha256.as_ref().is_some_and(|h| !is_sha256(h)) {
        return Err(refuse(
            400,
            HubErrorCode::BadRequest,
            "sha256 metadata is not a lower-case hex SHA-256",
        ));
    }
    let id = sha256
        .clone()
        .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string());
    let location = format!("{}/v1/files/{id}", base_url(&hub, &headers));
    let location = HeaderValue::from_str(&location).map_err(|_| {
        refuse(
            400,
            HubErrorCode::BadRequest,
            "the Host header cannot make a URL",
        )
    })?;
    let unit = device.unit.clone();
    let upload = blocking(&hub, move |hub| {
        let now = now_ms();
        hub.db.create_upload(
            &unit,
            &id,
            sha256.as_deref(),
            length,
            &metadata,
            now,
            now - UPLOAD_LIFETIME_MS,
        )
    })
    .await?;
    let mut h = HeaderMap::new();
    h.insert(header::LOCATION, location);
    h.insert("Upload-Offset", HeaderValue::from(upload.offset));
    if !upload.complete {
        h.insert("Upload-Expires", expires_at(upload.updated_at_ms));
    }
    Ok((StatusCode::CREATED, h).into_response())
}

/// Upload ids are hex hashes or simple UUIDs.
fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The device's unit's upload `id`, its offset checked against the partial file on disk.
/// `claimed`: the caller holds the upload's claim (else the check is skipped while someone
/// writes it).
async fn find_upload(
    hub: &Shared,
    device: &Device,
    id: &str,
    claimed: bool,
) -> Result<Upload, Refusal> {
    let not_found = refuse(404, HubErrorCode::NotFound, "no such upload");
    if !valid_id(id) {
        return Err(not_found);
    }
    let (unit, id) = (device.unit.clone(), id.to_owned());
    let upload = blocking(hub, move |hub| {
        let Some(mut upload) = hub.db.upload(&unit, &id)? else {
            return Ok(None);
        };
        if !upload.complete && (claimed || !hub.is_busy(&unit, &id)) {
            let on_disk = hub.partials.on_disk(&unit, &id);
            if on_disk < upload.offset {
                eprintln!(
                    "hoso-hub: upload {unit}/{id}: {on_disk} bytes on disk, {} recorded; \
                     resuming from the disk's",
                    upload.offset
                );
                hub.db
                    .set_offset(&unit, &id, on_disk, upload.updated_at_ms)?;
                upload.offset = on_disk;
            }
        }
        Ok(Some(upload))
    })
    .await?
    .ok_or(not_found)?;
    if !upload.complete && upload.updated_at_ms + UPLOAD_LIFETIME_MS < now_ms() {
        return Err(refuse(410, HubErrorCode::NotFound, "the upload expired"));
    }
    Ok(upload)
}

/// `HEAD /v1/files/{id}`: the offset.
pub(super) async fn head(
    State(hub): State<Shared>,
    device: Device,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    if !speaks_tus(&headers) {
        return Ok(not_tus());
    }
    let upload = find_upload(&hub, &device, &id, false).await?;
    let mut h = HeaderMap::new();
    h.insert("Upload-Offset", HeaderValue::from(upload.offset));
    h.insert("Upload-Length", HeaderValue::from(upload.length));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if !upload.complete {
        h.insert("Upload-Expires", expires_at(upload.updated_at_ms));
    }
    Ok((StatusCode::OK, h).into_response())
}

/// A chunk's `Upload-Checksum`, computed as the bytes stream in.
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

/// How a PATCH body ended.
enum Ended {
    /// All of it arrived.
    Whole,
    /// The connection broke or went idle before the end.
    Cut,
    /// More bytes than the upload has room for.
    TooMuch,
    /// The disk refused them.
    WriteFailed,
}

fn cannot_write() -> Refusal {
    refuse(507, HubErrorCode::Unavailable, "the hub cannot write")
}

/// `PATCH /v1/files/{id}`: bytes at the hub's offset.
pub(super) async fn patch(
    State(hub): State<Shared>,
    device: Device,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Refusal> {
    if !speaks_tus(&headers) {
        return Ok(not_tus());
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    if content_type != Some(OFFSET_OCTETS) {
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
    let checked = checksum.is_some();
    let offset = header_u64(&headers, "Upload-Offset").ok_or(refuse(
        400,
        HubErrorCode::BadRequest,
        "Upload-Offset is required",
    ))?;
    let hub_ref: &Hub = &hub;
    let _claim = hub_ref.claim(&device.unit, &id).ok_or(refuse(
        423,
        HubErrorCode::Conflict,
        "the upload is being written",
    ))?;
    let upload = find_upload(&hub, &device, &id, true).await?;
    if upload.complete || offset != upload.offset {
        return Err(refuse(
            409,
            HubErrorCode::Conflict,
            "Upload-Offset does not match",
        ));
    }
    let room = upload.length - offset;
    if header_u64(&headers, header::CONTENT_LENGTH).is_some_and(|n| n > room) {
        return Err(refuse(
            413,
            HubErrorCode::TooLarge,
            "more bytes than Upload-Length",
        ));
    }
    let (unit, id2) = (device.unit.clone(), id.clone());
    let file = blocking(&hub, move |hub| {
        hub.partials
            .open_at(&unit, &id2, offset)
            .map_err(|_| DbError::Storage("cannot open a partial file"))
    })
    .await?;
    let mut file = tokio::fs::File::from_std(file);

    let mut written = 0u64;
    let mut stream = body.into_data_stream();
    let mut ended = Ended::Whole;
    while let Some(frame) = stream.next().await {
        let Ok(bytes) = frame else {
            ended = Ended::Cut;
            break;
        };
        if written + bytes.len() as u64 > room {
            ended = Ended::TooMuch;
            break;
        }
        if let Some(c) = checksum.as_mut() {
            c.update(&bytes);
        }
        if file.write_all(&bytes).await.is_err() {
            ended = Ended::WriteFailed;
            break;
        }
        written += bytes.len() as u64;
    }
    let refusal = match ended {
        Ended::Whole if checksum.is_some_and(|c| !c.matches()) => Some(refuse(
            460,
            HubErrorCode::ChecksumMismatch,
            "the chunk does not match its checksum",
        )),
        Ended::Whole => None,
        // Bytes that arrived unchecked are kept (tus); checked ones cannot be, unverified.
        Ended::Cut if !checked => None,
        Ended::Cut => Some(refuse(
            400,
            HubErrorCode::BadRequest,
            "the body was cut short",
        )),
        Ended::TooMuch => Some(refuse(
            413,
            HubErrorCode::TooLarge,
            "more bytes than Upload-Length",
        )),
        Ended::WriteFailed => Some(cannot_write()),
    };
    if let Some(refusal) = refusal {
        // The chunk is dropped: the partial file goes back to the recorded offset.
        let _ = file.set_len(offset).await;
        let _ = file.sync_all().await;
        return Err(refusal);
    }
    file.sync_all().await.map_err(|_| cannot_write())?;
    drop(file);
    let new_offset = offset + written;
    let mut h = HeaderMap::new();
    h.insert("Upload-Offset", HeaderValue::from(new_offset));
    if new_offset < upload.length {
        let (unit, id2) = (device.unit.clone(), id.clone());
        let now = now_ms();
        blocking(&hub, move |hub| {
            hub.db.set_offset(&unit, &id2, new_offset, now)
        })
        .await?;
        h.insert("Upload-Expires", expires_at(now));
        return Ok((StatusCode::NO_CONTENT, h).into_response());
    }
    complete(&hub, &device, upload).await?;
    Ok((StatusCode::NO_CONTENT, h).into_response())
}

/// The last byte arrived: the whole file is checked against its name, then kept by content.
async fn complete(hub: &Shared, device: &Device, upload: Upload) -> Result<(), Refusal> {
    let unit = device.unit.clone();
    let kept = blocking(hub, move |hub| {
        let path = hub.partials.path(&unit, &upload.id);
        let hash = hash_file(&path).map_err(|_| DbError::Storage("cannot read an upload"))?;
        if upload.sha256.as_ref().is_some_and(|named| *named != hash) {
            hub.partials.remove(&unit, &upload.id);
            hub.db.delete_upload(&unit, &upload.id)?;
            eprintln!(
                "hoso-hub: upload {unit}/{}: the bytes do not hash to the name; dropped",
                upload.id
            );
            return Ok(false);
        }
        hub.files
            .put(&path, &hash)
            .map_err(|_| DbError::Storage("cannot keep a file"))?;
        let media_type = metadata_value(&upload.metadata, "filetype")
            .filter(|t| t.len() <= 100 && t.bytes().all(|b| b.is_ascii_graphic()));
        hub.db.complete_upload(
            &unit,
            &upload.id,
            &hash,
            upload.length,
            media_type.as_deref(),
            now_ms(),
        )?;
        eprintln!(
            "hoso-hub: unit {unit} holds file {hash} ({} bytes)",
            upload.length
        );
        Ok(true)
    })
    .await?;
    if kept {
        Ok(())
    } else {
        Err(refuse(
            460,
            HubErrorCode::HashMismatch,
            "the file does not hash to the name it was created under",
        ))
    }
}

/// `DELETE /v1/files/{id}`: tus termination.
pub(super) async fn terminate(
    State(hub): State<Shared>,
    device: Device,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    if !speaks_tus(&headers) {
        return Ok(not_tus());
    }
    let hub_ref: &Hub = &hub;
    let _claim = hub_ref.claim(&device.unit, &id).ok_or(refuse(
        423,
        HubErrorCode::Conflict,
        "the upload is being written",
    ))?;
    let upload = find_upload(&hub, &device, &id, true).await?;
    let unit = device.unit.clone();
    blocking(&hub, move |hub| {
        hub.db.delete_upload(&unit, &upload.id)?;
        // A complete file stays: dossiers may name it. Only the upload resource goes.
        if !upload.complete {
            hub.partials.remove(&unit, &upload.id);
        }
        Ok(())
    })
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /v1/files/{sha256}`: a file the device's unit holds, streamed.
pub(super) async fn download(
    State(hub): State<Shared>,
    device: Device,
    Path(sha256): Path<String>,
) -> Result<Response, Refusal> {
    let not_found = refuse(404, HubErrorCode::NotFound, "no such file");
    if !is_sha256(&sha256) {
        return Err(not_found);
    }
    let unit = device.unit.clone();
    let opened = blocking(&hub, move |hub| {
        if !hub.db.unit_holds(&unit, &sha256)? {
            return Ok(None);
        }
        let Ok(file) = hub.files.open(&sha256) else {
            return Ok(None);
        };
        let size = file
            .metadata()
            .map_err(|_| DbError::Storage("cannot read a file"))?
            .len();
        Ok(Some((file, size)))
    })
    .await?;
    let (file, size) = opened.ok_or(not_found)?;
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
    let mut h = HeaderMap::new();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(size));
    Ok((h, Body::from_stream(stream)).into_response())
}
