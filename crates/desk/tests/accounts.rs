//! Accounts, roles, encryption at rest and the audit log, on real files: the desk's use cases
//! called directly (the layer below the window and the command line).

mod common;

use common::{ADMIN, PASSWORD, hoso_command, open_desk};
use hoso_desk::{Desk, Error, FixedClock};
use hoso_model::account::{AuditFilter, NewAccount};
use hoso_model::page::Target;
use hoso_model::{ApiError, ErrorCode, NewDossier, Problem, Role};

fn clock() -> FixedClock {
    FixedClock("2026-03-05T02:00:00Z".parse().unwrap())
}

const NAME: &str = "Hoàng Thị Quỳnh Như";
const ID_NUMBER: &str = "001099012345";

fn register(desk: &Desk) -> String {
    let dossier = desk
        .register(&NewDossier {
            procedure_code: "1.001193".into(),
            applicant_name: NAME.into(),
            id_number: ID_NUMBER.into(),
            phone: "0912345678".into(),
            ..Default::default()
        })
        .unwrap();
    dossier.id.0
}

fn officer(desk: &Desk, name: &str, role: Role) {
    desk.add_account(&NewAccount {
        name: name.into(),
        full_name: format!("Cán bộ {name}"),
        role,
        password: format!("mật khẩu của {name}"),
    })
    .unwrap();
}

fn api(err: &Error) -> ApiError {
    ApiError::from(err)
}

#[test]
fn nothing_a_citizen_gave_can_be_read_from_the_disk() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    // The command line registers and attaches with its temporary folder here, searched too.
    let temp = tempfile::tempdir().unwrap();
    let scan = files.path().join("trang-1.jpg");
    std::fs::write(&scan, common::hub::noisy_jpeg(7, 120)).unwrap();
    let out = hoso_command(data.path())
        .env("TMPDIR", temp.path())
        .args([
            "--json",
            "intake",
            "--procedure",
            "1.001193",
            "--applicant",
            NAME,
        ])
        .args(["--id-number", ID_NUMBER, "--phone", "0912345678"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let first: hoso_model::Dossier = serde_json::from_slice(&out.stdout).unwrap();
    let out = hoso_command(data.path())
        .env("TMPDIR", temp.path())
        .args(["attach", &first.id.0, "--component", "1"])
        .arg(&scan)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Then the desk in this process, left open: the WAL holds its writes.
    let (desk, _) = open_desk(data.path(), clock()).unwrap();
    let id = register(&desk);
    let second = files.path().join("trang-2.jpg");
    std::fs::write(&second, common::hub::noisy_jpeg(8, 90)).unwrap();
    desk.attach(
        &id,
        &Target::Component { n: 2 },
        std::slice::from_ref(&second),
    )
    .unwrap();
    // The desk is still open: the WAL holds the latest writes.
    // The scans' own first bytes (a bare JPEG marker, three bytes, turns up in a megabyte of
    // ciphertext by chance one time in sixteen).
    let heads: Vec<Vec<u8>> = [&scan, &second]
        .iter()
        .map(|p| std::fs::read(p).unwrap()[..64].to_vec())
        .collect();
    let mut searched = 0;
    for path in common::files_under(data.path())
        .into_iter()
        .chain(common::files_under(temp.path()))
    {
        let bytes = std::fs::read(&path).unwrap();
        for needle in [
            NAME.as_bytes(),
            "Quỳnh".as_bytes(),
            ID_NUMBER.as_bytes(),
            b"0912345678",
            heads[0].as_slice(),
            heads[1].as_slice(),
            b"%PDF-1.",
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
        searched += 1;
    }
    assert!(
        searched >= 4,
        "the database, its WAL, the key file and the kept files were searched"
    );
    assert!(
        common::files_under(data.path())
            .iter()
            .any(|p| p.to_string_lossy().ends_with("-wal")),
        "the WAL was searched"
    );
    // And it all reads back through the desk.
    assert_eq!(desk.detail(&id).unwrap().dossier.applicant_name, NAME);
    assert_eq!(desk.digitisation(&first.id.0).unwrap().pages.len(), 1);
    assert_eq!(desk.digitisation(&id).unwrap().pages.len(), 1);
}

#[test]
fn any_account_opens_the_desk_and_wrong_or_damaged_keys_are_told_apart() {
    let data = tempfile::tempdir().unwrap();
    let (desk, _) = open_desk(data.path(), clock()).unwrap();
    let id = register(&desk);
    officer(&desk, "lan", Role::Officer);
    drop(desk);

    let (lan, _) = Desk::sign_in(data.path(), "lan", "mật khẩu của lan", clock()).unwrap();
    assert_eq!(lan.detail(&id).unwrap().dossier.applicant_name, NAME);
    assert_eq!(lan.current_user().unwrap().role, Role::Officer);
    drop(lan);

    for (name, password) in [("lan", "sai mật khẩu"), ("khong-co", "bất kỳ mật khẩu")] {
        let err = Desk::sign_in(data.path(), name, password, clock()).unwrap_err();
        let api = api(&err);
        assert_eq!(api.problem, Some(Problem::WrongPassword), "{name}");
        assert!(!api.message.contains(name), "no name in the message");
    }

    // Damage lan's key slot on disk: lan is told to use the recovery key, the admin still
    // signs in, and nothing is lost.
    let keys = data.path().join("keys.json");
    let mut file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&keys).unwrap()).unwrap();
    let slot = file["slots"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|s| s["name"] == "lan")
        .unwrap();
    let salt = slot["kdf"]["salt"].as_str().unwrap().to_owned();
    slot["kdf"]["salt"] = format!(
        "{}{}",
        &salt[..salt.len() - 1],
        if salt.ends_with('0') { '1' } else { '0' }
    )
    .into();
    std::fs::write(&keys, serde_json::to_vec_pretty(&file).unwrap()).unwrap();
    let err = Desk::sign_in(data.path(), "lan", "mật khẩu của lan", clock()).unwrap_err();
    assert_eq!(api(&err).problem, Some(Problem::DamagedKeySlot));
    let (admin, _) = Desk::sign_in(data.path(), ADMIN, PASSWORD, clock()).unwrap();
    assert_eq!(admin.detail(&id).unwrap().dossier.id.0, id);
    // The administrator gives lan a new password: a fresh slot.
    admin.reset_password("lan", "mật khẩu mới của lan").unwrap();
    drop(admin);
    assert!(Desk::sign_in(data.path(), "lan", "mật khẩu mới của lan", clock()).is_ok());
}

#[test]
fn the_recovery_key_opens_the_desk_when_every_password_is_lost() {
    let data = tempfile::tempdir().unwrap();
    let first = NewAccount {
        name: "quantri".into(),
        full_name: "Quản trị".into(),
        role: Role::Admin,
        password: "mật khẩu sẽ quên".into(),
    };
    let (desk, recovery) = Desk::set_up(data.path(), &first, clock()).unwrap();
    let id = register(&desk);
    drop(desk);
    let printed = recovery.display().to_string();

    let wrong = hoso_vault::RecoveryKey::generate().display().to_string();
    let err = Desk::recover(data.path(), &wrong, clock()).unwrap_err();
    assert_eq!(api(&err).problem, Some(Problem::WrongRecoveryKey));
    let err = Desk::recover(data.path(), "ABCD-EFGH", clock()).unwrap_err();
    assert_eq!(api(&err).code, ErrorCode::Validation);

    let (desk, _) = Desk::recover(data.path(), &printed.to_lowercase(), clock()).unwrap();
    desk.reset_password("quantri", "mật khẩu mới nhớ").unwrap();
    drop(desk);
    let (desk, _) = Desk::sign_in(data.path(), "quantri", "mật khẩu mới nhớ", clock()).unwrap();
    assert_eq!(desk.detail(&id).unwrap().dossier.applicant_name, NAME);
    let recovered = desk
        .audit_log(&AuditFilter {
            action: Some("recover".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(recovered.len(), 1);
}

#[test]
fn roles_are_enforced_below_the_user_interface() {
    let data = tempfile::tempdir().unwrap();
    let (admin, _) = open_desk(data.path(), clock()).unwrap();
    let id = register(&admin);
    officer(&admin, "lan", Role::Officer);
    officer(&admin, "hung", Role::Supervisor);
    drop(admin);

    let forbidden = |result: Result<(), Error>| match result {
        Err(err) => assert_eq!(api(&err).code, ErrorCode::Forbidden, "{err}"),
        Ok(()) => panic!("allowed"),
    };
    let (lan, _) = Desk::sign_in(data.path(), "lan", "mật khẩu của lan", clock()).unwrap();
    // An officer works dossiers…
    lan.transition(&id, hoso_model::lifecycle::EventKind::Transfer, None, None)
        .unwrap();
    // …but exports, reads the audit log, manages accounts or the unit: no.
    forbidden(lan.export(&id, None).map(|_| ()));
    forbidden(
        lan.tracking_book("2026-03-01".parse().unwrap(), "2026-03-31".parse().unwrap())
            .map(|_| ()),
    );
    forbidden(lan.audit_log(&AuditFilter::default()).map(|_| ()));
    forbidden(lan.verify_audit().map(|_| ()));
    forbidden(lan.accounts().map(|_| ()));
    forbidden(
        lan.add_account(&NewAccount {
            name: "x".repeat(3),
            full_name: "X".into(),
            role: Role::Admin,
            password: "mật khẩu dài đủ".into(),
        })
        .map(|_| ()),
    );
    forbidden(lan.set_role("lan", Role::Admin).map(|_| ()));
    forbidden(
        lan.reset_password("admin", "chiếm quyền quản trị")
            .map(|_| ()),
    );
    forbidden(lan.import_catalogue("{}").map(|_| ()));
    forbidden(lan.new_recovery_key().map(|_| ()));
    // Locked: nothing at all until someone signs in.
    lan.lock().unwrap();
    let err = lan.dossiers().unwrap_err();
    assert_eq!(api(&err).code, ErrorCode::SignIn);
    // A supervisor at the same desk: exports and reads the log, but no accounts.
    let hung = lan.switch_user("hung", "mật khẩu của hung").unwrap();
    assert_eq!(hung.role, Role::Supervisor);
    assert!(lan.audit_log(&AuditFilter::default()).is_ok());
    forbidden(lan.accounts().map(|_| ()));
    // A wrong password at the switch leaves the desk locked.
    assert!(lan.switch_user("hung", "sai").is_err());
    assert_eq!(api(&lan.dossiers().unwrap_err()).code, ErrorCode::SignIn);

    // The same on the command line.
    let out = hoso_command(data.path())
        .env("HOSO_USER", "lan")
        .env("HOSO_PASSWORD", "mật khẩu của lan")
        .args(["--json", "user", "list"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err: ApiError = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err.code, ErrorCode::Forbidden);
}

#[test]
fn disabling_an_account_stops_its_password_and_the_last_admin_stays() {
    let data = tempfile::tempdir().unwrap();
    let (admin, _) = open_desk(data.path(), clock()).unwrap();
    officer(&admin, "lan", Role::Officer);
    let err = admin.disable_account(ADMIN).unwrap_err();
    assert_eq!(api(&err).problem, Some(Problem::LastAdmin));
    let err = admin.set_role(ADMIN, Role::Officer).unwrap_err();
    assert_eq!(api(&err).problem, Some(Problem::LastAdmin));
    admin.disable_account("lan").unwrap();
    let err = Desk::sign_in(data.path(), "lan", "mật khẩu của lan", clock()).unwrap_err();
    assert_eq!(api(&err).problem, Some(Problem::WrongPassword));
    let keys = std::fs::read_to_string(data.path().join("keys.json")).unwrap();
    assert!(
        !keys.contains("\"lan\""),
        "the slot is gone, not only flagged"
    );
    assert!(
        admin
            .accounts()
            .unwrap()
            .iter()
            .any(|a| a.name == "lan" && a.disabled)
    );
    admin.reset_password("lan", "mật khẩu lần hai").unwrap();
    drop(admin);
    assert!(Desk::sign_in(data.path(), "lan", "mật khẩu lần hai", clock()).is_ok());
}

#[test]
fn every_act_is_in_the_audit_log_with_who_did_it_and_tampering_is_named() {
    let data = tempfile::tempdir().unwrap();
    let (admin, _) = open_desk(data.path(), clock()).unwrap();
    officer(&admin, "lan", Role::Officer);
    drop(admin);
    let (lan, _) = Desk::sign_in(data.path(), "lan", "mật khẩu của lan", clock()).unwrap();
    let id = register(&lan);
    lan.detail(&id).unwrap();
    lan.search(ID_NUMBER).unwrap();
    let detail = lan.detail(&id).unwrap();
    assert_eq!(
        detail.events[0].actor.as_deref(),
        Some("lan"),
        "the receipt names its officer"
    );
    drop(lan);

    let (admin, _) = open_desk(data.path(), clock()).unwrap();
    let lan_did: Vec<String> = admin
        .audit_log(&AuditFilter {
            actor: Some("lan".into()),
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .rev()
        .map(|e| e.action)
        .collect();
    assert_eq!(lan_did, ["sign-in", "change", "view", "search", "view"]);
    let everything = admin.audit_log(&AuditFilter::default()).unwrap();
    for entry in &everything {
        assert!(
            !entry.detail.contains(ID_NUMBER) && !entry.detail.contains("Quỳnh"),
            "no personal data in the log: {entry:?}"
        );
    }
    assert!(admin.verify_audit().unwrap().intact());
    drop(admin);

    // Someone with the database key edits entry 4 behind the desk's back.
    let key = {
        let ring = hoso_vault::Keyring::load(data.path()).unwrap();
        ring.unlock(ADMIN, PASSWORD).unwrap().database_pragma()
    };
    let conn = rusqlite::Connection::open(data.path().join("hoso.db")).unwrap();
    conn.execute_batch(&format!("PRAGMA key = \"{}\";", key.as_str()))
        .unwrap();
    conn.execute_batch(
        "DROP TRIGGER audit_log_is_append_only_update;
         UPDATE audit_log SET actor = 'admin' WHERE seq = 4;",
    )
    .unwrap();
    drop(conn);

    let out = hoso_command(data.path())
        .args(["audit", "verify"])
        .output()
        .unwrap();
    assert!(!out.status.success(), "a broken chain fails the command");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("broken at entry 4"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn the_command_line_sets_up_signs_in_and_manages_accounts() {
    let data = tempfile::tempdir().unwrap();
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_hoso"));
        command
            .env_remove("HOSO_DATA_DIR")
            .env_remove("HOSO_USER")
            .env_remove("HOSO_PASSWORD")
            .env("HOSO_LANG", "en")
            .arg("--data-dir")
            .arg(data.path())
            .args(args)
            .stdin(std::process::Stdio::null());
        for (k, v) in env {
            command.env(k, v);
        }
        command.output().unwrap()
    };
    // Nothing works before set-up but the calendar.
    let out = run(&["list"], &[("HOSO_USER", "x"), ("HOSO_PASSWORD", "y")]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not set up"));
    let out = run(
        &[
            "calendar",
            "due",
            "--procedure",
            "1.001193",
            "--received-at",
            "2026-02-13T16:10:00+07:00",
        ],
        &[],
    );
    assert!(out.status.success());

    let out = run(
        &[
            "init",
            "--admin",
            "quantri",
            "--unit-code",
            "H25.123",
            "--unit-name",
            "Xã Thạch Hà",
        ],
        &[("HOSO_PASSWORD", "mật khẩu quản trị")],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let key_line = stderr
        .lines()
        .map(str::trim)
        .find(|l| l.split('-').count() == 13)
        .expect("the recovery key is printed once");
    assert!(hoso_vault::RecoveryKey::parse(key_line).is_ok());

    let admin = [
        ("HOSO_USER", "quantri"),
        ("HOSO_PASSWORD", "mật khẩu quản trị"),
    ];
    let out = run(
        &[
            "user",
            "add",
            "lan",
            "--role",
            "officer",
            "--full-name",
            "Nguyễn Thị Lan",
        ],
        &[
            admin[0],
            admin[1],
            ("HOSO_NEW_PASSWORD", "mật khẩu của lan"),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&["--json", "user", "list"], &admin);
    let accounts: Vec<hoso_model::Account> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        accounts
            .iter()
            .map(|a| (a.name.as_str(), a.role))
            .collect::<Vec<_>>(),
        [("quantri", Role::Admin), ("lan", Role::Officer)]
    );
    // No password and no terminal: refused, asking to sign in.
    let out = run(&["--json", "list"], &[("HOSO_USER", "lan")]);
    let err: ApiError = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err.code, ErrorCode::SignIn);
    let out = run(
        &["--json", "list"],
        &[("HOSO_USER", "lan"), ("HOSO_PASSWORD", "sai")],
    );
    let err: ApiError = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err.problem, Some(Problem::WrongPassword));
    let out = run(&["user", "disable", "lan"], &admin);
    assert!(out.status.success());
    let out = run(
        &["list"],
        &[("HOSO_USER", "lan"), ("HOSO_PASSWORD", "mật khẩu của lan")],
    );
    assert!(!out.status.success());
    let out = run(&["--json", "audit", "--actor", "quantri"], &admin);
    let entries: Vec<hoso_model::account::AuditEntry> =
        serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e.action == "account" && e.object == "lan")
    );
    let out = run(&["audit", "verify"], &admin);
    assert!(out.status.success());
}

#[test]
fn data_an_older_unencrypted_desk_left_is_encrypted_at_set_up_and_nothing_is_lost() {
    let data = tempfile::tempdir().unwrap();
    // An older desk: a plaintext store and a plaintext kept file named by its hash.
    let jpeg = common::hub::noisy_jpeg(3, 40);
    let hash = hoso_desk::hash_of(&jpeg);
    {
        let opened = hoso_store::Store::open_in(data.path()).unwrap();
        opened
            .store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO dossier (id, procedure_code, applicant_name, received_at_ms)
                     VALUES ('d1', '1.001193', ?1, 1772676000000)",
                    [NAME],
                )?;
                tx.execute(
                    "INSERT INTO dossier_event (dossier_id, seq, kind, at_ms) VALUES ('d1', 1, 'receive', 1772676000000)",
                    [],
                )?;
                Ok::<_, hoso_store::Error>(())
            })
            .unwrap();
        let folder = data.path().join("blobs").join(&hash[..2]);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join(&hash), &jpeg).unwrap();
    }
    let (desk, _) = open_desk(data.path(), clock()).unwrap();
    assert_eq!(desk.detail("d1").unwrap().dossier.applicant_name, NAME);
    for path in common::files_under(data.path()) {
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            !common::contains(&bytes, NAME.as_bytes()),
            "{}",
            path.display()
        );
        assert!(
            !common::contains(&bytes, b"\xff\xd8\xff"),
            "{}",
            path.display()
        );
    }
    drop(desk);
    // The kept file reads back through the desk, sealed now.
    let ring = hoso_vault::Keyring::load(data.path()).unwrap();
    let key = ring.unlock(ADMIN, PASSWORD).unwrap();
    let name = key.file_name(&hash);
    let sealed = data.path().join("blobs").join(&name[..2]).join(&name);
    let plain = key
        .file_key()
        .open(std::fs::File::open(&sealed).unwrap())
        .unwrap();
    assert_eq!(plain, jpeg);
}
