//! Sync through a faulty link (`hoso_fakes::FaultyLink`) between a real desk and a real hub:
//! for each fault, the queue drains once the fault stops, the hub holds exactly what the desk
//! holds, and an upload cut mid-file resends at most one chunk.

mod common;

use std::time::{Duration, Instant};

use common::hub::{
    Hub, assert_hub_holds_every_file, desk_dossiers, dossier_with_page, enrolled_desk,
};
use hoso_desk::Desk;
use hoso_fakes::{Fault, FaultyLink};
use hoso_sync::Config;

const CHUNK: u64 = 128 * 1024;

fn config() -> Config {
    Config {
        chunk_size: CHUNK,
        max_chunk_size: CHUNK,
        probe_interval: Duration::from_millis(200),
        stall_timeout: Duration::from_secs(2),
        ..Config::default()
    }
}

struct Setup {
    hub: Hub,
    link: FaultyLink,
    desk: Desk,
    _dirs: Vec<tempfile::TempDir>,
}

/// A hub, a link in front of it, and a desk enrolled through the link with `dossiers` dossiers
/// of one page of about `kib` KiB each.
fn setup(dossiers: u32, kib: u32) -> Setup {
    let hub_dir = tempfile::tempdir().unwrap();
    let desk_dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let hub = Hub::start(hub_dir.path(), "127.0.0.1:0");
    let link = FaultyLink::start(hub.addr());
    let desk = enrolled_desk(desk_dir.path(), &hub, &link.url());
    for n in 0..dossiers {
        dossier_with_page(&desk, files.path(), n, kib);
    }
    Setup {
        hub,
        link,
        desk,
        _dirs: vec![hub_dir, desk_dir, files],
    }
}

fn assert_hub_equals_desk(s: &Setup) {
    assert_eq!(s.desk.sync_overview().unwrap().waiting_dossiers, 0);
    assert_eq!(s.hub.dossiers(), desk_dossiers(&s.desk));
    assert_hub_holds_every_file(&s.desk, &s.hub.url);
}

/// Runs sync until the queue is empty, with a deadline so a wedged engine fails the test.
fn sync_within(desk: &Desk, limit: Duration) -> hoso_sync::Status {
    let desk = desk.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(desk.sync(config(), false));
    });
    rx.recv_timeout(limit)
        .unwrap_or_else(|_| panic!("the queue did not drain within {limit:?}"))
        .unwrap()
}

#[test]
fn every_transient_fault_ends_with_the_hub_holding_what_the_desk_holds() {
    let faults: Vec<(&str, Vec<Fault>)> = vec![
        (
            "503 with Retry-After on batches",
            vec![Fault::Status {
                code: 503,
                times: 2,
                path_prefix: Some("/v1/batches".into()),
                method: None,
                retry_after: Some(1),
            }],
        ),
        (
            "500 and 502 on uploads",
            vec![
                Fault::Status {
                    code: 500,
                    times: 1,
                    path_prefix: Some("/v1/files".into()),
                    method: Some("PATCH".into()),
                    retry_after: None,
                },
                Fault::Status {
                    code: 502,
                    times: 1,
                    path_prefix: Some("/v1/files".into()),
                    method: Some("POST".into()),
                    retry_after: None,
                },
            ],
        ),
        (
            "408, 423 and 429",
            vec![
                Fault::Status {
                    code: 408,
                    times: 1,
                    path_prefix: None,
                    method: Some("PATCH".into()),
                    retry_after: None,
                },
                Fault::Status {
                    code: 423,
                    times: 1,
                    path_prefix: None,
                    method: Some("PATCH".into()),
                    retry_after: None,
                },
                Fault::Status {
                    code: 429,
                    times: 1,
                    path_prefix: Some("/v1/batches".into()),
                    method: None,
                    retry_after: Some(1),
                },
            ],
        ),
        (
            "460: a chunk damaged on the way",
            vec![Fault::Status {
                code: 460,
                times: 2,
                path_prefix: None,
                method: Some("PATCH".into()),
                retry_after: None,
            }],
        ),
        (
            "409 on an upload: offsets disagree",
            vec![Fault::Status {
                code: 409,
                times: 1,
                path_prefix: None,
                method: Some("PATCH".into()),
                retry_after: None,
            }],
        ),
        (
            "409 on a batch: the id was used",
            vec![Fault::Status {
                code: 409,
                times: 1,
                path_prefix: Some("/v1/batches".into()),
                method: None,
                retry_after: None,
            }],
        ),
        (
            "413 on a batch: too large",
            vec![Fault::Status {
                code: 413,
                times: 1,
                path_prefix: Some("/v1/batches".into()),
                method: None,
                retry_after: None,
            }],
        ),
        ("a captive portal", vec![Fault::CaptivePortal { times: 3 }]),
        (
            "200 where 201 is due",
            vec![Fault::OkInsteadOfCreated { times: 2 }],
        ),
        (
            "answers lost after the hub did the work",
            vec![
                Fault::CutResponse {
                    times: 1,
                    path_prefix: Some("/v1/batches".into()),
                },
                Fault::CutResponse {
                    times: 1,
                    path_prefix: Some("/v1/files/".into()),
                },
            ],
        ),
        (
            "latency and a 2 Mbit/s link",
            vec![
                Fault::Latency(Duration::from_millis(50)),
                Fault::Bandwidth(250_000),
            ],
        ),
        (
            "a stall longer than the engine waits",
            vec![Fault::Stall {
                after_bytes: 40_000,
                pause: Duration::from_secs(4),
                times: 1,
            }],
        ),
    ];
    for (name, set) in faults {
        let s = setup(3, 300);
        let lasting = set
            .iter()
            .all(|f| matches!(f, Fault::Latency(_) | Fault::Bandwidth(_)));
        for fault in set {
            s.link.set(fault);
        }
        let started = Instant::now();
        let status = sync_within(&s.desk, Duration::from_secs(60));
        eprintln!("{name}: drained in {:?} ({status:?})", started.elapsed());
        assert_eq!(status.accepted, 3, "{name}");
        if name.contains("Retry-After") {
            assert!(
                started.elapsed() >= Duration::from_secs(2),
                "{name}: the hub asked for a second, twice"
            );
        }
        // Faults that last (latency, bandwidth) stay; counted ones must all have fired.
        if !lasting {
            assert_eq!(s.link.pending(), 0, "{name}: every injected fault was met");
        }
        s.link.clear();
        assert_hub_equals_desk(&s);
    }
}

#[test]
fn an_upload_cut_mid_file_resumes_and_resends_at_most_one_chunk() {
    let s = setup(1, 1500);
    let size: u64 = s.desk.sync_overview().unwrap().waiting_bytes;
    assert!(size > 5 * CHUNK, "a file of several chunks: {size}");
    // Three cuts, each in the middle of a chunk.
    for _ in 0..3 {
        s.link.set(Fault::CutRequestAfter {
            bytes: CHUNK / 2 + 777,
            times: 1,
            method: Some("PATCH".into()),
        });
    }
    sync_within(&s.desk, Duration::from_secs(60));
    let counters = s.link.counters();
    assert_eq!(counters.cuts, 3);
    let patched = counters.body_bytes["PATCH"];
    let resent = patched - size;
    eprintln!("file {size} bytes, sent {patched}: {resent} bytes again over 3 cuts");
    assert!(
        resent <= 3 * CHUNK,
        "at most one chunk again per cut: {resent} > {}",
        3 * CHUNK
    );
    assert_hub_equals_desk(&s);
}

#[test]
fn the_queue_drains_soon_after_the_network_comes_back() {
    let s = setup(2, 200);
    s.link.set(Fault::Down);
    let desk = s.desk.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(desk.sync(config(), false));
    });
    // Down long enough for the backoff to grow past the probe interval.
    std::thread::sleep(Duration::from_secs(5));
    assert_eq!(s.desk.sync_overview().unwrap().waiting_dossiers, 2);
    let healed = Instant::now();
    s.link.clear();
    let status = rx.recv_timeout(Duration::from_secs(30)).unwrap().unwrap();
    let took = healed.elapsed();
    eprintln!("drained {took:?} after the network came back");
    assert!(took < Duration::from_secs(5), "{took:?}");
    assert_eq!(status.accepted, 2);
    assert_hub_equals_desk(&s);
}

#[test]
fn a_hub_restarted_elsewhere_behind_the_same_address_gets_the_rest() {
    let mut s = setup(2, 200);
    s.desk.sync(config(), false).unwrap();
    let files = tempfile::tempdir().unwrap();
    dossier_with_page(&s.desk, files.path(), 50, 200);
    // The hub goes down; the desk keeps working; the hub comes back on another port.
    let data = s.hub.data.clone();
    s.hub.stop();
    dossier_with_page(&s.desk, files.path(), 51, 200);
    let hub = Hub::start(&data, "127.0.0.1:0");
    s.link.set_upstream(hub.addr());
    let status = sync_within(&s.desk, Duration::from_secs(30));
    assert_eq!(status.accepted, 2);
    assert_eq!(hub.dossiers(), desk_dossiers(&s.desk));
}
