//! `hoso`: the desk's command line, for IT staff, scripting and bulk work. Every command calls
//! the same [`hoso_desk::Desk`] use case as the desktop window, and takes `--json`.
//!
//! This file only parses the global flags and hands the command to its area; each area's file
//! declares its commands and runs them, signing in unless the command works without an
//! account (set-up the first time, recovery, restore, the built-in catalogue and calendar
//! before set-up).

mod backup;
mod calendar;
mod common;
mod dossiers;
mod pages;
mod scanning;
mod setup;
mod supervision;
mod sync;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use hoso_desk::{DATA_DIR_ENV, default_data_dir};
use hoso_model::ApiError;
use hoso_model::i18n::{self, Language};

use crate::common::Context;

#[derive(Parser)]
#[command(
    name = "hoso",
    version,
    about = "Hồ Sơ Số: the commune one-stop desk, on the command line"
)]
struct Cli {
    /// Where the desk keeps its data (default: the per-user data directory).
    #[arg(long, global = true, env = DATA_DIR_ENV)]
    data_dir: Option<PathBuf>,
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// Language of messages: vi or en (default: the desk's setting).
    #[arg(long, global = true, env = "HOSO_LANG")]
    lang: Option<String>,
    /// The account to sign in as; the password comes from HOSO_PASSWORD or is asked for.
    #[arg(long, global = true, env = "HOSO_USER")]
    user: Option<String>,
    #[command(subcommand)]
    command: Command,
}

/// Every command, top-level as `hoso <command>`, declared by area.
#[derive(Subcommand)]
enum Command {
    // Set-up, accounts, recovery and the audit log.
    #[command(flatten)]
    Setup(setup::Command),
    // Dossiers: registering, finding, moving through their lifecycle, forms.
    #[command(flatten)]
    Dossiers(dossiers::Command),
    // A dossier's pages and components.
    #[command(flatten)]
    Pages(pages::Command),
    // Scanners, the watched folder and text recognition.
    #[command(flatten)]
    Scanning(scanning::Command),
    // The hub: enrollment and sync.
    #[command(flatten)]
    Sync(sync::Command),
    // The supervisor's backlog, reviews, indicators and reports.
    #[command(flatten)]
    Supervision(supervision::Command),
    // Backups, restore, retention and wiping.
    #[command(flatten)]
    Backup(backup::Command),
    // The working calendar.
    #[command(flatten)]
    Calendar(calendar::Command),
}

impl Command {
    fn run(self, cx: &mut Context) -> Result<(), hoso_desk::Error> {
        match self {
            Command::Setup(command) => command.run(cx),
            Command::Dossiers(command) => command.run(cx),
            Command::Pages(command) => command.run(cx),
            Command::Scanning(command) => command.run(cx),
            Command::Sync(command) => command.run(cx),
            Command::Supervision(command) => command.run(cx),
            Command::Backup(command) => command.run(cx),
            Command::Calendar(command) => command.run(cx),
        }
    }
}

fn main() -> ExitCode {
    #[cfg(target_os = "linux")]
    hoso_desk::text::single_threaded_tesseract();
    let cli = Cli::parse();
    let requested = match cli
        .lang
        .as_deref()
        .map(|tag| Language::from_tag(tag).ok_or(tag))
    {
        Some(Err(tag)) => {
            eprintln!("hoso: unknown language {tag:?} (use vi or en)");
            return ExitCode::from(2);
        }
        Some(Ok(lang)) => Some(lang),
        None => None,
    };
    let json = cli.json;
    let mut lang = requested.unwrap_or_default();
    let result = match cli.data_dir.map_or_else(default_data_dir, Ok) {
        Ok(data_dir) => {
            let mut cx = Context {
                json,
                data_dir,
                requested,
                lang,
                user: cli.user,
                files: Vec::new(),
            };
            let result = cli.command.run(&mut cx);
            lang = cx.lang;
            result.map_err(|err| {
                let api = ApiError::from(&err);
                let file = cx.file_in_error(&api).map(|p| p.display().to_string());
                (api, file)
            })
        }
        Err(err) => Err((ApiError::from(&err), None)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err((api, file)) => {
            if json {
                eprintln!("{}", serde_json::to_string(&api).expect("errors serialise"));
            } else {
                // The file is named as typed, on the officer's own terminal only.
                match file {
                    Some(file) => eprintln!("hoso: {file}: {}", i18n::error_text(lang, &api)),
                    None => eprintln!("hoso: {}", i18n::error_text(lang, &api)),
                }
                eprintln!("      ({})", api.message);
            }
            ExitCode::FAILURE
        }
    }
}
