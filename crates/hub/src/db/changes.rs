//! The changes each unit pulls, numbered in the unit's order.

use hoso_model::sync::{Change, ChangeBody, Changes};

use super::{Db, DbError};
use crate::vals;

impl Db {
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
