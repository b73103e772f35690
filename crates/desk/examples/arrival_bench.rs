//! From a scanned page arriving to its thumbnail on the screen: how long does the officer wait?
//!
//! ```text
//! cargo run --release -p hoso-desk --example arrival_bench -- [--pages N] [--distinct D]
//! ```
//!
//! Opens a desk in a temporary data directory (a real SQLite file and real kept files on this
//! machine's disk), sets up a unit, registers a birth registration dossier (1.001193), then
//! hands it N (default 50) A4 pages scanned at 300 dpi as JPEG bytes, as a scanner delivers
//! them, one after the other. For each page it times [`Desk::add_scanned`] (headers, the
//! reduced-decode analysis: thumbnail, blank, colour, QR, hash, skew; the file written,
//! flushed and renamed into place; the row committed) followed by [`Desk::thumbnail`] (what the
//! screen asks for next), and prints p50, p95 and the maximum. The goal is under 150 ms.
//!
//! Rendering a 300-dpi test page takes about a second, so only D (default 5) distinct pages are
//! rendered (every third in colour, with a red stamp); each page handed over is one of them with
//! a JPEG comment naming it, so every page is a new file to keep.
//!
//! To tell where the time goes it also times, on the same bytes, the analysis alone and a file
//! of the same size written, flushed and renamed as the desk keeps one.
//!
//! The line starting with `SUMMARY` (tab-separated) is what `bench/digitisation.sh` gathers.

#[path = "../tests/common/mod.rs"]
mod common;

use std::error::Error;
use std::io::Write;
use std::time::{Duration, Instant};

use hoso_capture::{ImageFormat, ScannedPage};
use hoso_desk::SystemClock;
use hoso_model::NewDossier;
use hoso_model::page::Target;
use hoso_model::unit::Unit;

const GOAL_MS: f64 = 150.0;

fn parse_args() -> Result<(usize, usize), Box<dyn Error>> {
    let (mut pages, mut distinct) = (50usize, 5usize);
    let mut rest = std::env::args().skip(1);
    while let Some(arg) = rest.next() {
        let value = rest.next().ok_or(format!("{arg} needs a number"))?;
        let n: usize = value
            .parse()
            .map_err(|_| format!("{arg}: not a number: {value}"))?;
        match arg.as_str() {
            "--pages" => pages = n.max(1),
            "--distinct" => distinct = n.max(1),
            other => return Err(format!("unknown argument: {other}").into()),
        }
    }
    Ok((pages, distinct.min(pages)))
}

fn main() -> Result<(), Box<dyn Error>> {
    let (count, distinct_count) = parse_args()?;
    let started = Instant::now();
    let distinct = hoso_capture::testpages::scanner_jpegs(distinct_count)?;
    let scans: Vec<Vec<u8>> = (0..count)
        .map(|i| {
            hoso_capture::testpages::with_comment(
                &distinct[i % distinct.len()],
                &format!("hoso arrival {i}"),
            )
        })
        .collect();
    println!(
        "setup: {count} pages ({} distinct), {:.1} MB of JPEG on average, in {:.1} s",
        distinct.len(),
        scans.iter().map(Vec::len).sum::<usize>() as f64 / count as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );

    let data = tempfile::tempdir()?;
    let (desk, _) = common::open_desk(data.path(), SystemClock)?;
    desk.set_unit(Unit {
        code: "H25.123".into(),
        name: "UBND xã Thạch Hà".into(),
        governing_body: String::new(),
        device_slot: 0,
        office_hours: Default::default(),
    })?;
    let dossier = desk.register(&NewDossier {
        procedure_code: "1.001193".into(),
        applicant_name: "Nguyễn Văn Đức".into(),
        ..Default::default()
    })?;
    let code = dossier.code.ok_or("the dossier got no code")?;
    let target = Target::Component { n: 1 };

    let mut times = Vec::with_capacity(count);
    for bytes in &scans {
        let page = ScannedPage {
            bytes: bytes.clone(),
            format: ImageFormat::Jpeg,
            dpi: Some(u32::from(hoso_capture::testpages::SCANNER_DPI)),
        };
        let started = Instant::now();
        let info = desk.add_scanned(&code, &target, page, "bench")?;
        let thumbnail = desk.thumbnail(&info.id)?;
        times.push(started.elapsed());
        if !thumbnail.starts_with(&[0xFF, 0xD8]) {
            return Err("the thumbnail is not a JPEG".into());
        }
    }
    let pages = desk.digitisation(&code)?.pages.len();
    if pages != count {
        return Err(format!("{pages} pages in the dossier, {count} expected").into());
    }

    // Where the time goes: the analysis alone, and keeping a file of the same size.
    let mut analysis = Vec::new();
    let mut keeping = Vec::new();
    let scratch = data.path().join("scratch");
    std::fs::create_dir_all(&scratch)?;
    for (i, bytes) in scans.iter().enumerate() {
        let started = Instant::now();
        hoso_capture::analyse::analyse_image(bytes, ImageFormat::Jpeg)?;
        analysis.push(started.elapsed());
        let started = Instant::now();
        keep_file(&scratch, &format!("f{i}"), bytes)?;
        keeping.push(started.elapsed());
    }

    let first = times[0];
    let mut sorted = times.clone();
    sorted.sort();
    let (p50, p95, max) = (
        percentile(&sorted, 0.50),
        percentile(&sorted, 0.95),
        sorted[sorted.len() - 1],
    );
    analysis.sort();
    keeping.sort();
    println!();
    println!("page arrival to thumbnail ready, {count} pages of 300-dpi A4 into one dossier:");
    println!(
        "  p50 {:.1} ms   p95 {:.1} ms   max {:.1} ms   (first page {:.1} ms)",
        ms(p50),
        ms(p95),
        ms(max),
        ms(first)
    );
    println!(
        "  of which, measured apart (p50): analyse_image {:.1} ms, file write + fsync + rename {:.1} ms",
        ms(percentile(&analysis, 0.50)),
        ms(percentile(&keeping, 0.50))
    );
    println!(
        "SUMMARY\tPage arrival → thumbnail (p50/p95/max)\t{:.0}/{:.0}/{:.0} ms\t—\t—\t< {GOAL_MS} ms\t{}",
        ms(p50),
        ms(p95),
        ms(max),
        if ms(p95) < GOAL_MS {
            "met (p95)"
        } else if ms(p50) < GOAL_MS {
            "met (p50 only)"
        } else {
            "NOT met"
        }
    );
    Ok(())
}

/// A file kept as the desk keeps one: a temporary file, flushed, renamed, the folder flushed.
fn keep_file(dir: &std::path::Path, name: &str, bytes: &[u8]) -> Result<(), Box<dyn Error>> {
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(dir.join(name))?;
    std::fs::File::open(dir)?.sync_all()?;
    Ok(())
}

/// Nearest-rank percentile of sorted times.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
