//! Sao lưu: an encrypted backup of the whole desk to a chosen folder (a USB stick), restorable
//! on a new machine with the recovery key; and `wipe`, which destroys the desk before a laptop
//! is handed over.
//!
//! A backup is a folder `hoso-backup-UNIT-YYYYMMDD-HHMMSS` holding `hoso.db` (a consistent
//! snapshot of the SQLCipher database, encrypted with the same key), `keys.json` (the key file:
//! wrapped keys only), `blobs/` (the sealed kept files, copied as they are) and `manifest.json`
//! (which desk, when, and the SHA-256 and size of every file). Nothing in it is readable without
//! a password of the desk or its recovery key. It is written into a hidden `.partial` folder,
//! flushed, then renamed: a backup cut by a full stick or a pulled plug is never taken for a
//! whole one. A restore checks every file against the manifest and the recovery key against the
//! key file before it writes anything, and writes the key file last, so a restore cut short
//! leaves a desk that is not set up (and can be restored again), never half of one. A restored
//! desk enrolled with a hub is marked "restored, not reconciled" until its next sync brings the
//! hub's code floors; meanwhile its codes come from a reserved range (`crate::sync`).

use std::io::Read;
use std::path::{Path, PathBuf};

use hoso_model::Act;
use hoso_model::account::AuditAction;
use hoso_vault::{KEY_FILE, Keyring, RecoveryKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{Clock, Desk, Error};

const MANIFEST: &str = "manifest.json";
const FORMAT: u32 = 1;

/// What a backup holds, written beside it as `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// The data key's fingerprint: tells one desk's backups from another's.
    pub fingerprint: String,
    pub unit_code: Option<String>,
    pub created_at: jiff::Timestamp,
    pub dossiers: u64,
    /// Every file of the backup but the manifest: path (with `/`), size, SHA-256.
    pub files: Vec<BackupFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupFile {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Write {
        path: path.to_path_buf(),
        source,
    }
}

fn bad(message: &str) -> Error {
    Error::Backup(message.to_owned())
}

/// The SHA-256 and size of a file, read in pieces.
fn digest(path: &Path) -> Result<(u64, String), Error> {
    let mut file = std::fs::File::open(path).map_err(io(path))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(io(path))?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok((size, hex::encode(hasher.finalize())))
}

/// Copies `from` to `to` and flushes it.
fn copy_flushed(from: &Path, to: &Path) -> Result<(), Error> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    std::fs::copy(from, to).map_err(io(to))?;
    std::fs::File::open(to)
        .and_then(|f| f.sync_all())
        .map_err(io(to))?;
    Ok(())
}

/// Every file below `dir`, as paths relative to `root` written with `/`.
fn files_below(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<(), Error> {
    if !dir.exists() {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let path = entry.map_err(io(dir))?.path();
        if path.is_dir() {
            files_below(root, &path, out)?;
        } else if let Ok(rel) = path.strip_prefix(root) {
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            // A sealed file being written is a temporary one: not part of the desk yet.
            if !parts.last().is_some_and(|name| name.starts_with('.')) {
                out.push(parts.join("/"));
            }
        }
    }
    Ok(())
}

/// A path of the manifest, checked to stay inside the backup (no `..`, no absolute path).
fn inside(root: &Path, rel: &str) -> Result<PathBuf, Error> {
    let ok = !rel.is_empty()
        && rel
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != ".." && !part.contains('\\'));
    if !ok {
        return Err(bad("the manifest names a file outside the backup"));
    }
    Ok(rel
        .split('/')
        .fold(root.to_path_buf(), |p, part| p.join(part)))
}

/// Flushes a folder's entries, best effort: a folder cannot be flushed on every system.
fn sync_dir(dir: &Path) {
    let _ = crate::files::sync_dir(dir);
}

impl Desk {
    /// Writes an encrypted backup of the whole desk into a new folder inside `to`; returns the
    /// folder. Administrators only; audited.
    pub fn backup(&self, to: &Path) -> Result<PathBuf, Error> {
        self.need(Act::Safeguard)?;
        let data_dir = self.inner.data_dir.clone().ok_or(Error::NoDataDir)?;
        let unit = self.unit()?;
        let now = self.inner.clock.now();
        let stamp = hoso_model::time::to_local(now).strftime("%Y%m%d-%H%M%S");
        let name = format!(
            "hoso-backup-{}-{stamp}",
            unit.as_ref()
                .map(|u| u.code.replace(['/', '\\', '.'], "_"))
                .unwrap_or_else(|| "desk".into())
        );
        let target = to.join(&name);
        if target.exists() {
            return Err(bad("a backup of this second is there already"));
        }
        let partial = to.join(format!(".{name}.partial"));
        if partial.exists() {
            std::fs::remove_dir_all(&partial).map_err(io(&partial))?;
        }
        std::fs::create_dir_all(&partial).map_err(io(&partial))?;
        let written = (|| {
            let snapshot = partial.join(hoso_store::DATABASE_FILE);
            self.inner.store.snapshot_to(&snapshot)?;
            copy_flushed(&data_dir.join(KEY_FILE), &partial.join(KEY_FILE))?;
            let mut blobs = Vec::new();
            files_below(&data_dir, &data_dir.join("blobs"), &mut blobs)?;
            for rel in &blobs {
                copy_flushed(&inside(&data_dir, rel)?, &inside(&partial, rel)?)?;
            }
            let mut files = Vec::new();
            for rel in [hoso_store::DATABASE_FILE.to_owned(), KEY_FILE.to_owned()]
                .into_iter()
                .chain(blobs)
            {
                let (size, sha256) = digest(&inside(&partial, &rel)?)?;
                files.push(BackupFile {
                    path: rel,
                    size,
                    sha256,
                });
            }
            let manifest = Manifest {
                format: FORMAT,
                fingerprint: self.data_key()?.fingerprint(),
                unit_code: unit.as_ref().map(|u| u.code.clone()),
                created_at: now,
                dossiers: self.inner.store.read(hoso_store::dossiers::count)?,
                files,
            };
            let json = serde_json::to_vec_pretty(&manifest).expect("a manifest serialises");
            crate::files::write_atomically(&partial.join(MANIFEST), &json)?;
            sync_dir(&partial);
            std::fs::rename(&partial, &target).map_err(io(&target))?;
            sync_dir(to);
            Ok::<_, Error>(())
        })();
        if let Err(err) = written {
            let _ = std::fs::remove_dir_all(&partial);
            return Err(err);
        }
        self.audit_now(AuditAction::Backup, "backup", &name)?;
        Ok(target)
    }

    /// Reads a backup's manifest and checks every file it names, without the recovery key.
    pub fn check_backup(from: &Path) -> Result<Manifest, Error> {
        let text = std::fs::read(from.join(MANIFEST))
            .map_err(|_| bad("no manifest: not a backup of this desk, or not a whole one"))?;
        let manifest: Manifest =
            serde_json::from_slice(&text).map_err(|_| bad("the manifest is damaged"))?;
        if manifest.format != FORMAT {
            return Err(bad("a backup format this version does not know"));
        }
        for file in &manifest.files {
            let path = inside(from, &file.path)?;
            let (size, sha256) =
                digest(&path).map_err(|_| bad("a file of the backup is missing"))?;
            if size != file.size || sha256 != file.sha256 {
                return Err(bad("a file of the backup is damaged"));
            }
        }
        for needed in [hoso_store::DATABASE_FILE, KEY_FILE] {
            if !manifest.files.iter().any(|f| f.path == needed) {
                return Err(bad("the backup lacks the database or the key file"));
            }
        }
        Ok(manifest)
    }

    /// Restores a backup into `data_dir` (a new machine, or a desk wiped before), checked
    /// whole first, with the recovery key; opens the restored desk as the recovery
    /// administrator (who then sets a password) and audits the restore. A data directory that
    /// holds a desk already is refused untouched.
    pub fn restore(
        from: &Path,
        data_dir: &Path,
        recovery_key: &str,
        clock: impl Clock + 'static,
    ) -> Result<Desk, Error> {
        if Keyring::exists(data_dir) {
            let here = Keyring::load(data_dir)?;
            let manifest = Desk::check_backup(from)?;
            return Err(if here.fingerprint() == manifest.fingerprint {
                Error::problem(
                    hoso_model::Field::Backup,
                    hoso_model::Problem::AlreadySetUp,
                    "this desk is set up: wipe it before restoring over it",
                )
            } else {
                Error::OtherDesk
            });
        }
        if data_dir.join(hoso_store::DATABASE_FILE).exists() {
            return Err(bad("the data folder holds a database already"));
        }
        let manifest = Desk::check_backup(from)?;
        let recovery = RecoveryKey::parse(recovery_key)?;
        let ring = Keyring::load(from)?;
        if ring.fingerprint() != manifest.fingerprint {
            return Err(bad("the key file is not the one the manifest names"));
        }
        ring.recover(&recovery)?;
        std::fs::create_dir_all(data_dir).map_err(io(data_dir))?;
        // Everything but the key file first: until it is there, the folder is no desk.
        for file in manifest.files.iter().filter(|f| f.path != KEY_FILE) {
            copy_flushed(&inside(from, &file.path)?, &inside(data_dir, &file.path)?)?;
        }
        let key_tmp = data_dir.join(format!(".{KEY_FILE}.restoring"));
        copy_flushed(&from.join(KEY_FILE), &key_tmp)?;
        std::fs::rename(&key_tmp, data_dir.join(KEY_FILE)).map_err(io(data_dir))?;
        sync_dir(data_dir);
        let (desk, _) = Desk::recover(data_dir, recovery_key, clock)?;
        desk.inner.store.write(|tx| {
            // The lost desk may have issued codes after this backup: until the hub says which,
            // codes come from a range it cannot have reached. A desk never enrolled has no hub
            // to hear from, and is not marked.
            let enrolled = hoso_store::settings::get(tx, crate::sync::keys::HUB_URL)?.is_some();
            if enrolled {
                hoso_store::settings::set(tx, crate::sync::keys::RESTORED_UNRECONCILED, "1")?;
            }
            desk.audit(
                tx,
                AuditAction::Restore,
                "backup",
                &format!("{} dossiers", manifest.dossiers),
            )
        })?;
        Ok(desk)
    }

    /// Xoá: destroys the desk before a laptop is handed over: the key file first (every slot,
    /// so nothing kept can be read again, even what the disk fails to erase), then the
    /// database and the kept files. Administrators only. The hub keeps what was synced.
    pub fn wipe(self) -> Result<(), Error> {
        self.need(Act::Safeguard)?;
        let data_dir = self.inner.data_dir.clone().ok_or(Error::NoDataDir)?;
        Keyring::destroy(&data_dir)?;
        drop(self);
        for name in [
            hoso_store::DATABASE_FILE.to_owned(),
            format!("{}-wal", hoso_store::DATABASE_FILE),
            format!("{}-shm", hoso_store::DATABASE_FILE),
        ] {
            let path = data_dir.join(name);
            if path.exists() {
                std::fs::remove_file(&path).map_err(io(&path))?;
            }
        }
        for folder in ["blobs", "forms", "exports", "reports"] {
            let path = data_dir.join(folder);
            if path.exists() {
                std::fs::remove_dir_all(&path).map_err(io(&path))?;
            }
        }
        sync_dir(&data_dir);
        Ok(())
    }
}

/// What a purge removed (or, on a dry run, would remove).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Purged {
    pub dossiers: u64,
    pub files: u64,
}

/// The retention period when the unit has not chosen one: a year.
pub const DEFAULT_RETENTION_DAYS: u32 = 365;
const RETENTION: &str = "retention.days";

impl Desk {
    /// The unit's retention period in days.
    pub fn retention_days(&self) -> Result<u32, Error> {
        Ok(self
            .inner
            .store
            .read(|tx| hoso_store::settings::get(tx, RETENTION))?
            .and_then(|d| d.parse().ok())
            .unwrap_or(DEFAULT_RETENTION_DAYS))
    }

    /// Sets the unit's retention period (administrators).
    pub fn set_retention_days(&self, days: u32) -> Result<(), Error> {
        self.need(Act::Configure)?;
        self.inner.store.write(|tx| {
            hoso_store::settings::set(tx, RETENTION, &days.to_string())?;
            self.audit(tx, AuditAction::Settings, "retention", &days.to_string())
        })
    }

    /// Lưu giữ: removes the local copy of finished dossiers received more than `days` ago
    /// (the unit's retention period when `None`) whose latest version the hub holds, with their
    /// pages and the kept files no other dossier uses. Nothing the hub lacks is ever removed.
    /// `dry_run` only counts. Administrators only; audited.
    pub fn purge(&self, days: Option<u32>, dry_run: bool) -> Result<Purged, Error> {
        self.need(Act::Configure)?;
        let days = match days {
            Some(d) => d,
            None => self.retention_days()?,
        };
        let before = self
            .inner
            .clock
            .now()
            .checked_sub(jiff::SignedDuration::from_hours(24 * i64::from(days)))
            .map_err(|_| bad("a retention period out of range"))?
            .as_millisecond();
        let mut purged = Purged {
            dossiers: 0,
            files: 0,
        };
        loop {
            let (n, unused) = self.inner.store.write(|tx| {
                let ids = hoso_store::retention::purgeable(tx, before, 500)?;
                if dry_run {
                    return Ok::<_, Error>((ids.len() as u64, Vec::new()));
                }
                let mut unused = Vec::new();
                for id in &ids {
                    unused.extend(hoso_store::retention::purge(tx, id)?);
                }
                if !ids.is_empty() {
                    self.audit(
                        tx,
                        AuditAction::Purge,
                        "retention",
                        &format!("{} dossiers, {days} days", ids.len()),
                    )?;
                }
                Ok((ids.len() as u64, unused))
            })?;
            purged.dossiers += n;
            for hash in &unused {
                // A file attached again meanwhile has its row back: it stays.
                let named = self
                    .inner
                    .store
                    .read(|tx| hoso_store::pages::blob_media_type(tx, hash))?;
                if named.is_none() {
                    self.inner.blobs.remove(hash)?;
                    purged.files += 1;
                }
            }
            if n == 0 || dry_run {
                return Ok(purged);
            }
        }
    }
}
