//! A backup's manifest (`manifest.json`): which hub made it, at which schema version and when,
//! what it holds, and the SHA-256 of every file in it. It is written last, through a temporary
//! name and a rename, so a folder without one is a backup that was cut short.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Component, Path};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::BackupError;
use crate::files::sync_dir;

/// The manifest's file name inside a backup folder.
pub const MANIFEST_FILE: &str = "manifest.json";
/// The PostgreSQL dump's file name inside a backup folder (`pg_dump --format=custom`).
pub const PG_DUMP_FILE: &str = "hub.pgdump";
/// The version of this manifest's layout.
pub const FORMAT: u32 = 1;

/// Which database the hub's records were in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    Sqlite,
    Postgresql,
}

/// What the backup holds, counted in the records it saved.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub units: u64,
    pub devices: u64,
    pub dossiers: u64,
    pub dossier_versions: u64,
    /// Files the units hold (a file two units sent counts twice).
    pub unit_files: u64,
    /// Files copied from the files directory.
    pub stored_files: u64,
    pub stored_bytes: u64,
}

/// One file of the backup, its path relative to the backup folder (`/`-separated).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub hub_version: String,
    pub schema_version: u32,
    pub database: Engine,
    /// The file holding the records (`hub.sqlite3`, `hub.pgdump`), or none when PostgreSQL's
    /// records were left for the operator to dump.
    pub records: Option<String>,
    /// When the backup was made (RFC 3339, UTC).
    pub made_at: String,
    pub counts: Counts,
    pub files: Vec<Entry>,
}

impl Manifest {
    /// Writes the manifest into `folder`, flushed, under its final name last.
    pub fn write(&self, folder: &Path) -> Result<(), BackupError> {
        let partial = folder.join(format!("{MANIFEST_FILE}.partial"));
        let json = serde_json::to_vec_pretty(self).expect("a manifest serialises");
        let io = BackupError::io("cannot write the manifest");
        let mut file = File::create(&partial).map_err(&io)?;
        file.write_all(&json).map_err(&io)?;
        file.sync_all().map_err(&io)?;
        std::fs::rename(&partial, folder.join(MANIFEST_FILE)).map_err(&io)?;
        sync_dir(folder).map_err(&io)
    }

    /// Reads the manifest of the backup in `folder`, refusing one that is missing, unreadable
    /// or of a layout or schema this hub does not know.
    pub fn read(folder: &Path) -> Result<Manifest, BackupError> {
        let path = folder.join(MANIFEST_FILE);
        let json = match std::fs::read(&path) {
            Ok(json) => json,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(BackupError::Refused(format!(
                    "{} holds no complete backup: it has no {MANIFEST_FILE} (a backup cut short \
                     has none)",
                    folder.display()
                )));
            }
            Err(e) => return Err(BackupError::io("cannot read the manifest")(e)),
        };
        let manifest: Manifest = serde_json::from_slice(&json).map_err(|_| {
            BackupError::Refused(format!("{} is not a complete manifest", path.display()))
        })?;
        if manifest.format != FORMAT {
            return Err(BackupError::Refused(format!(
                "the backup's manifest has layout {}; this hub reads layout {FORMAT}",
                manifest.format
            )));
        }
        if manifest.schema_version > crate::db::SCHEMA_VERSION {
            return Err(BackupError::Refused(format!(
                "the backup was made by a newer hub ({}, schema {}): restore it with that \
                 version",
                manifest.hub_version, manifest.schema_version
            )));
        }
        if let Some(bad) = manifest.files.iter().find(|e| !is_safe(&e.path)) {
            return Err(BackupError::Refused(format!(
                "the manifest names a file outside the backup: {:?}",
                bad.path
            )));
        }
        Ok(manifest)
    }
}

/// Whether `path` is a plain relative path inside the backup folder.
fn is_safe(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// Copies `from` to `to` (created new), flushed, and returns its size and SHA-256 as read.
pub fn copy_hashed(from: &Path, to: &Path) -> std::io::Result<(u64, String)> {
    let mut source = File::open(from)?;
    let mut target = File::options().write(true).create_new(true).open(to)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    loop {
        let n = source.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        target.write_all(&buf[..n])?;
        size += n as u64;
    }
    target.sync_all()?;
    Ok((size, hex::encode(hasher.finalize())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> Manifest {
        Manifest {
            format: FORMAT,
            hub_version: "0.1.0".into(),
            schema_version: crate::db::SCHEMA_VERSION,
            database: Engine::Sqlite,
            records: Some("hub.sqlite3".into()),
            made_at: "2026-03-05T02:00:00Z".into(),
            counts: Counts::default(),
            files: vec![Entry {
                path: "hub.sqlite3".into(),
                size: 1,
                sha256: "00".repeat(32),
            }],
        }
    }

    #[test]
    fn a_manifest_written_is_read_back_the_same_and_leaves_no_partial_name() {
        let dir = tempfile::tempdir().unwrap();
        manifest().write(dir.path()).unwrap();
        assert_eq!(Manifest::read(dir.path()).unwrap(), manifest());
        assert!(!dir.path().join("manifest.json.partial").exists());
    }

    #[test]
    fn a_missing_cut_short_or_newer_manifest_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let refused = |dir: &Path| matches!(Manifest::read(dir), Err(BackupError::Refused(_)));
        assert!(refused(dir.path()), "no manifest: a backup cut short");
        let json = serde_json::to_string(&manifest()).unwrap();
        std::fs::write(dir.path().join(MANIFEST_FILE), &json[..json.len() / 2]).unwrap();
        assert!(refused(dir.path()), "half a manifest is no manifest");
        let mut newer = manifest();
        newer.schema_version += 1;
        newer.write(dir.path()).unwrap();
        assert!(refused(dir.path()), "a newer hub's schema");
        let mut escaping = manifest();
        escaping.files[0].path = "../hub.sqlite3".into();
        escaping.write(dir.path()).unwrap();
        assert!(refused(dir.path()), "a path out of the backup folder");
    }
}
