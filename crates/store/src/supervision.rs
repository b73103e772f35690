//! The tables supervisors read (migration 9): `dossier_progress` (the facts the queues and the
//! indicators count, kept by the desk in the transaction of each change), `dossier_review`
//! (append-only decisions) and `dossier_rating`.
//!
//! Every queue is one `count(*)` over a partial index (or the sync outbox's), so the backlog
//! costs what is in it, not what the desk holds.

use hoso_model::lifecycle::Status;
use hoso_model::supervision::{
    BacklogFilter, Facts, Queue, QueueItem, Rating, ReviewDecision, ReviewEntry, ReviewState,
};
use hoso_model::{Channel, DossierId};
use rusqlite::{OptionalExtension, Transaction, named_params, params};

use crate::Error;
use crate::dossiers::{COLUMNS, from_row, timestamp};

/// What the desk computed of a dossier (the review is kept apart: see [`append_review`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    pub procedure_code: String,
    pub received_at_ms: i64,
    /// The dossier's status name.
    pub status: String,
    pub officer: Option<String>,
    pub digitised: bool,
    pub component_pages: u32,
    pub result_expected: bool,
    pub result_pages: u32,
    pub reused_pages: u32,
    pub resolved: bool,
    pub finished_at_ms: Option<i64>,
    pub supplement_requests: u32,
}

/// Writes a dossier's progress row (creating it pending review), leaving its review alone.
pub fn put_progress(tx: &Transaction<'_>, id: &DossierId, p: &Progress) -> Result<(), Error> {
    tx.prepare_cached(
        "INSERT INTO dossier_progress (dossier_id, officer, digitised, component_pages,
             result_expected, result_pages, reused_pages, resolved, finished_at_ms,
             supplement_requests, procedure_code, received_at_ms, status)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT (dossier_id) DO UPDATE SET
             procedure_code = excluded.procedure_code,
             received_at_ms = excluded.received_at_ms, status = excluded.status,
             officer = excluded.officer, digitised = excluded.digitised,
             component_pages = excluded.component_pages,
             result_expected = excluded.result_expected, result_pages = excluded.result_pages,
             reused_pages = excluded.reused_pages, resolved = excluded.resolved,
             finished_at_ms = excluded.finished_at_ms,
             supplement_requests = excluded.supplement_requests",
    )?
    .execute(params![
        id.0,
        p.officer,
        p.digitised,
        p.component_pages,
        p.result_expected,
        p.result_pages,
        p.reused_pages,
        p.resolved,
        p.finished_at_ms,
        p.supplement_requests,
        p.procedure_code,
        p.received_at_ms,
        p.status,
    ])?;
    Ok(())
}

/// A component's pages: `(component, pages, of which reused)`.
pub type ComponentPages = (u16, u32, u32);

/// The pages of a dossier by where they are: each component with pages, and the result pages.
pub fn page_counts(
    tx: &Transaction<'_>,
    id: &DossierId,
) -> Result<(Vec<ComponentPages>, u32), Error> {
    let mut stmt = tx.prepare_cached(
        "SELECT component, count(*), count(*) FILTER (WHERE source = 'reuse')
         FROM page WHERE dossier_id = ?1 AND kind = 'component' AND note_of IS NULL
         GROUP BY component",
    )?;
    let components = stmt
        .query_map([&id.0], |r| {
            Ok((r.get::<_, i64>(0)? as u16, r.get(1)?, r.get(2)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let results: u32 = tx
        .prepare_cached("SELECT count(*) FROM page WHERE dossier_id = ?1 AND kind = 'result' AND note_of IS NULL")?
        .query_row([&id.0], |r| r.get(0))?;
    Ok((components, results))
}

/// How many dossiers have no progress row (a cheap check made at every opening).
pub fn missing_progress(tx: &Transaction<'_>) -> Result<u64, Error> {
    let n: i64 = tx.query_row(
        "SELECT (SELECT count(*) FROM dossier) - (SELECT count(*) FROM dossier_progress)",
        [],
        |r| r.get(0),
    )?;
    Ok(n.unsigned_abs())
}

/// Dossiers without a progress row (registered before migration 9), at most `limit`.
pub fn without_progress(tx: &Transaction<'_>, limit: u32) -> Result<Vec<DossierId>, Error> {
    let mut stmt = tx.prepare_cached(
        "SELECT id FROM dossier WHERE id NOT IN (SELECT dossier_id FROM dossier_progress)
         LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit], |r| Ok(DossierId(r.get(0)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Every dossier id after `after` (in id order), at most `limit`: for rebuilding every row.
pub fn ids_after(tx: &Transaction<'_>, after: &str, limit: u32) -> Result<Vec<DossierId>, Error> {
    let mut stmt =
        tx.prepare_cached("SELECT id FROM dossier WHERE id > ?1 ORDER BY id LIMIT ?2")?;
    let rows = stmt.query_map(params![after, limit], |r| Ok(DossierId(r.get(0)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Where a dossier's review stands, and the note of the last return.
pub fn review_state(
    tx: &Transaction<'_>,
    id: &DossierId,
) -> Result<(ReviewState, Option<String>), Error> {
    let row: Option<(String, Option<String>)> = tx
        .prepare_cached("SELECT review, review_note FROM dossier_progress WHERE dossier_id = ?1")?
        .query_row([&id.0], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match row {
        None => Ok((ReviewState::Pending, None)),
        Some((state, note)) => Ok((
            ReviewState::from_name(&state)
                .ok_or_else(|| Error::Corrupt(format!("review state {state:?}")))?,
            note,
        )),
    }
}

/// Appends a decision to a dossier's review log and records the state it leads to.
pub fn append_review(
    tx: &Transaction<'_>,
    id: &DossierId,
    entry: &ReviewEntry,
) -> Result<(), Error> {
    tx.prepare_cached(
        "INSERT INTO dossier_review (dossier_id, seq, decision, note, actor, at_ms)
         VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM dossier_review WHERE dossier_id = ?1),
                 ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        id.0,
        entry.decision.name(),
        entry.note,
        entry.actor,
        entry.at.as_millisecond()
    ])?;
    let note = match entry.decision {
        ReviewDecision::Rework => entry.note.clone(),
        _ => None,
    };
    let changed = tx
        .prepare_cached(
            "UPDATE dossier_progress SET review = ?2, review_note = ?3 WHERE dossier_id = ?1",
        )?
        .execute(params![id.0, entry.decision.state_after().name(), note])?;
    if changed != 1 {
        return Err(Error::Corrupt("a dossier without its progress row".into()));
    }
    Ok(())
}

/// A dossier approved earlier whose component pages changed is pending review again.
pub fn reopen_review(tx: &Transaction<'_>, id: &DossierId) -> Result<(), Error> {
    tx.prepare_cached(
        "UPDATE dossier_progress SET review = 'pending' WHERE dossier_id = ?1 AND review = 'approved'",
    )?
    .execute([&id.0])?;
    Ok(())
}

/// A dossier's review decisions, oldest first.
pub fn review_log(tx: &Transaction<'_>, id: &DossierId) -> Result<Vec<ReviewEntry>, Error> {
    let mut stmt = tx.prepare_cached(
        "SELECT decision, note, actor, at_ms FROM dossier_review WHERE dossier_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([&id.0], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (decision, note, actor, at) = row?;
        out.push(ReviewEntry {
            decision: ReviewDecision::from_name(&decision)
                .ok_or_else(|| Error::Corrupt(format!("review decision {decision:?}")))?,
            note,
            actor,
            at: timestamp(at)?,
        });
    }
    Ok(out)
}

/// Records (or replaces) the citizen's rating of a dossier.
pub fn set_rating(
    tx: &Transaction<'_>,
    id: &DossierId,
    rating: Rating,
    at_ms: i64,
    actor: &str,
) -> Result<(), Error> {
    tx.prepare_cached(
        "INSERT INTO dossier_rating (dossier_id, rating, at_ms, actor) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (dossier_id) DO UPDATE SET
             rating = excluded.rating, at_ms = excluded.at_ms, actor = excluded.actor",
    )?
    .execute(params![id.0, rating.name(), at_ms, actor])?;
    Ok(())
}

/// The moments the date queues need, in Unix milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    pub now_ms: i64,
    /// The end of today (the next midnight, Vietnamese time).
    pub today_end_ms: i64,
    pub tomorrow_end_ms: i64,
}

/// The `FROM … WHERE` of a queue over `dossier d`, `dossier_progress p` and `sync_dossier s`.
/// Each names its index (`INDEXED BY`: SQLite refuses the query rather than ignore it) and
/// repeats that partial index's condition, so it counts only the index's rows; `CROSS JOIN`
/// keeps that table outermost, so the filter's optional terms never make the planner walk
/// every dossier.
fn queue_sql(queue: Queue) -> &'static str {
    match queue {
        Queue::NotDigitised => {
            "FROM dossier_progress p INDEXED BY progress_not_digitised
             WHERE p.digitised = 0 AND p.status NOT IN ('draft', 'refused', 'withdrawn')"
        }
        Queue::AwaitingReview => {
            "FROM dossier_progress p INDEXED BY progress_awaiting_review
             WHERE p.digitised = 1 AND p.component_pages > 0 AND p.review = 'pending'"
        }
        Queue::Rework => {
            "FROM dossier_progress p INDEXED BY progress_rework WHERE p.review = 'rework'"
        }
        Queue::ResultsNotDigitised => {
            "FROM dossier_progress p INDEXED BY progress_results_missing
             WHERE p.resolved = 1 AND p.result_expected = 1 AND p.result_pages = 0"
        }
        Queue::SyncWaiting => {
            "FROM sync_dossier s INDEXED BY sync_dossier_waiting
             CROSS JOIN dossier_progress p ON p.dossier_id = s.dossier_id
             WHERE s.change > s.acked
               AND (s.quarantined_version IS NULL OR s.change > s.quarantined_version)"
        }
        Queue::SyncFailing => {
            "FROM sync_dossier s INDEXED BY sync_dossier_waiting
             CROSS JOIN dossier_progress p ON p.dossier_id = s.dossier_id
             WHERE s.change > s.acked AND s.attempts > 0
               AND (s.quarantined_version IS NULL OR s.change > s.quarantined_version)"
        }
        Queue::SyncQuarantined => {
            "FROM sync_dossier s INDEXED BY sync_dossier_waiting
             CROSS JOIN dossier_progress p ON p.dossier_id = s.dossier_id
             WHERE s.change > s.acked
               AND s.quarantined_version IS NOT NULL AND s.change <= s.quarantined_version"
        }
        Queue::DueToday => {
            "FROM dossier d INDEXED BY dossier_open_by_due
             CROSS JOIN dossier_progress p ON p.dossier_id = d.id
             WHERE d.status IN ('received', 'processing', 'payment_requested')
               AND d.due_at_ms >= :now AND d.due_at_ms < :today_end"
        }
        Queue::DueTomorrow => {
            "FROM dossier d INDEXED BY dossier_open_by_due
             CROSS JOIN dossier_progress p ON p.dossier_id = d.id
             WHERE d.status IN ('received', 'processing', 'payment_requested')
               AND d.due_at_ms >= :today_end AND d.due_at_ms < :tomorrow_end"
        }
        Queue::Overdue => {
            "FROM dossier d INDEXED BY dossier_open_by_due
             CROSS JOIN dossier_progress p ON p.dossier_id = d.id
             WHERE d.status IN ('received', 'processing', 'payment_requested')
               AND d.due_at_ms < :now"
        }
        Queue::SupplementPending => {
            "FROM dossier d INDEXED BY dossier_by_status
             CROSS JOIN dossier_progress p ON p.dossier_id = d.id
             WHERE d.status = 'supplement_requested'"
        }
    }
}

/// What every queue adds for the filter (unset parameters match everything).
const FILTER_SQL: &str = "
    AND (:officer IS NULL OR p.officer = :officer)
    AND (:procedure IS NULL OR p.procedure_code = :procedure)
    AND (:from IS NULL OR p.received_at_ms >= :from)
    AND (:to IS NULL OR p.received_at_ms < :to)";

/// How many dossiers wait in `queue`.
pub fn count(
    tx: &Transaction<'_>,
    queue: Queue,
    filter: &BacklogFilter,
    clock: Clock,
) -> Result<u64, Error> {
    let sql = format!("SELECT count(*) {} {FILTER_SQL}", queue_sql(queue));
    let n: i64 = with_params(&sql, filter, clock, 0, |params| {
        tx.prepare_cached(&sql)?.query_row(params, |r| r.get(0))
    })?;
    Ok(n.unsigned_abs())
}

/// Runs `run` with the named parameters `sql` uses (SQLite refuses names it does not have).
fn with_params<T>(
    sql: &str,
    filter: &BacklogFilter,
    clock: Clock,
    limit: u32,
    run: impl FnOnce(&[(&str, &dyn rusqlite::ToSql)]) -> rusqlite::Result<T>,
) -> Result<T, Error> {
    let (from, to) = filter.received_bounds_ms();
    let (officer, procedure) = (filter.officer.as_deref(), filter.procedure.as_deref());
    let all = named_params! {
        ":officer": officer, ":procedure": procedure, ":from": from, ":to": to,
        ":now": clock.now_ms, ":today_end": clock.today_end_ms,
        ":tomorrow_end": clock.tomorrow_end_ms, ":limit": limit,
    };
    let used: Vec<(&str, &dyn rusqlite::ToSql)> = all
        .iter()
        .filter(|(name, _)| {
            sql.match_indices(name).any(|(at, _)| {
                !sql[at + name.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
            })
        })
        .copied()
        .collect();
    Ok(run(&used)?)
}

/// The dossiers in `queue`, the oldest received first (the ones waiting longest), at most
/// `limit`, with who received them and the note of a return.
pub fn items(
    tx: &Transaction<'_>,
    queue: Queue,
    filter: &BacklogFilter,
    clock: Clock,
    limit: u32,
) -> Result<Vec<QueueItem>, Error> {
    let columns: String = COLUMNS
        .split(',')
        .map(|c| format!("d.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    // The queue's dossiers are picked from its index first; only those listed are read whole.
    let sql = format!(
        "WITH listed AS (SELECT p.dossier_id, p.received_at_ms {} {FILTER_SQL}
                         ORDER BY p.received_at_ms, p.dossier_id LIMIT :limit)
         SELECT {columns}, p.officer, p.review_note
         FROM listed CROSS JOIN dossier d ON d.id = listed.dossier_id
         CROSS JOIN dossier_progress p ON p.dossier_id = listed.dossier_id
         ORDER BY listed.received_at_ms, listed.dossier_id",
        queue_sql(queue)
    );
    let extra = COLUMNS.split(',').count();
    let rows = with_params(&sql, filter, clock, limit, |params| {
        let mut stmt = tx.prepare_cached(&sql)?;
        let rows = stmt.query_map(params, |r| {
            Ok((
                from_row(r)?,
                r.get::<_, Option<String>>(extra)?,
                r.get::<_, Option<String>>(extra + 1)?,
            ))
        })?;
        rows.collect::<Result<Vec<_>, _>>()
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (dossier, officer, note) = row;
        out.push(QueueItem {
            dossier: dossier?,
            officer,
            note,
        });
    }
    Ok(out)
}

/// The facts of every dossier received in `[from_ms, until_ms)`, for the indicators.
pub fn facts(tx: &Transaction<'_>, from_ms: i64, until_ms: i64) -> Result<Vec<Facts>, Error> {
    let mut stmt = tx.prepare_cached(
        "SELECT coalesce(d.code, d.id), d.procedure_code, p.officer, d.channel, d.status,
                d.received_at_ms, d.due_at_ms, p.finished_at_ms, p.supplement_requests,
                coalesce(s.acked = s.change, 0), p.digitised, p.result_expected,
                p.result_pages, p.reused_pages, r.rating
         FROM dossier d
         JOIN dossier_progress p ON p.dossier_id = d.id
         LEFT JOIN sync_dossier s ON s.dossier_id = d.id
         LEFT JOIN dossier_rating r ON r.dossier_id = d.id
         WHERE d.received_at_ms >= ?1 AND d.received_at_ms < ?2",
    )?;
    let rows = stmt.query_map(params![from_ms, until_ms], |r| {
        Ok((
            (
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ),
            (
                r.get::<_, i64>(5)?,
                r.get::<_, Option<i64>>(6)?,
                r.get::<_, Option<i64>>(7)?,
                r.get::<_, u32>(8)?,
                r.get::<_, bool>(9)?,
            ),
            (
                r.get::<_, bool>(10)?,
                r.get::<_, bool>(11)?,
                r.get::<_, u32>(12)?,
                r.get::<_, u32>(13)?,
                r.get::<_, Option<String>>(14)?,
            ),
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (
            (code, procedure_code, officer, channel, status),
            (received, due, finished, supplement_requests, synced),
            (digitised, result_expected, result_pages, reused_pages, rating),
        ) = row?;
        out.push(Facts {
            code,
            procedure_code,
            officer,
            channel: Channel::from_name(&channel)
                .ok_or_else(|| Error::Corrupt(format!("channel {channel:?}")))?,
            status: Status::from_name(&status)
                .ok_or_else(|| Error::Corrupt(format!("status {status:?}")))?,
            received_at: timestamp(received)?,
            due_at: due.map(timestamp).transpose()?,
            finished_at: finished.map(timestamp).transpose()?,
            supplement_requests,
            synced,
            digitised,
            result_expected,
            result_pages,
            reused_pages,
            rating: rating
                .map(|r| {
                    Rating::from_name(&r).ok_or_else(|| Error::Corrupt(format!("rating {r:?}")))
                })
                .transpose()?,
        });
    }
    Ok(out)
}
