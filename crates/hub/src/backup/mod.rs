//! The hub's own backup (`hoso-hub backup --to DIR`) and its restore (`restore`, in
//! [`restore`]). A backup folder holds the records (`hub.sqlite3`, a consistent copy made by
//! `VACUUM INTO` while the hub may be serving; or `hub.pgdump` from `pg_dump`), the complete
//! files (`files/ab/abcdef…`, each checked against its name as it is copied) and, written last,
//! the [`manifest`]. Partial files of uploads in progress are not kept: a desk starts such an
//! upload again.
//!
//! Order matters: the records are copied first and the files after, and a file enters the files
//! directory before any record names it, so every file the copied records name is in the copy.

pub mod manifest;
pub mod restore;

/// The file a restore leaves in the data directory with the hub's new generation; the hub takes
/// it at its next start (`crate::db::Db::generation`). Desks that see the generation change
/// offer everything again and pull from the start.
pub const RENEW_GENERATION_FILE: &str = "generation.renew";

use std::path::{Path, PathBuf};

use manifest::{Counts, Engine, Entry, Manifest, PG_DUMP_FILE, copy_hashed};

use crate::db::{DATABASE_FILE, Db, DbError, is_sha256};
use crate::files::sync_dir;
use crate::sql::Tx;

/// Why a backup or a restore did not happen. Its text names folders and file hashes only.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0}")]
    Refused(String),
    #[error("{what}: {source}")]
    Io {
        what: &'static str,
        source: std::io::Error,
    },
    #[error(transparent)]
    Db(#[from] DbError),
}

impl BackupError {
    /// Wraps an I/O error with what was being done.
    pub fn io(what: &'static str) -> impl Fn(std::io::Error) -> BackupError {
        move |source| BackupError::Io { what, source }
    }
}

impl From<rusqlite::Error> for BackupError {
    fn from(e: rusqlite::Error) -> BackupError {
        BackupError::Db(DbError::Sqlite(e))
    }
}

/// Where the hub's records are.
#[derive(Debug, Clone, Copy)]
pub enum Records<'a> {
    /// `hub.sqlite3` in the data directory.
    Sqlite,
    /// A PostgreSQL database; `pg_dump` is the program to dump it with, if one was found.
    Postgres {
        url: &'a str,
        pg_dump: Option<&'a Path>,
    },
}

/// What a backup did.
#[derive(Debug)]
pub struct Report {
    pub manifest: Manifest,
    /// Files the records name that the files directory lacks (the hub was missing them
    /// already; a desk sends such a file again when its hub asks).
    pub missing: Vec<String>,
}

/// Backs up the hub over `data_dir` into `to`, a folder that must be new or empty.
pub fn backup(
    data_dir: &Path,
    records: Records<'_>,
    to: &Path,
    now: jiff::Timestamp,
) -> Result<Report, BackupError> {
    let not_empty = std::fs::read_dir(to).is_ok_and(|mut d| d.next().is_some());
    if not_empty {
        return Err(BackupError::Refused(format!(
            "{} is not empty: give a new folder for each backup",
            to.display()
        )));
    }
    std::fs::create_dir_all(to).map_err(BackupError::io("cannot create the backup folder"))?;
    let mut entries = Vec::new();
    let (engine, records_file, schema_version, mut counts, named) = match records {
        Records::Sqlite => {
            let (schema, counts, named) = copy_sqlite(data_dir, &to.join(DATABASE_FILE))?;
            entries.push(entry(to, DATABASE_FILE)?);
            (Engine::Sqlite, Some(DATABASE_FILE), schema, counts, named)
        }
        Records::Postgres { url, pg_dump } => {
            let (schema, counts, named) = postgres_counts(url)?;
            let dumped = match pg_dump {
                Some(program) => {
                    run_pg_dump(program, url, &to.join(PG_DUMP_FILE))?;
                    entries.push(entry(to, PG_DUMP_FILE)?);
                    Some(PG_DUMP_FILE)
                }
                None => None,
            };
            (Engine::Postgresql, dumped, schema, counts, named)
        }
    };
    let files = copy_files(&data_dir.join("files"), to)?;
    counts.stored_files = files.len() as u64;
    counts.stored_bytes = files.iter().map(|e| e.size).sum();
    let held: std::collections::BTreeSet<&str> = files.iter().map(|e| e.sha256.as_str()).collect();
    let missing = named
        .into_iter()
        .filter(|hash| !held.contains(hash.as_str()))
        .collect();
    entries.extend(files);
    sync_dir(to).map_err(BackupError::io("cannot flush the backup folder"))?;
    let manifest = Manifest {
        format: manifest::FORMAT,
        hub_version: env!("CARGO_PKG_VERSION").into(),
        schema_version,
        database: engine,
        records: records_file.map(Into::into),
        made_at: now.to_string(),
        counts,
        files: entries,
    };
    manifest.write(to)?;
    Ok(Report { manifest, missing })
}

/// The exact `pg_dump` command that dumps the hub's records into `file`.
pub fn pg_dump_command(url: &str, file: &Path) -> String {
    format!(
        "pg_dump --format=custom --no-owner --file={} --dbname={}",
        quote(&file.display().to_string()),
        quote(url)
    )
}

/// `text` quoted for a POSIX shell.
pub fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The first `name` on `PATH`.
pub fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

fn entry(folder: &Path, name: &str) -> Result<Entry, BackupError> {
    let path = folder.join(name);
    let size = std::fs::metadata(&path)
        .map_err(BackupError::io("cannot read the records' copy"))?
        .len();
    let sha256 =
        crate::files::hash_file(&path).map_err(BackupError::io("cannot read the records' copy"))?;
    Ok(Entry {
        path: name.into(),
        size,
        sha256,
    })
}

/// `VACUUM INTO` a new file: one read transaction, so a consistent copy while the hub writes.
/// The copy's schema version, counts and the file hashes its records name.
fn copy_sqlite(data_dir: &Path, to: &Path) -> Result<(u32, Counts, Vec<String>), BackupError> {
    let database = data_dir.join(DATABASE_FILE);
    if !database.is_file() {
        return Err(BackupError::Refused(format!(
            "{} holds no hub ({DATABASE_FILE} is missing); with PostgreSQL give --database-url",
            data_dir.display()
        )));
    }
    let conn = rusqlite::Connection::open_with_flags(
        &database,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    conn.execute("VACUUM INTO ?1", [to.display().to_string()])?;
    drop(conn);
    std::fs::File::open(to)
        .and_then(|f| f.sync_all())
        .map_err(BackupError::io("cannot flush the records' copy"))?;
    let copy =
        rusqlite::Connection::open_with_flags(to, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let schema: u32 = copy.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let count = |table: &str| -> Result<u64, rusqlite::Error> {
        copy.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| {
            r.get::<_, i64>(0).map(|n| n as u64)
        })
    };
    let counts = Counts {
        units: count("unit")?,
        devices: count("device")?,
        dossiers: count("dossier")?,
        dossier_versions: count("dossier_version")?,
        unit_files: count("unit_file")?,
        ..Counts::default()
    };
    let mut stmt = copy.prepare("SELECT DISTINCT sha256 FROM unit_file")?;
    let named = stmt
        .query_map([], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok((schema, counts, named))
}

/// PostgreSQL's schema version and counts, read in one transaction before the dump.
fn postgres_counts(url: &str) -> Result<(u32, Counts, Vec<String>), BackupError> {
    let db = Db::open_postgres(url)?;
    let out = db.write(|tx: &mut dyn Tx| {
        let mut count = |table: &str| -> Result<u64, DbError> {
            Ok(tx
                .query_one(&format!("SELECT count(*) FROM {table}"), &[])?
                .int(0) as u64)
        };
        let counts = Counts {
            units: count("unit")?,
            devices: count("device")?,
            dossiers: count("dossier")?,
            dossier_versions: count("dossier_version")?,
            unit_files: count("unit_file")?,
            ..Counts::default()
        };
        let schema = tx
            .query_one("SELECT max(version) FROM hub_schema", &[])?
            .int(0);
        let named = tx
            .query("SELECT DISTINCT sha256 FROM unit_file", &[])?
            .iter()
            .map(|r| r.text(0))
            .collect();
        Ok((schema as u32, counts, named))
    })?;
    Ok(out)
}

fn run_pg_dump(program: &Path, url: &str, file: &Path) -> Result<(), BackupError> {
    let out = std::process::Command::new(program)
        .args(["--format=custom", "--no-owner"])
        .arg(format!("--file={}", file.display()))
        .arg(format!("--dbname={url}"))
        .output()
        .map_err(BackupError::io("cannot run pg_dump"))?;
    if !out.status.success() {
        // pg_dump's own message names the server and the failure, never a row.
        return Err(BackupError::Refused(format!(
            "pg_dump failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    std::fs::File::open(file)
        .and_then(|f| f.sync_all())
        .map_err(BackupError::io("cannot flush the dump"))
}

/// Copies every complete file (`files/ab/abcdef…`) into `to/files/`, each checked against its
/// name as it is read; anything else in the files directory is not the hub's and is left.
fn copy_files(files: &Path, to: &Path) -> Result<Vec<Entry>, BackupError> {
    let read = BackupError::io("cannot read the files directory");
    let write = BackupError::io("cannot write into the backup folder");
    let mut entries = Vec::new();
    let Ok(folders) = std::fs::read_dir(files) else {
        return Ok(entries);
    };
    for folder in folders {
        let folder = folder.map_err(&read)?;
        let prefix = folder.file_name().to_string_lossy().into_owned();
        if prefix.len() != 2 || !folder.file_type().map_err(&read)?.is_dir() {
            continue;
        }
        let target = to.join("files").join(&prefix);
        for file in std::fs::read_dir(folder.path()).map_err(&read)? {
            let file = file.map_err(&read)?;
            let name = file.file_name().to_string_lossy().into_owned();
            if !is_sha256(&name) || !name.starts_with(&prefix) {
                continue;
            }
            std::fs::create_dir_all(&target).map_err(&write)?;
            let (size, sha256) = copy_hashed(&file.path(), &target.join(&name)).map_err(&write)?;
            if sha256 != name {
                return Err(BackupError::Refused(format!(
                    "the hub's file {name} does not hash to its name: the files directory is \
                     damaged"
                )));
            }
            entries.push(Entry {
                path: format!("files/{prefix}/{name}"),
                size,
                sha256,
            });
        }
        if target.exists() {
            sync_dir(&target).map_err(&write)?;
        }
    }
    if to.join("files").exists() {
        sync_dir(&to.join("files")).map_err(&write)?;
    }
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(entries)
}
