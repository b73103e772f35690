//! Setting a desk up, signing in and out, accounts and the audit log.
//!
//! A desk's data is encrypted under one data key (see `hoso-vault`). Setting up creates that
//! key, the first administrator and the recovery key; signing in with any account's password
//! unwraps the key and opens the store. While the window is locked the store stays open (sync
//! and recognition go on) but every use case answers [`Error::SignIn`] until someone signs in
//! again, which checks their password against their own key slot.
//!
//! Disabling an account removes its key slot: its password stops opening the desk at all, not
//! only the window. Enabling it again needs a new password set by an administrator.

use std::path::Path;

use hoso_model::account::{
    AuditAction, AuditCheck, AuditEntry, AuditFilter, NewAccount, validate_name, validate_password,
};
use hoso_model::{Account, Act, Field, Role};
use hoso_store::{OpenNotice, accounts, audit};
use hoso_vault::{Keyring, RecoveryKey};

use crate::{Clock, Desk, Error};

/// The account name the recovery key signs in as.
pub const RECOVERY_ACTOR: &str = "recovery";

impl Desk {
    /// Whether the desk in `data_dir` has been set up (it has a key file).
    pub fn is_set_up(data_dir: &Path) -> bool {
        Keyring::exists(data_dir)
    }

    /// The accounts that can sign in to the desk in `data_dir` (read from the key file; no
    /// password needed), for the sign-in screen.
    pub fn sign_in_names(data_dir: &Path) -> Result<Vec<String>, Error> {
        if !Keyring::exists(data_dir) {
            return Err(Error::NotSetUp);
        }
        Ok(Keyring::load(data_dir)?.accounts())
    }

    /// Sets up a new desk in `data_dir`: a fresh data key, the first administrator (whatever
    /// role `first` names) and the recovery key, which the caller must show once. The new
    /// administrator is signed in. Refused if the desk is set up already.
    pub fn set_up(
        data_dir: &Path,
        first: &NewAccount,
        clock: impl Clock + 'static,
    ) -> Result<(Desk, RecoveryKey), Error> {
        let account = Account {
            role: Role::Admin,
            ..first.validate()?
        };
        let (ring, key, recovery) = Keyring::create(data_dir, &account.name, &first.password)?;
        let (desk, _) = Desk::open_with_key(data_dir, ring, key, clock)?;
        let now = desk.inner.clock.now().as_millisecond();
        desk.inner.store.write(|tx| {
            if accounts::get(tx, &account.name)?.is_none() {
                accounts::insert(tx, &account, now)?;
            }
            Ok::<_, Error>(())
        })?;
        desk.become_user(account.clone());
        desk.audit_now(AuditAction::SetUp, &account.name, "")?;
        Ok((desk, recovery))
    }

    /// Opens the desk in `data_dir` as `name`. A wrong password, an unknown name and a
    /// disabled account are refused alike, without saying which.
    pub fn sign_in(
        data_dir: &Path,
        name: &str,
        password: &str,
        clock: impl Clock + 'static,
    ) -> Result<(Desk, Option<OpenNotice>), Error> {
        if !Keyring::exists(data_dir) {
            return Err(Error::NotSetUp);
        }
        let ring = Keyring::load(data_dir)?;
        let key = ring.unlock(name, password)?;
        let (desk, notice) = Desk::open_with_key(data_dir, ring, key, clock)?;
        match (desk.admit(name), notice) {
            (Ok(_), notice) => Ok((desk, notice)),
            // A store just set aside knows no account: say that, not "disabled".
            (Err(_), Some(notice)) => Err(Error::SetAside(notice)),
            // Still no account at all, at a later sign-in: the same store, set aside earlier.
            (Err(err), None) => match set_aside_before(data_dir, &desk) {
                Some(notice) => Err(Error::SetAside(notice)),
                None => Err(err),
            },
        }
    }

    /// Opens the desk in `data_dir` with the recovery key, as an administrator named
    /// [`RECOVERY_ACTOR`]: to set a forgotten password or restore access.
    pub fn recover(
        data_dir: &Path,
        recovery_key: &str,
        clock: impl Clock + 'static,
    ) -> Result<(Desk, Option<OpenNotice>), Error> {
        if !Keyring::exists(data_dir) {
            return Err(Error::NotSetUp);
        }
        let recovery = RecoveryKey::parse(recovery_key)?;
        let ring = Keyring::load(data_dir)?;
        let key = ring.recover(&recovery)?;
        let (desk, notice) = Desk::open_with_key(data_dir, ring, key, clock)?;
        desk.become_user(Account {
            name: RECOVERY_ACTOR.into(),
            full_name: RECOVERY_ACTOR.into(),
            role: Role::Admin,
            disabled: false,
        });
        desk.audit_now(AuditAction::Recover, "", "")?;
        Ok((desk, notice))
    }

    /// The signed-in account, if any.
    pub fn current_user(&self) -> Option<Account> {
        self.inner
            .user
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn become_user(&self, account: Account) {
        *self.inner.user.write().unwrap_or_else(|e| e.into_inner()) = Some(account);
    }

    /// Signs `name` in if the store knows the account and it is enabled.
    fn admit(&self, name: &str) -> Result<Account, Error> {
        let account = self.inner.store.read(|tx| accounts::get(tx, name))?;
        match account {
            Some(account) if !account.disabled => {
                self.become_user(account.clone());
                self.audit_now(AuditAction::SignIn, &account.name, "")?;
                Ok(account)
            }
            _ => {
                self.audit_now(AuditAction::SignInFailed, name, "disabled")?;
                Err(Error::AccountDisabled)
            }
        }
    }

    /// Signs an account in at an open desk (after a lock, or to switch officer): the password
    /// is checked against the account's own key slot.
    pub fn switch_user(&self, name: &str, password: &str) -> Result<Account, Error> {
        let keys = self.inner.keys.as_ref().ok_or(Error::NotSetUp)?;
        let checked = keys
            .ring
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .unlock(name, password);
        match checked {
            Ok(key) if key.fingerprint() == keys.key.fingerprint() => self.admit(name),
            Ok(_) => Err(Error::Vault(hoso_vault::Error::WrongPassword)),
            Err(err) => {
                // Recorded as the desk ("" actor): nobody is signed in.
                self.lock_quietly();
                self.audit_now(AuditAction::SignInFailed, "", "")?;
                Err(err.into())
            }
        }
    }

    fn lock_quietly(&self) {
        *self.inner.user.write().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// Locks the desk: nobody is signed in until someone signs in again. Background work
    /// (sync, recognition) goes on.
    pub fn lock(&self) -> Result<(), Error> {
        if let Some(user) = self.current_user() {
            self.audit_now(AuditAction::SignOut, &user.name, "")?;
        }
        self.lock_quietly();
        Ok(())
    }

    fn keyring(&self) -> Result<std::sync::MutexGuard<'_, Keyring>, Error> {
        let keys = self.inner.keys.as_ref().ok_or(Error::NotSetUp)?;
        Ok(keys.ring.lock().unwrap_or_else(|e| e.into_inner()))
    }

    pub(crate) fn data_key(&self) -> Result<&hoso_vault::DataKey, Error> {
        Ok(&self.inner.keys.as_ref().ok_or(Error::NotSetUp)?.key)
    }

    /// Every account of this desk.
    pub fn accounts(&self) -> Result<Vec<Account>, Error> {
        self.need(Act::ManageAccounts)?;
        Ok(self.inner.store.read(accounts::list)?)
    }

    /// Adds an account; its password opens the desk from now on.
    pub fn add_account(&self, new: &NewAccount) -> Result<Account, Error> {
        self.need(Act::ManageAccounts)?;
        let account = new.validate()?;
        if self
            .inner
            .store
            .read(|tx| accounts::get(tx, &account.name))?
            .is_some()
        {
            return Err(Error::Vault(hoso_vault::Error::AccountExists));
        }
        // The key slot first: an account row without a slot could never sign in, while a slot
        // without its row is refused at sign-in and replaced when the account is added again.
        {
            let key = self.data_key()?.clone();
            let mut ring = self.keyring()?;
            if ring.accounts().contains(&account.name) {
                ring.set_password(&key, &account.name, &new.password)?;
            } else {
                ring.add_account(&key, &account.name, &new.password)?;
            }
        }
        let now = self.inner.clock.now().as_millisecond();
        self.inner.store.write(|tx| {
            accounts::insert(tx, &account, now)?;
            self.audit(
                tx,
                AuditAction::Account,
                &account.name,
                &format!("add {}", account.role.name()),
            )
        })?;
        Ok(account)
    }

    /// Changes an account's role or full name.
    pub fn set_role(&self, name: &str, role: Role) -> Result<Account, Error> {
        self.need(Act::ManageAccounts)?;
        self.inner.store.write(|tx| {
            let mut account = accounts::get(tx, name)?.ok_or_else(no_such_account)?;
            if account.role == Role::Admin
                && role != Role::Admin
                && !account.disabled
                && accounts::active_admins(tx)? <= 1
            {
                return Err(Error::LastAdmin);
            }
            account.role = role;
            accounts::update(tx, &account)?;
            self.audit(
                tx,
                AuditAction::Account,
                name,
                &format!("role {}", role.name()),
            )?;
            Ok(account)
        })
    }

    /// Disables an account: its key slot is removed, so its password opens nothing; its name
    /// stays in the log. If it is signed in now, the desk locks.
    pub fn disable_account(&self, name: &str) -> Result<Account, Error> {
        self.need(Act::ManageAccounts)?;
        let account = self.inner.store.write(|tx| {
            let mut account = accounts::get(tx, name)?.ok_or_else(no_such_account)?;
            if account.role == Role::Admin && !account.disabled && accounts::active_admins(tx)? <= 1
            {
                return Err(Error::LastAdmin);
            }
            account.disabled = true;
            accounts::update(tx, &account)?;
            self.audit(tx, AuditAction::Account, name, "disable")?;
            Ok(account)
        })?;
        {
            let mut ring = self.keyring()?;
            if ring.accounts().iter().any(|a| a == name) {
                ring.remove_account(name)?;
            }
        }
        if self.current_user().is_some_and(|u| u.name == name) {
            self.lock_quietly();
        }
        Ok(account)
    }

    /// Sets an account's password (an administrator for anyone, or the recovery key); enables
    /// a disabled account again.
    pub fn reset_password(&self, name: &str, password: &str) -> Result<Account, Error> {
        self.need(Act::ManageAccounts)?;
        validate_password(password)?;
        let mut account = self
            .inner
            .store
            .read(|tx| accounts::get(tx, name))?
            .ok_or_else(no_such_account)?;
        {
            let key = self.data_key()?.clone();
            let mut ring = self.keyring()?;
            if ring.accounts().iter().any(|a| a == name) {
                ring.set_password(&key, name, password)?;
            } else {
                ring.add_account(&key, name, password)?;
            }
        }
        self.inner.store.write(|tx| {
            let detail = if account.disabled {
                "password, enable"
            } else {
                "password"
            };
            account.disabled = false;
            accounts::update(tx, &account)?;
            self.audit(tx, AuditAction::Account, name, detail)
        })?;
        Ok(account)
    }

    /// Changes the signed-in account's own password, given the current one.
    pub fn change_password(&self, current: &str, new: &str) -> Result<(), Error> {
        let me = self.need(Act::Work)?;
        validate_password(new)?;
        let key = self.data_key()?.clone();
        {
            let mut ring = self.keyring()?;
            ring.unlock(&me.name, current)?;
            ring.set_password(&key, &me.name, new)?;
        }
        self.audit_now(AuditAction::Account, &me.name, "password")
    }

    /// Makes a new recovery key (the old one stops working); the caller shows it once.
    pub fn new_recovery_key(&self) -> Result<RecoveryKey, Error> {
        self.need(Act::Safeguard)?;
        let key = self.data_key()?.clone();
        let recovery = self.keyring()?.new_recovery_key(&key)?;
        self.audit_now(AuditAction::Settings, "recovery-key", "new")?;
        Ok(recovery)
    }

    /// Entries of the audit log matching `filter`, newest first.
    pub fn audit_log(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, Error> {
        self.need(Act::ReadAudit)?;
        if let Some(actor) = &filter.actor
            && !actor.is_empty()
        {
            validate_name(actor)
                .map_err(|_| Error::refused(Field::Account, "unknown account name"))?;
        }
        self.inner.store.read(|tx| {
            let mut entries = audit::list(tx, filter)?;
            label_dossiers(tx, &mut entries)?;
            Ok::<_, Error>(entries)
        })
    }

    /// Walks the audit log's hash chain; says where it first breaks, if it does.
    pub fn verify_audit(&self) -> Result<AuditCheck, Error> {
        self.need(Act::ReadAudit)?;
        Ok(self.inner.store.read(audit::verify)?)
    }
}

/// Names each entry's dossier by its code, which a reader knows it by, where the object is a
/// dossier's id and the dossier has a code (the log itself keeps the id).
fn label_dossiers(tx: &rusqlite::Transaction<'_>, entries: &mut [AuditEntry]) -> Result<(), Error> {
    let mut codes = std::collections::HashMap::<String, Option<String>>::new();
    for entry in entries {
        // Dossier ids are UUIDs; account names, file kinds and the rest are not looked up.
        if entry.object.len() != 36 || entry.object.bytes().filter(|b| *b == b'-').count() != 4 {
            continue;
        }
        if !codes.contains_key(&entry.object) {
            let id = hoso_model::DossierId(entry.object.clone());
            let code = hoso_store::dossiers::get(tx, &id)?.and_then(|d| d.code);
            codes.insert(entry.object.clone(), code);
        }
        entry.label = codes.get(&entry.object).cloned().flatten();
    }
    Ok(())
}

fn no_such_account() -> Error {
    Error::NotFound(crate::Object::Account)
}

/// The notice of a store set aside at an earlier open, when the store in use knows no account
/// (the keyring does: its accounts were made in the store set aside) and a damaged file is
/// kept beside it.
fn set_aside_before(data_dir: &Path, desk: &Desk) -> Option<OpenNotice> {
    let empty = desk
        .inner
        .store
        .read(accounts::list)
        .is_ok_and(|all| all.is_empty());
    if !empty {
        return None;
    }
    let kept_at = std::fs::read_dir(data_dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("hoso.damaged-") && n.ends_with(".db"))
        })
        .max_by_key(|path| std::fs::metadata(path).and_then(|m| m.modified()).ok())?;
    Some(OpenNotice::Damaged { kept_at })
}
