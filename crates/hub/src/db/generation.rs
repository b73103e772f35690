//! The hub's generation: a random id that says "these records, from this start". It is made
//! with the first start and replaced by a new one after `hoso-hub restore`, so that a desk that
//! sees it change knows the hub lost what came after the backup, offers everything again and
//! pulls from the start (`docs/protocol.md`).

use super::{Db, DbError};
use crate::vals;

impl Db {
    /// The hub's generation: `renew` if given (it replaces the one kept), else the one kept, made
    /// now if there is none. One transaction; the table is made on first use, on either database.
    pub fn generation(&self, renew: Option<&str>) -> Result<String, DbError> {
        self.write(|tx| {
            tx.execute(
                "CREATE TABLE IF NOT EXISTS hub_generation (id TEXT NOT NULL)",
                &[],
            )?;
            if let Some(id) = renew {
                tx.execute("DELETE FROM hub_generation", &[])?;
                tx.execute("INSERT INTO hub_generation (id) VALUES (?1)", vals![id])?;
                return Ok(id.to_owned());
            }
            if let Some(row) = tx.query_opt("SELECT id FROM hub_generation", &[])? {
                return Ok(row.text(0));
            }
            let id = uuid::Uuid::new_v4().to_string();
            tx.execute(
                "INSERT INTO hub_generation (id) VALUES (?1)",
                vals![id.as_str()],
            )?;
            Ok(id)
        })
    }
}
