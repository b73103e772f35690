//! The fake eSCL scanner checked by a client that is not ours: Debian's `sane-airscan` backend,
//! driven by `scanimage`. If it can list, configure and scan from the fake, the fake speaks eSCL
//! as real devices do, and tests of our own client against it mean something.
//!
//! sane-airscan and sane-utils are part of the project's setup, so their absence fails these
//! tests rather than skipping them: a silently skipped check is no check.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use hoso_fakes::escl::GENERATED_FRAME;
use hoso_fakes::{EsclConfig, EsclServer, RecordedScanSettings, pages};
use image::{Rgb, RgbImage};

const SCANIMAGE_TIMEOUT: Duration = Duration::from_secs(90);

/// A SANE configuration directory holding only sane-airscan, with the fake as its one device and
/// network discovery off (so the test neither waits for nor finds real scanners).
fn sane_config(server: &EsclServer) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("dll.conf"), "airscan\n").unwrap();
    let conf = format!(
        "[devices]\n\"Fake\" = {}\n\n[options]\ndiscovery = disable\n",
        server.base_url()
    );
    std::fs::write(dir.path().join("airscan.conf"), conf).unwrap();
    dir
}

/// Runs `scanimage` with this SANE configuration, bounded in time.
fn scanimage(config: &Path, args: &[&str]) -> Output {
    let mut child = Command::new("scanimage")
        .args(args)
        .env("SANE_CONFIG_DIR", config)
        .env_remove("SANE_DEFAULT_DEVICE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run scanimage ({e}): install Debian's sane-utils and sane-airscan \
                 (the project's setup does)"
            )
        });
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > SCANIMAGE_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("scanimage {args:?} did not finish in {SCANIMAGE_TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_end(&mut stdout)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_end(&mut stderr)
        .unwrap();
    Output {
        status: child.wait().unwrap(),
        stdout,
        stderr,
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The SANE name sane-airscan gives the fake, from `scanimage -L` (`airscan:e0:Fake`).
fn device_name(config: &Path) -> String {
    let listed = scanimage(config, &["-L"]);
    let stdout = text(&listed.stdout);
    let name = stdout
        .lines()
        .filter_map(|line| line.strip_prefix("device `"))
        .filter_map(|rest| rest.split('\'').next())
        .find(|name| name.starts_with("airscan:") && name.ends_with(":Fake"));
    match name {
        Some(name) => name.to_owned(),
        None => panic!(
            "sane-airscan did not list the fake (is Debian's sane-airscan installed? the \
             project's setup installs it)\nstdout: {stdout}\nstderr: {}",
            text(&listed.stderr)
        ),
    }
}

fn assert_succeeded(output: &Output, what: &str) {
    assert!(
        output.status.success(),
        "{what} failed ({}):\nstdout: {}\nstderr: {}",
        output.status,
        text(&output.stdout),
        text(&output.stderr)
    );
}

fn read_png(path: &Path) -> RgbImage {
    let bytes = std::fs::read(path)
        .unwrap_or_else(|e| panic!("scanimage wrote no {}: {e}", path.display()));
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    image::load_from_memory_with_format(&bytes, image::ImageFormat::Png)
        .unwrap()
        .to_rgb8()
}

/// Whether two colours are the same up to JPEG's rounding.
fn close(pixel: Rgb<u8>, expected: [u8; 3]) -> bool {
    pixel
        .0
        .iter()
        .zip(expected)
        .all(|(got, want)| got.abs_diff(want) <= 40)
}

/// The size in pixels of the (first) region asked, at the resolution asked.
fn asked_pixels(asked: &RecordedScanSettings) -> (u32, u32) {
    let region = &asked.regions[0];
    let dpi = asked.x_resolution.unwrap();
    (
        region.width.unwrap() * dpi / 300,
        region.height.unwrap() * dpi / 300,
    )
}

fn only_settings(server: &EsclServer) -> RecordedScanSettings {
    let recorded = server.scan_settings();
    assert_eq!(
        recorded.len(),
        1,
        "one ScanSettings expected: {recorded:#?}"
    );
    recorded.into_iter().next().unwrap()
}

fn answered(server: &EsclServer, method: &str, suffix: &str, status: u16) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.method == method && r.path.ends_with(suffix) && r.status == status)
        .count()
}

#[test]
fn sane_airscan_scans_a_page_from_the_platen() {
    let server = EsclServer::start(EsclConfig::default());
    let config = sane_config(&server);
    let device = device_name(config.path());
    let out = config.path().join("platen.png");
    let scanned = scanimage(
        config.path(),
        &[
            "-d",
            &device,
            "--source",
            "Flatbed",
            "--mode",
            "Color",
            "--resolution",
            "75",
            "--format=png",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_succeeded(&scanned, "scanimage from the platen");

    let asked = only_settings(&server);
    assert_eq!(asked.input_source.as_deref(), Some("Platen"));
    assert_eq!(asked.color_mode.as_deref(), Some("RGB24"));
    assert_eq!(
        (asked.x_resolution, asked.y_resolution),
        (Some(75), Some(75))
    );
    assert_eq!(asked.document_format.as_deref(), Some("image/jpeg"));
    assert_eq!(
        asked.regions[0].units.as_deref(),
        Some("escl:ThreeHundredthsOfInches")
    );
    assert!(answered(&server, "GET", "/ScannerCapabilities", 200) >= 1);
    assert_eq!(answered(&server, "POST", "/ScanJobs", 201), 1);
    assert_eq!(answered(&server, "GET", "/NextDocument", 200), 1);
    let jobs = server.jobs();
    assert_eq!(jobs.len(), 1);
    assert_eq!(
        (jobs[0].pages_served, jobs[0].state.as_str()),
        (1, "Completed")
    );

    // The generated page has exactly the size asked, so sane-airscan neither cut nor padded it,
    // and its frame came through in colour.
    let png = read_png(&out);
    assert_eq!(png.dimensions(), asked_pixels(&asked));
    assert!(close(*png.get_pixel(5, 5), GENERATED_FRAME));
    let (w, h) = png.dimensions();
    assert!(close(*png.get_pixel(w / 2, h / 2), [255, 255, 255]));
}

#[test]
fn sane_airscan_scans_over_https_from_a_scanner_with_its_own_certificate() {
    let server = EsclServer::start(EsclConfig {
        tls: true,
        ..EsclConfig::default()
    });
    assert!(server.base_url().starts_with("https://"));
    let config = sane_config(&server);
    let device = device_name(config.path());
    let out = config.path().join("platen.png");
    let scanned = scanimage(
        config.path(),
        &[
            "-d",
            &device,
            "--resolution",
            "75",
            "--format=png",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_succeeded(&scanned, "scanimage over https");
    let asked = only_settings(&server);
    assert_eq!(answered(&server, "GET", "/NextDocument", 200), 1);
    assert_eq!(read_png(&out).dimensions(), asked_pixels(&asked));
}

#[test]
fn sane_airscan_scans_a_duplex_batch_through_a_busy_spell() {
    let colours = [[200, 30, 30], [30, 30, 200], [30, 150, 30]];
    let served: Vec<Vec<u8>> = colours
        .iter()
        .zip(1..)
        .map(|(colour, bars)| pages::jpeg_page(600, 800, *colour, bars))
        .collect();
    let server = EsclServer::start(EsclConfig {
        feeder_pages: served,
        busy_before_page: vec![0, 1],
        ..EsclConfig::default()
    });
    let config = sane_config(&server);
    let device = device_name(config.path());
    let pattern = config.path().join("side%d.png");
    let scanned = scanimage(
        config.path(),
        &[
            "-d",
            &device,
            "--source",
            "ADF Duplex",
            "--resolution",
            "75",
            "--format=png",
            &format!("--batch={}", pattern.display()),
        ],
    );
    assert_succeeded(&scanned, "scanimage batch from the feeder");

    let asked = only_settings(&server);
    assert_eq!(asked.input_source.as_deref(), Some("Feeder"));
    assert_eq!(asked.duplex, Some(true));
    assert_eq!(answered(&server, "GET", "/NextDocument", 503), 1);
    assert_eq!(answered(&server, "GET", "/NextDocument", 200), 3);
    assert_eq!(answered(&server, "GET", "/NextDocument", 404), 1);

    // Every side arrived in order; sane-airscan pads each to the region it asked for.
    let sides: Vec<PathBuf> = (1..=4)
        .map(|n| config.path().join(format!("side{n}.png")))
        .collect();
    assert!(!sides[3].exists(), "a fourth side appeared");
    for (side, colour) in sides.iter().zip(colours) {
        let png = read_png(side);
        assert_eq!(png.dimensions(), asked_pixels(&asked));
        assert!(close(*png.get_pixel(5, 5), colour), "{}", side.display());
    }
}

#[test]
fn sane_airscan_reports_an_empty_feeder() {
    let server = EsclServer::start(EsclConfig::default());
    let config = sane_config(&server);
    let device = device_name(config.path());
    let out = config.path().join("none.png");
    let scanned = scanimage(
        config.path(),
        &[
            "-d",
            &device,
            "--source",
            "ADF",
            "--format=png",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert!(
        !scanned.status.success(),
        "a scan from an empty feeder succeeded"
    );
    let stderr = text(&scanned.stderr);
    assert!(
        stderr.contains("Document feeder out of documents"),
        "stderr: {stderr}"
    );
    assert_eq!(answered(&server, "POST", "/ScanJobs", 409), 1);
    assert!(server.jobs().is_empty());
}
