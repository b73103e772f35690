//! The `page_aside` table: a page the officer deleted, set aside whole for a while so the
//! deletion can be undone (migration 11).
//!
//! Setting a page aside moves its row out of `page`, so everything that reads pages (views,
//! counts, the checklist, the archive, search, recognition, the hub's record) no longer sees
//! it, and the outbox's triggers raise the dossier's version as for any deletion. Bringing it
//! back moves the row home, to its place. After [`UNDO_GRACE_MS`] the desk deletes it for good
//! ([`release_expired`]), with its file if no other page names it. While a dossier has a page
//! set aside within the grace period, its new version stays on the desk (`sync::waiting`): a
//! deletion undone in time never reaches the hub.

use hoso_model::page::Target;
use hoso_model::text::fold;
use rusqlite::{OptionalExtension, Transaction, params};

use super::files::release_if_unused;
use super::{PageRow, close_gap, get, has_note, open_gap, places, target_columns};
use crate::Error;

/// How long a deleted page can be brought back (10 minutes), in milliseconds.
pub const UNDO_GRACE_MS: i64 = 10 * 60 * 1000;

/// The columns a page keeps while set aside (every column of `page`).
const KEPT: &str = "id, dossier_id, kind, component, result_code, position, blob_hash, pdf_page, \
     width, height, dpi, rotation, skew, ink, blank, colour, qr, phash, source, source_name, \
     note_of, thumbnail, ocr_state, ocr_text, ocr_words, ocr_confidence, created_at_ms";

/// Sets a page aside at `at_ms`: it leaves its dossier and the gap in its component's order
/// closes. A page with a second image leaves that image in its place (it comes back to the
/// page if the page is brought back); a second image leaves no gap. The file stays kept.
/// Returns the page as it stood, or `None` if there is no such page.
pub fn set_aside(tx: &Transaction<'_>, id: &str, at_ms: i64) -> Result<Option<PageRow>, Error> {
    let Some(page) = get(tx, id)? else {
        return Ok(None);
    };
    let second_image: Option<String> = tx
        .query_row("SELECT id FROM page WHERE note_of = ?1", [id], |r| r.get(0))
        .optional()?;
    tx.execute(
        &format!(
            "INSERT INTO page_aside ({KEPT}, second_image, deleted_at_ms)
             SELECT {KEPT}, ?2, ?3 FROM page WHERE id = ?1"
        ),
        params![id, second_image, at_ms],
    )?;
    tx.execute(
        "DELETE FROM page_search WHERE rowid = (SELECT rowid FROM page WHERE id = ?1)",
        [id],
    )?;
    tx.execute("UPDATE page SET note_of = NULL WHERE note_of = ?1", [id])?;
    tx.execute("DELETE FROM page WHERE id = ?1", [id])?;
    if page.note_of.is_none() && second_image.is_none() {
        close_gap(tx, &page.dossier_id, &page.target, page.position)?;
    }
    Ok(Some(page))
}

/// Why a page cannot be brought back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestoreRefusal {
    /// Nothing by that id is set aside or in a dossier: never a page, or deleted for good.
    Gone,
    /// The page is in its dossier: it was not deleted, or was brought back already.
    NotDeleted,
}

/// Where a page set aside stood, and what it was paired with.
struct Stood {
    dossier_id: String,
    target: Target,
    position: u32,
    note_of: Option<String>,
    second_image: Option<String>,
}

fn stood(tx: &Transaction<'_>, id: &str) -> Result<Option<Stood>, Error> {
    let row = tx
        .query_row(
            "SELECT dossier_id, kind, component, result_code, position, note_of, second_image
             FROM page_aside WHERE id = ?1",
            [id],
            |r| {
                let kind: String = r.get(1)?;
                let component: Option<u16> = r.get(2)?;
                let code: Option<String> = r.get(3)?;
                let target = match (kind.as_str(), component) {
                    ("component", Some(n)) => Some(Target::Component { n }),
                    ("result", _) => Some(Target::Result {
                        code: code.filter(|c| !c.is_empty()),
                    }),
                    _ => None,
                };
                Ok((
                    r.get::<_, String>(0)?,
                    target,
                    r.get::<_, u32>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<String>>(6)?,
                ))
            },
        )
        .optional()?;
    let Some((dossier_id, target, position, note_of, second_image)) = row else {
        return Ok(None);
    };
    let target = target.ok_or_else(|| Error::Corrupt("page kind".into()))?;
    Ok(Some(Stood {
        dossier_id,
        target,
        position,
        note_of,
        second_image,
    }))
}

/// A page of `dossier_id` that is no second image and has none: one a second image may join.
fn free_page(tx: &Transaction<'_>, id: &str, dossier_id: &str) -> Result<Option<PageRow>, Error> {
    match get(tx, id)? {
        Some(page) if page.note_of.is_none() && page.dossier_id == dossier_id => {
            Ok(if has_note(tx, id)? { None } else { Some(page) })
        }
        _ => Ok(None),
    }
}

/// Brings a page set aside back to its dossier: to the place it had (or the end, if its
/// component is shorter now), with its target, turn, text and, when they are still free, its
/// second image or the page it was the second image of. Returns its dossier's id.
pub fn restore(tx: &Transaction<'_>, id: &str) -> Result<Result<String, RestoreRefusal>, Error> {
    let Some(was) = stood(tx, id)? else {
        return Ok(Err(if get(tx, id)?.is_some() {
            RestoreRefusal::NotDeleted
        } else {
            RestoreRefusal::Gone
        }));
    };
    // A second image goes back to its page if that page is still there and has no other.
    let page_of_note = match &was.note_of {
        Some(main) => free_page(tx, main, &was.dossier_id)?,
        None => None,
    };
    // Its own second image comes back to it if it still stands alone where the page stood.
    let own_note = match &was.second_image {
        Some(note) => free_page(tx, note, &was.dossier_id)?
            .filter(|n| n.target == was.target && n.position == was.position),
        None => None,
    };
    let (target, position, joined) = match page_of_note {
        Some(main) => (main.target, main.position, Some(main.id)),
        None if own_note.is_some() => (was.target, was.position, None),
        None => {
            let last = places(tx, &was.dossier_id, &was.target)? + 1;
            let place = was.position.clamp(1, last);
            open_gap(tx, &was.dossier_id, &was.target, place)?;
            (was.target, place, None)
        }
    };
    let (kind, component, result_code) = target_columns(&target);
    tx.execute(
        &format!(
            "INSERT INTO page ({KEPT})
             SELECT id, dossier_id, ?2, ?3, ?4, ?5, blob_hash, pdf_page, width, height, dpi,
                    rotation, skew, ink, blank, colour, qr, phash, source, source_name, ?6,
                    thumbnail, ocr_state, ocr_text, ocr_words, ocr_confidence, created_at_ms
             FROM page_aside WHERE id = ?1"
        ),
        params![id, kind, component, result_code, position, joined],
    )?;
    if let Some(note) = own_note {
        tx.execute(
            "UPDATE page SET note_of = ?1 WHERE id = ?2",
            params![id, note.id],
        )?;
    }
    let text: Option<String> = tx
        .query_row(
            "SELECT ocr_text FROM page_aside WHERE id = ?1 AND ocr_state = 'done'",
            [id],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    if let Some(text) = text {
        tx.execute(
            "INSERT OR REPLACE INTO page_search (rowid, text)
             VALUES ((SELECT rowid FROM page WHERE id = ?1), ?2)",
            params![id, fold(&text)],
        )?;
    }
    tx.execute("DELETE FROM page_aside WHERE id = ?1", [id])?;
    Ok(Ok(was.dossier_id))
}

/// What [`release_expired`] deleted for good.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Released {
    /// Pages set aside longer than the grace period.
    pub pages: u32,
    /// Their files no page names any more: rows removed, bytes to remove (`blob_released`).
    pub files: Vec<String>,
}

/// Deletes for good the pages set aside at or before `before_ms`, and the rows of the files
/// no page (set aside or not) names any more, naming those files for removal from the disk.
pub fn release_expired(tx: &Transaction<'_>, before_ms: i64) -> Result<Released, Error> {
    let mut stmt = tx.prepare_cached(
        "SELECT id, blob_hash FROM page_aside WHERE deleted_at_ms <= ?1 ORDER BY deleted_at_ms",
    )?;
    let expired: Vec<(String, String)> = stmt
        .query_map([before_ms], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut released = Released::default();
    for (id, _) in &expired {
        tx.execute("DELETE FROM page_aside WHERE id = ?1", [id])?;
        released.pages += 1;
    }
    for (_, hash) in expired {
        if !released.files.contains(&hash) && release_if_unused(tx, &hash)? {
            released.files.push(hash);
        }
    }
    Ok(released)
}
