//! `hoso`: the desk's command line, for IT staff, scripting and bulk work. Every command calls
//! the same [`hoso_desk::Desk`] use case as the desktop window, and takes `--json`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use hoso_desk::{DATA_DIR_ENV, Desk, SystemClock, default_data_dir};
use hoso_model::i18n::{self, Language};
use hoso_model::{ApiError, NewDossier, time::format_local};
use hoso_store::OpenNotice;

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
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List the procedures of the catalogue.
    Procedures,
    /// Register a dossier received now.
    Intake {
        /// National procedure code, e.g. 2.000815.
        #[arg(long)]
        procedure: String,
        /// The applicant's full name.
        #[arg(long)]
        applicant: String,
    },
    /// List the dossiers on this desk, newest first.
    List,
}

fn main() -> ExitCode {
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
    let mut lang = requested.unwrap_or_default();
    match run(&cli, requested, &mut lang) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let api = ApiError::from(&err);
            if cli.json {
                eprintln!("{}", serde_json::to_string(&api).expect("errors serialise"));
            } else {
                eprintln!("hoso: {}", i18n::error_text(lang, &api));
                eprintln!("      ({})", api.message);
            }
            ExitCode::FAILURE
        }
    }
}

fn run(
    cli: &Cli,
    requested: Option<Language>,
    lang: &mut Language,
) -> Result<(), hoso_desk::Error> {
    let data_dir = match &cli.data_dir {
        Some(dir) => dir.clone(),
        None => default_data_dir()?,
    };
    let (desk, notice) = Desk::open(&data_dir, SystemClock)?;
    *lang = requested.unwrap_or(desk.settings()?.language);
    if let Some(OpenNotice::MovedAside { kept_at }) = notice {
        eprintln!(
            "hoso: {}",
            i18n::moved_aside_notice(*lang, &kept_at.display().to_string())
        );
    }
    match &cli.command {
        Command::Procedures => {
            let procedures = desk.procedures();
            if cli.json {
                print_json(&procedures);
            } else {
                for p in procedures {
                    println!("{}\t{}\t{}", p.code, p.field, p.name);
                }
            }
        }
        Command::Intake {
            procedure,
            applicant,
        } => {
            let form = NewDossier {
                procedure_code: procedure.clone(),
                applicant_name: applicant.clone(),
            };
            let dossier = desk.register(&form)?;
            if cli.json {
                print_json(&dossier);
            } else {
                println!(
                    "{}\t{}\t{}",
                    dossier.id,
                    format_local(dossier.received_at),
                    dossier.procedure_code
                );
            }
        }
        Command::List => {
            let dossiers = desk.dossiers()?;
            if cli.json {
                print_json(&dossiers);
            } else {
                for d in dossiers {
                    println!(
                        "{}\t{}\t{}\t{}",
                        format_local(d.received_at),
                        d.procedure_code,
                        d.applicant_name,
                        d.id
                    );
                }
            }
        }
    }
    Ok(())
}

fn print_json(value: &impl serde::Serialize) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).expect("model types serialise")
    );
}
