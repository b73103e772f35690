//! The hub's records: units, enrollment codes, devices, uploads, the files each unit holds,
//! batches with their answers, dossier versions, and the changes each unit pulls — in an embedded
//! SQLite file (`hub.sqlite3` in the data directory) by default, or in PostgreSQL.
//!
//! Every function is one transaction, written once in SQL both databases run (`sql`). Every
//! answer the hub gives is committed first (SQLite: WAL with `synchronous = FULL`). Personal data
//! lives only in the dossier records; nothing here logs it.
//!
//! - [`schema`]: opening either database and migrating it.
//! - [`devices`]: units, enrollment codes, devices and their heartbeats.
//! - [`uploads`]: tus uploads and the files each unit holds.
//! - [`batches`]: batches of dossier versions, judged item by item, and the dossiers kept.
//! - [`changes`]: what each unit pulls, and each desk's code floors.
//! - [`audit`]: each device's audit log as the desk chained it.
//! - [`generation`]: the hub's generation, renewed by a restore.

mod audit;
mod batches;
mod changes;
mod devices;
mod generation;
mod schema;
mod uploads;

use sha2::{Digest, Sha256};

pub use crate::error::DbError;
use crate::sql::{Database, Tx};
pub use audit::{AuditOutcome, AuditWalk};
pub use changes::FLOOR_WINDOW_MS;
pub use devices::{Device, Enrollment, NewDevice};
pub use schema::{DATABASE_FILE, SCHEMA_VERSION};
pub use uploads::Upload;

/// The hub's records, on whichever database it was opened with.
pub struct Db {
    database: Database,
}

impl Db {
    /// Runs `f` in one transaction, committed if it returns `Ok`.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&mut dyn Tx) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        self.database.write(f)
    }
}

/// The lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Whether `text` is a lower-case hex SHA-256.
pub fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}
