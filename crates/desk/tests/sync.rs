//! Sync between a real desk (SQLite file, kept files) and a real hub (the `hoso-hub` binary)
//! on loopback: enrollment, every dossier and file arriving once, edits made after sending,
//! changes pulled back.

mod common;

use common::hub::{
    Hub, assert_hub_holds_every_file, desk_dossiers, dossier_with_page, enrolled_desk,
};
use hoso_model::lifecycle::{EventKind, Status};
use hoso_sync::Config;

fn quick() -> Config {
    Config {
        chunk_size: 256 * 1024,
        max_chunk_size: 256 * 1024,
        probe_interval: std::time::Duration::from_millis(300),
        stall_timeout: std::time::Duration::from_secs(3),
        ..Config::default()
    }
}

#[test]
fn every_dossier_and_file_reaches_the_hub_once_and_a_second_run_sends_nothing() {
    let hub_dir = tempfile::tempdir().unwrap();
    let desk_dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let hub = Hub::start(hub_dir.path(), "127.0.0.1:0");
    let desk = enrolled_desk(desk_dir.path(), &hub, &hub.url);
    assert!(
        desk.unit().unwrap().unwrap().device_slot >= 1,
        "the hub gives the desk its slot"
    );
    for n in 0..3 {
        dossier_with_page(&desk, files.path(), n, 300);
    }
    let overview = desk.sync_overview().unwrap();
    assert_eq!((overview.waiting_dossiers, overview.waiting_files), (3, 3));

    let first = desk.sync(quick(), false).unwrap();
    assert_eq!((first.accepted, first.files), (3, 3));
    assert_eq!(hub.dossiers(), desk_dossiers(&desk));
    assert_hub_holds_every_file(&desk, &hub.url);
    let overview = desk.sync_overview().unwrap();
    assert_eq!(overview.waiting_dossiers, 0);
    assert!(overview.last_contact.is_some());

    let second = desk.sync(quick(), false).unwrap();
    assert_eq!(
        (second.accepted, second.files, second.bytes_sent),
        (0, 0, 0),
        "nothing is sent twice"
    );
}

#[test]
fn a_change_after_sending_is_a_new_version_and_the_hubs_events_come_back() {
    let hub_dir = tempfile::tempdir().unwrap();
    let desk_dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let hub = Hub::start(hub_dir.path(), "127.0.0.1:0");
    let desk = enrolled_desk(desk_dir.path(), &hub, &hub.url);
    let code = dossier_with_page(&desk, files.path(), 7, 100);
    desk.sync(quick(), false).unwrap();
    let sent = hub.dossiers();

    // Handed to the resolving unit after it was sent: a new version, sent by the next run.
    desk.transition(&code, EventKind::Transfer, None, None)
        .unwrap();
    let again = desk.sync(quick(), false).unwrap();
    assert_eq!(again.accepted, 1);
    assert_eq!(again.files, 0, "the page was not sent again");
    let now = hub.dossiers();
    assert!(now[0].1 > sent[0].1, "{now:?} after {sent:?}");
    assert_eq!(now, desk_dossiers(&desk));

    // The resolving unit sends the result back, upstream: the desk pulls it.
    hub.cli(&["event", &code, "--kind", "back"]);
    let pulled = desk.sync(quick(), false).unwrap();
    assert_eq!(pulled.pulled, 1);
    assert_eq!(desk.detail(&code).unwrap().dossier.status, Status::Resolved);
    // Applying it changed the dossier: that version goes up too, and the hub agrees.
    desk.sync(quick(), false).unwrap();
    assert_eq!(hub.dossiers(), desk_dossiers(&desk));
}

#[test]
fn the_audit_log_reaches_the_hub_once_and_an_older_restored_log_is_refused_not_the_dossiers() {
    use hoso_desk::{Desk, SystemClock};
    use hoso_model::account::{AuditFilter, NewAccount};

    let root = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let hub = Hub::start(&root.path().join("hub"), "127.0.0.1:0");
    let first = NewAccount {
        name: common::ADMIN.into(),
        full_name: "Quản trị thử".into(),
        role: hoso_model::Role::Admin,
        password: common::PASSWORD.into(),
    };
    let (desk, recovery) = Desk::set_up(&root.path().join("desk"), &first, SystemClock).unwrap();
    let recovery = recovery.display().to_string();
    let enrollment = desk
        .enroll(&hub.url, &hub.enrollment_code(), "may-1")
        .unwrap();
    let code = dossier_with_page(&desk, files.path(), 1, 40);
    let waiting = desk.sync_overview().unwrap().audit_waiting;
    assert!(
        waiting >= 3,
        "set-up, enrollment, intake and the page: {waiting}"
    );

    let sent = desk.sync(quick(), false).unwrap();
    assert_eq!(sent.audit, waiting);
    assert_eq!(desk.sync_overview().unwrap().audit_waiting, 0);
    let hub_log = |hub: &Hub| -> Vec<(u64, String, String)> {
        let out = hub.cli(&["audit", &enrollment.device_id, "--limit", "1000", "--json"]);
        let list: serde_json::Value = serde_json::from_str(&out).unwrap();
        list.as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["seq"].as_u64().unwrap(),
                    e["action"].as_str().unwrap().to_owned(),
                    e["object"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let mut local: Vec<(u64, String, String)> = desk
        .audit_log(&AuditFilter {
            limit: Some(10_000),
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .map(|e| (e.seq, e.action, e.object))
        .collect();
    local.sort();
    assert_eq!(hub_log(&hub), local);
    assert!(hub.cli(&["audit-verify"]).contains("intact"));
    assert_eq!(desk.sync(quick(), false).unwrap().audit, 0, "nothing twice");

    // A backup, then more work that reaches the hub.
    let folder = desk.backup(&root.path().join("usb")).unwrap();
    desk.transition(&code, EventKind::Transfer, None, None)
        .unwrap();
    desk.sync(quick(), false).unwrap();
    let held = hub_log(&hub);
    drop(desk);

    // The laptop is lost; the backup comes back on a new one and work goes on. Its log has
    // fewer entries than the hub holds: its next entries take numbers the hub has already.
    let restored = Desk::restore(
        &folder,
        &root.path().join("new-laptop"),
        &recovery,
        SystemClock,
    )
    .unwrap();
    dossier_with_page(&restored, files.path(), 2, 40);
    let status = restored.sync(quick(), false).unwrap();
    assert!(status.accepted >= 1, "the dossiers still go: {status:?}");
    assert_eq!(status.audit, 0);
    let overview = restored.sync_overview().unwrap();
    assert_eq!(overview.audit_problem.as_deref(), Some("audit_fork"));
    assert!(overview.audit_waiting > 0);
    assert_eq!(hub_log(&hub), held, "the hub's copy is kept as it was");
    assert!(hub.cli(&["audit-verify"]).contains("intact"));

    // Trying again is an administrator's act, and is refused again the same way.
    restored.retry_audit_sync().unwrap();
    assert_eq!(restored.sync_overview().unwrap().audit_problem, None);
    restored.sync(quick(), false).unwrap();
    assert_eq!(
        restored.sync_overview().unwrap().audit_problem.as_deref(),
        Some("audit_fork")
    );
}
