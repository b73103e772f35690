//! The desk's secrets: one random **data key** protects everything a desk keeps, and is itself
//! kept only wrapped.
//!
//! - [`keyring`]: the key file (`keys.json`) beside the database. It holds the data key wrapped
//!   once per account (by a key derived from the account's password with Argon2id) and once by
//!   the **recovery key** printed at set-up. Any account's password opens the desk; adding,
//!   changing or removing an account rewraps one slot and re-encrypts nothing.
//! - [`sealed`]: stored files, sealed with XChaCha20-Poly1305 in the STREAM construction
//!   (RustCrypto's `aead-stream`): 64 KiB chunks, each authenticated, the last one marked, so a
//!   truncated, extended, reordered or edited file is refused, and a reader can start at any byte
//!   (the sync engine resumes uploads mid-file).
//! - The database key (for SQLCipher), the file key and the key that names files are derived
//!   from the data key with HKDF-SHA256, each under its own label, so none can stand for another.
//!
//! Nothing here logs, and no error carries a secret or a password.

pub mod keyring;
pub mod sealed;

use std::fmt;

use hkdf::Hkdf;
use hmac::{KeyInit, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

pub use keyring::{KEY_FILE, Keyring};
pub use sealed::{FileKey, SealedReader};

/// What can go wrong with keys and sealed files. Messages name no secret.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The password does not open this account's key slot.
    #[error("wrong password")]
    WrongPassword,
    /// No account of that name has a key slot.
    #[error("no such account")]
    NoSuchAccount,
    /// The recovery key does not open the desk.
    #[error("wrong recovery key")]
    WrongRecoveryKey,
    /// The text given is not a recovery key (wrong length or characters).
    #[error("malformed recovery key")]
    MalformedRecoveryKey,
    /// A key slot was changed on disk: its checksum does not match.
    #[error("key slot of {0} is damaged")]
    DamagedSlot(String),
    /// The key file cannot be read as one.
    #[error("key file is damaged: {0}")]
    DamagedKeyFile(String),
    /// The key file says the desk is set up already.
    #[error("this desk is set up already")]
    AlreadySetUp,
    /// An account of that name exists already.
    #[error("account exists already")]
    AccountExists,
    /// The last account cannot be removed: nobody could open the desk but the recovery key.
    #[error("the last account cannot be removed")]
    LastAccount,
    /// A sealed file fails authentication: changed, truncated or not sealed by this desk.
    #[error("sealed file fails authentication")]
    Tampered,
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// The key that protects one desk's database and files. Never stored in the clear; zeroed
/// when dropped.
#[derive(Clone)]
pub struct DataKey(Zeroizing<[u8; 32]>);

impl DataKey {
    /// A fresh random key from the operating system.
    pub fn generate() -> DataKey {
        DataKey(Zeroizing::new(random()))
    }

    pub(crate) fn from_bytes(bytes: [u8; 32]) -> DataKey {
        DataKey(Zeroizing::new(bytes))
    }

    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    fn derive(&self, label: &str) -> Zeroizing<[u8; 32]> {
        let hk = Hkdf::<Sha256>::new(Some(b"hoso data key"), &self.0[..]);
        let mut out = Zeroizing::new([0u8; 32]);
        hk.expand(label.as_bytes(), &mut out[..])
            .expect("32 bytes is a valid HKDF length");
        out
    }

    /// The SQLCipher key as the raw-key literal its `PRAGMA key` takes (`x'…'`): no
    /// passphrase stretching at every open, since the key is random already.
    pub fn database_pragma(&self) -> Zeroizing<String> {
        let key = self.derive("hoso/sqlcipher/v1");
        Zeroizing::new(format!("x'{}'", hex::encode(&key[..])))
    }

    /// The key that seals stored files.
    pub fn file_key(&self) -> FileKey {
        FileKey::new(self.derive("hoso/files/v1"))
    }

    /// The name a stored file gets on disk for content with this SHA-256: a keyed hash, so the
    /// files folder does not reveal whether it holds a known document.
    pub fn file_name(&self, sha256_hex: &str) -> String {
        let key = self.derive("hoso/file-names/v1");
        let mut mac =
            <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(&key[..]).expect("any key length");
        mac.update(sha256_hex.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// A short, non-secret fingerprint that tells two data keys apart (a backup from another
    /// desk is refused by it).
    pub fn fingerprint(&self) -> String {
        hex::encode(&self.derive("hoso/fingerprint/v1")[..8])
    }
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataKey(…)")
    }
}

/// The key printed once at set-up, to open the desk when every password is lost and to
/// restore a backup on a new machine. 256 random bits, shown as 13 groups of 4 letters and
/// digits (RFC 4648 base32, without padding).
#[derive(Clone, PartialEq, Eq)]
pub struct RecoveryKey(Zeroizing<[u8; 32]>);

impl RecoveryKey {
    pub fn generate() -> RecoveryKey {
        RecoveryKey(Zeroizing::new(random()))
    }

    /// Reads a recovery key as printed, forgiving case, spaces and dashes.
    pub fn parse(text: &str) -> Result<RecoveryKey, Error> {
        let cleaned: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let bytes = data_encoding::BASE32_NOPAD
            .decode(cleaned.as_bytes())
            .map_err(|_| Error::MalformedRecoveryKey)?;
        let bytes: [u8; 32] = bytes.try_into().map_err(|_| Error::MalformedRecoveryKey)?;
        Ok(RecoveryKey(Zeroizing::new(bytes)))
    }

    /// The key as printed for the officer: `ABCD-EFGH-…`.
    pub fn display(&self) -> Zeroizing<String> {
        let text = Zeroizing::new(data_encoding::BASE32_NOPAD.encode(&self.0[..]));
        let groups: Vec<&str> = text
            .as_bytes()
            .chunks(4)
            .map(|c| std::str::from_utf8(c).expect("base32 is ASCII"))
            .collect();
        Zeroizing::new(groups.join("-"))
    }

    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryKey(…)")
    }
}

pub(crate) fn random<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    getrandom::fill(&mut out).expect("the operating system gives random bytes");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recovery_key_reads_back_as_printed_or_sloppily_typed() {
        let key = RecoveryKey::generate();
        let shown = key.display();
        assert_eq!(shown.split('-').count(), 13);
        assert_eq!(RecoveryKey::parse(&shown).unwrap(), key);
        let sloppy = shown.to_lowercase().replace('-', " ");
        assert_eq!(RecoveryKey::parse(&sloppy).unwrap(), key);
        assert!(matches!(
            RecoveryKey::parse(&shown[..shown.len() - 2]),
            Err(Error::MalformedRecoveryKey)
        ));
        assert!(matches!(
            RecoveryKey::parse("not a key at all"),
            Err(Error::MalformedRecoveryKey)
        ));
    }

    #[test]
    fn derived_keys_differ_by_purpose_and_by_data_key() {
        let a = DataKey::generate();
        let b = DataKey::generate();
        assert_ne!(a.database_pragma(), b.database_pragma());
        assert_ne!(a.file_name("ab"), b.file_name("ab"));
        assert_ne!(a.file_name("ab"), a.file_name("ac"));
        assert_eq!(a.file_name("ab"), a.clone().file_name("ab"));
        assert_ne!(a.fingerprint(), b.fingerprint());
        assert!(a.database_pragma().starts_with("x'"));
        assert_eq!(a.database_pragma().len(), 2 + 64 + 1);
        assert_eq!(format!("{a:?}"), "DataKey(…)");
    }
}
