//! `hoso-hub restore --from DIR`: a backup put in place of the data directory, all or nothing.
//! The manifest must be complete and every file must hash to what it says; the files are copied
//! into a staging folder beside the data directory, checked as they are copied, and only then
//! does the staging folder take the data directory's name. The restored hub gets a new
//! generation ([`super::RENEW_GENERATION_FILE`]), which tells the desks to send everything again. A data directory that already holds
//! a hub is refused unless forced, and is then set aside under another name, never deleted.
//!
//! PostgreSQL's records are loaded by `pg_restore`, which the operator runs (the command is
//! given): the hub restores the files and leaves the database server's data to its tools.

use std::path::{Path, PathBuf};

use super::manifest::{Engine, Manifest, PG_DUMP_FILE, copy_hashed};
use super::{BackupError, quote};
use crate::db::DATABASE_FILE;
use crate::files::{hash_file, sync_dir};

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    pub manifest: Manifest,
    /// Where the data directory that was there before now is.
    pub set_aside: Option<PathBuf>,
    /// For PostgreSQL: the command that loads the records (none if the backup holds no dump).
    pub pg_restore: Option<String>,
}

/// Whether `data_dir` already holds a hub: a database file or any kept file.
pub fn holds_hub(data_dir: &Path) -> bool {
    data_dir.join(DATABASE_FILE).exists()
        || std::fs::read_dir(data_dir.join("files")).is_ok_and(|mut d| d.next().is_some())
}

/// Restores the backup in `from` as the data directory `data_dir` (and, for PostgreSQL, says
/// how to load the records into `database_url`).
pub fn restore(
    from: &Path,
    data_dir: &Path,
    database_url: Option<&str>,
    force: bool,
    now: jiff::Timestamp,
) -> Result<Restored, BackupError> {
    let manifest = Manifest::read(from)?;
    match (manifest.database, database_url) {
        (Engine::Sqlite, Some(_)) => {
            return Err(BackupError::Refused(
                "this backup's records are an SQLite file: restore it without --database-url"
                    .into(),
            ));
        }
        (Engine::Postgresql, None) => {
            return Err(BackupError::Refused(
                "this backup is of a hub on PostgreSQL: give --database-url".into(),
            ));
        }
        _ => {}
    }
    if holds_hub(data_dir) && !force {
        return Err(BackupError::Refused(format!(
            "{} already holds a hub: stop it, and give --force to set it aside and restore",
            data_dir.display()
        )));
    }
    let name = data_dir
        .file_name()
        .ok_or_else(|| BackupError::Refused("give --data-dir a folder of its own".into()))?
        .to_string_lossy()
        .into_owned();
    let parent = data_dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(BackupError::io("cannot create the data folder"))?;
    let staging = parent.join(format!(".{name}.restoring-{}", std::process::id()));
    if staging.exists() {
        std::fs::remove_dir_all(&staging)
            .map_err(BackupError::io("cannot clear an earlier staging folder"))?;
    }
    if let Err(e) = stage(from, &manifest, &staging) {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    let set_aside = set_aside(data_dir, &name, parent, now)?;
    std::fs::rename(&staging, data_dir).map_err(BackupError::io(
        "cannot move the restored folder into place",
    ))?;
    sync_dir(parent).map_err(BackupError::io("cannot flush the data folder"))?;
    let pg_restore = match (manifest.database, &manifest.records, database_url) {
        (Engine::Postgresql, Some(dump), Some(url)) => Some(format!(
            "pg_restore --clean --if-exists --no-owner --dbname={} {}",
            quote(url),
            quote(&from.join(dump).display().to_string())
        )),
        _ => None,
    };
    Ok(Restored {
        manifest,
        set_aside,
        pg_restore,
    })
}

/// Copies every file the manifest names into `staging`, each checked against the manifest; the
/// PostgreSQL dump is checked where it is and stays in the backup.
fn stage(from: &Path, manifest: &Manifest, staging: &Path) -> Result<(), BackupError> {
    let write = BackupError::io("cannot write the staging folder");
    std::fs::create_dir_all(staging.join("files")).map_err(&write)?;
    let mut folders = std::collections::BTreeSet::from([staging.join("files")]);
    for entry in &manifest.files {
        let source = from.join(&entry.path);
        if !source.is_file() {
            return Err(BackupError::Refused(format!(
                "the backup lacks {}, which its manifest names",
                entry.path
            )));
        }
        let (size, sha256) = if entry.path == PG_DUMP_FILE {
            let size = std::fs::metadata(&source).map_err(&write)?.len();
            (size, hash_file(&source).map_err(&write)?)
        } else {
            let target = staging.join(&entry.path);
            let folder = target.parent().expect("a staged file has a folder");
            std::fs::create_dir_all(folder).map_err(&write)?;
            folders.insert(folder.to_path_buf());
            copy_hashed(&source, &target).map_err(&write)?
        };
        if sha256 != entry.sha256 || size != entry.size {
            return Err(BackupError::Refused(format!(
                "the backup's {} does not match its manifest: the backup is damaged, nothing \
                 was restored",
                entry.path
            )));
        }
    }
    // A new generation for the restored records, taken by the hub at its next start.
    let renew = staging.join(super::RENEW_GENERATION_FILE);
    std::fs::write(&renew, uuid::Uuid::new_v4().to_string()).map_err(&write)?;
    std::fs::File::open(&renew)
        .and_then(|f| f.sync_all())
        .map_err(&write)?;
    for folder in folders.iter().rev() {
        sync_dir(folder).map_err(&write)?;
    }
    sync_dir(staging).map_err(&write)
}

/// Moves a data directory that holds anything out of the way, under a name with the time;
/// removes an empty one.
fn set_aside(
    data_dir: &Path,
    name: &str,
    parent: &Path,
    now: jiff::Timestamp,
) -> Result<Option<PathBuf>, BackupError> {
    let Ok(mut entries) = std::fs::read_dir(data_dir) else {
        return Ok(None);
    };
    if entries.next().is_none() {
        std::fs::remove_dir(data_dir).map_err(BackupError::io("cannot replace the data folder"))?;
        return Ok(None);
    }
    let stamp = now.strftime("%Y%m%dT%H%M%SZ");
    let aside = parent.join(format!("{name}.before-restore-{stamp}"));
    std::fs::rename(data_dir, &aside)
        .map_err(BackupError::io("cannot set the former data folder aside"))?;
    Ok(Some(aside))
}
