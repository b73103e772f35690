//! Thư mục nhận: a folder that scanners save into (a USB scanner's "scan to folder", a shared
//! folder of a multifunction printer). Each file is filed by its name (`CODE…` or
//! `CODE_TP2…`, `CODE_KQ…`) or, failing that, by the QR code on its first page (a receipt or
//! cover sheet scanned on top). A filed file moves to `done/`; a file that cannot be filed
//! moves to `failed/` beside a `.txt` saying why, in the officer's language. The folder is
//! looked at by polling, because shared folders on the network do not report changes: the
//! window and `hoso watch` both look with [`Desk::watch_folder`].

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::time::Duration;

use hoso_model::page::{Sheet, Target, sheet_of};
use hoso_model::unit::is_dossier_code;
use hoso_model::{ApiError, Language, i18n};
use serde::Serialize;

use crate::{Desk, Error};

/// What one pass over the folder did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FolderPass {
    /// `(file name, dossier code, pages)` for each file filed.
    pub filed: Vec<(String, String, u32)>,
    /// `(file name, reason)` for each file moved to `failed/`.
    pub failed: Vec<(String, String)>,
}

/// Files still being written are left for the next pass: a file is taken only once its size
/// has not changed for this long.
const SETTLED: std::time::Duration = std::time::Duration::from_secs(2);

/// Where a file's name says it goes: `H25.123-260302-0001_TP2_anything.jpg` → component 2,
/// `…_KQ…` → the results, a bare code → component 1.
pub fn target_from_name(name: &str) -> Option<(String, Target)> {
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let mut parts = stem.split(['_', ' ']);
    let code = parts.next()?;
    if !is_dossier_code(code) {
        return None;
    }
    let target = match parts.next().map(str::to_ascii_uppercase) {
        Some(part) if part.starts_with("KQ") => Target::Result { code: None },
        Some(part) if part.starts_with("TP") => Target::Component {
            n: part[2..].parse().ok().filter(|&n| n > 0)?,
        },
        _ => Target::Component { n: 1 },
    };
    Some((code.to_owned(), target))
}

/// Where the desk remembers its folder.
pub const FOLDER_SETTING: &str = "scan.folder";

/// How long a watched folder rests between passes.
pub const WATCH_EVERY: Duration = Duration::from_secs(3);

/// Which folder [`Desk::watch_folder`] files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Watched {
    /// The folder the desk remembers, with reasons in the officer's language; nothing while
    /// none is set (the window, which may be given one at any time).
    Remembered,
    /// This folder, with reasons in this language (`hoso watch`).
    At(PathBuf, Language),
}

impl Desk {
    /// Files the folder pass after pass, [`WATCH_EVERY`] apart, for as long as `after` goes on:
    /// it sees each pass (or why the folder could not be filed) and says whether to continue.
    /// Nothing is filed while the desk is locked: filing is done in someone's name.
    pub fn watch_folder<T>(
        &self,
        which: &Watched,
        mut after: impl FnMut(Result<FolderPass, Error>) -> ControlFlow<T>,
    ) -> T {
        loop {
            if let Some(pass) = self.watch_pass(which)
                && let ControlFlow::Break(done) = after(pass)
            {
                return done;
            }
            std::thread::sleep(WATCH_EVERY);
        }
    }

    /// One pass of a watch, unless there is nothing to watch now.
    fn watch_pass(&self, which: &Watched) -> Option<Result<FolderPass, Error>> {
        self.current_user()?;
        match which {
            Watched::At(folder, lang) => Some(self.file_folder(folder, *lang)),
            Watched::Remembered => {
                let folder = self.watched_folder().ok().flatten()?;
                let lang = self.settings().map(|s| s.language).unwrap_or_default();
                Some(self.file_folder(&folder, lang))
            }
        }
    }

    /// The folder this desk watches, if one was set.
    pub fn watched_folder(&self) -> Result<Option<PathBuf>, Error> {
        self.need(hoso_model::Act::Work)?;
        Ok(self
            .inner
            .store
            .read(|tx| hoso_store::settings::get(tx, FOLDER_SETTING))?
            .map(PathBuf::from))
    }

    /// Remembers the folder to watch (the desktop window files it while open).
    pub fn set_watched_folder(&self, folder: &Path) -> Result<(), Error> {
        self.need(hoso_model::Act::Work)?;
        let text = folder.to_string_lossy().into_owned();
        Ok(self
            .inner
            .store
            .write(|tx| hoso_store::settings::set(tx, FOLDER_SETTING, &text))?)
    }

    /// Files every settled file in `folder` once.
    pub fn file_folder(&self, folder: &Path, lang: Language) -> Result<FolderPass, Error> {
        self.need(hoso_model::Act::Work)?;
        let done = folder.join("done");
        let failed = folder.join("failed");
        let mut pass = FolderPass::default();
        let mut entries: Vec<PathBuf> = std::fs::read_dir(folder)
            .map_err(|source| Error::Write {
                path: folder.to_path_buf(),
                source,
            })?
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.path())
            .filter(|p| settled(p))
            .collect();
        entries.sort();
        for path in entries {
            let name = hoso_capture::import::display_name(&path);
            // Hidden and temporary files (a scanner's `.part`, `~$…`) are not pages yet.
            if name.starts_with('.') || name.starts_with('~') || name.ends_with(".part") {
                continue;
            }
            match self.file_one(&path, &name) {
                Ok((code, pages)) => {
                    move_into(&path, &done, &name)?;
                    pass.filed.push((name, code, pages));
                }
                Err(err) => {
                    let reason = i18n::error_text(lang, &ApiError::from(&err)).to_owned();
                    move_into(&path, &failed, &name)?;
                    crate::files::write_atomically(
                        &failed.join(format!("{name}.txt")),
                        reason.as_bytes(),
                    )?;
                    pass.failed.push((name, reason));
                }
            }
        }
        Ok(pass)
    }

    fn file_one(&self, path: &Path, name: &str) -> Result<(String, u32), Error> {
        let (code, target) = match target_from_name(name) {
            Some(found) => found,
            None => (self.code_on_first_page(path)?, Target::Component { n: 1 }),
        };
        let pages = self.attach(&code, &target, &[path.to_path_buf()])?;
        Ok((code, pages.len() as u32))
    }

    /// The dossier code in the QR code of a file's first page.
    fn code_on_first_page(&self, path: &Path) -> Result<String, Error> {
        let bytes =
            hoso_capture::import::read_limited(path).map_err(|e| Error::capture(e, None))?;
        let imported = hoso_capture::import::import(&bytes).map_err(|e| Error::capture(e, None))?;
        let qr = match imported.pages.first() {
            Some(hoso_capture::import::ImportedPage::Image { bytes, format, .. }) => {
                hoso_capture::analyse::analyse_image(bytes, *format)
                    .map_err(|e| Error::capture(e, None))?
                    .qr
            }
            Some(hoso_capture::import::ImportedPage::PdfPage { index, .. }) => {
                hoso_capture::analyse::analyse_pdf_page(&bytes, *index)
                    .map_err(|e| Error::capture(e, None))?
                    .qr
            }
            None => None,
        };
        match sheet_of(qr.as_deref()) {
            Sheet::Cover { code } => Ok(code),
            _ => Err(Error::refused(
                hoso_model::Field::Scanner,
                "the file names no dossier and its first page has no dossier QR code",
            )),
        }
    }
}

fn settled(path: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    meta.modified()
        .ok()
        .and_then(|m| m.elapsed().ok())
        .is_some_and(|age| age >= SETTLED)
}

/// Moves a file into `dir`, never over another: a repeated name gets a number.
fn move_into(path: &Path, dir: &Path, name: &str) -> Result<(), Error> {
    let fail = |source| Error::Write {
        path: dir.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(fail)?;
    let mut dest = dir.join(name);
    let mut n = 1;
    while dest.exists() {
        dest = dir.join(format!("{n}-{name}"));
        n += 1;
    }
    std::fs::rename(path, &dest).map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_say_the_dossier_and_the_component() {
        assert_eq!(
            target_from_name("H25.123-260302-0001_TP2_giay-chung-sinh.jpg"),
            Some(("H25.123-260302-0001".into(), Target::Component { n: 2 }))
        );
        assert_eq!(
            target_from_name("H25.123-260302-0001.pdf"),
            Some(("H25.123-260302-0001".into(), Target::Component { n: 1 }))
        );
        assert_eq!(
            target_from_name("H25.123-260302-0001_KQ.pdf"),
            Some(("H25.123-260302-0001".into(), Target::Result { code: None }))
        );
        assert_eq!(target_from_name("scan0001.jpg"), None);
        assert_eq!(target_from_name("H25.123-260302-0001_TP0.jpg"), None);
    }
}
