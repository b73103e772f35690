//! The store against real SQLite files on disk.

use std::path::Path;

use hoso_model::{Dossier, DossierId};
use hoso_store::{DATABASE_FILE, Error, LATEST_VERSION, OpenNotice, Store, dossiers, settings};
use rusqlite::Connection;

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
        phone: Some(format!("09{n:08}")),
        address: None,
        email: None,
        channel: hoso_model::Channel::Direct,
    }
}

/// The schema as SQLite describes it, for comparing two databases: comments and layout of the
/// `CREATE` statements are dropped, since they are not part of the schema.
fn schema_of(path: &Path) -> Vec<(String, String, String)> {
    let conn = Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT type, name, coalesce(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
        .unwrap();
    stmt.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, normalise(&r.get::<_, String>(2)?)))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

fn normalise(sql: &str) -> String {
    let without_comments: Vec<&str> = sql
        .lines()
        .map(|line| line.split("--").next().unwrap_or(""))
        .collect();
    without_comments
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("( ", "(")
        .replace(" )", ")")
}

#[test]
fn dossiers_written_to_a_file_are_there_after_reopening_it() {
    let dir = tempfile::tempdir().unwrap();
    {
        let opened = Store::open_in(dir.path()).unwrap();
        assert_eq!(opened.notice, None, "a new file is not a damaged one");
        opened
            .store
            .write(|tx| dossiers::insert(tx, &dossier(1)))
            .unwrap();
    }
    let reopened = Store::open_in(dir.path()).unwrap().store;
    assert_eq!(
        reopened.read(|tx| dossiers::latest(tx, 10)).unwrap(),
        vec![dossier(1)]
    );
    assert_eq!(reopened.schema_version().unwrap(), LATEST_VERSION);
}

#[test]
fn readers_see_what_the_writer_committed() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in(dir.path()).unwrap().store;
    store.write(|tx| dossiers::insert(tx, &dossier(7))).unwrap();
    assert_eq!(store.read(dossiers::count).unwrap(), 1);
}

#[test]
fn a_database_from_a_newer_version_is_refused_and_left_byte_for_byte_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE);
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE future (x); INSERT INTO future VALUES (1); PRAGMA user_version = 999;",
        )
        .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(
        matches!(err, Error::TooNew { found: 999, supported } if supported == LATEST_VERSION),
        "{err}"
    );
    assert!(
        std::fs::read(&path).unwrap() == before,
        "a newer desk's data must not be changed"
    );
}

#[test]
fn an_unreadable_file_is_moved_aside_intact_and_a_new_store_opens_in_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE);
    let garbage: Vec<u8> = (0..10_000u32).map(|i| (i * 31 % 251) as u8).collect();
    std::fs::write(&path, &garbage).unwrap();

    let opened = Store::open(&path).unwrap();
    let Some(OpenNotice::MovedAside { kept_at }) = opened.notice.clone() else {
        panic!("the officer must be told the file was moved aside");
    };
    assert_eq!(kept_at, dir.path().join("hoso.damaged-1.db"));
    assert!(
        std::fs::read(&kept_at).unwrap() == garbage,
        "the damaged file is kept exactly as it was"
    );
    opened
        .store
        .write(|tx| dossiers::insert(tx, &dossier(2)))
        .unwrap();
    assert_eq!(opened.store.read(dossiers::count).unwrap(), 1);

    // A second damaged file never overwrites the first one kept.
    drop(opened);
    std::fs::write(
        &path,
        b"not a database either, and long enough to have a header....",
    )
    .unwrap();
    let again = Store::open(&path).unwrap();
    assert_eq!(
        again.notice,
        Some(OpenNotice::MovedAside {
            kept_at: dir.path().join("hoso.damaged-2.db")
        })
    );
    assert!(
        std::fs::read(&kept_at).unwrap() == garbage,
        "the first damaged file is not overwritten"
    );
}

#[test]
fn every_frozen_older_schema_migrates_to_exactly_the_fresh_schema_and_keeps_its_rows() {
    let fixtures = std::path::PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    )
    .join("tests/fixtures");
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("fresh.db");
    drop(Store::open(&fresh).unwrap());

    let mut checked = 0;
    for version in 1..=LATEST_VERSION {
        let sql = std::fs::read_to_string(fixtures.join(format!("v{version}.sql"))).unwrap_or_else(
            |_| panic!("tests/fixtures/v{version}.sql must freeze schema version {version}"),
        );
        let old = dir.path().join(format!("v{version}.db"));
        let (dossiers_before, settings_before): (i64, i64) = {
            let conn = Connection::open(&old).unwrap();
            conn.execute_batch(&sql).unwrap();
            conn.query_row(
                "SELECT (SELECT count(*) FROM dossier), (SELECT count(*) FROM setting)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
        };
        assert!(dossiers_before > 0, "a fixture without rows proves nothing");

        let store = Store::open(&old).unwrap().store;
        assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
        let (dossiers_after, language, logs) = store
            .read(|tx| {
                let all = dossiers::latest(tx, 1000)?;
                let logs: Vec<usize> = all
                    .iter()
                    .map(|d| hoso_store::events::list(tx, &d.id).map(|e| e.len()))
                    .collect::<Result<_, _>>()?;
                Ok::<_, Error>((
                    dossiers::count(tx)?,
                    settings::get(tx, settings::keys::LANGUAGE)?,
                    logs,
                ))
            })
            .unwrap();
        assert!(
            logs.iter().all(|n| *n >= 1),
            "v{version}: every dossier has a log that starts with its receipt"
        );
        drop(store);
        assert_eq!(
            dossiers_after as i64, dossiers_before,
            "v{version}: every dossier survives the upgrade"
        );
        assert!(settings_before >= 1, "v{version}: the fixture has settings");
        assert_eq!(
            language.as_deref(),
            Some("en"),
            "v{version}: settings survive the upgrade"
        );
        assert_eq!(
            schema_of(&old),
            schema_of(&fresh),
            "v{version} upgraded must equal a fresh database"
        );
        checked += 1;
    }
    assert_eq!(checked, LATEST_VERSION);
}

#[test]
fn a_full_disk_is_reported_as_such_and_the_change_is_not_half_written() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in(dir.path()).unwrap().store;
    store.write(|tx| dossiers::insert(tx, &dossier(0))).unwrap();
    // Cap the file at its current size: the next pages cannot be allocated, as on a full disk.
    let err = store
        .write(|tx| {
            let pages: i64 = tx.query_row("PRAGMA page_count", [], |r| r.get(0))?;
            tx.pragma_update(None, "max_page_count", pages)?;
            for n in 1..2_000 {
                dossiers::insert(tx, &dossier(n))?;
            }
            Ok::<_, Error>(())
        })
        .unwrap_err();
    assert!(
        matches!(err, Error::DiskFull),
        "expected DiskFull, got {err}"
    );
    assert_eq!(
        store.read(dossiers::count).unwrap(),
        1,
        "none of the batch was kept"
    );
}

#[test]
fn pages_of_imported_pdfs_kept_before_version_10_wait_for_their_text() {
    let fixtures = std::path::PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    )
    .join("tests/fixtures");
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("v9.db");
    {
        let conn = Connection::open(&old).unwrap();
        conn.execute_batch(&std::fs::read_to_string(fixtures.join("v9.sql")).unwrap())
            .unwrap();
        // A page of an imported PDF, which version 9 did not read.
        conn.execute_batch(
            "INSERT INTO page (id, dossier_id, kind, component, position, blob_hash, pdf_page,
                               width, height, ink, blank, colour, phash, source, source_name,
                               thumbnail, ocr_state, created_at_ms)
             SELECT 'pdf-page', dossier_id, 'component', 1, 9, blob_hash, 0, 595, 842, 0.1, 0,
                    0, 0, 'file', 'to-khai.pdf', X'FFD8FFD9', 'none', 1772417000001
             FROM page LIMIT 1",
        )
        .unwrap();
    }
    let store = Store::open(&old).unwrap().store;
    let state: String = store
        .read(|tx| {
            Ok::<_, Error>(tx.query_row(
                "SELECT ocr_state FROM page WHERE id = 'pdf-page'",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(state, "pending");
}
