//! The commands the frontend can invoke, one module per area, registered in [`handler`].
//! Names are those of `hoso_model::ipc::command`.

mod accounts;
mod dossiers;
mod forms;
mod pages;
mod session;
mod settings;
mod supervision;
mod sync;

pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        session::session,
        session::set_up,
        session::sign_in,
        session::lock,
        session::restore,
        settings::startup,
        settings::set_language,
        settings::set_unit,
        settings::scan_preferences,
        settings::set_scan_preferences,
        dossiers::procedures,
        dossiers::register_dossier,
        dossiers::list_dossiers,
        dossiers::dossier_detail,
        dossiers::transition,
        dossiers::search,
        forms::print_form,
        forms::print_tracking_book,
        forms::print_window,
        pages::digitisation,
        pages::page_image,
        pages::thumbnails,
        pages::scanners,
        pages::scan,
        pages::rotate_page,
        pages::move_page,
        pages::refile_page,
        pages::join_note,
        pages::split_note,
        pages::delete_page,
        pages::restore_page,
        pages::set_component,
        pages::export_dossier,
        pages::attach_dropped,
        sync::sync_status,
        sync::enroll,
        sync::set_sync_paused,
        sync::retry_sync,
        sync::retry_audit_sync,
        sync::sync_now,
        sync::sync_states,
        supervision::backlog,
        supervision::queue,
        supervision::review,
        supervision::decide,
        supervision::approve_all,
        supervision::indicators,
        supervision::save_supervision_report,
        supervision::rate,
        accounts::accounts,
        accounts::add_account,
        accounts::disable_account,
        accounts::set_role,
        accounts::reset_password,
        accounts::change_password,
        accounts::audit_log,
        accounts::verify_audit,
        accounts::backup,
        accounts::retention_days,
        accounts::set_retention_days,
        accounts::purge,
        accounts::sync_after_approval,
        accounts::set_sync_after_approval,
    ]
}
