//! Dossiers (hồ sơ): registering one at the counter, moving it through its lifecycle, its
//! detail, the lists and the search.
//!
//! The dossier code and the due date are decided here, in the transaction that saves the
//! dossier or its event; the status is the fold of the event log (`hoso_model::lifecycle`).

use hoso_model::account::AuditAction;
use hoso_model::calendar::due::{DueRule, OfficeHours, Pause, due_at};
use hoso_model::lifecycle::{Event, EventKind, Lifecycle, Status};
use hoso_model::time::{from_local, to_local};
use hoso_model::unit::{RESTORED_FROM, dossier_code, sequence_number};
use hoso_model::{Act, Dossier, DossierDetail, DossierId, Field, NewDossier};
use hoso_store::{dossiers, events};
use jiff::Timestamp;
use rusqlite::Transaction;

use crate::error::Object;
use crate::settings::read_unit;
use crate::{Desk, Error};

/// How many dossiers the list shows at most, newest first.
pub const LIST_LIMIT: u32 = 500;

/// How many matches a search returns at most.
pub const SEARCH_LIMIT: u32 = 50;

/// How long after an officer's search their further searches count as the same one in the
/// audit log (typing a name letter by letter, then narrowing it).
pub(crate) const SEARCH_BURST: jiff::SignedDuration = jiff::SignedDuration::from_secs(60);

impl Desk {
    /// Tiếp nhận: registers a dossier received now at the counter.
    pub fn register(&self, form: &NewDossier) -> Result<Dossier, Error> {
        self.register_at(form, self.inner.clock.now())
    }

    /// Registers a dossier received at `received_at` (paper dossiers entered late). The
    /// official code, if the unit is set up, is issued in the same transaction that saves the
    /// dossier: a number is never used twice, and a failed save uses none.
    pub fn register_at(&self, form: &NewDossier, received_at: Timestamp) -> Result<Dossier, Error> {
        let officer = self.need(Act::Work)?;
        let valid = form.validate(&self.inner.catalogue)?;
        let received_at = to_millisecond(received_at);
        let procedure = self.procedure(&valid.procedure_code)?;
        let id = DossierId(uuid::Uuid::new_v4().to_string());
        self.inner.store.write(|tx| {
            let unit = read_unit(tx)?;
            let hours = unit
                .as_ref()
                .map(|u| u.office_hours.clone())
                .unwrap_or_default();
            let local = to_local(received_at);
            let code = match &unit {
                Some(unit) => {
                    let day = local.date().strftime("%y%m%d").to_string();
                    // Restored and not yet told by the hub what its lost self issued: numbers
                    // from the range that self cannot have reached.
                    let least = if crate::sync::restored_unreconciled(tx)? {
                        RESTORED_FROM
                    } else {
                        1
                    };
                    let n = dossiers::next_code_number_from(tx, &day, least)?;
                    Some(dossier_code(
                        &unit.code,
                        local.date(),
                        sequence_number(unit.device_slot, n),
                    ))
                }
                None => None,
            };
            let dossier = Dossier {
                id: id.clone(),
                procedure_code: valid.procedure_code.clone(),
                applicant_name: valid.applicant_name.clone(),
                received_at,
                code,
                status: Status::Received,
                due_at: self.due(&procedure.due, &hours, received_at, &[]),
                id_number: valid.id_number.clone(),
                phone: valid.phone.clone(),
                address: valid.address.clone(),
                email: valid.email.clone(),
                channel: valid.channel,
            };
            dossiers::insert(tx, &dossier)?;
            let receive = Event {
                actor: Some(officer.name.clone()),
                ..Event::new(EventKind::Receive, received_at)
            };
            events::append(tx, &id, &receive)?;
            self.refresh_progress(tx, &dossier)?;
            self.audit(
                tx,
                AuditAction::Change,
                &id.0,
                &format!("register {}", dossier.procedure_code),
            )?;
            Ok(dossier)
        })
    }

    fn due(
        &self,
        rule: &DueRule,
        hours: &OfficeHours,
        received_at: Timestamp,
        pauses: &[(Timestamp, Option<Timestamp>)],
    ) -> Option<Timestamp> {
        let pauses: Vec<Pause> = pauses
            .iter()
            .filter_map(|(from, until)| {
                Some(Pause {
                    from: to_local(*from),
                    until: to_local((*until)?),
                })
            })
            .collect();
        due_at(
            &self.inner.calendar,
            hours,
            rule,
            to_local(received_at),
            &pauses,
        )
        .and_then(from_local)
    }

    /// When a dossier of `procedure_code` received at `received_at` is due (no supplementation).
    pub fn due_date(
        &self,
        procedure_code: &str,
        received_at: Timestamp,
    ) -> Result<Option<Timestamp>, Error> {
        let procedure = self.procedure(procedure_code)?;
        let hours = self.unit()?.map(|u| u.office_hours).unwrap_or_default();
        Ok(self.due(&procedure.due, &hours, received_at, &[]))
    }

    /// The latest dossiers, newest first.
    pub fn dossiers(&self) -> Result<Vec<Dossier>, Error> {
        self.dossiers_with_status(None)
    }

    /// The latest dossiers in `status` (all when `None`), newest first.
    pub fn dossiers_with_status(&self, status: Option<Status>) -> Result<Vec<Dossier>, Error> {
        self.need(Act::Work)?;
        Ok(self
            .inner
            .store
            .read(|tx| dossiers::latest_with_status(tx, status, LIST_LIMIT))?)
    }

    /// The latest dossiers in `status` (all when `None`) that `filter` keeps (by the officer who
    /// received them, procedure, received dates), newest first.
    pub fn dossiers_matching(
        &self,
        status: Option<Status>,
        filter: &hoso_model::supervision::BacklogFilter,
    ) -> Result<Vec<Dossier>, Error> {
        self.need(Act::Work)?;
        Ok(self.inner.store.read(|tx| {
            dossiers::latest_matching(
                tx,
                status,
                given(&filter.procedure),
                given(&filter.officer),
                filter.received_bounds_ms(),
                LIST_LIMIT,
            )
        })?)
    }

    /// Tìm kiếm: dossiers by code, applicant name (with or without diacritics), ID number,
    /// phone or procedure code; newest first among the dossiers matching every word.
    ///
    /// The window searches as the officer types, so one search is many calls: the audit log
    /// keeps one entry for a burst of searching, the first, and folds in the officer's further
    /// searches for [`SEARCH_BURST`] after it, as long as nothing else was logged between.
    pub fn search(&self, query: &str) -> Result<Vec<Dossier>, Error> {
        let user = self.need(Act::Work)?;
        let found = self
            .inner
            .store
            .read(|tx| dossiers::search(tx, query, SEARCH_LIMIT))?;
        let now = self.inner.clock.now();
        self.inner.store.write(|tx| {
            let newest = hoso_store::audit::list(
                tx,
                &hoso_model::account::AuditFilter {
                    limit: Some(1),
                    ..Default::default()
                },
            )?;
            let same_burst = newest.first().is_some_and(|e| {
                e.action == AuditAction::Search.name()
                    && e.actor == user.name
                    && e.at <= now
                    && now.duration_since(e.at) < SEARCH_BURST
            });
            if same_burst {
                return Ok(());
            }
            // What was searched for may be an ID number: the log keeps only how many were found.
            self.audit(
                tx,
                AuditAction::Search,
                "",
                &format!("{} found", found.len()),
            )
        })?;
        Ok(found)
    }

    /// How many dossiers this desk holds.
    pub fn dossier_count(&self) -> Result<u64, Error> {
        self.need(Act::Work)?;
        Ok(self.inner.store.read(dossiers::count)?)
    }

    /// A dossier, by official code or id, with its log and the actions allowed now.
    pub fn detail(&self, code_or_id: &str) -> Result<DossierDetail, Error> {
        self.need(Act::Work)?;
        let detail = self.inner.store.read(|tx| {
            let dossier = find(tx, code_or_id)?;
            detail_of(tx, dossier)
        })?;
        self.audit_now(AuditAction::View, &detail.dossier.id.0, "")?;
        Ok(detail)
    }

    /// Moves a dossier through its lifecycle: checks the event is allowed now, appends it to
    /// the log and records the new status (and, after a supplement, the moved due date) in one
    /// transaction. Refused events change nothing.
    pub fn transition(
        &self,
        code_or_id: &str,
        kind: EventKind,
        at: Option<Timestamp>,
        reason: Option<String>,
    ) -> Result<DossierDetail, Error> {
        self.transition_with(code_or_id, kind, at, reason, Handover::default())
    }

    /// [`Desk::transition`], naming who gave and who took the dossier at a hand-over.
    pub fn transition_with(
        &self,
        code_or_id: &str,
        kind: EventKind,
        at: Option<Timestamp>,
        reason: Option<String>,
        handover: Handover,
    ) -> Result<DossierDetail, Error> {
        let officer = self.need(Act::Work)?;
        let at = to_millisecond(at.unwrap_or_else(|| self.inner.clock.now()));
        let reason = reason
            .map(|r| r.trim().to_owned())
            .filter(|r| !r.is_empty());
        if kind.needs_reason() && reason.is_none() {
            return Err(Error::refused(Field::Reason, "a reason is required"));
        }
        self.inner.store.write(|tx| {
            let dossier = find(tx, code_or_id)?;
            let tidy =
                |name: Option<String>| name.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
            let event = Event {
                kind,
                at,
                reason,
                giver: tidy(handover.giver),
                taker: tidy(handover.taker),
                actor: Some(officer.name.clone()),
            };
            self.record_event(tx, &dossier, &event)?;
            self.audit(tx, AuditAction::Change, &dossier.id.0, kind.name())?;
            let updated = dossiers::get(tx, &dossier.id)?.expect("the dossier was just updated");
            detail_of(tx, updated)
        })
    }

    /// Appends an event to a dossier's log if its lifecycle allows it now, and records the new
    /// status and due date, in the caller's transaction.
    pub(crate) fn record_event(
        &self,
        tx: &Transaction<'_>,
        dossier: &Dossier,
        event: &Event,
    ) -> Result<(), Error> {
        let log = events::list(tx, &dossier.id)?;
        let mut state = Lifecycle::replay(Status::Draft, &log).map_err(|_| {
            hoso_store::Error::Corrupt("the stored event log does not replay".into())
        })?;
        if let Some(last) = log.last()
            && event.at < last.at
        {
            return Err(Error::refused(Field::Date, "earlier than the last event"));
        }
        state.apply(event).map_err(|refused| Error::NotAllowed {
            event: refused.event,
            from: refused.from,
        })?;
        events::append(tx, &dossier.id, event)?;
        let procedure = self.procedure(&dossier.procedure_code)?;
        let hours = read_unit(tx)?.map(|u| u.office_hours).unwrap_or_default();
        let due = self.due(&procedure.due, &hours, dossier.received_at, &state.pauses);
        dossiers::set_status_and_due(tx, &dossier.id, state.status, due)?;
        let moved = Dossier {
            status: state.status,
            due_at: due,
            ..dossier.clone()
        };
        self.refresh_progress(tx, &moved)?;
        Ok(())
    }
}

/// Who gave and who took a dossier at a hand-over (both optional).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Handover {
    pub giver: Option<String>,
    pub taker: Option<String>,
}

/// A dossier by its official code or its id.
pub(crate) fn find(tx: &Transaction<'_>, code_or_id: &str) -> Result<Dossier, Error> {
    let key = code_or_id.trim();
    let found = match dossiers::get_by_code(tx, key)? {
        Some(d) => Some(d),
        None => dossiers::get(tx, &DossierId(key.to_owned()))?,
    };
    found.ok_or(Error::NotFound(Object::Dossier))
}

/// A dossier with its log and the actions its status allows now.
fn detail_of(tx: &Transaction<'_>, dossier: Dossier) -> Result<DossierDetail, Error> {
    let log = events::list(tx, &dossier.id)?;
    let state = Lifecycle::replay(Status::Draft, &log)
        .map_err(|_| hoso_store::Error::Corrupt("the stored event log does not replay".into()))?;
    Ok(DossierDetail {
        allowed: state.allowed(),
        late_by_rule: state.late_by_rule(),
        events: log,
        dossier,
    })
}

/// The store keeps milliseconds: a use case returns exactly what a later read gives back.
fn to_millisecond(at: Timestamp) -> Timestamp {
    Timestamp::from_millisecond(at.as_millisecond())
        .expect("a valid timestamp truncated stays valid")
}

/// A filter's text, unless it is blank (an empty field keeps everything).
fn given(text: &Option<String>) -> Option<&str> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty())
}
