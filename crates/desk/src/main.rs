//! `hoso`: the desk's command line, for IT staff, scripting and bulk work. Every command calls
//! the same [`hoso_desk::Desk`] use case as the desktop window, and takes `--json`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use hoso_desk::reports::ReportFormat;
use hoso_desk::{DATA_DIR_ENV, Desk, SystemClock, default_data_dir};
use hoso_model::calendar::due::OfficeHours;
use hoso_model::i18n::{self, Language};
use hoso_model::lifecycle::{EventKind, Status};
use hoso_model::supervision::{BacklogFilter, Breakdown, Period, Queue, Rating, ReviewDecision};
use hoso_model::time::{format_local, format_rfc3339_local, parse_instant};
use hoso_model::unit::Unit;
use hoso_model::{ApiError, Channel, Field, NewDossier};
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
    /// The account to sign in as; the password comes from HOSO_PASSWORD or is asked for.
    #[arg(long, global = true, env = "HOSO_USER")]
    user: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Set up the desk: the first time, with --admin, creates the first administrator and
    /// prints the recovery key once; then (and later, as an administrator) sets the receiving
    /// unit and this desk's slot.
    Init {
        /// The first administrator's sign-in name (first time only); the password comes from
        /// HOSO_PASSWORD or is asked for twice.
        #[arg(long)]
        admin: Option<String>,
        /// The first administrator's full name (default: the sign-in name).
        #[arg(long)]
        full_name: Option<String>,
        /// Unit identifier, e.g. 000.00.25.H25 or H25.123 (with --unit-name).
        #[arg(long, requires = "unit_name")]
        unit_code: Option<String>,
        /// Unit name, e.g. "Trung tâm Phục vụ hành chính công xã Thạch Hà".
        #[arg(long, requires = "unit_code")]
        unit_name: Option<String>,
        /// Governing body printed on forms, e.g. "UBND xã Thạch Hà".
        #[arg(long, default_value = "")]
        governing_body: String,
        /// This desk's slot among the unit's desks (0–9); each slot issues its own code numbers.
        #[arg(long, default_value_t = 0)]
        device_slot: u8,
        /// Office hours, e.g. "07:00-11:30, 13:30-17:00" (the default).
        #[arg(long, default_value = "07:00-11:30, 13:30-17:00")]
        office_hours: String,
    },
    /// List the procedures of the catalogue, or those matching words (with or without
    /// diacritics) or part of a code.
    Procedures { search: Option<String> },
    /// Register a dossier (received now, or at --received-at).
    Intake {
        /// National procedure code, e.g. 2.000815.
        #[arg(long)]
        procedure: String,
        /// The applicant's full name.
        #[arg(long)]
        applicant: String,
        /// When it was received, e.g. 2026-02-13T16:10:00+07:00 (default: now).
        #[arg(long)]
        received_at: Option<String>,
        /// The applicant's ID card number (12 digits, or 9 for old cards).
        #[arg(long, default_value = "")]
        id_number: String,
        #[arg(long, default_value = "")]
        phone: String,
        #[arg(long, default_value = "")]
        address: String,
        #[arg(long, default_value = "")]
        email: String,
        /// direct, online or post.
        #[arg(long, default_value = "direct", value_parser = ["direct", "online", "post"])]
        channel: String,
    },
    /// Find dossiers by code, name (with or without diacritics), ID number, phone or procedure.
    Search { text: String },
    /// Write a dossier's receipt and appointment slip (form 01) as PDF.
    Receipt {
        code: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Write a dossier's request to supplement (form 02) or refusal (form 03) as PDF.
    Form {
        /// supplement or refusal
        #[arg(value_parser = ["supplement", "refusal"])]
        kind: String,
        code: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Write the tracking book (form 07) of the dossiers received in a period as PDF.
    TrackingBook {
        /// First day, e.g. 2026-03-01.
        #[arg(long)]
        from: String,
        /// Last day, e.g. 2026-03-31.
        #[arg(long)]
        to: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Show a dossier (by code or id) with its timeline and the actions allowed now.
    Show { code: String },
    /// List the dossiers on this desk, newest first.
    List {
        /// Only dossiers in this status: received, processing, supplement_requested, resolved, …
        #[arg(long)]
        status: Option<String>,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Move a dossier through its lifecycle.
    Transition {
        code: String,
        /// transfer, back, supplement-request, supplement-received, refuse, withdraw, stop, resolve, return
        event: String,
        /// When it happened (default: now).
        #[arg(long)]
        at: Option<String>,
        /// The reason (required to request a supplement, refuse or stop).
        #[arg(long)]
        reason: Option<String>,
        /// At a hand-over: who gave the dossier.
        #[arg(long)]
        giver: Option<String>,
        /// At a hand-over: who took it.
        #[arg(long)]
        taker: Option<String>,
    },
    /// Replace the procedure catalogue or the working calendar with a newer file (applies the
    /// next time the desk opens).
    ImportCatalogue { file: PathBuf },
    /// The working calendar.
    Calendar {
        #[command(subcommand)]
        command: CalendarCommand,
    },
    /// Attach files (JPEG, PNG, TIFF, PDF) to a dossier's component or to its results. Every
    /// file is checked first; one bad file attaches nothing.
    Attach {
        code: String,
        /// The component's number in the procedure (1, 2, …).
        #[arg(long, conflicts_with = "result", required_unless_present = "result")]
        component: Option<u16>,
        /// Attach as a result document (đầu ra).
        #[arg(long)]
        result: bool,
        /// The number the result was issued under.
        #[arg(long, requires = "result")]
        result_code: Option<String>,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Scan into a dossier's component or its results; with no dossier, file a stack of
    /// several dossiers by their receipts' QR codes (a separator sheet starts the next component).
    Scan {
        /// The dossier (omit to file the stack by its cover sheets).
        code: Option<String>,
        #[arg(long, conflicts_with = "result")]
        component: Option<u16>,
        #[arg(long)]
        result: bool,
        #[arg(long, requires = "result")]
        result_code: Option<String>,
        /// The scanner, as `hoso scanners` lists it (sane:…, escl:http://…).
        #[arg(long)]
        device: String,
        #[arg(long, default_value = "flatbed", value_parser = ["flatbed", "adf", "duplex"])]
        source: String,
        #[arg(long, default_value_t = 300)]
        resolution: u32,
        #[arg(long, default_value = "color", value_parser = ["color", "gray", "lineart"])]
        mode: String,
    },
    /// The scanners reachable now.
    Scanners {
        /// Remember these network (eSCL) scanners, e.g. http://192.168.1.20/eSCL.
        #[arg(long)]
        escl: Vec<String>,
    },
    /// A dossier's pages, components and quality flags.
    Pages { code: String },
    /// Put one page right: move it to another component or to the results, or keep it as the
    /// second image of the page before it (a sheet with a sticky note).
    Page {
        #[command(subcommand)]
        action: PageAction,
    },
    /// Tick a component on the checklist (or untick it) and record the pages counted at the
    /// counter; a scan with a different count is flagged.
    Component {
        code: String,
        /// The component's number in the procedure.
        n: u16,
        #[arg(long)]
        unchecked: bool,
        /// Pages the officer counted.
        #[arg(long)]
        pages: Option<u32>,
    },
    /// Write a dossier's archive PDF (or one component's).
    Export {
        code: String,
        #[arg(long)]
        component: Option<u16>,
        #[arg(long)]
        out: PathBuf,
    },
    /// File what scanners save into a folder: by file name (CODE, CODE_TP2, CODE_KQ…) or by the
    /// QR code on the first page; filed files move to done/, others to failed/ with the reason.
    Watch {
        folder: PathBuf,
        /// One pass, then stop (default: look again every 3 seconds).
        #[arg(long)]
        once: bool,
        /// Remember the folder: the desktop window files it while it is open.
        #[arg(long)]
        remember: bool,
    },
    /// Recognise the text of the pages waiting for it; with --wait, until none is left.
    Ocr {
        #[arg(long)]
        wait: bool,
    },
    /// Enroll this desk with the hub, with the one-time code its operator gave.
    Enroll {
        /// The hub's address, e.g. https://hub.example.vn
        #[arg(long)]
        hub: String,
        #[arg(long)]
        code: String,
        /// How the hub's operator will see this desk (default: the computer's name).
        #[arg(long)]
        name: Option<String>,
    },
    /// Accounts: add, list, disable, change role or password.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Write an encrypted backup of the whole desk into a new folder inside DIR (a USB stick).
    Backup {
        #[arg(long)]
        to: PathBuf,
    },
    /// Restore a backup folder into this (empty) data folder with the recovery key (from
    /// HOSO_RECOVERY_KEY or asked for); the accounts and their passwords come back with it.
    Restore {
        #[arg(long)]
        from: PathBuf,
    },
    /// Remove the local copy of finished dossiers the hub holds, received more than the
    /// retention period ago (administrator).
    Purge {
        /// The retention period in days (default: the unit's, else 365).
        #[arg(long)]
        older_than_days: Option<u32>,
        /// Keep --older-than-days as the unit's retention period.
        #[arg(long, requires = "older_than_days")]
        remember: bool,
        /// Only count what would go.
        #[arg(long)]
        dry_run: bool,
    },
    /// Destroy this desk's keys, database and kept files before the computer is handed over
    /// (what was synced stays on the hub). Needs --yes.
    Wipe {
        #[arg(long)]
        yes: bool,
    },
    /// Set a new password for an account with the recovery key (from HOSO_RECOVERY_KEY or
    /// asked for), when every administrator's password is lost.
    Recover {
        /// The account to give a new password (from HOSO_NEW_PASSWORD or asked for).
        name: String,
    },
    /// The audit log, newest first; `hoso audit verify` checks its hash chain.
    Audit {
        #[command(subcommand)]
        command: Option<AuditCommand>,
        #[arg(long)]
        actor: Option<String>,
        /// sign-in, view, search, print, export, change, delete, settings, account, …
        #[arg(long)]
        action: Option<String>,
        /// From this day, e.g. 2026-03-01.
        #[arg(long)]
        from: Option<String>,
        /// To this day, inclusive.
        #[arg(long)]
        to: Option<String>,
        #[arg(long, default_value_t = 200)]
        limit: u32,
    },
    /// Send what waits to the hub and pull what it has, until nothing waits (or, with --watch,
    /// forever); `hoso sync status` shows where sync stands.
    /// The supervisor's backlog: every queue with its count, or the dossiers of one queue.
    Backlog {
        /// List this queue's dossiers: not_digitised, awaiting_review, rework, sync_waiting,
        /// sync_failing, sync_quarantined, due_today, due_tomorrow, overdue,
        /// results_not_digitised, supplement_pending.
        #[arg(long)]
        queue: Option<String>,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// The official indicators (1.4, 2.1, 4.1, 4.2, 4.3, 5.4) of the dossiers received in a
    /// period, with the points each earns and the dossiers each counted.
    Indicators {
        /// First day, e.g. 2026-03-01.
        #[arg(long)]
        from: String,
        /// Last day, e.g. 2026-03-31.
        #[arg(long)]
        to: String,
        /// Also per officer or per procedure.
        #[arg(long, value_parser = ["officer", "procedure"])]
        by: Option<String>,
    },
    /// Write a report: the tracking book (PDF), the backlog or the indicators (CSV or XLSX,
    /// from --out's extension).
    Report {
        #[arg(value_parser = ["tracking-book", "backlog", "indicators"])]
        kind: String,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        #[arg(long, value_parser = ["officer", "procedure"])]
        by: Option<String>,
        #[arg(long)]
        out: PathBuf,
    },
    /// A dossier's review: with no decision, where it stands and its decisions so far.
    Review {
        code: String,
        /// Approve the pages (supervisor).
        #[arg(long, conflicts_with_all = ["rework", "resubmit"])]
        approve: bool,
        /// Return the dossier to its officer with this note (supervisor).
        #[arg(long, conflicts_with = "resubmit")]
        rework: Option<String>,
        /// The officer fixed what the note said: ask for review again.
        #[arg(long)]
        resubmit: bool,
    },
    /// Approve every dossier awaiting review that the filter keeps (supervisor).
    ApproveAll {
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Record what the citizen said of the service: satisfied, neutral or dissatisfied.
    Rate {
        code: String,
        #[arg(value_parser = ["satisfied", "neutral", "dissatisfied"])]
        rating: String,
    },
    /// Put the pages of a component of an earlier dossier into a component of this one,
    /// without scanning again (counted as reuse, indicator 4.3).
    Reuse {
        code: String,
        #[arg(long)]
        component: u16,
        /// The earlier dossier's code.
        #[arg(long)]
        from: String,
        /// Its component (default: the same number).
        #[arg(long)]
        from_component: Option<u16>,
    },
    Sync {
        #[command(subcommand)]
        command: Option<SyncCommand>,
        /// Keep going: send new work as it comes, and retry when the network returns.
        #[arg(long)]
        watch: bool,
        /// Bytes of the first upload request of a file, in KiB; later ones grow with the link's
        /// speed up to --max-chunk-kib. At most one chunk is sent again after a cut.
        #[arg(long, default_value_t = 512)]
        chunk_kib: u64,
        /// The largest upload request, in KiB (default 8192).
        #[arg(long)]
        max_chunk_kib: Option<u64>,
    },
}

/// Which dossiers the backlog looks at.
#[derive(clap::Args)]
struct FilterArgs {
    /// Only those this officer received.
    #[arg(long)]
    officer: Option<String>,
    /// Only those of this procedure.
    #[arg(long)]
    procedure: Option<String>,
    /// Only those received on or after this day.
    #[arg(long)]
    from: Option<String>,
    /// Only those received on or before this day.
    #[arg(long)]
    to: Option<String>,
}

impl FilterArgs {
    fn filter(&self) -> Result<BacklogFilter, hoso_desk::Error> {
        Ok(BacklogFilter {
            officer: self.officer.clone(),
            procedure: self.procedure.clone(),
            from: self.from.as_deref().map(day).transpose()?,
            to: self.to.as_deref().map(day).transpose()?,
        })
    }
}

fn day(text: &str) -> Result<jiff::civil::Date, hoso_desk::Error> {
    text.trim().parse::<jiff::civil::Date>().map_err(|_| {
        hoso_desk::Error::Invalid(ApiError::validation(Field::Date, "unreadable date"))
    })
}

fn period(from: Option<&str>, to: Option<&str>) -> Result<Period, hoso_desk::Error> {
    let missing = || {
        hoso_desk::Error::Invalid(ApiError::validation(
            Field::Date,
            "--from and --to are needed",
        ))
    };
    Ok(Period {
        from: day(from.ok_or_else(missing)?)?,
        to: day(to.ok_or_else(missing)?)?,
    })
}

fn breakdown(by: Option<&str>) -> Option<Breakdown> {
    by.and_then(Breakdown::from_name)
}

#[derive(Subcommand)]
enum PageAction {
    /// Move the page (with its second image) to the end of a component or of the results,
    /// then to --position there.
    Move {
        /// The page's id, as `hoso pages CODE` lists it.
        page: String,
        #[arg(long, conflicts_with = "result", required_unless_present = "result")]
        component: Option<u16>,
        #[arg(long)]
        result: bool,
        /// From 1 (default: the end).
        #[arg(long)]
        position: Option<u32>,
    },
    /// Keep the page as the second image of the page before it: both stay in the archive,
    /// one after the other, and count as one page.
    Note { page: String },
    /// Make a second image a page of its own again.
    Unnote { page: String },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add an account; its password comes from HOSO_NEW_PASSWORD or is asked for twice.
    Add {
        name: String,
        #[arg(long, value_parser = ["officer", "supervisor", "admin"])]
        role: String,
        /// Full name (default: the sign-in name).
        #[arg(long)]
        full_name: Option<String>,
    },
    /// The desk's accounts.
    List,
    /// Disable an account: its password no longer opens the desk.
    Disable { name: String },
    /// Change an account's role.
    Role {
        name: String,
        #[arg(value_parser = ["officer", "supervisor", "admin"])]
        role: String,
    },
    /// Set a new password: your own (with no name), or, as an administrator, anyone's (which
    /// also enables a disabled account). The new one comes from HOSO_NEW_PASSWORD or is asked for.
    Password { name: Option<String> },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the log's hash chain; names the first broken entry and fails if there is one.
    Verify,
}

#[derive(Subcommand)]
enum SyncCommand {
    /// Where sync stands: the hub, last contact, what waits, what the hub refused.
    Status,
    /// Stop sending until `hoso sync resume`.
    Pause,
    Resume,
    /// Try a dossier the hub refused (or one backing off) again at the next pass.
    Retry {
        code: String,
    },
    /// Send the audit log again after the hub refused it (an administrator's act).
    RetryAudit,
    /// Cap uploads at this many kilobytes a second (0: no cap).
    Bandwidth {
        kbps: u64,
    },
    /// on: a dossier goes to the hub only once a supervisor approved its pages (administrator).
    AfterApproval {
        #[arg(value_parser = ["on", "off"])]
        on: String,
    },
}

#[derive(Subcommand)]
enum CalendarCommand {
    /// When a dossier of a procedure received at a given time is due.
    Due {
        #[arg(long)]
        procedure: String,
        /// e.g. 2026-02-13T16:10:00+07:00
        #[arg(long)]
        received_at: String,
    },
    /// The holidays and substitute days of a year.
    DaysOff {
        #[arg(long)]
        year: i16,
    },
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
    if let Command::Recover { name } = &cli.command {
        let recovery = secret("HOSO_RECOVERY_KEY", "Mã khôi phục / Recovery key: ", false)?;
        let (desk, _) = Desk::recover(&data_dir, &recovery, SystemClock)?;
        let password = secret("HOSO_NEW_PASSWORD", "Mật khẩu mới / New password: ", true)?;
        let account = desk.reset_password(name, &password)?;
        output(cli.json, &account, || account.name.clone());
        return Ok(());
    }
    if let Command::Restore { from } = &cli.command {
        let recovery = secret("HOSO_RECOVERY_KEY", "Mã khôi phục / Recovery key: ", false)?;
        let desk = Desk::restore(from, &data_dir, &recovery, SystemClock)?;
        let count = desk.dossier_count()?;
        let json = serde_json::json!({ "restored": data_dir, "dossiers": count });
        output(cli.json, &json, || format!("restored\t{count} dossiers"));
        return Ok(());
    }
    let first_time = matches!(cli.command, Command::Init { .. }) && !Desk::is_set_up(&data_dir);
    let (desk, notice) = if first_time {
        let Command::Init {
            admin, full_name, ..
        } = &cli.command
        else {
            unreachable!("checked above")
        };
        let admin = admin.clone().ok_or(hoso_desk::Error::NotSetUp)?;
        let password = secret("HOSO_PASSWORD", "Mật khẩu / Password: ", true)?;
        let first = hoso_model::account::NewAccount {
            full_name: full_name.clone().unwrap_or_else(|| admin.clone()),
            name: admin,
            role: hoso_model::Role::Admin,
            password,
        };
        let (desk, recovery) = Desk::set_up(&data_dir, &first, SystemClock)?;
        // Shown once, on the terminal only (never in --json output that may land in a log).
        eprintln!(
            "hoso: {}

    {}
",
            i18n::Text::RecoveryKeyNotice.in_lang(requested.unwrap_or_default()),
            recovery.display().as_str()
        );
        (desk, None)
    } else if !Desk::is_set_up(&data_dir)
        && matches!(
            cli.command,
            Command::Calendar { .. } | Command::Procedures { .. }
        )
    {
        // The built-in catalogue and calendar answer before the desk is set up.
        let store = hoso_store::Store::open_in_memory()?;
        (Desk::with_store(store, SystemClock)?, None)
    } else {
        sign_in(cli, &data_dir)?
    };
    *lang = requested.unwrap_or(desk.settings()?.language);
    if let Some(OpenNotice::MovedAside { kept_at }) = notice {
        eprintln!(
            "hoso: {}",
            i18n::moved_aside_notice(*lang, &kept_at.display().to_string())
        );
    }
    match &cli.command {
        Command::Recover { .. } | Command::Restore { .. } => {
            unreachable!("handled before signing in")
        }
        Command::Backup { to } => {
            let folder = desk.backup(to)?;
            let json = serde_json::json!({ "backup": folder });
            output(cli.json, &json, || folder.display().to_string());
        }
        Command::Purge {
            older_than_days,
            remember,
            dry_run,
        } => {
            if *remember && let Some(days) = older_than_days {
                desk.set_retention_days(*days)?;
            }
            let purged = desk.purge(*older_than_days, *dry_run)?;
            output(cli.json, &purged, || {
                format!(
                    "purged\t{} dossiers, {} files",
                    purged.dossiers, purged.files
                )
            });
        }
        Command::Wipe { yes } => {
            if !yes {
                return Err(hoso_desk::Error::Invalid(ApiError::validation(
                    Field::Backup,
                    "wiping destroys the desk: confirm with --yes",
                )));
            }
            desk.wipe()?;
            output(cli.json, &serde_json::json!({ "wiped": data_dir }), || {
                "wiped".to_owned()
            });
        }
        Command::User { command } => run_user(cli, &desk, command)?,
        Command::Audit {
            command: Some(AuditCommand::Verify),
            ..
        } => {
            let check = desk.verify_audit()?;
            output(cli.json, &check, || match check.first_broken {
                None => format!("ok\t{} entries", check.entries),
                Some(n) => format!("broken at entry {n}"),
            });
            if let Some(n) = check.first_broken {
                return Err(hoso_desk::Error::Invalid(ApiError::new(
                    hoso_model::ErrorCode::Conflict,
                    format!("the audit log is broken at entry {n}"),
                )));
            }
        }
        Command::Audit {
            command: None,
            actor,
            action,
            from,
            to,
            limit,
        } => {
            let day = |text: &Option<String>, next: bool| {
                text.as_deref()
                    .map(|t| {
                        let date = t.trim().parse::<jiff::civil::Date>().map_err(|_| {
                            hoso_desk::Error::Invalid(ApiError::validation(
                                Field::Date,
                                "unreadable date",
                            ))
                        })?;
                        let date = if next {
                            date.tomorrow().unwrap_or(date)
                        } else {
                            date
                        };
                        hoso_model::time::from_local(
                            date.to_datetime(jiff::civil::Time::midnight()),
                        )
                        .ok_or_else(|| {
                            hoso_desk::Error::Invalid(ApiError::validation(
                                Field::Date,
                                "unreadable date",
                            ))
                        })
                    })
                    .transpose()
            };
            let filter = hoso_model::account::AuditFilter {
                actor: actor.clone(),
                action: action.clone(),
                object: None,
                from: day(from, false)?,
                to: day(to, true)?,
                limit: Some(*limit),
            };
            let entries = desk.audit_log(&filter)?;
            output(cli.json, &entries, || {
                entries
                    .iter()
                    .map(|e| {
                        format!(
                            "{}\t{}\t{}\t{}\t{}\t{}",
                            e.seq,
                            format_local(e.at),
                            e.actor,
                            e.action,
                            e.object,
                            e.detail
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        Command::Init {
            admin: _,
            full_name: _,
            unit_code,
            unit_name,
            governing_body,
            device_slot,
            office_hours,
        } => {
            let (Some(unit_code), Some(unit_name)) = (unit_code, unit_name) else {
                let json = serde_json::json!({ "set_up": true });
                output(cli.json, &json, || "ok".into());
                return Ok(());
            };
            let office_hours = OfficeHours::parse(office_hours).ok_or_else(|| {
                hoso_desk::Error::Invalid(ApiError::validation(
                    Field::OfficeHours,
                    "unreadable office hours",
                ))
            })?;
            let unit = desk.set_unit(Unit {
                code: unit_code.clone(),
                name: unit_name.clone(),
                governing_body: governing_body.clone(),
                device_slot: *device_slot,
                office_hours,
            })?;
            output(cli.json, &unit, || {
                format!("{}\t{}\t{}", unit.code, unit.device_slot, unit.name)
            });
        }
        Command::Procedures { search } => {
            let procedures =
                hoso_model::procedure::search(desk.procedures(), search.as_deref().unwrap_or(""));
            output(cli.json, &procedures, || {
                procedures
                    .iter()
                    .map(|p| format!("{}\t{}\t{}", p.code, p.field, p.name))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        Command::Intake {
            procedure,
            applicant,
            received_at,
            id_number,
            phone,
            address,
            email,
            channel,
        } => {
            let channel = Channel::from_name(channel).expect("clap allows only known channels");
            let form = NewDossier {
                procedure_code: procedure.clone(),
                applicant_name: applicant.clone(),
                id_number: id_number.clone(),
                phone: phone.clone(),
                address: address.clone(),
                email: email.clone(),
                channel,
            };
            let dossier = match received_at {
                Some(text) => desk.register_at(&form, instant(text)?)?,
                None => desk.register(&form)?,
            };
            output(cli.json, &dossier, || dossier_line(*lang, &dossier));
        }
        Command::Search { text } => {
            let found = desk.search(text)?;
            output(cli.json, &found, || {
                found
                    .iter()
                    .map(|d| dossier_line(*lang, d))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        Command::Receipt { code, out } => {
            let pdf = desk.receipt(code)?;
            hoso_desk::files::write_atomically(out, &pdf)?;
            let json = serde_json::json!({ "dossier": code, "out": out, "bytes": pdf.len() });
            output(cli.json, &json, || out.display().to_string());
        }
        Command::Form { kind, code, out } => {
            let kind = if kind == "refusal" {
                hoso_forms::NoticeKind::Refusal
            } else {
                hoso_forms::NoticeKind::Supplement
            };
            let pdf = desk.notice_form(code, kind)?;
            hoso_desk::files::write_atomically(out, &pdf)?;
            let json = serde_json::json!({ "dossier": code, "out": out, "bytes": pdf.len() });
            output(cli.json, &json, || out.display().to_string());
        }
        Command::TrackingBook { from, to, out } => {
            let day = |text: &str| {
                text.trim().parse::<jiff::civil::Date>().map_err(|_| {
                    hoso_desk::Error::Invalid(ApiError::validation(Field::Date, "unreadable date"))
                })
            };
            let pdf = desk.tracking_book(day(from)?, day(to)?)?;
            hoso_desk::files::write_atomically(out, &pdf)?;
            let json =
                serde_json::json!({ "from": from, "to": to, "out": out, "bytes": pdf.len() });
            output(cli.json, &json, || out.display().to_string());
        }
        Command::Backlog { queue, filter } => {
            run_backlog(cli.json, *lang, &desk, queue.as_deref(), filter)?
        }
        Command::Indicators { from, to, by } => {
            let indicators =
                desk.indicators(period(Some(from), Some(to))?, breakdown(by.as_deref()))?;
            output(cli.json, &indicators, || {
                indicator_lines(*lang, &indicators)
            });
        }
        Command::Report {
            kind,
            from,
            to,
            by,
            out,
        } => {
            let bytes = match kind.as_str() {
                "tracking-book" => {
                    let p = period(from.as_deref(), to.as_deref())?;
                    desk.tracking_book(p.from, p.to)?
                }
                _ => {
                    let format = ReportFormat::from_path(out).ok_or_else(|| {
                        hoso_desk::Error::Invalid(ApiError::validation(
                            Field::File,
                            "the report is written as .csv or .xlsx",
                        ))
                    })?;
                    if kind == "backlog" {
                        let filter = FilterArgs {
                            officer: None,
                            procedure: None,
                            from: from.clone(),
                            to: to.clone(),
                        }
                        .filter()?;
                        desk.backlog_report(&filter, format)?
                    } else {
                        let p = period(from.as_deref(), to.as_deref())?;
                        desk.indicators_report(p, breakdown(by.as_deref()), format)?
                    }
                }
            };
            hoso_desk::files::write_atomically(out, &bytes)?;
            let json = serde_json::json!({ "kind": kind, "out": out, "bytes": bytes.len() });
            output(cli.json, &json, || out.display().to_string());
        }
        Command::Review {
            code,
            approve,
            rework,
            resubmit,
        } => {
            let decision = match (approve, rework, resubmit) {
                (true, _, _) => Some((ReviewDecision::Approve, None)),
                (_, Some(note), _) => Some((ReviewDecision::Rework, Some(note.clone()))),
                (_, _, true) => Some((ReviewDecision::Resubmit, None)),
                _ => None,
            };
            if let Some((decision, note)) = decision {
                desk.decide(code, decision, note)?;
            }
            let review = desk.review(code)?;
            output(cli.json, &review, || {
                let mut lines = vec![format!(
                    "{}\t{}",
                    review
                        .dossier
                        .code
                        .as_deref()
                        .unwrap_or(&review.dossier.id.0),
                    i18n::review_label(*lang, review.state)
                )];
                for e in &review.log {
                    lines.push(format!(
                        "  {}  {}  {}{}",
                        format_local(e.at),
                        e.actor,
                        i18n::decision_label(*lang, e.decision),
                        e.note
                            .as_deref()
                            .map(|n| format!(": {n}"))
                            .unwrap_or_default()
                    ));
                }
                lines.join("\n")
            });
        }
        Command::ApproveAll { filter } => {
            let items = desk.queue(Queue::AwaitingReview, &filter.filter()?)?;
            let codes: Vec<String> = items.iter().map(|i| i.dossier.id.0.clone()).collect();
            let approved = desk.approve_all(&codes)?;
            let json = serde_json::json!({ "approved": approved });
            output(cli.json, &json, || format!("approved\t{approved}"));
        }
        Command::Rate { code, rating } => {
            let rating = Rating::from_name(rating).expect("clap checked the value");
            desk.rate(code, rating)?;
            let json = serde_json::json!({ "code": code, "rating": rating });
            output(cli.json, &json, || {
                i18n::rating_label(*lang, rating).to_owned()
            });
        }
        Command::Reuse {
            code,
            component,
            from,
            from_component,
        } => {
            let pages = desk.reuse(code, *component, from, from_component.unwrap_or(*component))?;
            let json = serde_json::json!({ "code": code, "component": component, "pages": pages });
            output(cli.json, &json, || format!("reused\t{pages} pages"));
        }
        Command::Show { code } => {
            let detail = desk.detail(code)?;
            output(cli.json, &detail, || {
                let mut lines = vec![dossier_line(*lang, &detail.dossier)];
                for e in &detail.events {
                    lines.push(format!(
                        "  {}  {}{}{}",
                        format_local(e.at),
                        i18n::event_label(*lang, e.kind),
                        e.reason
                            .as_deref()
                            .map(|r| format!(": {r}"))
                            .unwrap_or_default(),
                        handover_text(e)
                    ));
                }
                let allowed: Vec<&str> = detail.allowed.iter().map(|k| k.name()).collect();
                lines.push(format!("  → {}", allowed.join(", ")));
                lines.join("\n")
            });
        }
        Command::List { status, filter } => {
            let status = match status {
                None => None,
                Some(name) => Some(status_named(name)?),
            };
            let dossiers = desk.dossiers_matching(status, &filter.filter()?)?;
            output(cli.json, &dossiers, || {
                dossiers
                    .iter()
                    .map(|d| dossier_line(*lang, d))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        Command::Transition {
            code,
            event,
            at,
            reason,
            giver,
            taker,
        } => {
            let kind = EventKind::from_name(event).ok_or_else(|| {
                hoso_desk::Error::Invalid(ApiError::validation(Field::Event, "unknown event"))
            })?;
            let at = at.as_deref().map(instant).transpose()?;
            let handover = hoso_desk::Handover {
                giver: giver.clone(),
                taker: taker.clone(),
            };
            let detail = desk.transition_with(code, kind, at, reason.clone(), handover)?;
            output(cli.json, &detail, || dossier_line(*lang, &detail.dossier));
        }
        Command::ImportCatalogue { file } => {
            let json = std::fs::read_to_string(file).map_err(|_| {
                hoso_desk::Error::Invalid(ApiError::validation(
                    Field::Catalogue,
                    "the file cannot be read",
                ))
            })?;
            let (kind, version) = desk.import_catalogue(&json)?;
            let out = serde_json::json!({ "imported": kind.name(), "version": version });
            output(cli.json, &out, || format!("{}\t{version}", kind.name()));
        }
        Command::Calendar {
            command:
                CalendarCommand::Due {
                    procedure,
                    received_at,
                },
        } => {
            let received = instant(received_at)?;
            let due = desk.due_date(procedure, received)?;
            let json = serde_json::json!({
                "procedure": procedure,
                "received_at": format_rfc3339_local(received),
                "due_at": due.map(format_rfc3339_local),
            });
            output(cli.json, &json, || {
                due.map(format_rfc3339_local).unwrap_or_else(|| "-".into())
            });
        }
        Command::Attach {
            code,
            component,
            result,
            result_code,
            files,
        } => {
            let target = target_of(*component, *result, result_code)?;
            let pages = desk.attach(code, &target, files)?;
            output(cli.json, &pages, || page_lines(&pages));
        }
        Command::Scan {
            code,
            component,
            result,
            result_code,
            device,
            source,
            resolution,
            mode,
        } => {
            let start = match code {
                Some(code) => Some((code.as_str(), target_of(*component, *result, result_code)?)),
                None => None,
            };
            let settings = hoso_capture::ScanSettings {
                feed: hoso_capture::Feed::from_name(source).expect("clap allows only known feeds"),
                resolution: *resolution,
                mode: hoso_capture::ColourMode::from_name(mode)
                    .expect("clap allows only known modes"),
            };
            let json = cli.json;
            let outcome = desk.scan(start, device, &settings, &mut |page| {
                if !json {
                    eprintln!("  + {}", page_line(page));
                }
            })?;
            output(cli.json, &outcome, || {
                format!(
                    "{} pages → {}",
                    outcome.pages.len(),
                    outcome.dossiers.join(", ")
                )
            });
        }
        Command::Scanners { escl } => {
            if !escl.is_empty() {
                desk.set_escl_urls(escl)?;
            }
            let found = desk.scanners()?;
            output(cli.json, &found, || {
                found
                    .iter()
                    .map(|d| {
                        let feeds: Vec<&str> = d.feeds.iter().map(|f| f.name()).collect();
                        format!("{}	{}	{}", d.id, d.name, feeds.join(","))
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        Command::Pages { code } => {
            let state = desk.digitisation(code)?;
            output(cli.json, &state, || {
                let mut lines: Vec<String> = state
                    .components
                    .iter()
                    .map(|c| {
                        format!(
                            "[{}] {}. {} ({} pages{})",
                            if c.checked { "x" } else { " " },
                            c.n,
                            c.name,
                            c.pages,
                            if c.missing() { ", missing" } else { "" }
                        )
                    })
                    .collect();
                lines.push(page_lines(&state.pages));
                lines.join("\n")
            });
        }
        Command::Page { action } => {
            let page = match action {
                PageAction::Move {
                    page,
                    component,
                    result,
                    position,
                } => {
                    let target = match (component, result) {
                        (Some(n), _) => hoso_model::page::Target::Component { n: *n },
                        _ => hoso_model::page::Target::Result { code: None },
                    };
                    let moved = desk.refile_page(page, &target)?;
                    match position {
                        Some(p) => desk.move_page(&moved.id, *p)?,
                        None => moved,
                    }
                }
                PageAction::Note { page } => desk.join_note(page)?,
                PageAction::Unnote { page } => desk.split_note(page)?,
            };
            output(cli.json, &page, || page_line(&page));
        }
        Command::Component {
            code,
            n,
            unchecked,
            pages,
        } => {
            let state = desk.set_component(code, *n, !unchecked, *pages)?;
            output(cli.json, &state.components, || {
                state
                    .components
                    .iter()
                    .map(|c| {
                        format!(
                            "[{}] {}. {} ({}/{})",
                            if c.checked { "x" } else { " " },
                            c.n,
                            c.name,
                            c.pages,
                            c.declared_pages.map_or("-".into(), |d| d.to_string())
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        Command::Export {
            code,
            component,
            out,
        } => {
            let archive = desk.export_to(code, *component, out)?;
            let json = serde_json::json!({
                "dossier": code,
                "out": out,
                "pages": archive.pages,
                "bytes": std::fs::metadata(out).map(|m| m.len()).unwrap_or(0),
            });
            output(cli.json, &json, || out.display().to_string());
        }
        Command::Watch {
            folder,
            once,
            remember,
        } => {
            if *remember {
                desk.set_watched_folder(folder)?;
            }
            loop {
                let pass = desk.file_folder(folder, *lang)?;
                output(cli.json, &pass, || {
                    let mut lines: Vec<String> = pass
                        .filed
                        .iter()
                        .map(|(name, code, pages)| format!("{name}\t→ {code}\t{pages}"))
                        .collect();
                    lines.extend(
                        pass.failed
                            .iter()
                            .map(|(name, why)| format!("{name}\t✗ {why}")),
                    );
                    lines.join("\n")
                });
                if *once {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_secs(3));
            }
        }
        Command::Enroll { hub, code, name } => {
            let name = name
                .clone()
                .or_else(|| std::env::var("HOSTNAME").ok())
                .or_else(|| {
                    std::fs::read_to_string("/etc/hostname")
                        .ok()
                        .map(|h| h.trim().to_owned())
                })
                .unwrap_or_else(|| "desk".into());
            let enrollment = desk.enroll(hub, code, &name)?;
            output(cli.json, &enrollment, || {
                format!(
                    "{}\t{}\tslot {}\t{}",
                    enrollment.unit_code,
                    enrollment.device_id,
                    enrollment.slot,
                    enrollment.unit_name
                )
            });
        }
        Command::Sync {
            command,
            watch,
            chunk_kib,
            max_chunk_kib,
        } => run_sync(
            &desk,
            cli.json,
            command.as_ref(),
            *watch,
            (*chunk_kib, *max_chunk_kib),
        )?,
        #[cfg(not(target_os = "linux"))]
        Command::Ocr { .. } => {
            return Err(hoso_desk::Error::Capture {
                error: hoso_capture::CaptureError::Ocr(
                    "text recognition is not part of this build".into(),
                ),
                item: None,
            });
        }
        #[cfg(target_os = "linux")]
        Command::Ocr { wait } => {
            let summary = if *wait {
                let pool = hoso_desk::text::pool()?;
                desk.recognise_waiting(&pool, None)?
            } else {
                hoso_desk::text::TextSummary {
                    waiting: desk.text_waiting()?,
                    ..Default::default()
                }
            };
            output(cli.json, &summary, || {
                format!(
                    "recognised {}, failed {}, waiting {}",
                    summary.recognised, summary.failed, summary.waiting
                )
            });
        }
        Command::Calendar {
            command: CalendarCommand::DaysOff { year },
        } => {
            let days = desk.days_off(*year);
            output(cli.json, &days, || {
                days.iter()
                    .map(|d| format!("{}\t{}", d.date, d.reason))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}

/// A password or key from the environment variable `var`, or asked for on the terminal
/// (twice when `confirm`). Never echoed, never logged.
fn secret(var: &str, prompt: &str, confirm: bool) -> Result<String, hoso_desk::Error> {
    if let Ok(value) = std::env::var(var) {
        return Ok(value);
    }
    let ask = |p: &str| rpassword::prompt_password(p).map_err(|_| hoso_desk::Error::SignIn);
    let first = ask(prompt)?;
    if confirm {
        let again = ask("  (nhập lại / again): ")?;
        if again != first {
            return Err(hoso_desk::Error::Invalid(ApiError::validation(
                Field::Password,
                "the two passwords differ",
            )));
        }
    }
    Ok(first)
}

/// Signs in as `--user` (or HOSO_USER) with HOSO_PASSWORD or a password asked for.
fn sign_in(
    cli: &Cli,
    data_dir: &std::path::Path,
) -> Result<(Desk, Option<OpenNotice>), hoso_desk::Error> {
    if !Desk::is_set_up(data_dir) {
        return Err(hoso_desk::Error::NotSetUp);
    }
    let user = cli.user.clone().ok_or(hoso_desk::Error::SignIn)?;
    let password = secret("HOSO_PASSWORD", "Mật khẩu / Password: ", false)?;
    Desk::sign_in(data_dir, &user, &password, SystemClock)
}

fn run_user(cli: &Cli, desk: &Desk, command: &UserCommand) -> Result<(), hoso_desk::Error> {
    let role =
        |name: &str| hoso_model::Role::from_name(name).expect("clap allows only known roles");
    match command {
        UserCommand::Add {
            name,
            role: r,
            full_name,
        } => {
            let password = secret("HOSO_NEW_PASSWORD", "Mật khẩu mới / New password: ", true)?;
            let account = desk.add_account(&hoso_model::account::NewAccount {
                name: name.clone(),
                full_name: full_name.clone().unwrap_or_else(|| name.clone()),
                role: role(r),
                password,
            })?;
            output(cli.json, &account, || account_line(&account));
        }
        UserCommand::List => {
            let accounts = desk.accounts()?;
            output(cli.json, &accounts, || {
                accounts
                    .iter()
                    .map(account_line)
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        UserCommand::Disable { name } => {
            let account = desk.disable_account(name)?;
            output(cli.json, &account, || account_line(&account));
        }
        UserCommand::Role { name, role: r } => {
            let account = desk.set_role(name, role(r))?;
            output(cli.json, &account, || account_line(&account));
        }
        UserCommand::Password { name: None } => {
            let current = secret(
                "HOSO_PASSWORD",
                "Mật khẩu hiện tại / Current password: ",
                false,
            )?;
            let new = secret("HOSO_NEW_PASSWORD", "Mật khẩu mới / New password: ", true)?;
            desk.change_password(&current, &new)?;
            output(cli.json, &serde_json::json!({ "changed": true }), || {
                "ok".into()
            });
        }
        UserCommand::Password { name: Some(name) } => {
            let new = secret("HOSO_NEW_PASSWORD", "Mật khẩu mới / New password: ", true)?;
            let account = desk.reset_password(name, &new)?;
            output(cli.json, &account, || account_line(&account));
        }
    }
    Ok(())
}

fn account_line(a: &hoso_model::Account) -> String {
    format!(
        "{}\t{}\t{}{}",
        a.name,
        a.role.name(),
        a.full_name,
        if a.disabled { "\t(disabled)" } else { "" }
    )
}

fn target_of(
    component: Option<u16>,
    result: bool,
    result_code: &Option<String>,
) -> Result<hoso_model::page::Target, hoso_desk::Error> {
    match (component, result) {
        (_, true) => Ok(hoso_model::page::Target::Result {
            code: result_code.clone(),
        }),
        (Some(n), false) => Ok(hoso_model::page::Target::Component { n }),
        (None, false) => Err(hoso_desk::Error::Invalid(ApiError::validation(
            Field::Component,
            "say --component N or --result",
        ))),
    }
}

fn page_line(p: &hoso_model::page::PageInfo) -> String {
    let place = match &p.target {
        hoso_model::page::Target::Component { n } => format!("TP{n}"),
        hoso_model::page::Target::Result { code } => {
            format!(
                "KQ{}",
                code.as_deref().map(|c| format!(" {c}")).unwrap_or_default()
            )
        }
    };
    let flags: Vec<String> = p
        .flags
        .iter()
        .map(|f| {
            serde_json::to_value(f)
                .ok()
                .and_then(|v| v["flag"].as_str().map(str::to_owned))
                .unwrap_or_default()
        })
        .collect();
    format!(
        "{place}/{}{}\t{}\t{}×{}\t{}°\t{}\t{}",
        p.position,
        if p.note_of.is_some() { "b" } else { "" },
        p.id,
        p.width,
        p.height,
        p.rotation,
        p.ocr.name(),
        flags.join(",")
    )
}

fn page_lines(pages: &[hoso_model::page::PageInfo]) -> String {
    pages.iter().map(page_line).collect::<Vec<_>>().join("\n")
}

/// " (giver → taker)" for a hand-over that names them.
fn handover_text(e: &hoso_model::lifecycle::Event) -> String {
    match (&e.giver, &e.taker) {
        (None, None) => String::new(),
        (giver, taker) => format!(
            " ({} → {})",
            giver.as_deref().unwrap_or("?"),
            taker.as_deref().unwrap_or("?")
        ),
    }
}

fn instant(text: &str) -> Result<jiff::Timestamp, hoso_desk::Error> {
    parse_instant(text).ok_or_else(|| {
        hoso_desk::Error::Invalid(ApiError::validation(Field::Date, "unreadable date"))
    })
}

fn status_named(name: &str) -> Result<Status, hoso_desk::Error> {
    Status::from_name(name).ok_or_else(|| {
        hoso_desk::Error::Invalid(ApiError::validation(Field::Event, "unknown status"))
    })
}

fn dossier_line(lang: Language, d: &hoso_model::Dossier) -> String {
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

/// Prints JSON with `--json`, else the text `text` makes.
fn output(json: bool, value: &impl serde::Serialize, text: impl FnOnce() -> String) {
    if json {
        print_json(value);
    } else {
        println!("{}", text());
    }
}

fn run_sync(
    desk: &Desk,
    json: bool,
    command: Option<&SyncCommand>,
    watch: bool,
    (chunk_kib, max_chunk_kib): (u64, Option<u64>),
) -> Result<(), hoso_desk::Error> {
    match command {
        None => {
            let config = hoso_sync::Config {
                chunk_size: chunk_kib.clamp(1, 64 * 1024) * 1024,
                max_chunk_size: max_chunk_kib.unwrap_or(8 * 1024).clamp(1, 64 * 1024) * 1024,
                ..Default::default()
            };
            let status = desk.sync(config, watch)?;
            let overview = desk.sync_overview()?;
            let out = serde_json::json!({
                "accepted": status.accepted,
                "files": status.files,
                "bytes_sent": status.bytes_sent,
                "pulled": status.pulled,
                "audit": status.audit,
                "waiting_dossiers": overview.waiting_dossiers,
                "quarantined": overview.quarantined.len(),
                "audit_waiting": overview.audit_waiting,
                "audit_problem": overview.audit_problem,
            });
            output(json, &out, || {
                format!(
                    "sent {} dossier versions, {} files ({} bytes), {} audit entries; pulled {} changes; {} waiting, {} refused",
                    status.accepted,
                    status.files,
                    status.bytes_sent,
                    status.audit,
                    status.pulled,
                    overview.waiting_dossiers,
                    overview.quarantined.len()
                )
            });
        }
        Some(SyncCommand::Status) => {
            let overview = desk.sync_overview()?;
            output(json, &overview, || {
                let mut lines = vec![
                    format!("hub\t{}", overview.hub_url.as_deref().unwrap_or("-")),
                    format!(
                        "last contact\t{}",
                        overview
                            .last_contact
                            .map(format_rfc3339_local)
                            .unwrap_or_else(|| "-".into())
                    ),
                    format!("paused\t{}", overview.paused),
                    format!("problem\t{}", overview.problem.as_deref().unwrap_or("-")),
                    format!(
                        "waiting\t{} dossiers, {} files, {} bytes",
                        overview.waiting_dossiers, overview.waiting_files, overview.waiting_bytes
                    ),
                    format!(
                        "audit log\t{} entries waiting{}",
                        overview.audit_waiting,
                        overview
                            .audit_problem
                            .as_deref()
                            .map(|p| format!(", refused by the hub: {p}"))
                            .unwrap_or_default()
                    ),
                ];
                for q in &overview.quarantined {
                    lines.push(format!(
                        "refused\t{}\t{}",
                        q.code.as_deref().unwrap_or(&q.id.0),
                        q.reason
                    ));
                }
                lines.join("\n")
            });
        }
        Some(SyncCommand::Pause) => desk.set_sync_paused(true)?,
        Some(SyncCommand::Resume) => desk.set_sync_paused(false)?,
        Some(SyncCommand::Retry { code }) => desk.retry_sync(code)?,
        Some(SyncCommand::RetryAudit) => desk.retry_audit_sync()?,
        Some(SyncCommand::Bandwidth { kbps }) => {
            desk.set_sync_bandwidth((*kbps > 0).then(|| kbps * 1000))?
        }
        Some(SyncCommand::AfterApproval { on }) => desk.set_sync_after_approval(on == "on")?,
    }
    Ok(())
}

fn run_backlog(
    json: bool,
    lang: Language,
    desk: &Desk,
    queue: Option<&str>,
    filter: &FilterArgs,
) -> Result<(), hoso_desk::Error> {
    let filter = filter.filter()?;
    match queue {
        None => {
            let backlog = desk.backlog(&filter)?;
            output(json, &backlog, || {
                backlog
                    .queues
                    .iter()
                    .map(|q| {
                        format!(
                            "{}\t{}\t{}",
                            q.queue.name(),
                            q.count,
                            i18n::queue_label(lang, q.queue)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        Some(name) => {
            let queue = Queue::from_name(name).ok_or_else(|| {
                hoso_desk::Error::Invalid(ApiError::validation(Field::Review, "no such queue"))
            })?;
            let items = desk.queue(queue, &filter)?;
            output(json, &items, || {
                items
                    .iter()
                    .map(|i| {
                        let mut line = dossier_line(lang, &i.dossier);
                        if let Some(officer) = &i.officer {
                            line.push_str(&format!("\t{officer}"));
                        }
                        if let Some(note) = &i.note {
                            line.push_str(&format!("\t{note}"));
                        }
                        line
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}

fn indicator_lines(lang: Language, indicators: &hoso_model::supervision::Indicators) -> String {
    let mut lines = Vec::new();
    for set in std::iter::once(&indicators.unit).chain(&indicators.by) {
        let name = if set.key.is_empty() {
            "*"
        } else {
            set.key.as_str()
        };
        for i in &set.indicators {
            lines.push(format!(
                "{name}\t{}\t{}/{}\t{}\t{}",
                i18n::indicator_label(lang, i.code),
                i.met,
                i.counted,
                i.rate
                    .map(|r| format!("{r:.1} %"))
                    .unwrap_or_else(|| "-".into()),
                match (i.points, i.max_points) {
                    (Some(p), Some(m)) => format!("{p:.1}/{m:.0}"),
                    _ => "-".into(),
                }
            ));
        }
    }
    lines.join("\n")
}

fn print_json(value: &impl serde::Serialize) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).expect("model types serialise")
    );
}
