//! The archive PDF checked with poppler's own tools: JPEG pages come out byte for byte
//! (`pdfimages -j` + compare), page sizes follow the scan resolution and rotation, pages are
//! drawn as the officer turned them (`pdftoppm` against the image turned), the invisible text
//! layer is found by `pdftotext` where the words are, the file's structure passes `qpdf
//! --check`, and the XMP metadata declares PDF/A-2b and says what the information dictionary
//! says.

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
    let (width, height) = hoso_capture::decode::dimensions(bytes, format).unwrap();
    ArchivePage {
        content: Content::Image {
            bytes,
            format,
            width,
            height,
            dpi: hoso_capture::decode::dpi_of(bytes, format),
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
fn a_pdf_brought_in_keeps_its_pages_and_is_drawn_into_a_pdf_a_archive() {
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
    let meta = run(dir.path(), "pdfinfo", &["-meta", "again.pdf"]);
    assert!(meta.contains("<pdfaid:part>2</pdfaid:part>"), "{meta}");
    let checked = run(dir.path(), "qpdf", &["--check", "again.pdf"]);
    assert!(
        checked.contains("No syntax or stream encoding errors"),
        "{checked}"
    );
    // A page that is one JPEG (a scan saved as PDF) keeps that JPEG byte for byte.
    run(dir.path(), "pdfimages", &["-j", "again.pdf", "kept"]);
    assert_eq!(
        std::fs::read(dir.path().join("kept-000.jpg")).unwrap(),
        page
    );
}

/// A one-page PDF of 108 × 144 pt drawn with vectors: a red square on white, a blue bar.
fn vector_pdf() -> Vec<u8> {
    use pdf_writer::{Content, Pdf, Rect, Ref};
    let mut pdf = Pdf::new();
    let (catalog, tree, page, content) = (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4));
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids([page]).count(1);
    pdf.page(page)
        .parent(tree)
        .media_box(Rect::new(0.0, 0.0, 108.0, 144.0))
        .contents(content);
    let mut draw = Content::new();
    draw.set_fill_rgb(0.9, 0.1, 0.1);
    draw.rect(18.0, 72.0, 54.0, 54.0);
    draw.fill_nonzero();
    draw.set_fill_rgb(0.1, 0.1, 0.9);
    draw.rect(0.0, 0.0, 108.0, 20.0);
    draw.fill_nonzero();
    pdf.stream(content, &draw.finish());
    pdf.finish()
}

#[test]
fn a_page_drawn_with_vectors_is_drawn_into_the_archive_at_300_dpi() {
    let dir = tempfile::tempdir().unwrap();
    let original = vector_pdf();
    let archive = archive_pdf(
        &[ArchivePage {
            content: Content::PdfPage {
                file: &original,
                index: 0,
            },
            rotation: Rotation::None,
            deskew_degrees: 0.0,
            words: &[],
        }],
        &info(),
    )
    .unwrap();
    std::fs::write(dir.path().join("original.pdf"), &original).unwrap();
    std::fs::write(dir.path().join("archive.pdf"), &archive).unwrap();
    let checked = run(dir.path(), "qpdf", &["--check", "archive.pdf"]);
    assert!(
        checked.contains("No syntax or stream encoding errors"),
        "{checked}"
    );
    let list = run(dir.path(), "pdfimages", &["-list", "archive.pdf"]);
    assert!(list.contains(" 450   600 "), "drawn at 300 dpi: {list}");
    // Drawn, the page looks as the imported one does (edges aside, where the two renderers
    // share a pixel out differently).
    for (pdf, prefix) in [("original.pdf", "was"), ("archive.pdf", "now")] {
        run(dir.path(), "pdftoppm", &["-r", "150", "-png", pdf, prefix]);
    }
    let was = image::open(dir.path().join("was-1.png")).unwrap().to_rgb8();
    let now = image::open(dir.path().join("now-1.png")).unwrap().to_rgb8();
    assert_eq!(was.dimensions(), now.dimensions());
    let off = was
        .pixels()
        .zip(now.pixels())
        .filter(|(a, b)| a.0.iter().zip(b.0).any(|(x, y)| x.abs_diff(y) > 24))
        .count();
    assert!(off * 50 < (was.len() / 3), "{off} pixels differ");
    assert!(
        was.get_pixel(30, 50)[0] > 180 && now.get_pixel(30, 50)[0] > 180,
        "the red square"
    );
}

#[test]
fn a_cmyk_jpeg_goes_into_the_archive_as_its_colours() {
    let dir = tempfile::tempdir().unwrap();
    // 40 × 60 px at 72 dpi, cyan over its top half, magenta below.
    let cmyk: Vec<u8> = (0..40 * 60)
        .flat_map(|i| {
            if i < 40 * 30 {
                [255, 0, 0, 0]
            } else {
                [0, 255, 0, 0]
            }
        })
        .collect();
    let mut bytes = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut bytes, 95);
    encoder.set_density(jpeg_encoder::PixelDensity {
        density: (72, 72),
        unit: jpeg_encoder::PixelDensityUnit::Inches,
    });
    encoder
        .encode(&cmyk, 40, 60, jpeg_encoder::ColorType::Cmyk)
        .unwrap();
    let pdf = archive_pdf(&[image_page(&bytes, ImageFormat::Jpeg, &[])], &info()).unwrap();
    std::fs::write(dir.path().join("cmyk.pdf"), &pdf).unwrap();
    let list = run(dir.path(), "pdfimages", &["-list", "cmyk.pdf"]);
    assert!(list.contains(" rgb ") && !list.contains("cmyk"), "{list}");
    run(
        dir.path(),
        "pdftoppm",
        &["-r", "72", "-png", "cmyk.pdf", "drawn"],
    );
    let drawn = image::open(dir.path().join("drawn-1.png"))
        .unwrap()
        .to_rgb8();
    let (top, bottom) = (drawn.get_pixel(20, 10), drawn.get_pixel(20, 50));
    assert!(
        top[0] < 100 && top[1] > 150 && top[2] > 150,
        "cyan: {top:?}"
    );
    assert!(
        bottom[0] > 150 && bottom[1] < 100 && bottom[2] > 150,
        "magenta: {bottom:?}"
    );
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

/// A 60 × 90 image at 72 dpi (a pixel is a point) whose corners tell every turn apart.
fn marked_png() -> (image::RgbImage, Vec<u8>) {
    let img = image::RgbImage::from_fn(60, 90, |x, y| match (x < 20, y < 20, x >= 40, y >= 70) {
        (true, true, _, _) => image::Rgb([220, 20, 20]),
        (_, _, true, true) => image::Rgb([20, 20, 220]),
        _ if y < 10 => image::Rgb([20, 160, 20]),
        _ => image::Rgb([250, 250, 250]),
    });
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, 60, 90);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_pixel_dims(Some(png::PixelDimensions {
        xppu: 2835,
        yppu: 2835,
        unit: png::Unit::Meter,
    }));
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(img.as_raw()).unwrap();
    writer.finish().unwrap();
    (img, out)
}

#[test]
fn pages_are_drawn_turned_as_shown_and_words_lie_where_they_were_read() {
    let dir = tempfile::tempdir().unwrap();
    let (img, bytes) = marked_png();
    // One word, read on the page as shown, in its pixels (= points here).
    let words = [Word {
        text: "Thạch".into(),
        left: 10.0,
        top: 30.0,
        width: 30.0,
        height: 12.0,
    }];
    for (rotation, turned) in [
        (Rotation::None, img.clone()),
        (Rotation::Quarter, image::imageops::rotate90(&img)),
        (Rotation::Half, image::imageops::rotate180(&img)),
        (Rotation::ThreeQuarters, image::imageops::rotate270(&img)),
    ] {
        let mut page = image_page(&bytes, ImageFormat::Png, &words);
        page.rotation = rotation;
        let pdf = archive_pdf(&[page], &info()).unwrap();
        std::fs::write(dir.path().join("turned.pdf"), &pdf).unwrap();
        let checked = run(dir.path(), "qpdf", &["--check", "turned.pdf"]);
        assert!(
            checked.contains("No syntax or stream encoding errors"),
            "{checked}"
        );

        run(
            dir.path(),
            "pdftoppm",
            &["-r", "72", "-png", "turned.pdf", "drawn"],
        );
        let drawn = image::open(dir.path().join("drawn-1.png"))
            .unwrap()
            .to_rgb8();
        assert_eq!(drawn.dimensions(), turned.dimensions(), "{rotation:?}");
        let off = drawn
            .pixels()
            .zip(turned.pixels())
            .filter(|(a, b)| a.0.iter().zip(b.0).any(|(x, y)| x.abs_diff(y) > 40))
            .count();
        assert!(
            off * 50 < turned.len() / 3,
            "{rotation:?}: {off} pixels differ from the image turned"
        );

        // pdftotext gives the word's box in points from the top-left corner of the page.
        let html = run(dir.path(), "pdftotext", &["-bbox", "turned.pdf", "-"]);
        let line = html
            .lines()
            .find(|l| l.contains(">Thạch<"))
            .unwrap_or_else(|| panic!("{rotation:?}: the word is not in the text: {html}"));
        let number = |key: &str| -> f32 {
            let rest = &line[line.find(&format!("{key}=\"")).unwrap() + key.len() + 2..];
            rest[..rest.find('"').unwrap()].parse().unwrap()
        };
        let (x_min, y_min, x_max, y_max) = (
            number("xMin"),
            number("yMin"),
            number("xMax"),
            number("yMax"),
        );
        assert!(
            (x_min - 10.0).abs() < 1.0 && (x_max - 40.0).abs() < 1.0,
            "{rotation:?}: {line}"
        );
        assert!(
            y_min < 42.0 && y_max > 30.0 && y_max - y_min < 20.0,
            "{rotation:?}: {line}"
        );
    }
}

#[test]
fn an_archive_of_scans_is_pdf_a_in_its_metadata_and_its_information_alike() {
    let dir = tempfile::tempdir().unwrap();
    let grey = {
        let img = image::GrayImage::from_fn(200, 300, |x, y| image::Luma([((x + y) % 256) as u8]));
        let mut out = Vec::new();
        let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
        encoder.set_pixel_density(image::codecs::jpeg::PixelDensity::dpi(100));
        encoder.encode_image(&img).unwrap();
        out
    };
    let colour = jpeg(300, 200, 120, 150);
    let mut skewed = image_page(&colour, ImageFormat::Jpeg, &[]);
    skewed.deskew_degrees = 1.5;
    let pages = [image_page(&grey, ImageFormat::Jpeg, &[]), skewed];
    let pdf = archive_pdf(
        &pages,
        &ArchiveInfo {
            title: "Hồ sơ H25.123-260302-0001".into(),
            author: Some("UBND xã Thạch Hà".into()),
            subject: Some("Đăng ký khai sinh".into()),
            keywords: vec!["H25.123-260302-0001".into(), "1.001193".into()],
            created: "2026-03-02T02:30:00Z".parse().unwrap(),
        },
    )
    .unwrap();
    std::fs::write(dir.path().join("a.pdf"), &pdf).unwrap();
    let checked = run(dir.path(), "qpdf", &["--check", "a.pdf"]);
    assert!(
        checked.contains("No syntax or stream encoding errors"),
        "{checked}"
    );

    run(dir.path(), "pdfimages", &["-j", "a.pdf", "img"]);
    assert_eq!(std::fs::read(dir.path().join("img-000.jpg")).unwrap(), grey);
    assert_eq!(
        std::fs::read(dir.path().join("img-001.jpg")).unwrap(),
        colour
    );
    let list = run(dir.path(), "pdfimages", &["-list", "a.pdf"]);
    assert!(list.contains(" gray ") && list.contains(" rgb "), "{list}");

    let info = run(dir.path(), "pdfinfo", &["a.pdf"]);
    for expected in [
        "Title:           Hồ sơ H25.123-260302-0001",
        "Author:          UBND xã Thạch Hà",
        "Subject:         Đăng ký khai sinh",
        "Keywords:        H25.123-260302-0001, 1.001193",
        "Producer:        Hồ Sơ Số",
        "PDF version:     1.7",
        "Pages:           2",
    ] {
        assert!(info.contains(expected), "{expected:?} in {info}");
    }
    let meta = run(dir.path(), "pdfinfo", &["-meta", "a.pdf"]);
    for expected in [
        "<pdfaid:part>2</pdfaid:part>",
        "<pdfaid:conformance>B</pdfaid:conformance>",
        "Hồ sơ H25.123-260302-0001</rdf:li>",
        "UBND xã Thạch Hà</rdf:li>",
        "Đăng ký khai sinh</rdf:li>",
        "<pdf:Keywords>H25.123-260302-0001, 1.001193</pdf:Keywords>",
        "<pdf:Producer>Hồ Sơ Số</pdf:Producer>",
        "<xmp:CreatorTool>Hồ Sơ Số</xmp:CreatorTool>",
        "<xmp:CreateDate>2026-03-02T09:30:00+07:00</xmp:CreateDate>",
    ] {
        assert!(meta.contains(expected), "{expected:?} in {meta}");
    }
    // The dates of the information dictionary are the same moment.
    let raw = String::from_utf8_lossy(&pdf);
    assert!(
        raw.contains("/CreationDate (D:20260302093000+07'00)"),
        "creation date"
    );
    assert!(raw.contains("/OutputIntents") && raw.contains("/GTS_PDFA1"));
}
