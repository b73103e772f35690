//! The `dossier` table.

use hoso_model::{Dossier, DossierId};
use jiff::Timestamp;
use rusqlite::{Row, Transaction, params};

use crate::Error;

/// Adds a dossier. Its id is new by construction; a clash is a fault, reported as such.
pub fn insert(tx: &Transaction<'_>, dossier: &Dossier) -> Result<(), Error> {
    tx.execute(
        "INSERT INTO dossier (id, procedure_code, applicant_name, received_at_ms) VALUES (?1, ?2, ?3, ?4)",
        params![
            dossier.id.0,
            dossier.procedure_code,
            dossier.applicant_name,
            dossier.received_at.as_millisecond()
        ],
    )?;
    Ok(())
}

/// The most recently received dossiers first, at most `limit`.
pub fn latest(tx: &Transaction<'_>, limit: u32) -> Result<Vec<Dossier>, Error> {
    let mut stmt = tx.prepare_cached(
        "SELECT id, procedure_code, applicant_name, received_at_ms FROM dossier
         ORDER BY received_at_ms DESC, id LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit], from_row)?;
    let mut out = Vec::new();
    for row in rows {
        out.push(row??);
    }
    Ok(out)
}

/// One dossier by id.
pub fn get(tx: &Transaction<'_>, id: &DossierId) -> Result<Option<Dossier>, Error> {
    let mut stmt = tx.prepare_cached(
        "SELECT id, procedure_code, applicant_name, received_at_ms FROM dossier WHERE id = ?1",
    )?;
    let mut rows = stmt.query_map([&id.0], from_row)?;
    rows.next().transpose()?.transpose()
}

/// How many dossiers the desk holds.
pub fn count(tx: &Transaction<'_>) -> Result<u64, Error> {
    let n: i64 = tx.query_row("SELECT count(*) FROM dossier", [], |row| row.get(0))?;
    Ok(n.unsigned_abs())
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<Result<Dossier, Error>> {
    let millis: i64 = row.get(3)?;
    Ok(Ok(Dossier {
        id: DossierId(row.get(0)?),
        procedure_code: row.get(1)?,
        applicant_name: row.get(2)?,
        received_at: match Timestamp::from_millisecond(millis) {
            Ok(at) => at,
            Err(_) => {
                return Ok(Err(Error::Corrupt(format!(
                    "received_at_ms {millis} is out of range"
                ))));
            }
        },
    }))
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
        }
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
