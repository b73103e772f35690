//! Each device's audit log as the desk chained it: taken in order, every hash and link
//! recomputed, append-only; an entry that differs from the hub's copy is a fork, refused.

use hoso_model::account::ChainedEntry;

use super::{Db, DbError, Device};
use crate::sql::Row;
use crate::vals;

/// What the hub made of a device's audit entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditOutcome {
    /// The device's log is held up to this entry, every entry chained to the one before.
    Held(u64),
    /// This entry differs from the one the hub holds under its number.
    Fork(u64),
    /// This entry does not chain: its hash is not its own, or it links to another entry.
    Chain(u64),
}

/// A device's log as the hub holds it, walked: how many entries, and the first out of place.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditWalk {
    pub device: String,
    pub entries: u64,
    pub first_broken: Option<u64>,
}

const AUDIT_COLUMNS: &str = "seq, at_ms, actor, action, object, detail, prev, hash";

fn chained_of(r: &Row) -> ChainedEntry {
    ChainedEntry {
        seq: r.int(0) as u64,
        at_ms: r.int(1),
        actor: r.text(2),
        action: r.text(3),
        object: r.text(4),
        detail: r.text(5),
        prev: r.text(6),
        hash: r.text(7),
    }
}

impl Db {
    /// Takes a device's audit entries, in order, in one transaction: one the hub holds already
    /// must be the same (the desk sends again what the hub could not confirm); the next must
    /// chain to the last held. Entries after a gap are not taken: the answer says where the
    /// hub's copy ends, and the desk goes on from there.
    pub fn add_audit(
        &self,
        device: &Device,
        entries: &[ChainedEntry],
        now_ms: i64,
    ) -> Result<AuditOutcome, DbError> {
        self.write(|tx| {
            let (mut held, mut last_hash) = tx
                .query_opt(
                    "SELECT seq, hash FROM audit_entry WHERE device = ?1
                     ORDER BY seq DESC LIMIT 1",
                    vals![&device.id],
                )?
                .map(|r| (r.int(0) as u64, r.text(1)))
                .unwrap_or_default();
            for entry in entries {
                if entry.seq == 0 || entry.seq > i64::MAX as u64 {
                    return Ok(AuditOutcome::Chain(entry.seq));
                }
                if entry.seq <= held {
                    let same = tx
                        .query_opt(
                            "SELECT hash FROM audit_entry WHERE device = ?1 AND seq = ?2",
                            vals![&device.id, entry.seq],
                        )?
                        .is_some_and(|r| r.text(0) == entry.hash);
                    if !same {
                        return Ok(AuditOutcome::Fork(entry.seq));
                    }
                    continue;
                }
                if entry.seq > held + 1 {
                    break;
                }
                if !entry.follows(&last_hash) {
                    return Ok(AuditOutcome::Chain(entry.seq));
                }
                tx.execute(
                    &format!(
                        "INSERT INTO audit_entry (device, {AUDIT_COLUMNS}, received_at_ms)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                    ),
                    vals![
                        &device.id,
                        entry.seq,
                        entry.at_ms,
                        &entry.actor,
                        &entry.action,
                        &entry.object,
                        &entry.detail,
                        &entry.prev,
                        &entry.hash,
                        now_ms
                    ],
                )?;
                held = entry.seq;
                last_hash.clone_from(&entry.hash);
            }
            Ok(AuditOutcome::Held(held))
        })
    }

    /// A device's audit entries after `after`, oldest first, at most `limit`.
    pub fn audit(
        &self,
        device: &str,
        after: u64,
        limit: u32,
    ) -> Result<Vec<ChainedEntry>, DbError> {
        let rows = self.write(|tx| {
            tx.query(
                &format!(
                    "SELECT {AUDIT_COLUMNS} FROM audit_entry WHERE device = ?1 AND seq > ?2
                     ORDER BY seq LIMIT ?3"
                ),
                vals![device, after, i64::from(limit)],
            )
        })?;
        Ok(rows.iter().map(chained_of).collect())
    }

    /// Walks the audit log the hub holds of each device of `unit` (every unit with `None`).
    pub fn verify_audit(&self, unit: Option<&str>) -> Result<Vec<AuditWalk>, DbError> {
        let devices: Vec<String> = self.write(|tx| {
            Ok(tx
                .query(
                    "SELECT id FROM device WHERE CAST(?1 AS TEXT) IS NULL OR unit = ?1
                     ORDER BY unit, slot",
                    vals![unit],
                )?
                .iter()
                .map(|r| r.text(0))
                .collect())
        })?;
        let mut walks = Vec::with_capacity(devices.len());
        for device in devices {
            let mut walk = AuditWalk {
                device,
                entries: 0,
                first_broken: None,
            };
            let mut prev = String::new();
            'pages: loop {
                let page = self.audit(&walk.device, walk.entries, 1000)?;
                if page.is_empty() {
                    break;
                }
                for entry in page {
                    let expected = walk.entries + 1;
                    if entry.seq != expected || !entry.follows(&prev) {
                        walk.first_broken = Some(expected);
                        break 'pages;
                    }
                    walk.entries = expected;
                    prev = entry.hash;
                }
            }
            walks.push(walk);
        }
        Ok(walks)
    }
}
