//! Accounts, the audit log and the safeguards (backup, retention, sync after approval,
//! restore): the administrator's and the supervisor's screens in Cài đặt.

use hoso_model::ApiError;
use hoso_model::ipc::command;
use serde::Serialize;

use super::{NoArgs, invoke};

pub async fn accounts() -> Result<Vec<hoso_model::Account>, ApiError> {
    invoke(command::ACCOUNTS, &NoArgs {}).await
}

#[derive(Serialize)]
struct AddAccountArgs<'a> {
    account: &'a hoso_model::account::NewAccount,
}

pub async fn add_account(
    account: &hoso_model::account::NewAccount,
) -> Result<hoso_model::Account, ApiError> {
    invoke(command::ADD_ACCOUNT, &AddAccountArgs { account }).await
}

#[derive(Serialize)]
struct NameArgs<'a> {
    name: &'a str,
}

pub async fn disable_account(name: &str) -> Result<hoso_model::Account, ApiError> {
    invoke(command::DISABLE_ACCOUNT, &NameArgs { name }).await
}

#[derive(Serialize)]
struct RoleArgs<'a> {
    name: &'a str,
    role: hoso_model::Role,
}

pub async fn set_role(name: &str, role: hoso_model::Role) -> Result<hoso_model::Account, ApiError> {
    invoke(command::SET_ROLE, &RoleArgs { name, role }).await
}

#[derive(Serialize)]
struct ResetPasswordArgs<'a> {
    name: &'a str,
    password: &'a str,
}

pub async fn reset_password(name: &str, password: &str) -> Result<hoso_model::Account, ApiError> {
    invoke(
        command::RESET_PASSWORD,
        &ResetPasswordArgs { name, password },
    )
    .await
}

#[derive(Serialize)]
struct ChangePasswordArgs<'a> {
    current: &'a str,
    new: &'a str,
}

pub async fn change_password(current: &str, new: &str) -> Result<(), ApiError> {
    invoke(
        command::CHANGE_PASSWORD,
        &ChangePasswordArgs { current, new },
    )
    .await
}

#[derive(Serialize)]
struct AuditArgs<'a> {
    filter: &'a hoso_model::account::AuditFilter,
}

pub async fn audit_log(
    filter: &hoso_model::account::AuditFilter,
) -> Result<Vec<hoso_model::account::AuditEntry>, ApiError> {
    invoke(command::AUDIT_LOG, &AuditArgs { filter }).await
}

pub async fn verify_audit() -> Result<hoso_model::account::AuditCheck, ApiError> {
    invoke(command::VERIFY_AUDIT, &NoArgs {}).await
}

#[derive(Serialize)]
struct BackupArgs<'a> {
    folder: &'a str,
}

/// Backs up into `folder`; the new backup's own folder.
pub async fn backup(folder: &str) -> Result<String, ApiError> {
    invoke(command::BACKUP, &BackupArgs { folder }).await
}

pub async fn retention_days() -> Result<u32, ApiError> {
    invoke(command::RETENTION_DAYS, &NoArgs {}).await
}

#[derive(Serialize)]
struct DaysArgs {
    days: u32,
}

pub async fn set_retention_days(days: u32) -> Result<(), ApiError> {
    invoke(command::SET_RETENTION_DAYS, &DaysArgs { days }).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PurgeArgs {
    dry_run: bool,
}

pub async fn purge(dry_run: bool) -> Result<hoso_model::ipc::PurgeReport, ApiError> {
    invoke(command::PURGE, &PurgeArgs { dry_run }).await
}

pub async fn sync_after_approval() -> Result<bool, ApiError> {
    invoke(command::SYNC_AFTER_APPROVAL, &NoArgs {}).await
}

#[derive(Serialize)]
struct OnArgs {
    on: bool,
}

pub async fn set_sync_after_approval(on: bool) -> Result<(), ApiError> {
    invoke(command::SET_SYNC_AFTER_APPROVAL, &OnArgs { on }).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RestoreArgs<'a> {
    from: &'a str,
    recovery_key: &'a str,
}

/// Restores the backup in `from` into this machine's empty data folder.
pub async fn restore(from: &str, recovery_key: &str) -> Result<hoso_model::Account, ApiError> {
    invoke(command::RESTORE, &RestoreArgs { from, recovery_key }).await
}
