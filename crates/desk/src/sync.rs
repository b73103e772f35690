//! Sync with the hub, on the desk's side: enrollment (`enroll`, with the trust in the hub's
//! certificate), the sync engine's view of the desk
//! ([`hoso_sync::Local`]), and what the officer and `hoso sync status` see.
//!
//! The outbox is filled by the store's triggers in the transaction of every change; the engine
//! reads it, records the hub's confirmations, and applies what the hub sends back, each change
//! with the pull cursor in one transaction. With enrollment and every pull come the hub's code
//! floors: this desk's code counter is raised to them, so a desk restored from an older backup
//! never issues a code the hub holds (`docs/protocol.md`, "Dossier codes after a restore"). A hub
//! restored from a backup shows a new generation: everything is offered again and pulled from 0.

use std::sync::Arc;

use hoso_model::account::ChainedEntry;
use hoso_model::sync::{
    Change, ChangeBody, CodeFloor, DossierRecord, FileProgress, FileRef, QuarantinedDossier,
    SentMark, Summary, SyncOverview, Waiting,
};
use hoso_model::unit::{MAX_DAILY, Unit};
use hoso_model::{DossierId, Field, Problem};
use hoso_store::audit;
use hoso_store::sync::{self as outbox, DossierSync, Quarantined};
use hoso_store::{dossiers, settings};
use hoso_sync::{Config, Controls, Engine, GlobalProblem, HubLink, Local, LocalError};
use jiff::Timestamp;

use crate::{Desk, Error, put_document, read_unit};

mod enroll;
pub use enroll::{Enrollment, trust_from};

/// The settings the sync engine keeps.
pub mod keys {
    pub const HUB_URL: &str = "sync.hub_url";
    /// The hub certificate's SHA-256 given at enrollment: only that certificate is accepted.
    pub const HUB_FINGERPRINT: &str = "sync.hub_fingerprint";
    /// The CA (PEM) given at enrollment: only certificates it issued are accepted.
    pub const HUB_CA: &str = "sync.hub_ca";
    pub const DEVICE_ID: &str = "sync.device_id";
    pub const TOKEN: &str = "sync.token";
    /// The last change pulled and applied.
    pub const CURSOR: &str = "sync.cursor";
    /// The hub's generation last seen; a different one means the hub was restored.
    pub const HUB_GENERATION: &str = "sync.hub_generation";
    pub const PAUSED: &str = "sync.paused";
    /// Upload cap, bytes per second.
    pub const BANDWIDTH: &str = "sync.bandwidth";
    pub const LAST_CONTACT: &str = "sync.last_contact_ms";
    /// The problem that stops sync until someone acts, if any.
    pub const PROBLEM: &str = "sync.problem";
    /// Changes from the hub this desk could not apply (and skipped).
    pub const SKIPPED: &str = "sync.skipped";
    /// "1" from a restore until the hub's code floors arrive: codes come from the reserved
    /// range meanwhile (`hoso_model::unit::RESTORED_FROM`).
    pub const RESTORED_UNRECONCILED: &str = "sync.restored_unreconciled";
}

/// Whether this desk was restored from a backup and has not heard from the hub since.
pub(crate) fn restored_unreconciled(
    tx: &rusqlite::Transaction<'_>,
) -> Result<bool, hoso_store::Error> {
    Ok(settings::get(tx, keys::RESTORED_UNRECONCILED)?.as_deref() == Some("1"))
}

/// Takes the hub's code floors: each day's count raised to what the hub holds for this desk's
/// slot (never lowered), and the desk is reconciled after a restore. A floor that is no day or
/// beyond any real count is passed over.
fn take_code_floors(
    tx: &rusqlite::Transaction<'_>,
    floors: &[CodeFloor],
) -> Result<(), hoso_store::Error> {
    for floor in floors {
        let day = floor.day.len() == 6 && floor.day.bytes().all(|b| b.is_ascii_digit());
        if day && floor.issued <= MAX_DAILY {
            dossiers::raise_code_counter(tx, &floor.day, floor.issued)?;
        }
    }
    settings::delete(tx, keys::RESTORED_UNRECONCILED)
}

fn hub_error(problem: Problem, message: &'static str) -> Error {
    Error::problem(Field::Hub, problem, message)
}

/// The error an officer sees for a problem that stops sync.
pub fn problem_error(problem: GlobalProblem) -> Error {
    match problem {
        GlobalProblem::NotEnrolled => hub_error(Problem::NotEnrolled, "not enrolled"),
        GlobalProblem::Credential => hub_error(Problem::HubCredential, "credential refused"),
        GlobalProblem::EnrollmentCode => {
            hub_error(Problem::EnrollmentRefused, "enrollment code refused")
        }
        GlobalProblem::Clock => hub_error(Problem::ClockOff, "clock far from the hub's"),
        GlobalProblem::Protocol => hub_error(Problem::HubIncompatible, "protocol mismatch"),
        GlobalProblem::DiskFull => Error::Store(hoso_store::Error::DiskFull),
        GlobalProblem::CertificatePin => hub_error(Problem::CertificatePin, "certificate refused"),
        GlobalProblem::CertificateCa => hub_error(Problem::CertificateCa, "certificate refused"),
    }
}

/// A runtime for one blocking call into the async engine (the command line, enrollment).
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime starts")
}

impl Desk {
    /// The sync engine over this desk.
    pub fn sync_engine(&self, config: Config) -> Engine<DeskLocal> {
        Engine::new(Arc::new(self.sync_local()), config)
    }

    /// The desk as the sync engine sees it (tests and tools drive it as the engine does).
    pub fn sync_local(&self) -> DeskLocal {
        DeskLocal(self.clone())
    }

    /// Runs the sync engine until nothing waits (quarantined dossiers aside) or a problem needs
    /// a person; with `watch`, forever.
    pub fn sync(&self, config: Config, watch: bool) -> Result<hoso_sync::Status, Error> {
        self.need(hoso_model::Act::Work)?;
        let engine = self.sync_engine(config);
        let mode = if watch {
            hoso_sync::Mode::Watch
        } else {
            hoso_sync::Mode::UntilEmpty
        };
        runtime().block_on(engine.run(mode)).map_err(problem_error)
    }

    pub fn sync_overview(&self) -> Result<SyncOverview, Error> {
        self.need(hoso_model::Act::Work)?;
        Ok(self.inner.store.read(|tx| {
            let get = |key| settings::get(tx, key);
            let summary = outbox::summary(tx)?;
            let quarantined = outbox::quarantined(tx)?
                .into_iter()
                .map(
                    |Quarantined {
                         dossier_id,
                         code,
                         version,
                         reason,
                     }| QuarantinedDossier {
                        id: dossier_id,
                        code,
                        version,
                        reason,
                    },
                )
                .collect();
            Ok::<_, hoso_store::Error>(SyncOverview {
                hub_url: get(keys::HUB_URL)?,
                device_id: get(keys::DEVICE_ID)?,
                paused: get(keys::PAUSED)?.as_deref() == Some("true"),
                bandwidth: get(keys::BANDWIDTH)?.and_then(|b| b.parse().ok()),
                last_contact: get(keys::LAST_CONTACT)?
                    .and_then(|ms| ms.parse().ok())
                    .and_then(|ms| Timestamp::from_millisecond(ms).ok()),
                problem: get(keys::PROBLEM)?,
                waiting_dossiers: summary.dossiers,
                waiting_files: summary.files,
                waiting_bytes: summary.bytes,
                oldest_waiting_since: summary
                    .oldest_ms
                    .and_then(|ms| Timestamp::from_millisecond(ms).ok()),
                quarantined,
                skipped_changes: get(keys::SKIPPED)?
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0),
                audit_waiting: audit::waiting(tx)?,
                audit_problem: audit::sent(tx)?.refused,
                restored_unreconciled: restored_unreconciled(tx)?,
            })
        })?)
    }

    /// Whether this desk was restored from a backup and has not reached the hub since: the
    /// window warns at intake (`Text::RestoredUnreconciled`), and codes issued meanwhile come
    /// from the reserved range.
    pub fn restored_unreconciled(&self) -> Result<bool, Error> {
        self.need(hoso_model::Act::Work)?;
        Ok(self.inner.store.read(restored_unreconciled)?)
    }

    /// Pauses or resumes sync (the engine stops at the next chunk).
    pub fn set_sync_paused(&self, paused: bool) -> Result<(), Error> {
        self.need(hoso_model::Act::Work)?;
        Ok(self
            .inner
            .store
            .write(|tx| settings::set(tx, keys::PAUSED, if paused { "true" } else { "false" }))?)
    }

    /// Caps uploads at `bytes_per_second` (`None`: no cap).
    pub fn set_sync_bandwidth(&self, bytes_per_second: Option<u64>) -> Result<(), Error> {
        self.need(hoso_model::Act::Work)?;
        Ok(self.inner.store.write(|tx| match bytes_per_second {
            Some(rate) => settings::set(tx, keys::BANDWIDTH, &rate.to_string()),
            None => settings::delete(tx, keys::BANDWIDTH),
        })?)
    }

    /// Tries a quarantined dossier (or one backing off) again at the next pass.
    pub fn retry_sync(&self, code_or_id: &str) -> Result<(), Error> {
        self.need(hoso_model::Act::Work)?;
        self.inner.store.write(|tx| {
            let dossier = crate::find(tx, code_or_id)?;
            outbox::release(tx, &dossier.id)?;
            Ok(())
        })
    }

    /// Sends the audit log again at the next pass, after the hub refused it (an administrator's
    /// act: the refusal may mean the log was tampered with, here or on the hub).
    pub fn retry_audit_sync(&self) -> Result<(), Error> {
        self.need(hoso_model::Act::Configure)?;
        self.inner.store.write(|tx| {
            let mut mark = audit::sent(tx)?;
            let refused = mark.refused.take();
            audit::set_sent(tx, &mark)?;
            self.audit(
                tx,
                hoso_model::account::AuditAction::Settings,
                "audit_sync",
                refused.as_deref().unwrap_or(""),
            )
        })
    }

    /// A dossier's current version: what the hub holds once it is synced.
    #[cfg(any(test, feature = "test-support"))]
    pub fn sync_version(&self, id: &DossierId) -> Result<u64, Error> {
        Ok(self
            .inner
            .store
            .read(|tx| outbox::version(tx, id))?
            .unwrap_or(0))
    }

    /// The credential this desk presents to the hub (for checks by IT staff and tests).
    pub fn sync_token(&self) -> Result<Option<String>, Error> {
        Ok(self.inner.store.read(|tx| settings::get(tx, keys::TOKEN))?)
    }

    /// The hashes of every file the dossiers' pages name.
    #[cfg(any(test, feature = "test-support"))]
    pub fn kept_file_hashes(&self) -> Result<Vec<String>, Error> {
        Ok(self.inner.store.read(outbox::page_files)?)
    }

    /// Where each of these dossiers stands with the hub (for the list's badges).
    pub fn sync_states(
        &self,
        ids: &[DossierId],
    ) -> Result<Vec<(DossierId, hoso_model::ipc::DossierSyncState)>, Error> {
        use hoso_model::ipc::DossierSyncState as S;
        Ok(self.inner.store.read(|tx| {
            ids.iter()
                .filter_map(|id| match outbox::state_of(tx, id) {
                    Ok(Some(state)) => Some(Ok((
                        id.clone(),
                        match state {
                            DossierSync::Synced => S::Synced,
                            DossierSync::Waiting => S::Waiting,
                            DossierSync::Quarantined => S::Quarantined,
                        },
                    ))),
                    Ok(None) => None,
                    Err(e) => Some(Err(e)),
                })
                .collect::<Result<Vec<_>, _>>()
        })?)
    }

    /// Where one dossier stands with the hub.
    pub fn sync_state(&self, id: &DossierId) -> Result<Option<DossierSync>, Error> {
        Ok(self.inner.store.read(|tx| outbox::state_of(tx, id))?)
    }
}

/// The desk as the sync engine sees it.
pub struct DeskLocal(Desk);

fn local_error(err: impl Into<Error>) -> LocalError {
    let err = err.into();
    LocalError {
        disk_full: matches!(err, Error::Store(hoso_store::Error::DiskFull)),
        message: err.to_string(),
    }
}

impl DeskLocal {
    fn read<T>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, hoso_store::Error>,
    ) -> Result<T, LocalError> {
        self.0.inner.store.read(f).map_err(local_error)
    }

    fn write<T>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, hoso_store::Error>,
    ) -> Result<T, LocalError> {
        self.0.inner.store.write(f).map_err(local_error)
    }
}

impl Local for DeskLocal {
    fn hub(&self) -> Result<Option<HubLink>, LocalError> {
        self.read(|tx| {
            let url = settings::get(tx, keys::HUB_URL)?;
            let device = settings::get(tx, keys::DEVICE_ID)?;
            let token = settings::get(tx, keys::TOKEN)?;
            Ok(match (url, device, token) {
                (Some(url), Some(device_id), Some(token)) => Some(HubLink {
                    url,
                    device_id,
                    token,
                    trust: enroll::kept_trust(tx)?,
                }),
                _ => None,
            })
        })
    }

    fn controls(&self) -> Result<Controls, LocalError> {
        self.read(|tx| {
            Ok(Controls {
                paused: settings::get(tx, keys::PAUSED)?.as_deref() == Some("true"),
                bandwidth: settings::get(tx, keys::BANDWIDTH)?.and_then(|b| b.parse().ok()),
            })
        })
    }

    fn now_ms(&self) -> i64 {
        self.0.inner.clock.now().as_millisecond()
    }

    fn waiting(&self, now_ms: i64, limit: u32) -> Result<Vec<Waiting>, LocalError> {
        self.read(|tx| outbox::waiting(tx, now_ms, limit))
    }

    fn next_try(&self, now_ms: i64) -> Result<Option<i64>, LocalError> {
        self.read(|tx| outbox::next_try(tx, now_ms))
    }

    fn record(
        &self,
        id: &DossierId,
    ) -> Result<Option<(u64, DossierRecord, Vec<FileRef>)>, LocalError> {
        self.read(|tx| outbox::record(tx, id))
    }

    fn file_progress(&self, sha256: &str) -> Result<FileProgress, LocalError> {
        self.read(|tx| outbox::file_progress(tx, sha256))
    }

    fn set_file_progress(&self, sha256: &str, progress: &FileProgress) -> Result<(), LocalError> {
        self.write(|tx| outbox::set_file_progress(tx, sha256, progress))
    }

    fn open_file(&self, sha256: &str) -> Option<Box<dyn hoso_sync::local::FileReader>> {
        self.0.inner.blobs.reader(sha256)
    }

    fn acknowledge(&self, id: &DossierId, version: u64) -> Result<(), LocalError> {
        self.write(|tx| outbox::acknowledge(tx, id, version))
    }

    fn quarantine(&self, id: &DossierId, version: u64, reason: &str) -> Result<(), LocalError> {
        self.write(|tx| outbox::quarantine(tx, id, version, reason))
    }

    fn retry_later(&self, id: &DossierId, at_ms: i64) -> Result<u32, LocalError> {
        self.write(|tx| outbox::retry_later(tx, id, at_ms))
    }

    fn retry_count(&self, id: &DossierId) -> Result<u32, LocalError> {
        self.read(|tx| outbox::attempts(tx, id))
    }

    fn follow_generation(&self, generation: &str) -> Result<bool, LocalError> {
        self.write(|tx| {
            let kept = settings::get(tx, keys::HUB_GENERATION)?;
            if kept.as_deref() == Some(generation) {
                return Ok(false);
            }
            settings::set(tx, keys::HUB_GENERATION, generation)?;
            if kept.is_none() {
                return Ok(false);
            }
            outbox::resend_all(tx)?;
            settings::set(tx, keys::CURSOR, "0")?;
            Ok(true)
        })
    }

    fn cursor(&self) -> Result<u64, LocalError> {
        self.read(|tx| {
            Ok(settings::get(tx, keys::CURSOR)?
                .and_then(|c| c.parse().ok())
                .unwrap_or(0))
        })
    }

    fn apply(&self, change: &Change) -> Result<(), LocalError> {
        let desk = &self.0;
        desk.inner
            .store
            .write(|tx| {
                let applied = match &change.body {
                    ChangeBody::Event { dossier_id, event } => {
                        match dossiers::get(tx, dossier_id)? {
                            // Pulled again from the start after the hub was restored: the
                            // log already holds it.
                            Some(_)
                                if hoso_store::events::list(tx, dossier_id)?.contains(event) =>
                            {
                                true
                            }
                            Some(dossier) => match desk.record_event(tx, &dossier, event) {
                                Ok(()) => true,
                                Err(e) if e.is_refusal() => false,
                                Err(other) => return Err(other),
                            },
                            None => false,
                        }
                    }
                    ChangeBody::Document { json } => match put_document(tx, json) {
                        Ok(_) => true,
                        Err(e) if e.is_refusal() => false,
                        Err(other) => return Err(other),
                    },
                    ChangeBody::Unit { name } => match read_unit(tx)? {
                        Some(unit) if !name.trim().is_empty() => {
                            let unit = Unit {
                                name: name.trim().to_owned(),
                                ..unit
                            };
                            let json = serde_json::to_string(&unit).expect("a unit serialises");
                            settings::set(tx, settings::keys::UNIT, &json)?;
                            true
                        }
                        _ => false,
                    },
                };
                if !applied {
                    let skipped: u64 = settings::get(tx, keys::SKIPPED)?
                        .and_then(|n| n.parse().ok())
                        .unwrap_or(0);
                    settings::set(tx, keys::SKIPPED, &(skipped + 1).to_string())?;
                }
                settings::set(tx, keys::CURSOR, &change.seq.to_string())?;
                Ok(())
            })
            .map_err(local_error)
    }

    fn apply_code_floors(&self, floors: &[CodeFloor]) -> Result<(), LocalError> {
        self.write(|tx| take_code_floors(tx, floors))
    }

    fn summary(&self) -> Result<Summary, LocalError> {
        self.read(outbox::summary)
    }

    fn audit_mark(&self) -> Result<SentMark, LocalError> {
        self.read(audit::sent)
    }

    fn set_audit_mark(&self, mark: &SentMark) -> Result<(), LocalError> {
        self.write(|tx| audit::set_sent(tx, mark))
    }

    fn audit_after(&self, seq: u64, limit: u32) -> Result<Vec<ChainedEntry>, LocalError> {
        self.read(|tx| audit::after(tx, seq, limit))
    }

    fn contact(&self, at_ms: Option<i64>, problem: Option<&str>) -> Result<(), LocalError> {
        self.write(|tx| {
            if let Some(at) = at_ms {
                settings::set(tx, keys::LAST_CONTACT, &at.to_string())?;
            }
            match problem {
                Some(p) => settings::set(tx, keys::PROBLEM, p),
                None => settings::delete(tx, keys::PROBLEM),
            }
        })
    }
}
