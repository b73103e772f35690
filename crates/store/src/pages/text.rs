//! The pages' recognised text: the recognition queue, the text and words read, and the
//! `page_search` index the dossier search uses.

use hoso_model::text::fold;
use rusqlite::{OptionalExtension, Transaction, params};

use crate::Error;

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
