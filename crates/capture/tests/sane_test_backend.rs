//! The SANE backend against SANE's own `test` backend: real libsane, no hardware.
//!
//! libsane reads its configuration (`SANE_CONFIG_DIR`) once, when it starts, and the
//! environment belongs to the whole process; Rust 2024 makes `std::env::set_var` unsafe, which
//! this workspace forbids. So [`sane_test_backend`] writes a configuration that enables the test
//! backend into a temporary folder and runs this same test binary again, as a child process
//! with `SANE_CONFIG_DIR` set, for the one ignored test that holds every scenario. The
//! scenarios run in order in that one process and share its one libsane.
//!
//! Facts about the test backend (sane-backends 1.2) that the scenarios rely on:
//! - its page is 80 × 100 mm, so `floor(dpi × mm / 25.4)` pixels each way;
//! - its modes are only "Gray" and "Color": black and white is grey at depth 1;
//! - its source "Automatic Document Feeder" answers `SANE_STATUS_NO_DOCS` to every 11th
//!   `sane_start` since the device was opened (flatbed scans count too), so a freshly opened
//!   device gives 10 pages;
//! - its `read-return-value` option makes `sane_read` fail with a chosen status (jam, cover
//!   open…), and `hand-scanner` gives frames whose height is unknown (-1), 110 × 170 mm.

#![cfg(target_os = "linux")]

use std::process::Command;

use hoso_capture::sane::{SaneBackend, SaneScanner};
use hoso_capture::{
    Backend, CaptureError, ColourMode, Feed, ImageFormat, ScanSettings, ScannedPage, Scanner,
};

/// The test the child process runs.
const SCENARIOS: &str = "scenarios_against_the_sane_test_backend";

/// Set for the child process only.
const CHILD_MARK: &str = "HOSO_SANE_TEST_CHILD";

/// The test backend's configuration: two devices, everything else as it comes.
const TEST_CONF: &str = "number_of_devices 2\n";

#[test]
fn sane_test_backend() {
    let config = tempfile::tempdir().expect("temporary folder");
    // Only the test backend: no network discovery, no real scanners of this machine.
    std::fs::write(config.path().join("dll.conf"), "test\n").expect("dll.conf");
    std::fs::write(config.path().join("test.conf"), TEST_CONF).expect("test.conf");

    let this_binary = std::env::current_exe().expect("the test binary");
    let output = Command::new(this_binary)
        .args([SCENARIOS, "--exact", "--include-ignored", "--nocapture"])
        .args(["--test-threads", "1"])
        .env("SANE_CONFIG_DIR", config.path())
        .env(CHILD_MARK, "1")
        .output()
        .expect("the child test process runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    println!("{stdout}");
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "the SANE scenarios failed");
    assert!(
        stdout.contains("1 passed"),
        "the child process did not run the scenarios"
    );
}

#[test]
#[ignore = "run by sane_test_backend in a child process that has SANE_CONFIG_DIR set"]
fn scenarios_against_the_sane_test_backend() {
    if std::env::var_os(CHILD_MARK).is_none() {
        // Run directly (`--include-ignored`): libsane would read the machine's configuration.
        println!("skipped: run through sane_test_backend, which sets SANE_CONFIG_DIR");
        return;
    }
    let backend = SaneBackend::new().expect("the SANE worker starts");

    step("devices", || lists_the_test_devices(&backend));
    step("unknown ids", || unknown_ids_are_clear_errors(&backend));
    step("flatbed colour", || flatbed_colour_is_one_jpeg(&backend));
    step("grey", || grey_is_a_grey_jpeg(&backend));
    step("lineart", || lineart_is_a_one_bit_png(&backend));
    step("unknown height", || {
        unknown_height_is_read_to_the_end(&backend)
    });
    step("feeder", || feeder_gives_every_page_then_stops(&backend));
    step("empty feeder", || {
        empty_feeder_before_the_first_page(&backend)
    });
    step("on_page error", || on_page_error_stops_the_scan(&backend));
    step("faults", || device_faults_are_mapped(&backend));
    step("busy", || a_device_open_twice_is_busy(&backend));
    step("not supported", || unsupported_requests_say_so(&backend));
    step("three-pass", || three_pass_colour_is_refused(&backend));
    step("other thread", || {
        a_scanner_moves_to_another_thread(&backend)
    });

    drop(backend);
    step("restart", libsane_starts_again_after_the_last_backend);
}

fn step(name: &str, scenario: impl FnOnce()) {
    println!("scenario: {name}");
    scenario();
}

// ---------------------------------------------------------------------------------------------

fn settings(feed: Feed, mode: ColourMode, resolution: u32) -> ScanSettings {
    ScanSettings {
        feed,
        resolution,
        mode,
    }
}

/// Scans and keeps the pages.
fn scan(
    scanner: &mut dyn Scanner,
    settings: ScanSettings,
) -> Result<Vec<ScannedPage>, CaptureError> {
    let mut pages = Vec::new();
    let count = scanner.scan(&settings, &mut |page| {
        pages.push(page);
        Ok(())
    })?;
    assert_eq!(
        count as usize,
        pages.len(),
        "the count is the pages delivered"
    );
    Ok(pages)
}

/// The test backend's page size in pixels at `dpi` for a `width_mm` × `height_mm` area.
fn pixels(dpi: u32, width_mm: f64, height_mm: f64) -> (u32, u32) {
    let side = |mm: f64| (f64::from(dpi) * mm / 25.4) as u32;
    (side(width_mm), side(height_mm))
}

fn open(backend: &SaneBackend, id: &str) -> SaneScanner {
    backend.open_device(id).expect("the test device opens")
}

fn decode(page: &ScannedPage) -> image::DynamicImage {
    image::load_from_memory(&page.bytes).expect("the page decodes")
}

// ---------------------------------------------------------------------------------------------

fn lists_the_test_devices(backend: &SaneBackend) {
    let devices = backend.devices().expect("devices");
    let ids: Vec<&str> = devices.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["sane:test:0", "sane:test:1"]);
    let first = &devices[0];
    assert_eq!(first.name, "Noname frontend-tester");
    assert_eq!(first.feeds, [Feed::Flatbed, Feed::Adf]);
    // Its resolution is a range, 1 to 1200 dpi.
    assert_eq!(first.resolutions, [75, 100, 150, 200, 300, 400, 600, 1200]);
}

fn unknown_ids_are_clear_errors(backend: &SaneBackend) {
    for id in [
        "sane:test:9",
        "sane:nosuchbackend:0",
        "escl:http://scanner/eSCL",
        "sane:",
    ] {
        match backend.open(id) {
            Err(CaptureError::DeviceUnavailable(detail)) => {
                assert!(!detail.is_empty(), "{id}: a detail for the log");
            }
            Err(other) => panic!("{id}: unexpected error {other:?}"),
            Ok(_) => panic!("{id}: opened"),
        }
    }
}

fn flatbed_colour_is_one_jpeg(backend: &SaneBackend) {
    let mut scanner = open(backend, "sane:test:0");
    let pages = scan(&mut scanner, settings(Feed::Flatbed, ColourMode::Color, 75)).expect("scan");
    assert_eq!(pages.len(), 1);
    let page = &pages[0];
    assert_eq!(page.format, ImageFormat::Jpeg);
    assert_eq!(page.dpi, Some(75));
    let image = decode(page);
    assert_eq!(image.color(), image::ColorType::Rgb8);
    assert_eq!((image.width(), image.height()), pixels(75, 80.0, 100.0));
}

fn grey_is_a_grey_jpeg(backend: &SaneBackend) {
    let mut scanner = open(backend, "sane:test:0");
    for (picture, expected) in [("Solid black", 0_u8), ("Solid white", 255)] {
        scanner
            .set_option("test-picture", picture)
            .expect("test picture");
        let pages =
            scan(&mut scanner, settings(Feed::Flatbed, ColourMode::Gray, 100)).expect("scan");
        assert_eq!(pages.len(), 1);
        assert_eq!(pages[0].format, ImageFormat::Jpeg);
        assert_eq!(pages[0].dpi, Some(100));
        let image = decode(&pages[0]);
        assert_eq!(image.color(), image::ColorType::L8);
        assert_eq!((image.width(), image.height()), pixels(100, 80.0, 100.0));
        let grey = image.to_luma8();
        let centre = grey.get_pixel(grey.width() / 2, grey.height() / 2).0[0];
        assert!(centre.abs_diff(expected) <= 3, "{picture}: {centre}");
    }
}

fn lineart_is_a_one_bit_png(backend: &SaneBackend) {
    let mut scanner = open(backend, "sane:test:0");
    for (picture, expected) in [("Solid black", 0_u8), ("Solid white", 255)] {
        scanner
            .set_option("test-picture", picture)
            .expect("test picture");
        let pages = scan(
            &mut scanner,
            settings(Feed::Flatbed, ColourMode::Lineart, 75),
        )
        .expect("scan");
        assert_eq!(pages.len(), 1);
        let page = &pages[0];
        assert_eq!(page.format, ImageFormat::Png);
        assert_eq!(page.dpi, Some(75));
        assert_eq!(page.bytes[24], 1, "a 1-bit PNG");
        let grey = decode(page).to_luma8();
        assert_eq!(grey.dimensions(), pixels(75, 80.0, 100.0));
        assert!(grey.pixels().all(|p| p.0[0] == expected), "{picture}");
    }
    // A grey scan after it is 8-bit again (the depth left at 1 is set back).
    let pages = scan(&mut scanner, settings(Feed::Flatbed, ColourMode::Gray, 75)).expect("scan");
    assert_eq!(pages[0].format, ImageFormat::Jpeg);
    assert_eq!(decode(&pages[0]).color(), image::ColorType::L8);
}

fn unknown_height_is_read_to_the_end(backend: &SaneBackend) {
    let mut scanner = open(backend, "sane:test:0");
    // A hand scanner does not know its page's height (lines = -1); its page is 110 × 170 mm.
    scanner
        .set_option("hand-scanner", "yes")
        .expect("hand scanner");
    let pages = scan(&mut scanner, settings(Feed::Flatbed, ColourMode::Gray, 75)).expect("scan");
    assert_eq!(pages.len(), 1);
    let image = decode(&pages[0]);
    assert_eq!((image.width(), image.height()), pixels(75, 110.0, 170.0));
}

fn feeder_gives_every_page_then_stops(backend: &SaneBackend) {
    let mut scanner = open(backend, "sane:test:1");
    let pages = scan(&mut scanner, settings(Feed::Adf, ColourMode::Gray, 75)).expect("scan");
    assert_eq!(pages.len(), 10, "the test feeder holds 10 pages");
    for page in &pages {
        assert_eq!(page.format, ImageFormat::Jpeg);
        assert_eq!(
            (decode(page).width(), decode(page).height()),
            pixels(75, 80.0, 100.0)
        );
    }
    // Colour through the feeder too.
    let mut scanner = open_again(backend, scanner, "sane:test:1");
    let pages = scan(&mut scanner, settings(Feed::Adf, ColourMode::Color, 75)).expect("scan");
    assert_eq!(pages.len(), 10);
}

/// Closes a scanner and opens its device again, which refills the test backend's feeder.
fn open_again(backend: &SaneBackend, scanner: SaneScanner, id: &str) -> SaneScanner {
    drop(scanner);
    open(backend, id)
}

fn empty_feeder_before_the_first_page(backend: &SaneBackend) {
    let mut scanner = open(backend, "sane:test:1");
    // Ten flatbed scans use up the test backend's count of ten.
    for _ in 0..10 {
        let pages =
            scan(&mut scanner, settings(Feed::Flatbed, ColourMode::Gray, 10)).expect("scan");
        assert_eq!(pages.len(), 1);
    }
    let mut delivered = 0;
    let outcome = scanner.scan(&settings(Feed::Adf, ColourMode::Gray, 75), &mut |_| {
        delivered += 1;
        Ok(())
    });
    assert!(
        matches!(outcome, Err(CaptureError::FeederEmpty)),
        "{outcome:?}"
    );
    assert_eq!(delivered, 0);
}

fn on_page_error_stops_the_scan(backend: &SaneBackend) {
    let mut scanner = open(backend, "sane:test:0");
    let mut calls = 0;
    let outcome = scanner.scan(&settings(Feed::Adf, ColourMode::Gray, 75), &mut |_| {
        calls += 1;
        if calls == 3 {
            Err(CaptureError::Cancelled)
        } else {
            Ok(())
        }
    });
    assert!(
        matches!(outcome, Err(CaptureError::Cancelled)),
        "{outcome:?}"
    );
    assert_eq!(calls, 3);
    // No fourth page was started: the feeder still holds the other seven.
    let pages = scan(&mut scanner, settings(Feed::Adf, ColourMode::Gray, 75)).expect("scan");
    assert_eq!(pages.len(), 7);
}

/// Whether an error is the one a case expects.
type IsExpected = fn(&CaptureError) -> bool;

fn device_faults_are_mapped(backend: &SaneBackend) {
    let mut scanner = open(backend, "sane:test:0");
    let flatbed = settings(Feed::Flatbed, ColourMode::Gray, 75);
    let cases: [(&str, Feed, IsExpected); 4] = [
        ("SANE_STATUS_JAMMED", Feed::Adf, |e| {
            matches!(e, CaptureError::DeviceFault(_))
        }),
        ("SANE_STATUS_COVER_OPEN", Feed::Flatbed, |e| {
            matches!(e, CaptureError::DeviceFault(_))
        }),
        ("SANE_STATUS_DEVICE_BUSY", Feed::Flatbed, |e| {
            matches!(e, CaptureError::DeviceBusy)
        }),
        ("SANE_STATUS_NO_DOCS", Feed::Adf, |e| {
            matches!(e, CaptureError::FeederEmpty)
        }),
    ];
    for (status, feed, expected) in cases {
        scanner
            .set_option("read-return-value", status)
            .expect("status option");
        let mut delivered = 0;
        let outcome = scanner.scan(&settings(feed, ColourMode::Gray, 75), &mut |_| {
            delivered += 1;
            Ok(())
        });
        match outcome {
            Err(error) => assert!(expected(&error), "{status}: {error:?}"),
            Ok(pages) => panic!("{status}: {pages} pages"),
        }
        assert_eq!(delivered, 0, "{status}");
        // The device was closed to cancel the scan; it opens again for the next one.
    }
    scanner
        .set_option("read-return-value", "Default")
        .expect("status option");
    let pages = scan(&mut scanner, flatbed).expect("scans again after the faults");
    assert_eq!(pages.len(), 1);
    // Errors are short technical texts, with nothing from the page.
    let text = CaptureError::DeviceFault("paper jam".into()).to_string();
    assert_eq!(text, "the scanner reported a fault: paper jam");
}

fn a_device_open_twice_is_busy(backend: &SaneBackend) {
    let _first = open(backend, "sane:test:0");
    assert!(matches!(
        backend.open("sane:test:0"),
        Err(CaptureError::DeviceBusy)
    ));
    // Listing still describes the open device, through its open handle.
    let devices = backend.devices().expect("devices");
    assert_eq!(devices[0].feeds, [Feed::Flatbed, Feed::Adf]);
}

fn unsupported_requests_say_so(backend: &SaneBackend) {
    let mut scanner = open(backend, "sane:test:0");
    let outcome = scan(&mut scanner, settings(Feed::Duplex, ColourMode::Gray, 75));
    assert!(
        matches!(outcome, Err(CaptureError::NotSupported(_))),
        "{outcome:?}"
    );
    let outcome = scanner.set_option("no-such-option", "1");
    assert!(
        matches!(outcome, Err(CaptureError::NotSupported(_))),
        "{outcome:?}"
    );
    let outcome = scanner.set_option("test-picture", "Mona Lisa");
    assert!(
        matches!(outcome, Err(CaptureError::NotSupported(_))),
        "{outcome:?}"
    );
}

fn three_pass_colour_is_refused(backend: &SaneBackend) {
    let mut scanner = open(backend, "sane:test:0");
    scanner.set_option("mode", "color").expect("mode");
    scanner.set_option("three-pass", "yes").expect("three-pass");
    let outcome = scan(&mut scanner, settings(Feed::Flatbed, ColourMode::Color, 75));
    assert!(
        matches!(outcome, Err(CaptureError::NotSupported(_))),
        "{outcome:?}"
    );
    scanner.set_option("three-pass", "no").expect("three-pass");
    let pages = scan(&mut scanner, settings(Feed::Flatbed, ColourMode::Color, 75)).expect("scan");
    assert_eq!(pages.len(), 1);
}

fn a_scanner_moves_to_another_thread(backend: &SaneBackend) {
    let mut scanner = backend.open("sane:test:1").expect("opens");
    let pages = std::thread::spawn(move || {
        scan(
            scanner.as_mut(),
            settings(Feed::Flatbed, ColourMode::Color, 75),
        )
        .map(|p| p.len())
    })
    .join()
    .expect("the thread ends");
    assert_eq!(pages.expect("scan"), 1);
}

fn libsane_starts_again_after_the_last_backend() {
    let backend = SaneBackend::new().expect("the SANE worker starts again");
    let devices = backend.devices().expect("devices");
    assert_eq!(devices.len(), 2);
    let mut scanner = open(&backend, "sane:test:0");
    let pages = scan(&mut scanner, settings(Feed::Flatbed, ColourMode::Gray, 75)).expect("scan");
    assert_eq!(pages.len(), 1);
}
