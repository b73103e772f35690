//! Data left by a version of the desk that did not encrypt: encrypted in place, once, when the
//! desk is set up (or at the next sign-in if that was interrupted), losing nothing.
//!
//! The key file is written before this runs, so the key that encrypts is never lost. The
//! database is exported into a new SQLCipher file beside it, flushed, and renamed over the old
//! one (a crash leaves the old plaintext file or the new encrypted one, never half of either).
//! Each plaintext kept file is sealed under its new name before the old one is removed; a file
//! sealed already is left alone, so an interrupted pass simply runs again.

use std::io::Read;
use std::path::Path;

use hoso_store::DATABASE_FILE;
use hoso_vault::DataKey;

use crate::Error;
use crate::blobs::{Blobs, hash_of};

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";
const SEALED_MAGIC: &[u8; 7] = b"HOSOSF1";

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Write {
        path: path.to_path_buf(),
        source,
    }
}

fn starts_with(path: &Path, magic: &[u8]) -> std::io::Result<bool> {
    let mut head = vec![0u8; magic.len()];
    let mut file = std::fs::File::open(path)?;
    let n = file.read(&mut head)?;
    Ok(n == magic.len() && head == magic)
}

/// Encrypts the plaintext database and kept files of `data_dir`, if there are any.
pub(crate) fn encrypt_in_place(data_dir: &Path, key: &DataKey) -> Result<(), Error> {
    let db = data_dir.join(DATABASE_FILE);
    if db.exists() && starts_with(&db, SQLITE_HEADER).map_err(io(&db))? {
        encrypt_database(&db, key)?;
    }
    let blobs = data_dir.join("blobs");
    if blobs.is_dir() {
        seal_files(data_dir, &blobs, key)?;
    }
    Ok(())
}

fn encrypt_database(db: &Path, key: &DataKey) -> Result<(), Error> {
    let staging = db.with_extension("db.encrypting");
    if staging.exists() {
        std::fs::remove_file(&staging).map_err(io(&staging))?;
    }
    hoso_store::export_encrypted(db, &staging, key.database_pragma().as_str())
        .map_err(Error::Store)?;
    std::fs::File::open(&staging)
        .and_then(|f| f.sync_all())
        .map_err(io(&staging))?;
    for suffix in ["-wal", "-shm"] {
        let mut side = db.as_os_str().to_owned();
        side.push(suffix);
        let side = std::path::PathBuf::from(side);
        if side.exists() {
            std::fs::remove_file(&side).map_err(io(&side))?;
        }
    }
    std::fs::rename(&staging, db).map_err(io(db))?;
    Ok(())
}

fn seal_files(data_dir: &Path, blobs_dir: &Path, key: &DataKey) -> Result<(), Error> {
    let blobs = Blobs::in_dir(data_dir, key.clone());
    for folder in std::fs::read_dir(blobs_dir).map_err(io(blobs_dir))? {
        let folder = folder.map_err(io(blobs_dir))?.path();
        if !folder.is_dir() {
            continue;
        }
        for entry in std::fs::read_dir(&folder).map_err(io(&folder))? {
            let path = entry.map_err(io(&folder))?.path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            // Plaintext files were named by the SHA-256 of their bytes; temporary files and
            // sealed files are not touched.
            if name.len() != 64 || name.starts_with('.') {
                continue;
            }
            if starts_with(&path, SEALED_MAGIC).map_err(io(&path))? {
                continue;
            }
            let bytes = std::fs::read(&path).map_err(io(&path))?;
            // A file whose bytes no longer match its name was damaged before: kept aside, as
            // the old desk would have refused it too.
            if hash_of(&bytes) == name {
                blobs.put(&bytes)?;
                std::fs::remove_file(&path).map_err(io(&path))?;
            } else {
                let aside = path.with_extension("damaged");
                std::fs::rename(&path, &aside).map_err(io(&path))?;
            }
        }
    }
    Ok(())
}
