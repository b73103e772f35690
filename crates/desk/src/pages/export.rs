//! The archive PDF of a dossier or of one component: its pages in order with their turns,
//! deskew and recognised words, written by `hoso_capture::pdf` into memory or straight into a
//! file.

use std::path::Path;

use hoso_capture::ImageFormat;
use hoso_capture::pdf::{ArchiveInfo, ArchivePage, Content, Rotation, Word};
use hoso_model::account::AuditAction;
use hoso_model::page::Target;
use hoso_model::{Act, Field};
use hoso_store::pages::{self, PageRow};

use crate::{Desk, Error, find};

/// What an archive PDF written to a file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Archive {
    /// E.g. `H25.123-260302-0001.pdf`.
    pub file_name: String,
    pub pages: u32,
}

/// A dossier's archive PDF, ready to save.
#[derive(Debug, Clone)]
pub struct Export {
    pub bytes: Vec<u8>,
    /// E.g. `H25.123-260302-0001.pdf`.
    pub file_name: String,
    pub pages: u32,
}

impl Desk {
    /// The archive PDF of a dossier (every component in order, then the results), or of one
    /// component (`Some(n)`).
    pub fn export(&self, code_or_id: &str, component: Option<u16>) -> Result<Export, Error> {
        let (bytes, archive) = self.with_archive(code_or_id, component, |pages, info| {
            hoso_capture::pdf::archive_pdf(pages, info).map_err(|e| Error::Archive(e.to_string()))
        })?;
        Ok(Export {
            bytes,
            file_name: archive.file_name,
            pages: archive.pages,
        })
    }

    /// [`Desk::export`] written into `path` as it is made (flushed, then renamed into place):
    /// the archive is never held in memory beside the pages.
    pub fn export_to(
        &self,
        code_or_id: &str,
        component: Option<u16>,
        path: &Path,
    ) -> Result<Archive, Error> {
        let ((), archive) = self.with_archive(code_or_id, component, |pages, info| {
            crate::files::write_atomically_with(path, |out| {
                hoso_capture::pdf::write_archive_pdf(pages, info, out)
                    .map(drop)
                    .map_err(|e| match e {
                        hoso_capture::CaptureError::Io(io) => io,
                        other => std::io::Error::other(other.to_string()),
                    })
            })
        })?;
        Ok(archive)
    }

    /// Reads the pages of a dossier (or one component) and their words, and hands them to
    /// `write` with the archive's description.
    fn with_archive<T>(
        &self,
        code_or_id: &str,
        component: Option<u16>,
        write: impl FnOnce(&[ArchivePage<'_>], &ArchiveInfo) -> Result<T, Error>,
    ) -> Result<(T, Archive), Error> {
        self.need(Act::Export)?;
        let (dossier, rows, words) = self.inner.store.read(|tx| {
            let dossier = find(tx, code_or_id)?;
            let rows: Vec<PageRow> = pages::list(tx, &dossier.id.0)?
                .into_iter()
                .filter(|p| component.is_none_or(|n| p.target == Target::Component { n }))
                .collect();
            let words = rows
                .iter()
                .map(|r| Ok(parse_words(pages::words(tx, &r.id)?.as_deref())))
                .collect::<Result<Vec<_>, Error>>()?;
            Ok::<_, Error>((dossier, rows, words))
        })?;
        if rows.is_empty() {
            return Err(Error::refused(
                Field::Page,
                "the dossier has no page to export",
            ));
        }
        let files = rows
            .iter()
            .map(|r| self.inner.blobs.get(&r.blob_hash))
            .collect::<Result<Vec<_>, _>>()?;
        let pages: Vec<ArchivePage<'_>> = rows
            .iter()
            .zip(&files)
            .zip(&words)
            .map(|((row, file), words)| archive_page(row, file, words))
            .collect();
        let code = dossier.code.clone().unwrap_or_else(|| dossier.id.0.clone());
        let unit = self.unit()?;
        let info = ArchiveInfo {
            title: format!("Hồ sơ {code}"),
            author: unit.map(|u| u.name),
            subject: self
                .procedure(&dossier.procedure_code)
                .ok()
                .map(|p| p.name.clone()),
            keywords: vec![code.clone(), dossier.procedure_code.clone()],
            created: self.inner.clock.now(),
        };
        let written = write(&pages, &info)?;
        let file_name = match component {
            None => format!("{code}.pdf"),
            Some(n) => format!("{code}_TP{n}.pdf"),
        };
        self.audit_now(
            AuditAction::Export,
            &dossier.id.0,
            &component.map_or("archive".to_owned(), |n| format!("component {n}")),
        )?;
        Ok((
            written,
            Archive {
                file_name,
                pages: pages.len() as u32,
            },
        ))
    }

    /// Saves the dossier's archive PDF as `exports/CODE.pdf` in the data directory; returns
    /// where.
    pub fn save_export(&self, code_or_id: &str) -> Result<std::path::PathBuf, Error> {
        self.need(Act::Export)?;
        let dossier = self.inner.store.read(|tx| find(tx, code_or_id))?;
        let code = dossier.code.unwrap_or(dossier.id.0);
        let path = self
            .data_folder("exports")?
            .join(format!("{code}.pdf").replace(['/', '\\'], "_"));
        self.export_to(code_or_id, None, &path)?;
        Ok(path)
    }
}

/// Words stored as `[[text, left, top, width, height], …]`.
fn parse_words(json: Option<&str>) -> Vec<Word> {
    let Some(json) = json else {
        return Vec::new();
    };
    let raw: Vec<(String, f32, f32, f32, f32)> = serde_json::from_str(json).unwrap_or_default();
    raw.into_iter()
        .map(|(text, left, top, width, height)| Word {
            text,
            left,
            top,
            width,
            height,
        })
        .collect()
}

fn archive_page<'a>(row: &PageRow, file: &'a [u8], words: &'a [Word]) -> ArchivePage<'a> {
    let content = match row.pdf_page {
        Some(index) => Content::PdfPage {
            file,
            index: index as usize,
        },
        None => Content::Image {
            bytes: file,
            format: if row.media_type == "image/png" {
                ImageFormat::Png
            } else {
                ImageFormat::Jpeg
            },
            width: row.width,
            height: row.height,
            dpi: row.dpi,
        },
    };
    let deskew = if row.skew.abs() >= hoso_capture::analyse::DESKEW_THRESHOLD_DEGREES {
        row.skew
    } else {
        0.0
    };
    ArchivePage {
        content,
        rotation: Rotation::from_degrees(i32::from(row.rotation)),
        deskew_degrees: deskew,
        words,
    }
}
