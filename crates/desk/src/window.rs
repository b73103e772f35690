//! What the desktop window exchanges that is not plain data: pictures as `data:` URLs (the
//! window shows them as they come), files dropped on it as base64, and the notice it shows
//! when the store was opened with something to say. The shell passes these on unchanged.

use base64::Engine as _;
use hoso_model::ipc::{DroppedFile, Notice};
use hoso_model::page::{PageInfo, Target};
use hoso_model::{Act, Field};
use hoso_store::OpenNotice;

use crate::{Desk, Error};

/// `bytes` of `media_type` as a `data:` URL.
pub fn data_url(media_type: &str, bytes: &[u8]) -> String {
    format!(
        "data:{media_type};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// What the window says about how the store was opened, if anything.
pub fn notice(opened: Option<OpenNotice>) -> Option<Notice> {
    match opened? {
        OpenNotice::MovedAside { kept_at } => Some(Notice::MovedAside {
            kept_at: kept_at.display().to_string(),
        }),
        OpenNotice::Damaged { kept_at } => Some(Notice::Damaged {
            kept_at: kept_at.display().to_string(),
        }),
    }
}

impl Desk {
    /// The thumbnails of these pages, `(page id, data: URL)`, turned as each page is. A page
    /// deleted meanwhile is left out: the window asks only for what it lacks.
    pub fn thumbnail_urls(&self, pages: &[String]) -> Result<Vec<(String, String)>, Error> {
        self.need(Act::Work)?;
        self.inner.store.read(|tx| {
            let mut urls = Vec::with_capacity(pages.len());
            for id in pages {
                if let Some(jpeg) = hoso_store::pages::thumbnail(tx, id)? {
                    urls.push((id.clone(), data_url("image/jpeg", &jpeg)));
                }
            }
            Ok(urls)
        })
    }

    /// The page as kept, for the zoomed view; a page of a PDF shows its thumbnail.
    pub fn page_image_url(&self, page_id: &str) -> Result<String, Error> {
        let (bytes, media_type) = self.page_file(page_id)?;
        if media_type == "application/pdf" {
            Ok(data_url("image/jpeg", &self.thumbnail(page_id)?))
        } else {
            Ok(data_url(&media_type, &bytes))
        }
    }

    /// Files dropped on the window, their bytes in base64 as they crossed to the shell, kept
    /// as pages of `target` like [`attach_dropped`](Self::attach_dropped).
    pub fn attach_dropped_files(
        &self,
        code_or_id: &str,
        target: &Target,
        files: Vec<DroppedFile>,
    ) -> Result<Vec<PageInfo>, Error> {
        let files = files
            .into_iter()
            .map(|file| {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(file.data.as_bytes())
                    .map_err(|_| Error::refused(Field::File, "not base64"))?;
                Ok((file.name, bytes))
            })
            .collect::<Result<Vec<_>, Error>>()?;
        self.attach_dropped(code_or_id, target, files)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use hoso_model::ipc::DeskEvent;
    use hoso_model::{ApiError, ErrorCode, NewDossier};

    use super::*;
    use crate::FixedClock;

    fn jpeg() -> Vec<u8> {
        let img = image::RgbImage::from_fn(400, 560, |x, y| {
            image::Rgb(if (y / 16) % 3 == 0 && x > 40 && x < 360 {
                [20, 20, 20]
            } else {
                [245, 245, 240]
            })
        });
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
            .encode_image(&img)
            .unwrap();
        out
    }

    #[test]
    fn dropped_files_are_kept_told_as_an_event_and_their_thumbnails_fetched_by_id() {
        let store = hoso_store::Store::open_in_memory().unwrap();
        let desk =
            Desk::with_store(store, FixedClock("2026-03-05T02:00:00Z".parse().unwrap())).unwrap();
        let heard = Arc::new(Mutex::new(Vec::new()));
        desk.subscribe({
            let heard = heard.clone();
            move |event| heard.lock().unwrap().push(event.clone())
        });
        let dossier = desk
            .register(&NewDossier {
                procedure_code: "1.001193".into(),
                applicant_name: "Nguyễn Văn Đức".into(),
                ..Default::default()
            })
            .unwrap();
        let target = Target::Component { n: 1 };
        let refused = desk
            .attach_dropped_files(
                &dossier.id.0,
                &target,
                vec![DroppedFile {
                    name: "a.jpg".into(),
                    data: "not base64!".into(),
                }],
            )
            .unwrap_err();
        assert_eq!(ApiError::from(&refused).code, ErrorCode::Validation);
        let kept = desk
            .attach_dropped_files(
                &dossier.id.0,
                &target,
                vec![DroppedFile {
                    name: "a.jpg".into(),
                    data: base64::engine::general_purpose::STANDARD.encode(jpeg()),
                }],
            )
            .unwrap();
        let id = kept[0].id.clone();
        assert_eq!(
            *heard.lock().unwrap(),
            [DeskEvent::PagesKept {
                dossier: dossier.id.clone(),
                pages: vec![id.clone()],
            }],
            "one event for the pages kept, none for the file refused"
        );
        let urls = desk
            .thumbnail_urls(&[id.clone(), "deleted meanwhile".into()])
            .unwrap();
        assert_eq!(urls.len(), 1, "a page that is gone is left out");
        assert_eq!(urls[0].0, id);
        assert!(urls[0].1.starts_with("data:image/jpeg;base64,"));
    }
}
