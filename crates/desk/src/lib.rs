//! The desk's application layer: the use cases an officer performs, over the local store.
//!
//! The desktop shell (`src-tauri`) and the `hoso` command line call the same [`Desk`] methods,
//! so a rule enforced here is enforced everywhere. Each method is one use case; it validates
//! its input with the pure rules of `hoso-model`, then reads or writes the store in one
//! transaction. Time comes from a [`Clock`], never from `now()` inside the logic.

pub mod accounts;
pub mod backup;
mod blobs;
pub mod catalogue;
mod clock;
mod data_dir;
mod error;
pub mod files;
pub mod folder;
mod legacy;
pub mod pages;
pub mod reports;
pub mod scan;
pub mod supervision;
pub mod sync;
#[cfg(target_os = "linux")]
pub mod text;

use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};

use hoso_model::account::AuditAction;
use hoso_model::calendar::due::{DueRule, OfficeHours, Pause, due_at};
use hoso_model::calendar::{DayOff, WorkingCalendar};
use hoso_model::lifecycle::{Event, EventKind, Lifecycle, Status};
use hoso_model::time::{from_local, to_local};
use hoso_model::unit::{Unit, UnitError, dossier_code, sequence_number};
use hoso_model::{
    Account, Act, ApiError, Dossier, DossierDetail, DossierId, Field, Language, NewDossier,
    Procedure, Role, Settings,
};
use hoso_store::{OpenNotice, Store, audit, dossiers, events, settings};
use hoso_vault::{DataKey, Keyring};
use jiff::Timestamp;
use rusqlite::Transaction;

pub use blobs::hash_of;
pub use clock::{Clock, FixedClock, SystemClock};
pub use data_dir::{DATA_DIR_ENV, default_data_dir};
pub use error::Error;

/// How many dossiers the list shows at most, newest first.
pub const LIST_LIMIT: u32 = 500;
/// How many matches a search returns at most.
pub const SEARCH_LIMIT: u32 = 50;

/// The desk: the store, the catalogue, the working calendar and a clock. Cheap to clone;
/// clones share one store.
#[derive(Clone)]
pub struct Desk {
    inner: Arc<Inner>,
}

struct Inner {
    /// Where the store lives; `None` for an in-memory desk.
    data_dir: Option<std::path::PathBuf>,
    store: Store,
    clock: Box<dyn Clock>,
    catalogue: Vec<Procedure>,
    calendar: WorkingCalendar,
    /// The files kept: scans and imported files.
    blobs: blobs::Blobs,
    /// Who is signed in; `None` while the desk is locked (background work goes on).
    user: RwLock<Option<Account>>,
    /// The key file and the data key it opened; `None` for an in-memory desk.
    keys: Option<Keys>,
}

struct Keys {
    ring: Mutex<Keyring>,
    key: DataKey,
}

impl std::fmt::Debug for Desk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Desk")
            .field("data_dir", &self.inner.data_dir)
            .field("encrypted", &self.inner.keys.is_some())
            .finish_non_exhaustive()
    }
}

impl Desk {
    /// Opens the desk in `data_dir` with its data key (already unwrapped from the key file),
    /// nobody signed in yet. Data an older, unencrypted version left there is encrypted first.
    fn open_with_key(
        data_dir: &Path,
        ring: Keyring,
        key: DataKey,
        clock: impl Clock + 'static,
    ) -> Result<(Desk, Option<OpenNotice>), Error> {
        legacy::encrypt_in_place(data_dir, &key)?;
        let opened = Store::open_encrypted_in(data_dir, &key.database_pragma())?;
        let mut desk = Self::with_store(opened.store, clock)?;
        let inner = Arc::get_mut(&mut desk.inner).expect("a new desk has one owner");
        inner.data_dir = Some(data_dir.to_path_buf());
        inner.blobs = blobs::Blobs::in_dir(data_dir, key.clone());
        inner.keys = Some(Keys {
            ring: Mutex::new(ring),
            key,
        });
        *inner.user.get_mut().unwrap_or_else(|e| e.into_inner()) = None;
        Ok((desk, opened.notice))
    }

    /// A desk over an already opened store (tests and benchmarks use an in-memory one), with
    /// an administrator named `admin` signed in.
    pub fn with_store(store: Store, clock: impl Clock + 'static) -> Result<Desk, Error> {
        let (catalogue, rules) = store.write(catalogue::load_or_seed)?;
        let calendar = WorkingCalendar::new(rules);
        let desk = Desk {
            inner: Arc::new(Inner {
                data_dir: None,
                store,
                clock: Box::new(clock),
                catalogue,
                calendar,
                blobs: blobs::Blobs::in_memory(),
                user: RwLock::new(Some(Account {
                    name: "admin".into(),
                    full_name: "admin".into(),
                    role: Role::Admin,
                    disabled: false,
                })),
                keys: None,
            }),
        };
        desk.refresh_stale_progress()?;
        Ok(desk)
    }

    /// The signed-in account, or [`Error::SignIn`] while the desk is locked, or
    /// [`Error::Forbidden`] if its role may not do `act`. Every use case starts here.
    pub(crate) fn need(&self, act: Act) -> Result<Account, Error> {
        let user = self
            .inner
            .user
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .ok_or(Error::SignIn)?;
        if user.role.may(act) {
            Ok(user)
        } else {
            Err(Error::Forbidden {
                role: user.role.name(),
                act,
            })
        }
    }

    /// Records an audit entry by the signed-in account, in the caller's transaction.
    pub(crate) fn audit(
        &self,
        tx: &Transaction<'_>,
        action: AuditAction,
        object: &str,
        detail: &str,
    ) -> Result<(), Error> {
        let actor = self
            .inner
            .user
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .map(|u| u.name.clone())
            .unwrap_or_default();
        audit::append(
            tx,
            self.inner.clock.now().as_millisecond(),
            &actor,
            action.name(),
            object,
            detail,
        )?;
        Ok(())
    }

    /// Records an audit entry in a transaction of its own (for reads: a view, a print).
    pub(crate) fn audit_now(
        &self,
        action: AuditAction,
        object: &str,
        detail: &str,
    ) -> Result<(), Error> {
        self.inner
            .store
            .write(|tx| self.audit(tx, action, object, detail))
    }

    /// The procedures an officer can register a dossier under.
    pub fn procedures(&self) -> &[Procedure] {
        &self.inner.catalogue
    }

    fn procedure(&self, code: &str) -> Result<&Procedure, Error> {
        self.inner
            .catalogue
            .iter()
            .find(|p| p.code == code)
            .ok_or_else(|| {
                Error::Invalid(ApiError::validation(
                    Field::Procedure,
                    "procedure is not in the catalogue",
                ))
            })
    }

    /// The unit this desk belongs to, once set up.
    pub fn unit(&self) -> Result<Option<Unit>, Error> {
        self.inner.store.read(read_unit)
    }

    /// Sets up (or changes) the unit and this desk's slot.
    pub fn set_unit(&self, unit: Unit) -> Result<Unit, Error> {
        self.need(Act::Configure)?;
        let unit = Unit {
            code: unit.code.trim().to_owned(),
            name: unit.name.trim().to_owned(),
            ..unit
        };
        unit.validate().map_err(|e| {
            let (field, message) = match e {
                UnitError::Code => (Field::UnitCode, "malformed unit code"),
                UnitError::Name => (Field::UnitName, "unit name is empty or too long"),
                UnitError::Slot => (Field::DeviceSlot, "device slot out of range"),
            };
            Error::Invalid(ApiError::validation(field, message))
        })?;
        let json = serde_json::to_string(&unit).expect("a unit serialises");
        self.inner.store.write(|tx| {
            settings::set(tx, settings::keys::UNIT, &json)?;
            self.audit(tx, AuditAction::Settings, "unit", &unit.code)
        })?;
        Ok(unit)
    }

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
                    let n = dossiers::next_code_number(tx, &day)?;
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

    /// Replaces the stored procedure catalogue or working calendar with a newer file (what the
    /// hub will send). The file is checked whole first; an older version than the one in use is
    /// refused. It takes effect the next time the desk opens. Returns which file and its version.
    pub fn import_catalogue(&self, json: &str) -> Result<(catalogue::Kind, String), Error> {
        self.need(Act::Configure)?;
        self.inner.store.write(|tx| {
            let (kind, version) = put_document(tx, json)?;
            self.audit(tx, AuditAction::Settings, kind.name(), &version)?;
            Ok((kind, version))
        })
    }

    /// The working calendar's rules (holidays, notices).
    pub fn calendar_rules(&self) -> &hoso_model::calendar::CalendarRules {
        self.inner.calendar.rules()
    }

    /// The holidays and substitute days of a year.
    pub fn days_off(&self, year: i16) -> Vec<DayOff> {
        self.inner.calendar.days_off(year)
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
    pub fn search(&self, query: &str) -> Result<Vec<Dossier>, Error> {
        self.need(Act::Work)?;
        let found = self
            .inner
            .store
            .read(|tx| dossiers::search(tx, query, SEARCH_LIMIT))?;
        // What was searched for may be an ID number: the log keeps only how many were found.
        self.audit_now(AuditAction::Search, "", &format!("{} found", found.len()))?;
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
            return Err(Error::Invalid(ApiError::validation(
                Field::Reason,
                "a reason is required",
            )));
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
            return Err(Error::Invalid(ApiError::validation(
                Field::Date,
                "earlier than the last event",
            )));
        }
        state.apply(event).map_err(|refused| {
            Error::Invalid(ApiError::validation(
                Field::Event,
                format!(
                    "{} is not allowed in status {:?}",
                    refused.event.name(),
                    refused.from
                ),
            ))
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

    /// Mẫu 01: the receipt and appointment slip of a dossier, as PDF bytes. Needs the unit's
    /// identity, which the form prints.
    pub fn receipt(&self, code_or_id: &str) -> Result<Vec<u8>, Error> {
        self.need(Act::Work)?;
        let (dossier, unit) = self
            .inner
            .store
            .read(|tx| Ok::<_, Error>((find(tx, code_or_id)?, read_unit(tx)?)))?;
        let unit = unit.ok_or_else(unit_not_set_up)?;
        let procedure = self.procedure(&dossier.procedure_code)?;
        let pdf = hoso_forms::receipt(&hoso_forms::ReceiptData {
            unit: &unit,
            dossier: &dossier,
            procedure,
        })
        .map_err(|e| Error::Form(e.to_string()))?;
        self.audit_now(AuditAction::Print, &dossier.id.0, "form 01")?;
        Ok(pdf)
    }

    /// Saves one of a dossier's forms as `forms/CODE-NN.pdf` in the data directory, ready to
    /// open and print; returns where.
    pub fn save_form(
        &self,
        code_or_id: &str,
        kind: hoso_model::ipc::FormKind,
    ) -> Result<std::path::PathBuf, Error> {
        use hoso_model::ipc::FormKind;
        let pdf = match kind {
            FormKind::Receipt => self.receipt(code_or_id)?,
            FormKind::Supplement => {
                self.notice_form(code_or_id, hoso_forms::NoticeKind::Supplement)?
            }
            FormKind::Refusal => self.notice_form(code_or_id, hoso_forms::NoticeKind::Refusal)?,
        };
        let key = self
            .inner
            .store
            .read(|tx| find(tx, code_or_id))?
            .code
            .unwrap_or_else(|| code_or_id.to_owned());
        let name = format!("{}-{}.pdf", key.replace(['/', '\\'], "_"), kind.number());
        self.save_in_forms(&name, &pdf)
    }

    /// Saves the tracking book of a period as `forms/so-theo-doi-FROM-TO.pdf` in the data
    /// directory; returns where.
    pub fn save_tracking_book(
        &self,
        from: jiff::civil::Date,
        to: jiff::civil::Date,
    ) -> Result<std::path::PathBuf, Error> {
        let pdf = self.tracking_book(from, to)?;
        self.save_in_forms(&format!("so-theo-doi-{from}-{to}.pdf"), &pdf)
    }

    /// Writes a form whole into the data directory's `forms/` folder; returns where.
    fn save_in_forms(&self, name: &str, pdf: &[u8]) -> Result<std::path::PathBuf, Error> {
        self.save_in("forms", name, pdf)
    }

    /// Writes a file whole into a folder of the data directory; returns where.
    pub(crate) fn save_in(
        &self,
        folder: &str,
        name: &str,
        pdf: &[u8],
    ) -> Result<std::path::PathBuf, Error> {
        let path = self.data_folder(folder)?.join(name);
        files::write_atomically(&path, pdf)?;
        Ok(path)
    }

    /// A folder of the data directory (`forms`, `exports`), made if it is not there.
    pub(crate) fn data_folder(&self, folder: &str) -> Result<std::path::PathBuf, Error> {
        let dir = self
            .inner
            .data_dir
            .as_ref()
            .ok_or(Error::NoDataDir)?
            .join(folder);
        std::fs::create_dir_all(&dir).map_err(|source| Error::Write {
            path: dir.clone(),
            source,
        })?;
        Ok(dir)
    }

    /// Mẫu 02 or 03: the request to supplement or the refusal of a dossier, with the words the
    /// officer wrote when recording it.
    pub fn notice_form(
        &self,
        code_or_id: &str,
        kind: hoso_forms::NoticeKind,
    ) -> Result<Vec<u8>, Error> {
        let event_kind = match kind {
            hoso_forms::NoticeKind::Supplement => EventKind::SupplementRequest,
            hoso_forms::NoticeKind::Refusal => EventKind::Refuse,
        };
        self.need(Act::Work)?;
        let (dossier, unit, log) = self.inner.store.read(|tx| {
            let dossier = find(tx, code_or_id)?;
            let log = events::list(tx, &dossier.id)?;
            Ok::<_, Error>((dossier, read_unit(tx)?, log))
        })?;
        let unit = unit.ok_or_else(unit_not_set_up)?;
        let event = log
            .iter()
            .rev()
            .find(|e| e.kind == event_kind)
            .ok_or_else(|| {
                Error::Invalid(ApiError::validation(
                    Field::Event,
                    "the dossier has no such request or refusal",
                ))
            })?;
        let procedure = self.procedure(&dossier.procedure_code)?;
        let pdf = hoso_forms::notice(&hoso_forms::NoticeData {
            unit: &unit,
            dossier: &dossier,
            procedure,
            kind,
            reason: event.reason.as_deref().unwrap_or(""),
            at: event.at,
        })
        .map_err(|e| Error::Form(e.to_string()))?;
        let form = match kind {
            hoso_forms::NoticeKind::Supplement => "form 02",
            hoso_forms::NoticeKind::Refusal => "form 03",
        };
        self.audit_now(AuditAction::Print, &dossier.id.0, form)?;
        Ok(pdf)
    }

    /// Mẫu 07: the tracking book of the dossiers received from `from` to `to` (inclusive,
    /// Vietnamese civil dates).
    pub fn tracking_book(
        &self,
        from: jiff::civil::Date,
        to: jiff::civil::Date,
    ) -> Result<Vec<u8>, Error> {
        let bad_range = || {
            Error::Invalid(ApiError::validation(
                Field::Date,
                "the period ends before it starts",
            ))
        };
        self.need(Act::Export)?;
        if to < from {
            return Err(bad_range());
        }
        let start =
            from_local(from.to_datetime(jiff::civil::Time::midnight())).ok_or_else(bad_range)?;
        let end = to
            .tomorrow()
            .ok()
            .and_then(|d| from_local(d.to_datetime(jiff::civil::Time::midnight())))
            .ok_or_else(bad_range)?;
        let (unit, entries) = self.inner.store.read(|tx| {
            let mut entries = Vec::new();
            for dossier in dossiers::received_between(tx, start, end)? {
                let log = events::list(tx, &dossier.id)?;
                entries.push((dossier, log));
            }
            Ok::<_, Error>((read_unit(tx)?, entries))
        })?;
        let unit = unit.ok_or_else(unit_not_set_up)?;
        let first = |log: &[Event], kinds: &[EventKind]| {
            log.iter().find(|e| kinds.contains(&e.kind)).map(|e| e.at)
        };
        let rows = entries
            .iter()
            .map(|(dossier, log)| hoso_forms::BookRow {
                dossier,
                procedure_name: self
                    .procedure(&dossier.procedure_code)
                    .map_or("", |p| p.name.as_str()),
                transferred_at: first(log, &[EventKind::Transfer]),
                resolved_at: first(log, &[EventKind::Back, EventKind::Resolve]),
                returned_at: first(log, &[EventKind::Return]),
            })
            .collect();
        let pdf = hoso_forms::tracking_book(&hoso_forms::BookData {
            unit: &unit,
            from,
            to,
            rows,
        })
        .map_err(|e| Error::Form(e.to_string()))?;
        self.audit_now(
            AuditAction::Print,
            "tracking-book",
            &format!("form 07 {from} {to}"),
        )?;
        Ok(pdf)
    }

    /// The officer's preferences; defaults where nothing was chosen yet.
    pub fn settings(&self) -> Result<Settings, Error> {
        let language = self
            .inner
            .store
            .read(|tx| settings::get(tx, settings::keys::LANGUAGE))?;
        Ok(Settings {
            // A value this version does not know (written by a newer one) falls back to the default.
            language: language
                .as_deref()
                .and_then(Language::from_tag)
                .unwrap_or_default(),
        })
    }

    /// Chooses the interface language; remembered across restarts.
    pub fn set_language(&self, language: Language) -> Result<Settings, Error> {
        self.need(Act::Work)?;
        self.inner
            .store
            .write(|tx| settings::set(tx, settings::keys::LANGUAGE, language.tag()))?;
        self.settings()
    }
}

/// Who gave and who took a dossier at a hand-over (both optional).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Handover {
    pub giver: Option<String>,
    pub taker: Option<String>,
}

/// Forms print the unit: they need it set up first.
/// Checks a catalogue or calendar file whole and stores it unless an older version than the
/// one in use, in the caller's transaction.
pub(crate) fn put_document(
    tx: &Transaction<'_>,
    json: &str,
) -> Result<(catalogue::Kind, String), Error> {
    let (kind, version) = catalogue::check(json).map_err(|_| {
        Error::Invalid(ApiError::validation(
            Field::Catalogue,
            "not a valid catalogue file",
        ))
    })?;
    if let Some((current, _)) = hoso_store::settings::catalogue::get(tx, kind.name())?
        && current > version
    {
        return Err(Error::Invalid(ApiError::validation(
            Field::Catalogue,
            "older than the catalogue in use",
        )));
    }
    hoso_store::settings::catalogue::put(tx, kind.name(), &version, json)?;
    Ok((kind, version))
}

fn unit_not_set_up() -> Error {
    Error::Invalid(ApiError::validation(
        Field::UnitCode,
        "the unit is not set up",
    ))
}

fn read_unit(tx: &Transaction<'_>) -> Result<Option<Unit>, Error> {
    match settings::get(tx, settings::keys::UNIT)? {
        None => Ok(None),
        Some(json) => serde_json::from_str(&json)
            .map(Some)
            .map_err(|e| hoso_store::Error::Corrupt(format!("unit settings: {e}")).into()),
    }
}

fn find(tx: &Transaction<'_>, code_or_id: &str) -> Result<Dossier, Error> {
    let key = code_or_id.trim();
    let found = match dossiers::get_by_code(tx, key)? {
        Some(d) => Some(d),
        None => dossiers::get(tx, &DossierId(key.to_owned()))?,
    };
    found.ok_or_else(|| {
        Error::Invalid(ApiError::new(
            hoso_model::ErrorCode::NotFound,
            "no such dossier",
        ))
    })
}

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
