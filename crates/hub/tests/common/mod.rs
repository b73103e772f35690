//! What the hub's tests share: a real hub on loopback over a temporary data directory (its
//! records in SQLite, or in a fresh PostgreSQL database), desks enrolled through the API, tus
//! and batch requests over real HTTP, and the `hoso-hub` binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use hoso_model::lifecycle::{Event, EventKind, Status};
use hoso_model::sync::{
    Batch, BatchItem, DossierRecord, EnrollRequest, Enrolled, FileRef, PageRecord,
};
use hoso_model::{Channel, DossierId};
use reqwest::blocking::{Client, RequestBuilder, Response};
use sha2::{Digest, Sha256};

pub const UNIT_A: &str = "H25.123";
pub const UNIT_B: &str = "H25.456";

#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Every test named runs on both databases: the same suite for SQLite and PostgreSQL.
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() { super::$name(super::Backend::Sqlite) } )*
        }
        mod postgres {
            $( #[test] fn $name() { super::$name(super::Backend::Postgres) } )*
        }
    };
}

/// A fresh database on the PostgreSQL server `./x test` starts (`HOSO_TEST_POSTGRES_URL`).
pub fn fresh_postgres() -> String {
    let base = std::env::var("HOSO_TEST_POSTGRES_URL").expect(
        "HOSO_TEST_POSTGRES_URL is not set: run `./x test`, which starts a PostgreSQL server",
    );
    let name = format!("hub_{}", uuid::Uuid::new_v4().simple());
    let mut client = ::postgres::Client::connect(&base, ::postgres::NoTls).unwrap();
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap();
    let (server, _) = base.rsplit_once('/').unwrap();
    format!("{server}/{name}")
}

/// A hub serving on loopback in this process, with the units A and B.
pub struct Running {
    pub url: String,
    _dir: tempfile::TempDir,
    pub data: PathBuf,
    database_url: Option<String>,
    _runtime: tokio::runtime::Runtime,
}

pub fn open(data: &Path, database_url: &Option<String>) -> hoso_hub::Hub {
    match database_url {
        Some(url) => hoso_hub::open_postgres(url, data).unwrap(),
        None => hoso_hub::open(data).unwrap(),
    }
}

pub fn start(backend: Backend) -> Running {
    start_with(backend, |_| {})
}

/// [`start`], with the hub adjusted before it serves.
pub fn start_with(backend: Backend, adjust: impl FnOnce(&mut hoso_hub::Hub)) -> Running {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_path_buf();
    let database_url = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => Some(fresh_postgres()),
    };
    let mut hub = open(&data, &database_url);
    hub.db.add_unit(UNIT_A, "Xã Thạch Hà", 0).unwrap();
    hub.db.add_unit(UNIT_B, "Xã Cẩm Xuyên", 0).unwrap();
    adjust(&mut hub);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    runtime.spawn(hoso_hub::serve(listener, hub, std::future::pending()));
    Running {
        url,
        _dir: dir,
        data,
        database_url,
        _runtime: runtime,
    }
}

impl Running {
    /// A second handle on the hub's database, for the operator's side of a test.
    pub fn operator(&self) -> hoso_hub::Hub {
        open(&self.data, &self.database_url)
    }

    /// The `host:port` it listens on.
    pub fn addr(&self) -> String {
        self.url.trim_start_matches("http://").to_owned()
    }

    /// A one-time enrollment code for `unit`, made at `at_ms`.
    pub fn code_at(&self, unit: &str, at_ms: i64) -> String {
        let code = format!("CODE-{}", uuid::Uuid::new_v4().simple());
        self.operator()
            .db
            .add_enrollment_code(
                unit,
                &hoso_hub::db::sha256_hex(hoso_hub::api::normalise_code(&code).as_bytes()),
                at_ms,
            )
            .unwrap();
        code
    }

    pub fn code(&self, unit: &str) -> String {
        self.code_at(unit, hoso_hub::api::now_ms())
    }

    /// Sends an enrollment request with `code`.
    pub fn try_enroll(&self, code: &str) -> Response {
        Client::new()
            .post(format!("{}/v1/enroll", self.url))
            .json(&EnrollRequest {
                code: code.into(),
                device_name: "may-1".into(),
                app_version: "0.1.0".into(),
            })
            .send()
            .unwrap()
    }

    /// A desk of `unit`, enrolled.
    pub fn enroll(&self, unit: &str) -> Enrolled {
        let response = self.try_enroll(&self.code(unit));
        assert_eq!(response.status().as_u16(), 201);
        assert_eq!(response.headers()["Hoso-Protocol"], "1");
        response.json().unwrap()
    }
}

pub fn authed(req: RequestBuilder, token: &str) -> RequestBuilder {
    req.header("Authorization", format!("Bearer {token}"))
        .header("Hoso-Protocol", "1")
}

pub fn tus(req: RequestBuilder, token: &str) -> RequestBuilder {
    authed(req, token).header("Tus-Resumable", "1.0.0")
}

pub fn hex_sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A hub refusal's stable code.
pub fn error_code(response: Response) -> String {
    let body: serde_json::Value = response.json().expect("a JSON refusal");
    body["code"].as_str().expect("a code").to_owned()
}

/// tus creation named by the bytes' hash: the Location and the answer.
pub fn create(url: &str, token: &str, bytes: &[u8]) -> (String, Response) {
    let response = tus(Client::new().post(format!("{url}/v1/files")), token)
        .header("Upload-Length", bytes.len().to_string())
        .header(
            "Upload-Metadata",
            format!(
                "sha256 {},filetype {}",
                B64.encode(hex_sha256(bytes)),
                B64.encode("image/jpeg")
            ),
        )
        .send()
        .unwrap();
    let location = response
        .headers()
        .get("Location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (location, response)
}

/// A tus PATCH with the chunk's SHA-256 checksum.
pub fn patch(location: &str, token: &str, offset: usize, chunk: &[u8]) -> Response {
    tus(Client::new().patch(location), token)
        .header("Upload-Offset", offset.to_string())
        .header("Content-Type", "application/offset+octet-stream")
        .header(
            "Upload-Checksum",
            format!("sha256 {}", B64.encode(Sha256::digest(chunk))),
        )
        .body(chunk.to_vec())
        .send()
        .unwrap()
}

pub fn offset_of(response: &Response) -> u64 {
    response.headers()["Upload-Offset"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

pub fn head(location: &str, token: &str) -> Response {
    tus(Client::new().head(location), token).send().unwrap()
}

/// Creates and sends a whole file in one PATCH.
pub fn upload(url: &str, token: &str, bytes: &[u8]) {
    let (location, created) = create(url, token, bytes);
    assert_eq!(created.status().as_u16(), 201);
    let done = patch(&location, token, offset_of(&created) as usize, bytes);
    assert_eq!(done.status().as_u16(), 204);
}

/// `GET /v1/files/{sha256}`.
pub fn download(url: &str, token: &str, sha256: &str) -> Response {
    authed(Client::new().get(format!("{url}/v1/files/{sha256}")), token)
        .send()
        .unwrap()
}

/// `n` bytes that differ with `seed`.
pub fn bytes(n: usize, seed: u8) -> Vec<u8> {
    (0..n)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

/// A dossier record whose component 1 has one page per file.
pub fn record(id: &str, code: &str, files: &[&[u8]]) -> (DossierRecord, Vec<FileRef>) {
    let at = "2026-03-05T02:00:00Z".parse().unwrap();
    let refs: Vec<FileRef> = files
        .iter()
        .map(|b| FileRef {
            sha256: hex_sha256(b),
            size: b.len() as u64,
            media_type: "image/jpeg".into(),
        })
        .collect();
    let record = DossierRecord {
        id: DossierId(id.into()),
        code: Some(code.into()),
        procedure_code: "1.001193".into(),
        applicant_name: "Nguyễn Văn Đức".into(),
        id_number: Some("042090001234".into()),
        phone: Some("0912345678".into()),
        address: None,
        email: None,
        channel: Channel::Direct,
        received_at: at,
        status: Status::Received,
        due_at: None,
        events: vec![Event::new(EventKind::Receive, at)],
        pages: refs
            .iter()
            .enumerate()
            .map(|(i, f)| PageRecord {
                id: format!("{id}-p{i}"),
                kind: "component".into(),
                component: Some(1),
                result_code: None,
                position: i as u32 + 1,
                sha256: f.sha256.clone(),
                pdf_page: None,
                rotation: 0,
                note_of: None,
            })
            .collect(),
        components: vec![],
    };
    (record, refs)
}

pub fn item(id: &str, code: &str, version: u64, files: &[&[u8]]) -> BatchItem {
    let (record, files) = record(id, code, files);
    BatchItem {
        dossier_id: DossierId(id.into()),
        version,
        record,
        files,
    }
}

/// `POST /v1/batches`.
pub fn send(url: &str, token: &str, batch: &Batch) -> Response {
    authed(Client::new().post(format!("{url}/v1/batches")), token)
        .json(batch)
        .send()
        .unwrap()
}

/// The `hoso-hub` binary built with these tests.
pub fn hub_bin() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_hoso-hub"))
}
