//! The changes each unit pulls, numbered in the unit's order, and the code floors each desk
//! learns with them: how far its slot's numbering went each day, by the codes the hub holds.

use hoso_model::sync::{Change, ChangeBody, Changes, CodeFloor};

use super::{Db, DbError, Device};
use crate::vals;

/// How far back the code floors look: a dossier received on a day the hub last heard of more
/// than this long ago is not counted (a late entry is never that late).
pub const FLOOR_WINDOW_MS: i64 = 400 * 24 * 3600 * 1000;

impl Db {
    /// The highest count the hub holds for each day of `device`'s slot, from the codes of its
    /// unit's dossiers updated at `since_ms` or later (a dossier is updated no earlier than it
    /// was received, so every code of a later day is among them).
    pub fn code_floors(&self, device: &Device, since_ms: i64) -> Result<Vec<CodeFloor>, DbError> {
        let (slot, codes) = self.write(|tx| {
            let slot = tx
                .query_opt("SELECT slot FROM device WHERE id = ?1", vals![&device.id])?
                .map(|r| r.int(0));
            let codes = tx.query(
                "SELECT code FROM dossier
                 WHERE unit = ?1 AND updated_at_ms >= ?2 AND code IS NOT NULL",
                vals![&device.unit, since_ms],
            )?;
            Ok((slot, codes))
        })?;
        let Some(slot) = slot.and_then(|s| u8::try_from(s).ok()) else {
            return Ok(Vec::new());
        };
        let codes: Vec<String> = codes.iter().map(|r| r.text(0)).collect();
        Ok(CodeFloor::from_codes(
            &device.unit,
            slot,
            codes.iter().map(String::as_str),
        ))
    }

    pub fn changes(&self, unit: &str, after: u64, limit: u32) -> Result<Changes, DbError> {
        let rows = self.write(|tx| {
            tx.query(
                "SELECT seq, body FROM change WHERE unit = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
                vals![unit, after, i64::from(limit) + 1],
            )
        })?;
        let more = rows.len() > limit as usize;
        let changes: Vec<Change> = rows
            .iter()
            .take(limit as usize)
            .map(|r| Change {
                seq: r.int(0) as u64,
                body: serde_json::from_str(&r.text(1)).expect("a stored change parses"),
            })
            .collect();
        let next = changes.last().map(|c| c.seq).unwrap_or(after);
        Ok(Changes {
            changes,
            next,
            more,
            code_floors: None,
        })
    }

    /// Records a change for one unit, or for every unit with `unit = None`; how many.
    pub fn add_change(
        &self,
        unit: Option<&str>,
        body: &ChangeBody,
        now_ms: i64,
    ) -> Result<usize, DbError> {
        let json = serde_json::to_string(body).expect("a change serialises");
        self.write(|tx| {
            let units: Vec<String> = match unit {
                Some(u) => vec![u.to_owned()],
                None => tx
                    .query("SELECT code FROM unit ORDER BY code", vals![])?
                    .iter()
                    .map(|r| r.text(0))
                    .collect(),
            };
            for unit in &units {
                tx.execute(
                    "INSERT INTO change (unit, body, at_ms) VALUES (?1, ?2, ?3)",
                    vals![unit, &json, now_ms],
                )?;
            }
            Ok(units.len())
        })
    }
}
