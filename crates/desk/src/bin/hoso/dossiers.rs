//! Dossiers: the catalogue of procedures, registering, finding and showing dossiers, moving
//! them through their lifecycle, and their official forms. `procedures` answers from the
//! built-in catalogue before the desk is set up.

use std::path::PathBuf;

use clap::Subcommand;
use hoso_desk::{Error, Handover};
use hoso_model::i18n;
use hoso_model::lifecycle::{Event, EventKind, Status};
use hoso_model::time::format_local;
use hoso_model::{Channel, Field, NewDossier};

use crate::common::{Context, FilterArgs, day, dossier_line, instant, lines};

#[derive(Subcommand)]
pub enum Command {
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
        /// When it was received, in Vietnamese time: 13/02/2026 16:10, or
        /// 2026-02-13T16:10:00+07:00 (default: now).
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
        /// First day, day first: 01/03/2026 (or 2026-03-01).
        #[arg(long)]
        from: String,
        /// Last day, day first: 31/03/2026 (or 2026-03-31).
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
}

impl Command {
    pub fn run(self, cx: &mut Context) -> Result<(), Error> {
        let desk = if matches!(self, Command::Procedures { .. }) {
            cx.desk_or_built_in()?
        } else {
            cx.sign_in()?
        };
        let lang = cx.lang;
        match self {
            Command::Procedures { search } => {
                let procedures = hoso_model::procedure::search(
                    desk.procedures(),
                    search.as_deref().unwrap_or(""),
                );
                cx.output(&procedures, || {
                    lines(&procedures, |p| {
                        format!("{}\t{}\t{}", p.code, p.field, p.name)
                    })
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
                let channel =
                    Channel::from_name(&channel).expect("clap allows only known channels");
                let form = NewDossier {
                    procedure_code: procedure,
                    applicant_name: applicant,
                    id_number,
                    phone,
                    address,
                    email,
                    channel,
                };
                let dossier = match received_at {
                    Some(text) => desk.register_at(&form, instant(&text)?)?,
                    None => desk.register(&form)?,
                };
                cx.output(&dossier, || dossier_line(lang, &dossier));
            }
            Command::Search { text } => {
                let found = desk.search(&text)?;
                cx.output(&found, || lines(&found, |d| dossier_line(lang, d)));
            }
            Command::Receipt { code, out } => {
                let pdf = desk.receipt(&code)?;
                hoso_desk::files::write_atomically(&out, &pdf)?;
                let json = serde_json::json!({ "dossier": code, "out": out, "bytes": pdf.len() });
                cx.output(&json, || out.display().to_string());
            }
            Command::Form { kind, code, out } => {
                let kind = if kind == "refusal" {
                    hoso_forms::NoticeKind::Refusal
                } else {
                    hoso_forms::NoticeKind::Supplement
                };
                let pdf = desk.notice_form(&code, kind)?;
                hoso_desk::files::write_atomically(&out, &pdf)?;
                let json = serde_json::json!({ "dossier": code, "out": out, "bytes": pdf.len() });
                cx.output(&json, || out.display().to_string());
            }
            Command::TrackingBook { from, to, out } => {
                let pdf = desk.tracking_book(day(&from)?, day(&to)?)?;
                hoso_desk::files::write_atomically(&out, &pdf)?;
                let json =
                    serde_json::json!({ "from": from, "to": to, "out": out, "bytes": pdf.len() });
                cx.output(&json, || out.display().to_string());
            }
            Command::Show { code } => {
                let detail = desk.detail(&code)?;
                cx.output(&detail, || {
                    let mut lines = vec![dossier_line(lang, &detail.dossier)];
                    for e in &detail.events {
                        lines.push(format!(
                            "  {}  {}{}{}",
                            format_local(e.at),
                            i18n::event_label(lang, e.kind),
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
                let status = status.as_deref().map(status_named).transpose()?;
                let dossiers = desk.dossiers_matching(status, &filter.filter()?)?;
                cx.output(&dossiers, || lines(&dossiers, |d| dossier_line(lang, d)));
            }
            Command::Transition {
                code,
                event,
                at,
                reason,
                giver,
                taker,
            } => {
                let kind = EventKind::from_name(&event)
                    .ok_or_else(|| Error::refused(Field::Event, "unknown event"))?;
                let at = at.as_deref().map(instant).transpose()?;
                let handover = Handover { giver, taker };
                let detail = desk.transition_with(&code, kind, at, reason, handover)?;
                cx.output(&detail, || dossier_line(lang, &detail.dossier));
            }
            Command::ImportCatalogue { file } => {
                cx.given(std::slice::from_ref(&file));
                let json = std::fs::read_to_string(file)
                    .map_err(|_| Error::refused(Field::Catalogue, "the file cannot be read"))?;
                let (kind, version) = desk.import_catalogue(&json)?;
                let out = serde_json::json!({ "imported": kind.name(), "version": version });
                cx.output(&out, || format!("{}\t{version}", kind.name()));
            }
        }
        Ok(())
    }
}

fn status_named(name: &str) -> Result<Status, Error> {
    Status::from_name(name).ok_or_else(|| Error::refused(Field::Event, "unknown status"))
}

/// " (giver → taker)" for a hand-over that names them.
fn handover_text(e: &Event) -> String {
    match (&e.giver, &e.taker) {
        (None, None) => String::new(),
        (giver, taker) => format!(
            " ({} → {})",
            giver.as_deref().unwrap_or("?"),
            taker.as_deref().unwrap_or("?")
        ),
    }
}
