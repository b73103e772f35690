//! The hub's API over real HTTP on loopback, on a real SQLite file: enrollment, credentials,
//! the tus rules, batches, changes, heartbeats, and one unit kept out of another's data.

use std::io::Write;
use std::net::TcpStream;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use hoso_model::lifecycle::{Event, EventKind, Status};
use hoso_model::sync::{
    Batch, BatchAnswer, BatchItem, ChangeBody, Changes, DossierRecord, EnrollRequest, Enrolled,
    FileRef, ItemOutcome, PageRecord, RejectReason,
};
use hoso_model::{Channel, DossierId};
use reqwest::blocking::{Client, RequestBuilder, Response};
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Copy)]
enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh database on the PostgreSQL server `./x test` starts (`HOSO_TEST_POSTGRES_URL`).
fn fresh_postgres() -> String {
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

struct Running {
    url: String,
    _dir: tempfile::TempDir,
    data: std::path::PathBuf,
    database_url: Option<String>,
    _runtime: tokio::runtime::Runtime,
}

fn open(data: &std::path::Path, database_url: &Option<String>) -> hoso_hub::Hub {
    match database_url {
        Some(url) => hoso_hub::open_postgres(url, data).unwrap(),
        None => hoso_hub::open(data).unwrap(),
    }
}

fn start(backend: Backend) -> Running {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_path_buf();
    let database_url = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => Some(fresh_postgres()),
    };
    let hub = open(&data, &database_url);
    hub.db.add_unit("H25.123", "Xã Thạch Hà", 0).unwrap();
    hub.db.add_unit("H25.456", "Xã Cẩm Xuyên", 0).unwrap();
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
    fn operator(&self) -> hoso_hub::Hub {
        open(&self.data, &self.database_url)
    }

    fn code(&self, unit: &str) -> String {
        let code = format!("CODE-{}", uuid::Uuid::new_v4().simple());
        self.operator()
            .db
            .add_enrollment_code(
                unit,
                &hoso_hub::db::sha256_hex(hoso_hub::api::normalise_code(&code).as_bytes()),
                hoso_hub::api::now_ms(),
            )
            .unwrap();
        code
    }

    fn enroll(&self, unit: &str) -> Enrolled {
        let response = Client::new()
            .post(format!("{}/v1/enroll", self.url))
            .json(&EnrollRequest {
                code: self.code(unit),
                device_name: "may-1".into(),
                app_version: "0.1.0".into(),
            })
            .send()
            .unwrap();
        assert_eq!(response.status().as_u16(), 201);
        assert_eq!(response.headers()["Hoso-Protocol"], "1");
        response.json().unwrap()
    }
}

fn authed(req: RequestBuilder, token: &str) -> RequestBuilder {
    req.header("Authorization", format!("Bearer {token}"))
        .header("Hoso-Protocol", "1")
}

fn tus(req: RequestBuilder, token: &str) -> RequestBuilder {
    authed(req, token).header("Tus-Resumable", "1.0.0")
}

fn hex_sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn create(url: &str, token: &str, bytes: &[u8]) -> (String, Response) {
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

fn patch(location: &str, token: &str, offset: usize, chunk: &[u8]) -> Response {
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

fn offset_of(response: &Response) -> u64 {
    response.headers()["Upload-Offset"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

fn head(location: &str, token: &str) -> Response {
    tus(Client::new().head(location), token).send().unwrap()
}

fn upload(url: &str, token: &str, bytes: &[u8]) {
    let (location, created) = create(url, token, bytes);
    assert_eq!(created.status().as_u16(), 201);
    let done = patch(&location, token, offset_of(&created) as usize, bytes);
    assert_eq!(done.status().as_u16(), 204);
}

fn bytes(n: usize, seed: u8) -> Vec<u8> {
    (0..n)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

fn record(id: &str, code: &str, files: &[&[u8]]) -> (DossierRecord, Vec<FileRef>) {
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
        id_number: None,
        phone: None,
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
            })
            .collect(),
        components: vec![],
    };
    (record, refs)
}

fn item(id: &str, code: &str, version: u64, files: &[&[u8]]) -> BatchItem {
    let (record, files) = record(id, code, files);
    BatchItem {
        dossier_id: DossierId(id.into()),
        version,
        record,
        files,
    }
}

fn send(url: &str, token: &str, batch: &Batch) -> Response {
    authed(Client::new().post(format!("{url}/v1/batches")), token)
        .json(batch)
        .send()
        .unwrap()
}

fn an_enrollment_code_works_once_and_each_desk_gets_its_own_slot(backend: Backend) {
    let hub = start(backend);
    let a = hub.enroll("H25.123");
    let b = hub.enroll("H25.123");
    assert_eq!(a.unit.code, "H25.123");
    assert_ne!(a.slot, b.slot);
    assert!((1..=9).contains(&a.slot));

    let code = hub.code("H25.123");
    let enroll = |code: &str| {
        Client::new()
            .post(format!("{}/v1/enroll", hub.url))
            .json(&EnrollRequest {
                code: code.into(),
                device_name: "x".into(),
                app_version: "0".into(),
            })
            .send()
            .unwrap()
    };
    assert_eq!(
        enroll(&code.to_lowercase()).status().as_u16(),
        201,
        "case does not matter"
    );
    let again = enroll(&code);
    assert_eq!(again.status().as_u16(), 403);
    assert_eq!(
        again.json::<serde_json::Value>().unwrap()["code"],
        "enrollment_code"
    );
    assert_eq!(enroll("NOPE-NOPE").status().as_u16(), 403);
}

fn requests_need_a_known_enabled_credential(backend: Backend) {
    let hub = start(backend);
    let desk = hub.enroll("H25.123");
    let changes = |token: &str| {
        authed(Client::new().get(format!("{}/v1/changes", hub.url)), token)
            .send()
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(changes(&desk.token), 200);
    assert_eq!(changes("not-a-token"), 401);
    let bare = Client::new()
        .get(format!("{}/v1/changes", hub.url))
        .send()
        .unwrap();
    assert_eq!(bare.status().as_u16(), 401);
    assert_eq!(
        bare.headers()["Hoso-Protocol"],
        "1",
        "errors carry the header too"
    );
    assert!(hub.operator().db.disable_device(&desk.device_id).unwrap());
    assert_eq!(changes(&desk.token), 401);
}

fn tus_creation_offsets_checksums_and_termination_follow_the_protocol(backend: Backend) {
    let hub = start(backend);
    let token = hub.enroll("H25.123").token;
    let options = Client::new()
        .request(reqwest::Method::OPTIONS, format!("{}/v1/files", hub.url))
        .send()
        .unwrap();
    assert_eq!(options.headers()["Tus-Version"], "1.0.0");
    let extensions = options.headers()["Tus-Extension"].to_str().unwrap();
    for ext in ["creation", "checksum", "expiration", "termination"] {
        assert!(extensions.contains(ext), "{extensions}");
    }

    let file = bytes(300_000, 1);
    let (location, created) = create(&hub.url, &token, &file);
    assert_eq!(created.status().as_u16(), 201);
    assert!(location.ends_with(&hex_sha256(&file)), "named by its hash");
    assert_eq!(offset_of(&created), 0);
    assert!(created.headers().contains_key("Upload-Expires"));

    let first = patch(&location, &token, 0, &file[..100_000]);
    assert_eq!(first.status().as_u16(), 204);
    assert_eq!(offset_of(&first), 100_000);
    // At the wrong offset: 409, nothing written.
    assert_eq!(
        patch(&location, &token, 50_000, &file[50_000..60_000])
            .status()
            .as_u16(),
        409
    );
    // A damaged chunk: 460, the offset does not move.
    let damaged = tus(Client::new().patch(&location), &token)
        .header("Upload-Offset", "100000")
        .header("Content-Type", "application/offset+octet-stream")
        .header(
            "Upload-Checksum",
            format!("sha256 {}", B64.encode(Sha256::digest(b"other"))),
        )
        .body(file[100_000..200_000].to_vec())
        .send()
        .unwrap();
    assert_eq!(damaged.status().as_u16(), 460);
    assert_eq!(offset_of(&head(&location, &token)), 100_000);
    // Without Tus-Resumable: 412.
    let old = authed(Client::new().head(&location), &token)
        .send()
        .unwrap();
    assert_eq!(old.status().as_u16(), 412);

    let rest = patch(&location, &token, 100_000, &file[100_000..]);
    assert_eq!(rest.status().as_u16(), 204);
    let done = head(&location, &token);
    assert_eq!(offset_of(&done), 300_000);
    assert!(!done.headers().contains_key("Upload-Expires"));

    // The unit holds it: creating it again says it is all there.
    let (_, again) = create(&hub.url, &token, &file);
    assert_eq!(offset_of(&again), 300_000, "never sent twice");
    let got = authed(Client::new().get(&location), &token).send().unwrap();
    assert_eq!(got.bytes().unwrap().as_ref(), file.as_slice());

    // Too large: 413. Termination of an incomplete upload: 204, then 404.
    let huge = tus(Client::new().post(format!("{}/v1/files", hub.url)), &token)
        .header(
            "Upload-Length",
            (hoso_model::sync::MAX_FILE_BYTES + 1).to_string(),
        )
        .send()
        .unwrap();
    assert_eq!(huge.status().as_u16(), 413);
    let other = bytes(1000, 9);
    let (loc2, _) = create(&hub.url, &token, &other);
    assert_eq!(
        tus(Client::new().delete(&loc2), &token)
            .send()
            .unwrap()
            .status()
            .as_u16(),
        204
    );
    assert_eq!(head(&loc2, &token).status().as_u16(), 404);
}

fn a_body_cut_without_a_checksum_keeps_the_bytes_that_arrived(backend: Backend) {
    let hub = start(backend);
    let token = hub.enroll("H25.123").token;
    let file = bytes(200_000, 3);
    let (location, _) = create(&hub.url, &token, &file);
    let path = location.trim_start_matches(&hub.url);
    let addr = hub.url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "PATCH {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Tus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\n\
         Content-Type: application/offset+octet-stream\r\nContent-Length: 200000\r\n\r\n"
    )
    .unwrap();
    stream.write_all(&file[..70_000]).unwrap();
    stream.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    drop(stream);
    let mut offset = 0;
    for _ in 0..50 {
        offset = offset_of(&head(&location, &token));
        if offset > 0 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(offset, 70_000, "resumes at the byte the cut left");
    let rest = patch(&location, &token, 70_000, &file[70_000..]);
    assert_eq!(rest.status().as_u16(), 204);
}

fn bytes_that_do_not_hash_to_the_uploads_name_are_dropped(backend: Backend) {
    let hub = start(backend);
    let token = hub.enroll("H25.123").token;
    let file = bytes(5000, 4);
    let (location, _) = create(&hub.url, &token, &file);
    let mut wrong = file.clone();
    wrong[10] ^= 1;
    let response = patch(&location, &token, 0, &wrong);
    assert_eq!(response.status().as_u16(), 460);
    assert_eq!(
        response.json::<serde_json::Value>().unwrap()["code"],
        "hash_mismatch"
    );
    assert_eq!(head(&location, &token).status().as_u16(), 404);
}

fn a_generic_tus_upload_is_kept_by_the_hash_of_its_bytes(backend: Backend) {
    let hub = start(backend);
    let token = hub.enroll("H25.123").token;
    let file = bytes(4000, 5);
    let created = tus(Client::new().post(format!("{}/v1/files/", hub.url)), &token)
        .header("Upload-Length", "4000")
        .header(
            "Upload-Metadata",
            format!("filename {}", B64.encode("giay-khai-sinh.jpg")),
        )
        .send()
        .unwrap();
    assert_eq!(created.status().as_u16(), 201);
    let location = created.headers()["Location"].to_str().unwrap().to_owned();
    assert_eq!(patch(&location, &token, 0, &file).status().as_u16(), 204);
    let got = authed(
        Client::new().get(format!("{}/v1/files/{}", hub.url, hex_sha256(&file))),
        &token,
    )
    .send()
    .unwrap();
    assert_eq!(got.status().as_u16(), 200);
}

fn batches_are_answered_per_item_and_a_batch_id_means_one_content(backend: Backend) {
    let hub = start(backend);
    let token = hub.enroll("H25.123").token;
    let page = bytes(2000, 6);
    let missing = bytes(3000, 7);
    upload(&hub.url, &token, &page);
    let batch = Batch {
        batch_id: "b-1".into(),
        items: vec![
            item("d-1", "H25.123-260305-1001", 3, &[&page]),
            item("d-2", "H25.123-260305-1002", 1, &[&missing]),
            item("d-3", "H25.999-260305-1003", 1, &[&page]),
        ],
    };
    let first = send(&hub.url, &token, &batch);
    assert_eq!(first.status().as_u16(), 201);
    let answer: BatchAnswer = first.json().unwrap();
    assert_eq!(
        answer.results[0].outcome,
        ItemOutcome::Accepted { duplicate: false }
    );
    assert_eq!(
        answer.results[1].outcome,
        ItemOutcome::MissingFiles {
            sha256: vec![hex_sha256(&missing)]
        }
    );
    assert_eq!(
        answer.results[2].outcome,
        ItemOutcome::Rejected {
            reason: RejectReason::Invalid
        },
        "a code of another unit"
    );
    // The same batch again: the same answer, nothing kept twice.
    let again: BatchAnswer = send(&hub.url, &token, &batch).json().unwrap();
    assert_eq!(again, answer);
    // The same id with other content: 409.
    let mut changed = batch.clone();
    changed.items.pop();
    assert_eq!(send(&hub.url, &token, &changed).status().as_u16(), 409);

    // The missing file arrives; the version is sent again under a new id and kept.
    upload(&hub.url, &token, &missing);
    let retry = Batch {
        batch_id: "b-2".into(),
        items: vec![
            item("d-2", "H25.123-260305-1002", 1, &[&missing]),
            // A retry of d-1's version: a duplicate. The same version with other content: refused.
            item("d-1", "H25.123-260305-1001", 3, &[&page]),
            item("d-1", "H25.123-260305-1001", 3, &[&missing]),
        ],
    };
    let answer: BatchAnswer = send(&hub.url, &token, &retry).json().unwrap();
    assert_eq!(
        answer.results[0].outcome,
        ItemOutcome::Accepted { duplicate: false }
    );
    assert_eq!(
        answer.results[1].outcome,
        ItemOutcome::Accepted { duplicate: true }
    );
    assert_eq!(
        answer.results[2].outcome,
        ItemOutcome::Rejected {
            reason: RejectReason::VersionConflict
        }
    );
    let listed = hub.operator().db.dossiers("H25.123").unwrap();
    assert_eq!(listed.len(), 2, "each dossier once");
}

fn one_unit_cannot_read_or_write_anothers_data(backend: Backend) {
    let hub = start(backend);
    let a = hub.enroll("H25.123").token;
    let b = hub.enroll("H25.456").token;
    let file = bytes(1000, 8);
    let (location, _) = create(&hub.url, &a, &file[..]);
    // B cannot see, write or end A's upload.
    assert_eq!(head(&location, &b).status().as_u16(), 404);
    assert_eq!(patch(&location, &b, 0, &file).status().as_u16(), 404);
    assert_eq!(patch(&location, &a, 0, &file).status().as_u16(), 204);
    let get = |token: &str| {
        authed(
            Client::new().get(format!("{}/v1/files/{}", hub.url, hex_sha256(&file))),
            token,
        )
        .send()
        .unwrap()
        .status()
        .as_u16()
    };
    assert_eq!(get(&a), 200);
    assert_eq!(get(&b), 404, "B does not hold A's file");

    let mine = Batch {
        batch_id: "a-1".into(),
        items: vec![item("d-a", "H25.123-260305-1001", 1, &[&file])],
    };
    let answer: BatchAnswer = send(&hub.url, &a, &mine).json().unwrap();
    assert_eq!(
        answer.results[0].outcome,
        ItemOutcome::Accepted { duplicate: false }
    );
    // B claims A's dossier with a code of its own unit: refused as another unit's.
    let theirs = Batch {
        batch_id: "b-1".into(),
        items: vec![item("d-a", "H25.456-260305-1001", 2, &[])],
    };
    let answer: BatchAnswer = send(&hub.url, &b, &theirs).json().unwrap();
    assert_eq!(
        answer.results[0].outcome,
        ItemOutcome::Rejected {
            reason: RejectReason::OtherUnit
        }
    );
    // Changes are per unit.
    hub.operator()
        .db
        .add_change(
            Some("H25.123"),
            &ChangeBody::Unit {
                name: "Xã mới".into(),
            },
            0,
        )
        .unwrap();
    let pull = |token: &str| -> Changes {
        authed(
            Client::new().get(format!("{}/v1/changes?after=0", hub.url)),
            token,
        )
        .send()
        .unwrap()
        .json()
        .unwrap()
    };
    assert_eq!(pull(&a).changes.len(), 1);
    assert_eq!(pull(&b).changes.len(), 0);
}

fn changes_come_in_pages_and_heartbeats_reach_the_operator(backend: Backend) {
    let hub = start(backend);
    let desk = hub.enroll("H25.123");
    for n in 0..7 {
        hub.operator()
            .db
            .add_change(
                Some("H25.123"),
                &ChangeBody::Unit {
                    name: format!("Xã {n}"),
                },
                0,
            )
            .unwrap();
    }
    let page = |after: u64| -> Changes {
        authed(
            Client::new().get(format!("{}/v1/changes?after={after}&limit=3", hub.url)),
            &desk.token,
        )
        .send()
        .unwrap()
        .json()
        .unwrap()
    };
    let first = page(0);
    assert_eq!((first.changes.len(), first.more), (3, true));
    let second = page(first.next);
    let third = page(second.next);
    assert_eq!((third.changes.len(), third.more), (1, false));
    assert_eq!(page(third.next).changes.len(), 0);

    let beat = hoso_model::sync::Heartbeat {
        app_version: "0.1.0".into(),
        queue_dossiers: 4,
        queue_files: 9,
        queue_bytes: 123_456,
        oldest_unsent_at: None,
        quarantined: 1,
        sent_at: jiff::Timestamp::now(),
    };
    let sent = authed(
        Client::new().post(format!("{}/v1/heartbeat", hub.url)),
        &desk.token,
    )
    .json(&beat)
    .send()
    .unwrap();
    assert_eq!(sent.status().as_u16(), 202);
    let devices = hub.operator().db.devices().unwrap();
    let me = devices
        .iter()
        .find(|d| d["id"] == desk.device_id.as_str())
        .unwrap();
    assert_eq!(me["heartbeat"]["queue_dossiers"], 4);
    assert!(me["last_contact_ms"].as_i64().is_some());
}

fn plain_http_on_a_public_address_is_refused_unless_asked_for(backend: Backend) {
    let _ = backend; // refused before any database is opened
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hoso-hub"))
        .args(["serve", "--listen", "0.0.0.0:0", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("refusing plain HTTP"));
}

fn the_operators_commands_work_on_the_same_data_directory(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let database = match backend {
        Backend::Sqlite => vec![],
        Backend::Postgres => vec!["--database-url".to_owned(), fresh_postgres()],
    };
    let hub = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_hoso-hub"))
            .args(args)
            .arg("--data-dir")
            .arg(dir.path())
            .args(&database)
            .output()
            .unwrap();
        (out.status.success(), String::from_utf8(out.stdout).unwrap())
    };
    assert!(hub(&["unit", "add", "--code", "H25.123", "--name", "Xã Thạch Hà"]).0);
    assert!(!hub(&["unit", "add", "--code", "h25 bad", "--name", "x"]).0);
    let (ok, code) = hub(&["enroll-code", "--unit", "H25.123"]);
    assert!(ok);
    let code = code.trim();
    assert_eq!(code.len(), 9, "{code}");
    assert!(
        !hub(&["enroll-code", "--unit", "H99.999"]).0,
        "no such unit"
    );
    let (ok, listed) = hub(&["dossiers", "--unit", "H25.123", "--json"]);
    assert!(ok);
    assert_eq!(listed.trim(), "[]");
    let (ok, devices) = hub(&["devices", "--json"]);
    assert!(ok);
    assert_eq!(devices.trim(), "[]");
}

fn an_upload_left_untouched_expires(backend: Backend) {
    let hub = start(backend);
    let token = hub.enroll("H25.123").token;
    let file = bytes(10_000, 10);
    let (location, _) = create(&hub.url, &token, &file);
    assert_eq!(
        patch(&location, &token, 0, &file[..4000]).status().as_u16(),
        204
    );
    let operator = hub.operator();
    assert_eq!(
        operator.sweep(hoso_hub::api::now_ms() - 60_000).unwrap(),
        0,
        "still fresh"
    );
    assert_eq!(operator.sweep(hoso_hub::api::now_ms() + 1).unwrap(), 1);
    assert_eq!(head(&location, &token).status().as_u16(), 404);
}

/// Every test runs on both databases: the same suite for SQLite and PostgreSQL.
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

on_both![
    an_enrollment_code_works_once_and_each_desk_gets_its_own_slot,
    requests_need_a_known_enabled_credential,
    tus_creation_offsets_checksums_and_termination_follow_the_protocol,
    a_body_cut_without_a_checksum_keeps_the_bytes_that_arrived,
    bytes_that_do_not_hash_to_the_uploads_name_are_dropped,
    a_generic_tus_upload_is_kept_by_the_hash_of_its_bytes,
    batches_are_answered_per_item_and_a_batch_id_means_one_content,
    one_unit_cannot_read_or_write_anothers_data,
    changes_come_in_pages_and_heartbeats_reach_the_operator,
    plain_http_on_a_public_address_is_refused_unless_asked_for,
    the_operators_commands_work_on_the_same_data_directory,
    an_upload_left_untouched_expires,
];

#[test]
fn with_a_certificate_the_hub_speaks_https_only() {
    let dir = tempfile::tempdir().unwrap();
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
    let cert_pem = cert.cert.pem();
    std::fs::write(dir.path().join("cert.pem"), &cert_pem).unwrap();
    std::fs::write(dir.path().join("key.pem"), cert.key_pair.serialize_pem()).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_hoso-hub"))
        .args(["serve", "--listen", "127.0.0.1:0", "--tls-cert"])
        .arg(dir.path().join("cert.pem"))
        .arg("--tls-key")
        .arg(dir.path().join("key.pem"))
        .arg("--data-dir")
        .arg(dir.path().join("hub"))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let port = line
        .trim()
        .strip_prefix("listening on https://127.0.0.1:")
        .unwrap_or_else(|| panic!("{line}"))
        .to_owned();
    let trusted = Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(cert_pem.as_bytes()).unwrap())
        .build()
        .unwrap();
    let health = trusted
        .get(format!("https://localhost:{port}/v1/health"))
        .send()
        .unwrap();
    assert_eq!(health.status().as_u16(), 200);
    assert_eq!(health.headers()["Hoso-Protocol"], "1");
    // Plain HTTP to the TLS port gets no answer; an untrusted certificate is refused.
    assert!(
        Client::new()
            .get(format!("http://localhost:{port}/v1/health"))
            .timeout(std::time::Duration::from_secs(2))
            .send()
            .is_err()
    );
    assert!(
        Client::new()
            .get(format!("https://localhost:{port}/v1/health"))
            .send()
            .is_err()
    );
    child.kill().unwrap();
    child.wait().unwrap();
}
