//! Số hóa: the use cases of digitisation. Files and scanned pages are checked and analysed
//! first (no lock held), their bytes kept on disk next, and their records committed last, in
//! one transaction per file: a file is attached whole or not at all.
//! Deleting a page can be undone for a while (`undo`); `export` writes the archive and
//! `prepare` checks what comes in.

use std::path::{Path, PathBuf};

use hoso_capture::ScannedPage;
use hoso_capture::analyse::{NEAR_DUPLICATE_BITS, hash_distance};
use hoso_model::account::AuditAction;
use hoso_model::page::{ComponentState, Digitisation, PageFlag, PageInfo, Target};
use hoso_model::{Act, Dossier, Field};
use hoso_store::pages::{self, NewPage, PageRow};
use rusqlite::Transaction;

use crate::{Desk, Error, find};

mod export;
mod prepare;
mod undo;

pub use export::{Archive, Export};
pub use undo::{Released, UNDO_GRACE};

use prepare::prepare_file;
pub(crate) use prepare::{Prepared, prepare_scanned};

/// Pages under this resolution are flagged: small print and stamps become hard to read.
pub const MIN_DPI: u32 = 200;

/// Where pages came from, recorded with them.
#[derive(Debug, Clone)]
pub struct Origin {
    /// `file` or `scan`.
    pub kind: &'static str,
    /// The file's name (never its folder) or the scanner's id.
    pub name: String,
}

impl Desk {
    pub(crate) fn check_target(&self, dossier: &Dossier, target: &Target) -> Result<(), Error> {
        if let Target::Component { n } = target {
            let procedure = self.procedure(&dossier.procedure_code)?;
            if *n == 0 || usize::from(*n) > procedure.components.len() {
                return Err(Error::refused(
                    Field::Component,
                    "the procedure has no such component",
                ));
            }
        }
        Ok(())
    }

    /// Đính kèm: attaches files (JPEG, PNG, TIFF, PDF) to a component or the results. Every file
    /// is read and checked before anything is kept; the first bad one is reported (by its
    /// position in the list) and nothing at all is attached.
    pub fn attach(
        &self,
        code_or_id: &str,
        target: &Target,
        paths: &[PathBuf],
    ) -> Result<Vec<PageInfo>, Error> {
        self.need(Act::Work)?;
        let dossier = self.inner.store.read(|tx| find(tx, code_or_id))?;
        self.check_target(&dossier, target)?;
        let mut prepared = Vec::new();
        for (i, path) in paths.iter().enumerate() {
            let item = Some(i as u32 + 1);
            let bytes =
                hoso_capture::import::read_limited(path).map_err(|e| Error::capture(e, item))?;
            let pages = prepare_file(bytes).map_err(|e| Error::capture(e, item))?;
            let name = hoso_capture::import::display_name(path);
            prepared.push((pages, name));
        }
        self.keep_files(&dossier, target, prepared)
    }

    /// Like [`attach`](Self::attach), for files the window hands over as they are (dropped on
    /// it): each a name, as shown to the officer, and its bytes. Every file is checked before
    /// any is kept, with the same limits as a file read from disk.
    pub fn attach_dropped(
        &self,
        code_or_id: &str,
        target: &Target,
        files: Vec<(String, Vec<u8>)>,
    ) -> Result<Vec<PageInfo>, Error> {
        self.need(Act::Work)?;
        let dossier = self.inner.store.read(|tx| find(tx, code_or_id))?;
        self.check_target(&dossier, target)?;
        let mut prepared = Vec::new();
        for (i, (name, bytes)) in files.into_iter().enumerate() {
            let item = Some(i as u32 + 1);
            if bytes.len() as u64 > hoso_capture::import::MAX_FILE_BYTES {
                let error = hoso_capture::CaptureError::TooLarge(format!("{} bytes", bytes.len()));
                return Err(Error::capture(error, item));
            }
            let pages = prepare_file(bytes).map_err(|e| Error::capture(e, item))?;
            let name = hoso_capture::import::display_name(Path::new(&name));
            prepared.push((pages, name));
        }
        self.keep_files(&dossier, target, prepared)
    }

    fn keep_files(
        &self,
        dossier: &Dossier,
        target: &Target,
        prepared: Vec<(Vec<Prepared>, String)>,
    ) -> Result<Vec<PageInfo>, Error> {
        let mut added = Vec::new();
        for (pages, name) in prepared {
            let origin = Origin { kind: "file", name };
            added.extend(self.keep(dossier, target, pages, &origin)?);
        }
        Ok(added)
    }

    /// Adds one page as a scanner delivered it.
    pub fn add_scanned(
        &self,
        code_or_id: &str,
        target: &Target,
        page: ScannedPage,
        device: &str,
    ) -> Result<PageInfo, Error> {
        self.need(Act::Work)?;
        let dossier = self.inner.store.read(|tx| find(tx, code_or_id))?;
        self.check_target(&dossier, target)?;
        let prepared = prepare_scanned(page).map_err(|e| Error::capture(e, None))?;
        self.add_prepared(code_or_id, target, prepared, device)
    }

    /// Adds one page already checked and analysed.
    pub(crate) fn add_prepared(
        &self,
        code_or_id: &str,
        target: &Target,
        prepared: Prepared,
        device: &str,
    ) -> Result<PageInfo, Error> {
        let dossier = self.inner.store.read(|tx| find(tx, code_or_id))?;
        self.check_target(&dossier, target)?;
        let origin = Origin {
            kind: "scan",
            name: device.to_owned(),
        };
        let mut pages = self.keep(&dossier, target, vec![prepared], &origin)?;
        pages.pop().ok_or_else(|| Error::Capture {
            error: hoso_capture::CaptureError::Corrupt("no page".into()),
            item: None,
        })
    }

    /// Keeps the pages' file on disk, then records them in one transaction.
    fn keep(
        &self,
        dossier: &Dossier,
        target: &Target,
        pages: Vec<Prepared>,
        origin: &Origin,
    ) -> Result<Vec<PageInfo>, Error> {
        let mut hashes = Vec::new();
        for page in &pages {
            // A PDF's pages share one file: it is written once.
            let same_as_before = hashes
                .last()
                .map(|(_, file): &(String, std::sync::Arc<Vec<u8>>)| {
                    std::sync::Arc::ptr_eq(file, &page.file)
                })
                .unwrap_or(false);
            if same_as_before {
                let (hash, file) = hashes.last().cloned().expect("checked");
                hashes.push((hash, file));
            } else {
                hashes.push((self.inner.blobs.put(&page.file)?, page.file.clone()));
            }
        }
        let now = self.inner.clock.now().as_millisecond();
        let ids = self.inner.store.write(|tx| {
            let mut ids = Vec::new();
            for (page, (hash, _)) in pages.iter().zip(&hashes) {
                if pages::blob_media_type(tx, hash)?.is_none() {
                    // The same bytes may have been released (and removed) since they were kept
                    // above: they are kept again before their row comes back, under the lock
                    // the release removes files under.
                    self.inner.blobs.put(&page.file)?;
                }
                pages::insert_blob(tx, hash, page.file.len() as u64, page.media_type, now)?;
                let id = uuid::Uuid::new_v4().to_string();
                pages::insert(
                    tx,
                    &NewPage {
                        id: &id,
                        dossier_id: &dossier.id.0,
                        target,
                        blob_hash: hash,
                        pdf_page: page.pdf_page,
                        width: page.width,
                        height: page.height,
                        dpi: page.dpi,
                        skew: page.analysis.skew_degrees,
                        ink: page.analysis.ink,
                        blank: page.analysis.blank,
                        colour: page.analysis.colour,
                        qr: page.analysis.qr.as_deref(),
                        phash: page.analysis.phash,
                        source: origin.kind,
                        source_name: &origin.name,
                        thumbnail: &page.analysis.thumbnail,
                        ocr_state: page.ocr,
                        created_at_ms: now,
                    },
                )?;
                ids.push(id);
            }
            self.pages_added(tx, dossier, target)?;
            self.audit(
                tx,
                AuditAction::Change,
                &dossier.id.0,
                &format!("pages +{} {}", ids.len(), origin.kind),
            )?;
            Ok::<_, Error>(ids)
        })?;
        self.emit(hoso_model::ipc::DeskEvent::PagesKept {
            dossier: dossier.id.clone(),
            pages: ids.clone(),
        });
        self.inner.store.read(|tx| {
            ids.iter()
                .map(|id| page_info(self, tx, id))
                .collect::<Result<Vec<_>, _>>()
        })
    }

    /// After pages were added to a dossier, in their transaction: the checklist ticks itself
    /// when a component gets a page, an approved review opens again, and the supervision facts
    /// are rebuilt.
    pub(crate) fn pages_added(
        &self,
        tx: &Transaction<'_>,
        dossier: &Dossier,
        target: &Target,
    ) -> Result<(), Error> {
        if let Target::Component { n } = target {
            let declared = pages::components(tx, &dossier.id.0)?
                .into_iter()
                .find(|(c, _, _)| c == n)
                .and_then(|(_, _, d)| d);
            pages::set_component(tx, &dossier.id.0, *n, true, declared)?;
            hoso_store::supervision::reopen_review(tx, &dossier.id)?;
        }
        self.refresh_progress(tx, dossier)
    }

    /// The dossier's components (with their checklist and page counts) and its pages, with
    /// their quality flags.
    pub fn digitisation(&self, code_or_id: &str) -> Result<Digitisation, Error> {
        self.need(Act::Work)?;
        self.inner.store.read(|tx| {
            let dossier = find(tx, code_or_id)?;
            let procedure = self.procedure(&dossier.procedure_code)?;
            let rows = pages::list(tx, &dossier.id.0)?;
            let checklist = pages::components(tx, &dossier.id.0)?;
            let hashes = pages::hashes(tx)?;
            let components = procedure
                .components
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let n = i as u16 + 1;
                    let mark = checklist.iter().find(|(k, _, _)| *k == n);
                    ComponentState {
                        n,
                        name: c.name.clone(),
                        required: c.required,
                        show_only: c.show_only,
                        pages: rows
                            .iter()
                            .filter(|p| p.target == Target::Component { n } && p.note_of.is_none())
                            .count() as u32,
                        declared_pages: mark.and_then(|(_, _, d)| *d),
                        checked: mark.is_some_and(|(_, c, _)| *c),
                    }
                })
                .collect();
            let pages = rows
                .iter()
                .map(|row| info_of(self, tx, row, &dossier, &hashes))
                .collect::<Result<Vec<_>, Error>>()?;
            Ok(Digitisation {
                components,
                pages,
                ocr_waiting: pages::count_waiting_for_text(tx)?,
            })
        })
    }

    /// A page's thumbnail (a small JPEG), turned as the page is.
    pub fn thumbnail(&self, page_id: &str) -> Result<Vec<u8>, Error> {
        self.need(Act::Work)?;
        self.inner
            .store
            .read(|tx| pages::thumbnail(tx, page_id))?
            .ok_or_else(no_such_page)
    }

    /// Turns a page by quarter turns clockwise (negative: anticlockwise). The image itself is
    /// never re-encoded: the turn is applied when the page is shown and in the archive PDF.
    pub fn rotate_page(&self, page_id: &str, quarter_turns: i32) -> Result<PageInfo, Error> {
        self.need(Act::Work)?;
        let (row, thumb) = self.inner.store.read(|tx| {
            let row = pages::get(tx, page_id)?.ok_or_else(no_such_page)?;
            let thumb = pages::thumbnail(tx, page_id)?.ok_or_else(no_such_page)?;
            Ok::<_, Error>((row, thumb))
        })?;
        let turns = quarter_turns.rem_euclid(4);
        let rotation = (i32::from(row.rotation) + 90 * turns).rem_euclid(360) as u16;
        let thumb = turn_thumbnail(&thumb, turns);
        self.inner.store.write(|tx| {
            if !pages::set_rotation(tx, page_id, rotation, &thumb)? {
                return Err(no_such_page());
            }
            self.audit(tx, AuditAction::Change, &row.dossier_id, "page turned")?;
            page_info(self, tx, page_id)
        })
    }

    /// Moves a page to `position` (from 1) within its component.
    pub fn move_page(&self, page_id: &str, position: u32) -> Result<PageInfo, Error> {
        self.need(Act::Work)?;
        self.inner.store.write(|tx| {
            if !pages::move_to(tx, page_id, position)? {
                return Err(Error::refused(Field::Page, "no such page or position"));
            }
            if let Some(row) = pages::get(tx, page_id)? {
                self.audit(tx, AuditAction::Change, &row.dossier_id, "page moved")?;
            }
            page_info(self, tx, page_id)
        })
    }

    /// Moves a page (with its second image) to the end of another component, or to the
    /// results: a page scanned into the wrong place is put right without scanning it again.
    pub fn refile_page(&self, page_id: &str, target: &Target) -> Result<PageInfo, Error> {
        self.need(Act::Work)?;
        self.inner.store.write(|tx| {
            let row = pages::get(tx, page_id)?.ok_or_else(no_such_page)?;
            let dossier = hoso_store::dossiers::get(tx, &hoso_model::DossierId(row.dossier_id))?
                .ok_or_else(no_such_page)?;
            self.check_target(&dossier, target)?;
            if !pages::refile(tx, page_id, target)? {
                return Err(Error::refused(
                    Field::Page,
                    "a second image moves with its page",
                ));
            }
            self.page_changed(tx, &dossier, "page moved")?;
            page_info(self, tx, page_id)
        })
    }

    /// Keeps a page as the second image of the page before it: the same sheet scanned again
    /// with its sticky note lifted (or the note on its own). Both images stay in the archive,
    /// one after the other, and count as one page.
    pub fn join_note(&self, page_id: &str) -> Result<PageInfo, Error> {
        self.need(Act::Work)?;
        self.inner.store.write(|tx| {
            let joined = pages::join_note(tx, page_id)?;
            let main = joined.map_err(note_refusal)?;
            let dossier = dossier_of_page(tx, &main)?;
            self.page_changed(tx, &dossier, "second image joined")?;
            page_info(self, tx, &main)
        })
    }

    /// Makes a second image a page of its own again, right after the page it belonged to.
    pub fn split_note(&self, page_id: &str) -> Result<PageInfo, Error> {
        self.need(Act::Work)?;
        self.inner.store.write(|tx| {
            pages::split_note(tx, page_id)?.map_err(note_refusal)?;
            let dossier = dossier_of_page(tx, page_id)?;
            self.page_changed(tx, &dossier, "second image split")?;
            page_info(self, tx, page_id)
        })
    }

    /// What follows a change of where pages are: the supervisor looks again, the progress row
    /// is counted again, the log says it.
    fn page_changed(
        &self,
        tx: &Transaction<'_>,
        dossier: &Dossier,
        what: &str,
    ) -> Result<(), Error> {
        hoso_store::supervision::reopen_review(tx, &dossier.id)?;
        self.refresh_progress(tx, dossier)?;
        self.audit(tx, AuditAction::Change, &dossier.id.0, what)
    }

    /// Ticks or unticks a component on the checklist, with the pages the officer counted.
    pub fn set_component(
        &self,
        code_or_id: &str,
        n: u16,
        checked: bool,
        declared_pages: Option<u32>,
    ) -> Result<Digitisation, Error> {
        self.need(Act::Work)?;
        let dossier = self.inner.store.read(|tx| find(tx, code_or_id))?;
        self.check_target(&dossier, &Target::Component { n })?;
        self.inner.store.write(|tx| {
            pages::set_component(tx, &dossier.id.0, n, checked, declared_pages)?;
            self.audit(
                tx,
                AuditAction::Change,
                &dossier.id.0,
                &format!("component {n}"),
            )
        })?;
        self.digitisation(code_or_id)
    }

    /// The original bytes of a page's file (a scan, or the PDF it is a page of).
    pub fn page_file(&self, page_id: &str) -> Result<(Vec<u8>, String), Error> {
        self.need(Act::Work)?;
        let row = self
            .inner
            .store
            .read(|tx| pages::get(tx, page_id))?
            .ok_or_else(no_such_page)?;
        Ok((self.inner.blobs.get(&row.blob_hash)?, row.media_type))
    }
}

fn dossier_of_page(tx: &Transaction<'_>, page_id: &str) -> Result<Dossier, Error> {
    let row = pages::get(tx, page_id)?.ok_or_else(no_such_page)?;
    hoso_store::dossiers::get(tx, &hoso_model::DossierId(row.dossier_id))?.ok_or_else(no_such_page)
}

fn note_refusal(refusal: pages::NoteRefusal) -> Error {
    use hoso_model::error::Problem;
    let (problem, message) = match refusal {
        pages::NoteRefusal::NoSuchPage => return no_such_page(),
        pages::NoteRefusal::NothingToJoin => (Problem::NothingToJoin, "nothing to join it to"),
        pages::NoteRefusal::AlreadyPaired => (Problem::AlreadyPaired, "already paired"),
    };
    Error::problem(Field::Page, problem, message)
}

fn no_such_page() -> Error {
    Error::NotFound(crate::Object::Page)
}

fn page_info(desk: &Desk, tx: &Transaction<'_>, page_id: &str) -> Result<PageInfo, Error> {
    let row = pages::get(tx, page_id)?.ok_or_else(no_such_page)?;
    let dossier = hoso_store::dossiers::get(tx, &hoso_model::DossierId(row.dossier_id.clone()))?
        .ok_or_else(no_such_page)?;
    let hashes = pages::hashes(tx)?;
    info_of(desk, tx, &row, &dossier, &hashes)
}

/// A page as the officer sees it, with its quality flags.
fn info_of(
    desk: &Desk,
    tx: &Transaction<'_>,
    row: &PageRow,
    dossier: &Dossier,
    hashes: &[pages::PageHash],
) -> Result<PageInfo, Error> {
    let mut flags = Vec::new();
    if row.blank {
        flags.push(PageFlag::Blank);
    }
    if let Some(dpi) = row.dpi.filter(|&d| d < MIN_DPI) {
        flags.push(PageFlag::LowResolution { dpi });
    }
    if !row.colour && expects_colour(desk, dossier, &row.target) {
        flags.push(PageFlag::GreyForColour);
    }
    let code_of = |dossier_id: &str| -> Result<String, Error> {
        Ok(
            hoso_store::dossiers::get(tx, &hoso_model::DossierId(dossier_id.to_owned()))?
                .and_then(|d| d.code)
                .unwrap_or_else(|| dossier_id.to_owned()),
        )
    };
    let same_file = if row.source == "reuse" {
        Vec::new()
    } else {
        pages::with_blob(tx, &row.blob_hash, row.pdf_page, &row.id)?
    };
    if let Some((page, dossier_id)) = same_file.first() {
        flags.push(PageFlag::Duplicate {
            of_dossier: code_of(dossier_id)?,
            of_page: page.clone(),
        });
    } else if !row.blank
        && row.source != "reuse"
        && let Some((page, dossier_id, ..)) = hashes.iter().find(|(id, _, h, note_of)| {
            // A sheet and its second image look alike on purpose.
            *id != row.id
                && row.note_of.as_ref() != Some(id)
                && note_of.as_ref() != Some(&row.id)
                && hash_distance(*h, row.phash) <= NEAR_DUPLICATE_BITS
        })
    {
        flags.push(PageFlag::LooksLike {
            of_dossier: code_of(dossier_id)?,
            of_page: page.clone(),
        });
    }
    Ok(PageInfo {
        id: row.id.clone(),
        target: row.target.clone(),
        position: row.position,
        width: row.width,
        height: row.height,
        dpi: row.dpi,
        rotation: row.rotation,
        skew: row.skew,
        media_type: row.media_type.clone(),
        source_name: row.source_name.clone(),
        ocr: row.ocr_state,
        flags,
        note_of: row.note_of.clone(),
    })
}

/// Results always carry a red stamp; so do components the catalogue marks as coloured.
fn expects_colour(desk: &Desk, dossier: &Dossier, target: &Target) -> bool {
    match target {
        Target::Result { .. } => true,
        Target::Component { n } => desk
            .procedure(&dossier.procedure_code)
            .ok()
            .and_then(|p| p.components.get(usize::from(*n) - 1))
            .is_some_and(|c| c.colour),
    }
}

/// The thumbnail turned by quarter turns (re-encoded: it is only a preview).
pub(crate) fn turn_thumbnail(jpeg: &[u8], turns: i32) -> Vec<u8> {
    let Ok(image) = image::load_from_memory_with_format(jpeg, image::ImageFormat::Jpeg) else {
        return jpeg.to_vec();
    };
    let turned = match turns {
        1 => image.rotate90(),
        2 => image.rotate180(),
        3 => image.rotate270(),
        _ => return jpeg.to_vec(),
    };
    let mut out = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80);
    match encoder.encode_image(&turned.to_rgb8()) {
        Ok(()) => out,
        Err(_) => jpeg.to_vec(),
    }
}
