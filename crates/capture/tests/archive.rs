//! The archive PDF checked with poppler's own tools: JPEG pages come out byte for byte
//! (`pdfimages -j` + compare), page sizes follow the scan resolution and rotation, the invisible
//! text layer is found by `pdftotext`, and the XMP metadata declares PDF/A-2b.

use std::path::Path;
use std::process::Command;

use hoso_capture::ImageFormat;
use hoso_capture::import::{ImportedPage, import};
use hoso_capture::pdf::{ArchiveInfo, ArchivePage, Content, Rotation, Word, archive_pdf};

fn jpeg(width: u32, height: u32, shade: u8, dpi: u16) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([shade, (x % 256) as u8, (y % 256) as u8])
    });
    let mut out = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
    encoder.set_pixel_density(image::codecs::jpeg::PixelDensity::dpi(dpi));
    encoder.encode_image(&img).unwrap();
    out
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::GrayImage::from_fn(width, height, |x, _| image::Luma([(x % 2 * 255) as u8]));
    let mut out = Vec::new();
    image::DynamicImage::from(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

fn run(dir: &Path, program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{program} must be installed (./x setup): {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn image_page<'a>(bytes: &'a [u8], format: ImageFormat, words: &'a [Word]) -> ArchivePage<'a> {
    let (width, height) = hoso_capture::import::dimensions(bytes, format).unwrap();
    ArchivePage {
        content: Content::Image {
            bytes,
            format,
            width,
            height,
            dpi: hoso_capture::analyse::dpi_of(bytes, format),
        },
        rotation: Rotation::None,
        deskew_degrees: 0.0,
        words,
    }
}

#[test]
fn jpeg_pages_are_embedded_byte_for_byte_with_sizes_from_their_resolution() {
    let dir = tempfile::tempdir().unwrap();
    let a4 = jpeg(620, 877, 200, 75); // A4 at 75 dpi
    let small = jpeg(300, 200, 90, 150); // 2 × 1.33 inches
    let lossless = png(100, 100);
    let words = [Word {
        text: "Nguyễn".into(),
        left: 100.0,
        top: 100.0,
        width: 120.0,
        height: 20.0,
    }];
    let mut rotated = image_page(&small, ImageFormat::Jpeg, &[]);
    rotated.rotation = Rotation::Quarter;
    let pages = [
        image_page(&a4, ImageFormat::Jpeg, &words),
        rotated,
        image_page(&lossless, ImageFormat::Png, &[]),
    ];
    let pdf = archive_pdf(
        &pages,
        &ArchiveInfo {
            title: "Hồ sơ H25.123-260302-0001".into(),
            author: None,
            subject: None,
            keywords: vec![],
            created: jiff::Timestamp::UNIX_EPOCH,
        },
    )
    .unwrap();
    std::fs::write(dir.path().join("archive.pdf"), &pdf).unwrap();

    run(dir.path(), "pdfimages", &["-j", "archive.pdf", "img"]);
    assert_eq!(std::fs::read(dir.path().join("img-000.jpg")).unwrap(), a4);
    assert_eq!(
        std::fs::read(dir.path().join("img-001.jpg")).unwrap(),
        small
    );
    assert!(
        dir.path().join("img-002.png").exists()
            || dir.path().join("img-002.ppm").exists()
            || dir.path().join("img-002.pbm").exists()
            || dir.path().join("img-002.pgm").exists()
    );

    let info = run(
        dir.path(),
        "pdfinfo",
        &["-f", "1", "-l", "3", "archive.pdf"],
    );
    assert!(info.contains("Pages:           3"), "{info}");
    // 620 px at 75 dpi = 595.2 pt; the quarter-turned page swaps its sides (144 × 96 pt).
    assert!(
        info.contains("Page    1 size:  595.2 x 841.92 pts"),
        "{info}"
    );
    assert!(info.contains("Page    2 size:  96 x 144 pts"), "{info}");

    let text = run(
        dir.path(),
        "pdftotext",
        &["-f", "1", "-l", "1", "archive.pdf", "-"],
    );
    assert!(
        text.contains("Nguyễn"),
        "the text layer is searchable: {text:?}"
    );

    let meta = run(dir.path(), "pdfinfo", &["-meta", "archive.pdf"]);
    assert!(meta.contains("<pdfaid:part>2</pdfaid:part>"), "{meta}");
    assert!(
        meta.contains("<pdfaid:conformance>B</pdfaid:conformance>"),
        "{meta}"
    );
}

#[test]
fn a_pdf_brought_in_keeps_its_pages_and_can_be_embedded_again() {
    let dir = tempfile::tempdir().unwrap();
    let page = jpeg(150, 200, 120, 100);
    let first = archive_pdf(
        &[
            image_page(&page, ImageFormat::Jpeg, &[]),
            image_page(&page, ImageFormat::Jpeg, &[]),
        ],
        &info(),
    )
    .unwrap();
    let imported = import(&first).unwrap();
    assert_eq!(imported.pages.len(), 2);
    let ImportedPage::PdfPage {
        width_pt,
        height_pt,
        ..
    } = imported.pages[0]
    else {
        panic!("{:?}", imported.pages[0]);
    };
    assert_eq!((width_pt.round(), height_pt.round()), (108.0, 144.0));

    let again = archive_pdf(
        &[ArchivePage {
            content: Content::PdfPage {
                file: &first,
                index: 1,
            },
            rotation: Rotation::None,
            deskew_degrees: 0.0,
            words: &[],
        }],
        &info(),
    )
    .unwrap();
    std::fs::write(dir.path().join("again.pdf"), &again).unwrap();
    let info = run(dir.path(), "pdfinfo", &["again.pdf"]);
    assert!(info.contains("Pages:           1"), "{info}");
    assert!(info.contains("108 x 144 pts"), "{info}");
}

#[test]
fn bad_files_are_refused_with_the_reason() {
    use hoso_capture::CaptureError;
    assert!(matches!(import(b""), Err(CaptureError::Empty)));
    assert!(matches!(
        import(b"just text, named scan.jpg"),
        Err(CaptureError::Unsupported)
    ));
    let whole = jpeg(64, 64, 10, 72);
    assert!(matches!(
        import(&whole[..200]),
        Err(CaptureError::Corrupt(_))
    ));
    assert!(matches!(
        import(b"%PDF-1.7\nnot really a pdf"),
        Err(CaptureError::Corrupt(_))
    ));
    let p = png(40, 40);
    assert!(matches!(
        import(&p[..p.len() - 20]),
        Err(CaptureError::Corrupt(_))
    ));
}

#[test]
fn a_tiff_bomb_is_refused_before_its_pixels_are_read() {
    // A 100 000 × 100 000 grey TIFF header with no real strip: 10 G pixels claimed.
    let mut tiff = Vec::new();
    tiff.extend_from_slice(b"II*\0");
    tiff.extend_from_slice(&8u32.to_le_bytes());
    let entries: [(u16, u16, u32, u32); 7] = [
        (256, 4, 1, 100_000), // width
        (257, 4, 1, 100_000), // height
        (258, 3, 1, 8),       // bits per sample
        (259, 3, 1, 1),       // no compression
        (262, 3, 1, 1),       // black is zero
        (273, 4, 1, 200),     // strip offset
        (279, 4, 1, 10),      // strip byte count
    ];
    tiff.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    for (tag, kind, count, value) in entries {
        tiff.extend_from_slice(&tag.to_le_bytes());
        tiff.extend_from_slice(&kind.to_le_bytes());
        tiff.extend_from_slice(&count.to_le_bytes());
        tiff.extend_from_slice(&value.to_le_bytes());
    }
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff.resize(210, 0);
    let started = std::time::Instant::now();
    let err = import(&tiff).unwrap_err();
    assert!(
        matches!(err, hoso_capture::CaptureError::TooLarge(_)),
        "{err:?}"
    );
    assert!(started.elapsed().as_millis() < 500);
}

#[test]
fn a_multi_page_tiff_becomes_lossless_png_pages() {
    let mut bytes = Vec::new();
    {
        let mut encoder =
            tiff::encoder::TiffEncoder::new(std::io::Cursor::new(&mut bytes)).unwrap();
        for shade in [10u8, 200] {
            let data = vec![shade; 30 * 20];
            encoder
                .write_image::<tiff::encoder::colortype::Gray8>(30, 20, &data)
                .unwrap();
        }
    }
    let imported = import(&bytes).unwrap();
    assert_eq!(imported.pages.len(), 2);
    for (page, shade) in imported.pages.iter().zip([10u8, 200]) {
        let ImportedPage::Image {
            bytes,
            format: ImageFormat::Png,
            width: 30,
            height: 20,
            ..
        } = page
        else {
            panic!("{page:?}");
        };
        let decoded = image::load_from_memory(bytes).unwrap().to_luma8();
        assert!(decoded.pixels().all(|p| p[0] == shade), "lossless");
    }
}

fn info() -> ArchiveInfo {
    ArchiveInfo {
        title: "Hồ sơ".into(),
        author: None,
        subject: None,
        keywords: vec![],
        created: jiff::Timestamp::UNIX_EPOCH,
    }
}
