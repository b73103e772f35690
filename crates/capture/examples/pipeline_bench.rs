//! How fast is the desk's digitisation pipeline next to the tools an officer would otherwise
//! use on the same files, run side by side on this machine?
//!
//! ```text
//! cargo run --release -p hoso-capture --features testpages --example pipeline_bench -- \
//!     [--pages N] [--runs R] [--thumb-runs T] [--distinct D] [--keep DIR]
//! ```
//!
//! Writes N (default 200) A4 pages scanned at 300 dpi as JPEG files (quality 85, JFIF density
//! 300 dpi) into a temporary directory, or DIR with `--keep`. Rendering a 300-dpi test page and
//! encoding it takes about a second, so only D (default 10) distinct pages are rendered (every
//! third one in colour, with a red stamp) and each file is one of them with a JPEG comment
//! naming its copy: every file has different bytes (no PDF writer can share one image between
//! pages) and the same kind of content as a real batch.
//!
//! Then it times, alternating the two so that a busy machine slows both alike:
//!
//! 1. **PDF assembly**: `img2pdf -o out.pdf p000.jpg …` against [`write_archive_pdf`] over the
//!    same files, reading them from disk and writing the PDF to disk inside the timing, as
//!    img2pdf does (neither flushes the file to disk). One untimed run of each first; then R runs (default 3), median, ratio ours/img2pdf.
//!    Both PDFs are checked once with `pdfinfo` to have N pages.
//! 2. **Thumbnail**: `pdftoppm -jpeg -scale-to 200 -f 1 -l 1 one.pdf thumb` on a one-page PDF
//!    made by img2pdf from one page (what a viewer does to show a scanned page small) against
//!    [`analyse_image`] on the page's file (the desk's whole fast look: thumbnail, blank, colour,
//!    QR, hash, skew), and against the thumbnail alone ([`reduced_jpeg`], resize, JPEG), each
//!    reading the file inside the timing. T runs (default 20), median, on a grey and a colour
//!    page. To tell where our time goes, the reduced decode, the analysis of its pixels and the
//!    skew estimate within it are also timed apart.
//!
//! Lines starting with `SUMMARY` (tab-separated: measure, ours, reference, ratio, goal,
//! verdict) are what `bench/digitisation.sh` gathers into its table.

use std::error::Error;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use hoso_capture::ImageFormat;
use hoso_capture::analyse::{
    ANALYSIS_LONG_SIDE, THUMBNAIL_WIDTH, analyse_image, analyse_pixels, estimate_skew,
};
use hoso_capture::decode::{dimensions, dpi_of, reduced_jpeg};
use hoso_capture::import::read_limited;
use std::io::Write as _;

use hoso_capture::pdf::{ArchiveInfo, ArchivePage, Content, Rotation, write_archive_pdf};
use image::codecs::jpeg::JpegEncoder;

/// The goals: ours at most half of img2pdf's time, and a fifth of pdftoppm's.
const PDF_GOAL: f64 = 0.5;
const THUMB_GOAL: f64 = 0.2;

struct Args {
    pages: usize,
    runs: usize,
    thumb_runs: usize,
    distinct: usize,
    keep: Option<PathBuf>,
}

fn parse_args() -> Result<Args, Box<dyn Error>> {
    let mut args = Args {
        pages: 200,
        runs: 3,
        thumb_runs: 20,
        distinct: 10,
        keep: None,
    };
    let mut rest = std::env::args().skip(1);
    while let Some(arg) = rest.next() {
        let mut number = |name: &str| -> Result<usize, Box<dyn Error>> {
            let value = rest.next().ok_or(format!("{name} needs a number"))?;
            let n: usize = value
                .parse()
                .map_err(|_| format!("{name}: not a number: {value}"))?;
            if n == 0 {
                return Err(format!("{name} must be at least 1").into());
            }
            Ok(n)
        };
        match arg.as_str() {
            "--pages" => args.pages = number("--pages")?,
            "--runs" => args.runs = number("--runs")?,
            "--thumb-runs" => args.thumb_runs = number("--thumb-runs")?,
            "--distinct" => args.distinct = number("--distinct")?,
            "--keep" => args.keep = Some(rest.next().ok_or("--keep needs a directory")?.into()),
            other => return Err(format!("unknown argument: {other}").into()),
        }
    }
    // Page 2 is the colour page the thumbnail part measures.
    args.distinct = args.distinct.clamp(3, args.pages.max(3));
    Ok(args)
}

fn main() -> Result<(), Box<dyn Error>> {
    let args = parse_args()?;
    for tool in ["img2pdf", "pdfinfo", "pdftoppm"] {
        if Command::new(tool)
            .arg("-v")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_err()
        {
            return Err(
                format!("{tool} is not installed (apt-get install img2pdf poppler-utils)").into(),
            );
        }
    }

    let temp = tempfile::tempdir()?;
    let dir = args.keep.clone().unwrap_or_else(|| temp.path().to_owned());
    std::fs::create_dir_all(&dir)?;

    let started = Instant::now();
    let distinct = hoso_capture::testpages::scanner_jpegs(args.distinct)?;
    let mut files = Vec::with_capacity(args.pages);
    let mut total_bytes = 0usize;
    for i in 0..args.pages {
        let bytes = hoso_capture::testpages::with_comment(
            &distinct[i % distinct.len()],
            &format!("hoso bench copy {i}"),
        );
        let path = dir.join(format!("p{i:03}.jpg"));
        std::fs::write(&path, &bytes)?;
        total_bytes += bytes.len();
        files.push(path);
    }
    let (w, h) = dimensions(&distinct[0], ImageFormat::Jpeg)?;
    println!(
        "setup: {} pages of {w}×{h} px at {} dpi ({} distinct), {:.0} MB of JPEG, in {:.1} s",
        args.pages,
        dpi_of(&distinct[0], ImageFormat::Jpeg).unwrap_or(0),
        distinct.len(),
        total_bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );

    pdf_assembly(&args, &dir, &files)?;
    thumbnails(&args, &dir, &files)?;
    if args.keep.is_some() {
        println!("files kept in {}", dir.display());
    }
    Ok(())
}

/// Part 1: the same files into one PDF, by img2pdf and by the desk.
fn pdf_assembly(args: &Args, dir: &Path, files: &[PathBuf]) -> Result<(), Box<dyn Error>> {
    let theirs_pdf = dir.join("img2pdf.pdf");
    let ours_pdf = dir.join("ours.pdf");
    // Untimed: warms the caches (Python's modules for img2pdf) and checks both PDFs.
    img2pdf(files, &theirs_pdf)?;
    ours(files, &ours_pdf)?;
    for (name, pdf) in [("img2pdf", &theirs_pdf), ("ours", &ours_pdf)] {
        let pages = pdf_pages(pdf)?;
        if pages != files.len() {
            return Err(
                format!("{name}: {pages} pages in the PDF, {} expected", files.len()).into(),
            );
        }
        println!(
            "{name}: {pages} pages, {:.1} MB (pdfinfo)",
            std::fs::metadata(pdf)?.len() as f64 / 1e6
        );
    }
    let mut theirs_times = Vec::new();
    let mut ours_times = Vec::new();
    let (mut reads, mut assemblies) = (Vec::new(), Vec::new());
    for _ in 0..args.runs {
        theirs_times.push(img2pdf(files, &theirs_pdf)?);
        let phases = ours(files, &ours_pdf)?;
        ours_times.push(phases.total);
        reads.push(phases.read);
        assemblies.push(phases.assemble);
    }
    let theirs = median(&mut theirs_times);
    let ours = median(&mut ours_times);
    println!();
    println!(
        "PDF assembly, {} pages, median of {} runs (each: {} / {})",
        files.len(),
        args.runs,
        list_ms(&theirs_times),
        list_ms(&ours_times)
    );
    println!("  img2pdf           {:>9.1} ms", ms(theirs));
    println!("  write_archive_pdf {:>9.1} ms", ms(ours));
    println!(
        "    apart (medians): reading the files {:.1} ms, assembling and writing the PDF {:.1} ms",
        ms(median(&mut reads)),
        ms(median(&mut assemblies)),
    );
    summary(
        &format!("PDF assembly, {} pages", files.len()),
        ours,
        &format!("img2pdf {:.0} ms", ms(theirs)),
        ms(ours) / ms(theirs),
        PDF_GOAL,
    );
    Ok(())
}

/// `img2pdf -o out p000.jpg …`, timed from spawn to exit.
fn img2pdf(files: &[PathBuf], out: &Path) -> Result<Duration, Box<dyn Error>> {
    let started = Instant::now();
    let output = Command::new("img2pdf")
        .arg("-o")
        .arg(out)
        .args(files)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()?;
    let elapsed = started.elapsed();
    if !output.status.success() {
        return Err(format!(
            "img2pdf failed: {}",
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    Ok(elapsed)
}

/// How long each part of our PDF assembly took.
struct Phases {
    total: Duration,
    read: Duration,
    /// Assembled and written to the file.
    assemble: Duration,
}

/// The desk's archive over the same files: read, sized from their headers, assembled, written.
fn ours(files: &[PathBuf], out: &Path) -> Result<Phases, Box<dyn Error>> {
    let started = Instant::now();
    let bytes = files
        .iter()
        .map(|f| read_limited(f))
        .collect::<Result<Vec<_>, _>>()?;
    let read = started.elapsed();
    let mut pages = Vec::with_capacity(bytes.len());
    for b in &bytes {
        let (width, height) = dimensions(b, ImageFormat::Jpeg)?;
        pages.push(ArchivePage {
            content: Content::Image {
                bytes: b,
                format: ImageFormat::Jpeg,
                width,
                height,
                dpi: dpi_of(b, ImageFormat::Jpeg),
            },
            rotation: Rotation::None,
            deskew_degrees: 0.0,
            words: &[],
        });
    }
    let info = ArchiveInfo {
        title: "Hồ sơ H25.123-260305-0001".into(),
        author: Some("UBND xã Thạch Hà".into()),
        subject: Some("Đăng ký khai sinh".into()),
        keywords: vec!["H25.123-260305-0001".into()],
        created: jiff::Timestamp::now(),
    };
    // As the desk saves an archive: written into the file as it is made, through a buffer.
    let assembling = Instant::now();
    let file = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(out)?);
    write_archive_pdf(&pages, &info, file)?.flush()?;
    Ok(Phases {
        total: started.elapsed(),
        read,
        assemble: assembling.elapsed(),
    })
}

/// The page count `pdfinfo` reads.
fn pdf_pages(pdf: &Path) -> Result<usize, Box<dyn Error>> {
    let output = Command::new("pdfinfo").arg(pdf).output()?;
    if !output.status.success() {
        return Err(format!(
            "pdfinfo {}: {}",
            pdf.display(),
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let pages = text
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .ok_or("pdfinfo printed no page count")?;
    Ok(pages.trim().parse()?)
}

/// Part 2: one page made small, by poppler from a PDF and by the desk from the JPEG.
fn thumbnails(args: &Args, dir: &Path, files: &[PathBuf]) -> Result<(), Box<dyn Error>> {
    // Page 0 is grey, page 2 colour (see `page_jpeg`).
    for (label, file) in [("grey", &files[0]), ("colour", &files[2])] {
        let one = dir.join(format!("one-{label}.pdf"));
        img2pdf(std::slice::from_ref(file), &one)?;
        let prefix = dir.join(format!("thumb-{label}"));
        // Untimed: the first runs load the programs and check they make a thumbnail.
        pdftoppm(&one, &prefix)?;
        let made = std::fs::read_dir(dir)?.filter_map(|e| e.ok()).any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(&format!("thumb-{label}"))
        });
        if !made {
            return Err("pdftoppm made no thumbnail".into());
        }
        let analysis = analyse_image(&std::fs::read(file)?, ImageFormat::Jpeg)?;
        let (tw, th, _) = thumbnail_only(file)?;

        let mut theirs_times = Vec::new();
        let mut analyse_times = Vec::new();
        let mut thumb_times = Vec::new();
        let mut decode_times = Vec::new();
        let mut pixels_times = Vec::new();
        let mut skew_times = Vec::new();
        let small = reduced_jpeg(&std::fs::read(file)?, ANALYSIS_LONG_SIDE)?;
        let small_grey = small.to_luma8();
        for _ in 0..args.thumb_runs {
            theirs_times.push(pdftoppm(&one, &prefix)?);
            let started = Instant::now();
            let bytes = std::fs::read(file)?;
            analyse_image(&bytes, ImageFormat::Jpeg)?;
            analyse_times.push(started.elapsed());
            let started = Instant::now();
            thumbnail_only(file)?;
            thumb_times.push(started.elapsed());
            let started = Instant::now();
            reduced_jpeg(&std::fs::read(file)?, ANALYSIS_LONG_SIDE)?;
            decode_times.push(started.elapsed());
            let started = Instant::now();
            analyse_pixels(&small);
            pixels_times.push(started.elapsed());
            let started = Instant::now();
            estimate_skew(&small_grey);
            skew_times.push(started.elapsed());
        }
        let theirs = median(&mut theirs_times);
        let analyse = median(&mut analyse_times);
        let thumb = median(&mut thumb_times);
        let decode = median(&mut decode_times);
        let pixels = median(&mut pixels_times);
        let skew = median(&mut skew_times);
        println!();
        println!(
            "thumbnail of one {label} page, median of {} runs (ours {}×{} px, {} bytes; skew {:.1}°, ink {:.3})",
            args.thumb_runs,
            analysis.thumbnail_width,
            analysis.thumbnail_height,
            analysis.thumbnail.len(),
            analysis.skew_degrees,
            analysis.ink
        );
        println!("  pdftoppm -scale-to 200     {:>8.1} ms", ms(theirs));
        println!("  analyse_image (everything) {:>8.1} ms", ms(analyse));
        println!("  thumbnail only ({tw}×{th})   {:>8.1} ms", ms(thumb));
        println!(
            "  apart: reduced decode to {}×{} {:.1} ms; analyse_pixels on it {:.1} ms, of which skew {:.1} ms",
            small.width(),
            small.height(),
            ms(decode),
            ms(pixels),
            ms(skew)
        );
        let reference = format!("pdftoppm {:.0} ms", ms(theirs));
        summary(
            &format!("Thumbnail, {label} page: analyse_image"),
            analyse,
            &reference,
            ms(analyse) / ms(theirs),
            THUMB_GOAL,
        );
        summary(
            &format!("Thumbnail, {label} page: thumbnail only"),
            thumb,
            &reference,
            ms(thumb) / ms(theirs),
            THUMB_GOAL,
        );
    }
    Ok(())
}

/// `pdftoppm -jpeg -scale-to 200 -f 1 -l 1 one.pdf prefix`, timed from spawn to exit.
fn pdftoppm(pdf: &Path, prefix: &Path) -> Result<Duration, Box<dyn Error>> {
    let started = Instant::now();
    let status = Command::new("pdftoppm")
        .args(["-jpeg", "-scale-to", "200", "-f", "1", "-l", "1"])
        .arg(pdf)
        .arg(prefix)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()?;
    let elapsed = started.elapsed();
    if !status.success() {
        return Err(format!("pdftoppm failed on {}", pdf.display()).into());
    }
    Ok(elapsed)
}

/// The thumbnail as `analyse_image` makes it, without the rest of the analysis: the reduced
/// DCT decode, a resize to the thumbnail's width, a JPEG at quality 80.
fn thumbnail_only(file: &Path) -> Result<(u32, u32, Vec<u8>), Box<dyn Error>> {
    let bytes = std::fs::read(file)?;
    let small = reduced_jpeg(&bytes, ANALYSIS_LONG_SIDE)?;
    let scale = THUMBNAIL_WIDTH as f32 / small.width().max(1) as f32;
    let h = ((small.height() as f32 * scale).round() as u32).max(1);
    let thumb = small
        .resize_exact(THUMBNAIL_WIDTH, h, image::imageops::FilterType::Triangle)
        .to_rgb8();
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 80).encode_image(&thumb)?;
    Ok((THUMBNAIL_WIDTH, h, out))
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn list_ms(times: &[Duration]) -> String {
    times
        .iter()
        .map(|t| format!("{:.0}", ms(*t)))
        .collect::<Vec<_>>()
        .join(", ")
        + " ms"
}

/// One row of the script's table.
fn summary(measure: &str, ours: Duration, reference: &str, ratio: f64, goal: f64) {
    println!(
        "SUMMARY\t{measure}\t{:.1} ms\t{reference}\t{ratio:.3}\t≤ {goal}\t{}",
        ms(ours),
        if ratio <= goal { "met" } else { "NOT met" }
    );
}
