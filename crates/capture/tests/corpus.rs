//! Replays the fuzzing corpus (`tests/corpus/`): every file there goes through
//! [`check_file_sampled`], the desk's own path for a file (looking at only the first few of a
//! PDF's pages) and what the fuzz target in `fuzz/` runs, and must come back with `Ok` or an
//! error within a few seconds, never a panic.
//!
//! The folder holds small valid files of every kind the desk takes (`seed-…`, which must import
//! and analyse without error), each input the fuzzer found that crashed or hung, minimised and
//! named after what it triggered (`crash-…`, `timeout-…`), and a sample of the fuzzer's corpus
//! (`cov-…`) that reaches deep into the decoders.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use hoso_capture::check::{CheckedFile, PDF_PAGES_ANALYSED, check_file_sampled};

/// Longest a file may take, in an unoptimised build on a busy machine; the slowest file takes
/// well under a second.
const LIMIT: Duration = Duration::from_secs(5);

fn corpus() -> Vec<PathBuf> {
    let dir = std::path::PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    )
    .join("tests/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a corpus entry").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

/// How one file ended: its result in words, or why it has none.
enum Outcome {
    Returned(Result<CheckedFile, String>, Duration),
    Panicked(String),
    TooSlow,
}

/// Runs one file on its own thread, so that a panic is caught and a hang is cut short (the
/// thread is left behind; the test fails anyway).
fn replay(path: &Path) -> Outcome {
    let bytes = std::fs::read(path).expect("a corpus file");
    let (tx, rx) = mpsc::channel();
    let start = Instant::now();
    let worker = std::thread::Builder::new()
        .name(path.display().to_string())
        .spawn(move || {
            let result = check_file_sampled(&bytes, PDF_PAGES_ANALYSED).map_err(|e| e.to_string());
            let _ = tx.send(result);
        })
        .expect("a thread");
    match rx.recv_timeout(LIMIT) {
        Ok(result) => Outcome::Returned(result, start.elapsed()),
        Err(mpsc::RecvTimeoutError::Timeout) => Outcome::TooSlow,
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let payload = worker
                .join()
                .expect_err("the thread ended without an answer");
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "a panic".to_owned());
            Outcome::Panicked(message)
        }
    }
}

#[test]
fn every_corpus_file_ends_in_a_result_without_panic_or_hang() {
    let files = corpus();
    assert!(
        files.len() >= 20,
        "the corpus has {} files: is tests/corpus there?",
        files.len()
    );
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        match replay(path) {
            Outcome::Returned(result, took) => {
                let summary = match &result {
                    Ok(checked) => format!(
                        "Ok: {:?}, {} pages, {} analysed",
                        checked.kind,
                        checked.page_count,
                        checked.pages.len()
                    ),
                    Err(e) => format!("Err: {e}"),
                };
                eprintln!("{name}: {summary} ({} ms)", took.as_millis());
                if name.starts_with("seed-") {
                    match &result {
                        Ok(checked) => {
                            let pages = checked.page_count;
                            let want = if name.contains("-2-pages") { 2 } else { 1 };
                            if pages != want || checked.pages.len() != want {
                                failures.push(format!("{name}: a valid file gave {summary}"));
                            }
                        }
                        Err(e) => failures.push(format!("{name}: a valid file was refused: {e}")),
                    }
                }
            }
            Outcome::Panicked(message) => failures.push(format!("{name}: panicked: {message}")),
            Outcome::TooSlow => failures.push(format!("{name}: took more than {LIMIT:?}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
