//! The key file: the data key wrapped once per account and once by the recovery key.
//!
//! `keys.json` in the data directory:
//!
//! ```json
//! { "format": 1, "fingerprint": "…", "slots": [
//!   { "kind": "account", "name": "lan", "kdf": { "m": 47104, "t": 1, "p": 1, "salt": "…" },
//!     "nonce": "…", "wrapped": "…", "check": "…" },
//!   { "kind": "recovery", "name": "", "kdf": null, "nonce": "…", "wrapped": "…", "check": "…" } ] }
//! ```
//!
//! A slot's key-encryption key is Argon2id of the password (parameters and salt kept in the
//! slot, so they can be raised later without breaking old slots) or HKDF of the recovery key.
//! The data key is wrapped with XChaCha20-Poly1305 under that key, the slot's kind and name
//! bound as associated data. `check` is the SHA-256 of the slot's other fields: a slot edited
//! on disk reads as *damaged*, not as a wrong password, so the officer is sent to the recovery
//! key instead of retyping a right password. The file is replaced atomically (temporary file,
//! flushed, renamed, folder flushed): a crash leaves the old or the new file, never half of one.

use std::io::Write;
use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{AeadInOut, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::{DataKey, Error, RecoveryKey, random};

/// The key file's name in the data directory.
pub const KEY_FILE: &str = "keys.json";

/// Argon2id cost for new slots: OWASP's first recommended setting (46 MiB, one pass), about a
/// tenth of a second on a commune laptop.
const ARGON2_M_KIB: u32 = 47_104;
const ARGON2_T: u32 = 1;
const ARGON2_P: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct KeyFile {
    format: u32,
    fingerprint: String,
    slots: Vec<Slot>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum SlotKind {
    Account,
    Recovery,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Kdf {
    m: u32,
    t: u32,
    p: u32,
    salt: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Slot {
    kind: SlotKind,
    name: String,
    kdf: Option<Kdf>,
    nonce: String,
    wrapped: String,
    check: String,
}

impl Slot {
    fn checksum(&self) -> String {
        let kdf = self
            .kdf
            .as_ref()
            .map(|k| format!("{}/{}/{}/{}", k.m, k.t, k.p, k.salt))
            .unwrap_or_default();
        let text = format!(
            "{:?}\n{}\n{}\n{}\n{}",
            self.kind, self.name, kdf, self.nonce, self.wrapped
        );
        hex::encode(Sha256::digest(text.as_bytes()))
    }

    fn associated_data(kind: &SlotKind, name: &str) -> Vec<u8> {
        format!("hoso keyslot v1\n{kind:?}\n{name}").into_bytes()
    }

    fn seal(kind: SlotKind, name: &str, kdf: Option<Kdf>, kek: &[u8; 32], key: &DataKey) -> Slot {
        let nonce: [u8; 24] = random();
        let cipher = XChaCha20Poly1305::new(kek.into());
        let mut buffer = key.bytes().to_vec();
        cipher
            .encrypt_in_place(
                &XNonce::from(nonce),
                &Self::associated_data(&kind, name),
                &mut buffer,
            )
            .expect("a 32-byte message always seals");
        let mut slot = Slot {
            kind,
            name: name.to_owned(),
            kdf,
            nonce: hex::encode(nonce),
            wrapped: hex::encode(&buffer),
            check: String::new(),
        };
        slot.check = slot.checksum();
        slot
    }

    /// `Ok(None)` when the key-encryption key is not the right one.
    fn open(&self, kek: &[u8; 32]) -> Result<Option<DataKey>, Error> {
        let damaged = || Error::DamagedSlot(self.name.clone());
        if self.check != self.checksum() {
            return Err(damaged());
        }
        let nonce: [u8; 24] = hex::decode(&self.nonce)
            .ok()
            .and_then(|n| n.try_into().ok())
            .ok_or_else(damaged)?;
        let mut buffer = Zeroizing::new(hex::decode(&self.wrapped).map_err(|_| damaged())?);
        let cipher = XChaCha20Poly1305::new(kek.into());
        if cipher
            .decrypt_in_place(
                &XNonce::from(nonce),
                &Self::associated_data(&self.kind, &self.name),
                &mut *buffer,
            )
            .is_err()
        {
            return Ok(None);
        }
        let bytes: [u8; 32] = buffer.as_slice().try_into().map_err(|_| damaged())?;
        Ok(Some(DataKey::from_bytes(bytes)))
    }
}

fn password_kek(password: &str, kdf: &Kdf) -> Result<Zeroizing<[u8; 32]>, Error> {
    let salt = hex::decode(&kdf.salt).map_err(|_| Error::DamagedKeyFile("salt".into()))?;
    let params = Params::new(kdf.m, kdf.t, kdf.p, Some(32))
        .map_err(|_| Error::DamagedKeyFile("kdf parameters".into()))?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(password.as_bytes(), &salt, &mut out[..])
        .map_err(|_| Error::DamagedKeyFile("kdf parameters".into()))?;
    Ok(out)
}

fn recovery_kek(key: &RecoveryKey) -> Zeroizing<[u8; 32]> {
    let hk = Hkdf::<Sha256>::new(Some(b"hoso recovery key"), &key.bytes()[..]);
    let mut out = Zeroizing::new([0u8; 32]);
    hk.expand(b"hoso/recovery-wrap/v1", &mut out[..])
        .expect("32 bytes is a valid HKDF length");
    out
}

fn account_slot(name: &str, password: &str, key: &DataKey) -> Slot {
    let kdf = Kdf {
        m: ARGON2_M_KIB,
        t: ARGON2_T,
        p: ARGON2_P,
        salt: hex::encode(random::<16>()),
    };
    let kek = password_kek(password, &kdf).expect("the built-in parameters are valid");
    Slot::seal(SlotKind::Account, name, Some(kdf), &kek, key)
}

fn recovery_slot(recovery: &RecoveryKey, key: &DataKey) -> Slot {
    Slot::seal(SlotKind::Recovery, "", None, &recovery_kek(recovery), key)
}

/// A desk's key file, read into memory.
#[derive(Debug, Clone)]
pub struct Keyring {
    path: PathBuf,
    file: KeyFile,
}

impl Keyring {
    /// Whether the desk in `data_dir` has been set up (has a key file).
    pub fn exists(data_dir: &Path) -> bool {
        data_dir.join(KEY_FILE).exists()
    }

    /// Reads the key file of the desk in `data_dir`.
    pub fn load(data_dir: &Path) -> Result<Keyring, Error> {
        let path = data_dir.join(KEY_FILE);
        let text = std::fs::read_to_string(&path)?;
        let file: KeyFile =
            serde_json::from_str(&text).map_err(|e| Error::DamagedKeyFile(e.to_string()))?;
        if file.format != 1 {
            return Err(Error::DamagedKeyFile(format!(
                "unknown format {}",
                file.format
            )));
        }
        Ok(Keyring { path, file })
    }

    /// Sets up a new desk's keys: a fresh data key, wrapped for the first account and by a
    /// fresh recovery key, written to `data_dir`. Refuses if the desk has keys already.
    pub fn create(
        data_dir: &Path,
        admin: &str,
        password: &str,
    ) -> Result<(Keyring, DataKey, RecoveryKey), Error> {
        let key = DataKey::generate();
        let recovery = RecoveryKey::generate();
        let ring = Self::create_with(data_dir, &key, &recovery, admin, password)?;
        Ok((ring, key, recovery))
    }

    /// Writes a key file for an existing data key (a restored backup on a new machine).
    pub fn create_with(
        data_dir: &Path,
        key: &DataKey,
        recovery: &RecoveryKey,
        admin: &str,
        password: &str,
    ) -> Result<Keyring, Error> {
        let path = data_dir.join(KEY_FILE);
        if path.exists() {
            return Err(Error::AlreadySetUp);
        }
        std::fs::create_dir_all(data_dir)?;
        let ring = Keyring {
            path,
            file: KeyFile {
                format: 1,
                fingerprint: key.fingerprint(),
                slots: vec![
                    account_slot(admin, password, key),
                    recovery_slot(recovery, key),
                ],
            },
        };
        ring.save()?;
        Ok(ring)
    }

    /// The accounts that can open the desk, in the order they were added.
    pub fn accounts(&self) -> Vec<String> {
        self.file
            .slots
            .iter()
            .filter(|s| s.kind == SlotKind::Account)
            .map(|s| s.name.clone())
            .collect()
    }

    /// The data key's fingerprint, readable without any password.
    pub fn fingerprint(&self) -> &str {
        &self.file.fingerprint
    }

    fn account(&self, name: &str) -> Option<&Slot> {
        self.file
            .slots
            .iter()
            .find(|s| s.kind == SlotKind::Account && s.name == name)
    }

    /// Opens the desk with an account's password.
    pub fn unlock(&self, name: &str, password: &str) -> Result<DataKey, Error> {
        let slot = self.account(name).ok_or(Error::NoSuchAccount)?;
        let kdf = slot
            .kdf
            .as_ref()
            .ok_or_else(|| Error::DamagedSlot(name.to_owned()))?;
        if slot.check != slot.checksum() {
            return Err(Error::DamagedSlot(name.to_owned()));
        }
        let kek = password_kek(password, kdf)?;
        slot.open(&kek)?.ok_or(Error::WrongPassword)
    }

    /// Opens the desk with the recovery key.
    pub fn recover(&self, recovery: &RecoveryKey) -> Result<DataKey, Error> {
        let slot = self
            .file
            .slots
            .iter()
            .find(|s| s.kind == SlotKind::Recovery)
            .ok_or_else(|| Error::DamagedKeyFile("no recovery slot".into()))?;
        slot.open(&recovery_kek(recovery))?
            .ok_or(Error::WrongRecoveryKey)
    }

    /// Adds an account that can open the desk.
    pub fn add_account(&mut self, key: &DataKey, name: &str, password: &str) -> Result<(), Error> {
        if self.account(name).is_some() {
            return Err(Error::AccountExists);
        }
        self.check_key(key)?;
        let mut next = self.clone();
        next.file.slots.push(account_slot(name, password, key));
        next.save()?;
        *self = next;
        Ok(())
    }

    /// Sets an existing account's password (its slot is rewrapped; nothing else changes).
    pub fn set_password(&mut self, key: &DataKey, name: &str, password: &str) -> Result<(), Error> {
        self.check_key(key)?;
        let mut next = self.clone();
        let slot = next
            .file
            .slots
            .iter_mut()
            .find(|s| s.kind == SlotKind::Account && s.name == name)
            .ok_or(Error::NoSuchAccount)?;
        *slot = account_slot(name, password, key);
        next.save()?;
        *self = next;
        Ok(())
    }

    /// Removes an account's slot: its password no longer opens the desk.
    pub fn remove_account(&mut self, name: &str) -> Result<(), Error> {
        if self.account(name).is_none() {
            return Err(Error::NoSuchAccount);
        }
        if self.accounts().len() == 1 {
            return Err(Error::LastAccount);
        }
        let mut next = self.clone();
        next.file
            .slots
            .retain(|s| !(s.kind == SlotKind::Account && s.name == name));
        next.save()?;
        *self = next;
        Ok(())
    }

    /// Replaces the recovery key (the old one stops working); returns the new one.
    pub fn new_recovery_key(&mut self, key: &DataKey) -> Result<RecoveryKey, Error> {
        self.check_key(key)?;
        let recovery = RecoveryKey::generate();
        let mut next = self.clone();
        next.file.slots.retain(|s| s.kind != SlotKind::Recovery);
        next.file.slots.push(recovery_slot(&recovery, key));
        next.save()?;
        *self = next;
        Ok(recovery)
    }

    fn check_key(&self, key: &DataKey) -> Result<(), Error> {
        if key.fingerprint() == self.file.fingerprint {
            Ok(())
        } else {
            Err(Error::DamagedKeyFile("the key is not this desk's".into()))
        }
    }

    fn save(&self) -> Result<(), Error> {
        let dir = self.path.parent().expect("a key file lies in a folder");
        let text = serde_json::to_vec_pretty(&self.file).expect("a key file serialises");
        let mut temp = tempfile::NamedTempFile::new_in(dir)?;
        temp.write_all(&text)?;
        temp.as_file().sync_all()?;
        temp.persist(&self.path).map_err(|e| e.error)?;
        sync_dir(dir)?;
        Ok(())
    }

    /// Destroys the key file of the desk in `data_dir`: overwritten, flushed, then removed.
    /// Without it (and without the recovery key) nothing the desk kept can be read again.
    pub fn destroy(data_dir: &Path) -> Result<(), Error> {
        let path = data_dir.join(KEY_FILE);
        if !path.exists() {
            return Ok(());
        }
        let len = std::fs::metadata(&path)?.len() as usize;
        let mut file = std::fs::OpenOptions::new().write(true).open(&path)?;
        file.write_all(&vec![0u8; len])?;
        file.sync_all()?;
        drop(file);
        std::fs::remove_file(&path)?;
        sync_dir(data_dir)?;
        Ok(())
    }
}

/// Flushes a folder's entries, so a rename into it survives a power cut.
pub(crate) fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_account_or_the_recovery_key_opens_the_same_data_key() {
        let dir = tempfile::tempdir().unwrap();
        let (mut ring, key, recovery) = Keyring::create(dir.path(), "lan", "mật khẩu 1").unwrap();
        ring.add_account(&key, "minh", "mật khẩu 2").unwrap();
        let ring = Keyring::load(dir.path()).unwrap();
        assert_eq!(ring.accounts(), ["lan", "minh"]);
        for (name, password) in [("lan", "mật khẩu 1"), ("minh", "mật khẩu 2")] {
            assert_eq!(
                ring.unlock(name, password).unwrap().fingerprint(),
                key.fingerprint()
            );
        }
        assert_eq!(
            ring.recover(&recovery).unwrap().fingerprint(),
            key.fingerprint()
        );
        assert!(matches!(
            ring.unlock("lan", "mật khẩu 2"),
            Err(Error::WrongPassword)
        ));
        assert!(matches!(ring.unlock("hoa", "x"), Err(Error::NoSuchAccount)));
        assert!(matches!(
            ring.recover(&RecoveryKey::generate()),
            Err(Error::WrongRecoveryKey)
        ));
        assert!(matches!(
            Keyring::create(dir.path(), "x", "y"),
            Err(Error::AlreadySetUp)
        ));
    }

    #[test]
    fn changing_or_removing_an_account_touches_only_its_slot() {
        let dir = tempfile::tempdir().unwrap();
        let (mut ring, key, _) = Keyring::create(dir.path(), "lan", "cũ").unwrap();
        ring.add_account(&key, "minh", "của minh").unwrap();
        ring.set_password(&key, "lan", "mới").unwrap();
        let ring2 = Keyring::load(dir.path()).unwrap();
        assert!(matches!(
            ring2.unlock("lan", "cũ"),
            Err(Error::WrongPassword)
        ));
        assert!(ring2.unlock("lan", "mới").is_ok());
        ring.remove_account("minh").unwrap();
        assert!(matches!(
            Keyring::load(dir.path())
                .unwrap()
                .unlock("minh", "của minh"),
            Err(Error::NoSuchAccount)
        ));
        assert!(matches!(
            ring.remove_account("lan"),
            Err(Error::LastAccount)
        ));
        let other = DataKey::generate();
        assert!(ring.add_account(&other, "hoa", "x").is_err());
        assert_eq!(ring.accounts(), ["lan"]);
    }

    #[test]
    fn an_edited_slot_reads_as_damaged_not_as_a_wrong_password() {
        let dir = tempfile::tempdir().unwrap();
        let (_, _, recovery) = Keyring::create(dir.path(), "lan", "đúng").unwrap();
        let path = dir.path().join(KEY_FILE);
        let mut file: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let wrapped = file["slots"][0]["wrapped"].as_str().unwrap().to_owned();
        let flipped = format!(
            "{}{}",
            if wrapped.starts_with('0') { "1" } else { "0" },
            &wrapped[1..]
        );
        file["slots"][0]["wrapped"] = flipped.into();
        std::fs::write(&path, serde_json::to_vec(&file).unwrap()).unwrap();
        let ring = Keyring::load(dir.path()).unwrap();
        assert!(matches!(ring.unlock("lan", "đúng"), Err(Error::DamagedSlot(n)) if n == "lan"));
        // The recovery slot is intact and still opens the desk.
        assert!(ring.recover(&recovery).is_ok());
        std::fs::write(&path, b"{ not json").unwrap();
        assert!(matches!(
            Keyring::load(dir.path()),
            Err(Error::DamagedKeyFile(_))
        ));
    }

    #[test]
    fn the_key_file_holds_no_password_and_destroy_removes_it() {
        let dir = tempfile::tempdir().unwrap();
        Keyring::create(dir.path(), "lan", "bí-mật-rất-dài").unwrap();
        let text = std::fs::read_to_string(dir.path().join(KEY_FILE)).unwrap();
        assert!(!text.contains("bí-mật-rất-dài"));
        Keyring::destroy(dir.path()).unwrap();
        assert!(!Keyring::exists(dir.path()));
    }
}
