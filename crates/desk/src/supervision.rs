//! Giám sát: the supervisor's use cases — the backlog queues, the review of a dossier's pages,
//! citizens' ratings, reuse of pages digitised earlier, and the official indicators of a
//! period (`hoso_model::supervision` holds their formulas), with their reports (CSV, XLSX).
//!
//! The facts the queues count live in `dossier_progress`, rebuilt by
//! [`Desk::refresh_progress`] in the transaction of every change to a dossier, its events or
//! its pages, and for every dossier when the catalogue in use changes.

use hoso_model::account::AuditAction;
use hoso_model::lifecycle::{EventKind, Lifecycle, Status};
use hoso_model::page::Target;
use hoso_model::supervision::{
    Backlog, BacklogFilter, Breakdown, Indicators, Period, Queue, QueueCount, QueueItem, Rating,
    Review, ReviewDecision, ReviewEntry, ReviewState, ScoringRules,
};
use hoso_model::time::{from_local, to_local};
use hoso_model::{Act, Channel, Dossier, Field, Language};
use hoso_store::pages::{self, NewPage};
use hoso_store::supervision::{self as table, Clock, Progress};
use hoso_store::{events, settings};
use jiff::Timestamp;
use rusqlite::Transaction;

use crate::reports::{self, ReportFormat};
use crate::{Desk, Error, find};

/// How many dossiers a queue lists at most.
pub const QUEUE_LIMIT: u32 = 500;

const SCORING: &str = include_str!("../../../catalogue/scoring.json");

/// The scoring rules shipped with the program (`catalogue/scoring.json`).
pub fn scoring_rules() -> Result<ScoringRules, Error> {
    serde_json::from_str(SCORING).map_err(|e| Error::Catalogue(format!("scoring.json: {e}")))
}

fn review_error(message: &'static str) -> Error {
    Error::refused(Field::Review, message)
}

impl Desk {
    /// Rebuilds a dossier's supervision facts from the dossier, its log and its pages, in the
    /// caller's transaction.
    pub(crate) fn refresh_progress(
        &self,
        tx: &Transaction<'_>,
        dossier: &Dossier,
    ) -> Result<(), Error> {
        let log = events::list(tx, &dossier.id)?;
        let state = Lifecycle::replay(Status::Draft, &log).map_err(|_| {
            hoso_store::Error::Corrupt("the stored event log does not replay".into())
        })?;
        let officer = log
            .iter()
            .find(|e| e.kind == EventKind::Receive)
            .and_then(|e| e.actor.clone());
        let (components, result_pages) = table::page_counts(tx, &dossier.id)?;
        let pages_of = |n: u16| {
            components
                .iter()
                .find(|(c, _, _)| *c == n)
                .map_or(0, |(_, p, _)| *p)
        };
        let procedure = self.procedure(&dossier.procedure_code).ok();
        let component_pages = components.iter().map(|(_, p, _)| p).sum();
        // Online dossiers arrive digitised; a procedure no longer in the catalogue counts as
        // digitised once it has any page.
        let digitised = dossier.channel == Channel::Online
            || match procedure {
                Some(p) => p
                    .components
                    .iter()
                    .enumerate()
                    .all(|(i, c)| !c.required || c.show_only || pages_of(i as u16 + 1) > 0),
                None => component_pages > 0,
            };
        let progress = Progress {
            procedure_code: dossier.procedure_code.clone(),
            received_at_ms: dossier.received_at.as_millisecond(),
            status: state.status.name().to_owned(),
            officer,
            digitised,
            component_pages,
            result_expected: procedure.is_some_and(|p| !p.results.is_empty()),
            result_pages,
            reused_pages: components.iter().map(|(_, _, r)| r).sum(),
            resolved: matches!(state.status, Status::Resolved | Status::Returned),
            finished_at_ms: state.finished_at.map(|t| t.as_millisecond()),
            supplement_requests: state.supplement_requests,
        };
        table::put_progress(tx, &dossier.id, &progress)?;
        Ok(())
    }

    /// Builds the facts of dossiers that have none (an older desk's), or of every dossier when
    /// the catalogue changed since they were computed. Runs when the desk opens.
    pub(crate) fn refresh_stale_progress(&self) -> Result<(), Error> {
        const BATCH: u32 = 2000;
        let version = self.inner.store.read(|tx| {
            Ok::<_, Error>((
                hoso_store::settings::catalogue::version(tx, "procedures")?,
                settings::get(tx, settings::keys::PROGRESS_CATALOGUE)?,
            ))
        })?;
        let (in_use, computed_under) = version;
        if in_use != computed_under {
            let mut after = String::new();
            loop {
                let done = self.inner.store.write(|tx| {
                    let ids = table::ids_after(tx, &after, BATCH)?;
                    for id in &ids {
                        if let Some(d) = hoso_store::dossiers::get(tx, id)? {
                            self.refresh_progress(tx, &d)?;
                        }
                    }
                    Ok::<_, Error>(ids.last().map(|id| id.0.clone()))
                })?;
                match done {
                    Some(last) => after = last,
                    None => break,
                }
            }
            self.inner.store.write(|tx| {
                settings::set(
                    tx,
                    settings::keys::PROGRESS_CATALOGUE,
                    in_use.as_deref().unwrap_or(""),
                )
            })?;
        }
        while self.inner.store.read(table::missing_progress)? > 0 {
            let n = self.inner.store.write(|tx| {
                let ids = table::without_progress(tx, BATCH)?;
                for id in &ids {
                    if let Some(d) = hoso_store::dossiers::get(tx, id)? {
                        self.refresh_progress(tx, &d)?;
                    }
                }
                Ok::<_, Error>(ids.len())
            })?;
            if n == 0 {
                break;
            }
        }
        Ok(())
    }

    fn queue_clock(&self) -> Clock {
        let now = self.inner.clock.now();
        let midnight = |days: i64| {
            to_local(now)
                .date()
                .checked_add(jiff::Span::new().days(days))
                .ok()
                .and_then(|d| from_local(d.to_datetime(jiff::civil::Time::midnight())))
                .map_or(i64::MAX, |t| t.as_millisecond())
        };
        Clock {
            now_ms: now.as_millisecond(),
            today_end_ms: midnight(1),
            tomorrow_end_ms: midnight(2),
        }
    }

    /// Every backlog queue with its count, for the dossiers the filter keeps.
    pub fn backlog(&self, filter: &BacklogFilter) -> Result<Backlog, Error> {
        self.need(Act::Supervise)?;
        let clock = self.queue_clock();
        let queues = self.inner.store.read(|tx| {
            Queue::ALL
                .into_iter()
                .map(|queue| {
                    Ok(QueueCount {
                        queue,
                        count: table::count(tx, queue, filter, clock)?,
                    })
                })
                .collect::<Result<Vec<_>, Error>>()
        })?;
        Ok(Backlog {
            at: self.inner.clock.now(),
            filter: filter.clone(),
            queues,
        })
    }

    /// The dossiers of one queue, those waiting longest first. An officer may list the
    /// dossiers returned to them for rework; every other queue is the supervisor's.
    pub fn queue(&self, queue: Queue, filter: &BacklogFilter) -> Result<Vec<QueueItem>, Error> {
        let user = self.need(Act::Work)?;
        let filter = if queue == Queue::Rework && !user.role.may(Act::Supervise) {
            BacklogFilter {
                officer: Some(user.name.clone()),
                ..filter.clone()
            }
        } else {
            self.need(Act::Supervise)?;
            filter.clone()
        };
        let clock = self.queue_clock();
        let items = self
            .inner
            .store
            .read(|tx| table::items(tx, queue, &filter, clock, QUEUE_LIMIT))?;
        self.audit_now(
            AuditAction::View,
            "queue",
            &format!("{} {}", queue.name(), items.len()),
        )?;
        Ok(items)
    }

    /// The review page of a dossier: its pages with their flags, where the review stands, and
    /// its decisions so far.
    pub fn review(&self, code_or_id: &str) -> Result<Review, Error> {
        self.need(Act::Work)?;
        let digitisation = self.digitisation(code_or_id)?;
        let (dossier, state, log) = self.inner.store.read(|tx| {
            let dossier = find(tx, code_or_id)?;
            let (state, _) = table::review_state(tx, &dossier.id)?;
            let log = table::review_log(tx, &dossier.id)?;
            Ok::<_, Error>((dossier, state, log))
        })?;
        Ok(Review {
            dossier,
            digitisation,
            state,
            log,
        })
    }

    /// Records a review decision: a supervisor approves or returns a dossier's pages (a return
    /// needs a note saying what to fix); the officer resubmits what was returned. Audited.
    pub fn decide(
        &self,
        code_or_id: &str,
        decision: ReviewDecision,
        note: Option<String>,
    ) -> Result<ReviewState, Error> {
        let user = match decision {
            ReviewDecision::Resubmit => self.need(Act::Work)?,
            ReviewDecision::Approve | ReviewDecision::Rework => self.need(Act::Supervise)?,
        };
        let note = note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
        if decision.needs_note() && note.is_none() {
            return Err(review_error("a return needs a note"));
        }
        let at = self.inner.clock.now();
        self.inner.store.write(|tx| {
            let dossier = find(tx, code_or_id)?;
            let (state, _) = table::review_state(tx, &dossier.id)?;
            if !decision.allowed_in(state) {
                return Err(review_error("not possible in the dossier's review state"));
            }
            table::append_review(
                tx,
                &dossier.id,
                &ReviewEntry {
                    decision,
                    note: note.clone(),
                    actor: user.name.clone(),
                    at: Timestamp::from_millisecond(at.as_millisecond())
                        .expect("a valid timestamp truncated stays valid"),
                },
            )?;
            self.audit(tx, AuditAction::Review, &dossier.id.0, decision.name())?;
            Ok(decision.state_after())
        })
    }

    /// Approves several dossiers at once; returns how many were approved (those already
    /// approved are left as they are).
    pub fn approve_all(&self, codes_or_ids: &[String]) -> Result<u32, Error> {
        self.need(Act::Supervise)?;
        let mut approved = 0;
        for code in codes_or_ids {
            match self.decide(code, ReviewDecision::Approve, None) {
                Ok(_) => approved += 1,
                Err(e) if e.field() == Some(Field::Review) => {}
                Err(other) => return Err(other),
            }
        }
        Ok(approved)
    }

    /// Whether dossiers go to the hub only once a supervisor approved them.
    pub fn sync_after_approval(&self) -> Result<bool, Error> {
        Ok(self
            .inner
            .store
            .read(|tx| settings::get(tx, settings::keys::SYNC_AFTER_APPROVAL))?
            .as_deref()
            == Some("1"))
    }

    /// Sets whether dossiers go to the hub only once approved (the unit's choice).
    pub fn set_sync_after_approval(&self, on: bool) -> Result<(), Error> {
        self.need(Act::Configure)?;
        self.inner.store.write(|tx| {
            settings::set(
                tx,
                settings::keys::SYNC_AFTER_APPROVAL,
                if on { "1" } else { "0" },
            )?;
            self.audit(
                tx,
                AuditAction::Settings,
                "sync-after-approval",
                if on { "on" } else { "off" },
            )
        })
    }

    /// Records what the citizen said of the service (the latest word counts).
    pub fn rate(&self, code_or_id: &str, rating: Rating) -> Result<(), Error> {
        let user = self.need(Act::Work)?;
        let at = self.inner.clock.now().as_millisecond();
        self.inner.store.write(|tx| {
            let dossier = find(tx, code_or_id)?;
            table::set_rating(tx, &dossier.id, rating, at, &user.name)?;
            self.audit(tx, AuditAction::Change, &dossier.id.0, "rating")
        })
    }

    /// Tái sử dụng: puts the pages of a component of an earlier dossier (the citizen's ID card,
    /// scanned last month) into a component of this one, without scanning again. The pages
    /// share the kept file; they are marked as reused, for indicator 4.3.
    pub fn reuse(
        &self,
        code_or_id: &str,
        n: u16,
        from_code_or_id: &str,
        from_n: u16,
    ) -> Result<u32, Error> {
        self.need(Act::Work)?;
        let target = Target::Component { n };
        let now = self.inner.clock.now().as_millisecond();
        self.inner.store.write(|tx| {
            let dossier = find(tx, code_or_id)?;
            let source = find(tx, from_code_or_id)?;
            self.check_target(&dossier, &target)?;
            let rows: Vec<_> = pages::list(tx, &source.id.0)?
                .into_iter()
                .filter(|p| p.target == Target::Component { n: from_n })
                .collect();
            if rows.is_empty() || source.id == dossier.id {
                return Err(Error::refused(
                    Field::Component,
                    "the earlier dossier has no pages there",
                ));
            }
            let from_name = source.code.clone().unwrap_or_else(|| source.id.0.clone());
            for row in &rows {
                let thumbnail = pages::thumbnail(tx, &row.id)?.unwrap_or_default();
                let id = uuid::Uuid::new_v4().to_string();
                pages::insert(
                    tx,
                    &NewPage {
                        id: &id,
                        dossier_id: &dossier.id.0,
                        target: &target,
                        blob_hash: &row.blob_hash,
                        pdf_page: row.pdf_page,
                        width: row.width,
                        height: row.height,
                        dpi: row.dpi,
                        skew: row.skew,
                        ink: row.ink,
                        blank: row.blank,
                        colour: row.colour,
                        qr: row.qr.as_deref(),
                        phash: row.phash,
                        source: "reuse",
                        source_name: &from_name,
                        thumbnail: &thumbnail,
                        ocr_state: row.ocr_state,
                        created_at_ms: now,
                    },
                )?;
                pages::copy_text(tx, &row.id, &id)?;
                // A second image comes right after its page in the list: it joins the copy
                // just made of that page.
                if row.note_of.is_some() {
                    pages::join_note(tx, &id)?.map_err(|_| {
                        Error::Store(hoso_store::Error::Corrupt("a second image alone".into()))
                    })?;
                }
            }
            self.pages_added(tx, &dossier, &target)?;
            self.audit(
                tx,
                AuditAction::Change,
                &dossier.id.0,
                &format!("pages +{} reuse", rows.len()),
            )?;
            Ok(rows.iter().filter(|r| r.note_of.is_none()).count() as u32)
        })
    }

    /// The official indicators of a period, for the unit and, when asked, per officer or per
    /// procedure, each with the dossiers it counted; judged at the period's end (or now).
    pub fn indicators(
        &self,
        period: Period,
        breakdown: Option<Breakdown>,
    ) -> Result<Indicators, Error> {
        self.need(Act::Supervise)?;
        if period.to < period.from {
            return Err(Error::Period);
        }
        let (start, end) = period.bounds().ok_or(Error::Period)?;
        let facts = self
            .inner
            .store
            .read(|tx| table::facts(tx, start.as_millisecond(), end.as_millisecond()))?;
        let rules = scoring_rules()?;
        let indicators = hoso_model::supervision::indicators(
            period,
            &facts,
            self.inner.clock.now(),
            breakdown,
            &rules,
        )
        .ok_or(Error::Period)?;
        self.audit_now(
            AuditAction::View,
            "indicators",
            &format!("{} {}", period.from, period.to),
        )?;
        Ok(indicators)
    }
}

impl Desk {
    fn report_language(&self) -> Language {
        self.settings().map(|s| s.language).unwrap_or_default()
    }

    /// Báo cáo tồn đọng: the backlog as CSV or XLSX. Audited as an export.
    pub fn backlog_report(
        &self,
        filter: &BacklogFilter,
        format: ReportFormat,
    ) -> Result<Vec<u8>, Error> {
        self.need(Act::Export)?;
        let backlog = self.backlog(filter)?;
        let lang = self.report_language();
        let bytes = match format {
            ReportFormat::Csv => reports::backlog_csv(&backlog, lang)?,
            ReportFormat::Xlsx => reports::xlsx(Some(&backlog), None, lang)?,
        };
        self.audit_now(AuditAction::Export, "backlog", format.name())?;
        Ok(bytes)
    }

    /// Báo cáo chỉ số: the indicators of a period as CSV or XLSX (with the weeks and the
    /// dossiers each indicator counted). Audited as an export.
    pub fn indicators_report(
        &self,
        period: Period,
        breakdown: Option<Breakdown>,
        format: ReportFormat,
    ) -> Result<Vec<u8>, Error> {
        self.need(Act::Export)?;
        let indicators = self.indicators(period, breakdown)?;
        let lang = self.report_language();
        let bytes = match format {
            ReportFormat::Csv => reports::indicators_csv(&indicators, lang)?,
            ReportFormat::Xlsx => {
                let backlog = self.backlog(&BacklogFilter::default())?;
                reports::xlsx(Some(&backlog), Some(&indicators), lang)?
            }
        };
        self.audit_now(
            AuditAction::Export,
            "indicators",
            &format!("{} {} {}", format.name(), period.from, period.to),
        )?;
        Ok(bytes)
    }

    /// Saves the supervision spreadsheet of a period (backlog, indicators per officer, weeks,
    /// dossiers counted) as `reports/giam-sat-FROM-TO.xlsx` in the data directory.
    pub fn save_supervision_report(&self, period: Period) -> Result<std::path::PathBuf, Error> {
        let bytes = self.indicators_report(period, Some(Breakdown::Officer), ReportFormat::Xlsx)?;
        self.save_in(
            "reports",
            &format!("giam-sat-{}-{}.xlsx", period.from, period.to),
            &bytes,
        )
    }
}
