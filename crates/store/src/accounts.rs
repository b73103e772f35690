//! The `account` table: who may sign in to this desk and with which role. Passwords are not
//! here (see `hoso-vault`'s key file).

use hoso_model::{Account, Role};
use rusqlite::{OptionalExtension, Transaction, params};

use crate::Error;

pub fn insert(tx: &Transaction<'_>, account: &Account, at_ms: i64) -> Result<(), Error> {
    tx.execute(
        "INSERT INTO account (name, full_name, role, disabled, created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![account.name, account.full_name, account.role.name(), account.disabled, at_ms],
    )?;
    Ok(())
}

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<(String, String, String, bool)> {
    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
}

fn account(
    (name, full_name, role, disabled): (String, String, String, bool),
) -> Result<Account, Error> {
    let role = Role::from_name(&role).ok_or_else(|| Error::Corrupt(format!("role {role:?}")))?;
    Ok(Account {
        name,
        full_name,
        role,
        disabled,
    })
}

pub fn get(tx: &Transaction<'_>, name: &str) -> Result<Option<Account>, Error> {
    tx.query_row(
        "SELECT name, full_name, role, disabled FROM account WHERE name = ?1",
        [name],
        from_row,
    )
    .optional()?
    .map(account)
    .transpose()
}

/// Every account, in the order they were added.
pub fn list(tx: &Transaction<'_>) -> Result<Vec<Account>, Error> {
    let mut stmt = tx.prepare_cached(
        "SELECT name, full_name, role, disabled FROM account ORDER BY created_at_ms, name",
    )?;
    let rows = stmt.query_map([], from_row)?;
    rows.map(|r| account(r?)).collect()
}

/// Changes an account's role, full name or disabled flag.
pub fn update(tx: &Transaction<'_>, account: &Account) -> Result<bool, Error> {
    let n = tx.execute(
        "UPDATE account SET full_name = ?2, role = ?3, disabled = ?4 WHERE name = ?1",
        params![
            account.name,
            account.full_name,
            account.role.name(),
            account.disabled
        ],
    )?;
    Ok(n == 1)
}

/// How many enabled administrators there are.
pub fn active_admins(tx: &Transaction<'_>) -> Result<u32, Error> {
    Ok(tx.query_row(
        "SELECT count(*) FROM account WHERE role = 'admin' AND disabled = 0",
        [],
        |r| r.get(0),
    )?)
}
