//! Sync benchmarks, side by side in one run (`bench/sync.sh` builds and runs this in release):
//!
//! 1. Goodput over a shaped loopback link (2 Mbit/s, 300 ms round trip, through
//!    `hoso_fakes::FaultyLink`): the desk's sync of one file against `curl --upload-file` of the
//!    same bytes to the same hub through the same link.
//! 2. Bytes re-sent per cut: a file uploaded through cuts at random bytes.
//! 3. Peak memory of `hoso sync` uploading a large backlog (default 2 GiB; `BENCH_BACKLOG_MIB`).
//! 4. Hub ingest: 69 communes' desks syncing at once.

#[path = "../tests/common/mod.rs"]
mod common;
use common::hub;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use hoso_desk::Desk;
use hoso_fakes::{Fault, FaultyLink};
use hoso_model::page::Target;
use hub::{Hub, dossier_with_page, enrolled_desk, noisy_jpeg};

fn main() {
    let only: Option<String> = std::env::args().nth(1);
    let run = |name: &str| only.as_deref().is_none_or(|o| o == name);
    if run("goodput") {
        goodput();
    }
    if run("cuts") {
        cuts();
    }
    if run("memory") {
        memory();
    }
    if run("ingest") {
        ingest();
    }
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// A file of `bytes` random-looking bytes (a JPEG would do as well; the wire does not care).
fn blob(bytes: usize, seed: u64) -> Vec<u8> {
    let mut state = seed | 1;
    (0..bytes)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

fn goodput() {
    let hub_dir = tempfile::tempdir().unwrap();
    let desk_dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let hub = Hub::start(hub_dir.path(), "127.0.0.1:0");
    let link = FaultyLink::start(hub.addr());
    let desk = enrolled_desk(desk_dir.path(), &hub, &link.url());
    dossier_with_page(&desk, files.path(), 1, 3 * 1024);
    let size = desk.sync_overview().unwrap().waiting_bytes;
    // 2 Mbit/s each way, 150 ms each way.
    link.set(Fault::Bandwidth(250_000));
    link.set(Fault::Latency(Duration::from_millis(150)));

    let started = Instant::now();
    desk.sync(hoso_sync::Config::default(), false).unwrap();
    let ours = started.elapsed();

    // curl: one PATCH of the whole file to a fresh upload of the same size.
    let other = blob(size as usize, 7);
    let path = files.path().join("other.bin");
    std::fs::write(&path, &other).unwrap();
    let token = desk.sync_token().unwrap().unwrap();
    let created = reqwest::blocking::Client::new()
        .post(format!("{}/v1/files", hub.url))
        .header("Authorization", format!("Bearer {token}"))
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Length", size.to_string())
        .send()
        .unwrap();
    let location = created.headers()["Location"].to_str().unwrap().to_owned();
    let location = location.replace(&hub.url, &link.url());
    let started = Instant::now();
    let out = Command::new("curl")
        .args(["-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PATCH"])
        .arg("--upload-file")
        .arg(&path)
        .args(["-H", "Tus-Resumable: 1.0.0", "-H", "Upload-Offset: 0"])
        .args(["-H", "Content-Type: application/offset+octet-stream"])
        .arg("-H")
        .arg(format!("Authorization: Bearer {token}"))
        .arg(&location)
        .output()
        .unwrap();
    let curl = started.elapsed();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "204", "curl's upload");
    println!(
        "goodput over 2 Mbit/s, 300 ms RTT, {:.1} MiB: hoso sync {:.1} s ({:.0} kB/s), \
         curl --upload-file {:.1} s ({:.0} kB/s): ratio {:.2} (goal >= 0.9)",
        mib(size),
        ours.as_secs_f64(),
        size as f64 / ours.as_secs_f64() / 1000.0,
        curl.as_secs_f64(),
        size as f64 / curl.as_secs_f64() / 1000.0,
        curl.as_secs_f64() / ours.as_secs_f64()
    );
}

fn cuts() {
    let hub_dir = tempfile::tempdir().unwrap();
    let desk_dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let hub = Hub::start(hub_dir.path(), "127.0.0.1:0");
    let link = FaultyLink::start(hub.addr());
    let desk = enrolled_desk(desk_dir.path(), &hub, &link.url());
    dossier_with_page(&desk, files.path(), 2, 8 * 1024);
    let size = desk.sync_overview().unwrap().waiting_bytes;
    // The shaped rural link: chunks settle at about 8 s of 2 Mbit/s.
    link.set(Fault::Bandwidth(250_000));
    link.set(Fault::Latency(Duration::from_millis(150)));
    let config = hoso_sync::Config {
        probe_interval: Duration::from_millis(200),
        ..hoso_sync::Config::default()
    };
    let chunk = hoso_sync::plan::next_chunk_size(
        250_000,
        Duration::from_secs(1),
        config.chunk_size,
        config.max_chunk_size,
        config.chunk_seconds,
    );
    let n = 10u64;
    let mut seed = 12345u64;
    for _ in 0..n {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
        link.set(Fault::CutRequestAfter {
            bytes: 1 + (seed >> 33) % (config.chunk_size - 1),
            times: 1,
            method: Some("PATCH".into()),
        });
    }
    desk.sync(config, false).unwrap();
    let counters = link.counters();
    let resent = counters.body_bytes["PATCH"] - size;
    println!(
        "bytes re-sent per cut over 2 Mbit/s: {} cuts at random bytes of a {:.1} MiB file: \
         {:.0} KiB per cut on average; chunks settle at about {} KiB (goal <= one chunk)",
        counters.cuts,
        mib(size),
        resent as f64 / counters.cuts as f64 / 1024.0,
        chunk / 1024
    );
}

/// The peak resident memory of a child process, polled from /proc until it exits.
fn peak_rss_kib(mut child: std::process::Child) -> (u64, std::process::ExitStatus) {
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Ok(text) = std::fs::read_to_string(&status_path)
            && let Some(line) = text.lines().find(|l| l.starts_with("VmHWM:"))
        {
            let kib: u64 = line
                .split_whitespace()
                .nth(1)
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            peak = peak.max(kib);
        }
        if let Some(status) = child.try_wait().unwrap() {
            return (peak, status);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn memory() {
    let total: u64 = std::env::var("BENCH_BACKLOG_MIB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2048);
    let hub_dir = tempfile::tempdir().unwrap();
    let desk_dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let hub = Hub::start(hub_dir.path(), "127.0.0.1:0");
    let desk = enrolled_desk(desk_dir.path(), &hub, &hub.url);
    // Scans of about 16 MiB each (large colour pages), distinct bytes each.
    let base = noisy_jpeg(99, 16 * 1024);
    let per = base.len() as u64;
    let count = (total * 1024 * 1024).div_ceil(per);
    let started = Instant::now();
    for i in 0..count {
        let code = desk
            .register(&hoso_model::NewDossier {
                procedure_code: "1.001193".into(),
                applicant_name: format!("Trần Thị Bình {i}"),
                ..Default::default()
            })
            .unwrap()
            .code
            .unwrap();
        let mut bytes = base.clone();
        // A different comment makes different bytes, the picture the same.
        bytes.splice(2..2, comment(i));
        let path = files.path().join(format!("scan-{i}.jpg"));
        std::fs::write(&path, &bytes).unwrap();
        desk.attach(
            &code,
            &Target::Component { n: 1 },
            std::slice::from_ref(&path),
        )
        .unwrap();
        std::fs::remove_file(path).unwrap();
    }
    let backlog = desk.sync_overview().unwrap().waiting_bytes;
    eprintln!(
        "backlog of {count} scans, {:.0} MiB, made in {:.0} s",
        mib(backlog),
        started.elapsed().as_secs_f64()
    );
    let hoso = Path::new(&hub::hub_bin()).with_file_name("hoso");
    let started = Instant::now();
    let child = Command::new(&hoso)
        .arg("sync")
        .env("HOSO_DATA_DIR", desk_dir.path())
        .env("HOSO_USER", common::ADMIN)
        .env("HOSO_PASSWORD", common::PASSWORD)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let (peak, status) = peak_rss_kib(child);
    assert!(status.success());
    let took = started.elapsed();
    // curl holding the same connection for one file, for scale.
    println!(
        "peak memory of `hoso sync` uploading a {:.0} MiB backlog ({count} files): {:.1} MiB \
         (goal <= 100 MiB); {:.0} MiB/s on loopback",
        mib(backlog),
        peak as f64 / 1024.0,
        mib(backlog) / took.as_secs_f64()
    );
    drop(desk);
}

/// A JPEG COM segment holding `n`.
fn comment(n: u64) -> Vec<u8> {
    let text = format!("hoso-bench-{n}");
    let len = (text.len() + 2) as u16;
    let mut out = vec![0xFF, 0xFE];
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(text.as_bytes());
    out
}

fn ingest() {
    const COMMUNES: usize = 69;
    const DOSSIERS: u32 = 10;
    let hub_dir = tempfile::tempdir().unwrap();
    let hub = Hub::start(hub_dir.path(), "127.0.0.1:0");
    let mut desks: Vec<(Desk, tempfile::TempDir)> = Vec::new();
    for c in 0..COMMUNES {
        let dir = tempfile::tempdir().unwrap();
        let files = tempfile::tempdir().unwrap();
        let unit = format!("H25.{}", 100 + c);
        hub.cli(&["unit", "add", "--code", &unit, "--name", &format!("Xã {c}")]);
        let code = hub.cli(&["enroll-code", "--unit", &unit]).trim().to_owned();
        let (desk, _) = common::open_desk(dir.path(), hoso_desk::SystemClock).unwrap();
        desk.enroll(&hub.url, &code, &format!("may-{c}")).unwrap();
        for n in 0..DOSSIERS {
            let code = desk
                .register(&hoso_model::NewDossier {
                    procedure_code: "2.000815".into(),
                    applicant_name: format!("Lê Văn {c} {n}"),
                    ..Default::default()
                })
                .unwrap()
                .code
                .unwrap();
            let path = files.path().join(format!("{n}.jpg"));
            std::fs::write(&path, noisy_jpeg(c as u32 * 1000 + n, 100)).unwrap();
            desk.attach(&code, &Target::Component { n: 1 }, &[path])
                .unwrap();
        }
        desks.push((desk, dir));
    }
    let bytes: u64 = desks
        .iter()
        .map(|(d, _)| d.sync_overview().unwrap().waiting_bytes)
        .sum();
    let started = Instant::now();
    let threads: Vec<_> = desks
        .iter()
        .map(|(desk, _)| {
            let desk = desk.clone();
            std::thread::spawn(move || {
                let t = Instant::now();
                desk.sync(hoso_sync::Config::default(), false).unwrap();
                t.elapsed()
            })
        })
        .collect();
    let mut each: Vec<Duration> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let took = started.elapsed();
    each.sort();
    let total = COMMUNES as u64 * u64::from(DOSSIERS);
    println!(
        "hub ingest, {COMMUNES} communes at once, {total} dossiers with a page each \
         ({:.0} MiB): all in {:.1} s ({:.0} dossiers/s, {:.1} MiB/s); a commune's sync p50 \
         {:.1} s, slowest {:.1} s",
        mib(bytes),
        took.as_secs_f64(),
        total as f64 / took.as_secs_f64(),
        mib(bytes) / took.as_secs_f64(),
        each[each.len() / 2].as_secs_f64(),
        each[each.len() - 1].as_secs_f64()
    );
}
