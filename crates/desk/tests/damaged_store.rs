//! A desk whose encrypted data file has a damaged page in the middle (a disk fault): the file
//! is set aside untouched, the officer is told so in plain words with the way back, and
//! SQLCipher's own log lines never reach the terminal.

mod common;

use std::path::Path;

use hoso_desk::{Desk, Error, FixedClock};
use hoso_model::account::NewAccount;
use hoso_model::{ApiError, ErrorCode, NewDossier, Problem, Role};
use hoso_store::{DATABASE_FILE, OpenNotice};
use sha2::{Digest, Sha256};

const PAGE: usize = 4096;

fn clock() -> FixedClock {
    FixedClock("2026-03-05T02:00:00Z".parse().unwrap())
}

/// A desk in `dir` with 40 dossiers, closed; returns its recovery key.
fn desk_with_dossiers(dir: &Path) -> String {
    let first = NewAccount {
        name: common::ADMIN.into(),
        full_name: "Quản trị thử".into(),
        role: Role::Admin,
        password: common::PASSWORD.into(),
    };
    let (desk, recovery) = Desk::set_up(dir, &first, clock()).unwrap();
    for n in 0..40 {
        desk.register(&NewDossier {
            procedure_code: "1.001193".into(),
            applicant_name: format!("Nguyễn Văn Đức {n}"),
            ..Default::default()
        })
        .unwrap();
    }
    recovery.display().to_string()
}

/// Overwrites the page at 60% of the file with garbage, as a failing disk would.
fn damage_a_page(path: &Path) {
    let mut bytes = std::fs::read(path).unwrap();
    let pages = bytes.len() / PAGE;
    assert!(pages > 10, "a file of {pages} pages is too small");
    let at = pages * 6 / 10 * PAGE;
    for (i, b) in bytes[at..at + PAGE].iter_mut().enumerate() {
        *b = (i * 13 % 251) as u8;
    }
    std::fs::write(path, bytes).unwrap();
}

fn hash(path: &Path) -> Vec<u8> {
    Sha256::digest(std::fs::read(path).unwrap()).to_vec()
}

#[test]
fn a_damaged_page_found_at_open_sets_the_file_aside_untouched_and_the_desk_opens_empty() {
    let dir = tempfile::tempdir().unwrap();
    let recovery = desk_with_dossiers(dir.path());
    let path = dir.path().join(DATABASE_FILE);
    damage_a_page(&path);
    let damaged = hash(&path);

    let (desk, notice) = Desk::recover(dir.path(), &recovery, clock()).unwrap();
    let kept_at = dir.path().join("hoso.damaged-1.db");
    assert_eq!(
        notice,
        Some(OpenNotice::Damaged {
            kept_at: kept_at.clone()
        }),
        "the officer is told the file was damaged, not merely unreadable"
    );
    assert_eq!(
        hash(&kept_at),
        damaged,
        "the damaged file is kept as it was"
    );
    assert!(desk.dossiers().unwrap().is_empty(), "the desk opens empty");
}

#[test]
fn the_command_line_says_a_file_set_aside_at_open_in_vietnamese_and_stops_at_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    desk_with_dossiers(dir.path());
    let path = dir.path().join(DATABASE_FILE);
    damage_a_page(&path);
    let damaged = hash(&path);

    let out = common::hoso_command(dir.path())
        .arg("list")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "a password cannot sign in to the empty store: {stderr}"
    );
    assert!(
        stderr.contains("Tệp dữ liệu trên máy bị hỏng")
            && stderr.contains("hoso.damaged-1.db")
            && stderr.contains("hoso restore")
            && stderr.contains("đồng bộ với máy chủ"),
        "the damage, where the file is kept and the way back, in Vietnamese: {stderr}"
    );
    assert!(
        !stderr.contains("ERROR CORE") && !stderr.to_lowercase().contains("hmac"),
        "SQLCipher's own log stays off the terminal: {stderr}"
    );
    assert!(
        !stderr.contains("Lỗi trong chương trình"),
        "damage is not a fault of the program: {stderr}"
    );
    assert_eq!(hash(&dir.path().join("hoso.damaged-1.db")), damaged);

    // A second try says the same, not that the account is disabled.
    let again = common::hoso_command(dir.path())
        .arg("list")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(!again.status.success());
    assert!(
        stderr.contains("đã được cất nguyên vẹn") && !stderr.contains("đã bị khoá"),
        "the set-aside store again, at a later sign-in: {stderr}"
    );
}

#[test]
fn damage_found_while_in_use_is_said_as_such_and_the_next_open_sets_the_file_aside() {
    let dir = tempfile::tempdir().unwrap();
    let recovery = desk_with_dossiers(dir.path());
    let path = dir.path().join(DATABASE_FILE);
    let (desk, notice) = common::open_desk(dir.path(), clock()).unwrap();
    assert_eq!(notice, None, "the file is whole at open");

    // The disk fails while the desk runs; a backup reads every page and meets it.
    damage_a_page(&path);
    let backups = tempfile::tempdir().unwrap();
    let err = desk.backup(backups.path()).expect_err("a damaged page");
    let api = ApiError::from(&err);
    assert_eq!(
        (api.code, api.problem),
        (ErrorCode::Storage, Some(Problem::StoreDamaged)),
        "{err}"
    );
    let after = desk
        .register(&NewDossier {
            procedure_code: "1.001193".into(),
            applicant_name: "Trần Thị Lan".into(),
            ..Default::default()
        })
        .expect_err("nothing more is written to a damaged file");
    assert!(
        matches!(after, Error::Store(hoso_store::Error::Damaged)),
        "{after}"
    );
    drop(desk);
    let damaged = hash(&path);

    let (desk, notice) = Desk::recover(dir.path(), &recovery, clock()).unwrap();
    let kept_at = dir.path().join("hoso.damaged-1.db");
    assert_eq!(
        notice,
        Some(OpenNotice::Damaged {
            kept_at: kept_at.clone()
        })
    );
    assert_eq!(hash(&kept_at), damaged, "set aside untouched");
    assert!(desk.dossiers().unwrap().is_empty());
}

/// Overwrites, in the WAL of a desk that is open, the page of every frame but those of page 1
/// (the header, which would make the file unreadable rather than damaged). The window keeps
/// the WAL's index in memory shared with the command line, so these pages are read as they
/// are now, after the check at open, which looks at the main file only.
fn damage_the_wal(path: &Path) -> usize {
    let wal = Path::new(&format!("{}-wal", path.display())).to_path_buf();
    let mut bytes = std::fs::read(&wal).unwrap();
    let mut damaged = 0;
    let mut at = 32;
    while at + 24 + PAGE <= bytes.len() {
        let page = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
        if page != 1 {
            bytes[at + 24 + 100..at + 24 + PAGE].fill(0x5A);
            damaged += 1;
        }
        at += 24 + PAGE;
    }
    std::fs::write(&wal, bytes).unwrap();
    damaged
}

#[test]
fn damage_the_command_line_meets_in_use_is_said_in_vietnamese_without_sqlcipher_s_own_lines() {
    let dir = tempfile::tempdir().unwrap();
    desk_with_dossiers(dir.path());
    let path = dir.path().join(DATABASE_FILE);
    // The window is open and has written since the file was last folded.
    let (window, _) = common::open_desk(dir.path(), clock()).unwrap();
    for n in 0..5 {
        window
            .register(&NewDossier {
                procedure_code: "1.001193".into(),
                applicant_name: format!("Lê Thị Hoa {n}"),
                ..Default::default()
            })
            .unwrap();
    }
    assert!(damage_the_wal(&path) > 0, "the WAL holds pages");

    let out = common::hoso_command(dir.path())
        .arg("list")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the command fails: {stderr}");
    assert!(
        stderr.contains("bị hỏng") && stderr.contains("hoso restore"),
        "the damage and the way back, in Vietnamese: {stderr}"
    );
    assert!(
        !stderr.contains("ERROR CORE") && !stderr.to_lowercase().contains("hmac"),
        "SQLCipher's own log stays off the terminal: {stderr}"
    );
    assert!(
        !stderr.contains("Lỗi trong chương trình"),
        "damage is not a fault of the program: {stderr}"
    );
    assert!(
        dir.path().join("hoso.damaged").exists(),
        "the damage is marked for the next open"
    );

    // The window is closed; the next start sets the file aside, and says where.
    drop(window);
    let out = common::hoso_command(dir.path())
        .arg("list")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Tệp dữ liệu trên máy bị hỏng") && stderr.contains("hoso.damaged-1.db"),
        "{stderr}"
    );
    assert!(!dir.path().join("hoso.damaged").exists());
}
