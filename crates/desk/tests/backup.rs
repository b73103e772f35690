//! Backup, restore and wipe on real folders: a backup holds nothing readable, restores on a new
//! machine with the recovery key (accounts, dossiers and pages come back), and every bad case —
//! a wrong key, a damaged or cut backup, another desk's backup, a desk already there — is
//! refused with nothing written.

mod common;

use std::path::{Path, PathBuf};

use common::{ADMIN, PASSWORD};
use hoso_desk::{Desk, Error, FixedClock};
use hoso_model::account::NewAccount;
use hoso_model::page::Target;
use hoso_model::{ApiError, NewDossier, Problem, Role};

const NAME: &str = "Hoàng Thị Quỳnh Như";
const ID_NUMBER: &str = "001099012345";

fn clock() -> FixedClock {
    FixedClock("2026-03-05T02:00:00Z".parse().unwrap())
}

/// A desk set up in `dir`, with its recovery key, one dossier and one scanned page.
fn desk_with_a_dossier(dir: &Path) -> (Desk, String, String) {
    let first = NewAccount {
        name: ADMIN.into(),
        full_name: "Quản trị".into(),
        role: Role::Admin,
        password: PASSWORD.into(),
    };
    let (desk, recovery) = Desk::set_up(dir, &first, clock()).unwrap();
    let dossier = desk
        .register(&NewDossier {
            procedure_code: "1.001193".into(),
            applicant_name: NAME.into(),
            id_number: ID_NUMBER.into(),
            ..Default::default()
        })
        .unwrap();
    let scan = dir.parent().unwrap().join(format!(
        "scan-{}.jpg",
        dir.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&scan, common::hub::noisy_jpeg(5, 60)).unwrap();
    desk.attach(
        &dossier.id.0,
        &Target::Component { n: 1 },
        std::slice::from_ref(&scan),
    )
    .unwrap();
    std::fs::remove_file(scan).unwrap();
    (desk, dossier.id.0, recovery.display().to_string())
}

fn problem(err: &Error) -> Option<Problem> {
    ApiError::from(err).problem
}

#[test]
fn a_backup_holds_nothing_readable_and_restores_on_a_new_machine_with_the_recovery_key() {
    let root = tempfile::tempdir().unwrap();
    let (data, stick, new_machine) = (
        root.path().join("desk"),
        root.path().join("usb"),
        root.path().join("new"),
    );
    std::fs::create_dir_all(&stick).unwrap();
    let (desk, id, recovery) = desk_with_a_dossier(&data);
    let folder = desk.backup(&stick).unwrap();
    assert!(folder.starts_with(&stick));
    assert_eq!(
        std::fs::read_dir(&stick).unwrap().count(),
        1,
        "no partial folder is left beside the backup"
    );
    let files = common::files_under(&folder);
    assert!(
        files.len() >= 4,
        "database, key file, manifest, a kept file"
    );
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        for needle in [
            NAME.as_bytes(),
            ID_NUMBER.as_bytes(),
            b"JFIF",
            b"SQLite format 3",
            PASSWORD.as_bytes(),
        ] {
            assert!(
                !common::contains(&bytes, needle),
                "{} holds {:?}",
                path.display(),
                String::from_utf8_lossy(needle)
            );
        }
    }
    drop(desk);

    // A wrong recovery key: refused, nothing written on the new machine.
    let wrong = hoso_vault::RecoveryKey::generate().display().to_string();
    let err = Desk::restore(&folder, &new_machine, &wrong, clock()).unwrap_err();
    assert_eq!(problem(&err), Some(Problem::WrongRecoveryKey), "{err}");
    assert!(!new_machine.exists() || common::files_under(&new_machine).is_empty());

    let restored = Desk::restore(&folder, &new_machine, &recovery, clock()).unwrap();
    assert_eq!(restored.detail(&id).unwrap().dossier.applicant_name, NAME);
    assert_eq!(restored.digitisation(&id).unwrap().pages.len(), 1);
    let page = &restored.digitisation(&id).unwrap().pages[0];
    assert!(
        restored.page_file(&page.id).is_ok(),
        "the kept file decrypts on the new machine"
    );
    drop(restored);
    // The accounts came back with their passwords.
    let (again, _) = Desk::sign_in(&new_machine, ADMIN, PASSWORD, clock()).unwrap();
    assert_eq!(again.dossier_count().unwrap(), 1);
    let restores = again
        .audit_log(&hoso_model::account::AuditFilter {
            action: Some("restore".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(restores.len(), 1, "the restore is in the audit log");
}

#[test]
fn a_damaged_backup_another_desks_and_a_desk_already_there_are_refused_untouched() {
    let root = tempfile::tempdir().unwrap();
    let stick = root.path().join("usb");
    std::fs::create_dir_all(&stick).unwrap();
    let (desk, _, recovery) = desk_with_a_dossier(&root.path().join("desk"));
    let folder = desk.backup(&stick).unwrap();

    // Another desk set up here: its own data stays as it is.
    let (other, other_id, _) = desk_with_a_dossier(&root.path().join("other"));
    drop(other);
    let before: Vec<(PathBuf, Vec<u8>)> = common::files_under(&root.path().join("other"))
        .into_iter()
        .map(|p| (p.clone(), std::fs::read(p).unwrap()))
        .collect();
    let err = Desk::restore(&folder, &root.path().join("other"), &recovery, clock()).unwrap_err();
    assert_eq!(problem(&err), Some(Problem::OtherDesk), "{err}");
    for (path, bytes) in &before {
        assert_eq!(&std::fs::read(path).unwrap(), bytes, "{}", path.display());
    }
    let (other, _) = Desk::sign_in(&root.path().join("other"), ADMIN, PASSWORD, clock()).unwrap();
    assert!(other.detail(&other_id).is_ok());

    // Over the desk it came from: refused too (wipe first).
    let err = Desk::restore(&folder, &root.path().join("desk"), &recovery, clock()).unwrap_err();
    assert_eq!(problem(&err), Some(Problem::AlreadySetUp), "{err}");

    // A kept file flipped on the stick: the whole backup is refused before anything is written.
    let blob = common::files_under(&folder.join("blobs")).pop().unwrap();
    let mut bytes = std::fs::read(&blob).unwrap();
    bytes[40] ^= 0x55;
    std::fs::write(&blob, bytes).unwrap();
    let target = root.path().join("new");
    let err = Desk::restore(&folder, &target, &recovery, clock()).unwrap_err();
    assert!(matches!(err, Error::Backup(_)), "{err}");
    assert!(!target.exists(), "nothing was written");

    // A backup cut short (no manifest) is no backup.
    std::fs::remove_file(folder.join("manifest.json")).unwrap();
    let err = Desk::restore(&folder, &target, &recovery, clock()).unwrap_err();
    assert!(matches!(err, Error::Backup(_)), "{err}");
    drop(desk);
}

#[test]
fn only_an_administrator_backs_up_or_wipes_and_a_wipe_leaves_nothing_to_open() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("desk");
    let (desk, _, _) = desk_with_a_dossier(&data);
    desk.add_account(&NewAccount {
        name: "lan".into(),
        full_name: "Lan".into(),
        role: Role::Supervisor,
        password: PASSWORD.into(),
    })
    .unwrap();
    desk.switch_user("lan", PASSWORD).unwrap();
    assert!(matches!(
        desk.backup(root.path()),
        Err(Error::Forbidden { .. })
    ));
    assert!(matches!(desk.clone().wipe(), Err(Error::Forbidden { .. })));
    assert!(Desk::is_set_up(&data), "a refused wipe destroys nothing");
    desk.switch_user(ADMIN, PASSWORD).unwrap();
    desk.wipe().unwrap();
    assert!(!Desk::is_set_up(&data));
    assert!(
        common::files_under(&data).is_empty(),
        "no key file, database or kept file stays: {:?}",
        common::files_under(&data)
    );
    assert!(matches!(
        Desk::sign_in(&data, ADMIN, PASSWORD, clock()),
        Err(Error::NotSetUp)
    ));
}

#[test]
fn the_command_line_backs_up_restores_and_wipes() {
    let root = tempfile::tempdir().unwrap();
    let (data, stick, new_machine) = (
        root.path().join("desk"),
        root.path().join("usb"),
        root.path().join("new"),
    );
    std::fs::create_dir_all(&stick).unwrap();
    let (desk, id, recovery) = desk_with_a_dossier(&data);
    drop(desk);
    let out = common::hoso_command(&data)
        .args(["backup", "--to", stick.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let folder: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let folder = folder["backup"].as_str().unwrap().to_owned();
    let out = common::hoso_command(&new_machine)
        .env("HOSO_RECOVERY_KEY", &recovery)
        .args(["restore", "--from", &folder])
        .output()
        .unwrap();
    // hoso_command sets a desk up when there is none: restore refuses to land on it.
    assert!(
        !out.status.success(),
        "a restore never lands on a set-up desk"
    );
    let fresh = root.path().join("fresh");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hoso"))
        .env("HOSO_RECOVERY_KEY", &recovery)
        .args([
            "--data-dir",
            fresh.to_str().unwrap(),
            "restore",
            "--from",
            &folder,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = common::hoso_command(&fresh)
        .args(["show", &id, "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = common::hoso_command(&fresh)
        .args(["wipe"])
        .output()
        .unwrap();
    assert!(!out.status.success(), "a wipe needs --yes");
    assert!(Desk::is_set_up(&fresh));
    let out = common::hoso_command(&fresh)
        .args(["wipe", "--yes"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!Desk::is_set_up(&fresh));
}

#[test]
fn a_purge_removes_only_finished_dossiers_the_hub_holds_and_past_the_retention_period() {
    use hoso_model::lifecycle::EventKind;
    use hoso_sync::local::Local;
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("desk");
    let (desk, old_open, _) = desk_with_a_dossier(&data);
    let form = |name: &str| NewDossier {
        procedure_code: "1.001193".into(),
        applicant_name: name.into(),
        ..Default::default()
    };
    let at = |s: &str| s.parse::<jiff::Timestamp>().unwrap();
    // Received two years before the clock: finished and synced; finished, not synced.
    let gone = desk
        .register_at(&form("Lê Văn Cũ"), at("2024-02-01T02:00:00Z"))
        .unwrap();
    let kept_unsynced = desk
        .register_at(&form("Lê Văn Chưa Gửi"), at("2024-02-01T03:00:00Z"))
        .unwrap();
    let scan = root.path().join("old.jpg");
    std::fs::write(&scan, common::hub::noisy_jpeg(9, 60)).unwrap();
    desk.attach(&gone.id.0, &Target::Component { n: 1 }, &[scan])
        .unwrap();
    for d in [&gone, &kept_unsynced] {
        desk.transition(
            &d.id.0,
            EventKind::Resolve,
            Some(at("2024-02-02T02:00:00Z")),
            None,
        )
        .unwrap();
        desk.transition(
            &d.id.0,
            EventKind::Return,
            Some(at("2024-02-03T02:00:00Z")),
            None,
        )
        .unwrap();
    }
    let local = desk.sync_local();
    local
        .acknowledge(&gone.id, desk.sync_version(&gone.id).unwrap())
        .unwrap();
    let blobs_before = common::files_under(&data.join("blobs")).len();
    assert_eq!(
        desk.purge(Some(365), true).unwrap().dossiers,
        1,
        "a dry run counts"
    );
    assert_eq!(desk.dossier_count().unwrap(), 3, "and removes nothing");

    let purged = desk.purge(Some(365), false).unwrap();
    assert_eq!((purged.dossiers, purged.files), (1, 1));
    assert_eq!(desk.dossier_count().unwrap(), 2);
    assert!(desk.detail(&gone.id.0).is_err());
    assert!(
        desk.detail(&kept_unsynced.id.0).is_ok(),
        "the hub lacks it: kept"
    );
    assert!(desk.detail(&old_open).is_ok(), "recent and open: kept");
    assert_eq!(
        common::files_under(&data.join("blobs")).len(),
        blobs_before - 1
    );
    assert!(
        desk.search("Cũ").unwrap().is_empty(),
        "gone from search too"
    );
    assert!(desk.verify_audit().unwrap().intact());
    // The event log stays append-only for everything else.
    assert_eq!(desk.purge(Some(365), false).unwrap().dossiers, 0);
}
