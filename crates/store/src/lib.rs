//! The desk's local store: one SQLite file that holds everything an officer has done.
//!
//! - Opening applies the numbered SQL files of `migrations/` (embedded in the binary) in one
//!   transaction; `PRAGMA user_version` says how far a file has come. A file written by a newer
//!   version of the desk is refused, untouched. A file that is not a readable database, or
//!   whose pages fail their check at open, is moved aside, kept, and reported: un-uploaded
//!   work may exist nowhere else.
//! - A page found damaged while the store is in use ([`Error::Damaged`]) stops every later
//!   read and write of this store, and leaves a mark beside the file so the next open sets it
//!   aside too.
//! - One access shape: [`Store::write`] runs a closure in one immediate transaction on the only
//!   writer connection; [`Store::read`] runs one on a reader connection (WAL lets reads go on
//!   during a write). Pragmas are set in [`connection::configure`], nowhere else.
//! - The tables' own functions live in [`accounts`], [`audit`], [`dossiers`], [`events`], [`pages`], [`settings`] and [`sync`]; they take a transaction so
//!   a use case can combine several in one atomic step.

pub mod accounts;
pub mod audit;
mod connection;
pub mod dossiers;
mod error;
pub mod events;
mod migrations;
pub mod pages;
pub mod retention;
pub mod settings;
pub mod supervision;
pub mod sync;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use rusqlite::{Connection, Transaction, TransactionBehavior};

pub use connection::export_encrypted;
pub use error::Error;
pub use migrations::LATEST_VERSION;

/// The name of the database file inside the data directory.
pub const DATABASE_FILE: &str = "hoso.db";

/// Something the officer must be told about after opening the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenNotice {
    /// The file could not be read as a database; it was renamed to `kept_at` and a new, empty
    /// store was created in its place.
    MovedAside { kept_at: PathBuf },
    /// A page of the file failed its check (at open, or while in use the last time): the file
    /// was renamed, untouched, to `kept_at` and a new, empty store was created in its place.
    /// The way back is the latest backup and what the hub holds.
    Damaged { kept_at: PathBuf },
}

/// The local SQLite store.
#[derive(Debug)]
pub struct Store {
    writer: Mutex<Connection>,
    /// `None` for an in-memory store, where readers share the writer's connection.
    reader: Option<Mutex<Connection>>,
    /// The file; `None` in memory.
    path: Option<PathBuf>,
    /// A page failed its check while in use: nothing more is read or written.
    damaged: AtomicBool,
}

/// A freshly opened store, with anything the officer must be told.
#[derive(Debug)]
pub struct Opened {
    pub store: Store,
    pub notice: Option<OpenNotice>,
}

impl Store {
    /// Opens (creating if needed) the store in `data_dir`, migrating it to the latest schema.
    /// Unencrypted: the desk opens its store with [`Store::open_encrypted_in`].
    pub fn open_in(data_dir: &Path) -> Result<Opened, Error> {
        std::fs::create_dir_all(data_dir).map_err(Error::Io)?;
        Self::open(&data_dir.join(DATABASE_FILE))
    }

    /// Opens (creating if needed) the store at `path`, migrating it to the latest schema.
    pub fn open(path: &Path) -> Result<Opened, Error> {
        Self::open_keyed(path, None)
    }

    /// Opens (creating if needed) the SQLCipher-encrypted store in `data_dir` with `key`
    /// (SQLCipher's raw-key literal, `x'…'`), migrating it to the latest schema.
    pub fn open_encrypted_in(data_dir: &Path, key: &str) -> Result<Opened, Error> {
        std::fs::create_dir_all(data_dir).map_err(Error::Io)?;
        Self::open_keyed(&data_dir.join(DATABASE_FILE), Some(key))
    }

    fn open_keyed(path: &Path, key: Option<&str>) -> Result<Opened, Error> {
        let mark = connection::damage_mark(path);
        if mark.exists() {
            if path.exists() {
                return Self::set_aside(path, key, |kept_at| OpenNotice::Damaged { kept_at });
            }
            // The file it was about is gone already (moved or removed by hand).
            std::fs::remove_file(&mark).map_err(Error::Io)?;
        }
        match Self::open_file(path, key) {
            Err(Error::Unreadable) => {
                Self::set_aside(path, key, |kept_at| OpenNotice::MovedAside { kept_at })
            }
            Err(err) if err.is_damage() => {
                Self::set_aside(path, key, |kept_at| OpenNotice::Damaged { kept_at })
            }
            other => other.map(|store| Opened {
                store,
                notice: None,
            }),
        }
    }

    /// Moves the file at `path` aside untouched, clears its damage mark, and opens a new store
    /// in its place.
    fn set_aside(
        path: &Path,
        key: Option<&str>,
        notice: impl FnOnce(PathBuf) -> OpenNotice,
    ) -> Result<Opened, Error> {
        let kept_at = connection::move_aside(path)?;
        let mark = connection::damage_mark(path);
        if mark.exists() {
            std::fs::remove_file(&mark).map_err(Error::Io)?;
        }
        let store = Self::open_file(path, key)?;
        Ok(Opened {
            store,
            notice: Some(notice(kept_at)),
        })
    }

    fn open_file(path: &Path, key: Option<&str>) -> Result<Store, Error> {
        let mut writer = connection::open(path, key)?;
        connection::check_pages(&writer, key.is_some())?;
        migrations::to_latest(&mut writer)?;
        let reader = connection::open(path, key)?;
        Ok(Store {
            writer: Mutex::new(writer),
            reader: Some(Mutex::new(reader)),
            path: Some(path.to_path_buf()),
            damaged: AtomicBool::new(false),
        })
    }

    /// Runs `f` unless the store is damaged; if it fails on a damaged page, remembers that
    /// (here and in the mark beside the file) so nothing more is read or written.
    fn guarded<T, E>(&self, f: impl FnOnce() -> Result<T, E>) -> Result<T, E>
    where
        E: From<Error>,
    {
        if self.damaged.load(Ordering::SeqCst) {
            return Err(Error::Damaged.into());
        }
        error::take_damage_seen();
        let result = f();
        if result.is_err() && error::take_damage_seen() {
            self.damaged.store(true, Ordering::SeqCst);
            if let Some(path) = &self.path {
                // Best effort: the officer is told at once either way; the mark only spares
                // the next open from finding the damage again.
                let _ = connection::mark_damaged(path);
            }
        }
        result
    }

    /// A private store in memory, for tests.
    pub fn open_in_memory() -> Result<Store, Error> {
        let mut conn = Connection::open_in_memory()?;
        connection::configure(&conn)?;
        migrations::to_latest(&mut conn)?;
        Ok(Store {
            writer: Mutex::new(conn),
            reader: None,
            path: None,
            damaged: AtomicBool::new(false),
        })
    }

    /// Runs `f` in one read transaction.
    pub fn read<T, E>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<Error>,
    {
        self.guarded(|| {
            let lock = self.reader.as_ref().unwrap_or(&self.writer);
            let mut conn = lock
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Deferred)
                .map_err(Error::from)?;
            let value = f(&tx)?;
            tx.finish().map_err(Error::from)?;
            Ok(value)
        })
    }

    /// Runs `f` in one write transaction: everything it does is committed together, or, if it
    /// returns an error or panics, nothing is.
    pub fn write<T, E>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<Error>,
    {
        self.guarded(|| {
            let mut conn = self
                .writer
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(Error::from)?;
            let value = f(&tx)?;
            tx.commit().map_err(Error::from)?;
            Ok(value)
        })
    }

    /// A number that changes whenever another connection (another process: the `hoso` command
    /// line, a second window) commits to the file; this store's own writes leave it as it is.
    pub fn changed_elsewhere(&self) -> Result<i64, Error> {
        self.guarded(|| {
            let conn = self
                .writer
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            Ok(conn.query_row("PRAGMA data_version", [], |row| row.get(0))?)
        })
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<u32, Error> {
        self.read(|tx| Ok(migrations::user_version(tx)?))
    }

    /// Writes a consistent copy of the whole database to `path` (`VACUUM INTO`, on a reader,
    /// so the desk keeps working meanwhile). SQLCipher encrypts the copy with the same key. The
    /// file must not exist yet.
    pub fn snapshot_to(&self, path: &Path) -> Result<(), Error> {
        self.guarded(|| {
            let lock = self.reader.as_ref().unwrap_or(&self.writer);
            let conn = lock
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            conn.execute("VACUUM INTO ?1", [path.to_string_lossy()])?;
            std::fs::File::open(path)
                .and_then(|f| f.sync_all())
                .map_err(Error::Io)?;
            Ok(())
        })
    }
}
