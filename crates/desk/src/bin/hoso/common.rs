//! What every area of the command line shares: the [`Context`] a command runs in (global flags,
//! data folder, language, signing in), printing text or JSON, secrets from the environment or
//! the terminal, and reading dates, periods and the backlog filter.

use std::path::{Path, PathBuf};

use hoso_desk::{Desk, Error, SystemClock};
use hoso_model::i18n::{self, Language};
use hoso_model::supervision::{BacklogFilter, Breakdown, Period};
use hoso_model::time::{format_local, parse_day, parse_instant};
use hoso_model::{ApiError, Field};
use hoso_store::OpenNotice;

/// Where a command runs: the global flags, the data folder, and the language its messages are
/// in (the one asked for, else the desk's once it is open).
pub struct Context {
    /// `--json`: machine-readable output.
    pub json: bool,
    pub data_dir: PathBuf,
    /// `--lang`, when given.
    pub requested: Option<Language>,
    /// The language of messages and errors now.
    pub lang: Language,
    /// `--user`: the account to sign in as.
    pub user: Option<String>,
    /// The files and folders the command was given, in order, so that an error about one of
    /// them names it on the terminal as the officer typed it (never in a log or the message).
    pub files: Vec<PathBuf>,
}

impl Context {
    /// Signs in as `--user` (or HOSO_USER) with HOSO_PASSWORD or a password asked for.
    pub fn sign_in(&mut self) -> Result<Desk, Error> {
        if !Desk::is_set_up(&self.data_dir) {
            return Err(Error::NotSetUp);
        }
        let user = self.user.clone().ok_or(Error::SignIn)?;
        let password = secret("HOSO_PASSWORD", "Mật khẩu / Password: ", false)?;
        let opened =
            Desk::sign_in(&self.data_dir, &user, &password, SystemClock).inspect_err(|err| {
                if let Error::SetAside(notice) = err {
                    self.tell(notice);
                }
            })?;
        self.opened(opened)
    }

    /// The signed-in desk; before the desk is set up, one over the built-in catalogue and
    /// calendar, which answer without an account.
    pub fn desk_or_built_in(&mut self) -> Result<Desk, Error> {
        if Desk::is_set_up(&self.data_dir) {
            return self.sign_in();
        }
        let store = hoso_store::Store::open_in_memory()?;
        self.opened((Desk::with_store(store, SystemClock)?, None))
    }

    /// Takes a desk just opened: its language unless one was asked for, and a word on the
    /// terminal when an unreadable or damaged database was moved aside.
    pub fn opened(&mut self, (desk, notice): (Desk, Option<OpenNotice>)) -> Result<Desk, Error> {
        self.lang = self.requested.unwrap_or(desk.settings()?.language);
        if let Some(notice) = &notice {
            self.tell(notice);
        }
        Ok(desk)
    }

    /// Says on the terminal that the database was moved aside, where, and the way back.
    fn tell(&self, notice: &OpenNotice) {
        let text = match notice {
            OpenNotice::MovedAside { kept_at } => {
                i18n::moved_aside_notice(self.lang, &kept_at.display().to_string())
            }
            OpenNotice::Damaged { kept_at } => {
                i18n::damaged_notice(self.lang, &kept_at.display().to_string())
            }
        };
        eprintln!("hoso: {text}");
    }

    /// Remembers the files (or folders) the command works on, for [`Context::file_in_error`].
    pub fn given(&mut self, files: &[PathBuf]) {
        self.files = files.to_vec();
    }

    /// The file an error is about, as given on the command line: the one its `item` counts
    /// (from 1), or the only one given when the error is about a file, catalogue or backup.
    pub fn file_in_error(&self, err: &ApiError) -> Option<&Path> {
        match err.item {
            Some(n) => self.files.get((n as usize).checked_sub(1)?),
            None if self.files.len() == 1
                && matches!(
                    err.field,
                    Some(Field::File | Field::Catalogue | Field::Backup)
                ) =>
            {
                self.files.first()
            }
            None => None,
        }
        .map(PathBuf::as_path)
    }

    /// Prints JSON with `--json`, else the text `text` makes.
    pub fn output(&self, value: &impl serde::Serialize, text: impl FnOnce() -> String) {
        if self.json {
            print_json(value);
        } else {
            println!("{}", text());
        }
    }
}

pub fn print_json(value: &impl serde::Serialize) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).expect("model types serialise")
    );
}

/// A password or key from the environment variable `var`, or asked for on the terminal
/// (twice when `confirm`). Never echoed, never logged.
pub fn secret(var: &str, prompt: &str, confirm: bool) -> Result<String, Error> {
    if let Ok(value) = std::env::var(var) {
        return Ok(value);
    }
    let ask = |p: &str| rpassword::prompt_password(p).map_err(|_| Error::SignIn);
    let first = ask(prompt)?;
    if confirm {
        let again = ask("  (nhập lại / again): ")?;
        if again != first {
            return Err(Error::refused(Field::Password, "the two passwords differ"));
        }
    }
    Ok(first)
}

/// Which dossiers the backlog looks at.
#[derive(clap::Args)]
pub struct FilterArgs {
    /// Only those this officer received.
    #[arg(long)]
    pub officer: Option<String>,
    /// Only those of this procedure.
    #[arg(long)]
    pub procedure: Option<String>,
    /// Only those received on or after this day (dd/mm/yyyy).
    #[arg(long)]
    pub from: Option<String>,
    /// Only those received on or before this day (dd/mm/yyyy).
    #[arg(long)]
    pub to: Option<String>,
}

impl FilterArgs {
    pub fn filter(&self) -> Result<BacklogFilter, Error> {
        Ok(BacklogFilter {
            officer: self.officer.clone(),
            procedure: self.procedure.clone(),
            from: self.from.as_deref().map(day).transpose()?,
            to: self.to.as_deref().map(day).transpose()?,
        })
    }
}

/// A day such as 01/03/2026 (day first) or 2026-03-01.
pub fn day(text: &str) -> Result<jiff::civil::Date, Error> {
    parse_day(text).ok_or_else(|| Error::refused(Field::Date, "unreadable date"))
}

/// An instant such as 2026-02-13T16:10:00+07:00, or 13/02/2026 16:10 in Vietnamese time.
pub fn instant(text: &str) -> Result<jiff::Timestamp, Error> {
    parse_instant(text).ok_or_else(|| {
        Error::refused(
            Field::Date,
            "unreadable date and time: write 13/02/2026 16:10",
        )
    })
}

/// The period from `--from` to `--to`, both needed.
pub fn period(from: Option<&str>, to: Option<&str>) -> Result<Period, Error> {
    let missing = || Error::refused(Field::Date, "--from and --to are needed");
    Ok(Period {
        from: day(from.ok_or_else(missing)?)?,
        to: day(to.ok_or_else(missing)?)?,
    })
}

pub fn breakdown(by: Option<&str>) -> Option<Breakdown> {
    by.and_then(Breakdown::from_name)
}

/// One dossier on one line: code, received, procedure, status, due, applicant.
pub fn dossier_line(lang: Language, d: &hoso_model::Dossier) -> String {
    format!(
        "{}\t{}\t{}\t{}\t{}\t{}",
        d.code.as_deref().unwrap_or(&d.id.0),
        format_local(d.received_at),
        d.procedure_code,
        i18n::status_label(lang, d.status),
        d.due_at.map(format_local).unwrap_or_else(|| "-".into()),
        d.applicant_name
    )
}

/// Lines joined by newlines.
pub fn lines<T>(items: &[T], line: impl FnMut(&T) -> String) -> String {
    items.iter().map(line).collect::<Vec<_>>().join("\n")
}
