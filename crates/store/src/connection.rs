//! Opening a connection, checking the file's pages, and copying an older desk's unencrypted
//! database into an encrypted one: the one place where pragmas are set. Also what happens to a
//! damaged file: moved aside, and the mark that has the next open do so.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

use crate::Error;

/// Opens the file at `path`; with a key, as a SQLCipher database (the key must be the first
/// statement: every page, the WAL included, is encrypted with it).
pub(crate) fn open(path: &Path, key: Option<&str>) -> Result<Connection, Error> {
    let conn = Connection::open(path)?;
    if let Some(key) = key {
        apply_key(&conn, key)?;
    }
    conn.busy_timeout(Duration::from_secs(5))?;
    // Before any pragma writes to the file: a newer desk's database must stay byte for byte
    // as it was. Reading the version also turns "not a database" into an error here.
    crate::migrations::refuse_newer(&conn).map_err(|err| match err {
        Error::Damaged => Error::Unreadable,
        other => other,
    })?;
    configure(&conn)?;
    Ok(conn)
}

/// Keys a connection. `key` is SQLCipher's raw-key literal (`x'…'`, 64 hex digits), so it
/// cannot break out of the quotes.
pub(crate) fn apply_key(conn: &Connection, key: &str) -> Result<(), Error> {
    check_raw_key(key);
    conn.execute_batch(&format!("PRAGMA key = \"{key}\";"))?;
    silence(conn)?;
    Ok(())
}

/// SQLCipher's own log (`ERROR CORE … hmac check failed`) goes to stderr, the officer's
/// terminal; the desk says what went wrong in its own words. The level is the process's.
fn silence(conn: &Connection) -> Result<(), Error> {
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    Ok(())
}

/// Checks every page of the file at open: for an encrypted file each page's HMAC
/// (`cipher_integrity_check`, about 450 MB/s: a tenth of a second for 50 000 dossiers), for a
/// plain one SQLite's `quick_check`. [`Error::Damaged`] if a page fails.
///
/// Another process (the window, while the command line opens) may be copying pages from the
/// WAL into the file meanwhile, and a page read half-written fails its check: a failure
/// counts only if the same page fails a second look.
pub(crate) fn check_pages(conn: &Connection, encrypted: bool) -> Result<(), Error> {
    let failures = |conn: &Connection| -> Result<Vec<String>, Error> {
        let sql = if encrypted {
            "PRAGMA cipher_integrity_check"
        } else {
            "PRAGMA quick_check"
        };
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt.query_map([], |row| row.get::<_, String>(0))?;
        let mut found = Vec::new();
        for row in rows {
            let row = row?;
            if row != "ok" {
                found.push(row);
            }
        }
        Ok(found)
    };
    let first = failures(conn)?;
    if first.is_empty() {
        return Ok(());
    }
    let again = failures(conn)?;
    if first.iter().any(|failure| again.contains(failure)) {
        return Err(Error::Damaged);
    }
    Ok(())
}
fn check_raw_key(key: &str) {
    assert!(
        key.len() == 67
            && key.starts_with("x'")
            && key.ends_with('\'')
            && key[2..66].bytes().all(|b| b.is_ascii_hexdigit()),
        "a database key is a raw-key literal"
    );
}

/// Copies the unencrypted database at `plain` (one an older desk left) into a new SQLCipher
/// file at `to`, keyed with `key` (a raw-key literal, as for [`apply_key`]), with the same
/// schema version. The WAL is folded into `plain` first, so the copy holds every committed
/// change; `plain` is otherwise left as it was. The caller flushes `to` and renames it.
pub fn export_encrypted(plain: &Path, to: &Path, key: &str) -> Result<(), Error> {
    check_raw_key(key);
    let conn = Connection::open(plain)?;
    silence(&conn)?;
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    conn.execute(
        &format!("ATTACH DATABASE ?1 AS encrypted KEY \"{key}\""),
        [to.to_string_lossy()],
    )?;
    conn.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))?;
    conn.execute_batch(&format!(
        "PRAGMA encrypted.user_version = {version}; DETACH DATABASE encrypted;"
    ))?;
    Ok(())
}

/// WAL so readers never wait for the writer; `synchronous = FULL` so a committed dossier
/// survives a power cut; foreign keys on; wait up to five seconds for another process (the
/// command line) to finish writing.
pub(crate) fn configure(conn: &Connection) -> Result<(), Error> {
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

/// Renames an unreadable or damaged database (and its WAL and shared-memory files) to the
/// first free `hoso.damaged-N.db` beside it. Nothing is deleted.
pub(crate) fn move_aside(path: &Path) -> Result<PathBuf, Error> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("hoso");
    let kept_at = (1..)
        .map(|n| dir.join(format!("{stem}.damaged-{n}.db")))
        .find(|candidate| !candidate.exists())
        .expect("an unbounded range always yields a free name");
    std::fs::rename(path, &kept_at).map_err(|source| Error::MoveAside {
        kept_at: kept_at.clone(),
        source,
    })?;
    for suffix in ["-wal", "-shm"] {
        let side = sidecar(path, suffix);
        if side.exists() {
            let target = sidecar(&kept_at, suffix);
            std::fs::rename(&side, &target).map_err(|source| Error::MoveAside {
                kept_at: target,
                source,
            })?;
        }
    }
    Ok(kept_at)
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The mark left beside a database found damaged while in use (`hoso.damaged` beside
/// `hoso.db`): the next open sets the file aside even if its check at open would pass (the
/// fault may lie in the WAL, or come and go).
pub(crate) fn damage_mark(path: &Path) -> PathBuf {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("hoso");
    path.with_file_name(format!("{stem}.damaged"))
}

/// Leaves the damage mark, written whole (to a temporary name, flushed, renamed) so a crash
/// leaves either no mark or the mark.
pub(crate) fn mark_damaged(path: &Path) -> std::io::Result<()> {
    use std::io::Write as _;
    let mark = damage_mark(path);
    let partial = sidecar(&mark, ".partial");
    let mut file = std::fs::File::create(&partial)?;
    file.write_all(
        b"A page of the data file beside this one failed its check. \
          The next start sets that file aside untouched and opens an empty store.\n",
    )?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&partial, &mark)
}
