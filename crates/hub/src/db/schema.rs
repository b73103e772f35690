//! Opening the hub's database and bringing its schema to the latest version: SQLite migrates
//! with `rusqlite_migration` (`PRAGMA user_version`), PostgreSQL by the number it records in
//! `hub_schema`. A new version is a new pair of files (`schema_N_*.sql`, `schema_pg_N_*.sql`)
//! listed at the end of both upgrade lists.

use std::path::Path;
use std::sync::Mutex;

use rusqlite_migration::{M, Migrations};

use super::{Db, DbError};
use crate::sql::Database;

const SQLITE_SCHEMA: &str = include_str!("../schema.sql");
const POSTGRES_SCHEMA: &str = include_str!("../schema_pg.sql");
/// Each later version of the schema, in order; PostgreSQL's own copies record their number in
/// `hub_schema`.
const SQLITE_UPGRADES: [&str; 1] = [include_str!("../schema_2_audit.sql")];
const POSTGRES_UPGRADES: [&str; 1] = [include_str!("../schema_pg_2_audit.sql")];

/// The latest schema version: the version a database opened by this hub is at.
pub const SCHEMA_VERSION: u32 = 1 + SQLITE_UPGRADES.len() as u32;
const _: () = assert!(SQLITE_UPGRADES.len() == POSTGRES_UPGRADES.len());

/// The file inside the data directory.
pub const DATABASE_FILE: &str = "hub.sqlite3";

impl Db {
    /// The embedded SQLite store in `data_dir`.
    pub fn open(data_dir: &Path) -> Result<Db, DbError> {
        std::fs::create_dir_all(data_dir)
            .map_err(|_| DbError::Refused("cannot create the data directory"))?;
        let mut conn = rusqlite::Connection::open(data_dir.join(DATABASE_FILE))?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let steps = std::iter::once(SQLITE_SCHEMA).chain(SQLITE_UPGRADES);
        Migrations::new(steps.map(M::up).collect()).to_latest(&mut conn)?;
        Ok(Db {
            database: Database::Sqlite(Mutex::new(conn)),
        })
    }

    /// A PostgreSQL database (`postgres://user@host:port/db`), its schema created if missing.
    pub fn open_postgres(url: &str) -> Result<Db, DbError> {
        let mut client = postgres::Client::connect(url, postgres::NoTls)?;
        let mut tx = client.transaction()?;
        // One writer creates the schema; others wait for it.
        tx.batch_execute("SELECT pg_advisory_xact_lock(7401)")?;
        let exists = tx
            .query_one("SELECT to_regclass('hub_schema') IS NOT NULL", &[])?
            .get::<_, bool>(0);
        if !exists {
            tx.batch_execute(POSTGRES_SCHEMA)?;
        }
        let version = tx
            .query_one("SELECT max(version) FROM hub_schema", &[])?
            .get::<_, i64>(0);
        for upgrade in POSTGRES_UPGRADES.iter().skip(version as usize - 1) {
            tx.batch_execute(upgrade)?;
        }
        tx.commit()?;
        Ok(Db {
            database: Database::Postgres(Mutex::new(client)),
        })
    }
}
