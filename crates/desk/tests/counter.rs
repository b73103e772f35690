//! The counter's flow, below the window: what the scan station remembers for each officer, and
//! the window hearing of pages and dossiers another process (the command line) added.

mod common;

use std::sync::mpsc;
use std::time::Duration;

use common::{ADMIN, PASSWORD, hoso_command, open_desk};
use hoso_desk::{Desk, FixedClock};
use hoso_model::account::NewAccount;
use hoso_model::ipc::DeskEvent;
use hoso_model::scan::{ColourMode, Feed, ScanPreferences, ScanSettings};
use hoso_model::{NewDossier, Role};

fn clock() -> FixedClock {
    FixedClock("2026-03-05T02:00:00Z".parse().unwrap())
}

#[test]
fn each_officer_finds_the_scan_station_as_they_left_it() {
    let data = tempfile::tempdir().unwrap();
    let (admin, _) = open_desk(data.path(), clock()).unwrap();
    admin
        .add_account(&NewAccount {
            name: "lan".into(),
            full_name: "Cán bộ Lan".into(),
            role: Role::Officer,
            password: "mật khẩu của lan".into(),
        })
        .unwrap();
    assert_eq!(
        admin.scan_preferences().unwrap(),
        ScanPreferences::default(),
        "nothing chosen yet"
    );
    let mine = ScanPreferences {
        device: Some("sane:test:0".into()),
        settings: ScanSettings {
            feed: Feed::Duplex,
            resolution: 200,
            mode: ColourMode::Gray,
        },
    };
    admin.set_scan_preferences(&mine).unwrap();
    drop(admin);

    let (lan, _) = Desk::sign_in(data.path(), "lan", "mật khẩu của lan", clock()).unwrap();
    assert_eq!(
        lan.scan_preferences().unwrap(),
        ScanPreferences::default(),
        "another officer's choice is not hers"
    );
    drop(lan);
    let (admin, _) = Desk::sign_in(data.path(), ADMIN, PASSWORD, clock()).unwrap();
    assert_eq!(
        admin.scan_preferences().unwrap(),
        mine,
        "kept across restarts"
    );
    admin.lock().unwrap();
    assert!(
        admin.scan_preferences().is_err(),
        "nothing is read while locked"
    );
}

#[test]
fn the_window_hears_of_what_the_command_line_added_and_not_of_its_own_writes() {
    let data = tempfile::tempdir().unwrap();
    let (desk, _) = open_desk(data.path(), clock()).unwrap();
    let (tx, rx) = mpsc::channel();
    desk.subscribe(move |event| {
        if *event == DeskEvent::ChangedElsewhere {
            let _ = tx.send(());
        }
    });
    hoso_desk::events::watch_elsewhere(desk.clone());
    // Let the watcher read where the store stands before anything is written.
    std::thread::sleep(Duration::from_millis(300));

    desk.register(&NewDossier {
        procedure_code: "1.001193".into(),
        applicant_name: "Phạm Văn Tư".into(),
        ..Default::default()
    })
    .unwrap();
    assert!(
        rx.recv_timeout(Duration::from_secs(5)).is_err(),
        "the desk's own write is told by its own events, not as a change elsewhere"
    );

    let out = hoso_command(data.path())
        .args([
            "intake",
            "--procedure",
            "1.001193",
            "--applicant",
            "Đỗ Thị Hằng",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    rx.recv_timeout(Duration::from_secs(10))
        .expect("the command line's dossier is told within seconds");
}
