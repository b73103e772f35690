//! Digitisation over a real store file and real kept files: attaching files of every kind,
//! refusing bad ones whole, flags, page operations, and the archive PDF checked with poppler.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use hoso_desk::{Desk, FixedClock};
use hoso_model::page::{PageFlag, Target};
use hoso_model::unit::Unit;
use hoso_model::{ApiError, ErrorCode, Field, NewDossier, Problem};

fn desk(dir: &Path) -> Desk {
    let (desk, _) =
        common::open_desk(dir, FixedClock("2026-03-05T02:00:00Z".parse().unwrap())).unwrap();
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

/// Birth registration: 1 declaration, 2 birth certificate (colour), 3 ID card (show only).
fn birth(desk: &Desk) -> String {
    desk.register(&NewDossier {
        procedure_code: "1.001193".into(),
        applicant_name: "Nguyễn Văn Đức".into(),
        ..Default::default()
    })
    .unwrap()
    .code
    .unwrap()
}

fn page_jpeg(seed: u32, dpi: u16) -> Vec<u8> {
    let img = image::RgbImage::from_fn(620, 877, |x, y| {
        let line = (y / 20 + seed).is_multiple_of(3) && x > 60 && x < 560 && (y % 20) < 4;
        if line {
            image::Rgb([20, 20, 20])
        } else {
            image::Rgb([245, 245, 240])
        }
    });
    let mut out = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
    encoder.set_pixel_density(image::codecs::jpeg::PixelDensity::dpi(dpi));
    encoder.encode_image(&img).unwrap();
    out
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn files_are_attached_in_order_kept_once_and_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let desk = desk(dir.path());
    let code = birth(&desk);
    let a = write(files.path(), "to-khai-1.jpg", &page_jpeg(0, 75));
    let b = write(files.path(), "to-khai-2.jpg", &page_jpeg(1, 300));
    let pages = desk
        .attach(&code, &Target::Component { n: 1 }, &[a.clone(), b])
        .unwrap();
    assert_eq!(
        pages.iter().map(|p| p.position).collect::<Vec<_>>(),
        vec![1, 2]
    );
    assert!(
        pages[0]
            .flags
            .contains(&PageFlag::LowResolution { dpi: 75 }),
        "{:?}",
        pages[0].flags
    );
    assert!(pages[1].flags.is_empty(), "{:?}", pages[1].flags);

    // The same file again, into the birth certificate: kept once, flagged as a duplicate, and
    // grey where the certificate's stamp is expected in colour.
    let again = desk
        .attach(&code, &Target::Component { n: 2 }, &[a])
        .unwrap();
    assert!(
        matches!(
            again[0].flags.as_slice(),
            [PageFlag::LowResolution { dpi: 75 }, PageFlag::GreyForColour, PageFlag::Duplicate { of_dossier, .. }]
                if *of_dossier == code
        ),
        "{:?}",
        again[0].flags
    );
    let kept: usize = walk(&dir.path().join("blobs"));
    assert_eq!(kept, 2, "two different files kept, the repeated one once");

    let state = desk.digitisation(&code).unwrap();
    let counts: Vec<(u32, bool)> = state
        .components
        .iter()
        .map(|c| (c.pages, c.checked))
        .collect();
    assert_eq!(counts, vec![(2, true), (1, true), (0, false)]);
    assert!(state.complete(), "the show-only ID card needs no scan");
    assert_eq!(state.ocr_waiting, 3);
}

fn walk(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| if p.is_dir() { walk(&p) } else { 1 })
        .sum()
}

#[test]
fn a_bad_file_in_a_list_is_named_by_its_place_and_nothing_is_attached() {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let desk = desk(dir.path());
    let code = birth(&desk);
    let good = write(files.path(), "good.jpg", &page_jpeg(0, 300));
    let whole = page_jpeg(1, 300);
    let cases: Vec<(PathBuf, Problem)> = vec![
        (write(files.path(), "empty.jpg", b""), Problem::FileEmpty),
        (
            write(files.path(), "note.jpg", "Ghi chú của cán bộ".as_bytes()),
            Problem::FileUnsupported,
        ),
        (
            write(files.path(), "cut.jpg", &whole[..whole.len() / 3]),
            Problem::FileDamaged,
        ),
        (files.path().join("missing.jpg"), Problem::FileUnreadable),
        (
            files.path().join("../../../etc/hoso-not-there.jpg"),
            Problem::FileUnreadable,
        ),
    ];
    for (bad, problem) in cases {
        let err = desk
            .attach(&code, &Target::Component { n: 1 }, &[good.clone(), bad])
            .unwrap_err();
        let api = ApiError::from(&err);
        assert_eq!(
            (api.code, api.field, api.problem, api.item),
            (
                ErrorCode::Validation,
                Some(Field::File),
                Some(problem),
                Some(2)
            )
        );
        assert!(!api.message.contains("Đức"));
    }
    assert!(desk.digitisation(&code).unwrap().pages.is_empty());
    assert!(!dir.path().join("blobs").exists(), "no file kept");

    let err = desk
        .attach(&code, &Target::Component { n: 9 }, &[good])
        .unwrap_err();
    assert_eq!(ApiError::from(&err).field, Some(Field::Component));
}

#[test]
fn pages_are_rotated_moved_and_deleted_and_the_archive_keeps_jpeg_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let desk = desk(dir.path());
    let code = birth(&desk);
    let jpegs: Vec<Vec<u8>> = (0..3).map(|i| page_jpeg(i, 300)).collect();
    let paths: Vec<PathBuf> = jpegs
        .iter()
        .enumerate()
        .map(|(i, b)| write(files.path(), &format!("p{i}.jpg"), b))
        .collect();
    let pages = desk
        .attach(&code, &Target::Component { n: 1 }, &paths)
        .unwrap();
    let turned = desk.rotate_page(&pages[0].id, 1).unwrap();
    assert_eq!(turned.rotation, 90);
    assert_eq!(desk.rotate_page(&pages[0].id, -2).unwrap().rotation, 270);
    desk.move_page(&pages[2].id, 1).unwrap();
    desk.delete_page(&pages[1].id).unwrap();
    let order: Vec<(String, u32)> = desk
        .digitisation(&code)
        .unwrap()
        .pages
        .into_iter()
        .map(|p| (p.id, p.position))
        .collect();
    assert_eq!(
        order,
        vec![(pages[2].id.clone(), 1), (pages[0].id.clone(), 2)]
    );
    let err = desk.move_page(&pages[0].id, 5).unwrap_err();
    assert_eq!(ApiError::from(&err).field, Some(Field::Page));

    let export = desk.export(&code, None).unwrap();
    assert_eq!(export.file_name, format!("{code}.pdf"));
    // Written straight into a file, the archive is the same.
    let streamed = files.path().join("streamed.pdf");
    let archive = desk.export_to(&code, None, &streamed).unwrap();
    assert_eq!(archive.pages, 2);
    assert_eq!(std::fs::read(&streamed).unwrap(), export.bytes);
    let nowhere = files.path().join("no such folder").join("out.pdf");
    assert!(desk.export_to(&code, None, &nowhere).is_err());
    assert!(!nowhere.parent().unwrap().exists());
    std::fs::write(files.path().join("out.pdf"), &export.bytes).unwrap();
    let status = Command::new("pdfimages")
        .args(["-j", "out.pdf", "img"])
        .current_dir(files.path())
        .status()
        .expect("pdfimages (poppler-utils) is installed by ./x setup");
    assert!(status.success());
    assert_eq!(
        std::fs::read(files.path().join("img-000.jpg")).unwrap(),
        jpegs[2]
    );
    assert_eq!(
        std::fs::read(files.path().join("img-001.jpg")).unwrap(),
        jpegs[0]
    );
    let info = Command::new("pdfinfo")
        .args(["-f", "1", "-l", "2", "out.pdf"])
        .current_dir(files.path())
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    // 620 × 877 px at 300 dpi = 148.8 × 210.48 pt; the second page is turned a quarter.
    assert!(
        info.contains("Page    1 size:  148.8 x 210.48 pts"),
        "{info}"
    );
    assert!(
        info.contains("Page    2 size:  210.48 x 148.8 pts"),
        "{info}"
    );
}

/// The same sheet with a yellow sticky note on it.
fn with_note(jpeg: &[u8]) -> Vec<u8> {
    let mut img = image::load_from_memory(jpeg).unwrap().to_rgb8();
    for y in 600..700 {
        for x in 450..560 {
            img.put_pixel(x, y, image::Rgb([250, 235, 120]));
        }
    }
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .encode_image(&img)
        .unwrap();
    out
}

fn problem_of(err: &hoso_desk::Error) -> Option<Problem> {
    ApiError::from(err).problem
}

#[test]
fn a_sheet_with_a_sticky_note_keeps_two_images_as_one_page_and_pages_change_component() {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let desk = desk(dir.path());
    let code = birth(&desk);
    let sheet = page_jpeg(0, 300);
    let jpegs = [
        with_note(&sheet),
        sheet,
        page_jpeg(1, 300),
        page_jpeg(2, 300),
    ];
    let paths: Vec<PathBuf> = jpegs
        .iter()
        .enumerate()
        .map(|(i, b)| write(files.path(), &format!("p{i}.jpg"), b))
        .collect();
    let pages = desk
        .attach(&code, &Target::Component { n: 1 }, &paths)
        .unwrap();
    let ids: Vec<&str> = pages.iter().map(|p| p.id.as_str()).collect();
    // Three sheets counted at the counter; four images scanned.
    desk.set_component(&code, 1, true, Some(3)).unwrap();
    let view = desk.digitisation(&code).unwrap();
    assert!(view.components[0].count_differs());
    let looks_like = |view: &hoso_model::page::Digitisation, id: &str, of: &str| {
        view.pages
            .iter()
            .find(|p| p.id == id)
            .unwrap()
            .flags
            .iter()
            .any(|f| matches!(f, PageFlag::LooksLike { of_page, .. } if of_page == of))
    };
    assert!(
        looks_like(&view, ids[1], ids[0]),
        "the lifted note looks like the sheet"
    );

    // The sheet without its note becomes the second image of the sheet with it.
    let joined = desk.join_note(ids[1]).unwrap();
    assert_eq!(joined.id, ids[0]);
    let view = desk.digitisation(&code).unwrap();
    let order: Vec<(&str, u32, Option<&str>)> = view
        .pages
        .iter()
        .map(|p| (p.id.as_str(), p.position, p.note_of.as_deref()))
        .collect();
    assert_eq!(
        order,
        vec![
            (ids[0], 1, None),
            (ids[1], 1, Some(ids[0])),
            (ids[2], 2, None),
            (ids[3], 3, None),
        ]
    );
    assert_eq!(view.components[0].pages, 3);
    assert!(!view.components[0].count_differs());
    assert!(!looks_like(&view, ids[1], ids[0]) && !looks_like(&view, ids[0], ids[1]));
    // A page has one second image; a second image has none; the first page joins nothing.
    for (id, refused) in [
        (ids[0], Problem::AlreadyPaired),
        (ids[1], Problem::AlreadyPaired),
        (ids[2], Problem::AlreadyPaired),
    ] {
        assert_eq!(problem_of(&desk.join_note(id).unwrap_err()), Some(refused));
    }
    assert_eq!(
        problem_of(&desk.split_note(ids[2]).unwrap_err()),
        Some(Problem::NothingToJoin)
    );

    // Moving the sheet moves both images; a second image does not move alone.
    desk.move_page(ids[0], 3).unwrap();
    assert!(desk.move_page(ids[1], 1).is_err());
    let order: Vec<(String, u32)> = desk
        .digitisation(&code)
        .unwrap()
        .pages
        .into_iter()
        .map(|p| (p.id, p.position))
        .collect();
    let expect = |list: &[(&str, u32)]| -> Vec<(String, u32)> {
        list.iter().map(|(id, n)| ((*id).to_owned(), *n)).collect()
    };
    assert_eq!(
        order,
        expect(&[(ids[2], 1), (ids[3], 2), (ids[0], 3), (ids[1], 3)])
    );

    // A page scanned into the wrong component goes to another, or to the results.
    let moved = desk
        .refile_page(ids[3], &Target::Component { n: 2 })
        .unwrap();
    assert_eq!(
        (moved.target.clone(), moved.position),
        (Target::Component { n: 2 }, 1)
    );
    assert_eq!(
        problem_of(&desk.join_note(ids[3]).unwrap_err()),
        Some(Problem::NothingToJoin)
    );
    desk.refile_page(ids[0], &Target::Result { code: None })
        .unwrap();
    assert!(
        desk.refile_page(ids[1], &Target::Component { n: 1 })
            .is_err()
    );
    assert!(
        desk.refile_page(ids[2], &Target::Component { n: 9 })
            .is_err()
    );
    let view = desk.digitisation(&code).unwrap();
    let places: Vec<(String, Target, u32)> = view
        .pages
        .iter()
        .map(|p| (p.id.clone(), p.target.clone(), p.position))
        .collect();
    let result = Target::Result { code: None };
    assert_eq!(
        places,
        vec![
            (ids[2].to_owned(), Target::Component { n: 1 }, 1),
            (ids[3].to_owned(), Target::Component { n: 2 }, 1),
            (ids[0].to_owned(), result.clone(), 1),
            (ids[1].to_owned(), result.clone(), 1),
        ]
    );

    // The archive keeps both images of the sheet, one after the other, byte for byte.
    let export = desk.export(&code, None).unwrap();
    assert_eq!(export.pages, 4);
    std::fs::write(files.path().join("out.pdf"), &export.bytes).unwrap();
    let status = Command::new("pdfimages")
        .args(["-j", "out.pdf", "img"])
        .current_dir(files.path())
        .status()
        .unwrap();
    assert!(status.success());
    for (i, expected) in [&jpegs[2], &jpegs[3], &jpegs[0], &jpegs[1]]
        .iter()
        .enumerate()
    {
        assert_eq!(
            &&std::fs::read(files.path().join(format!("img-{i:03}.jpg"))).unwrap(),
            expected,
            "image {i}"
        );
    }

    // Split, the second image is a page again right after its sheet; joined again and the
    // sheet deleted, the second image takes its place.
    let split = desk.split_note(ids[1]).unwrap();
    assert_eq!((split.position, split.note_of), (2, None));
    desk.join_note(ids[1]).unwrap();
    desk.delete_page(ids[0]).unwrap();
    let left = desk.digitisation(&code).unwrap();
    let results: Vec<(&str, u32, Option<&str>)> = left
        .pages
        .iter()
        .filter(|p| p.target == result)
        .map(|p| (p.id.as_str(), p.position, p.note_of.as_deref()))
        .collect();
    assert_eq!(results, vec![(ids[1], 1, None)]);
}

#[test]
fn a_damaged_kept_file_is_reported_not_exported() {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let desk = desk(dir.path());
    let code = birth(&desk);
    let path = write(files.path(), "p.jpg", &page_jpeg(0, 300));
    desk.attach(&code, &Target::Component { n: 1 }, &[path])
        .unwrap();
    let blob = std::fs::read_dir(dir.path().join("blobs"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let file = std::fs::read_dir(blob)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::write(&file, b"bit rot").unwrap();
    let err = desk.export(&code, None).unwrap_err();
    assert_eq!(ApiError::from(&err).code, ErrorCode::Storage);
}

#[test]
fn a_watched_folder_files_by_name_and_by_cover_and_sets_aside_what_it_cannot() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = tempfile::tempdir().unwrap();
    let desk = desk(dir.path());
    let code = birth(&desk);
    write(
        inbox.path(),
        &format!("{code}_TP2_chung-sinh.jpg"),
        &page_jpeg(0, 300),
    );
    write(inbox.path(), "scan0001.jpg", &page_jpeg(1, 300));
    write(inbox.path(), "notes.jpg", b"not an image");
    // Files must have settled (not be still written by the scanner) before they are taken.
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(10);
    for entry in std::fs::read_dir(inbox.path()).unwrap() {
        let file = std::fs::File::options()
            .write(true)
            .open(entry.unwrap().path())
            .unwrap();
        file.set_modified(old).unwrap();
    }
    let pass = desk
        .file_folder(inbox.path(), hoso_model::Language::Vi)
        .unwrap();
    assert_eq!(
        pass.filed,
        vec![(format!("{code}_TP2_chung-sinh.jpg"), code.clone(), 1)]
    );
    let failed: Vec<&str> = pass.failed.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(failed, vec!["notes.jpg", "scan0001.jpg"]);
    assert!(
        inbox
            .path()
            .join("done")
            .join(format!("{code}_TP2_chung-sinh.jpg"))
            .exists()
    );
    let why = std::fs::read_to_string(inbox.path().join("failed/notes.jpg.txt")).unwrap();
    assert!(why.contains("JPEG"), "{why}");
    let state = desk.digitisation(&code).unwrap();
    assert_eq!(state.components[1].pages, 1);
    // Nothing is taken twice.
    assert_eq!(
        desk.file_folder(inbox.path(), hoso_model::Language::Vi)
            .unwrap(),
        hoso_desk::folder::FolderPass::default()
    );
}
