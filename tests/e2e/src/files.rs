//! Files in and out of the window: pages of Vietnamese text as a scanner's JPEG, files dropped
//! on the window as if dragged from a folder, and the PDFs the app prints, read with Poppler
//! (`pdfinfo`, `pdftoppm`) and ZBar (`zbarimg`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::DEADLINE;
use crate::window::Window;

/// Waits for the `n`th print to be finished in `dir`; the app's log (in `data`) says why not.
pub async fn printed(dir: &Path, n: u32, data: &Path) -> PathBuf {
    let path = dir.join(format!("print-{n}.pdf"));
    let started = Instant::now();
    while !path.exists() {
        assert!(
            started.elapsed() < DEADLINE,
            "print {n} did not come out: {} {:?}",
            std::fs::read_to_string(data.join("tauri-driver.log")).unwrap_or_default(),
            std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    path
}

/// A PDF's page count and its first page's size in points, rounded, from Poppler's `pdfinfo`.
pub fn paper(pdf: &Path) -> (u32, u32, u32) {
    let out = Command::new("pdfinfo").arg(pdf).output().unwrap();
    let info = String::from_utf8_lossy(&out.stdout).into_owned();
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(name))
            .unwrap_or_else(|| panic!("{name} in {info}"))
            .trim()
            .to_owned()
    };
    let pages = field("Pages:").parse().unwrap();
    let size = field("Page size:");
    let numbers: Vec<f64> = size
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    (pages, numbers[0].round() as u32, numbers[1].round() as u32)
}

/// The QR code on a PDF's first page, drawn by Poppler and read by ZBar.
pub fn qr_on(pdf: &Path) -> String {
    let dir = tempfile::tempdir().unwrap();
    let drawn = Command::new("pdftoppm")
        .args(["-r", "150", "-png", "-singlefile", "-f", "1"])
        .arg(pdf)
        .arg(dir.path().join("page"))
        .status()
        .unwrap();
    assert!(drawn.success());
    let out = Command::new("zbarimg")
        .args(["--quiet", "--raw"])
        .arg(dir.path().join("page.png"))
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// An A4 page of Vietnamese text at 200 dpi (JPEG) and the words printed on it.
pub fn text_page() -> (Vec<u8>, String) {
    let page = hoso_capture::testpages::document_page(&hoso_capture::testpages::PageOptions {
        seed: 7,
        dpi: 200,
        skew_degrees: 0.5,
        ..Default::default()
    })
    .unwrap();
    let mut jpeg = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85);
    encoder.set_pixel_density(image::codecs::jpeg::PixelDensity::dpi(200));
    encoder.encode_image(&page.image).unwrap();
    (jpeg, page.truth)
}

/// A page of Vietnamese text as a scanner's JPEG, different for each seed.
pub fn scanned_page(seed: u64) -> Vec<u8> {
    let page = hoso_capture::testpages::document_page(&hoso_capture::testpages::PageOptions {
        seed,
        dpi: 150,
        ..Default::default()
    })
    .unwrap();
    let mut jpeg = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 80);
    encoder.set_pixel_density(image::codecs::jpeg::PixelDensity::dpi(150));
    encoder.encode_image(&page.image).unwrap();
    jpeg
}

/// A file dragged from a folder and dropped on the element `onto` (the events a drop makes).
pub async fn drop_file(window: &Window, onto: &str, name: &str, bytes: Vec<u8>) {
    let bytes: Vec<serde_json::Value> = bytes.into_iter().map(Into::into).collect();
    window
        .client
        .execute(
            "const data = new DataTransfer();
             data.items.add(new File([new Uint8Array(arguments[0])], arguments[1], { type: 'image/jpeg' }));
             const onto = document.getElementById(arguments[2]);
             for (const kind of ['dragenter', 'dragover', 'drop']) {
                 onto.dispatchEvent(new DragEvent(kind, { bubbles: true, cancelable: true, dataTransfer: data }));
             }",
            vec![serde_json::Value::Array(bytes), name.into(), onto.into()],
        )
        .await
        .unwrap();
}
