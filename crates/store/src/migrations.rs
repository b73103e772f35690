//! The schema's history: the numbered SQL files of `migrations/` at the repository root.
//!
//! **Migrations are append-only**: never edit a file that has landed; add the next number.
//! A new file must be added to [`SOURCES`] too (a test fails if one is forgotten).

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

use crate::Error;

/// `(file name, SQL)` in order; the position + 1 is the `user_version` after applying it.
pub(crate) const SOURCES: &[(&str, &str)] = &[
    (
        "0001_dossiers_and_settings.sql",
        include_str!("../../../migrations/0001_dossiers_and_settings.sql"),
    ),
    (
        "0002_codes_lifecycle_and_due_dates.sql",
        include_str!("../../../migrations/0002_codes_lifecycle_and_due_dates.sql"),
    ),
    (
        "0003_applicant_contact_channel_and_search.sql",
        include_str!("../../../migrations/0003_applicant_contact_channel_and_search.sql"),
    ),
    (
        "0004_catalogue_in_the_store.sql",
        include_str!("../../../migrations/0004_catalogue_in_the_store.sql"),
    ),
    (
        "0005_handover_giver_and_taker.sql",
        include_str!("../../../migrations/0005_handover_giver_and_taker.sql"),
    ),
    (
        "0006_pages_files_and_text.sql",
        include_str!("../../../migrations/0006_pages_files_and_text.sql"),
    ),
    (
        "0007_sync_outbox.sql",
        include_str!("../../../migrations/0007_sync_outbox.sql"),
    ),
    (
        "0008_accounts_and_audit.sql",
        include_str!("../../../migrations/0008_accounts_and_audit.sql"),
    ),
    (
        "0009_supervision_review_and_ratings.sql",
        include_str!("../../../migrations/0009_supervision_review_and_ratings.sql"),
    ),
    (
        "0010_pages_of_imported_pdfs_are_read.sql",
        include_str!("../../../migrations/0010_pages_of_imported_pdfs_are_read.sql"),
    ),
    (
        "0011_deleted_pages_set_aside.sql",
        include_str!("../../../migrations/0011_deleted_pages_set_aside.sql"),
    ),
];

/// The schema version this build writes.
pub const LATEST_VERSION: u32 = SOURCES.len() as u32;

fn migrations() -> Migrations<'static> {
    Migrations::new(SOURCES.iter().map(|(_, sql)| M::up(sql)).collect())
}

pub(crate) fn user_version(conn: &Connection) -> Result<u32, rusqlite::Error> {
    conn.query_row("PRAGMA user_version", [], |row| row.get(0))
}

/// Refuses a file written by a newer version of the desk, without changing it.
pub(crate) fn refuse_newer(conn: &Connection) -> Result<(), Error> {
    let found = user_version(conn)?;
    if found > LATEST_VERSION {
        return Err(Error::TooNew {
            found,
            supported: LATEST_VERSION,
        });
    }
    Ok(())
}

/// Brings the file to [`LATEST_VERSION`] in one transaction, or refuses a newer file untouched.
pub(crate) fn to_latest(conn: &mut Connection) -> Result<(), Error> {
    refuse_newer(conn)?;
    migrations().to_latest(conn).map_err(|err| match err {
        rusqlite_migration::Error::RusqliteError { err, .. } => Error::from(err),
        other => Error::Migration(other.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_in_the_migrations_folder_is_embedded_in_order() {
        let dir = std::path::PathBuf::from(
            std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
        )
        .join("../../migrations");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|name| name.ends_with(".sql"))
            .collect();
        on_disk.sort();
        let embedded: Vec<&str> = SOURCES.iter().map(|(name, _)| *name).collect();
        assert_eq!(
            on_disk, embedded,
            "migrations/ and SOURCES must list the same files, in order"
        );
        for (i, name) in embedded.iter().enumerate() {
            assert!(
                name.starts_with(&format!("{:04}_", i + 1)),
                "{name} must be numbered {}",
                i + 1
            );
        }
    }

    #[test]
    fn the_migration_list_is_well_formed() {
        migrations()
            .validate()
            .expect("every migration applies cleanly to an empty database");
    }
}
