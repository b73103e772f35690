//! A real desk and a real hub (the `hoso-hub` binary) restored from its own backup: the restored
//! hub shows a new generation, so the desk offers every dossier and file again and pulls from
//! the start, and the hub ends with everything once, the changes it numbers anew included.

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

fn backs(desk: &hoso_desk::Desk, code: &str) -> usize {
    let detail = desk.detail(code).unwrap();
    detail
        .events
        .iter()
        .filter(|e| e.kind == EventKind::Back)
        .count()
}

#[test]
fn after_a_hub_restore_the_desk_sends_everything_again_and_pulls_from_the_start_in_sync() {
    let root = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let backup = root.path().join("backup");
    let mut hub = Hub::start(&root.path().join("hub"), "127.0.0.1:0");
    let desk = enrolled_desk(&root.path().join("desk"), &hub, &hub.url);

    // Three dossiers; two handed on, one of them back from upstream (the hub's change 1).
    let codes: Vec<String> = (0..3)
        .map(|n| dossier_with_page(&desk, files.path(), n, 60))
        .collect();
    for code in &codes[..2] {
        desk.transition(code, EventKind::Transfer, None, None)
            .unwrap();
    }
    desk.sync(quick(), false).unwrap();
    hub.cli(&["event", &codes[0], "--kind", "back"]);
    assert_eq!(desk.sync(quick(), false).unwrap().pulled, 1);
    desk.sync(quick(), false).unwrap();
    assert_eq!(hub.dossiers(), desk_dossiers(&desk));
    hub.cli(&["backup", "--to", backup.to_str().unwrap()]);

    // Two more after the backup, and the hub's change 2: all lost with the restore.
    for n in 3..5 {
        dossier_with_page(&desk, files.path(), n, 60);
    }
    desk.sync(quick(), false).unwrap();
    assert_eq!(hub.dossiers().len(), 5);
    hub.cli(&["event", &codes[1], "--kind", "back"]);
    assert_eq!(desk.sync(quick(), false).unwrap().pulled, 1);

    let addr = hub.addr().to_string();
    hub.stop();
    hub.cli(&["restore", "--from", backup.to_str().unwrap(), "--force"]);
    let hub = Hub::start(&root.path().join("hub"), &addr);
    assert_eq!(
        hub.dossiers().len(),
        3,
        "the hub is as it was at the backup"
    );
    // The restored hub numbers its next change 2 again: a desk that kept its cursor would miss it.
    desk.transition(&codes[2], EventKind::Transfer, None, None)
        .unwrap();
    let resent = desk.sync(quick(), false).unwrap();
    // The changed one may go first, before the hub's answer shows its new generation.
    assert!(
        resent.accepted >= 5,
        "every dossier offered again: {resent:?}"
    );
    assert_eq!(hub.dossiers().len(), 5);
    hub.cli(&["event", &codes[2], "--kind", "back"]);
    let after = desk.sync(quick(), false).unwrap();
    assert_eq!(after.pulled, 1, "the change numbered 2 again: {after:?}");
    assert_eq!(
        desk.detail(&codes[2]).unwrap().dossier.status,
        Status::Resolved
    );
    assert_eq!(
        backs(&desk, &codes[0]),
        1,
        "a change pulled again is not applied twice"
    );
    assert_eq!(backs(&desk, &codes[1]), 1);
    // The version the pulled change made goes up.
    desk.sync(quick(), false).unwrap();
    let held = hub.dossiers();
    assert_eq!(held.len(), 5, "every dossier once: {held:?}");
    assert_eq!(held, desk_dossiers(&desk));
    assert_hub_holds_every_file(&desk, &hub.url);

    let next = desk.sync(quick(), false).unwrap();
    assert_eq!(
        (next.accepted, next.files, next.pulled),
        (0, 0, 0),
        "nothing twice"
    );
}
