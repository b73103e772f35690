//! Accounts, roles and the audit log's entries.
//!
//! Three roles, each allowed what the one below it is, and more: an **officer** receives,
//! digitises, prints and follows dossiers; a **supervisor** also exports archives and reports,
//! reads the audit log and (later) approves; an **administrator** also manages accounts, the
//! unit's settings, enrollment, the catalogue, backups and wiping. [`Role::may`] is the one
//! table; the desk checks it in every use case, below the user interface.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::error::{ApiError, Field};

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Officer,
    Supervisor,
    Admin,
}

/// The acts a role is checked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Act {
    /// Receive, move, digitise, print for and look up dossiers; send to the hub.
    Work,
    /// Export a dossier's archive, write the tracking book and reports.
    Export,
    /// Supervise: see the backlog and the indicators, approve or return a dossier's pages.
    Supervise,
    /// Read the audit log.
    ReadAudit,
    /// Add, change and disable accounts.
    ManageAccounts,
    /// The unit, this desk's slot, enrollment, the catalogue, retention.
    Configure,
    /// Back up, restore, wipe.
    Safeguard,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Officer, Role::Supervisor, Role::Admin];

    pub fn name(self) -> &'static str {
        match self {
            Role::Officer => "officer",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
        }
    }

    pub fn from_name(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.name() == name)
    }

    /// The least role that may do `act`.
    pub fn needed_for(act: Act) -> Role {
        match act {
            Act::Work => Role::Officer,
            Act::Export | Act::Supervise | Act::ReadAudit => Role::Supervisor,
            Act::ManageAccounts | Act::Configure | Act::Safeguard => Role::Admin,
        }
    }

    pub fn may(self, act: Act) -> bool {
        self >= Role::needed_for(act)
    }
}

/// An account of this desk (its password is not part of it: see the desk's key file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// The sign-in name: 2–32 lower-case letters, digits, `.`, `_` or `-`.
    pub name: String,
    pub full_name: String,
    pub role: Role,
    pub disabled: bool,
}

/// The shortest password an account may have.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// An account to add, as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAccount {
    pub name: String,
    pub full_name: String,
    pub role: Role,
    pub password: String,
}

/// Checks a sign-in name.
pub fn validate_name(name: &str) -> Result<(), ApiError> {
    let ok = (2..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
        && name.as_bytes()[0].is_ascii_lowercase();
    if ok {
        Ok(())
    } else {
        Err(ApiError::validation(
            Field::Account,
            "a sign-in name is 2–32 lower-case letters, digits, '.', '_' or '-', starting with a letter",
        ))
    }
}

/// Checks a new password: at least [`MIN_PASSWORD_CHARS`] characters.
pub fn validate_password(password: &str) -> Result<(), ApiError> {
    if password.chars().count() >= MIN_PASSWORD_CHARS {
        Ok(())
    } else {
        Err(ApiError::validation(Field::Password, "password too short"))
    }
}

impl NewAccount {
    /// The account, trimmed and checked; the password is checked but not kept in it.
    pub fn validate(&self) -> Result<Account, ApiError> {
        let name = self.name.trim().to_owned();
        validate_name(&name)?;
        let full_name = self.full_name.trim().to_owned();
        if full_name.is_empty() || full_name.chars().count() > 100 {
            return Err(ApiError::validation(
                Field::FullName,
                "full name is empty or too long",
            ));
        }
        validate_password(&self.password)?;
        Ok(Account {
            name,
            full_name,
            role: self.role,
            disabled: false,
        })
    }
}

/// What an audit entry records; the names are stable (they are hashed into the chain).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuditAction {
    SetUp,
    SignIn,
    SignInFailed,
    SignOut,
    Recover,
    View,
    Search,
    Print,
    Export,
    Change,
    Delete,
    Settings,
    Account,
    Backup,
    Restore,
    Purge,
    /// A decision on a dossier's digitisation (approve, return, resubmit).
    Review,
}

impl AuditAction {
    pub const ALL: [AuditAction; 17] = [
        AuditAction::SetUp,
        AuditAction::SignIn,
        AuditAction::SignInFailed,
        AuditAction::SignOut,
        AuditAction::Recover,
        AuditAction::View,
        AuditAction::Search,
        AuditAction::Print,
        AuditAction::Export,
        AuditAction::Change,
        AuditAction::Delete,
        AuditAction::Settings,
        AuditAction::Account,
        AuditAction::Backup,
        AuditAction::Restore,
        AuditAction::Purge,
        AuditAction::Review,
    ];

    pub fn name(self) -> &'static str {
        match self {
            AuditAction::SetUp => "set-up",
            AuditAction::SignIn => "sign-in",
            AuditAction::SignInFailed => "sign-in-failed",
            AuditAction::SignOut => "sign-out",
            AuditAction::Recover => "recover",
            AuditAction::View => "view",
            AuditAction::Search => "search",
            AuditAction::Print => "print",
            AuditAction::Export => "export",
            AuditAction::Change => "change",
            AuditAction::Delete => "delete",
            AuditAction::Settings => "settings",
            AuditAction::Account => "account",
            AuditAction::Backup => "backup",
            AuditAction::Restore => "restore",
            AuditAction::Purge => "purge",
            AuditAction::Review => "review",
        }
    }

    pub fn from_name(name: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.name() == name)
    }
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: u64,
    pub at: Timestamp,
    /// The account, or "" for the desk itself.
    pub actor: String,
    /// The action's name ([`AuditAction::name`]).
    pub action: String,
    /// What it was done to: a dossier's id, an account's name, a file kind.
    pub object: String,
    /// Codes and counts only, never personal data.
    pub detail: String,
    /// What a reader knows the object by, when the desk can tell: a dossier's code for its id.
    /// Not part of the chain; filled when the log is read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// An entry with its place in the chain, as kept on the desk and sent to the hub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainedEntry {
    pub seq: u64,
    /// Unix milliseconds.
    pub at_ms: i64,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub detail: String,
    /// The hash of the entry before (empty for the first).
    pub prev: String,
    /// [`ChainedEntry::computed_hash`], as recorded.
    pub hash: String,
}

impl ChainedEntry {
    /// The hash the entry's fields and its link to `prev` give ([`audit_hash`]).
    pub fn computed_hash(&self) -> String {
        audit_hash(
            self.seq,
            self.at_ms,
            [
                &self.actor,
                &self.action,
                &self.object,
                &self.detail,
                &self.prev,
            ],
        )
    }

    /// Whether the recorded hash is the entry's own and it follows an entry hashed `prev`.
    pub fn follows(&self, prev: &str) -> bool {
        self.prev == prev && self.hash == self.computed_hash()
    }
}

/// The hash of an audit entry: SHA-256 of `seq`, `at_ms` and then actor, action, object, detail
/// and the previous entry's hash, each length-prefixed so that no two entries can run together.
/// Editing a field, or linking the entry after another, changes it.
pub fn audit_hash(seq: u64, at_ms: i64, fields: [&str; 5]) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    hasher.update(b"hoso audit v1\n");
    hasher.update(seq.to_be_bytes());
    hasher.update(at_ms.to_be_bytes());
    for field in fields {
        hasher.update((field.len() as u64).to_be_bytes());
        hasher.update(field.as_bytes());
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Which entries to show.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    #[serde(default)]
    pub actor: Option<String>,
    #[serde(default)]
    pub action: Option<String>,
    #[serde(default)]
    pub object: Option<String>,
    #[serde(default)]
    pub from: Option<Timestamp>,
    #[serde(default)]
    pub to: Option<Timestamp>,
    /// At most this many, newest first (default 200).
    #[serde(default)]
    pub limit: Option<u32>,
}

/// What a check of the audit chain found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditCheck {
    /// Entries checked.
    pub entries: u64,
    /// The first entry whose place in the chain is broken (edited, removed, reordered, or,
    /// past the last entry, entries removed from the end), if any.
    pub first_broken: Option<u64>,
}

impl AuditCheck {
    pub fn intact(&self) -> bool {
        self.first_broken.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_may_what_the_one_below_may_and_more() {
        use Act::*;
        let table = [
            (Work, [true, true, true]),
            (Export, [false, true, true]),
            (Supervise, [false, true, true]),
            (ReadAudit, [false, true, true]),
            (ManageAccounts, [false, false, true]),
            (Configure, [false, false, true]),
            (Safeguard, [false, false, true]),
        ];
        for (act, expected) in table {
            let got: Vec<bool> = Role::ALL.iter().map(|r| r.may(act)).collect();
            assert_eq!(got, expected, "{act:?}");
        }
        for role in Role::ALL {
            assert_eq!(Role::from_name(role.name()), Some(role));
        }
    }

    #[test]
    fn sign_in_names_and_passwords_are_checked() {
        for good in ["lan", "nguyen.lan", "mai_2", "ab"] {
            assert!(validate_name(good).is_ok(), "{good}");
        }
        for bad in ["", "a", "Lan", "lân", "2lan", "a b", &"x".repeat(33)] {
            assert!(validate_name(bad).is_err(), "{bad}");
        }
        assert!(validate_password("1234567").is_err());
        assert!(validate_password("mậtkhẩu1").is_ok());
        let account = NewAccount {
            name: " lan ".into(),
            full_name: " Nguyễn Thị Lan ".into(),
            role: Role::Officer,
            password: "đủ tám ký tự".into(),
        }
        .validate()
        .unwrap();
        assert_eq!(account.name, "lan");
        assert_eq!(account.full_name, "Nguyễn Thị Lan");
    }

    #[test]
    fn audit_action_names_round_trip_and_match_serde() {
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::from_name(action.name()), Some(action));
            assert_eq!(
                serde_json::to_string(&action).unwrap(),
                format!("\"{}\"", action.name())
            );
        }
    }
}
