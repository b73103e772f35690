//! Set-up, sign-in and locking: the only commands that work before anyone signs in.

use hoso_desk::{Desk, SystemClock};
use hoso_model::account::NewAccount;
use hoso_model::ipc::{SessionView, SetUpDone, SetUpRequest};
use hoso_model::{Account, ApiError, Role};
use tauri::{AppHandle, State};

use crate::state::{AppState, blocking};

/// Minutes without a key press or a click before the window locks itself.
const LOCK_MINUTES: u32 = 10;

#[tauri::command]
pub async fn session(state: State<'_, AppState>) -> Result<SessionView, ApiError> {
    let dir = state.data_dir()?;
    let set_up = Desk::is_set_up(&dir);
    let names = if set_up {
        blocking(move || Desk::sign_in_names(&dir)).await?
    } else {
        Vec::new()
    };
    Ok(SessionView {
        set_up,
        user: state.desk().and_then(|d| d.current_user()),
        names,
        lock_minutes: LOCK_MINUTES,
    })
}

#[tauri::command]
pub async fn set_up(
    app: AppHandle,
    state: State<'_, AppState>,
    request: SetUpRequest,
) -> Result<SetUpDone, ApiError> {
    let dir = state.data_dir()?;
    let first = NewAccount {
        name: request.name,
        full_name: request.full_name,
        role: Role::Admin,
        password: request.password,
    };
    let (desk, recovery) = blocking(move || Desk::set_up(&dir, &first, SystemClock)).await?;
    let user = desk
        .current_user()
        .expect("set-up signs the administrator in");
    if state.opened(desk.clone(), None) {
        crate::start_background(&app, &state, &desk);
    }
    Ok(SetUpDone {
        recovery_key: recovery.display().to_string(),
        user,
    })
}

#[tauri::command]
pub async fn sign_in(
    app: AppHandle,
    state: State<'_, AppState>,
    name: String,
    password: String,
) -> Result<Account, ApiError> {
    if let Some(desk) = state.desk() {
        return blocking(move || desk.switch_user(name.trim(), &password)).await;
    }
    let dir = state.data_dir()?;
    let (desk, notice) =
        blocking(move || Desk::sign_in(&dir, name.trim(), &password, SystemClock)).await?;
    let user = desk.current_user().expect("a sign-in signs someone in");
    if state.opened(desk.clone(), hoso_desk::window::notice(notice)) {
        crate::start_background(&app, &state, &desk);
    }
    Ok(user)
}

#[tauri::command]
pub async fn lock(state: State<'_, AppState>) -> Result<(), ApiError> {
    match state.desk() {
        Some(desk) => blocking(move || desk.lock()).await,
        None => Ok(()),
    }
}

/// Khôi phục: a backup folder restored into this machine's empty data folder with the recovery
/// key; the desk opens for the recovery administrator, who then sets the accounts' passwords.
#[tauri::command]
pub async fn restore(
    app: AppHandle,
    state: State<'_, AppState>,
    from: String,
    recovery_key: String,
) -> Result<Account, ApiError> {
    let dir = state.data_dir()?;
    let from = std::path::PathBuf::from(from.trim());
    let desk =
        blocking(move || Desk::restore(&from, &dir, recovery_key.trim(), SystemClock)).await?;
    let user = desk
        .current_user()
        .expect("a restore signs the recovery in");
    if state.opened(desk.clone(), None) {
        crate::start_background(&app, &state, &desk);
    }
    Ok(user)
}
