//! Deleting a page can be undone: over a real store file and real kept files, a deleted page
//! leaves its dossier at once (views, counts, the archive, sync), comes back where it was, and
//! is deleted for good with its file only after the time to undo, by the desk's clock.

mod common;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use hoso_desk::pages::UNDO_GRACE;
use hoso_desk::{Clock, Desk};
use hoso_model::account::AuditFilter;
use hoso_model::page::Target;
use hoso_model::unit::Unit;
use hoso_model::{ApiError, DossierId, ErrorCode, NewDossier, Problem};
use hoso_sync::Local;
use jiff::{SignedDuration, Timestamp};

/// A clock the test moves by hand.
#[derive(Clone)]
struct HandClock(Arc<AtomicI64>);

impl HandClock {
    fn new() -> HandClock {
        let start: Timestamp = "2026-03-05T02:00:00Z".parse().unwrap();
        HandClock(Arc::new(AtomicI64::new(start.as_millisecond())))
    }

    fn advance(&self, by: SignedDuration) {
        self.0.fetch_add(by.as_millis() as i64, Ordering::SeqCst);
    }
}

impl Clock for HandClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_millisecond(self.0.load(Ordering::SeqCst)).unwrap()
    }
}

fn desk(dir: &Path, clock: &HandClock) -> Desk {
    let (desk, _) = common::open_desk(dir, clock.clone()).unwrap();
    desk.set_unit(Unit {
        code: "H25.123".into(),
        name: "UBND xã Thạch Hà".into(),
        governing_body: String::new(),
        device_slot: 0,
        office_hours: Default::default(),
    })
    .unwrap();
    desk
}

fn page_jpeg(seed: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(620, 877, |x, y| {
        let line = (y / 20 + seed).is_multiple_of(3) && x > 60 && x < 560 && (y % 20) < 4;
        if line {
            image::Rgb([20, 20, 20])
        } else {
            image::Rgb([245, 245, 240 - (seed as u8 % 8)])
        }
    });
    let mut out = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
    encoder.set_pixel_density(image::codecs::jpeg::PixelDensity::dpi(300));
    encoder.encode_image(&img).unwrap();
    out
}

/// A birth registration with three pages in component 1; `(dossier id, code, page ids)`.
fn dossier_with_three_pages(desk: &Desk) -> (DossierId, String, Vec<String>) {
    let dossier = desk
        .register(&NewDossier {
            procedure_code: "1.001193".into(),
            applicant_name: "Nguyễn Văn Đức".into(),
            ..Default::default()
        })
        .unwrap();
    let code = dossier.code.clone().unwrap();
    let files = tempfile::tempdir().unwrap();
    let paths: Vec<_> = (0..3)
        .map(|i| {
            let path = files.path().join(format!("p{i}.jpg"));
            std::fs::write(&path, page_jpeg(i)).unwrap();
            path
        })
        .collect();
    let pages = desk
        .attach(&code, &Target::Component { n: 1 }, &paths)
        .unwrap();
    (dossier.id, code, pages.into_iter().map(|p| p.id).collect())
}

fn order(desk: &Desk, code: &str) -> Vec<(String, Target, u32, u16)> {
    desk.digitisation(code)
        .unwrap()
        .pages
        .into_iter()
        .map(|p| (p.id, p.target, p.position, p.rotation))
        .collect()
}

fn kept_files(dir: &Path) -> usize {
    let blobs = dir.join("blobs");
    if blobs.exists() {
        common::files_under(&blobs).len()
    } else {
        0
    }
}

#[test]
fn a_deleted_page_comes_back_in_its_place_with_its_turn_and_both_acts_are_audited() {
    let dir = tempfile::tempdir().unwrap();
    let clock = HandClock::new();
    let desk = desk(dir.path(), &clock);
    let (id, code, pages) = dossier_with_three_pages(&desk);
    desk.rotate_page(&pages[1], 1).unwrap();
    let before = order(&desk, &code);

    desk.delete_page(&pages[1]).unwrap();
    let view = desk.digitisation(&code).unwrap();
    assert_eq!(view.pages.len(), 2, "gone from the view at once");
    assert_eq!(
        view.components[0].pages, 2,
        "and from the checklist's count"
    );
    assert_eq!(
        desk.export(&code, None).unwrap().pages,
        2,
        "and from the archive"
    );

    clock.advance(SignedDuration::from_mins(9));
    let back = desk.restore_page(&pages[1]).unwrap();
    assert_eq!((back.position, back.rotation), (2, 90));
    assert_eq!(
        order(&desk, &code),
        before,
        "the same pages in the same order"
    );
    assert_eq!(desk.export(&code, None).unwrap().pages, 3);

    let log = desk
        .audit_log(&AuditFilter {
            object: Some(id.0.clone()),
            ..Default::default()
        })
        .unwrap();
    let acts: Vec<(&str, &str)> = log
        .iter()
        .map(|e| (e.action.as_str(), e.detail.as_str()))
        .collect();
    assert!(acts.contains(&("delete", "page")), "{acts:?}");
    assert!(acts.contains(&("restore", "page")), "{acts:?}");
}

#[test]
fn a_deleted_page_is_deleted_for_good_with_its_file_only_after_the_time_to_undo() {
    let dir = tempfile::tempdir().unwrap();
    let clock = HandClock::new();
    let desk = desk(dir.path(), &clock);
    let (_, code, pages) = dossier_with_three_pages(&desk);
    assert_eq!(kept_files(dir.path()), 3);

    desk.delete_page(&pages[0]).unwrap();
    clock.advance(UNDO_GRACE - SignedDuration::from_secs(1));
    let early = desk.release_deleted_pages().unwrap();
    assert_eq!((early.pages, early.files), (0, 0), "not before its time");
    assert_eq!(
        kept_files(dir.path()),
        3,
        "the file is kept while it may come back"
    );

    clock.advance(SignedDuration::from_secs(1));
    let released = desk.release_deleted_pages().unwrap();
    assert_eq!((released.pages, released.files), (1, 1));
    assert_eq!(
        kept_files(dir.path()),
        2,
        "its file is removed from the disk"
    );
    assert_eq!(desk.digitisation(&code).unwrap().pages.len(), 2);

    let refused = ApiError::from(desk.restore_page(&pages[0]).unwrap_err());
    assert_eq!(
        (refused.code, refused.problem),
        (ErrorCode::NotFound, Some(Problem::PageGone)),
        "deleted for good cannot come back"
    );
    let refused = ApiError::from(desk.restore_page(&pages[1]).unwrap_err());
    assert_eq!(
        (refused.code, refused.problem),
        (ErrorCode::Conflict, Some(Problem::PageNotDeleted)),
        "a page in its dossier was not deleted"
    );
    assert!(
        !hoso_model::i18n::error_text(hoso_model::i18n::Language::Vi, &refused).is_empty(),
        "the officer is told in words"
    );
}

#[test]
fn pages_past_the_time_to_undo_are_released_when_the_desk_opens() {
    let dir = tempfile::tempdir().unwrap();
    let clock = HandClock::new();
    let (_, _, pages) = {
        let desk = desk(dir.path(), &clock);
        let made = dossier_with_three_pages(&desk);
        desk.delete_page(&made.2[2]).unwrap();
        made
    };
    clock.advance(UNDO_GRACE + SignedDuration::from_secs(1));
    let (desk, _) = common::open_desk(dir.path(), clock.clone()).unwrap();
    assert_eq!(kept_files(dir.path()), 2, "released at opening");
    let refused = ApiError::from(desk.restore_page(&pages[2]).unwrap_err());
    assert_eq!(refused.problem, Some(Problem::PageGone));
}

#[test]
fn a_deletion_undone_in_time_never_leaves_the_desk_and_the_page_goes_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let clock = HandClock::new();
    let desk = desk(dir.path(), &clock);
    let (id, _, pages) = dossier_with_three_pages(&desk);
    let local = desk.sync_local();

    desk.delete_page(&pages[0]).unwrap();
    clock.advance(SignedDuration::from_secs(30));
    let now = local.now_ms();
    assert!(
        local.waiting(now, 10).unwrap().is_empty(),
        "a deletion that may be undone is not sent"
    );
    assert!(
        local.next_try(now).unwrap().is_some(),
        "the engine is told when to look again"
    );

    desk.restore_page(&pages[0]).unwrap();
    let waiting = local.waiting(local.now_ms(), 10).unwrap();
    assert_eq!(waiting.len(), 1, "the dossier goes at once");
    let (_, record, files) = local.record(&id).unwrap().unwrap();
    let ids: Vec<&str> = record.pages.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, pages.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(
        files.len(),
        3,
        "every file is uploaded, the restored one too"
    );
    for file in &files {
        assert!(local.open_file(&file.sha256).is_some(), "the desk holds it");
    }
}

#[test]
fn a_deletion_not_undone_reaches_the_hub_as_a_deletion_after_the_time_to_undo() {
    let dir = tempfile::tempdir().unwrap();
    let clock = HandClock::new();
    let desk = desk(dir.path(), &clock);
    let (id, _, pages) = dossier_with_three_pages(&desk);
    let local = desk.sync_local();
    let (first, record, files) = local.record(&id).unwrap().unwrap();
    let gone = record.pages[0].sha256.clone();
    assert_eq!(files.len(), 3);
    local.acknowledge(&id, first).unwrap();

    desk.delete_page(&pages[0]).unwrap();
    clock.advance(UNDO_GRACE);
    desk.release_deleted_pages().unwrap();
    let waiting = local.waiting(local.now_ms(), 10).unwrap();
    assert_eq!(waiting.len(), 1, "the deletion is a new version");
    assert!(waiting[0].version > first);
    let (_, record, files) = local.record(&id).unwrap().unwrap();
    assert_eq!(
        record
            .pages
            .iter()
            .map(|p| (p.id.as_str(), p.position))
            .collect::<Vec<_>>(),
        [(pages[1].as_str(), 1), (pages[2].as_str(), 2)],
        "the hub gets the dossier without the page, the others closed up"
    );
    assert!(
        files.iter().all(|f| f.sha256 != gone),
        "the deleted page's file is not uploaded"
    );
    assert!(local.open_file(&gone).is_none(), "nor kept any more");
}
