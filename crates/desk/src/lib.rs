//! The desk's application layer: the use cases an officer performs, over the local store.
//!
//! The desktop shell (`src-tauri`) and the `hoso` command line call the same [`Desk`] methods,
//! so a rule enforced here is enforced everywhere. Each method is one use case; it validates
//! its input with the pure rules of `hoso-model`, then reads or writes the store in one
//! transaction. Time comes from a [`Clock`], never from `now()` inside the logic.

pub mod catalogue;
mod clock;
mod data_dir;
mod error;

use std::path::Path;
use std::sync::Arc;

use hoso_model::{Dossier, DossierId, Language, NewDossier, Procedure, Settings};
use hoso_store::{OpenNotice, Store, dossiers, settings};

pub use clock::{Clock, FixedClock, SystemClock};
pub use data_dir::{DATA_DIR_ENV, default_data_dir};
pub use error::Error;

/// How many dossiers the list shows at most, newest first.
pub const LIST_LIMIT: u32 = 500;

/// The desk: the store, the catalogue and a clock. Cheap to clone; clones share one store.
#[derive(Clone)]
pub struct Desk {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    clock: Box<dyn Clock>,
    catalogue: Vec<Procedure>,
}

impl Desk {
    /// Opens the desk whose data lives in `data_dir`, creating it if needed. The notice, if
    /// any, must be shown to the officer.
    pub fn open(
        data_dir: &Path,
        clock: impl Clock + 'static,
    ) -> Result<(Desk, Option<OpenNotice>), Error> {
        let opened = Store::open_in(data_dir)?;
        Ok((Self::with_store(opened.store, clock)?, opened.notice))
    }

    /// A desk over an already opened store (tests use an in-memory one).
    pub fn with_store(store: Store, clock: impl Clock + 'static) -> Result<Desk, Error> {
        let catalogue = catalogue::built_in()?;
        Ok(Desk {
            inner: Arc::new(Inner {
                store,
                clock: Box::new(clock),
                catalogue,
            }),
        })
    }

    /// The procedures an officer can register a dossier under.
    pub fn procedures(&self) -> &[Procedure] {
        &self.inner.catalogue
    }

    /// Tiếp nhận: registers a dossier received now at the counter.
    pub fn register(&self, form: &NewDossier) -> Result<Dossier, Error> {
        let valid = form.validate(&self.inner.catalogue)?;
        let dossier = Dossier {
            id: DossierId(uuid::Uuid::new_v4().to_string()),
            procedure_code: valid.procedure_code,
            applicant_name: valid.applicant_name,
            received_at: to_millisecond(self.inner.clock.now()),
        };
        self.inner
            .store
            .write(|tx| dossiers::insert(tx, &dossier))?;
        Ok(dossier)
    }

    /// The latest dossiers, newest first.
    pub fn dossiers(&self) -> Result<Vec<Dossier>, Error> {
        Ok(self
            .inner
            .store
            .read(|tx| dossiers::latest(tx, LIST_LIMIT))?)
    }

    /// How many dossiers this desk holds.
    pub fn dossier_count(&self) -> Result<u64, Error> {
        Ok(self.inner.store.read(dossiers::count)?)
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
        self.inner
            .store
            .write(|tx| settings::set(tx, settings::keys::LANGUAGE, language.tag()))?;
        self.settings()
    }
}

/// The store keeps milliseconds: a use case returns exactly what a later read gives back.
fn to_millisecond(at: jiff::Timestamp) -> jiff::Timestamp {
    jiff::Timestamp::from_millisecond(at.as_millisecond())
        .expect("a valid timestamp truncated stays valid")
}
