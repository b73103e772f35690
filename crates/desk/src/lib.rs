//! The desk's application layer: the use cases an officer performs, over the local store.
//!
//! The desktop shell (`src-tauri`) and the `hoso` command line call the same [`Desk`] methods,
//! so a rule enforced here is enforced everywhere. Each method is one use case; it validates
//! its input with the pure rules of `hoso-model`, then reads or writes the store in one
//! transaction. Time comes from a [`Clock`], never from `now()` inside the logic.
//!
//! This file is the core every use case shares: the [`Desk`] itself, opening it, the role
//! check ([`Desk::need`]), the audit entry, the catalogue in use and the data directory's
//! folders. The use cases live in files named after what they do: `dossiers`, `forms`,
//! `settings`, `accounts`, `backup`, `pages`, `scan`, `text`, `folder`, `supervision`, `sync`.

pub mod accounts;
pub mod background;
pub mod backup;
mod blobs;
pub mod catalogue;
mod clock;
mod data_dir;
mod dossiers;
mod error;
pub mod events;
pub mod files;
pub mod folder;
mod forms;
mod legacy;
pub mod pages;
pub mod print;
pub mod reports;
pub mod scan;
mod settings;
pub mod supervision;
pub mod sync;
#[cfg(target_os = "linux")]
pub mod text;
pub mod window;

use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};

use hoso_model::account::AuditAction;
use hoso_model::calendar::WorkingCalendar;
use hoso_model::{Account, Act, Field, Procedure, Role};
use hoso_store::{OpenNotice, Store, audit};
use hoso_vault::{DataKey, Keyring};
use rusqlite::Transaction;

pub use blobs::hash_of;
pub use clock::{Clock, FixedClock, SystemClock};
pub use data_dir::{DATA_DIR_ENV, default_data_dir};
pub use dossiers::{Handover, LIST_LIMIT, SEARCH_LIMIT};
pub use error::{Error, Object};

pub(crate) use dossiers::find;
pub(crate) use settings::{put_document, read_unit};

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
    /// Who hears what happens (the window).
    events: events::Sinks,
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
        // Pages deleted longer ago than the time to undo go for good, with their files (and
        // files a crash left to remove); a failure here is tried again later, not fatal.
        if let Err(err) = desk.release_deleted_pages() {
            eprintln!("hoso: deleted pages are released later: {err}");
        }
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
                events: Default::default(),
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

    /// A procedure of the catalogue in use, by its code.
    fn procedure(&self, code: &str) -> Result<&Procedure, Error> {
        self.inner
            .catalogue
            .iter()
            .find(|p| p.code == code)
            .ok_or_else(|| Error::refused(Field::Procedure, "procedure is not in the catalogue"))
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
}
