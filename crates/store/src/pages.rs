//! The `page` and `dossier_component` tables: the pages of each dossier and the components'
//! checklist. The rest of a page's life lives beside this file: `files` (the kept files),
//! `order` (positions, refiling, second images), `text` (recognition and search) and `aside`
//! (a deleted page set aside for a while, so the deletion can be undone).

use hoso_model::page::{OcrState, Target};
use rusqlite::{OptionalExtension, Row, Transaction, params};

use crate::Error;

mod aside;
mod files;
mod order;
mod text;

pub use aside::{Released, RestoreRefusal, UNDO_GRACE_MS, release_expired, restore, set_aside};
pub(crate) use files::release_if_unused;
pub use files::{blob_media_type, forget_released, insert_blob, released};
pub use order::{NoteRefusal, join_note, move_to, refile, split_note};
pub(crate) use order::{close_gap, has_note, open_gap, places};
pub use text::{
    TextJob, copy_text, count_waiting_for_text, search_text, set_text, text, waiting_for_text,
    words,
};

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

pub(crate) fn target_columns(target: &Target) -> (&'static str, Option<i64>, Option<&str>) {
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
