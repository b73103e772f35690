//! The hub's own backup, end to end with the `hoso-hub` binary: a serving hub takes dossiers
//! and files from a desk, is backed up while it serves, takes more, is stopped and restored
//! (the later dossiers are gone), and the desk sends its whole history again: the hub ends with
//! every dossier once and every file, hash-checked. And what restore refuses.

#[macro_use]
mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};

use common::*;
use hoso_model::sync::{Batch, BatchAnswer, EnrollRequest, Enrolled, ItemOutcome};
use reqwest::blocking::Client;

/// The `hoso-hub` binary over one data directory (and database).
struct Operator {
    data: PathBuf,
    database: Vec<String>,
}

impl Operator {
    fn run(&self, args: &[&str]) -> (bool, String, String) {
        let out = hub_bin()
            .args(args)
            .arg("--data-dir")
            .arg(&self.data)
            .args(&self.database)
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    }

    fn ok(&self, args: &[&str]) -> String {
        let (success, stdout, stderr) = self.run(args);
        assert!(success, "hoso-hub {args:?}: {stderr}");
        stdout
    }

    /// `hoso-hub serve` on a free loopback port: the child and its URL.
    fn serve(&self) -> (Child, String) {
        let mut child = hub_bin()
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(&self.data)
            .args(&self.database)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("{line}"))
            .to_owned();
        (child, url)
    }

    /// The unit's dossiers as the hub lists them: (id, version).
    fn dossiers(&self) -> Vec<(String, i64)> {
        let out = self.ok(&["dossiers", "--unit", UNIT_A, "--json"]);
        let list: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
        let mut ids: Vec<_> = list
            .iter()
            .map(|d| {
                (
                    d["id"].as_str().unwrap().to_owned(),
                    d["version"].as_i64().unwrap(),
                )
            })
            .collect();
        ids.sort();
        ids
    }
}

fn stop(mut child: Child) {
    let _ = child.kill();
    let _ = child.wait();
}

/// The desk's side: dossier `n` has two pages of its own.
fn pages(n: u8) -> [Vec<u8>; 2] {
    [
        bytes(3000 + usize::from(n), n),
        bytes(70_000, n.wrapping_mul(7)),
    ]
}

/// Sends dossiers `numbers` as a desk does: each file by tus (skipped when the hub holds it),
/// then one batch; every item must be accepted.
fn send_dossiers(url: &str, token: &str, numbers: std::ops::RangeInclusive<u8>) {
    let mut items = Vec::new();
    for n in numbers {
        let [a, b] = pages(n);
        for file in [&a, &b] {
            let (location, created) = create(url, token, file);
            assert_eq!(created.status().as_u16(), 201);
            let offset = offset_of(&created) as usize;
            if offset < file.len() {
                let done = patch(&location, token, offset, &file[offset..]);
                assert_eq!(done.status().as_u16(), 204);
            }
        }
        let code = format!("{UNIT_A}-260305-1{n:03}");
        items.push(item(&format!("d-{n}"), &code, 1, &[&a, &b]));
    }
    let batch = Batch {
        batch_id: uuid::Uuid::new_v4().to_string(),
        items,
    };
    let answer = send(url, token, &batch);
    assert_eq!(answer.status().as_u16(), 201);
    let answer: BatchAnswer = answer.json().unwrap();
    for result in answer.results {
        assert!(
            matches!(result.outcome, ItemOutcome::Accepted { .. }),
            "{}: {:?}",
            result.dossier_id.0,
            result.outcome
        );
    }
}

/// Every page of dossiers `numbers` downloads from the hub with the bytes that were sent.
fn assert_files_served(url: &str, token: &str, numbers: std::ops::RangeInclusive<u8>) {
    for n in numbers {
        for file in pages(n) {
            let hash = hex_sha256(&file);
            let got = download(url, token, &hash);
            assert_eq!(got.status().as_u16(), 200, "file of dossier {n}");
            assert_eq!(
                hex_sha256(&got.bytes().unwrap()),
                hash,
                "the restored file is the file sent"
            );
        }
    }
}

fn operator(dir: &Path, backend: Backend) -> Operator {
    Operator {
        data: dir.join("hub"),
        database: match backend {
            Backend::Sqlite => vec![],
            Backend::Postgres => vec!["--database-url".into(), fresh_postgres()],
        },
    }
}

fn a_restored_hub_ends_with_every_dossier_once_after_the_desk_sends_again(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let mut hub = operator(dir.path(), backend);
    hub.ok(&["unit", "add", "--code", UNIT_A, "--name", "Xã Thạch Hà"]);
    let code: serde_json::Value =
        serde_json::from_str(&hub.ok(&["enroll-code", "--unit", UNIT_A, "--json"])).unwrap();
    let (serving, url) = hub.serve();
    let enrolled: Enrolled = Client::new()
        .post(format!("{url}/v1/enroll"))
        .json(&EnrollRequest {
            code: code["code"].as_str().unwrap().into(),
            device_name: "may-1".into(),
            app_version: "0.1.0".into(),
        })
        .send()
        .unwrap()
        .json()
        .unwrap();
    let token = enrolled.token;

    send_dossiers(&url, &token, 1..=3);
    let backup = dir.path().join("backup");
    let said = hub.ok(&["backup", "--to", backup.to_str().unwrap()]);
    assert!(said.contains("3 dossiers"), "{said}");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(backup.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["counts"]["dossiers"], 3);
    assert_eq!(manifest["counts"]["stored_files"], 6);
    assert_eq!(manifest["schema_version"], hoso_hub::db::SCHEMA_VERSION);
    send_dossiers(&url, &token, 4..=5);
    assert_eq!(hub.dossiers().len(), 5);
    stop(serving);

    let (refused, _, why) = hub.run(&["restore", "--from", backup.to_str().unwrap()]);
    assert!(
        !refused,
        "a data directory holding a hub is not overwritten without --force"
    );
    assert!(why.contains("--force"), "{why}");
    assert_eq!(
        hub.dossiers().len(),
        5,
        "the refused restore changed nothing"
    );

    if let Backend::Postgres = backend {
        // The records go into a fresh database, by the command the restore prints.
        hub.database[1] = fresh_postgres();
    }
    let said = hub.ok(&["restore", "--from", backup.to_str().unwrap(), "--force"]);
    assert!(
        said.contains("kept at"),
        "the former data directory is set aside: {said}"
    );
    if let Backend::Postgres = backend {
        let command = said
            .lines()
            .map(str::trim)
            .find(|l| l.starts_with("pg_restore "))
            .unwrap_or_else(|| panic!("the pg_restore command is printed: {said}"));
        let loaded = std::process::Command::new("sh")
            .args(["-c", command])
            .output()
            .unwrap();
        assert!(
            loaded.status.success(),
            "{}",
            String::from_utf8_lossy(&loaded.stderr)
        );
    }
    let earlier: Vec<_> = (1..=3).map(|n| (format!("d-{n}"), 1)).collect();
    assert_eq!(
        hub.dossiers(),
        earlier,
        "the hub is as it was at the backup"
    );

    let (serving, url) = hub.serve();
    assert_files_served(&url, &token, 1..=3);
    send_dossiers(&url, &token, 1..=5);
    let every: Vec<_> = (1..=5).map(|n| (format!("d-{n}"), 1)).collect();
    assert_eq!(hub.dossiers(), every, "every dossier once, at its version");
    assert_files_served(&url, &token, 1..=5);
    stop(serving);
}

on_both!(a_restored_hub_ends_with_every_dossier_once_after_the_desk_sends_again);

/// A backed-up SQLite hub with one dossier: the operator and the backup folder.
fn backed_up(dir: &Path) -> (Operator, PathBuf) {
    let hub = operator(dir, Backend::Sqlite);
    hub.ok(&["unit", "add", "--code", UNIT_A, "--name", "Xã Thạch Hà"]);
    let code: serde_json::Value =
        serde_json::from_str(&hub.ok(&["enroll-code", "--unit", UNIT_A, "--json"])).unwrap();
    let (serving, url) = hub.serve();
    let enrolled: Enrolled = Client::new()
        .post(format!("{url}/v1/enroll"))
        .json(&EnrollRequest {
            code: code["code"].as_str().unwrap().into(),
            device_name: "may-1".into(),
            app_version: "0.1.0".into(),
        })
        .send()
        .unwrap()
        .json()
        .unwrap();
    send_dossiers(&url, &enrolled.token, 1..=1);
    stop(serving);
    let backup = dir.join("backup");
    hub.ok(&["backup", "--to", backup.to_str().unwrap()]);
    (hub, backup)
}

#[test]
fn a_backup_cut_short_or_altered_is_refused_and_the_data_directory_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (_, backup) = backed_up(dir.path());
    let target = Operator {
        data: dir.path().join("new-hub"),
        database: vec![],
    };
    let restore = |target: &Operator| target.run(&["restore", "--from", backup.to_str().unwrap()]);

    let manifest = std::fs::read(backup.join("manifest.json")).unwrap();
    std::fs::remove_file(backup.join("manifest.json")).unwrap();
    let (ok, _, why) = restore(&target);
    assert!(!ok && why.contains("no complete backup"), "{why}");
    assert!(
        !target.data.exists(),
        "nothing is written for a refused restore"
    );

    std::fs::write(backup.join("manifest.json"), &manifest).unwrap();
    let [_, page] = pages(1);
    let hash = hex_sha256(&page);
    let kept = backup.join("files").join(&hash[..2]).join(&hash);
    let mut altered = std::fs::read(&kept).unwrap();
    altered[100] ^= 1;
    std::fs::write(&kept, &altered).unwrap();
    let (ok, _, why) = restore(&target);
    assert!(!ok && why.contains("does not match its manifest"), "{why}");
    assert!(
        !target.data.exists(),
        "all or nothing: no half-restored hub"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("restoring"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "the staging folder is removed: {leftovers:?}"
    );

    std::fs::write(&kept, &page).unwrap();
    target.ok(&["restore", "--from", backup.to_str().unwrap()]);
    assert_eq!(target.dossiers(), vec![("d-1".to_owned(), 1)]);
}

#[test]
fn a_backup_goes_into_a_new_folder_only() {
    let dir = tempfile::tempdir().unwrap();
    let (hub, backup) = backed_up(dir.path());
    let (ok, _, why) = hub.run(&["backup", "--to", backup.to_str().unwrap()]);
    assert!(!ok && why.contains("not empty"), "{why}");
}

#[test]
fn a_backup_of_a_postgresql_hub_without_pg_dump_keeps_the_files_and_prints_the_command() {
    let dir = tempfile::tempdir().unwrap();
    let hub = operator(dir.path(), Backend::Postgres);
    hub.ok(&["unit", "add", "--code", UNIT_A, "--name", "Xã Thạch Hà"]);
    let backup = dir.path().join("backup");
    let out = hub_bin()
        .args(["backup", "--to"])
        .arg(&backup)
        .arg("--data-dir")
        .arg(&hub.data)
        .args(&hub.database)
        .env("PATH", "")
        .output()
        .unwrap();
    assert!(out.status.success());
    let said = String::from_utf8(out.stdout).unwrap();
    let expected = format!(
        "pg_dump --format=custom --no-owner --file='{}",
        backup.display()
    );
    assert!(said.contains(&expected), "{said}");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(backup.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["database"], "postgresql");
    assert_eq!(manifest["records"], serde_json::Value::Null);
}
