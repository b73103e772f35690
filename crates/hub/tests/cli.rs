//! The `hoso-hub` binary as its operator uses it: `serve` (plain HTTP refused off loopback,
//! HTTPS with a certificate, a clean stop on SIGTERM) and every operator command, run over the
//! data directory (and database) of a running hub.

#[macro_use]
mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::*;
use hoso_model::lifecycle::EventKind;
use hoso_model::sync::{
    Batch, BatchAnswer, ChangeBody, Changes, EnrollRequest, Enrolled, ItemOutcome,
};
use reqwest::blocking::Client;

/// `hoso-hub serve` with `args`; the child and the first line it printed.
fn serve(args: &[&str], data: &Path, database: &[String]) -> (Child, String) {
    let mut child = hub_bin()
        .arg("serve")
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .args(database)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    (child, line.trim().to_owned())
}

/// Sends SIGTERM and waits for the exit; whether it exited cleanly within `within`.
fn terminate(child: &mut Child, within: Duration) -> bool {
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.success();
        }
        if started.elapsed() > within {
            let _ = child.kill();
            let _ = child.wait();
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn plain_http_off_loopback_is_refused_unless_asked_for_and_sigterm_stops_the_hub() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("hub");
    let out = hub_bin()
        .args(["serve", "--listen", "0.0.0.0:0", "--data-dir"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("refusing plain HTTP"));
    assert!(!data.exists(), "refused before anything is created");

    let (mut child, line) = serve(&["--listen", "0.0.0.0:0", "--allow-plain-http"], &data, &[]);
    let port = line
        .strip_prefix("listening on http://0.0.0.0:")
        .unwrap_or_else(|| panic!("{line}"))
        .to_owned();
    let health = Client::new()
        .get(format!("http://127.0.0.1:{port}/v1/health"))
        .send()
        .unwrap();
    assert_eq!(health.status().as_u16(), 200);
    assert!(
        terminate(&mut child, Duration::from_secs(10)),
        "a clean exit on SIGTERM"
    );
}

fn the_operators_commands_work_beside_a_running_hub(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("hub");
    let database = match backend {
        Backend::Sqlite => vec![],
        Backend::Postgres => vec!["--database-url".to_owned(), fresh_postgres()],
    };
    let cli = |args: &[&str]| {
        let out = hub_bin()
            .args(args)
            .arg("--data-dir")
            .arg(&data)
            .args(&database)
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let ok = |args: &[&str]| {
        let (success, stdout, stderr) = cli(args);
        assert!(success, "hoso-hub {args:?}: {stderr}");
        stdout
    };
    let json = |args: &[&str]| -> serde_json::Value {
        let mut args = args.to_vec();
        args.push("--json");
        serde_json::from_str(&ok(&args)).unwrap()
    };

    ok(&["unit", "add", "--code", UNIT_A, "--name", "Xã Thạch Hà"]);
    ok(&["unit", "add", "--code", UNIT_B, "--name", "Xã Cẩm Xuyên"]);
    assert!(!cli(&["unit", "add", "--code", "h25 bad", "--name", "x"]).0);
    assert!(
        !cli(&["enroll-code", "--unit", "H99.999"]).0,
        "no such unit"
    );
    let code = ok(&["enroll-code", "--unit", UNIT_A]).trim().to_owned();
    assert_eq!(code.len(), 9, "XXXX-XXXX: {code}");
    assert_eq!(&code[4..5], "-");
    assert!(
        code.chars()
            .all(|c| c == '-' || "23456789ABCDEFGHJKMNPQRSTUVWXYZ".contains(c)),
        "no look-alikes: {code}"
    );
    let second = json(&["enroll-code", "--unit", UNIT_A]);
    assert_eq!(second["unit"], UNIT_A);
    assert_ne!(second["code"], code.as_str());
    assert_eq!(json(&["devices"]), serde_json::json!([]));

    let (mut child, line) = serve(&["--listen", "127.0.0.1:0"], &data, &database);
    let url = line
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("{line}"))
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    // A desk enrolls with the printed code (typed in lower case, with a space) and sends a
    // dossier with one page, then reports in.
    let desk: Enrolled = Client::new()
        .post(format!("{url}/v1/enroll"))
        .json(&EnrollRequest {
            code: format!(" {}", code.to_lowercase()),
            device_name: "may-tiep-nhan-1".into(),
            app_version: "0.1.0".into(),
        })
        .send()
        .unwrap()
        .json()
        .unwrap();
    let page = bytes(5000, 1);
    upload(&url, &desk.token, &page);
    let dossier_code = "H25.123-260305-1001";
    let answer: BatchAnswer = send(
        &url,
        &desk.token,
        &Batch {
            batch_id: "b-1".into(),
            items: vec![item("d-1", dossier_code, 1, &[&page])],
        },
    )
    .json()
    .unwrap();
    assert_eq!(
        answer.results[0].outcome,
        ItemOutcome::Accepted { duplicate: false }
    );
    let beat = hoso_model::sync::Heartbeat {
        app_version: "0.1.0".into(),
        queue_dossiers: 4,
        queue_files: 9,
        queue_bytes: 123_456,
        oldest_unsent_at: Some("2026-03-05T02:00:00Z".parse().unwrap()),
        quarantined: 2,
        sent_at: jiff::Timestamp::now(),
    };
    let sent = authed(
        Client::new().post(format!("{url}/v1/heartbeat")),
        &desk.token,
    )
    .json(&beat)
    .send()
    .unwrap();
    assert_eq!(sent.status().as_u16(), 202);

    // devices: the desk, its slot, its last contact and its latest heartbeat.
    let devices = json(&["devices"]);
    let me = &devices[0];
    assert_eq!(me["id"], desk.device_id.as_str());
    assert_eq!(me["unit"], UNIT_A);
    assert_eq!(me["slot"], 1);
    assert_eq!(me["name"], "may-tiep-nhan-1");
    assert_eq!(me["heartbeat"]["queue_dossiers"], 4);
    assert_eq!(me["heartbeat"]["quarantined"], 2);
    assert!(me["last_contact_ms"].as_i64().is_some());
    let text = ok(&["devices"]);
    assert!(text.contains(&desk.device_id), "{text}");
    assert!(text.contains("queue 4 dossiers, 9 files"), "{text}");
    assert!(text.contains("oldest unsent 05/03/2026 09:00"), "{text}");
    assert!(text.contains("quarantined 2"), "{text}");

    // dossiers: the unit's dossier, at its version, with its file.
    let dossiers = json(&["dossiers", "--unit", UNIT_A]);
    assert_eq!(dossiers[0]["id"], "d-1");
    assert_eq!(dossiers[0]["code"], dossier_code);
    assert_eq!(dossiers[0]["version"], 1);
    assert_eq!(dossiers[0]["files"], 1);
    assert_eq!(json(&["dossiers", "--unit", UNIT_B]), serde_json::json!([]));
    let text = ok(&["dossiers", "--unit", UNIT_A]);
    assert!(
        text.contains(dossier_code) && text.contains("1 files"),
        "{text}"
    );

    // export: the national message, by code or by id, with the files' URLs on this hub.
    let export = |key: &str| -> serde_json::Value {
        serde_json::from_str(&ok(&[
            "export",
            key,
            "--public-url",
            "https://hub.example.vn/",
        ]))
        .unwrap()
    };
    let message = export(dossier_code);
    assert_eq!(message, export("d-1"));
    assert_eq!(message["MaHoSo"], dossier_code);
    assert_eq!(message["MaTTHC"], "1.001193");
    assert_eq!(message["TenTTHC"], "Đăng ký khai sinh");
    assert_eq!(message["KenhThucHien"], 1);
    assert_eq!(message["ChuHoSo"], "Nguyễn Văn Đức");
    assert_eq!(message["SoGiayToChuHoSo"], "042090001234");
    assert_eq!(message["NgayTiepNhan"], "20260305090000");
    assert_eq!(message["HoSoCoThanhPhanSoHoa"], true);
    assert_eq!(
        message["TaiLieuNop"][0]["TepDinhKem"][0]["DuongDanTaiTepTin"],
        format!("https://hub.example.vn/v1/files/{}", hex_sha256(&page))
    );
    assert_eq!(message["TaiLieuNop"][0]["DuocTaiSuDung"], false);
    assert_eq!(message["DanhSachLePhi"], serde_json::json!([]));
    assert!(
        !cli(&["export", "H25.123-260305-9999"]).0,
        "no such dossier"
    );

    // event and publish: changes the desk pulls.
    ok(&["event", dossier_code, "--kind", "back"]);
    assert!(!cli(&["event", dossier_code, "--kind", "vanish"]).0);
    assert!(
        !cli(&["event", dossier_code, "--kind", "refuse"]).0,
        "a refusal needs its reason"
    );
    ok(&[
        "event",
        "d-1",
        "--kind",
        "refuse",
        "--reason",
        "Thiếu giấy tờ",
    ]);
    let catalogue = std::path::PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    )
    .join("../../catalogue/procedures.json");
    let catalogue = catalogue.to_str().expect("a UTF-8 path");
    ok(&["publish", catalogue, "--unit", UNIT_A]);
    let everyone = json(&["publish", catalogue]);
    assert_eq!(everyone["units"], 2);
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"no\": \"version\"}").unwrap();
    assert!(!cli(&["publish", bad.to_str().unwrap()]).0);
    let changes: Changes = authed(
        Client::new().get(format!("{url}/v1/changes?after=0")),
        &desk.token,
    )
    .send()
    .unwrap()
    .json()
    .unwrap();
    assert_eq!(changes.changes.len(), 4, "{changes:?}");
    match &changes.changes[0].body {
        ChangeBody::Event { dossier_id, event } => {
            assert_eq!(dossier_id.0, "d-1");
            assert_eq!(event.kind, EventKind::Back);
        }
        other => panic!("{other:?}"),
    }
    match &changes.changes[1].body {
        ChangeBody::Event { event, .. } => {
            assert_eq!(event.kind, EventKind::Refuse);
            assert_eq!(event.reason.as_deref(), Some("Thiếu giấy tờ"));
        }
        other => panic!("{other:?}"),
    }
    for change in &changes.changes[2..] {
        match &change.body {
            ChangeBody::Document { json } => {
                assert_eq!(json, &std::fs::read_to_string(catalogue).unwrap())
            }
            other => panic!("{other:?}"),
        }
    }

    // disable-device: the desk is refused from now on.
    ok(&["disable-device", &desk.device_id]);
    assert!(!cli(&["disable-device", "no-such-device"]).0);
    let refused = authed(Client::new().get(format!("{url}/v1/changes")), &desk.token)
        .send()
        .unwrap();
    assert_eq!(refused.status().as_u16(), 401);
    assert!(ok(&["devices"]).contains("DISABLED"));

    assert!(terminate(&mut child, Duration::from_secs(10)));
}

#[test]
fn with_a_certificate_the_hub_speaks_https_only() {
    let dir = tempfile::tempdir().unwrap();
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
    let cert_pem = cert.cert.pem();
    std::fs::write(dir.path().join("cert.pem"), &cert_pem).unwrap();
    std::fs::write(dir.path().join("key.pem"), cert.key_pair.serialize_pem()).unwrap();
    let data = dir.path().join("hub");
    let cli = |args: &[&str]| {
        let out = hub_bin()
            .args(args)
            .arg("--data-dir")
            .arg(&data)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    cli(&["unit", "add", "--code", UNIT_A, "--name", "Xã Thạch Hà"]);
    let code = cli(&["enroll-code", "--unit", UNIT_A]).trim().to_owned();
    let cert_path = dir.path().join("cert.pem");
    let key_path = dir.path().join("key.pem");
    let (mut child, line) = serve(
        &[
            "--listen",
            "127.0.0.1:0",
            "--tls-cert",
            cert_path.to_str().unwrap(),
            "--tls-key",
            key_path.to_str().unwrap(),
        ],
        &data,
        &[],
    );
    let port = line
        .strip_prefix("listening on https://127.0.0.1:")
        .unwrap_or_else(|| panic!("{line}"))
        .to_owned();
    let url = format!("https://localhost:{port}");
    // A client that says nothing holds up no one: handshakes do not block the accept loop.
    let silent = std::net::TcpStream::connect(format!("127.0.0.1:{port}")).unwrap();
    let trusted = Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(cert_pem.as_bytes()).unwrap())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let health = trusted.get(format!("{url}/v1/health")).send().unwrap();
    assert_eq!(health.status().as_u16(), 200);
    assert_eq!(health.headers()["Hoso-Protocol"], "1");
    drop(silent);
    // Locations built from the Host say https.
    let desk: Enrolled = trusted
        .post(format!("{url}/v1/enroll"))
        .json(&EnrollRequest {
            code,
            device_name: "may-1".into(),
            app_version: "0.1.0".into(),
        })
        .send()
        .unwrap()
        .json()
        .unwrap();
    let created = trusted
        .post(format!("{url}/v1/files"))
        .header("Authorization", format!("Bearer {}", desk.token))
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Length", "10")
        .send()
        .unwrap();
    assert_eq!(created.status().as_u16(), 201);
    let location = created.headers()["Location"].to_str().unwrap();
    assert!(
        location.starts_with(&format!("{url}/v1/files/")),
        "{location}"
    );
    // Plain HTTP to the TLS port gets no answer; an untrusted certificate is refused.
    assert!(
        Client::new()
            .get(format!("http://localhost:{port}/v1/health"))
            .timeout(Duration::from_secs(2))
            .send()
            .is_err()
    );
    assert!(
        Client::new()
            .get(format!("{url}/v1/health"))
            .send()
            .is_err()
    );
    assert!(terminate(&mut child, Duration::from_secs(10)));
}

on_both![the_operators_commands_work_beside_a_running_hub];
