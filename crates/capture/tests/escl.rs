//! The eSCL client against the loopback fake scanner (`hoso-fakes`), which speaks the real
//! protocol and records what it was asked.

use std::net::TcpListener;
use std::time::{Duration, Instant};

use hoso_capture::escl::{EsclBackend, Timing, device_id};
use hoso_capture::{
    Backend, CaptureError, ColourMode, Feed, ImageFormat, ScanSettings, ScannedPage, Scanner,
};
use hoso_fakes::{EsclConfig, EsclServer, RecordedScanSettings, pages};

/// Short pauses so the retry tests take tens of milliseconds, not seconds.
fn quick() -> Timing {
    Timing {
        first_pause: Duration::from_millis(20),
        max_pause: Duration::from_millis(100),
        busy_budget: Duration::from_secs(1),
        ..Timing::default()
    }
}

fn backend(urls: &[String]) -> EsclBackend {
    EsclBackend::new(urls).unwrap().with_timing(quick())
}

fn open(server: &EsclServer) -> Box<dyn Scanner> {
    backend(&[server.base_url()])
        .open(&device_id(&server.base_url()))
        .unwrap()
}

fn settings(feed: Feed, resolution: u32, mode: ColourMode) -> ScanSettings {
    ScanSettings {
        feed,
        resolution,
        mode,
    }
}

/// Scans and collects the pages, whatever the outcome.
fn scan(
    scanner: &mut dyn Scanner,
    settings: &ScanSettings,
) -> (Result<u32, CaptureError>, Vec<ScannedPage>) {
    let mut pages = Vec::new();
    let result = scanner.scan(settings, &mut |page| {
        pages.push(page);
        Ok(())
    });
    (result, pages)
}

/// Three small pages, told apart by colour and bars.
fn three_pages() -> Vec<Vec<u8>> {
    vec![
        pages::jpeg_page(120, 170, [200, 30, 30], 1),
        pages::jpeg_page(120, 170, [30, 30, 200], 2),
        pages::jpeg_page(120, 170, [30, 150, 30], 3),
    ]
}

fn only_settings(server: &EsclServer) -> RecordedScanSettings {
    let recorded = server.scan_settings();
    assert_eq!(recorded.len(), 1, "one job expected: {recorded:#?}");
    recorded.into_iter().next().unwrap()
}

fn count(server: &EsclServer, method: &str, suffix: &str, status: u16) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.method == method && r.path.ends_with(suffix) && r.status == status)
        .count()
}

/// An address on loopback where nothing listens.
fn dead_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}/eSCL")
}

#[test]
fn devices_reads_the_capabilities() {
    let server = EsclServer::start(EsclConfig::default());
    let devices = backend(&[format!("{}/", server.base_url())])
        .devices()
        .unwrap();
    assert_eq!(devices.len(), 1);
    let device = &devices[0];
    assert_eq!(device.id, format!("escl:{}", server.base_url()));
    assert_eq!(device.name, "HoSo FakeScan 3000");
    assert_eq!(device.feeds, vec![Feed::Flatbed, Feed::Adf, Feed::Duplex]);
    assert_eq!(device.resolutions, vec![75, 100, 150, 200, 300, 600]);

    let caps = backend(&[]).capabilities(&server.base_url()).unwrap();
    assert_eq!(caps.version.as_deref(), Some("2.63"));
    assert_eq!(caps.manufacturer.as_deref(), Some("HoSo"));
    for feed in [Feed::Flatbed, Feed::Adf, Feed::Duplex] {
        let source = caps.source(feed).unwrap();
        assert_eq!(
            source.colour_modes,
            vec![ColourMode::Lineart, ColourMode::Gray, ColourMode::Color]
        );
        assert_eq!(source.formats, vec!["image/jpeg", "application/pdf"]);
        assert!(source.format_ext);
        assert!(source.intents.iter().any(|i| i == "Document"));
    }
    assert_eq!(caps.platen.as_ref().unwrap().max_height, Some(3508));
}

#[test]
fn a_platen_scan_returns_the_served_jpeg_byte_for_byte() {
    let page = pages::jpeg_page(210, 297, [10, 90, 160], 2);
    let server = EsclServer::start(EsclConfig {
        platen_pages: vec![page.clone()],
        ..EsclConfig::default()
    });
    let mut scanner = open(&server);
    let (result, got) = scan(scanner.as_mut(), &ScanSettings::default());
    assert_eq!(result.unwrap(), 1);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].bytes, page);
    assert_eq!(got[0].format, ImageFormat::Jpeg);
    assert_eq!(got[0].dpi, Some(300));

    let asked = only_settings(&server);
    assert_eq!(asked.version.as_deref(), Some("2.63"));
    assert_eq!(asked.input_source.as_deref(), Some("Platen"));
    assert_eq!(asked.duplex, None);
    assert_eq!(asked.color_mode.as_deref(), Some("RGB24"));
    assert_eq!(
        (asked.x_resolution, asked.y_resolution),
        (Some(300), Some(300))
    );
    assert_eq!(asked.document_format.as_deref(), Some("image/jpeg"));
    assert_eq!(asked.document_format_ext.as_deref(), Some("image/jpeg"));
    assert_eq!(asked.intent.as_deref(), Some("Document"));
    let region = &asked.regions[0];
    assert_eq!(
        region.units.as_deref(),
        Some("escl:ThreeHundredthsOfInches")
    );
    assert_eq!((region.x_offset, region.y_offset), (Some(0), Some(0)));
    assert_eq!((region.width, region.height), (Some(2480), Some(3508)));

    let jobs = server.jobs();
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].state, "Completed");
    assert_eq!(count(&server, "DELETE", &jobs[0].uuid, 200), 1);
}

#[test]
fn a_feeder_scan_waits_out_a_busy_device_and_keeps_page_order() {
    let served = three_pages();
    let server = EsclServer::start(EsclConfig {
        feeder_pages: served.clone(),
        busy_before_page: vec![0, 1],
        ..EsclConfig::default()
    });
    let mut scanner = open(&server);
    let (result, got) = scan(
        scanner.as_mut(),
        &settings(Feed::Adf, 300, ColourMode::Color),
    );
    assert_eq!(result.unwrap(), 3);
    let bytes: Vec<_> = got.iter().map(|p| p.bytes.clone()).collect();
    assert_eq!(bytes, served);
    assert_eq!(count(&server, "GET", "/NextDocument", 503), 1);
    assert_eq!(count(&server, "GET", "/NextDocument", 200), 3);
    assert_eq!(count(&server, "GET", "/NextDocument", 404), 1);

    let asked = only_settings(&server);
    assert_eq!(asked.input_source.as_deref(), Some("Feeder"));
    assert_eq!(asked.duplex, Some(false));
    assert_eq!(server.jobs()[0].state, "Completed");
}

#[test]
fn an_empty_feeder_is_feeder_empty() {
    let server = EsclServer::start(EsclConfig::default());
    let mut scanner = open(&server);
    let (result, got) = scan(
        scanner.as_mut(),
        &settings(Feed::Adf, 300, ColourMode::Color),
    );
    assert!(
        matches!(result, Err(CaptureError::FeederEmpty)),
        "{result:?}"
    );
    assert!(got.is_empty());
    // The status said so before any job was made.
    assert!(server.jobs().is_empty());
}

#[test]
fn a_jam_before_the_first_page_is_a_device_fault() {
    let server = EsclServer::start(EsclConfig {
        feeder_pages: three_pages(),
        jam_after: Some(0),
        ..EsclConfig::default()
    });
    let mut scanner = open(&server);
    let (result, got) = scan(
        scanner.as_mut(),
        &settings(Feed::Adf, 300, ColourMode::Color),
    );
    match result {
        Err(CaptureError::DeviceFault(why)) => assert!(why.contains("jam"), "{why}"),
        other => panic!("expected a device fault, got {other:?}"),
    }
    assert!(got.is_empty());
}

#[test]
fn a_jam_mid_batch_keeps_the_pages_so_far_and_is_a_device_fault() {
    let served = three_pages();
    let server = EsclServer::start(EsclConfig {
        feeder_pages: served.clone(),
        jam_after: Some(1),
        ..EsclConfig::default()
    });
    let mut scanner = open(&server);
    let (result, got) = scan(
        scanner.as_mut(),
        &settings(Feed::Duplex, 300, ColourMode::Color),
    );
    match result {
        Err(CaptureError::DeviceFault(why)) => assert!(why.contains("jam"), "{why}"),
        other => panic!("expected a device fault, got {other:?}"),
    }
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].bytes, served[0]);
    assert_eq!(count(&server, "GET", "/NextDocument", 409), 1);
    assert_eq!(server.jobs()[0].state, "Aborted");
}

#[test]
fn an_unreachable_scanner_is_not_listed_and_does_not_open() {
    let server = EsclServer::start(EsclConfig::default());
    let dead = dead_url();
    let backend = backend(&[dead.clone(), server.base_url()]);
    let started = Instant::now();
    let devices = backend.devices().unwrap();
    assert_eq!(devices.len(), 1);
    assert_eq!(devices[0].id, device_id(&server.base_url()));
    assert!(started.elapsed() < Duration::from_secs(5));

    match backend.open(&device_id(&dead)) {
        Err(CaptureError::DeviceUnavailable(why)) => {
            assert!(why.contains("no connection"), "{why}");
            assert!(why.contains("127.0.0.1"), "{why}");
        }
        Err(other) => panic!("expected DeviceUnavailable, got {other:?}"),
        Ok(_) => panic!("a dead address opened"),
    }
    assert!(matches!(
        backend.open("sane:test:0"),
        Err(CaptureError::DeviceUnavailable(_))
    ));
}

#[test]
fn duplex_resolution_and_mode_are_asked_as_set() {
    let server = EsclServer::start(EsclConfig {
        feeder_pages: three_pages(),
        ..EsclConfig::default()
    });
    let mut scanner = open(&server);
    let (result, got) = scan(
        scanner.as_mut(),
        &settings(Feed::Duplex, 150, ColourMode::Gray),
    );
    assert_eq!(result.unwrap(), 3);
    assert!(got.iter().all(|p| p.dpi == Some(150)));
    let asked = only_settings(&server);
    assert_eq!(asked.input_source.as_deref(), Some("Feeder"));
    assert_eq!(asked.duplex, Some(true));
    assert_eq!(asked.color_mode.as_deref(), Some("Grayscale8"));
    assert_eq!(
        (asked.x_resolution, asked.y_resolution),
        (Some(150), Some(150))
    );
    assert!(asked.xml.contains("<scan:Duplex>true</scan:Duplex>"));
}

#[test]
fn lineart_and_an_unlisted_resolution_map_to_what_the_device_offers() {
    let server = EsclServer::start(EsclConfig::default());
    let mut scanner = open(&server);
    let (result, got) = scan(
        scanner.as_mut(),
        &settings(Feed::Flatbed, 250, ColourMode::Lineart),
    );
    assert_eq!(result.unwrap(), 1);
    assert_eq!(got[0].dpi, Some(300));
    let asked = only_settings(&server);
    assert_eq!(asked.color_mode.as_deref(), Some("BlackAndWhite1"));
    assert_eq!(
        (asked.x_resolution, asked.y_resolution),
        (Some(300), Some(300))
    );
}

#[test]
fn an_absolute_location_and_a_busy_device_are_handled() {
    let server = EsclServer::start(EsclConfig {
        platen_pages: vec![pages::png_page(50, 70, [0, 0, 0], 1)],
        absolute_location: true,
        busy_before_job: 2,
        ..EsclConfig::default()
    });
    let mut scanner = open(&server);
    let (result, got) = scan(scanner.as_mut(), &ScanSettings::default());
    assert_eq!(result.unwrap(), 1);
    assert_eq!(got[0].format, ImageFormat::Png);
    assert_eq!(count(&server, "POST", "/ScanJobs", 503), 2);
    assert_eq!(count(&server, "POST", "/ScanJobs", 201), 1);
}

#[test]
fn a_device_that_stays_busy_ends_as_busy_and_the_job_is_cancelled() {
    let server = EsclServer::start(EsclConfig {
        feeder_pages: three_pages(),
        busy_before_page: vec![1_000],
        ..EsclConfig::default()
    });
    let mut scanner = open(&server);
    let started = Instant::now();
    let (result, got) = scan(
        scanner.as_mut(),
        &settings(Feed::Adf, 300, ColourMode::Color),
    );
    assert!(
        matches!(result, Err(CaptureError::DeviceBusy)),
        "{result:?}"
    );
    assert!(got.is_empty());
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(server.jobs()[0].state, "Canceled");
}

#[test]
fn an_error_from_the_receiver_stops_and_cancels_the_job() {
    let server = EsclServer::start(EsclConfig {
        feeder_pages: three_pages(),
        ..EsclConfig::default()
    });
    let mut scanner = open(&server);
    let mut received = 0;
    let result = scanner.scan(&settings(Feed::Adf, 300, ColourMode::Color), &mut |_| {
        received += 1;
        Err(CaptureError::Cancelled)
    });
    assert!(matches!(result, Err(CaptureError::Cancelled)), "{result:?}");
    assert_eq!(received, 1);
    assert_eq!(server.jobs()[0].state, "Canceled");
}

#[test]
fn only_http_and_https_addresses_are_taken() {
    assert!(EsclBackend::new(["https://192.168.1.20/eSCL"]).is_ok());
    assert!(EsclBackend::new(["http://192.168.1.20/eSCL"]).is_ok());
    assert!(EsclBackend::new(["ftp://192.168.1.20/eSCL"]).is_err());
    assert!(EsclBackend::new(["192.168.1.20"]).is_err());
}

#[test]
fn a_scanner_speaking_https_with_its_own_certificate_scans_byte_for_byte() {
    let served = three_pages();
    let server = EsclServer::start(EsclConfig {
        feeder_pages: served.clone(),
        tls: true,
        ..EsclConfig::default()
    });
    assert!(server.base_url().starts_with("https://"));
    let devices = backend(&[server.base_url()]).devices().unwrap();
    assert_eq!(devices[0].id, device_id(&server.base_url()));
    let mut scanner = open(&server);
    let (result, got) = scan(
        scanner.as_mut(),
        &settings(Feed::Adf, 300, ColourMode::Color),
    );
    assert_eq!(result.unwrap(), 3);
    let bytes: Vec<Vec<u8>> = got.into_iter().map(|p| p.bytes).collect();
    assert_eq!(bytes, served);
    // The same scanner asked in plain HTTP does not answer as a scanner.
    let plain = server.base_url().replacen("https://", "http://", 1);
    assert!(backend(&[plain]).devices().unwrap().is_empty());
}

#[test]
fn a_scanner_announcing_itself_on_the_network_is_found_by_its_escl_root() {
    use hoso_capture::escl::{SERVICE_TYPE, discover};
    let server = EsclServer::start(EsclConfig::default());
    let port = server.address().port();
    // The scanner's own announcement, as an MFP makes it: multicast DNS, its resource path in
    // the TXT record (with a slash, as some devices write it).
    let announcer = mdns_sd::ServiceDaemon::new().unwrap();
    announcer
        .enable_interface(mdns_sd::IfKind::LoopbackV4)
        .unwrap();
    let info = mdns_sd::ServiceInfo::new(
        SERVICE_TYPE,
        &format!("Fake MFP {port}"),
        "fake-mfp.local.",
        "127.0.0.1",
        port,
        &[("rs", "/eSCL"), ("ty", "Fake MFP")][..],
    )
    .unwrap();
    announcer.register(info).unwrap();
    // And one that speaks only HTTPS, announced as such.
    let secure = EsclServer::start(EsclConfig {
        tls: true,
        ..EsclConfig::default()
    });
    let secure_port = secure.address().port();
    let info = mdns_sd::ServiceInfo::new(
        hoso_capture::escl::TLS_SERVICE_TYPE,
        &format!("Fake MFP {secure_port}"),
        "fake-mfp-tls.local.",
        "127.0.0.1",
        secure_port,
        &[("rs", "eSCL"), ("ty", "Fake MFP")][..],
    )
    .unwrap();
    announcer.register(info).unwrap();
    let found = discover(Duration::from_secs(3));
    let _ = announcer.shutdown();
    assert!(found.contains(&server.base_url()), "{found:?}");
    assert!(found.contains(&secure.base_url()), "{found:?}");
    // What was found is a working address.
    let devices = backend(&[server.base_url()]).devices().unwrap();
    assert_eq!(devices[0].id, device_id(&server.base_url()));
}
