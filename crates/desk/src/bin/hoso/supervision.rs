//! Supervision: the backlog and its queues, reviewing digitised pages, the official indicators
//! and the reports, the citizen's rating, and reusing pages of an earlier dossier.

use std::path::PathBuf;

use clap::Subcommand;
use hoso_desk::reports::ReportFormat;
use hoso_desk::{Desk, Error};
use hoso_model::Field;
use hoso_model::i18n::{self, Language};
use hoso_model::supervision::{Indicators, Queue, Rating, ReviewDecision};
use hoso_model::time::format_local;

use crate::common::{Context, FilterArgs, breakdown, dossier_line, lines, period};

#[derive(Subcommand)]
pub enum Command {
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
        /// First day, day first: 01/03/2026 (or 2026-03-01).
        #[arg(long)]
        from: String,
        /// Last day, day first: 31/03/2026 (or 2026-03-31).
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
        /// First day, day first: 01/03/2026 (or 2026-03-01).
        #[arg(long)]
        from: Option<String>,
        /// Last day, day first: 31/03/2026 (or 2026-03-31).
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
}

impl Command {
    pub fn run(self, cx: &mut Context) -> Result<(), Error> {
        let desk = cx.sign_in()?;
        let lang = cx.lang;
        match self {
            Command::Backlog { queue, filter } => backlog(cx, &desk, queue.as_deref(), &filter)?,
            Command::Indicators { from, to, by } => {
                let indicators =
                    desk.indicators(period(Some(&from), Some(&to))?, breakdown(by.as_deref()))?;
                cx.output(&indicators, || indicator_lines(lang, &indicators));
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
                        let format = ReportFormat::from_path(&out).ok_or_else(|| {
                            Error::refused(Field::File, "the report is written as .csv or .xlsx")
                        })?;
                        if kind == "backlog" {
                            let filter = FilterArgs {
                                officer: None,
                                procedure: None,
                                from,
                                to,
                            }
                            .filter()?;
                            desk.backlog_report(&filter, format)?
                        } else {
                            let p = period(from.as_deref(), to.as_deref())?;
                            desk.indicators_report(p, breakdown(by.as_deref()), format)?
                        }
                    }
                };
                hoso_desk::files::write_atomically(&out, &bytes)?;
                let json = serde_json::json!({ "kind": kind, "out": out, "bytes": bytes.len() });
                cx.output(&json, || out.display().to_string());
            }
            Command::Review {
                code,
                approve,
                rework,
                resubmit,
            } => {
                let decision = match (approve, rework, resubmit) {
                    (true, _, _) => Some((ReviewDecision::Approve, None)),
                    (_, Some(note), _) => Some((ReviewDecision::Rework, Some(note))),
                    (_, _, true) => Some((ReviewDecision::Resubmit, None)),
                    _ => None,
                };
                if let Some((decision, note)) = decision {
                    desk.decide(&code, decision, note)?;
                }
                let review = desk.review(&code)?;
                cx.output(&review, || {
                    let dossier = &review.dossier;
                    let mut lines = vec![format!(
                        "{}\t{}",
                        dossier.code.as_deref().unwrap_or(&dossier.id.0),
                        i18n::review_label(lang, review.state)
                    )];
                    for e in &review.log {
                        lines.push(format!(
                            "  {}  {}  {}{}",
                            format_local(e.at),
                            e.actor,
                            i18n::decision_label(lang, e.decision),
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
                cx.output(&json, || format!("approved\t{approved}"));
            }
            Command::Rate { code, rating } => {
                let rating = Rating::from_name(&rating).expect("clap checked the value");
                desk.rate(&code, rating)?;
                let json = serde_json::json!({ "code": code, "rating": rating });
                cx.output(&json, || i18n::rating_label(lang, rating).to_owned());
            }
            Command::Reuse {
                code,
                component,
                from,
                from_component,
            } => {
                let pages =
                    desk.reuse(&code, component, &from, from_component.unwrap_or(component))?;
                let json =
                    serde_json::json!({ "code": code, "component": component, "pages": pages });
                cx.output(&json, || format!("reused\t{pages} pages"));
            }
        }
        Ok(())
    }
}

/// Every queue with its count, or the dossiers of the queue named.
fn backlog(
    cx: &Context,
    desk: &Desk,
    queue: Option<&str>,
    filter: &FilterArgs,
) -> Result<(), Error> {
    let lang = cx.lang;
    let filter = filter.filter()?;
    match queue {
        None => {
            let backlog = desk.backlog(&filter)?;
            cx.output(&backlog, || {
                lines(&backlog.queues, |q| {
                    format!(
                        "{}\t{}\t{}",
                        q.queue.name(),
                        q.count,
                        i18n::queue_label(lang, q.queue)
                    )
                })
            });
        }
        Some(name) => {
            let queue = Queue::from_name(name)
                .ok_or_else(|| Error::refused(Field::Review, "no such queue"))?;
            let items = desk.queue(queue, &filter)?;
            cx.output(&items, || {
                lines(&items, |i| {
                    let mut line = dossier_line(lang, &i.dossier);
                    if let Some(officer) = &i.officer {
                        line.push_str(&format!("\t{officer}"));
                    }
                    if let Some(note) = &i.note {
                        line.push_str(&format!("\t{note}"));
                    }
                    line
                })
            });
        }
    }
    Ok(())
}

/// One indicator a line, for the unit (`*`) and then each officer or procedure.
fn indicator_lines(lang: Language, indicators: &Indicators) -> String {
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
