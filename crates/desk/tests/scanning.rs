//! Scanning into dossiers from real devices: SANE's test backend through the `hoso` command
//! line (its configuration is read from the environment when SANE starts, so it runs in a child
//! process), the loopback eSCL scanner for a stack filed by receipt QR codes, and real Tesseract
//! making a scanned word find its dossier.

mod common;

use std::path::Path;
use std::process::Command;

use hoso_capture::testpages::{PageOptions, document_page};
use hoso_capture::{ColourMode, Feed, ScanSettings};
use hoso_desk::{Desk, FixedClock};
use hoso_fakes::{EsclConfig, EsclServer};
use hoso_model::NewDossier;
use hoso_model::page::{SEPARATOR_PREFIX, Target};
use hoso_model::unit::Unit;

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

fn register(desk: &Desk, procedure: &str, name: &str) -> String {
    desk.register(&NewDossier {
        procedure_code: procedure.into(),
        applicant_name: name.into(),
        ..Default::default()
    })
    .unwrap()
    .code
    .unwrap()
}

/// A long word printed on a page and not in `name` (a dossier's own fields are searched too).
fn printed_word(truth: &str, name: &str) -> String {
    truth
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().count() >= 5 && w.chars().all(char::is_alphabetic))
        .find(|w| !name.contains(w))
        .expect("the page has long words")
        .to_owned()
}

fn jpeg(image: &image::GrayImage, dpi: u16) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
    encoder.set_pixel_density(image::codecs::jpeg::PixelDensity::dpi(dpi));
    encoder.encode_image(image).unwrap();
    out
}

/// An A4 sheet at 150 dpi with a QR code of `text` near its top right, as a receipt has.
fn qr_sheet(text: &str) -> Vec<u8> {
    let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
    let modules = code.width();
    let colours = code.to_colors();
    let module_px = 5u32;
    let mut page = image::GrayImage::from_pixel(1240, 1754, image::Luma([246]));
    let (ox, oy) = (900u32, 80u32);
    for (i, c) in colours.iter().enumerate() {
        if *c == qrcode::Color::Dark {
            let (mx, my) = ((i % modules) as u32, (i / modules) as u32);
            for dy in 0..module_px {
                for dx in 0..module_px {
                    page.put_pixel(
                        ox + mx * module_px + dx,
                        oy + my * module_px + dy,
                        image::Luma([10]),
                    );
                }
            }
        }
    }
    jpeg(&page, 150)
}

fn text_sheet(seed: u64) -> Vec<u8> {
    let page = document_page(&PageOptions {
        seed,
        dpi: 150,
        ..PageOptions::default()
    })
    .unwrap();
    jpeg(&page.image, 150)
}

#[test]
fn a_stack_of_two_dossiers_is_filed_by_its_covers_from_a_network_scanner() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(dir.path());
    let first = register(&desk, "1.001193", "Nguyễn Văn Đức");
    let second = register(&desk, "2.000815", "Phạm Thị Ánh Tuyết");
    let stack = vec![
        qr_sheet(&first),
        text_sheet(1),
        qr_sheet(SEPARATOR_PREFIX),
        text_sheet(2),
        text_sheet(3),
        qr_sheet(&second),
        text_sheet(4),
    ];
    let server = EsclServer::start(EsclConfig {
        feeder_pages: stack.clone(),
        busy_before_page: vec![0, 1],
        ..EsclConfig::default()
    });
    let device = format!("escl:{}", server.base_url());
    let mut seen = 0;
    let outcome = desk
        .scan(
            None,
            &device,
            &ScanSettings {
                feed: Feed::Adf,
                resolution: 150,
                mode: ColourMode::Gray,
            },
            &mut |_| seen += 1,
        )
        .unwrap();
    assert_eq!((outcome.pages.len(), seen, outcome.sheets), (4, 4, 3));
    assert_eq!(outcome.dossiers, vec![first.clone(), second.clone()]);

    let pages_of = |code: &str| -> Vec<Target> {
        desk.digitisation(code)
            .unwrap()
            .pages
            .into_iter()
            .map(|p| p.target)
            .collect()
    };
    assert_eq!(
        pages_of(&first),
        vec![
            Target::Component { n: 1 },
            Target::Component { n: 2 },
            Target::Component { n: 2 }
        ]
    );
    assert_eq!(pages_of(&second), vec![Target::Component { n: 1 }]);

    // The scanned JPEGs are kept byte for byte: the archive holds exactly what came.
    let export = desk.export(&second, None).unwrap();
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("d.pdf"), &export.bytes).unwrap();
    assert!(
        Command::new("pdfimages")
            .args(["-j", "d.pdf", "img"])
            .current_dir(out.path())
            .status()
            .unwrap()
            .success()
    );
    assert_eq!(
        std::fs::read(out.path().join("img-000.jpg")).unwrap(),
        stack[6]
    );
}

#[test]
fn a_stack_without_a_cover_is_refused_and_keeps_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(dir.path());
    let code = register(&desk, "1.001193", "Nguyễn Văn Đức");
    let server = EsclServer::start(EsclConfig {
        feeder_pages: vec![text_sheet(5), text_sheet(6)],
        ..EsclConfig::default()
    });
    let err = desk
        .scan(
            None,
            &format!("escl:{}", server.base_url()),
            &ScanSettings {
                feed: Feed::Adf,
                resolution: 150,
                mode: ColourMode::Gray,
            },
            &mut |_| {},
        )
        .unwrap_err();
    assert_eq!(
        hoso_model::ApiError::from(&err).field,
        Some(hoso_model::Field::Scanner)
    );
    assert!(desk.digitisation(&code).unwrap().pages.is_empty());
}

#[test]
fn a_word_on_a_scanned_page_finds_its_dossier_and_lands_in_the_archive_text() {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let desk = desk(dir.path());
    let code = register(&desk, "1.001193", "Trần Thị Bích");
    let other = register(&desk, "1.001193", "Lê Văn Hùng");
    let page = document_page(&PageOptions {
        seed: 42,
        dpi: 300,
        ..PageOptions::default()
    })
    .unwrap();
    let path = files.path().join("to-khai.jpg");
    std::fs::write(&path, jpeg(&page.image, 300)).unwrap();
    desk.attach(&code, &Target::Component { n: 1 }, &[path])
        .unwrap();
    assert_eq!(desk.text_waiting().unwrap(), 1);

    let pool = hoso_desk::text::pool().unwrap();
    let summary = desk.recognise_waiting(&pool, None).unwrap();
    assert_eq!(
        (summary.recognised, summary.failed, summary.waiting),
        (1, 0, 0)
    );

    // A long word of the printed text that is not in the dossier's own fields.
    let word = printed_word(&page.truth, "Trần Thị Bích");
    let found: Vec<String> = desk
        .search(&word)
        .unwrap()
        .into_iter()
        .filter_map(|d| d.code)
        .collect();
    assert!(
        found.contains(&code),
        "{word:?} finds the dossier: {found:?}"
    );
    assert!(!found.contains(&other));
    // Without diacritics too.
    let folded = hoso_model::text::fold(&word);
    assert!(
        desk.search(&folded)
            .unwrap()
            .iter()
            .any(|d| d.code.as_deref() == Some(code.as_str()))
    );

    let export = desk.export(&code, None).unwrap();
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("d.pdf"), &export.bytes).unwrap();
    let text = Command::new("pdftotext")
        .args(["d.pdf", "-"])
        .current_dir(out.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains(&word), "{word:?} in the text layer");
}

#[test]
fn the_command_line_scans_from_sane_test_backend_into_a_dossier() {
    let dir = tempfile::tempdir().unwrap();
    let sane = tempfile::tempdir().unwrap();
    std::fs::write(sane.path().join("dll.conf"), "test\n").unwrap();
    let run = |args: &[&str]| {
        let out = common::hoso_command(dir.path())
            .args(args)
            .env("SANE_CONFIG_DIR", sane.path())
            .env("HOSO_LANG", "en")
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    assert!(
        run(&[
            "init",
            "--unit-code",
            "H25.123",
            "--unit-name",
            "Xã Thạch Hà"
        ])
        .0
    );
    let (ok, out, _) = run(&[
        "--json",
        "intake",
        "--procedure",
        "1.001193",
        "--applicant",
        "Nguyễn Văn Đức",
    ]);
    assert!(ok);
    let code = serde_json::from_str::<serde_json::Value>(&out).unwrap()["code"]
        .as_str()
        .unwrap()
        .to_owned();

    let (ok, out, err) = run(&["--json", "scanners"]);
    assert!(ok, "{err}");
    assert!(out.contains("sane:test:0"), "{out}");

    let (ok, out, err) = run(&[
        "--json",
        "scan",
        &code,
        "--component",
        "1",
        "--device",
        "sane:test:0",
        "--source",
        "adf",
        "--resolution",
        "75",
        "--mode",
        "gray",
    ]);
    assert!(ok, "{err}");
    let outcome: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        outcome["pages"].as_array().unwrap().len(),
        10,
        "the test feeder holds 10"
    );

    let (ok, out, err) = run(&["--json", "component", &code, "1", "--pages", "3"]);
    assert!(ok, "{err}");
    let components: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (&components[0]["pages"], &components[0]["declared_pages"]),
        (&serde_json::json!(10), &serde_json::json!(3)),
        "the counted pages are kept beside the scanned ones"
    );

    // The page after the first is the same sheet with its note lifted; the last page was
    // scanned into the wrong component.
    let ids: Vec<String> = outcome["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect();
    let (ok, out, err) = run(&["--json", "page", "note", &ids[1]]);
    assert!(ok, "{err}");
    let sheet: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(sheet["id"], ids[0].as_str());
    let (ok, out, err) = run(&[
        "--json",
        "page",
        "move",
        &ids[9],
        "--component",
        "2",
        "--position",
        "1",
    ]);
    assert!(ok, "{err}");
    let moved: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (&moved["target"], &moved["position"]),
        (
            &serde_json::json!({ "kind": "component", "n": 2 }),
            &serde_json::json!(1)
        )
    );
    let (ok, out, _) = run(&["pages", &code]);
    assert!(ok);
    assert!(out.contains(&format!("TP1/1b\t{}", ids[1])), "{out}");
    assert!(out.contains("2. ") && out.contains("(1 pages"), "{out}");
    let (ok, _, err) = run(&["page", "note", &ids[0]]);
    assert!(!ok, "a sheet with its second image takes no other");
    assert!(!err.is_empty());
    let (ok, _, _) = run(&["page", "unnote", &ids[1]]);
    assert!(ok);

    let (ok, _, err) = run(&["scan", &code, "--component", "7", "--device", "sane:test:0"]);
    assert!(!ok);
    assert!(err.contains("component"), "{err}");
    let (ok, _, err) = run(&[
        "scan",
        &code,
        "--component",
        "1",
        "--device",
        "sane:nothing:9",
    ]);
    assert!(!ok);
    assert!(err.contains("scanner"), "{err}");
}

#[test]
fn a_scan_saved_as_pdf_is_read_and_its_words_find_the_dossier_and_lie_in_the_archive() {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let desk = desk(dir.path());
    let code = register(&desk, "1.001193", "Trần Thị Bích");
    let page = document_page(&PageOptions {
        seed: 43,
        dpi: 300,
        ..PageOptions::default()
    })
    .unwrap();
    // What a scanner that saves to PDF gives: the page as an image in a PDF, no text.
    let scan = jpeg(&page.image, 300);
    let (width, height) = (page.image.width(), page.image.height());
    let pdf = hoso_capture::pdf::archive_pdf(
        &[hoso_capture::pdf::ArchivePage {
            content: hoso_capture::pdf::Content::Image {
                bytes: &scan,
                format: hoso_capture::ImageFormat::Jpeg,
                width,
                height,
                dpi: Some(300),
            },
            rotation: hoso_capture::pdf::Rotation::None,
            deskew_degrees: 0.0,
            words: &[],
        }],
        &hoso_capture::pdf::ArchiveInfo {
            title: "Scan".into(),
            author: None,
            subject: None,
            keywords: vec![],
            created: jiff::Timestamp::UNIX_EPOCH,
        },
    )
    .unwrap();
    let path = files.path().join("scan.pdf");
    std::fs::write(&path, &pdf).unwrap();
    desk.attach(&code, &Target::Component { n: 1 }, &[path])
        .unwrap();
    assert_eq!(
        desk.text_waiting().unwrap(),
        1,
        "a PDF's page waits for its text"
    );
    let pool = hoso_desk::text::pool().unwrap();
    let summary = desk.recognise_waiting(&pool, None).unwrap();
    assert_eq!((summary.recognised, summary.failed), (1, 0));

    let word = printed_word(&page.truth, "Trần Thị Bích");
    assert!(
        desk.search(&word)
            .unwrap()
            .iter()
            .any(|d| d.code.as_deref() == Some(code.as_str())),
        "{word:?} finds the dossier"
    );
    let out = files.path().join("archive.pdf");
    desk.export_to(&code, None, &out).unwrap();
    let text = Command::new("pdftotext")
        .arg(&out)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains(&word),
        "{word:?} in the archive's text: {text}"
    );
    let meta = Command::new("pdfinfo")
        .arg("-meta")
        .arg(&out)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&meta.stdout).contains("<pdfaid:part>2</pdfaid:part>"));
}

#[test]
fn a_page_scanned_upside_down_is_turned_upright_when_read_unless_an_officer_turned_it() {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let desk = desk(dir.path());
    let code = register(&desk, "1.001193", "Trần Thị Bích");
    let page = document_page(&PageOptions {
        seed: 5,
        dpi: 300,
        ..PageOptions::default()
    })
    .unwrap();
    let upside_down = image::imageops::rotate180(&page.image);
    for name in ["a.jpg", "b.jpg"] {
        let path = files.path().join(name);
        std::fs::write(&path, jpeg(&upside_down, 300)).unwrap();
        desk.attach(&code, &Target::Component { n: 1 }, &[path])
            .unwrap();
    }
    let pages = desk.digitisation(&code).unwrap().pages;
    let (a, b) = (pages[0].id.clone(), pages[1].id.clone());
    let thumbnail_before = desk.thumbnail(&a).unwrap();
    // The officer turns the second one a quarter (wrongly, as it happens) before it is read.
    desk.rotate_page(&b, 1).unwrap();

    let pool = hoso_desk::text::pool().unwrap();
    let summary = desk.recognise_waiting(&pool, None).unwrap();
    assert_eq!((summary.recognised, summary.failed), (2, 0));

    let rotation = |id: &str| {
        desk.digitisation(&code)
            .unwrap()
            .pages
            .into_iter()
            .find(|p| p.id == id)
            .unwrap()
            .rotation
    };
    assert_eq!(rotation(&a), 180, "turned upright");
    assert_ne!(desk.thumbnail(&a).unwrap(), thumbnail_before);
    assert_eq!(rotation(&b), 90, "the officer's turn stands");
    // The turned page was read the right way up: its words find the dossier.
    let found = desk.search("cong hoa xa hoi chu nghia").unwrap();
    assert!(
        found
            .iter()
            .any(|d| d.code.as_deref() == Some(code.as_str()))
    );
    assert_eq!(
        desk.text_waiting().unwrap(),
        0,
        "turning it did not queue it again"
    );
}

#[test]
fn files_dropped_on_the_window_become_pages_only_when_every_one_is_good() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(dir.path());
    let code = register(&desk, "1.001193", "Trần Thị Bích");
    let page = document_page(&PageOptions {
        seed: 8,
        dpi: 200,
        ..PageOptions::default()
    })
    .unwrap();
    let good = ("Tờ khai.jpg".to_owned(), jpeg(&page.image, 200));
    let bad = ("giay-to.pdf".to_owned(), b"%PDF-1.7 cut short".to_vec());
    let target = Target::Component { n: 1 };

    let err = desk
        .attach_dropped(&code, &target, vec![good.clone(), bad])
        .unwrap_err();
    let api = hoso_model::ApiError::from(&err);
    assert_eq!(api.item, Some(2), "the second file is named: {api:?}");
    assert!(
        desk.digitisation(&code).unwrap().pages.is_empty(),
        "nothing kept"
    );

    let pages = desk
        .attach_dropped(&code, &target, vec![good.clone(), good])
        .unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].source_name, "Tờ khai.jpg");
    assert_eq!(desk.digitisation(&code).unwrap().pages.len(), 2);
    // A name with a folder in it keeps only its last part.
    let pathy = ("../../etc/x.jpg".to_owned(), jpeg(&page.image, 200));
    let kept = desk.attach_dropped(&code, &target, vec![pathy]).unwrap();
    assert_eq!(kept[0].source_name, "x.jpg");
}
