//! What the shell keeps beside the desk's data, in `<data dir>/window/`: the window's size and
//! place (`window-state.json`, see `placement.rs`), the printer and its options
//! (`print-settings.ini`, see `print.rs`) and the desk's language for GTK's own dialogs
//! (`language`, see `locale.rs`). Nothing personal: a machine's preferences, in the clear.
//! Kept with the data, not in the system's configuration folder, so that each data directory
//! (each end-to-end test has its own) starts from nothing.

use std::path::{Path, PathBuf};

/// The folder of the shell's own files in the data directory `data_dir`.
pub fn folder(data_dir: &Path) -> PathBuf {
    data_dir.join("window")
}

/// Replaces the file at `path` with what `write` puts in a temporary file beside it, so that a
/// reader never finds half a file; makes the folder first.
pub fn replace(
    path: &Path,
    write: impl FnOnce(&Path) -> std::io::Result<()>,
) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut part = path.as_os_str().to_owned();
    part.push(".part");
    let part = PathBuf::from(part);
    let written = write(&part).and_then(|()| std::fs::rename(&part, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&part);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replaced_file_holds_the_new_text_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = folder(dir.path()).join("language");
        replace(&path, |part| std::fs::write(part, "en")).unwrap();
        replace(&path, |part| std::fs::write(part, "vi")).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "vi");
        let names: Vec<_> = std::fs::read_dir(folder(dir.path())).unwrap().collect();
        assert_eq!(names.len(), 1, "only the file itself is left");
    }

    #[test]
    fn a_failed_write_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = folder(dir.path()).join("language");
        replace(&path, |part| std::fs::write(part, "vi")).unwrap();
        let failed = replace(&path, |part| {
            std::fs::write(part, "e")?;
            Err(std::io::Error::other("disk full"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "vi");
        assert_eq!(std::fs::read_dir(folder(dir.path())).unwrap().count(), 1);
    }
}
