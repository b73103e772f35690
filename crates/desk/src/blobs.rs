//! The files a desk keeps (scans, imported files), named by the SHA-256 of their bytes under
//! `blobs/ab/abcdef…` in the data directory. A file is written to a temporary name, flushed to
//! the disk, renamed into place and its folder flushed, all before the row that refers to it is
//! committed: after a crash there may be a file no row refers to (harmless, the same bytes
//! will find it again), never a row without its file. The same bytes are kept once.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use sha2::{Digest, Sha256};

use crate::Error;

pub(crate) enum Blobs {
    Dir(PathBuf),
    /// For an in-memory desk (tests).
    Memory(Mutex<HashMap<String, Vec<u8>>>),
}

/// The lower-case hex SHA-256 of `bytes`.
pub fn hash_of(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl Blobs {
    pub(crate) fn in_dir(data_dir: &Path) -> Blobs {
        Blobs::Dir(data_dir.join("blobs"))
    }

    pub(crate) fn in_memory() -> Blobs {
        Blobs::Memory(Mutex::new(HashMap::new()))
    }

    fn path(dir: &Path, hash: &str) -> PathBuf {
        dir.join(&hash[..2]).join(hash)
    }

    /// Where the file with this hash lies (an in-memory desk keeps no files: a path that does
    /// not exist).
    pub(crate) fn path_of(&self, hash: &str) -> PathBuf {
        match self {
            Blobs::Dir(dir) => Self::path(dir, hash),
            Blobs::Memory(_) => PathBuf::from("/nonexistent/in-memory").join(hash),
        }
    }

    /// Keeps `bytes`; returns their hash. Bytes already kept are not written again.
    pub(crate) fn put(&self, bytes: &[u8]) -> Result<String, Error> {
        let hash = hash_of(bytes);
        match self {
            Blobs::Memory(map) => {
                map.lock()
                    .expect("blob map poisoned")
                    .entry(hash.clone())
                    .or_insert_with(|| bytes.to_vec());
            }
            Blobs::Dir(dir) => {
                let path = Self::path(dir, &hash);
                if path.exists() {
                    return Ok(hash);
                }
                let folder = path.parent().expect("a blob path has a folder");
                let fail = |source| Error::Write {
                    path: path.clone(),
                    source,
                };
                std::fs::create_dir_all(folder).map_err(fail)?;
                let mut temp = tempfile::NamedTempFile::new_in(folder).map_err(fail)?;
                temp.write_all(bytes).map_err(fail)?;
                temp.as_file().sync_all().map_err(fail)?;
                temp.persist(&path).map_err(|e| fail(e.error))?;
                sync_dir(folder).map_err(fail)?;
            }
        }
        Ok(hash)
    }

    /// The bytes kept under `hash`, checked against it: a file damaged on disk is reported,
    /// never passed on.
    pub(crate) fn get(&self, hash: &str) -> Result<Vec<u8>, Error> {
        let bytes = match self {
            Blobs::Memory(map) => map
                .lock()
                .expect("blob map poisoned")
                .get(hash)
                .cloned()
                .ok_or_else(|| Error::MissingFile(hash.to_owned()))?,
            Blobs::Dir(dir) => {
                let path = Self::path(dir, hash);
                std::fs::read(&path).map_err(|_| Error::MissingFile(hash.to_owned()))?
            }
        };
        if hash_of(&bytes) != hash {
            return Err(Error::DamagedFile(hash.to_owned()));
        }
        Ok(bytes)
    }
}

/// Flushes a folder's entries, so a rename into it survives a power cut.
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_are_kept_once_under_their_hash_and_read_back_checked() {
        let dir = tempfile::tempdir().unwrap();
        let blobs = Blobs::in_dir(dir.path());
        let a = blobs.put(b"trang 1").unwrap();
        assert_eq!(blobs.put(b"trang 1").unwrap(), a);
        assert_eq!(blobs.get(&a).unwrap(), b"trang 1");
        let path = Blobs::path(&dir.path().join("blobs"), &a);
        std::fs::write(&path, b"trang 2").unwrap();
        assert!(matches!(blobs.get(&a), Err(Error::DamagedFile(_))));
        assert!(matches!(
            blobs.get(&hash_of(b"never kept")),
            Err(Error::MissingFile(_))
        ));
    }
}
