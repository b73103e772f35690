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
