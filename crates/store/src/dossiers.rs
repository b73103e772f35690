//! The `dossier` table.

use hoso_model::lifecycle::Status;
use hoso_model::text::fold;
use hoso_model::{Channel, Dossier, DossierId};
use jiff::Timestamp;
use rusqlite::{OptionalExtension, Row, Transaction, params};

use crate::Error;

/// Adds a dossier. Its id is new by construction; a clash is a fault, reported as such.
pub fn insert(tx: &Transaction<'_>, dossier: &Dossier) -> Result<(), Error> {
    tx.execute(
        "INSERT INTO dossier (id, procedure_code, applicant_name, received_at_ms, code, status, due_at_ms,
                              applicant_id_number, applicant_phone, applicant_address, applicant_email, channel)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            dossier.id.0,
            dossier.procedure_code,
            dossier.applicant_name,
            dossier.received_at.as_millisecond(),
            dossier.code,
            Status::name(dossier.status),
            dossier.due_at.map(Timestamp::as_millisecond),
            dossier.id_number,
            dossier.phone,
            dossier.address,
            dossier.email,
            dossier.channel.name(),
        ],
    )?;
    tx.execute(
        "INSERT INTO dossier_search (rowid, text) VALUES (last_insert_rowid(), ?1)",
        [search_text(dossier)],
    )?;
    Ok(())
}

/// What a dossier is found by: code, applicant, ID number, phone, procedure; folded.
fn search_text(d: &Dossier) -> String {
    let parts = [
        d.code.as_deref(),
        Some(&d.applicant_name),
        d.id_number.as_deref(),
        d.phone.as_deref(),
        Some(&d.procedure_code),
    ];
    fold(&parts.into_iter().flatten().collect::<Vec<_>>().join(" "))
}

/// Dossiers matching every word of `query`, with or without diacritics, best first:
/// 1. those holding every word whole in their own fields ("an" finds An before Anh, a full
///    code or ID number finds its dossier first);
/// 2. then those where the words are only the beginnings of theirs (a name being typed);
/// 3. then those found by the words in the recognised text of their pages.
///
/// Within each rank the newest come first: every result of a rank matches every word, so
/// recency is what sets them apart, and it lets FTS5 stop after `limit` rows (each rank is one
/// query walking the index newest first, so a common name at a million dossiers stays fast).
/// An empty query matches nothing; the query's own punctuation is never FTS5 syntax.
pub fn search(tx: &Transaction<'_>, query: &str, limit: u32) -> Result<Vec<Dossier>, Error> {
    let words: Vec<String> = fold(query)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    if words.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let whole = fts_query(&words, "");
    let prefixes = fts_query(&words, "*");
    let mut out: Vec<Dossier> = Vec::new();
    for query in [&whole, &prefixes] {
        let room = limit as usize - out.len();
        if room == 0 {
            break;
        }
        // Those of the rank before may come again: ask for as many more.
        for d in matching(tx, query, (room + out.len()) as u32)? {
            if out.len() == limit as usize {
                break;
            }
            if !out.iter().any(|o| o.id == d.id) {
                out.push(d);
            }
        }
    }
    if out.len() < limit as usize {
        for id in crate::pages::search_text(tx, &prefixes, limit)? {
            if out.len() >= limit as usize {
                break;
            }
            if out.iter().any(|d| d.id.0 == id) {
                continue;
            }
            if let Some(d) = get(tx, &DossierId(id))? {
                out.push(d);
            }
        }
    }
    Ok(out)
}

/// An FTS5 query holding every one of `words` (already folded, only letters and digits), each
/// quoted as a string and followed by `suffix` (`"*"`: as a prefix).
fn fts_query(words: &[String], suffix: &str) -> String {
    words
        .iter()
        .map(|w| format!("\"{w}\"{suffix}"))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// Dossiers whose own fields match `fts_query`, newest first, at most `limit`.
fn matching(tx: &Transaction<'_>, fts_query: &str, limit: u32) -> Result<Vec<Dossier>, Error> {
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM dossier_search JOIN dossier ON dossier.rowid = dossier_search.rowid
         WHERE dossier_search MATCH ?1 ORDER BY dossier_search.rowid DESC LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![fts_query, limit], from_row)?;
    let mut out = Vec::new();
    for row in rows {
        out.push(row??);
    }
    Ok(out)
}

pub(crate) const COLUMNS: &str = "id, procedure_code, applicant_name, received_at_ms, code, status, due_at_ms, \
     applicant_id_number, applicant_phone, applicant_address, applicant_email, channel";

/// The most recently received dossiers first, at most `limit`, optionally of one status only.
pub fn latest(tx: &Transaction<'_>, limit: u32) -> Result<Vec<Dossier>, Error> {
    latest_with_status(tx, None, limit)
}

/// Like [`latest`], only dossiers in `status` when it is given.
pub fn latest_with_status(
    tx: &Transaction<'_>,
    status: Option<Status>,
    limit: u32,
) -> Result<Vec<Dossier>, Error> {
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM dossier WHERE ?1 IS NULL OR status = ?1
         ORDER BY received_at_ms DESC, id LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![status.map(Status::name), limit], from_row)?;
    let mut out = Vec::new();
    for row in rows {
        out.push(row??);
    }
    Ok(out)
}

/// Like [`latest_with_status`], only those of a procedure, received by an officer, or received
/// in `[from_ms, until_ms)`, where those are given.
pub fn latest_matching(
    tx: &Transaction<'_>,
    status: Option<Status>,
    procedure: Option<&str>,
    officer: Option<&str>,
    (from_ms, until_ms): (Option<i64>, Option<i64>),
    limit: u32,
) -> Result<Vec<Dossier>, Error> {
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM dossier
         WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR procedure_code = ?2)
           AND (?3 IS NULL OR id IN (SELECT dossier_id FROM dossier_progress WHERE officer = ?3))
           AND (?4 IS NULL OR received_at_ms >= ?4) AND (?5 IS NULL OR received_at_ms < ?5)
         ORDER BY received_at_ms DESC, id LIMIT ?6"
    ))?;
    let rows = stmt.query_map(
        params![
            status.map(Status::name),
            procedure,
            officer,
            from_ms,
            until_ms,
            limit
        ],
        from_row,
    )?;
    let mut out = Vec::new();
    for row in rows {
        out.push(row??);
    }
    Ok(out)
}

/// One dossier by id.
pub fn get(tx: &Transaction<'_>, id: &DossierId) -> Result<Option<Dossier>, Error> {
    let mut stmt = tx.prepare_cached(&format!("SELECT {COLUMNS} FROM dossier WHERE id = ?1"))?;
    let mut rows = stmt.query_map([&id.0], from_row)?;
    rows.next().transpose()?.transpose()
}

/// The dossiers received in `[from, until)`, oldest first (the tracking book's order).
pub fn received_between(
    tx: &Transaction<'_>,
    from: Timestamp,
    until: Timestamp,
) -> Result<Vec<Dossier>, Error> {
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM dossier WHERE received_at_ms >= ?1 AND received_at_ms < ?2
         ORDER BY received_at_ms, id"
    ))?;
    let rows = stmt.query_map(
        params![from.as_millisecond(), until.as_millisecond()],
        from_row,
    )?;
    let mut out = Vec::new();
    for row in rows {
        out.push(row??);
    }
    Ok(out)
}

/// One dossier by its official code.
pub fn get_by_code(tx: &Transaction<'_>, code: &str) -> Result<Option<Dossier>, Error> {
    let mut stmt = tx.prepare_cached(&format!("SELECT {COLUMNS} FROM dossier WHERE code = ?1"))?;
    let mut rows = stmt.query_map([code], from_row)?;
    rows.next().transpose()?.transpose()
}

/// Records the status folded from the event log and the due date; called in the transaction
/// that appends the event.
pub fn set_status_and_due(
    tx: &Transaction<'_>,
    id: &DossierId,
    status: Status,
    due_at: Option<Timestamp>,
) -> Result<(), Error> {
    tx.execute(
        "UPDATE dossier SET status = ?2, due_at_ms = ?3 WHERE id = ?1",
        params![
            id.0,
            Status::name(status),
            due_at.map(Timestamp::as_millisecond)
        ],
    )?;
    Ok(())
}

/// Counts one more code issued on `day` (YYMMDD) and returns how many this desk has issued
/// that day, this one included. Runs in the transaction that saves the dossier carrying the
/// code, so a number is never issued twice nor lost to a crash.
pub fn next_code_number(tx: &Transaction<'_>, day: &str) -> Result<u32, Error> {
    next_code_number_from(tx, day, 1)
}

/// [`next_code_number`], but never below `least`: a desk restored from a backup that has not
/// heard from the hub since numbers from a reserved range (`hoso_model::unit::RESTORED_FROM`).
pub fn next_code_number_from(tx: &Transaction<'_>, day: &str, least: u32) -> Result<u32, Error> {
    let n: i64 = tx.query_row(
        "INSERT INTO code_counter (day, issued) VALUES (?1, max(?2, 1))
         ON CONFLICT (day) DO UPDATE SET issued = max(issued + 1, excluded.issued)
         RETURNING issued",
        params![day, least],
        |row| row.get(0),
    )?;
    u32::try_from(n).map_err(|_| Error::Corrupt(format!("code counter {n}")))
}

/// Raises the count of codes issued on `day` to at least `issued` (what the hub holds for this
/// desk's slot): the next code that day is `issued + 1` or later. Never lowers it.
pub fn raise_code_counter(tx: &Transaction<'_>, day: &str, issued: u32) -> Result<(), Error> {
    tx.execute(
        "INSERT INTO code_counter (day, issued) VALUES (?1, ?2)
         ON CONFLICT (day) DO UPDATE SET issued = max(issued, excluded.issued)",
        params![day, issued],
    )?;
    Ok(())
}

/// The number of codes issued on `day`, if any.
pub fn codes_issued(tx: &Transaction<'_>, day: &str) -> Result<u32, Error> {
    let n: Option<i64> = tx
        .query_row(
            "SELECT issued FROM code_counter WHERE day = ?1",
            [day],
            |row| row.get(0),
        )
        .optional()?;
    Ok(n.map_or(0, |n| n as u32))
}

/// How many dossiers the desk holds.
pub fn count(tx: &Transaction<'_>) -> Result<u64, Error> {
    let n: i64 = tx.query_row("SELECT count(*) FROM dossier", [], |row| row.get(0))?;
    Ok(n.unsigned_abs())
}

pub(crate) fn timestamp(millis: i64) -> Result<Timestamp, Error> {
    Timestamp::from_millisecond(millis)
        .map_err(|_| Error::Corrupt(format!("timestamp {millis} is out of range")))
}

/// Reads a row of [`COLUMNS`]; a value this version cannot read is reported as corrupt.
pub(crate) fn from_row(row: &Row<'_>) -> rusqlite::Result<Result<Dossier, Error>> {
    let received: i64 = row.get(3)?;
    let status: String = row.get(5)?;
    let due: Option<i64> = row.get(6)?;
    let (id, procedure_code, applicant_name, code) =
        (row.get(0)?, row.get(1)?, row.get(2)?, row.get(4)?);
    let (id_number, phone, address, email) = (row.get(7)?, row.get(8)?, row.get(9)?, row.get(10)?);
    let channel: String = row.get(11)?;
    let decoded = (|| {
        Ok(Dossier {
            id: DossierId(id),
            procedure_code,
            applicant_name,
            received_at: timestamp(received)?,
            code,
            status: Status::from_name(&status)
                .ok_or_else(|| Error::Corrupt(format!("status {status:?}")))?,
            due_at: due.map(timestamp).transpose()?,
            id_number,
            phone,
            address,
            email,
            channel: Channel::from_name(&channel)
                .ok_or_else(|| Error::Corrupt(format!("channel {channel:?}")))?,
        })
    })();
    Ok(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;

    fn dossier(id: &str, name: &str, at: &str) -> Dossier {
        Dossier {
            id: DossierId(id.into()),
            procedure_code: "2.000815".into(),
            applicant_name: name.into(),
            received_at: at.parse().unwrap(),
            code: None,
            status: Status::Received,
            due_at: None,
            id_number: None,
            phone: None,
            address: None,
            email: None,
            channel: Channel::Direct,
        }
    }

    #[test]
    fn the_code_counter_is_raised_never_lowered_and_can_jump_ahead() {
        let store = Store::open_in_memory().unwrap();
        let numbers = store
            .write(|tx| {
                let first = next_code_number(tx, "260305")?;
                raise_code_counter(tx, "260305", 3)?;
                let after_raise = next_code_number(tx, "260305")?;
                raise_code_counter(tx, "260305", 2)?;
                let not_lowered = next_code_number(tx, "260305")?;
                let jumped = next_code_number_from(tx, "260305", 7993)?;
                let on_from_jump = next_code_number_from(tx, "260305", 7993)?;
                let fresh_day = next_code_number_from(tx, "260306", 7993)?;
                raise_code_counter(tx, "260307", 4)?;
                Ok::<_, Error>((
                    [first, after_raise, not_lowered, jumped, on_from_jump],
                    fresh_day,
                    codes_issued(tx, "260307")?,
                ))
            })
            .unwrap();
        assert_eq!(numbers, ([1, 4, 5, 7993, 7994], 7993, 4));
    }

    #[test]
    fn search_finds_names_typed_without_diacritics_and_by_id_or_phone_prefix() {
        let store = Store::open_in_memory().unwrap();
        let mut duc = dossier("a", "Nguyễn Văn Đức", "2026-03-05T01:00:00Z");
        duc.id_number = Some("042199001234".into());
        duc.code = Some("H25.123-260305-0001".into());
        let mut dung = dossier("b", "Nguyễn Thị Dung", "2026-03-05T02:00:00Z");
        dung.phone = Some("0905111222".into());
        store
            .write(|tx| {
                insert(tx, &duc)?;
                insert(tx, &dung)
            })
            .unwrap();
        let names = |q: &str| -> Vec<String> {
            store
                .read(|tx| search(tx, q, 10))
                .unwrap()
                .into_iter()
                .map(|d| d.applicant_name)
                .collect()
        };
        assert_eq!(names("nguyen van duc"), vec!["Nguyễn Văn Đức"]);
        assert_eq!(names("Đức"), vec!["Nguyễn Văn Đức"]);
        assert_eq!(names("duc"), vec!["Nguyễn Văn Đức"], "đ matches d");
        assert_eq!(names("nguyen").len(), 2);
        assert_eq!(
            names("04219900"),
            vec!["Nguyễn Văn Đức"],
            "ID number prefix"
        );
        assert_eq!(names("0905"), vec!["Nguyễn Thị Dung"], "phone prefix");
        assert_eq!(
            names("260305-0001"),
            vec!["Nguyễn Văn Đức"],
            "part of the code"
        );
        assert!(names("  ").is_empty());
        assert!(
            names("\"*)(").is_empty(),
            "query syntax is never passed through"
        );
    }

    #[test]
    fn search_ranks_whole_words_before_beginnings_then_page_text() {
        let store = Store::open_in_memory().unwrap();
        // Received in this order: the newest is the one that only begins with the word.
        let an = dossier("a", "Lê Văn An", "2026-03-05T01:00:00Z");
        let mut by_code = dossier("b", "Trần Thị Hoa", "2026-03-05T02:00:00Z");
        by_code.code = Some("H25.123-260305-0007".into());
        let anh = dossier("c", "Phạm Văn Anh", "2026-03-05T03:00:00Z");
        let mut code_like = dossier("d", "Đỗ Thị Ánh", "2026-03-05T04:00:00Z");
        code_like.code = Some("H25.123-260305-00071".into());
        store
            .write(|tx| {
                for d in [&an, &by_code, &anh, &code_like] {
                    insert(tx, d)?;
                }
                Ok::<_, Error>(())
            })
            .unwrap();
        let ids = |q: &str, limit: u32| -> Vec<String> {
            store
                .read(|tx| search(tx, q, limit))
                .unwrap()
                .into_iter()
                .map(|d| d.id.0)
                .collect()
        };
        assert_eq!(
            ids("an", 10),
            ["a", "d", "c"],
            "An, then Ánh and Anh newest first"
        );
        assert_eq!(ids("van an", 10), ["a", "c"]);
        assert_eq!(ids("an", 1), ["a"], "the limit keeps the best");
        assert_eq!(ids("an", 2), ["a", "d"]);
        assert_eq!(
            ids("H25.123-260305-0007", 10),
            ["b", "d"],
            "the whole code first, a longer one after"
        );
        assert!(ids("an", 0).is_empty());
    }

    #[test]
    fn dossiers_come_back_newest_first_and_unchanged() {
        let store = Store::open_in_memory().unwrap();
        let older = dossier("a", "Trần Thị Bích", "2026-03-05T01:00:00Z");
        let newer = dossier("b", "Nguyễn Văn Đức", "2026-03-05T02:30:00.123Z");
        store
            .write(|tx| {
                insert(tx, &older)?;
                insert(tx, &newer)
            })
            .unwrap();
        let listed = store.read(|tx| latest(tx, 10)).unwrap();
        assert_eq!(
            listed,
            vec![newer.clone(), older],
            "newest first, every field and millisecond kept"
        );
        assert_eq!(
            store.read(|tx| latest(tx, 1)).unwrap(),
            vec![newer.clone()],
            "the limit is honoured"
        );
        assert_eq!(store.read(|tx| get(tx, &newer.id)).unwrap(), Some(newer));
        assert_eq!(
            store.read(|tx| get(tx, &DossierId("zzz".into()))).unwrap(),
            None
        );
        assert_eq!(store.read(count).unwrap(), 2);
    }

    #[test]
    fn a_failed_write_leaves_nothing_behind() {
        let store = Store::open_in_memory().unwrap();
        let first = dossier("same", "Lê Văn A", "2026-03-05T01:00:00Z");
        let result = store.write(|tx| {
            insert(tx, &first)?;
            insert(tx, &first) // the same id again: the whole transaction must roll back
        });
        assert!(result.is_err());
        assert_eq!(
            store.read(count).unwrap(),
            0,
            "the first insert was rolled back with the second"
        );
    }
}
