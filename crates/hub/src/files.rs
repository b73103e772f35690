//! Where the hub keeps files: complete files named by their SHA-256, behind [`FileStore`] so
//! that S3-compatible object storage can take the directory's place; and the partial files of
//! uploads in progress, which stay on local disk.
//!
//! A file enters the store complete and flushed, by an atomic rename followed by a flush of the
//! folder ([`DirStore`]); a crash leaves either the partial file or the stored file, never half
//! of one. The store is shared by every unit (the same scan sent by two communes is kept once);
//! which unit may read a file is the database's business (`unit_file`).

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// Complete files, named by content.
pub trait FileStore: Send + Sync {
    /// Moves a complete, flushed partial file into the store under `sha256`. Bytes already held
    /// are kept as they are.
    fn put(&self, partial: &Path, sha256: &str) -> std::io::Result<()>;
    fn contains(&self, sha256: &str) -> bool;
    fn open(&self, sha256: &str) -> std::io::Result<File>;
    /// The size in bytes of a file held.
    fn size(&self, sha256: &str) -> std::io::Result<u64>;
}

/// Files under `DATA_DIR/files/ab/abcdef…`.
pub struct DirStore {
    root: PathBuf,
}

impl DirStore {
    pub fn new(root: PathBuf) -> DirStore {
        DirStore { root }
    }

    fn path(&self, sha256: &str) -> PathBuf {
        self.root.join(&sha256[..2]).join(sha256)
    }
}

impl FileStore for DirStore {
    fn put(&self, partial: &Path, sha256: &str) -> std::io::Result<()> {
        let path = self.path(sha256);
        if path.exists() {
            std::fs::remove_file(partial)?;
            return Ok(());
        }
        let folder = path.parent().expect("a file path has a folder");
        std::fs::create_dir_all(folder)?;
        std::fs::rename(partial, &path)?;
        sync_dir(folder)
    }

    fn contains(&self, sha256: &str) -> bool {
        self.path(sha256).exists()
    }

    fn open(&self, sha256: &str) -> std::io::Result<File> {
        File::open(self.path(sha256))
    }

    fn size(&self, sha256: &str) -> std::io::Result<u64> {
        Ok(std::fs::metadata(self.path(sha256))?.len())
    }
}

/// Flushes a folder's entries (a rename is durable only then). The desk has the same helper
/// (`hoso_desk::files::sync_dir`); the hub keeps its own rather than depend on the desk, which
/// would bring SQLCipher, the scanners and OCR into the server.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// The SHA-256 of a file, read in pieces.
pub fn hash_file(path: &Path) -> std::io::Result<String> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

/// Partial files of uploads in progress: `DATA_DIR/uploads/<unit>/<id>`.
pub struct Partials {
    root: PathBuf,
}

impl Partials {
    pub fn new(root: PathBuf) -> Partials {
        Partials { root }
    }

    pub fn path(&self, unit: &str, id: &str) -> PathBuf {
        self.root.join(unit).join(id)
    }

    /// The bytes on disk for an upload (0 if there is no partial file).
    pub fn on_disk(&self, unit: &str, id: &str) -> u64 {
        std::fs::metadata(self.path(unit, id)).map_or(0, |m| m.len())
    }

    /// Opens the partial file cut back to `offset` bytes (anything past the confirmed offset
    /// is a chunk that never completed), ready to append. A new partial file's folder entry is
    /// flushed before anything is recorded about its bytes.
    pub fn open_at(&self, unit: &str, id: &str, offset: u64) -> std::io::Result<File> {
        let path = self.path(unit, id);
        let folder = path.parent().expect("a partial has a folder");
        let new = !path.exists();
        if new && !folder.exists() {
            std::fs::create_dir_all(folder)?;
            sync_dir(&self.root)?;
        }
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&path)?;
        if new {
            sync_dir(folder)?;
        }
        let len = file.metadata()?.len();
        if len < offset {
            return Err(std::io::Error::other(
                "the partial file is shorter than its offset",
            ));
        }
        file.set_len(offset)?;
        let mut file = file;
        std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(offset))?;
        Ok(file)
    }

    pub fn remove(&self, unit: &str, id: &str) {
        let _ = std::fs::remove_file(self.path(unit, id));
    }
}
