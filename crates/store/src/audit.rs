//! The `audit_log` table: append-only (triggers refuse updates and deletes) and hash-chained.
//!
//! Each entry's hash is the SHA-256 of its fields, length-prefixed so no two entries can run
//! together, and of the previous entry's hash. The setting `audit.head` (`seq:hash` of the last
//! entry) is written in the same transaction. [`verify`] walks the chain: an edited entry fails
//! its own hash, a removed one leaves a gap, a reordered one breaks the link to its
//! predecessor, entries cut from the end no longer reach the head.

use hoso_model::account::{AuditCheck, AuditEntry, AuditFilter};
use rusqlite::{OptionalExtension, Transaction, params};
use sha2::{Digest, Sha256};

use crate::dossiers::timestamp;
use crate::{Error, settings};

const HEAD: &str = "audit.head";

/// The hash of an entry, chained to `prev`.
pub fn entry_hash(
    seq: u64,
    at_ms: i64,
    actor: &str,
    action: &str,
    object: &str,
    detail: &str,
    prev: &str,
) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"hoso audit v1\n");
    hasher.update(seq.to_be_bytes());
    hasher.update(at_ms.to_be_bytes());
    for field in [actor, action, object, detail, prev] {
        hasher.update((field.len() as u64).to_be_bytes());
        hasher.update(field.as_bytes());
    }
    hex(&hasher.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

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
    let hash = entry_hash(seq, at_ms, actor, action, object, detail, &prev);
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
        });
    }
    Ok(out)
}

/// Walks the whole chain and says where it first breaks, if it does.
pub fn verify(tx: &Transaction<'_>) -> Result<AuditCheck, Error> {
    let mut stmt = tx.prepare(
        "SELECT seq, at_ms, actor, action, object, detail, prev, hash FROM audit_log ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut expected_seq = 1u64;
    let mut prev = String::new();
    let mut entries = 0u64;
    while let Some(row) = rows.next()? {
        let seq = row.get::<_, i64>(0)? as u64;
        let at_ms: i64 = row.get(1)?;
        let (actor, action, object, detail, stored_prev, stored_hash): (
            String,
            String,
            String,
            String,
            String,
            String,
        ) = (
            row.get(2)?,
            row.get(3)?,
            row.get(4)?,
            row.get(5)?,
            row.get(6)?,
            row.get(7)?,
        );
        entries += 1;
        if seq != expected_seq {
            return Ok(AuditCheck {
                entries,
                first_broken: Some(expected_seq),
            });
        }
        let hash = entry_hash(seq, at_ms, &actor, &action, &object, &detail, &prev);
        if stored_prev != prev || stored_hash != hash {
            return Ok(AuditCheck {
                entries,
                first_broken: Some(seq),
            });
        }
        prev = hash;
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
        let forged = entry_hash(3, 3_000, "lan", "view", "d9", "", &second);
        tamper(
            &store,
            &format!("UPDATE audit_log SET object = 'd9', hash = '{forged}' WHERE seq = 3"),
        );
        assert_eq!(first_broken(&store), Some(4));
    }
}
