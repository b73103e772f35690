//! Errors of the local store. None of them carries a row's content.

use std::cell::Cell;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "the database was written by a newer version of Hồ Sơ Số (schema {found}, this version knows up to {supported}); it was left untouched"
    )]
    TooNew { found: u32, supported: u32 },
    #[error("the disk is full; the last change was not saved")]
    DiskFull,
    #[error("could not move the unreadable database aside to {kept_at}: {source}")]
    MoveAside {
        kept_at: PathBuf,
        source: std::io::Error,
    },
    #[error("file system: {0}")]
    Io(std::io::Error),
    #[error("migration: {0}")]
    Migration(String),
    #[error("a stored value is not valid: {0}")]
    Corrupt(String),
    /// A page of the data file failed its check (SQLCipher's page HMAC, SQLite's own checks):
    /// a disk fault, as a rule. Nothing more is written to the file, and the next open sets it
    /// aside untouched.
    #[error("the data file is damaged (a page failed its check); nothing more is written to it")]
    Damaged,
    /// The file is not a database this desk can read at all (garbage, cut short): found at
    /// open, where the file is moved aside.
    #[error("the data file is not a readable database")]
    Unreadable,
    #[error("sqlite: {0}")]
    Sqlite(rusqlite::Error),
}

thread_local! {
    /// Set when an error of this thread was damage; [`Store`](crate::Store) reads it after a
    /// transaction fails, since the error itself reaches it as the caller's own type.
    static DAMAGE_SEEN: Cell<bool> = const { Cell::new(false) };
}

/// Whether damage was met on this thread since the last call; clears the record.
pub(crate) fn take_damage_seen() -> bool {
    DAMAGE_SEEN.with(|seen| seen.replace(false))
}

impl From<rusqlite::Error> for Error {
    fn from(err: rusqlite::Error) -> Self {
        match err.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DiskFull) => Error::DiskFull,
            // What SQLCipher says when a page fails its HMAC (corrupt), or SQLite when a page
            // or the header is not what it wrote (not a database).
            Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
                DAMAGE_SEEN.with(|seen| seen.set(true));
                Error::Damaged
            }
            _ => Error::Sqlite(err),
        }
    }
}

impl Error {
    /// Whether the file itself is at fault: damaged or unreadable.
    pub(crate) fn is_damage(&self) -> bool {
        matches!(self, Error::Damaged | Error::Unreadable)
            || matches!(self, Error::Migration(msg)
                if msg.contains("file is not a database") || msg.contains("malformed"))
    }
}
