//! The hub's HTTP API as the desk calls it: one function per request, each answer judged by
//! [`plan::judge`](crate::plan::judge). Only transport is here; what to do next is the engine's.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use bytes::Bytes;
use hoso_model::sync::{
    AuditHeld, AuditUpload, Batch, BatchAnswer, Changes, EnrollRequest, Enrolled,
    GENERATION_HEADER, Heartbeat, HubError, HubTrust, PROTOCOL_HEADER, PROTOCOL_VERSION,
    TUS_VERSION,
};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, DATE, HeaderMap, LOCATION, RETRY_AFTER};
use reqwest::{Method, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use crate::plan::{GlobalProblem, Op, Verdict, clock_off, judge};
use crate::throttle::Throttle;
use crate::trust;

/// How long a connection may take to open.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);
/// How long without a byte moving, either way, before a request is given up. There is no
/// whole-request timeout: a large upload on a slow link takes as long as it takes.
pub const STALL_TIMEOUT: Duration = Duration::from_secs(30);
/// How large the pieces of a chunk handed to the connection are (the unit of the bandwidth cap
/// and of progress).
const PIECE: usize = 16 * 1024;

/// A client of one hub.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    token: Option<String>,
    /// What the hub's certificate must be; a certificate it refuses stops sync.
    trust: HubTrust,
    stall: Duration,
    /// The desk's clock (Unix seconds), compared with the hub's `Date`.
    clock: Arc<dyn Fn() -> i64 + Send + Sync>,
    /// Bytes of file content handed to the connection by this client, in all.
    pub sent: Arc<AtomicU64>,
    /// The hub's generation, from its last successful answer that carried one.
    generation: Arc<Mutex<Option<String>>>,
}

impl Client {
    /// A client of the hub at `base` (`https://hub…`, no `/v1`), with the device's credential,
    /// trusting what `trust` says ([`trust`]).
    pub fn new(
        base: &str,
        token: Option<String>,
        trust: &HubTrust,
        stall: Duration,
        clock: Arc<dyn Fn() -> i64 + Send + Sync>,
    ) -> Result<Client, Verdict> {
        let builder = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .read_timeout(stall)
            .user_agent(concat!("hoso-desk/", env!("CARGO_PKG_VERSION")));
        let builder = match trust::tls_config(trust) {
            Ok(None) => builder.tls_backend_native(),
            Ok(Some(config)) => builder.tls_backend_preconfigured(config),
            // Checked at enrollment; a kept CA that no longer reads is the CA's problem.
            Err(_) => return Err(Verdict::Global(GlobalProblem::CertificateCa)),
        };
        let http = builder
            .build()
            .map_err(|_| Verdict::Global(GlobalProblem::Protocol))?;
        Ok(Client {
            http,
            base: base.trim_end_matches('/').to_owned(),
            token,
            trust: trust.clone(),
            stall,
            clock,
            sent: Arc::new(AtomicU64::new(0)),
            generation: Arc::new(Mutex::new(None)),
        })
    }

    /// The hub's generation as its last successful answer gave it; `None` from an older hub, or
    /// before any answer.
    pub fn generation(&self) -> Option<String> {
        self.generation
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn request(&self, method: Method, url: &str) -> RequestBuilder {
        let mut req = self
            .http
            .request(method, url)
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION);
        if let Some(token) = &self.token {
            req = req.header(AUTHORIZATION, format!("Bearer {token}"));
        }
        req
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends a request and judges the answer. A request that moves no byte for the stall
    /// timeout is abandoned (`last` is the instant of the last byte handed over, for uploads).
    async fn send(
        &self,
        op: Op,
        req: RequestBuilder,
        last: Option<Arc<AtomicU64>>,
    ) -> Result<Response, Verdict> {
        let started = Instant::now();
        let sending = req.send();
        let answer = match last {
            None => sending.await,
            Some(last) => {
                tokio::select! {
                    answer = sending => answer,
                    () = stalled(started, last, self.stall) => {
                        return Err(Verdict::Transient { retry_after: None });
                    }
                }
            }
        };
        // A certificate this desk's trust refused: nothing was sent, and trying again cannot
        // help. Anything else is the network's doing.
        let response = answer.map_err(|e| match trust::refusal(&self.trust, &e) {
            Some(problem) => Verdict::Global(problem),
            None => Verdict::Transient { retry_after: None },
        })?;
        let from_hub = response
            .headers()
            .get(PROTOCOL_HEADER)
            .is_some_and(|v| v.as_bytes() == PROTOCOL_VERSION.as_bytes());
        if from_hub && let Some(hub_s) = date_of(response.headers()) {
            let desk_s = (self.clock)();
            if clock_off(desk_s, hub_s) {
                return Err(Verdict::Global(GlobalProblem::Clock));
            }
        }
        let status = response.status().as_u16();
        if from_hub && status == op.success() {
            if let Some(generation) = response
                .headers()
                .get(GENERATION_HEADER)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .filter(|g| !g.is_empty() && g.len() <= 100)
            {
                *self.generation.lock().unwrap_or_else(|p| p.into_inner()) =
                    Some(generation.to_owned());
            }
            return Ok(response);
        }
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let code = if from_hub {
            response.json::<HubError>().await.ok().map(|e| e.code)
        } else {
            None
        };
        Err(judge(op, status, from_hub, code, retry_after))
    }

    async fn json<T: DeserializeOwned>(response: Response) -> Result<T, Verdict> {
        // A body cut short or not what the protocol says: the network's fault until shown
        // otherwise, so try again.
        response
            .json()
            .await
            .map_err(|_| Verdict::Transient { retry_after: None })
    }

    /// `GET /v1/health`: is the hub reachable now?
    pub async fn health(&self) -> Result<(), Verdict> {
        self.send(
            Op::Health,
            self.request(Method::GET, &self.url("/v1/health")),
            None,
        )
        .await
        .map(drop)
    }

    pub async fn enroll(&self, request: &EnrollRequest) -> Result<Enrolled, Verdict> {
        let req = self
            .request(Method::POST, &self.url("/v1/enroll"))
            .json(request);
        Self::json(self.send(Op::Enroll, req, None).await?).await
    }

    /// tus creation: the upload resource for a file, and the bytes the hub already holds of it
    /// (all of them when the unit already sent this file).
    pub async fn create(
        &self,
        sha256: &str,
        size: u64,
        media_type: &str,
    ) -> Result<(String, u64), Verdict> {
        let metadata = format!(
            "sha256 {},filetype {}",
            B64.encode(sha256),
            B64.encode(media_type)
        );
        let req = self
            .request(Method::POST, &self.url("/v1/files"))
            .header("Tus-Resumable", TUS_VERSION)
            .header("Upload-Length", size.to_string())
            .header("Upload-Metadata", metadata);
        let response = self.send(Op::Create, req, None).await?;
        let location = response
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .ok_or(Verdict::Global(GlobalProblem::Protocol))?;
        let url = if location.starts_with("http://") || location.starts_with("https://") {
            location.to_owned()
        } else {
            self.url(location)
        };
        Ok((url, offset_of(response.headers()).unwrap_or(0)))
    }

    /// tus HEAD: the bytes the hub holds of an upload.
    pub async fn offset(&self, upload_url: &str) -> Result<u64, Verdict> {
        let req = self
            .request(Method::HEAD, upload_url)
            .header("Tus-Resumable", TUS_VERSION);
        let response = self.send(Op::Head, req, None).await?;
        offset_of(response.headers()).ok_or(Verdict::Global(GlobalProblem::Protocol))
    }

    /// tus PATCH: sends `chunk` at `offset`, with its SHA-256 for the checksum extension, at
    /// most as fast as the throttle allows. Returns the hub's new offset.
    pub async fn patch(
        &self,
        upload_url: &str,
        offset: u64,
        chunk: Bytes,
        throttle: Arc<Throttle>,
    ) -> Result<u64, Verdict> {
        let checksum = format!("sha256 {}", B64.encode(Sha256::digest(&chunk)));
        let last = Arc::new(AtomicU64::new(0));
        let started = Instant::now();
        let progress = last.clone();
        let sent = self.sent.clone();
        let len = chunk.len();
        let pieces = futures_util::stream::unfold(0usize, move |at| {
            let chunk = chunk.clone();
            let throttle = throttle.clone();
            let progress = progress.clone();
            let sent = sent.clone();
            async move {
                if at >= chunk.len() {
                    return None;
                }
                let end = (at + PIECE).min(chunk.len());
                throttle.take(end - at).await;
                progress.store(started.elapsed().as_millis() as u64, Ordering::Relaxed);
                sent.fetch_add((end - at) as u64, Ordering::Relaxed);
                Some((Ok::<_, std::io::Error>(chunk.slice(at..end)), end))
            }
        });
        let req = self
            .request(Method::PATCH, upload_url)
            .header("Tus-Resumable", TUS_VERSION)
            .header("Upload-Offset", offset.to_string())
            .header("Upload-Checksum", checksum)
            .header(CONTENT_TYPE, "application/offset+octet-stream")
            .header(reqwest::header::CONTENT_LENGTH, len.to_string())
            .body(reqwest::Body::wrap_stream(pieces));
        let response = self.send(Op::Patch, req, Some(last)).await?;
        offset_of(response.headers()).ok_or(Verdict::Global(GlobalProblem::Protocol))
    }

    pub async fn batch(&self, batch: &Batch) -> Result<BatchAnswer, Verdict> {
        let req = self
            .request(Method::POST, &self.url("/v1/batches"))
            .json(batch);
        Self::json(self.send(Op::Batch, req, None).await?).await
    }

    pub async fn changes(&self, after: u64) -> Result<Changes, Verdict> {
        let req = self.request(
            Method::GET,
            &self.url(&format!("/v1/changes?after={after}")),
        );
        Self::json(self.send(Op::Changes, req, None).await?).await
    }

    /// `POST /v1/audit`: where the hub's copy of this desk's audit log ends now.
    pub async fn audit(&self, upload: &AuditUpload) -> Result<AuditHeld, Verdict> {
        let req = self
            .request(Method::POST, &self.url("/v1/audit"))
            .json(upload);
        Self::json(self.send(Op::Audit, req, None).await?).await
    }

    pub async fn heartbeat(&self, heartbeat: &Heartbeat) -> Result<(), Verdict> {
        let req = self
            .request(Method::POST, &self.url("/v1/heartbeat"))
            .json(heartbeat);
        self.send(Op::Heartbeat, req, None).await.map(drop)
    }
}

/// Resolves when no byte has moved for `limit` (checked every quarter of a second).
async fn stalled(started: Instant, last_ms: Arc<AtomicU64>, limit: Duration) {
    loop {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let last = Duration::from_millis(last_ms.load(Ordering::Relaxed));
        if started.elapsed().saturating_sub(last) > limit {
            return;
        }
    }
}

fn offset_of(headers: &HeaderMap) -> Option<u64> {
    headers
        .get("Upload-Offset")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
}

/// The `Date` header as Unix seconds.
fn date_of(headers: &HeaderMap) -> Option<i64> {
    let text = headers.get(DATE)?.to_str().ok()?;
    jiff::fmt::rfc2822::parse(text)
        .ok()
        .map(|zoned| zoned.timestamp().as_second())
}
