//! The `audit_log` table: append-only (triggers refuse updates and deletes) and hash-chained.
//!
//! Each entry's hash is [`audit_hash`] of its fields and of the previous entry's hash. The setting `audit.head` (`seq:hash` of the last
//! entry) is written in the same transaction. [`verify`] walks the chain: an edited entry fails
//! its own hash, a removed one leaves a gap, a reordered one breaks the link to its
//! predecessor, entries cut from the end no longer reach the head.

use hoso_model::account::{AuditCheck, AuditEntry, AuditFilter, ChainedEntry, audit_hash};
use hoso_model::sync::SentMark;
use rusqlite::{OptionalExtension, Row, Transaction, params};

use crate::dossiers::timestamp;
use crate::{Error, settings};

const HEAD: &str = "audit.head";
/// The last entry the hub confirmed holding.
const SENT: &str = "audit.sent";
/// Why the hub refuses this desk's log (`audit_fork`, `audit_chain`), if it does.
const REFUSED: &str = "audit.refused";

/// Appends an entry at the end of the chain; returns its number.
pub fn append(
    tx: &Transaction<'_>,
    at_ms: i64,
    actor: &str,
    action: &str,
    object: &str,
    detail: &str,
) -> Result<u64, Error> {
    let (last, prev): (u64, String) = tx
        .query_row(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)),
        )
        .optional()?
        .unwrap_or((0, String::new()));
    let seq = last + 1;
    let hash = audit_hash(seq, at_ms, [actor, action, object, detail, &prev]);
    tx.execute(
        "INSERT INTO audit_log (seq, at_ms, actor, action, object, detail, prev, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![seq as i64, at_ms, actor, action, object, detail, prev, hash],
    )?;
    settings::set(tx, HEAD, &format!("{seq}:{hash}"))?;
    Ok(seq)
}

/// Entries matching `filter`, newest first.
pub fn list(tx: &Transaction<'_>, filter: &AuditFilter) -> Result<Vec<AuditEntry>, Error> {
    let mut stmt = tx.prepare_cached(
        "SELECT seq, at_ms, actor, action, object, detail FROM audit_log
         WHERE (?1 IS NULL OR actor = ?1) AND (?2 IS NULL OR action = ?2)
           AND (?3 IS NULL OR object = ?3)
           AND (?4 IS NULL OR at_ms >= ?4) AND (?5 IS NULL OR at_ms <= ?5)
         ORDER BY seq DESC LIMIT ?6",
    )?;
    let rows = stmt.query_map(
        params![
            filter.actor,
            filter.action,
            filter.object,
            filter.from.map(|t| t.as_millisecond()),
            filter.to.map(|t| t.as_millisecond()),
            filter.limit.unwrap_or(200).min(10_000),
        ],
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        },
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (seq, at, actor, action, object, detail) = row?;
        out.push(AuditEntry {
            seq: seq as u64,
            at: timestamp(at)?,
            actor,
            action,
            object,
            detail,
            label: None,
        });
    }
    Ok(out)
}

const CHAINED: &str = "SELECT seq, at_ms, actor, action, object, detail, prev, hash FROM audit_log";

fn chained(r: &Row<'_>) -> rusqlite::Result<ChainedEntry> {
    Ok(ChainedEntry {
        seq: r.get::<_, i64>(0)? as u64,
        at_ms: r.get(1)?,
        actor: r.get(2)?,
        action: r.get(3)?,
        object: r.get(4)?,
        detail: r.get(5)?,
        prev: r.get(6)?,
        hash: r.get(7)?,
    })
}

/// The entries after `seq`, oldest first, at most `limit`: what the hub has not confirmed.
pub fn after(tx: &Transaction<'_>, seq: u64, limit: u32) -> Result<Vec<ChainedEntry>, Error> {
    let mut stmt = tx.prepare_cached(&format!("{CHAINED} WHERE seq > ?1 ORDER BY seq LIMIT ?2"))?;
    let rows = stmt.query_map(params![seq as i64, limit], chained)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The number of the last entry (0 when the log is empty).
pub fn last_seq(tx: &Transaction<'_>) -> Result<u64, Error> {
    let last: Option<i64> = tx.query_row("SELECT max(seq) FROM audit_log", [], |r| r.get(0))?;
    Ok(last.unwrap_or(0) as u64)
}

/// How far the hub holds this desk's log, and why it refuses the rest, if it does.
pub fn sent(tx: &Transaction<'_>) -> Result<SentMark, Error> {
    Ok(SentMark {
        held: settings::get(tx, SENT)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0),
        refused: settings::get(tx, REFUSED)?,
    })
}

pub fn set_sent(tx: &Transaction<'_>, mark: &SentMark) -> Result<(), Error> {
    settings::set(tx, SENT, &mark.held.to_string())?;
    match &mark.refused {
        Some(why) => settings::set(tx, REFUSED, why),
        None => settings::delete(tx, REFUSED),
    }
}

/// Entries the hub has not confirmed.
pub fn waiting(tx: &Transaction<'_>) -> Result<u64, Error> {
    Ok(last_seq(tx)?.saturating_sub(sent(tx)?.held))
}

/// Walks the whole chain and says where it first breaks, if it does.
pub fn verify(tx: &Transaction<'_>) -> Result<AuditCheck, Error> {
    let mut stmt = tx.prepare(&format!("{CHAINED} ORDER BY seq"))?;
    let mut rows = stmt.query([])?;
    let mut expected_seq = 1u64;
    let mut prev = String::new();
    let mut entries = 0u64;
    while let Some(row) = rows.next()? {
        let entry = chained(row)?;
        entries += 1;
        if entry.seq != expected_seq {
            return Ok(AuditCheck {
                entries,
                first_broken: Some(expected_seq),
            });
        }
        if !entry.follows(&prev) {
            return Ok(AuditCheck {
                entries,
                first_broken: Some(entry.seq),
            });
        }
        prev = entry.hash;
        expected_seq += 1;
    }
    let last = expected_seq - 1;
    let head = settings::get(tx, HEAD)?;
    let reaches_head = match head.as_deref() {
        None => last == 0,
        Some(head) => head == format!("{last}:{prev}"),
    };
    Ok(AuditCheck {
        entries,
        first_broken: (!reaches_head).then_some(expected_seq),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;

    fn store_with(n: u64) -> Store {
        let store = Store::open_in_memory().unwrap();
        store
            .write(|tx| {
                for i in 1..=n {
                    append(tx, 1_000 * i as i64, "lan", "view", &format!("d{i}"), "")?;
                }
                Ok::<_, Error>(())
            })
            .unwrap();
        store
    }

    fn tamper(store: &Store, sql: &str) {
        store
            .write(|tx| {
                tx.execute_batch(
                    "DROP TRIGGER audit_log_is_append_only_update;
                     DROP TRIGGER audit_log_is_append_only_delete;",
                )?;
                tx.execute_batch(sql)?;
                Ok::<_, Error>(())
            })
            .unwrap();
    }

    fn first_broken(store: &Store) -> Option<u64> {
        store.read(verify).unwrap().first_broken
    }

    #[test]
    fn an_untouched_chain_verifies_and_refuses_sql_edits() {
        let store = store_with(5);
        assert_eq!(
            store.read(verify).unwrap(),
            AuditCheck {
                entries: 5,
                first_broken: None
            }
        );
        for sql in ["UPDATE audit_log SET detail = 'x'", "DELETE FROM audit_log"] {
            let err = store
                .write(|tx| Ok::<_, Error>(tx.execute(sql, [])?))
                .unwrap_err();
            assert!(err.to_string().contains("append-only"), "{err}");
        }
        let newest = store
            .read(|tx| {
                list(
                    tx,
                    &AuditFilter {
                        limit: Some(2),
                        ..Default::default()
                    },
                )
            })
            .unwrap();
        assert_eq!(newest.iter().map(|e| e.seq).collect::<Vec<_>>(), [5, 4]);
    }

    #[test]
    fn an_edit_a_removal_a_reordering_or_a_cut_tail_is_found_where_it_is() {
        let cases: [(&str, u64); 5] = [
            ("UPDATE audit_log SET object = 'd9' WHERE seq = 3", 3),
            ("UPDATE audit_log SET at_ms = at_ms + 1 WHERE seq = 2", 2),
            ("DELETE FROM audit_log WHERE seq = 4", 4),
            // Swap the contents of entries 2 and 3, each keeping its number.
            (
                "UPDATE audit_log SET seq = 99 WHERE seq = 2;
                 UPDATE audit_log SET seq = 2 WHERE seq = 3;
                 UPDATE audit_log SET seq = 3 WHERE seq = 99;",
                2,
            ),
            ("DELETE FROM audit_log WHERE seq = 5", 5),
        ];
        for (sql, broken) in cases {
            let store = store_with(5);
            tamper(&store, sql);
            assert_eq!(first_broken(&store), Some(broken), "{sql}");
        }
        // Recomputing a forged entry's own hash does not help: the next link breaks.
        let store = store_with(5);
        let second: String = store
            .read(|tx| {
                Ok::<String, Error>(tx.query_row(
                    "SELECT hash FROM audit_log WHERE seq = 2",
                    [],
                    |r| r.get(0),
                )?)
            })
            .unwrap();
        let forged = audit_hash(3, 3_000, ["lan", "view", "d9", "", &second]);
        tamper(
            &store,
            &format!("UPDATE audit_log SET object = 'd9', hash = '{forged}' WHERE seq = 3"),
        );
        assert_eq!(first_broken(&store), Some(4));
    }
}
