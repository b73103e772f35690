//! Nhận dạng chữ: the pages waiting for text are recognised by a pool of Tesseract workers (one
//! per core, one thread each) away from the officer's work; each page's text is saved, and made
//! searchable, as soon as it is ready. The queue is the store itself (pages whose text is
//! pending), so a desk closed halfway carries on where it stopped.

use std::collections::HashMap;

use hoso_capture::ocr::{OcrConfig, OcrPage, OcrPool};
use hoso_model::DossierId;
use hoso_model::ipc::DeskEvent;
use hoso_store::pages::{self, TextJob};
use serde::Serialize;

use crate::{Desk, Error};

/// What a round of recognition did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TextSummary {
    pub recognised: u32,
    pub failed: u32,
    /// Pages still waiting afterwards.
    pub waiting: u32,
}

/// Debian's Tesseract runs each page on every core (OpenMP), which makes a pool of one worker per
/// core fight over them: it recognises twice as slowly. OpenMP reads `OMP_THREAD_LIMIT` once, as
/// the process starts, so a program that recognises text calls this first thing: when the
/// variable is not set, the program is started again in place (same process id, same
/// arguments) with it set to 1. Returns only when the variable is set or the restart failed.
pub fn single_threaded_tesseract() {
    use std::os::unix::process::CommandExt;
    if std::env::var_os("OMP_THREAD_LIMIT").is_some() {
        return;
    }
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    // `exec` only returns on failure; the desk then runs, only slower.
    let _ = std::process::Command::new(exe)
        .args(std::env::args_os().skip(1))
        .env("OMP_THREAD_LIMIT", "1")
        .exec();
}

/// A recognition pool for the desk: Vietnamese, one worker per core.
pub fn pool() -> Result<OcrPool, Error> {
    OcrPool::with_default_workers(&OcrConfig::default()).map_err(|e| Error::capture(e, None))
}

impl Desk {
    /// How many pages wait for their text.
    pub fn text_waiting(&self) -> Result<u32, Error> {
        Ok(self.inner.store.read(pages::count_waiting_for_text)?)
    }

    /// Recognises waiting pages with `pool` until none is left, or `max_pages` are done.
    /// Pages are fed two per worker ahead, so every worker stays busy while results are saved.
    pub fn recognise_waiting(
        &self,
        pool: &OcrPool,
        max_pages: Option<u32>,
    ) -> Result<TextSummary, Error> {
        let ahead = (pool.workers() * 2) as u32;
        // Each page being read, with the turn it was read at.
        let mut in_flight: HashMap<u64, (String, u16)> = HashMap::new();
        let mut next_job = 0u64;
        let mut fed = 0u32;
        let mut summary = TextSummary::default();
        loop {
            let room = ahead.saturating_sub(in_flight.len() as u32);
            let budget = max_pages.map_or(room, |m| room.min(m.saturating_sub(fed)));
            if budget > 0 {
                let busy: Vec<String> = in_flight.values().map(|(id, _)| id.clone()).collect();
                let jobs = self
                    .inner
                    .store
                    .read(|tx| pages::waiting_for_text(tx, budget, &busy))?;
                for job in jobs {
                    fed += 1;
                    match self.page_for_text(&job) {
                        Ok((image, dpi)) => {
                            // A page nobody has turned, read for the first time, is put the
                            // right way up if it lies wrong; one an officer turned stays so.
                            let queued = if job.rotation == 0 && job.never_read {
                                pool.submit_upright(next_job, image, dpi)
                            } else {
                                pool.submit(next_job, image, dpi)
                            };
                            queued.map_err(|e| Error::capture(e, None))?;
                            in_flight.insert(next_job, (job.page_id, job.rotation));
                            next_job += 1;
                        }
                        Err(_) => {
                            self.save_text(&job.page_id, job.rotation, None)?;
                            summary.failed += 1;
                        }
                    }
                }
            }
            if in_flight.is_empty() {
                break;
            }
            let Some((id, result)) = pool.recv() else {
                break;
            };
            let Some((page_id, read_as)) = in_flight.remove(&id) else {
                continue;
            };
            match result {
                Ok(page) => {
                    if self.save_text(&page_id, read_as, Some(page.corrected()))? {
                        summary.recognised += 1;
                    }
                }
                Err(_) => {
                    if self.save_text(&page_id, read_as, None)? {
                        summary.failed += 1;
                    }
                }
            }
        }
        summary.waiting = self.text_waiting()?;
        Ok(summary)
    }

    /// The page's image in grey at full resolution, turned as it is shown.
    fn page_for_text(&self, job: &TextJob) -> Result<(image::GrayImage, u32), Error> {
        let bytes = self.inner.blobs.get(&job.blob_hash)?;
        let drawn = match (job.pdf_page, job.media_type.as_str()) {
            // A page of an imported PDF is read as the archive draws it.
            (Some(index), _) => hoso_capture::pdf::read::render_pdf_page_at(
                &bytes,
                index as usize,
                hoso_capture::pdf::PDF_PAGE_DPI,
            )
            .map(|image| (image, hoso_capture::pdf::PDF_PAGE_DPI as u32)),
            (None, media_type) => {
                let format = if media_type == "image/png" {
                    hoso_capture::ImageFormat::Png
                } else {
                    hoso_capture::ImageFormat::Jpeg
                };
                hoso_capture::decode::decode(&bytes, format)
                    .map(|image| (image, job.dpi.unwrap_or(300)))
            }
        };
        let (image, dpi) = drawn.map_err(|e| Error::capture(e, None))?;
        let image = match job.rotation {
            90 => image.rotate90(),
            180 => image.rotate180(),
            270 => image.rotate270(),
            _ => image,
        };
        Ok((image.to_luma8(), dpi))
    }

    /// Saves a page's text; a page read turned upright is turned so (its thumbnail too), in the
    /// same transaction, so its text and the way it is shown always agree. A page an officer
    /// turned (or deleted) while it was being read keeps waiting: it is read again as it is
    /// shown now. Whether the text was saved.
    fn save_text(&self, page_id: &str, read_as: u16, page: Option<OcrPage>) -> Result<bool, Error> {
        let turned = page.as_ref().map_or(0, |page| page.turned);
        let record = page.map(|page| {
            let words: Vec<(&str, u32, u32, u32, u32)> = page
                .words
                .iter()
                .map(|w| (w.text.as_str(), w.left, w.top, w.width, w.height))
                .collect();
            let json = serde_json::to_string(&words).expect("words serialise");
            (page.text, json, page.mean_confidence)
        });
        let saved = self.inner.store.write(|tx| {
            let Some(row) = pages::get(tx, page_id)?.filter(|row| row.rotation == read_as) else {
                return Ok(None);
            };
            if turned != 0
                && let Some(thumb) = pages::thumbnail(tx, page_id)?
            {
                let thumb = crate::pages::turn_thumbnail(&thumb, i32::from(turned / 90));
                pages::set_rotation(tx, page_id, turned, &thumb)?;
            }
            pages::set_text(
                tx,
                page_id,
                record
                    .as_ref()
                    .map(|(text, json, conf)| (text.as_str(), json.as_str(), *conf)),
            )?;
            Ok::<_, Error>(Some(row.dossier_id))
        })?;
        let Some(dossier) = saved else {
            return Ok(false);
        };
        self.emit(DeskEvent::PageRead {
            dossier: DossierId(dossier),
            page: page_id.to_owned(),
        });
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use hoso_model::account::NewAccount;
    use hoso_model::page::{OcrState, Target};
    use hoso_model::{NewDossier, Role};

    use super::*;
    use crate::FixedClock;

    #[test]
    fn a_reading_of_a_page_turned_meanwhile_is_dropped_and_the_page_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let admin = NewAccount {
            name: "admin".into(),
            full_name: "Quản trị".into(),
            role: Role::Admin,
            password: "mật khẩu thử nghiệm".into(),
        };
        let clock = FixedClock("2026-03-05T02:00:00Z".parse().unwrap());
        let (desk, _) = Desk::set_up(dir.path(), &admin, clock).unwrap();
        desk.set_unit(hoso_model::unit::Unit {
            code: "H25.123".into(),
            name: "UBND xã Thạch Hà".into(),
            governing_body: String::new(),
            device_slot: 0,
            office_hours: Default::default(),
        })
        .unwrap();
        let code = desk
            .register(&NewDossier {
                procedure_code: "1.001193".into(),
                applicant_name: "Nguyễn Văn Đức".into(),
                ..Default::default()
            })
            .unwrap()
            .code
            .unwrap();
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new(&mut jpeg)
            .encode_image(&image::GrayImage::from_pixel(200, 300, image::Luma([240])))
            .unwrap();
        let page = desk
            .attach_dropped(
                &code,
                &Target::Component { n: 1 },
                vec![("a.jpg".into(), jpeg)],
            )
            .unwrap()
            .remove(0);
        let reading = |text: &str| OcrPage {
            text: text.into(),
            words: Vec::new(),
            mean_confidence: 90.0,
            turned: 0,
        };
        let state = || {
            desk.digitisation(&code)
                .unwrap()
                .pages
                .into_iter()
                .find(|p| p.id == page.id)
                .unwrap()
                .ocr
        };
        // Read as shown (not turned), but an officer turned it a quarter meanwhile.
        desk.rotate_page(&page.id, 1).unwrap();
        assert!(!desk.save_text(&page.id, 0, Some(reading("cũ"))).unwrap());
        assert_eq!(
            state(),
            OcrState::Pending,
            "it waits to be read as shown now"
        );
        // Read as it is shown now: kept.
        assert!(desk.save_text(&page.id, 90, Some(reading("mới"))).unwrap());
        assert_eq!(state(), OcrState::Done);
        // A page deleted while it was read: nothing to save.
        desk.delete_page(&page.id).unwrap();
        assert!(!desk.save_text(&page.id, 90, None).unwrap());
    }
}
