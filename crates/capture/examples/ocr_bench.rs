//! How much faster is the desk's OCR pool than running the `tesseract` command page by page,
//! as someone would by hand, and how accurate are both on realistic Vietnamese pages?
//!
//! ```text
//! cargo run --release -p hoso-capture --features testpages \
//!     --example ocr_bench -- [PAGES] [--first-seed N] [--keep DIR]
//! ```
//!
//! Generates PAGES test pages (default 8) at 300 dpi, writes them as PNG (with their
//! resolution recorded) into a temporary directory, or DIR with `--keep` (which also keeps
//! the truth, both recognised texts and the corrected one beside each page), then times
//! (a) `tesseract page.png out -l vie` for each page in turn, as a user's shell runs it and
//! again with `OMP_THREAD_LIMIT=1`, and (b) an [`OcrPool`] of two workers fed the same pages
//! from memory, in a process started with `OMP_THREAD_LIMIT=1` as the desk is (the benchmark
//! restarts itself so when the variable is unset). It prints pages per second, the speed-ups,
//! the mean character error rate of each, with and without `correct_vietnamese`, and what
//! each correction rule contributes. The pages are
//! those of seeds 0, 1, 2…, or N, N+1… with `--first-seed` (the corrections were tuned on
//! seeds from 1000 on, so the default set measures them on pages they were not tuned on).

use std::error::Error;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use hoso_capture::ocr::{
    CORRECTIONS, Correction, OcrConfig, OcrPool, character_error_rate, correct_vietnamese,
    openmp_thread_limit,
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
    if openmp_thread_limit().is_none() {
        return restart_with_thread_limit();
    }
    let args = parse_args()?;
    println!(
        "this process: OMP_THREAD_LIMIT={}",
        openmp_thread_limit().unwrap_or_default()
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

    let (cli_time, cli_texts) = run_cli(&dir, &files, OpenMp::Default)?;
    let (limited_time, limited_texts) = run_cli(&dir, &files, OpenMp::OneThread)?;
    let (pool_time, init_time, pool_texts) = run_pool(&pages)?;

    println!();
    println!(
        "{:<40} {:>9} {:>8} {:>10} {:>12}",
        "method", "time (s)", "pages/s", "CER raw", "CER fixed"
    );
    let row = |name: &str, time: Duration, texts: &[String]| {
        let accuracy = Accuracy::of(&pages, texts);
        println!(
            "{:<40} {:>9.1} {:>8.3} {:>9.2}% {:>11.2}%",
            name,
            time.as_secs_f64(),
            pages.len() as f64 / time.as_secs_f64(),
            accuracy.raw * 100.0,
            accuracy.corrected * 100.0
        );
    };
    row("tesseract CLI, page by page", cli_time, &cli_texts);
    row(
        "  the same with OMP_THREAD_LIMIT=1",
        limited_time,
        &limited_texts,
    );
    row(
        &format!("OcrPool, {WORKERS} workers (start included)"),
        pool_time,
        &pool_texts,
    );
    println!(
        "pool start (loading {WORKERS}× vie): {:.2} s",
        init_time.as_secs_f64()
    );
    let ratio = |other: Duration| other.as_secs_f64() / pool_time.as_secs_f64();
    println!(
        "speed-up of the pool: {:.2}× over the CLI, {:.2}× over the CLI with OMP_THREAD_LIMIT=1",
        ratio(cli_time),
        ratio(limited_time)
    );
    print_ablation(&pages, &pool_texts);
    if args.keep.is_some() {
        for ((file, page), text) in files.iter().zip(&pages).zip(&pool_texts) {
            std::fs::write(file.with_extension("truth.txt"), &page.truth)?;
            std::fs::write(file.with_extension("pool.txt"), text)?;
            std::fs::write(file.with_extension("fixed.txt"), correct_vietnamese(text))?;
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

/// How a `tesseract` command is started.
#[derive(Clone, Copy, PartialEq, Eq)]
enum OpenMp {
    /// With the environment a user's shell would give it: no thread limit.
    Default,
    /// With `OMP_THREAD_LIMIT=1`, as the pool's engines run.
    OneThread,
}

/// `tesseract page.png out -l vie`, one page after the other, each a fresh process that loads
/// the language data again: what an officer or a shell script would do.
fn run_cli(
    dir: &Path,
    files: &[PathBuf],
    openmp: OpenMp,
) -> Result<(Duration, Vec<String>), Box<dyn Error>> {
    let started = Instant::now();
    let mut outputs = Vec::new();
    for file in files {
        let base = dir.join(file.file_stem().ok_or("page file without a name")?);
        let mut command = Command::new("tesseract");
        command
            .arg(file)
            .arg(&base)
            .args(["-l", "vie"])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        match openmp {
            OpenMp::Default => command.env_remove("OMP_THREAD_LIMIT"),
            OpenMp::OneThread => command.env("OMP_THREAD_LIMIT", "1"),
        };
        if !command.status()?.success() {
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

/// Runs this benchmark again in a process started with `OMP_THREAD_LIMIT=1`, as the desk's
/// launcher starts the desk: libgomp reads the variable only when it is loaded.
fn restart_with_thread_limit() -> Result<(), Box<dyn Error>> {
    let status = Command::new(std::env::current_exe()?)
        .args(std::env::args_os().skip(1))
        .env("OMP_THREAD_LIMIT", "1")
        .status()?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the benchmark failed ({status})").into())
    }
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

/// Mean error rate over the set after applying `rules` to each recognised text.
fn mean_cer(pages: &[TestPage], texts: &[String], rules: &[&Correction]) -> f64 {
    let total: f64 = pages
        .iter()
        .zip(texts)
        .map(|(page, text)| {
            let fixed = rules
                .iter()
                .fold(text.clone(), |text, rule| (rule.apply)(&text));
            character_error_rate(&page.truth, &fixed)
        })
        .sum();
    total / pages.len().max(1) as f64
}

/// What each correction rule does to the pool's error rate: alone (against no correction)
/// and when left out (against all of them). A rule worth keeping lowers the rate both ways.
fn print_ablation(pages: &[TestPage], texts: &[String]) {
    let all: Vec<&Correction> = CORRECTIONS.iter().collect();
    let none = mean_cer(pages, texts, &[]);
    let every = mean_cer(pages, texts, &all);
    println!();
    println!("corrections on the pool's texts (CER points; negative is better):");
    println!("{:<44} {:>10} {:>14}", "rule", "alone", "left out");
    for (index, rule) in CORRECTIONS.iter().enumerate() {
        let alone = mean_cer(pages, texts, &[rule]) - none;
        let others: Vec<&Correction> = all
            .iter()
            .enumerate()
            .filter(|(other, _)| *other != index)
            .map(|(_, rule)| *rule)
            .collect();
        let left_out = every - mean_cer(pages, texts, &others);
        println!(
            "{:<44} {:>+9.3}% {:>+13.3}%",
            rule.name,
            alone * 100.0,
            left_out * 100.0
        );
    }
}
