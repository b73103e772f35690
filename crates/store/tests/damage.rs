//! A damaged page in the middle of the data file (a disk fault): found at open or while in
//! use, said as damage, and the file set aside untouched.

use std::path::Path;

use hoso_model::{Dossier, DossierId};
use hoso_store::{DATABASE_FILE, Error, OpenNotice, Store, dossiers};

const KEY: &str = "x'0011223344556677889900112233445566778899001122334455667788990011'";
const PAGE: usize = 4096;

fn dossier(n: u32) -> Dossier {
    Dossier {
        id: DossierId(format!("id-{n}")),
        procedure_code: "2.000815".into(),
        applicant_name: format!("Người nộp {n}"),
        received_at: jiff::Timestamp::from_second(1_772_672_400 + i64::from(n)).unwrap(),
        code: Some(format!("H25.123-260305-{n:04}")),
        status: hoso_model::lifecycle::Status::Received,
        due_at: None,
        id_number: None,
        phone: None,
        // Long enough that the dossiers fill most of the file's pages.
        address: Some(format!(
            "Số {n}, thôn Đông, xã Hoà Bình {}",
            "·".repeat(600)
        )),
        email: None,
        channel: hoso_model::Channel::Direct,
    }
}

/// A store in `dir` holding 300 dossiers, closed (its WAL folded into the file).
fn filled(dir: &Path, key: Option<&str>) {
    let store = match key {
        Some(key) => Store::open_encrypted_in(dir, key),
        None => Store::open_in(dir),
    }
    .unwrap()
    .store;
    store
        .write(|tx| (1..=300).try_for_each(|n| dossiers::insert(tx, &dossier(n))))
        .unwrap();
}

/// Overwrites the page at 60% of the file with garbage, as a failing disk would.
fn damage_a_page(path: &Path) {
    let mut bytes = std::fs::read(path).unwrap();
    let pages = bytes.len() / PAGE;
    assert!(
        pages > 20,
        "a file of {pages} pages is too small to damage in the middle"
    );
    let at = pages * 6 / 10 * PAGE;
    for (i, b) in bytes[at..at + PAGE].iter_mut().enumerate() {
        *b = (i * 7 % 251) as u8;
    }
    std::fs::write(path, bytes).unwrap();
}

fn open(dir: &Path, key: Option<&str>) -> hoso_store::Opened {
    match key {
        Some(key) => Store::open_encrypted_in(dir, key),
        None => Store::open_in(dir),
    }
    .unwrap()
}

#[test]
fn an_encrypted_file_with_a_damaged_page_is_set_aside_untouched_at_open() {
    for key in [Some(KEY), None] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DATABASE_FILE);
        filled(dir.path(), key);
        damage_a_page(&path);
        let damaged = std::fs::read(&path).unwrap();

        let opened = open(dir.path(), key);
        let kept_at = dir.path().join("hoso.damaged-1.db");
        assert_eq!(
            opened.notice,
            Some(OpenNotice::Damaged {
                kept_at: kept_at.clone()
            }),
            "the officer is told the file is damaged (encrypted: {})",
            key.is_some()
        );
        assert!(
            std::fs::read(&kept_at).unwrap() == damaged,
            "the damaged file is kept byte for byte"
        );
        assert_eq!(
            opened.store.read(dossiers::count).unwrap(),
            0,
            "a new store"
        );
    }
}

#[test]
fn a_page_found_damaged_in_use_stops_the_store_and_the_next_open_sets_the_file_aside() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE);
    filled(dir.path(), Some(KEY));
    let opened = open(dir.path(), Some(KEY));
    assert_eq!(opened.notice, None, "the file is whole at open");
    let store = opened.store;

    // The disk fails while the desk runs: the check at open could not see it.
    damage_a_page(&path);
    let err = store
        .read(|tx| dossiers::latest(tx, 1000))
        .expect_err("a damaged page cannot be read");
    assert!(matches!(err, Error::Damaged), "said as damage: {err}");
    assert!(
        dir.path().join("hoso.damaged").exists(),
        "the damage is marked beside the file for the next open"
    );
    let write = store.write(|tx| dossiers::insert(tx, &dossier(999)));
    assert!(
        matches!(write, Err(Error::Damaged)),
        "nothing more is written to a damaged file: {write:?}"
    );
    let read = store.read(dossiers::count);
    assert!(matches!(read, Err(Error::Damaged)), "{read:?}");
    drop(store);
    let damaged = std::fs::read(&path).unwrap();

    let reopened = open(dir.path(), Some(KEY));
    let kept_at = dir.path().join("hoso.damaged-1.db");
    assert_eq!(
        reopened.notice,
        Some(OpenNotice::Damaged {
            kept_at: kept_at.clone()
        })
    );
    assert!(std::fs::read(&kept_at).unwrap() == damaged);
    assert!(
        !dir.path().join("hoso.damaged").exists(),
        "the mark goes once the file is set aside"
    );
    drop(reopened);
    assert_eq!(
        open(dir.path(), Some(KEY)).notice,
        None,
        "the new store is not set aside in its turn"
    );
}

#[test]
fn a_mark_whose_file_is_gone_is_cleared_and_a_new_store_opens() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("hoso.damaged"), b"mark").unwrap();
    let opened = open(dir.path(), Some(KEY));
    assert_eq!(opened.notice, None);
    assert!(!dir.path().join("hoso.damaged").exists());
}

#[test]
fn an_unreadable_header_is_still_said_as_unreadable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE);
    filled(dir.path(), Some(KEY));
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[..PAGE].fill(0x5A);
    std::fs::write(&path, &bytes).unwrap();
    let opened = open(dir.path(), Some(KEY));
    assert!(
        matches!(opened.notice, Some(OpenNotice::MovedAside { .. })),
        "{:?}",
        opened.notice
    );
}
