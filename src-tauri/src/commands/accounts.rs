//! Accounts, the audit log and the safeguards (backups, retention, sync after approval): the
//! administrator's and the supervisor's screens in Cài đặt. The desk checks every role.

use std::path::PathBuf;

use hoso_model::account::{AuditCheck, AuditEntry, AuditFilter, NewAccount};
use hoso_model::ipc::PurgeReport;
use hoso_model::{Account, ApiError, Role};
use tauri::State;

use crate::state::AppState;

#[tauri::command]
pub async fn accounts(state: State<'_, AppState>) -> Result<Vec<Account>, ApiError> {
    state.run(|desk| desk.accounts()).await
}

#[tauri::command]
pub async fn add_account(
    state: State<'_, AppState>,
    account: NewAccount,
) -> Result<Account, ApiError> {
    state.run(move |desk| desk.add_account(&account)).await
}

#[tauri::command]
pub async fn disable_account(
    state: State<'_, AppState>,
    name: String,
) -> Result<Account, ApiError> {
    state.run(move |desk| desk.disable_account(&name)).await
}

#[tauri::command]
pub async fn set_role(
    state: State<'_, AppState>,
    name: String,
    role: Role,
) -> Result<Account, ApiError> {
    state.run(move |desk| desk.set_role(&name, role)).await
}

#[tauri::command]
pub async fn reset_password(
    state: State<'_, AppState>,
    name: String,
    password: String,
) -> Result<Account, ApiError> {
    state
        .run(move |desk| desk.reset_password(&name, &password))
        .await
}

#[tauri::command]
pub async fn change_password(
    state: State<'_, AppState>,
    current: String,
    new: String,
) -> Result<(), ApiError> {
    state
        .run(move |desk| desk.change_password(&current, &new))
        .await
}

#[tauri::command]
pub async fn audit_log(
    state: State<'_, AppState>,
    filter: AuditFilter,
) -> Result<Vec<AuditEntry>, ApiError> {
    state.run(move |desk| desk.audit_log(&filter)).await
}

#[tauri::command]
pub async fn verify_audit(state: State<'_, AppState>) -> Result<AuditCheck, ApiError> {
    state.run(|desk| desk.verify_audit()).await
}

/// Backs up into the folder typed by the administrator; the backup's own folder inside it.
#[tauri::command]
pub async fn backup(state: State<'_, AppState>, folder: String) -> Result<String, ApiError> {
    let to = PathBuf::from(folder.trim());
    let made = state.run(move |desk| desk.backup(&to)).await?;
    Ok(made.display().to_string())
}

#[tauri::command]
pub async fn retention_days(state: State<'_, AppState>) -> Result<u32, ApiError> {
    state.run(|desk| desk.retention_days()).await
}

#[tauri::command]
pub async fn set_retention_days(state: State<'_, AppState>, days: u32) -> Result<(), ApiError> {
    state.run(move |desk| desk.set_retention_days(days)).await
}

#[tauri::command]
pub async fn purge(state: State<'_, AppState>, dry_run: bool) -> Result<PurgeReport, ApiError> {
    let purged = state.run(move |desk| desk.purge(None, dry_run)).await?;
    Ok(PurgeReport {
        dossiers: purged.dossiers,
        files: purged.files,
    })
}

#[tauri::command]
pub async fn sync_after_approval(state: State<'_, AppState>) -> Result<bool, ApiError> {
    state.run(|desk| desk.sync_after_approval()).await
}

#[tauri::command]
pub async fn set_sync_after_approval(state: State<'_, AppState>, on: bool) -> Result<(), ApiError> {
    state
        .run(move |desk| desk.set_sync_after_approval(on))
        .await?;
    // Turning it off may let dossiers go to the hub now.
    state.poke_sync();
    Ok(())
}
