//! Errors of the local store. None of them carries a row's content.

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
    #[error("sqlite: {0}")]
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for Error {
    fn from(err: rusqlite::Error) -> Self {
        match err.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DiskFull) => Error::DiskFull,
            _ => Error::Sqlite(err),
        }
    }
}

impl Error {
    /// Whether the file is not a database SQLite can read (garbage, truncated, encrypted…).
    pub(crate) fn is_not_a_database(&self) -> bool {
        let code = match self {
            Error::Sqlite(err) => err.sqlite_error_code(),
            _ => None,
        };
        matches!(
            code,
            Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt)
        ) || matches!(self, Error::Migration(msg) if msg.contains("file is not a database"))
    }
}
