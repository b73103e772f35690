//! The files a desk keeps (scans, imported files), known by the SHA-256 of their bytes and
//! kept sealed (`hoso-vault`: authenticated encryption under the desk's data key) under
//! `blobs/ab/abcdef…`, named by a keyed hash of that SHA-256 so the folder does not tell which
//! documents it holds. A file is sealed into a temporary name, flushed to the disk, renamed into
//! place and its folder flushed, all before the row that refers to it is committed: after a
//! crash there may be a file no row refers to (harmless, the same bytes will find it again),
//! never a row without its file. The same bytes are kept once. No plaintext ever touches the
//! disk.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use hoso_vault::{DataKey, SealedReader};
use sha2::{Digest, Sha256};

use crate::Error;

pub(crate) enum Blobs {
    Dir {
        dir: PathBuf,
        key: DataKey,
    },
    /// For an in-memory desk (tests).
    Memory(Mutex<HashMap<String, Vec<u8>>>),
}

/// The lower-case hex SHA-256 of `bytes`.
pub fn hash_of(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl Blobs {
    pub(crate) fn in_dir(data_dir: &Path, key: DataKey) -> Blobs {
        Blobs::Dir {
            dir: data_dir.join("blobs"),
            key,
        }
    }

    pub(crate) fn in_memory() -> Blobs {
        Blobs::Memory(Mutex::new(HashMap::new()))
    }

    fn path(dir: &Path, key: &DataKey, hash: &str) -> PathBuf {
        let name = key.file_name(hash);
        dir.join(&name[..2]).join(name)
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
            Blobs::Dir { dir, key } => {
                let path = Self::path(dir, key, &hash);
                if path.exists() {
                    return Ok(hash);
                }
                let folder = path.parent().expect("a blob path has a folder");
                let fail = |source| Error::Write {
                    path: path.clone(),
                    source,
                };
                std::fs::create_dir_all(folder).map_err(fail)?;
                let temp = tempfile::NamedTempFile::new_in(folder).map_err(fail)?;
                let mut out = std::io::BufWriter::new(temp);
                key.file_key().seal_into(bytes, &mut out).map_err(fail)?;
                let temp = out.into_inner().map_err(|e| fail(e.into_error()))?;
                temp.as_file().sync_all().map_err(fail)?;
                temp.persist(&path).map_err(|e| fail(e.error))?;
                crate::files::sync_dir(folder).map_err(fail)?;
            }
        }
        Ok(hash)
    }

    /// Removes the file kept under `hash` (after a purge committed that no page names it).
    pub(crate) fn remove(&self, hash: &str) -> Result<(), Error> {
        match self {
            Blobs::Memory(map) => {
                map.lock().expect("blob map poisoned").remove(hash);
            }
            Blobs::Dir { dir, key } => {
                let path = Self::path(dir, key, hash);
                if path.exists() {
                    std::fs::remove_file(&path).map_err(|source| Error::Write {
                        path: path.clone(),
                        source,
                    })?;
                }
            }
        }
        Ok(())
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
            Blobs::Dir { dir, key } => {
                let path = Self::path(dir, key, hash);
                let file =
                    std::fs::File::open(&path).map_err(|_| Error::MissingFile(hash.to_owned()))?;
                key.file_key()
                    .open(std::io::BufReader::new(file))
                    .map_err(|_| Error::DamagedFile(hash.to_owned()))?
            }
        };
        if hash_of(&bytes) != hash {
            return Err(Error::DamagedFile(hash.to_owned()));
        }
        Ok(bytes)
    }

    /// The file kept under `hash`, to read from any byte (decrypted as it is read); `None` if
    /// it is not kept. Its bytes are authenticated chunk by chunk, not checked against the hash.
    pub(crate) fn reader(&self, hash: &str) -> Option<Box<dyn hoso_sync::local::FileReader>> {
        match self {
            Blobs::Memory(map) => {
                let bytes = map.lock().expect("blob map poisoned").get(hash).cloned()?;
                Some(Box::new(std::io::Cursor::new(bytes)))
            }
            Blobs::Dir { dir, key } => {
                let file = std::fs::File::open(Self::path(dir, key, hash)).ok()?;
                let reader =
                    SealedReader::new(key.file_key(), std::io::BufReader::new(file)).ok()?;
                Some(Box::new(reader))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_are_kept_once_sealed_and_read_back_checked() {
        let dir = tempfile::tempdir().unwrap();
        let key = DataKey::generate();
        let blobs = Blobs::in_dir(dir.path(), key.clone());
        let a = blobs.put(b"trang 1").unwrap();
        assert_eq!(blobs.put(b"trang 1").unwrap(), a);
        assert_eq!(blobs.get(&a).unwrap(), b"trang 1");
        let path = Blobs::path(&dir.path().join("blobs"), &key, &a);
        assert!(
            !path.to_string_lossy().contains(&a),
            "named by a keyed hash"
        );
        let sealed = std::fs::read(&path).unwrap();
        assert!(!sealed.windows(7).any(|w| w == b"trang 1"));
        let mut read = String::new();
        std::io::Read::read_to_string(&mut blobs.reader(&a).unwrap(), &mut read).unwrap();
        assert_eq!(read, "trang 1");

        let mut edited = sealed.clone();
        *edited.last_mut().unwrap() ^= 1;
        std::fs::write(&path, &edited).unwrap();
        assert!(matches!(blobs.get(&a), Err(Error::DamagedFile(_))));
        assert!(matches!(
            blobs.get(&hash_of(b"never kept")),
            Err(Error::MissingFile(_))
        ));
        // Another desk's key cannot read it.
        std::fs::write(&path, &sealed).unwrap();
        let other = Blobs::in_dir(dir.path(), DataKey::generate());
        assert!(other.get(&a).is_err());
    }
}
