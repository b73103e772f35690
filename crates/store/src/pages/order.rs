//! Where pages stand within their component (or the results): moving, refiling, and a sheet's
//! second image joined to its page or split from it.

use hoso_model::page::Target;
use rusqlite::{OptionalExtension, Transaction, params};

use super::{get, target_columns};
use crate::Error;

/// Moves the pages of a target after `position` one place up, into the gap a page left.
pub(crate) fn close_gap(
    tx: &Transaction<'_>,
    dossier_id: &str,
    target: &Target,
    position: u32,
) -> Result<(), Error> {
    let (kind, component, _) = target_columns(target);
    tx.execute(
        "UPDATE page SET position = position - 1
         WHERE dossier_id = ?1 AND kind = ?2 AND component IS ?3 AND position > ?4",
        params![dossier_id, kind, component, position],
    )?;
    Ok(())
}

/// Moves the pages of a target from `position` on one place down, making room at `position`.
pub(crate) fn open_gap(
    tx: &Transaction<'_>,
    dossier_id: &str,
    target: &Target,
    position: u32,
) -> Result<(), Error> {
    let (kind, component, _) = target_columns(target);
    tx.execute(
        "UPDATE page SET position = position + 1
         WHERE dossier_id = ?1 AND kind = ?2 AND component IS ?3 AND position >= ?4",
        params![dossier_id, kind, component, position],
    )?;
    Ok(())
}

/// How many places a target's pages fill (second images share their page's place).
pub(crate) fn places(
    tx: &Transaction<'_>,
    dossier_id: &str,
    target: &Target,
) -> Result<u32, Error> {
    let (kind, component, _) = target_columns(target);
    Ok(tx.query_row(
        "SELECT count(*) FROM page
         WHERE dossier_id = ?1 AND kind = ?2 AND component IS ?3 AND note_of IS NULL",
        params![dossier_id, kind, component],
        |r| r.get(0),
    )?)
}

/// Moves a page (with its second image) to `position` (from 1) within its component,
/// shifting the others. A second image moves only with its page.
pub fn move_to(tx: &Transaction<'_>, id: &str, position: u32) -> Result<bool, Error> {
    let Some(page) = get(tx, id)? else {
        return Ok(false);
    };
    if page.note_of.is_some() || position == 0 {
        return Ok(false);
    }
    if position > places(tx, &page.dossier_id, &page.target)? {
        return Ok(false);
    }
    let (kind, component, _) = target_columns(&page.target);
    let from = page.position;
    if from == position {
        return Ok(true);
    }
    // Park the page outside the range, shift the pages between, then drop it in place.
    tx.execute(
        "UPDATE page SET position = 0 WHERE id = ?1 OR note_of = ?1",
        [id],
    )?;
    if position < from {
        tx.execute(
            "UPDATE page SET position = position + 1
             WHERE dossier_id = ?1 AND kind = ?2 AND component IS ?3
               AND position >= ?4 AND position < ?5",
            params![page.dossier_id, kind, component, position, from],
        )?;
    } else {
        tx.execute(
            "UPDATE page SET position = position - 1
             WHERE dossier_id = ?1 AND kind = ?2 AND component IS ?3
               AND position > ?4 AND position <= ?5",
            params![page.dossier_id, kind, component, from, position],
        )?;
    }
    tx.execute(
        "UPDATE page SET position = ?2 WHERE id = ?1 OR note_of = ?1",
        params![id, position],
    )?;
    Ok(true)
}

/// Moves a page (with its second image) to the end of another component or of the results,
/// closing the gap it leaves. A second image moves only with its page.
pub fn refile(tx: &Transaction<'_>, id: &str, target: &Target) -> Result<bool, Error> {
    let Some(page) = get(tx, id)? else {
        return Ok(false);
    };
    if page.note_of.is_some() {
        return Ok(false);
    }
    if &page.target == target {
        return Ok(true);
    }
    let (kind, component, result_code) = target_columns(target);
    let position = places(tx, &page.dossier_id, target)? + 1;
    tx.execute(
        "UPDATE page SET kind = ?2, component = ?3, result_code = ?4, position = ?5
         WHERE id = ?1 OR note_of = ?1",
        params![id, kind, component, result_code, position],
    )?;
    close_gap(tx, &page.dossier_id, &page.target, page.position)?;
    Ok(true)
}

/// What [`join_note`] and [`split_note`] can refuse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteRefusal {
    NoSuchPage,
    /// Joining: the page is first of its component; splitting: it is no second image.
    NothingToJoin,
    /// The page before already has its second image, or this page has one.
    AlreadyPaired,
}

/// Makes a page the second image of the page before it (a sheet scanned again with its sticky
/// note lifted, or the note on its own): it takes that page's place and the gap closes.
/// Returns the page it now belongs to.
pub fn join_note(tx: &Transaction<'_>, id: &str) -> Result<Result<String, NoteRefusal>, Error> {
    let Some(page) = get(tx, id)? else {
        return Ok(Err(NoteRefusal::NoSuchPage));
    };
    if page.note_of.is_some() || has_note(tx, id)? {
        return Ok(Err(NoteRefusal::AlreadyPaired));
    }
    let (kind, component, _) = target_columns(&page.target);
    let before: Option<String> = tx
        .query_row(
            "SELECT id FROM page
             WHERE dossier_id = ?1 AND kind = ?2 AND component IS ?3 AND position = ?4
               AND note_of IS NULL",
            params![
                page.dossier_id,
                kind,
                component,
                page.position.saturating_sub(1)
            ],
            |r| r.get(0),
        )
        .optional()?;
    let Some(before) = before else {
        return Ok(Err(NoteRefusal::NothingToJoin));
    };
    if has_note(tx, &before)? {
        return Ok(Err(NoteRefusal::AlreadyPaired));
    }
    tx.execute(
        "UPDATE page SET note_of = ?2, position = ?3 WHERE id = ?1",
        params![id, before, page.position - 1],
    )?;
    close_gap(tx, &page.dossier_id, &page.target, page.position)?;
    Ok(Ok(before))
}

/// Makes a second image a page of its own again, right after the page it belonged to.
pub fn split_note(tx: &Transaction<'_>, id: &str) -> Result<Result<(), NoteRefusal>, Error> {
    let Some(page) = get(tx, id)? else {
        return Ok(Err(NoteRefusal::NoSuchPage));
    };
    if page.note_of.is_none() {
        return Ok(Err(NoteRefusal::NothingToJoin));
    }
    let (kind, component, _) = target_columns(&page.target);
    tx.execute(
        "UPDATE page SET position = position + 1
         WHERE dossier_id = ?1 AND kind = ?2 AND component IS ?3 AND position > ?4",
        params![page.dossier_id, kind, component, page.position],
    )?;
    tx.execute(
        "UPDATE page SET note_of = NULL, position = ?2 WHERE id = ?1",
        params![id, page.position + 1],
    )?;
    Ok(Ok(()))
}

pub(crate) fn has_note(tx: &Transaction<'_>, id: &str) -> Result<bool, Error> {
    Ok(tx
        .query_row("SELECT 1 FROM page WHERE note_of = ?1", [id], |_| Ok(()))
        .optional()?
        .is_some())
}
