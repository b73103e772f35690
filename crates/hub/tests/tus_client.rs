//! A standard tus client that this project did not write (tuspy, from PyPI) uploads to the hub
//! in several chunks with its SHA-1 checksums, and the hub keeps the file by its content hash.

use std::path::PathBuf;
use std::process::Command;

use hoso_model::sync::{EnrollRequest, Enrolled};
use sha2::{Digest, Sha256};

fn venv_python() -> PathBuf {
    let venv = std::env::var_os("HOSO_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let cache = std::env::var_os("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cache"));
            cache.join("hoso/venv")
        });
    let python = venv.join("bin/python");
    assert!(
        python.exists(),
        "{} is missing: run `./x setup` to install the Python test clients",
        python.display()
    );
    python
}

#[test]
fn tuspy_uploads_a_file_in_chunks_and_the_hub_keeps_it_by_its_hash() {
    let python = venv_python();
    let dir = tempfile::tempdir().unwrap();
    let hub = hoso_hub::open(dir.path()).unwrap();
    hub.db.add_unit("H25.123", "Xã Thạch Hà", 0).unwrap();
    let code = "TUSP-Y123";
    hub.db
        .add_enrollment_code(
            "H25.123",
            &hoso_hub::db::sha256_hex(code.as_bytes()),
            hoso_hub::api::now_ms(),
        )
        .unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    runtime.spawn(hoso_hub::serve(listener, hub, std::future::pending()));
    let enrolled: Enrolled = reqwest::blocking::Client::new()
        .post(format!("{url}/v1/enroll"))
        .json(&EnrollRequest {
            code: code.into(),
            device_name: "tuspy".into(),
            app_version: "0".into(),
        })
        .send()
        .unwrap()
        .json()
        .unwrap();

    let bytes: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let file = dir.path().join("upload.bin");
    std::fs::write(&file, &bytes).unwrap();
    let out = Command::new(python)
        .arg(
            std::path::PathBuf::from(
                std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
            )
            .join("tests/tus_client.py"),
        )
        .arg(format!("{url}/v1/files/"))
        .arg(&enrolled.token)
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "tuspy failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let location = String::from_utf8(out.stdout).unwrap();
    assert!(location.trim().starts_with(&url), "{location}");

    let hash = hex::encode(Sha256::digest(&bytes));
    let got = reqwest::blocking::Client::new()
        .get(format!("{url}/v1/files/{hash}"))
        .header("Authorization", format!("Bearer {}", enrolled.token))
        .send()
        .unwrap();
    assert_eq!(got.status().as_u16(), 200);
    assert_eq!(got.bytes().unwrap().as_ref(), bytes.as_slice());
}
