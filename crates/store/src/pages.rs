//! The `blob`, `page`, `page_search` and `dossier_component` tables: the files kept, the pages
//! of each dossier, their recognised text and the components' checklist.

use hoso_model::page::{OcrState, Target};
use hoso_model::text::fold;
use rusqlite::{OptionalExtension, Row, Transaction, params};

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

/// A page as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct PageRow {
    pub id: String,
    pub dossier_id: String,
    pub target: Target,
    pub position: u32,
    pub blob_hash: String,
    pub media_type: String,
    pub pdf_page: Option<u32>,
    pub width: u32,
    pub height: u32,
    pub dpi: Option<u32>,
    pub rotation: u16,
    pub skew: f32,
    pub ink: f32,
    pub blank: bool,
    pub colour: bool,
    pub qr: Option<String>,
    pub phash: u64,
    pub source: String,
    pub source_name: String,
    pub ocr_state: OcrState,
    pub created_at_ms: i64,
    /// Set on the second image of a sheet (the sheet with its sticky note lifted, or the note
    /// itself): the page it belongs to. It shares that page's position and follows it.
    pub note_of: Option<String>,
}

/// A new page; its position is the next one of its component (or of the results).
#[derive(Debug, Clone)]
pub struct NewPage<'a> {
    pub id: &'a str,
    pub dossier_id: &'a str,
    pub target: &'a Target,
    pub blob_hash: &'a str,
    pub pdf_page: Option<u32>,
    pub width: u32,
    pub height: u32,
    pub dpi: Option<u32>,
    pub skew: f32,
    pub ink: f32,
    pub blank: bool,
    pub colour: bool,
    pub qr: Option<&'a str>,
    pub phash: u64,
    pub source: &'a str,
    pub source_name: &'a str,
    pub thumbnail: &'a [u8],
    pub ocr_state: OcrState,
    pub created_at_ms: i64,
}

fn target_columns(target: &Target) -> (&'static str, Option<i64>, Option<&str>) {
    match target {
        Target::Component { n } => ("component", Some(i64::from(*n)), None),
        Target::Result { code } => ("result", None, Some(code.as_deref().unwrap_or(""))),
    }
}

/// Adds a page at the end of its component; returns its position (from 1).
pub fn insert(tx: &Transaction<'_>, page: &NewPage<'_>) -> Result<u32, Error> {
    let (kind, component, result_code) = target_columns(page.target);
    let position = places(tx, page.dossier_id, page.target)? + 1;
    tx.execute(
        "INSERT INTO page (id, dossier_id, kind, component, result_code, position, blob_hash, pdf_page,
                           width, height, dpi, skew, ink, blank, colour, qr, phash, source, source_name,
                           thumbnail, ocr_state, created_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
                 ?20, ?21, ?22)",
        params![
            page.id,
            page.dossier_id,
            kind,
            component,
            result_code,
            position,
            page.blob_hash,
            page.pdf_page,
            page.width,
            page.height,
            page.dpi,
            f64::from(page.skew),
            f64::from(page.ink),
            page.blank,
            page.colour,
            page.qr,
            page.phash as i64,
            page.source,
            page.source_name,
            page.thumbnail,
            page.ocr_state.name(),
            page.created_at_ms,
        ],
    )?;
    Ok(position)
}

const COLUMNS: &str = "page.id, page.dossier_id, page.kind, page.component, page.result_code, \
     page.position, page.blob_hash, blob.media_type, page.pdf_page, page.width, page.height, \
     page.dpi, page.rotation, page.skew, page.ink, page.blank, page.colour, page.qr, page.phash, \
     page.source, page.source_name, page.ocr_state, page.created_at_ms, page.note_of";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Result<PageRow, Error>> {
    let kind: String = r.get(2)?;
    let component: Option<u16> = r.get(3)?;
    let result_code: Option<String> = r.get(4)?;
    let target = match (kind.as_str(), component) {
        ("component", Some(n)) => Target::Component { n },
        ("result", _) => Target::Result {
            code: result_code.filter(|c| !c.is_empty()),
        },
        _ => return Ok(Err(Error::Corrupt("page kind".into()))),
    };
    let ocr: String = r.get(21)?;
    let Some(ocr_state) = OcrState::from_name(&ocr) else {
        return Ok(Err(Error::Corrupt("page text state".into())));
    };
    let phash: i64 = r.get(18)?;
    Ok(Ok(PageRow {
        id: r.get(0)?,
        dossier_id: r.get(1)?,
        target,
        position: r.get(5)?,
        blob_hash: r.get(6)?,
        media_type: r.get(7)?,
        pdf_page: r.get(8)?,
        width: r.get(9)?,
        height: r.get(10)?,
        dpi: r.get(11)?,
        rotation: r.get(12)?,
        skew: r.get::<_, f64>(13)? as f32,
        ink: r.get::<_, f64>(14)? as f32,
        blank: r.get(15)?,
        colour: r.get(16)?,
        qr: r.get(17)?,
        phash: phash as u64,
        source: r.get(19)?,
        source_name: r.get(20)?,
        ocr_state,
        created_at_ms: r.get(22)?,
        note_of: r.get(23)?,
    }))
}

fn collect(
    rows: impl Iterator<Item = rusqlite::Result<Result<PageRow, Error>>>,
) -> Result<Vec<PageRow>, Error> {
    let mut out = Vec::new();
    for row in rows {
        out.push(row??);
    }
    Ok(out)
}

/// The pages of a dossier: components in order, then results, each in position order, a
/// page's second image right after it.
pub fn list(tx: &Transaction<'_>, dossier_id: &str) -> Result<Vec<PageRow>, Error> {
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM page JOIN blob ON blob.hash = page.blob_hash
         WHERE page.dossier_id = ?1
         ORDER BY page.kind, page.component, page.position, page.note_of IS NOT NULL"
    ))?;
    collect(stmt.query_map([dossier_id], from_row)?)
}

pub fn get(tx: &Transaction<'_>, id: &str) -> Result<Option<PageRow>, Error> {
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM page JOIN blob ON blob.hash = page.blob_hash WHERE page.id = ?1"
    ))?;
    stmt.query_row([id], from_row).optional()?.transpose()
}

pub fn thumbnail(tx: &Transaction<'_>, id: &str) -> Result<Option<Vec<u8>>, Error> {
    Ok(tx
        .query_row("SELECT thumbnail FROM page WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Sets the page's rotation (0, 90, 180, 270) and the thumbnail drawn for it.
pub fn set_rotation(
    tx: &Transaction<'_>,
    id: &str,
    rotation: u16,
    thumbnail: &[u8],
) -> Result<bool, Error> {
    let n = tx.execute(
        // Text was recognised on the page as shown: turned, it is recognised again.
        "UPDATE page SET rotation = ?2, thumbnail = ?3,
             ocr_state = CASE WHEN ocr_state IN ('done', 'failed') THEN 'pending' ELSE ocr_state END
         WHERE id = ?1",
        params![id, rotation, thumbnail],
    )?;
    Ok(n == 1)
}

/// Removes a page from its dossier and closes the gap in its component's order. A page with
/// a second image leaves that image in its place; a second image leaves no gap. The file
/// stays kept (another page may use it; the hub may hold it).
pub fn delete(tx: &Transaction<'_>, id: &str) -> Result<bool, Error> {
    let Some(page) = get(tx, id)? else {
        return Ok(false);
    };
    tx.execute(
        "DELETE FROM page_search WHERE rowid = (SELECT rowid FROM page WHERE id = ?1)",
        [id],
    )?;
    let promoted = tx.execute("UPDATE page SET note_of = NULL WHERE note_of = ?1", [id])?;
    tx.execute("DELETE FROM page WHERE id = ?1", [id])?;
    if page.note_of.is_none() && promoted == 0 {
        close_gap(tx, &page.dossier_id, &page.target, page.position)?;
    }
    Ok(true)
}

/// Moves the pages of a target after `position` one place up, into the gap a page left.
fn close_gap(
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

/// How many places a target's pages fill (second images share their page's place).
fn places(tx: &Transaction<'_>, dossier_id: &str, target: &Target) -> Result<u32, Error> {
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

fn has_note(tx: &Transaction<'_>, id: &str) -> Result<bool, Error> {
    Ok(tx
        .query_row("SELECT 1 FROM page WHERE note_of = ?1", [id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// A page waiting for text recognition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextJob {
    pub page_id: String,
    pub blob_hash: String,
    pub media_type: String,
    /// The page's index when its file is a PDF.
    pub pdf_page: Option<u32>,
    pub dpi: Option<u32>,
    /// Clockwise degrees the page is shown turned by; text is recognised as shown.
    pub rotation: u16,
    /// No text was ever read off the page (it has not been recognised, or only failed): it
    /// has not been shown to anyone as read, so it may be turned upright on its first reading.
    pub never_read: bool,
}

/// The oldest pages waiting for text, at most `limit`, skipping those in `busy`.
pub fn waiting_for_text(
    tx: &Transaction<'_>,
    limit: u32,
    busy: &[String],
) -> Result<Vec<TextJob>, Error> {
    let mut stmt = tx.prepare_cached(
        "SELECT page.id, page.blob_hash, blob.media_type, page.dpi, page.rotation,
                page.ocr_confidence IS NULL, page.pdf_page
         FROM page JOIN blob ON blob.hash = page.blob_hash
         WHERE page.ocr_state = 'pending' ORDER BY page.created_at_ms, page.id LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit + busy.len() as u32], |r| {
        Ok(TextJob {
            page_id: r.get(0)?,
            blob_hash: r.get(1)?,
            media_type: r.get(2)?,
            dpi: r.get(3)?,
            rotation: r.get(4)?,
            never_read: r.get(5)?,
            pdf_page: r.get(6)?,
        })
    })?;
    let all: Vec<TextJob> = rows.collect::<Result<_, _>>()?;
    Ok(all
        .into_iter()
        .filter(|j| !busy.contains(&j.page_id))
        .take(limit as usize)
        .collect())
}

/// How many pages wait for text.
pub fn count_waiting_for_text(tx: &Transaction<'_>) -> Result<u32, Error> {
    Ok(tx.query_row(
        "SELECT count(*) FROM page WHERE ocr_state = 'pending'",
        [],
        |r| r.get(0),
    )?)
}

/// Records a page's recognised text (and makes it searchable), or that recognition failed.
/// A page deleted meanwhile is skipped.
pub fn set_text(
    tx: &Transaction<'_>,
    id: &str,
    outcome: Option<(&str, &str, f32)>,
) -> Result<(), Error> {
    match outcome {
        Some((text, words_json, confidence)) => {
            let n = tx.execute(
                "UPDATE page SET ocr_state = 'done', ocr_text = ?2, ocr_words = ?3, ocr_confidence = ?4
                 WHERE id = ?1",
                params![id, text, words_json, f64::from(confidence)],
            )?;
            if n == 1 {
                tx.execute(
                    "INSERT OR REPLACE INTO page_search (rowid, text)
                     VALUES ((SELECT rowid FROM page WHERE id = ?1), ?2)",
                    params![id, fold(text)],
                )?;
            }
        }
        None => {
            tx.execute("UPDATE page SET ocr_state = 'failed' WHERE id = ?1", [id])?;
        }
    }
    Ok(())
}

/// The recognised words of a page, as stored (JSON), if any.
pub fn words(tx: &Transaction<'_>, id: &str) -> Result<Option<String>, Error> {
    Ok(tx
        .query_row("SELECT ocr_words FROM page WHERE id = ?1", [id], |r| {
            r.get::<_, Option<String>>(0)
        })
        .optional()?
        .flatten())
}

/// The recognised text of a page, if any.
pub fn text(tx: &Transaction<'_>, id: &str) -> Result<Option<String>, Error> {
    Ok(tx
        .query_row("SELECT ocr_text FROM page WHERE id = ?1", [id], |r| {
            r.get::<_, Option<String>>(0)
        })
        .optional()?
        .flatten())
}

/// Other pages made from the same file: `(page id, dossier id)`.
/// Gives page `to` the recognised text of page `from`: a reused page is not read again.
pub fn copy_text(tx: &Transaction<'_>, from: &str, to: &str) -> Result<(), Error> {
    tx.execute(
        "UPDATE page SET (ocr_state, ocr_text, ocr_words, ocr_confidence) =
             (SELECT ocr_state, ocr_text, ocr_words, ocr_confidence FROM page WHERE id = ?1)
         WHERE id = ?2",
        params![from, to],
    )?;
    tx.execute(
        "INSERT OR REPLACE INTO page_search (rowid, text)
         SELECT (SELECT rowid FROM page WHERE id = ?2), text FROM page_search
         WHERE rowid = (SELECT rowid FROM page WHERE id = ?1)",
        params![from, to],
    )?;
    Ok(())
}

/// The other pages made from the same file (and PDF page), `(page id, dossier id)`; pages
/// reused on purpose from an earlier dossier are not duplicates.
pub fn with_blob(
    tx: &Transaction<'_>,
    hash: &str,
    pdf_page: Option<u32>,
    except: &str,
) -> Result<Vec<(String, String)>, Error> {
    let mut stmt = tx.prepare_cached(
        "SELECT id, dossier_id FROM page
         WHERE blob_hash = ?1 AND pdf_page IS ?2 AND id <> ?3 AND source <> 'reuse'",
    )?;
    let rows = stmt.query_map(params![hash, pdf_page, except], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A page's perceptual hash: `(page id, dossier id, hash, the page it is the second image of)`.
pub type PageHash = (String, String, u64, Option<String>);

/// Every page's perceptual hash, skipping blank pages (all blank pages look alike).
pub fn hashes(tx: &Transaction<'_>) -> Result<Vec<PageHash>, Error> {
    let mut stmt = tx.prepare_cached(
        "SELECT id, dossier_id, phash, note_of FROM page WHERE blank = 0 AND source <> 'reuse'",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as u64, r.get(3)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The checklist: `(component, checked, declared pages)` for a dossier.
pub fn components(
    tx: &Transaction<'_>,
    dossier_id: &str,
) -> Result<Vec<(u16, bool, Option<u32>)>, Error> {
    let mut stmt = tx.prepare_cached(
        "SELECT component, checked, declared_pages FROM dossier_component
         WHERE dossier_id = ?1 ORDER BY component",
    )?;
    let rows = stmt.query_map([dossier_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Ticks (or unticks) a component and records the pages the officer counted (`None` keeps what
/// was declared before).
pub fn set_component(
    tx: &Transaction<'_>,
    dossier_id: &str,
    component: u16,
    checked: bool,
    declared_pages: Option<u32>,
) -> Result<(), Error> {
    tx.execute(
        "INSERT INTO dossier_component (dossier_id, component, checked, declared_pages)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (dossier_id, component) DO UPDATE SET
             checked = excluded.checked,
             declared_pages = coalesce(excluded.declared_pages, declared_pages)",
        params![dossier_id, component, checked, declared_pages],
    )?;
    Ok(())
}

/// Dossier ids whose pages' text holds every word of `query` (as prefixes), newest page first.
pub fn search_text(
    tx: &Transaction<'_>,
    fts_query: &str,
    limit: u32,
) -> Result<Vec<String>, Error> {
    let mut stmt = tx.prepare_cached(
        "SELECT DISTINCT page.dossier_id FROM page_search JOIN page ON page.rowid = page_search.rowid
         WHERE page_search MATCH ?1 ORDER BY page_search.rowid DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![fts_query, limit], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
