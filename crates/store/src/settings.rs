//! The `setting` table: this desk's preferences as key/value text.

use rusqlite::{OptionalExtension, Transaction, params};

use crate::Error;

/// The keys in use. A key is never renamed once it has landed.
pub mod keys {
    pub const LANGUAGE: &str = "ui.language";
    /// The receiving unit and this desk's slot, as JSON (`hoso_model::unit::Unit`).
    pub const UNIT: &str = "unit";
    /// "1" when a dossier goes to the hub only once a supervisor approved its pages.
    pub const SYNC_AFTER_APPROVAL: &str = "review.before_sync";
    /// The procedure catalogue version the supervision facts were computed under.
    pub const PROGRESS_CATALOGUE: &str = "progress.catalogue";
    /// An officer's scan station settings, as JSON (`hoso_model::scan::ScanPreferences`),
    /// under this prefix and the account's sign-in name.
    pub const SCAN_PREFERENCES: &str = "scan.preferences.";
}

pub fn get(tx: &Transaction<'_>, key: &str) -> Result<Option<String>, Error> {
    Ok(tx
        .query_row("SELECT value FROM setting WHERE key = ?1", [key], |row| {
            row.get(0)
        })
        .optional()?)
}

pub fn set(tx: &Transaction<'_>, key: &str, value: &str) -> Result<(), Error> {
    tx.execute(
        "INSERT INTO setting (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

pub fn delete(tx: &Transaction<'_>, key: &str) -> Result<(), Error> {
    tx.execute("DELETE FROM setting WHERE key = ?1", [key])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;

    #[test]
    fn a_setting_is_absent_until_set_and_then_replaced_in_place() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(store.read(|tx| get(tx, keys::LANGUAGE)).unwrap(), None);
        store.write(|tx| set(tx, keys::LANGUAGE, "en")).unwrap();
        store.write(|tx| set(tx, keys::LANGUAGE, "vi")).unwrap();
        assert_eq!(
            store.read(|tx| get(tx, keys::LANGUAGE)).unwrap().as_deref(),
            Some("vi")
        );
    }
}

/// The stored catalogue files (`procedures`, `calendar`): `(version, json)`.
pub mod catalogue {
    use rusqlite::{OptionalExtension, Transaction, params};

    use crate::Error;

    pub fn get(tx: &Transaction<'_>, name: &str) -> Result<Option<(String, String)>, Error> {
        Ok(tx
            .query_row(
                "SELECT version, json FROM catalogue WHERE name = ?1",
                [name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// The stored file's version alone (the file is not read).
    pub fn version(tx: &Transaction<'_>, name: &str) -> Result<Option<String>, Error> {
        Ok(tx
            .query_row(
                "SELECT version FROM catalogue WHERE name = ?1",
                [name],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub fn put(tx: &Transaction<'_>, name: &str, version: &str, json: &str) -> Result<(), Error> {
        tx.execute(
            "INSERT INTO catalogue (name, version, json) VALUES (?1, ?2, ?3)
             ON CONFLICT (name) DO UPDATE SET version = excluded.version, json = excluded.json",
            params![name, version, json],
        )?;
        Ok(())
    }
}
