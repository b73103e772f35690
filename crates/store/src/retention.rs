//! Lưu giữ: removing the local copy of finished dossiers the hub holds, after the unit's
//! retention period. The hub keeps them; the desk keeps only what it still works on.

use hoso_model::DossierId;
use rusqlite::{Transaction, params};

use crate::Error;

/// Finished dossiers (returned, refused, withdrawn, stopped) received before `before_ms` whose
/// latest version the hub has accepted, oldest first, at most `limit`.
pub fn purgeable(
    tx: &Transaction<'_>,
    before_ms: i64,
    limit: u32,
) -> Result<Vec<DossierId>, Error> {
    let mut stmt = tx.prepare_cached(
        "SELECT d.id FROM dossier d JOIN sync_dossier s ON s.dossier_id = d.id
         WHERE d.received_at_ms < ?1 AND s.acked = s.change
           AND d.status IN ('returned', 'refused', 'withdrawn', 'stopped')
         ORDER BY d.received_at_ms LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![before_ms, limit], |r| Ok(DossierId(r.get(0)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Removes a dossier and everything of it from the store, in the caller's transaction;
/// returns the hashes of the kept files no other page names any more (the caller removes the
/// files once the transaction is committed; they are named in `blob_released` meanwhile).
pub fn purge(tx: &Transaction<'_>, id: &DossierId) -> Result<Vec<String>, Error> {
    tx.execute("INSERT INTO purging (dossier_id) VALUES (?1)", [&id.0])?;
    let mut stmt = tx.prepare_cached(
        "SELECT blob_hash FROM page WHERE dossier_id = ?1
         UNION SELECT blob_hash FROM page_aside WHERE dossier_id = ?1",
    )?;
    let hashes: Vec<String> = stmt
        .query_map([&id.0], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for sql in [
        "DELETE FROM page_search WHERE rowid IN (SELECT rowid FROM page WHERE dossier_id = ?1)",
        "UPDATE page SET note_of = NULL WHERE dossier_id = ?1",
        "DELETE FROM page WHERE dossier_id = ?1",
        "DELETE FROM page_aside WHERE dossier_id = ?1",
        "DELETE FROM dossier_component WHERE dossier_id = ?1",
        "DELETE FROM dossier_event WHERE dossier_id = ?1",
        "DELETE FROM dossier_review WHERE dossier_id = ?1",
        "DELETE FROM dossier_rating WHERE dossier_id = ?1",
        "DELETE FROM dossier_progress WHERE dossier_id = ?1",
        "DELETE FROM sync_dossier WHERE dossier_id = ?1",
        "DELETE FROM dossier_search WHERE rowid = (SELECT rowid FROM dossier WHERE id = ?1)",
        "DELETE FROM dossier WHERE id = ?1",
        "DELETE FROM purging WHERE dossier_id = ?1",
    ] {
        tx.execute(sql, [&id.0])?;
    }
    let mut unused = Vec::new();
    for hash in hashes {
        if crate::pages::release_if_unused(tx, &hash)? {
            unused.push(hash);
        }
    }
    Ok(unused)
}
