//! The `blob` and `blob_released` tables: the files kept, and those whose rows are gone and
//! whose bytes wait to be removed from the disk.
//!
//! A file's row is removed first and its name written in `blob_released` in the same
//! transaction; the bytes go afterwards, and the name last ([`released`], [`forget_released`]).
//! A crash in between leaves a name to finish with, never a row without its file.

use rusqlite::{OptionalExtension, Transaction, params};

use crate::Error;

/// Records a kept file; a file already recorded (the same bytes) is left as it is.
pub fn insert_blob(
    tx: &Transaction<'_>,
    hash: &str,
    size: u64,
    media_type: &str,
    at_ms: i64,
) -> Result<(), Error> {
    tx.execute(
        "INSERT OR IGNORE INTO blob (hash, size, media_type, created_at_ms) VALUES (?1, ?2, ?3, ?4)",
        params![hash, size as i64, media_type, at_ms],
    )?;
    Ok(())
}

/// The media type of a kept file, if it is recorded.
pub fn blob_media_type(tx: &Transaction<'_>, hash: &str) -> Result<Option<String>, Error> {
    Ok(tx
        .query_row("SELECT media_type FROM blob WHERE hash = ?1", [hash], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Removes a kept file's row if no page, nor any page set aside, names it any more, and
/// names the file in `blob_released` for its bytes to be removed. Returns whether it did.
pub(crate) fn release_if_unused(tx: &Transaction<'_>, hash: &str) -> Result<bool, Error> {
    let named: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM page WHERE blob_hash = ?1)
             OR EXISTS (SELECT 1 FROM page_aside WHERE blob_hash = ?1)",
        [hash],
        |r| r.get(0),
    )?;
    if named {
        return Ok(false);
    }
    tx.execute("DELETE FROM sync_file WHERE hash = ?1", [hash])?;
    tx.execute("DELETE FROM blob WHERE hash = ?1", [hash])?;
    tx.execute(
        "INSERT OR IGNORE INTO blob_released (hash) VALUES (?1)",
        [hash],
    )?;
    Ok(true)
}

/// The files whose rows are gone and whose bytes are still to be removed, at most `limit`.
pub fn released(tx: &Transaction<'_>, limit: u32) -> Result<Vec<String>, Error> {
    let mut stmt = tx.prepare_cached("SELECT hash FROM blob_released ORDER BY hash LIMIT ?1")?;
    let rows = stmt.query_map(params![limit], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The bytes of a released file are gone (or the same bytes were kept again meanwhile and
/// have their row back): its name is crossed off.
pub fn forget_released(tx: &Transaction<'_>, hash: &str) -> Result<(), Error> {
    tx.execute("DELETE FROM blob_released WHERE hash = ?1", [hash])?;
    Ok(())
}
