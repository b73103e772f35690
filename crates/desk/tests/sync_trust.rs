//! A hub with a certificate of its own (self-signed, or from a province's CA) and a desk told
//! at enrollment what to trust: the real `hoso-hub` speaking HTTPS on loopback, the real `hoso`
//! command line, and the desk's sync engine.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use common::hub::{UNIT, cli, dossier_with_page, hub_bin};
use common::{hoso_command, open_desk};
use hoso_desk::SystemClock;
use hoso_desk::sync::trust_from;
use hoso_model::{ApiError, Problem};
use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
use sha2::{Digest, Sha256};

/// The hub binary serving HTTPS with the certificate and key in `tls` (`cert.pem`,
/// `key.pem`), killed when dropped.
struct TlsHub(Child);

impl TlsHub {
    /// Starts it on `listen`; its port.
    fn start(data: &Path, tls: &Path, listen: &str) -> (TlsHub, u16) {
        let mut child = Command::new(hub_bin())
            .args(["serve", "--data-dir"])
            .arg(data)
            .args(["--listen", listen, "--tls-cert"])
            .arg(tls.join("cert.pem"))
            .arg("--tls-key")
            .arg(tls.join("key.pem"))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the hub starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .strip_prefix("listening on https://127.0.0.1:")
            .unwrap_or_else(|| panic!("unexpected first line from the hub: {line:?}"))
            .parse()
            .unwrap();
        (TlsHub(child), port)
    }
}

impl Drop for TlsHub {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A certificate for `localhost` and its key, written as `cert.pem` and `key.pem` into `dir`:
/// self-signed, or issued by `ca`. Its SHA-256 fingerprint.
fn certificate(dir: &Path, ca: Option<&(rcgen::Certificate, KeyPair)>) -> [u8; 32] {
    std::fs::create_dir_all(dir).unwrap();
    let key = KeyPair::generate().unwrap();
    let params = CertificateParams::new(vec!["localhost".into()]).unwrap();
    let cert = match ca {
        Some((ca, ca_key)) => params.signed_by(&key, ca, ca_key).unwrap(),
        None => params.self_signed(&key).unwrap(),
    };
    std::fs::write(dir.join("cert.pem"), cert.pem()).unwrap();
    std::fs::write(dir.join("key.pem"), key.serialize_pem()).unwrap();
    Sha256::digest(cert.der()).into()
}

/// A CA of a province's own.
fn ca() -> (rcgen::Certificate, KeyPair) {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "CA Sở TT&TT (thử)");
    (params.self_signed(&key).unwrap(), key)
}

fn enrollment_code(data: &Path) -> String {
    cli(
        data,
        &["unit", "add", "--code", UNIT, "--name", "UBND xã Thạch Hà"],
    );
    cli(data, &["enroll-code", "--unit", UNIT])
        .trim()
        .to_owned()
}

fn hub_dossiers(data: &Path) -> usize {
    let out = cli(data, &["dossiers", "--unit", UNIT, "--json"]);
    serde_json::from_str::<Vec<serde_json::Value>>(&out)
        .unwrap()
        .len()
}

fn quick() -> hoso_sync::Config {
    hoso_sync::Config {
        probe_interval: std::time::Duration::from_millis(300),
        ..Default::default()
    }
}

fn problem(err: &hoso_desk::Error) -> Option<Problem> {
    ApiError::from(err).problem
}

#[test]
fn a_pinned_hub_is_trusted_and_any_other_certificate_is_refused_before_anything_is_sent() {
    let root = tempfile::tempdir().unwrap();
    let (data, desk_dir) = (root.path().join("hub"), root.path().join("desk"));
    let ours = certificate(&root.path().join("ours"), None);
    let impostor = certificate(&root.path().join("impostor"), None);
    let code = enrollment_code(&data);
    let (hub, port) = TlsHub::start(&data, &root.path().join("ours"), "127.0.0.1:0");
    let url = format!("https://127.0.0.1:{port}");
    let enroll = |fingerprint: &str| {
        hoso_command(&desk_dir)
            .args(["enroll", "--hub", &url, "--code", &code, "--name", "may-1"])
            .args(["--fingerprint", fingerprint])
            .output()
            .unwrap()
    };

    let refused = enroll(&hex::encode(impostor));
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("không khớp với dấu vân tay"),
        "the officer is told what to check, not a TLS error: {said}"
    );
    // Written as OpenSSL prints it; the same code still works: it never reached the hub.
    let pinned = ours
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":");
    let enrolled = enroll(&pinned);
    assert!(
        enrolled.status.success(),
        "{}",
        String::from_utf8_lossy(&enrolled.stderr)
    );

    let (desk, _) = open_desk(&desk_dir, SystemClock).unwrap();
    let files = tempfile::tempdir().unwrap();
    dossier_with_page(&desk, files.path(), 1, 50);
    let round = desk.sync(quick(), false).unwrap();
    assert_eq!((round.accepted, round.files), (1, 1));
    assert_eq!(hub_dossiers(&data), 1);

    // Another certificate at the same address — the hub's data, someone else's key.
    drop(hub);
    let _hub = TlsHub::start(
        &data,
        &root.path().join("impostor"),
        &format!("127.0.0.1:{port}"),
    );
    dossier_with_page(&desk, files.path(), 2, 50);
    let err = desk.sync(quick(), false).unwrap_err();
    assert_eq!(problem(&err), Some(Problem::CertificatePin), "{err:?}");
    assert_eq!(hub_dossiers(&data), 1, "nothing was sent to it");
    let status = hoso_command(&desk_dir)
        .args(["sync", "status"])
        .output()
        .unwrap();
    let status = String::from_utf8(status.stdout).unwrap();
    assert!(
        status.contains("certificate_pin") && status.contains("không khớp với dấu vân tay"),
        "{status}"
    );
}

#[test]
fn a_ca_file_trusts_the_certificates_that_ca_issued_and_no_others() {
    let root = tempfile::tempdir().unwrap();
    let (data, desk_dir) = (root.path().join("hub"), root.path().join("desk"));
    let province = ca();
    let other = ca();
    certificate(&root.path().join("tls"), Some(&province));
    std::fs::write(root.path().join("province.pem"), province.0.pem()).unwrap();
    let code = enrollment_code(&data);
    let (_hub, port) = TlsHub::start(&data, &root.path().join("tls"), "127.0.0.1:0");
    let url = format!("https://localhost:{port}");

    let (desk, _) = open_desk(&desk_dir, SystemClock).unwrap();
    let wrong_ca = trust_from(None, Some(&other.0.pem())).unwrap();
    let err = desk
        .enroll_trusting(&url, &code, "may-1", &wrong_ca)
        .unwrap_err();
    assert_eq!(problem(&err), Some(Problem::CertificateCa), "{err:?}");
    assert_eq!(desk.sync_overview().unwrap().hub_url, None);

    let enrolled = hoso_command(&desk_dir)
        .args(["enroll", "--hub", &url, "--code", &code, "--ca"])
        .arg(root.path().join("province.pem"))
        .output()
        .unwrap();
    assert!(
        enrolled.status.success(),
        "{}",
        String::from_utf8_lossy(&enrolled.stderr)
    );
    let files = tempfile::tempdir().unwrap();
    dossier_with_page(&desk, files.path(), 1, 50);
    let round = desk.sync(quick(), false).unwrap();
    assert_eq!((round.accepted, round.files), (1, 1));
    assert_eq!(hub_dossiers(&data), 1);
}

#[test]
fn what_the_operator_types_is_checked_before_the_hub_is_asked() {
    let bad = trust_from(Some("AB:CD"), None).unwrap_err();
    assert_eq!(problem(&bad), Some(Problem::BadFingerprint));
    let bad = trust_from(None, Some("not a certificate")).unwrap_err();
    assert_eq!(problem(&bad), Some(Problem::BadCaFile));
    assert!(
        trust_from(Some(&"ab".repeat(32)), Some("x")).is_err(),
        "one or the other"
    );
    assert_eq!(
        trust_from(Some("  "), None).unwrap(),
        hoso_model::sync::HubTrust::System,
        "an empty field is no fingerprint"
    );

    let root = tempfile::tempdir().unwrap();
    let (desk, _) = open_desk(root.path(), SystemClock).unwrap();
    let pinned = trust_from(Some(&"ab".repeat(32)), None).unwrap();
    let err = desk
        .enroll_trusting("http://127.0.0.1:9", "CODE", "may-1", &pinned)
        .unwrap_err();
    assert_eq!(
        problem(&err),
        None,
        "refused before any connection: {err:?}"
    );
    assert!(format!("{err}").contains("https"), "{err}");
}
