//! No dossier code is ever issued twice in a unit, even by a desk restored from an older backup:
//! a real desk (SQLite file) restored from its own backup and a real hub (the `hoso-hub` binary)
//! on loopback, with the hub reachable and with it down.

mod common;

use std::path::Path;

use common::hub::{Hub, UNIT, dossier_with_page};
use hoso_desk::{Desk, SystemClock};
use hoso_fakes::FaultyLink;
use hoso_model::NewDossier;
use hoso_model::account::NewAccount;
use hoso_model::unit::{RESTORED_FROM, code_position, sequence_number, split_code};
use hoso_sync::Config;

fn quick() -> Config {
    Config {
        probe_interval: std::time::Duration::from_millis(300),
        stall_timeout: std::time::Duration::from_secs(3),
        ..Config::default()
    }
}

/// A desk set up in `dir` and enrolled through `hub_url`; its recovery key.
fn set_up_enrolled(dir: &Path, hub: &Hub, hub_url: &str) -> (Desk, String) {
    let first = NewAccount {
        name: common::ADMIN.into(),
        full_name: "Quản trị thử".into(),
        role: hoso_model::Role::Admin,
        password: common::PASSWORD.into(),
    };
    let (desk, recovery) = Desk::set_up(dir, &first, SystemClock).unwrap();
    desk.enroll(hub_url, &hub.enrollment_code(), "may-1")
        .unwrap();
    (desk, recovery.display().to_string())
}

fn register(desk: &Desk, n: u32) -> String {
    desk.register(&NewDossier {
        procedure_code: "1.001193".into(),
        applicant_name: format!("Trần Thị Lan {n}"),
        ..Default::default()
    })
    .unwrap()
    .code
    .unwrap()
}

/// The count of `code` among its slot's codes of that day.
fn count_of(desk: &Desk, code: &str) -> u32 {
    let slot = desk.unit().unwrap().unwrap().device_slot;
    let (_, sequence) = split_code(UNIT, code).unwrap();
    code_position(slot, sequence).unwrap_or_else(|| panic!("{code} is not slot {slot}'s"))
}

/// Every dossier code the hub holds for the unit.
fn hub_codes(hub: &Hub) -> Vec<String> {
    let out = hub.cli(&["dossiers", "--unit", UNIT, "--json"]);
    let list: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut codes: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect();
    codes.sort();
    codes
}

#[test]
fn a_desk_restored_from_an_older_backup_numbers_on_from_what_the_hub_holds() {
    let root = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let hub = Hub::start(&root.path().join("hub"), "127.0.0.1:0");
    let (desk, recovery) = set_up_enrolled(&root.path().join("desk"), &hub, &hub.url);
    dossier_with_page(&desk, files.path(), 1, 40);
    let backup = desk.backup(&root.path().join("usb")).unwrap();
    dossier_with_page(&desk, files.path(), 2, 40);
    let third = dossier_with_page(&desk, files.path(), 3, 40);
    assert_eq!(count_of(&desk, &third), 3);
    desk.sync(quick(), false).unwrap();
    let slot = desk.unit().unwrap().unwrap().device_slot;
    drop(desk);

    // The laptop's folder comes back from the backup taken after the first dossier.
    let restored =
        Desk::restore(&backup, &root.path().join("desk-2"), &recovery, SystemClock).unwrap();
    assert!(restored.restored_unreconciled().unwrap());
    assert!(restored.sync_overview().unwrap().restored_unreconciled);
    let status = restored.sync(quick(), false).unwrap();
    assert!(
        restored.sync_overview().unwrap().quarantined.is_empty(),
        "{status:?}"
    );
    assert!(
        !restored.restored_unreconciled().unwrap(),
        "the hub's floors reconcile the desk"
    );

    let next = register(&restored, 4);
    assert_eq!(
        count_of(&restored, &next),
        4,
        "{next}: the hub holds numbers 1 to 3 of slot {slot} today, not only the backup's 1"
    );
    assert_eq!(split_code(UNIT, &next).unwrap().1, sequence_number(slot, 4));
    assert!(!hub_codes(&hub).contains(&next));
}

#[test]
fn a_restored_desk_that_cannot_reach_the_hub_numbers_from_a_range_its_lost_self_never_reached() {
    let root = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let hub_data = root.path().join("hub");
    let mut hub = Hub::start(&hub_data, "127.0.0.1:0");
    let link = FaultyLink::start(hub.addr());
    let (desk, recovery) = set_up_enrolled(&root.path().join("desk"), &hub, &link.url());
    dossier_with_page(&desk, files.path(), 1, 40);
    let backup = desk.backup(&root.path().join("usb")).unwrap();
    for n in 2..=3 {
        dossier_with_page(&desk, files.path(), n, 40);
    }
    desk.sync(quick(), false).unwrap();
    drop(desk);
    let held = hub_codes(&hub);
    assert_eq!(held.len(), 3);

    // Restored while the hub is down: intake goes on, from the reserved range.
    hub.stop();
    let restored =
        Desk::restore(&backup, &root.path().join("desk-2"), &recovery, SystemClock).unwrap();
    let offline: Vec<String> = (0..3)
        .map(|n| dossier_with_page(&restored, files.path(), 10 + n, 40))
        .collect();
    for (i, code) in offline.iter().enumerate() {
        assert!(!held.contains(code), "{code} is held by the hub already");
        assert_eq!(
            count_of(&restored, code),
            RESTORED_FROM + i as u32,
            "{code}"
        );
    }
    assert!(restored.restored_unreconciled().unwrap(), "still not heard");

    // The hub is back: everything is taken, nothing conflicts, every code is there once.
    let hub = Hub::start(&hub_data, "127.0.0.1:0");
    link.set_upstream(hub.addr());
    let status = restored.sync(quick(), false).unwrap();
    let overview = restored.sync_overview().unwrap();
    assert!(overview.quarantined.is_empty(), "{status:?}");
    assert_eq!(overview.waiting_dossiers, 0);
    assert!(!overview.restored_unreconciled);
    let mut expected: Vec<String> = held.iter().chain(&offline).cloned().collect();
    expected.sort();
    assert_eq!(hub_codes(&hub), expected, "each code once, none lost");

    // Reconciled, it numbers on after its own reserved codes, still clear of the hub's.
    let next = register(&restored, 20);
    assert_eq!(count_of(&restored, &next), RESTORED_FROM + 3);
    assert!(!expected.contains(&next));
}
