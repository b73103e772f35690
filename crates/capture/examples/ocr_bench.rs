//! How much faster is the desk's OCR pool than running the `tesseract` command page by page,
//! as someone would by hand, and how accurate are both on realistic Vietnamese pages?
//!
//! ```text
//! OMP_THREAD_LIMIT=1 cargo run --release -p hoso-capture --features testpages \
//!     --example ocr_bench -- [PAGES] [--first-seed N] [--keep DIR]
//! ```
//!
//! Generates PAGES test pages (default 8) at 300 dpi, writes them as PNG (with their
//! resolution recorded) into a temporary directory, or DIR with `--keep` (which also keeps
//! the truth and both recognised texts beside each page), then times
//! (a) `tesseract page.png out -l vie` for each page in turn and (b) an [`OcrPool`] of two
//! workers fed the same pages from memory, and prints pages per second, the speed-up, and the
//! mean character error rate of each, with and without `correct_vietnamese`. The pages are
//! those of seeds 0, 1, 2…, or N, N+1… with `--first-seed` (the corrections were tuned on
//! seeds from 1000 on, so the default set measures them on pages they were not tuned on).

use std::error::Error;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use hoso_capture::ocr::{
    OcrConfig, OcrPool, character_error_rate, correct_vietnamese, openmp_thread_limit,
};
use hoso_capture::testpages::{PageOptions, TestPage, document_page};

const DPI: u32 = 300;
const WORKERS: usize = 2;

struct Args {
    pages: usize,
    first_seed: u64,
    keep: Option<PathBuf>,
}

fn parse_args() -> Result<Args, Box<dyn Error>> {
    let mut args = Args {
        pages: 8,
        first_seed: 0,
        keep: None,
    };
    let mut rest = std::env::args().skip(1);
    while let Some(arg) = rest.next() {
        if arg == "--keep" {
            args.keep = Some(rest.next().ok_or("--keep needs a directory")?.into());
        } else if arg == "--first-seed" {
            let seed = rest.next().ok_or("--first-seed needs a number")?;
            args.first_seed = seed.parse().map_err(|_| format!("not a seed: {seed}"))?;
        } else {
            args.pages = arg
                .parse()
                .map_err(|_| format!("not a page count: {arg}"))?;
        }
    }
    Ok(args)
}

/// Mean error rates of one method over the set, before and after corrections.
#[derive(Default)]
struct Accuracy {
    raw: f64,
    corrected: f64,
}

impl Accuracy {
    fn of(pages: &[TestPage], texts: &[String]) -> Self {
        let count = pages.len().max(1) as f64;
        let mut accuracy = Accuracy::default();
        for (page, text) in pages.iter().zip(texts) {
            accuracy.raw += character_error_rate(&page.truth, text) / count;
            accuracy.corrected +=
                character_error_rate(&page.truth, &correct_vietnamese(text)) / count;
        }
        accuracy
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    let args = parse_args()?;
    println!(
        "OMP_THREAD_LIMIT: {}",
        openmp_thread_limit().map_or(
            "not set (OpenMP may use several threads per page)".into(),
            |n| n.to_string()
        )
    );

    let started = Instant::now();
    let pages = (args.first_seed..args.first_seed + args.pages as u64)
        .map(|seed| document_page(&PageOptions::varied(seed)))
        .collect::<Result<Vec<_>, _>>()?;
    println!(
        "generated {} pages in {:.1} s",
        pages.len(),
        started.elapsed().as_secs_f64()
    );

    let temp = tempfile::tempdir()?;
    let dir = args.keep.clone().unwrap_or_else(|| temp.path().to_owned());
    std::fs::create_dir_all(&dir)?;
    let files = write_pages(&dir, &pages)?;

    let (cli_time, cli_texts) = run_cli(&dir, &files)?;
    let (pool_time, init_time, pool_texts) = run_pool(&pages)?;

    let cli = Accuracy::of(&pages, &cli_texts);
    let pool = Accuracy::of(&pages, &pool_texts);
    let rate = |time: Duration| pages.len() as f64 / time.as_secs_f64();
    println!();
    println!(
        "{:<34} {:>9} {:>8} {:>10} {:>12}",
        "method", "time (s)", "pages/s", "CER raw", "CER fixed"
    );
    println!(
        "{:<34} {:>9.1} {:>8.3} {:>9.2}% {:>11.2}%",
        "tesseract CLI, page by page",
        cli_time.as_secs_f64(),
        rate(cli_time),
        cli.raw * 100.0,
        cli.corrected * 100.0
    );
    println!(
        "{:<34} {:>9.1} {:>8.3} {:>9.2}% {:>11.2}%",
        format!("OcrPool, {WORKERS} workers (incl. start)"),
        pool_time.as_secs_f64(),
        rate(pool_time),
        pool.raw * 100.0,
        pool.corrected * 100.0
    );
    println!(
        "pool start (loading {WORKERS}× vie): {:.2} s",
        init_time.as_secs_f64()
    );
    println!(
        "speed-up, pool over CLI: {:.2}×",
        cli_time.as_secs_f64() / pool_time.as_secs_f64()
    );
    if args.keep.is_some() {
        for ((file, page), text) in files.iter().zip(&pages).zip(&pool_texts) {
            std::fs::write(file.with_extension("truth.txt"), &page.truth)?;
            std::fs::write(file.with_extension("pool.txt"), text)?;
        }
        println!("pages kept in {}", dir.display());
    }
    Ok(())
}

/// Writes each page as an 8-bit grey PNG that records 300 dpi, as a scanner's file would, so
/// the command-line run gets the same resolution the pool is told.
fn write_pages(dir: &Path, pages: &[TestPage]) -> Result<Vec<PathBuf>, Box<dyn Error>> {
    let pixels_per_metre = (f64::from(DPI) / 0.0254).round() as u32;
    let mut files = Vec::new();
    for (index, page) in pages.iter().enumerate() {
        let path = dir.join(format!("page-{index:03}.png"));
        let file = std::io::BufWriter::new(std::fs::File::create(&path)?);
        let mut encoder = png::Encoder::new(file, page.image.width(), page.image.height());
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_pixel_dims(Some(png::PixelDimensions {
            xppu: pixels_per_metre,
            yppu: pixels_per_metre,
            unit: png::Unit::Meter,
        }));
        encoder
            .write_header()?
            .write_image_data(page.image.as_raw())?;
        files.push(path);
    }
    Ok(files)
}

/// `tesseract page.png out -l vie`, one page after the other, each a fresh process that loads
/// the language data again: what an officer or a shell script would do.
fn run_cli(dir: &Path, files: &[PathBuf]) -> Result<(Duration, Vec<String>), Box<dyn Error>> {
    let started = Instant::now();
    let mut outputs = Vec::new();
    for file in files {
        let base = dir.join(file.file_stem().ok_or("page file without a name")?);
        let status = Command::new("tesseract")
            .arg(file)
            .arg(&base)
            .args(["-l", "vie"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()?;
        if !status.success() {
            return Err(format!("tesseract failed on {}", file.display()).into());
        }
        outputs.push(base.with_extension("txt"));
    }
    let elapsed = started.elapsed();
    let texts = outputs
        .iter()
        .map(std::fs::read_to_string)
        .collect::<Result<Vec<_>, _>>()?;
    Ok((elapsed, texts))
}

/// The same pages through a pool of two engines, from memory. Timed from the pool's start
/// (language loading included) to the last result.
fn run_pool(pages: &[TestPage]) -> Result<(Duration, Duration, Vec<String>), Box<dyn Error>> {
    let started = Instant::now();
    let pool = OcrPool::new(&OcrConfig::default(), WORKERS)?;
    let init = started.elapsed();
    for (id, page) in pages.iter().enumerate() {
        pool.submit(id as u64, page.image.clone(), DPI)?;
    }
    let mut texts = vec![String::new(); pages.len()];
    for (id, result) in pool.finish() {
        let slot = texts.get_mut(id as usize).ok_or("unknown job id")?;
        *slot = result?.text;
    }
    Ok((started.elapsed(), init, texts))
}
