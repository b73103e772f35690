//! Where the desk keeps its data: `HOSO_DATA_DIR` if set, else the operating system's per-user
//! local data directory for the app (`~/.local/share/hoso` on Linux, `%LOCALAPPDATA%\hoso\data`
//! on Windows). Local, not roaming: a domain's roaming profile would copy gigabytes of scans at
//! every sign-in, and the data key must stay with the machine's store.

use std::ffi::OsString;
use std::path::PathBuf;

use crate::Error;

/// The environment variable that overrides the data directory.
pub const DATA_DIR_ENV: &str = "HOSO_DATA_DIR";

/// The data directory for this process, from the environment or the platform's convention.
pub fn default_data_dir() -> Result<PathBuf, Error> {
    choose(std::env::var_os(DATA_DIR_ENV), || {
        directories::ProjectDirs::from("vn", "", "hoso")
            .map(|dirs| dirs.data_local_dir().to_path_buf())
    })
}

fn choose(
    overridden: Option<OsString>,
    platform: impl FnOnce() -> Option<PathBuf>,
) -> Result<PathBuf, Error> {
    match overridden {
        Some(dir) if !dir.is_empty() => Ok(PathBuf::from(dir)),
        _ => platform().ok_or(Error::NoDataDir),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_environment_overrides_the_platform_directory() {
        let chosen = choose(Some("/srv/hoso".into()), || {
            Some("/home/a/.local/share/hoso".into())
        });
        assert_eq!(chosen.unwrap(), PathBuf::from("/srv/hoso"));
    }

    #[test]
    fn an_empty_override_is_ignored_and_no_directory_at_all_is_an_error() {
        let chosen = choose(Some("".into()), || Some("/home/a/.local/share/hoso".into()));
        assert_eq!(chosen.unwrap(), PathBuf::from("/home/a/.local/share/hoso"));
        assert!(matches!(choose(None, || None), Err(Error::NoDataDir)));
    }

    #[test]
    fn the_platform_directory_is_named_after_the_app() {
        let dir =
            directories::ProjectDirs::from("vn", "", "hoso").expect("a home directory exists here");
        assert!(dir.data_dir().to_string_lossy().contains("hoso"));
    }
}
