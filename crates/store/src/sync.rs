//! The `sync_dossier` and `sync_file` tables: what the desk owes the hub, and how far each upload
//! has gone.
//!
//! The rows are raised by triggers (migration 7) in the transaction of every change, so the
//! outbox can never miss committed work. The sync engine only reads what waits, records the
//! progress the hub confirmed, and acknowledges versions the hub accepted.

use std::collections::BTreeMap;

use hoso_model::DossierId;
use hoso_model::page::Target;
use hoso_model::sync::{
    ComponentRecord, DossierRecord, FileProgress, FileRef, PageRecord, Summary, Waiting,
};
use rusqlite::{OptionalExtension, Transaction, params};

use crate::pages::UNDO_GRACE_MS;
use crate::{Error, dossiers, events, pages};

/// Whether dossiers wait for a supervisor's approval before they go (the unit's setting).
fn after_approval(tx: &Transaction<'_>) -> Result<bool, Error> {
    Ok(
        crate::settings::get(tx, crate::settings::keys::SYNC_AFTER_APPROVAL)?.as_deref()
            == Some("1"),
    )
}

/// Dossiers waiting to be sent whose turn has come (`next_try_ms <= now_ms`), oldest change
/// first, leaving out versions the hub refused for good, dossiers with a page deleted less
/// than [`UNDO_GRACE_MS`] ago (the deletion may still be undone: it stays on the desk until
/// then) and, when the unit asks for review before sync, dossiers no supervisor has approved.
pub fn waiting(tx: &Transaction<'_>, now_ms: i64, limit: u32) -> Result<Vec<Waiting>, Error> {
    let mut stmt = tx.prepare_cached(
        "SELECT dossier_id, change FROM sync_dossier
         WHERE change > acked
           AND (quarantined_version IS NULL OR change > quarantined_version)
           AND next_try_ms <= ?1
           AND (?3 = 0 OR dossier_id IN
                (SELECT dossier_id FROM dossier_progress WHERE review = 'approved'))
           AND dossier_id NOT IN
                (SELECT dossier_id FROM page_aside WHERE deleted_at_ms + ?4 > ?1)
         ORDER BY pending_since_ms, dossier_id
         LIMIT ?2",
    )?;
    let rows = stmt.query_map(
        params![now_ms, limit, after_approval(tx)?, UNDO_GRACE_MS],
        |r| {
            Ok(Waiting {
                dossier_id: DossierId(r.get(0)?),
                version: r.get::<_, i64>(1)? as u64,
            })
        },
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The earliest time (Unix ms) a waiting dossier may be tried again, if every waiting dossier is
/// backing off or holding a deletion that may still be undone; `None` if none waits or one
/// may go now.
pub fn next_try(tx: &Transaction<'_>, now_ms: i64) -> Result<Option<i64>, Error> {
    let next: Option<i64> = tx.query_row(
        "SELECT min(max(next_try_ms, coalesce(
                    (SELECT max(deleted_at_ms) + ?2 FROM page_aside a
                     WHERE a.dossier_id = s.dossier_id), 0)))
         FROM sync_dossier s
         WHERE change > acked AND (quarantined_version IS NULL OR change > quarantined_version)
           AND (?1 = 0 OR dossier_id IN
                (SELECT dossier_id FROM dossier_progress WHERE review = 'approved'))",
        params![after_approval(tx)?, UNDO_GRACE_MS],
        |r| r.get(0),
    )?;
    Ok(next.filter(|t| *t > now_ms))
}

/// The dossier as the hub receives it, at its current version, with the files its pages name.
/// `None` if there is no such dossier.
pub fn record(
    tx: &Transaction<'_>,
    id: &DossierId,
) -> Result<Option<(u64, DossierRecord, Vec<FileRef>)>, Error> {
    let Some(dossier) = dossiers::get(tx, id)? else {
        return Ok(None);
    };
    let version: i64 = tx.query_row(
        "SELECT change FROM sync_dossier WHERE dossier_id = ?1",
        [&id.0],
        |r| r.get(0),
    )?;
    let events = events::list(tx, id)?;
    let rows = pages::list(tx, &id.0)?;
    let mut files = BTreeMap::new();
    let mut page_records = Vec::with_capacity(rows.len());
    for page in rows {
        let size: i64 = tx.query_row(
            "SELECT size FROM blob WHERE hash = ?1",
            [&page.blob_hash],
            |r| r.get(0),
        )?;
        files.entry(page.blob_hash.clone()).or_insert(FileRef {
            sha256: page.blob_hash.clone(),
            size: size as u64,
            media_type: page.media_type.clone(),
        });
        let (kind, component, result_code) = match page.target {
            Target::Component { n } => ("component", Some(u32::from(n)), None),
            Target::Result { code } => ("result", None, code),
        };
        page_records.push(PageRecord {
            id: page.id,
            kind: kind.to_owned(),
            component,
            result_code,
            position: page.position,
            sha256: page.blob_hash,
            pdf_page: page.pdf_page,
            rotation: page.rotation,
            note_of: page.note_of,
        });
    }
    let components = pages::components(tx, &id.0)?
        .into_iter()
        .map(|(component, checked, declared_pages)| ComponentRecord {
            component: u32::from(component),
            checked,
            declared_pages,
        })
        .collect();
    let record = DossierRecord {
        id: dossier.id,
        code: dossier.code,
        procedure_code: dossier.procedure_code,
        applicant_name: dossier.applicant_name,
        id_number: dossier.id_number,
        phone: dossier.phone,
        address: dossier.address,
        email: dossier.email,
        channel: dossier.channel,
        received_at: dossier.received_at,
        status: dossier.status,
        due_at: dossier.due_at,
        events,
        pages: page_records,
        components,
    };
    Ok(Some((
        version as u64,
        record,
        files.into_values().collect(),
    )))
}

/// A file's upload progress (a file never uploaded has the default).
pub fn file_progress(tx: &Transaction<'_>, hash: &str) -> Result<FileProgress, Error> {
    Ok(tx
        .query_row(
            "SELECT upload_url, confirmed, done FROM sync_file WHERE hash = ?1",
            [hash],
            |r| {
                Ok(FileProgress {
                    upload_url: r.get(0)?,
                    confirmed: r.get::<_, i64>(1)? as u64,
                    done: r.get(2)?,
                })
            },
        )
        .optional()?
        .unwrap_or_default())
}

/// Records progress the hub confirmed (or, with `done`, that it holds the whole file).
pub fn set_file_progress(
    tx: &Transaction<'_>,
    hash: &str,
    progress: &FileProgress,
) -> Result<(), Error> {
    tx.execute(
        "INSERT INTO sync_file (hash, upload_url, confirmed, done) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (hash) DO UPDATE SET
             upload_url = excluded.upload_url, confirmed = excluded.confirmed, done = excluded.done",
        params![
            hash,
            progress.upload_url,
            progress.confirmed as i64,
            progress.done
        ],
    )?;
    Ok(())
}

/// The hub accepted `version` (or a later one arrived there before): the dossier stops waiting
/// unless it changed since.
pub fn acknowledge(tx: &Transaction<'_>, id: &DossierId, version: u64) -> Result<(), Error> {
    tx.execute(
        "UPDATE sync_dossier SET
             acked = max(acked, min(?2, change)),
             attempts = 0,
             next_try_ms = 0,
             quarantine = CASE WHEN quarantined_version <= ?2 THEN NULL ELSE quarantine END,
             quarantined_version = CASE WHEN quarantined_version <= ?2 THEN NULL
                 ELSE quarantined_version END,
             pending_since_ms = CASE WHEN change > ?2
                 THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) ELSE pending_since_ms END
         WHERE dossier_id = ?1",
        params![id.0, version as i64],
    )?;
    Ok(())
}

/// The hub was restored from a backup and may lack what it acknowledged since: every dossier
/// waits to be sent again (versions it refused for good stay set aside) and every file's upload
/// starts again, to be recognised by its hash if the hub holds it.
pub fn resend_all(tx: &Transaction<'_>) -> Result<(), Error> {
    tx.execute(
        "UPDATE sync_dossier SET
             pending_since_ms = CASE WHEN change > acked THEN pending_since_ms
                 ELSE CAST(unixepoch('subsec') * 1000 AS INTEGER) END,
             acked = 0, attempts = 0, next_try_ms = 0",
        [],
    )?;
    tx.execute("DELETE FROM sync_file", [])?;
    Ok(())
}

/// The hub refused `version` for good: it is set aside with the reason, and the rest goes on.
/// A later version of the dossier is tried again.
pub fn quarantine(
    tx: &Transaction<'_>,
    id: &DossierId,
    version: u64,
    reason: &str,
) -> Result<(), Error> {
    tx.execute(
        "UPDATE sync_dossier SET quarantine = ?3, quarantined_version = ?2, attempts = 0,
             next_try_ms = 0
         WHERE dossier_id = ?1",
        params![id.0, version as i64, reason],
    )?;
    Ok(())
}

/// The dossier could not go this time: try it again from `next_try_ms`.
pub fn retry_later(tx: &Transaction<'_>, id: &DossierId, next_try_ms: i64) -> Result<u32, Error> {
    Ok(tx.query_row(
        "UPDATE sync_dossier SET attempts = attempts + 1, next_try_ms = ?2
         WHERE dossier_id = ?1 RETURNING attempts",
        params![id.0, next_try_ms],
        |r| r.get(0),
    )?)
}

/// The officer asks to try a quarantined dossier (or one backing off) again now.
pub fn release(tx: &Transaction<'_>, id: &DossierId) -> Result<bool, Error> {
    Ok(tx.execute(
        "UPDATE sync_dossier SET quarantine = NULL, quarantined_version = NULL, attempts = 0,
             next_try_ms = 0
         WHERE dossier_id = ?1",
        [&id.0],
    )? > 0)
}

/// What waits to be sent, in numbers.
pub fn summary(tx: &Transaction<'_>) -> Result<Summary, Error> {
    let (dossiers, oldest_ms, quarantined): (i64, Option<i64>, i64) = tx.query_row(
        "SELECT count(*), min(pending_since_ms),
                count(*) FILTER (WHERE quarantined_version IS NOT NULL
                                   AND change <= quarantined_version)
         FROM sync_dossier WHERE change > acked",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let (files, bytes): (i64, i64) = tx.query_row(
        "SELECT count(*), coalesce(sum(blob.size - coalesce(sync_file.confirmed, 0)), 0)
         FROM blob LEFT JOIN sync_file ON sync_file.hash = blob.hash
         WHERE coalesce(sync_file.done, 0) = 0
           AND blob.hash IN (SELECT page.blob_hash FROM page
                             JOIN sync_dossier USING (dossier_id)
                             WHERE sync_dossier.change > sync_dossier.acked)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let audit = match crate::audit::sent(tx)?.refused {
        Some(_) => 0,
        None => crate::audit::waiting(tx)?,
    };
    Ok(Summary {
        dossiers: dossiers as u64,
        files: files as u64,
        bytes: bytes.max(0) as u64,
        oldest_ms,
        quarantined: quarantined as u64,
        audit,
    })
}

/// A dossier set aside, with the hub's reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quarantined {
    pub dossier_id: DossierId,
    pub code: Option<String>,
    pub version: u64,
    pub reason: String,
}

pub fn quarantined(tx: &Transaction<'_>) -> Result<Vec<Quarantined>, Error> {
    let mut stmt = tx.prepare_cached(
        "SELECT s.dossier_id, d.code, s.quarantined_version, s.quarantine
         FROM sync_dossier s JOIN dossier d ON d.id = s.dossier_id
         WHERE s.quarantined_version IS NOT NULL AND s.change <= s.quarantined_version
         ORDER BY s.pending_since_ms",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Quarantined {
            dossier_id: DossierId(r.get(0)?),
            code: r.get(1)?,
            version: r.get::<_, i64>(2)? as u64,
            reason: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Where one dossier stands with the hub.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DossierSync {
    /// The hub holds its current version.
    Synced,
    /// A version waits to be sent.
    Waiting,
    /// The hub refused its current version.
    Quarantined,
}

pub fn state_of(tx: &Transaction<'_>, id: &DossierId) -> Result<Option<DossierSync>, Error> {
    Ok(tx
        .query_row(
            "SELECT change, acked, quarantined_version FROM sync_dossier WHERE dossier_id = ?1",
            [&id.0],
            |r| {
                let (change, acked, quarantined): (i64, i64, Option<i64>) =
                    (r.get(0)?, r.get(1)?, r.get(2)?);
                Ok(if change <= acked {
                    DossierSync::Synced
                } else if quarantined.is_some_and(|q| change <= q) {
                    DossierSync::Quarantined
                } else {
                    DossierSync::Waiting
                })
            },
        )
        .optional()?)
}

/// Failed attempts in a row for a dossier.
pub fn attempts(tx: &Transaction<'_>, id: &DossierId) -> Result<u32, Error> {
    Ok(tx
        .query_row(
            "SELECT attempts FROM sync_dossier WHERE dossier_id = ?1",
            [&id.0],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0))
}

/// A dossier's current version (its change counter).
pub fn version(tx: &Transaction<'_>, id: &DossierId) -> Result<Option<u64>, Error> {
    Ok(tx
        .query_row(
            "SELECT change FROM sync_dossier WHERE dossier_id = ?1",
            [&id.0],
            |r| r.get::<_, i64>(0),
        )
        .optional()?
        .map(|v| v as u64))
}

/// Every file some page of some dossier names, once each.
pub fn page_files(tx: &Transaction<'_>) -> Result<Vec<String>, Error> {
    let mut stmt = tx.prepare_cached("SELECT DISTINCT blob_hash FROM page ORDER BY blob_hash")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
