//! Sao lưu và lưu giữ (administrators): a backup into a folder typed by path, the retention
//! period, the purge of what is past it (counted first, then confirmed), and whether dossiers go
//! to the hub only once a supervisor approved them.

use hoso_model::ipc::PurgeReport;
use hoso_model::{ApiError, Text, i18n};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::ipc;
use crate::state::DeskContext;
use crate::state::admin::retention_days;

/// Where the purge stands.
#[derive(Clone, Copy, PartialEq)]
enum PurgeStep {
    Idle,
    Counted(PurgeReport),
    Done(PurgeReport),
}

#[function_component(Safeguards)]
pub fn safeguards() -> Html {
    let desk = use_context::<DeskContext>().expect("inside the desk context");
    let lang = desk.language;
    let folder = use_state(String::new);
    let backed_up = use_state(|| None::<String>);
    let days = use_state(String::new);
    let days_saved = use_state(|| false);
    let days_invalid = use_state(|| false);
    let purge = use_state(|| PurgeStep::Idle);
    let after_approval = use_state(|| None::<bool>);
    let after_saved = use_state(|| false);
    let error = use_state(|| None::<ApiError>);

    {
        let (days, after_approval, error) = (days.clone(), after_approval.clone(), error.clone());
        use_effect_with((), move |_| {
            spawn_local(async move {
                match ipc::retention_days().await {
                    Ok(d) => days.set(d.to_string()),
                    Err(err) => error.set(Some(err)),
                }
                match ipc::sync_after_approval().await {
                    Ok(on) => after_approval.set(Some(on)),
                    Err(err) => error.set(Some(err)),
                }
            });
        });
    }

    let on_folder = {
        let folder = folder.clone();
        Callback::from(move |e: InputEvent| {
            folder.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_backup = {
        let (folder, backed_up, error) = (folder.clone(), backed_up.clone(), error.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let (to, backed_up, error) = ((*folder).clone(), backed_up.clone(), error.clone());
            backed_up.set(None);
            spawn_local(async move {
                match ipc::backup(&to).await {
                    Ok(made) => {
                        error.set(None);
                        backed_up.set(Some(made));
                    }
                    Err(err) => error.set(Some(err)),
                }
            });
        })
    };

    let on_days = {
        let (days, days_saved) = (days.clone(), days_saved.clone());
        Callback::from(move |e: InputEvent| {
            days_saved.set(false);
            days.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_save_days = {
        let (days, days_saved, days_invalid, error, purge) = (
            days.clone(),
            days_saved.clone(),
            days_invalid.clone(),
            error.clone(),
            purge.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some(d) = retention_days(&days) else {
                days_invalid.set(true);
                return;
            };
            days_invalid.set(false);
            let (days_saved, error, purge) = (days_saved.clone(), error.clone(), purge.clone());
            spawn_local(async move {
                match ipc::set_retention_days(d).await {
                    Ok(()) => {
                        error.set(None);
                        days_saved.set(true);
                        // A count made with the old period no longer holds.
                        purge.set(PurgeStep::Idle);
                    }
                    Err(err) => error.set(Some(err)),
                }
            });
        })
    };

    let run_purge = |dry_run: bool| {
        let (purge, error) = (purge.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            let (purge, error) = (purge.clone(), error.clone());
            spawn_local(async move {
                match ipc::purge(dry_run).await {
                    Ok(report) => {
                        error.set(None);
                        purge.set(if dry_run {
                            PurgeStep::Counted(report)
                        } else {
                            PurgeStep::Done(report)
                        });
                    }
                    Err(err) => error.set(Some(err)),
                }
            });
        })
    };
    let on_cancel_purge = {
        let purge = purge.clone();
        Callback::from(move |_: MouseEvent| purge.set(PurgeStep::Idle))
    };
    let purge_html = match *purge {
        PurgeStep::Idle => html! {
            <button id="purge-dry-run" type="button" onclick={run_purge(true)}>{ Text::PurgeDryRun.in_lang(lang) }</button>
        },
        PurgeStep::Counted(report) => html! {
            <div id="purge-counted">
                <p id="purge-count" data-count={report.dossiers.to_string()}>
                    { format!("{} {}", Text::PurgeWouldRemove.in_lang(lang), report.dossiers) }
                </p>
                { for (report.dossiers > 0).then(|| html! {
                    <button id="purge-confirm" type="button" class="danger" onclick={run_purge(false)}>{ Text::PurgeConfirm.in_lang(lang) }</button>
                }) }
                <button id="purge-cancel" type="button" onclick={on_cancel_purge}>{ Text::CancelButton.in_lang(lang) }</button>
            </div>
        },
        PurgeStep::Done(report) => html! {
            <p id="purge-done" class="success" role="status" data-count={report.dossiers.to_string()}>
                { format!("{} {}, {}", Text::PurgeDone.in_lang(lang), report.dossiers, report.files) }
            </p>
        },
    };

    let on_after_approval = {
        let (after_approval, after_saved, error) =
            (after_approval.clone(), after_saved.clone(), error.clone());
        Callback::from(move |e: Event| {
            let on = e.target_unchecked_into::<HtmlInputElement>().checked();
            let (after_approval, after_saved, error) =
                (after_approval.clone(), after_saved.clone(), error.clone());
            spawn_local(async move {
                match ipc::set_sync_after_approval(on).await {
                    Ok(()) => {
                        error.set(None);
                        after_approval.set(Some(on));
                        after_saved.set(true);
                    }
                    Err(err) => error.set(Some(err)),
                }
            });
        })
    };

    html! {
        <section id="safeguards" class="safeguards">
            <h2>{ Text::SafeguardsTitle.in_lang(lang) }</h2>
            <form id="backup-form" class="form" onsubmit={on_backup} novalidate=true>
                <label for="backup-folder">{ Text::BackupFolder.in_lang(lang) }</label>
                <input id="backup-folder" type="text" value={(*folder).clone()} oninput={on_folder}
                    autocomplete="off" placeholder="/media/usb" />
                <button id="backup-button" type="submit" class="primary">{ Text::BackupButton.in_lang(lang) }</button>
                { for backed_up.as_ref().map(|made| html! {
                    <p id="backup-done" class="success" role="status">
                        { Text::BackupDone.in_lang(lang) }{ " " }<code id="backup-path">{ made }</code>
                    </p>
                }) }
            </form>
            <form id="retention-form" class="form" onsubmit={on_save_days} novalidate=true>
                <label for="retention-days">{ Text::RetentionDays.in_lang(lang) }</label>
                <input id="retention-days" type="number" min="1" value={(*days).clone()} oninput={on_days} />
                <button id="save-retention" type="submit">{ Text::SaveRetention.in_lang(lang) }</button>
                { for days_saved.then(|| html! {
                    <p id="retention-saved" class="success" role="status">{ Text::RetentionSaved.in_lang(lang) }</p>
                }) }
                { for days_invalid.then(|| html! {
                    <p id="retention-error" class="form-error" role="alert">{ Text::ErrorRetentionDays.in_lang(lang) }</p>
                }) }
                { purge_html }
            </form>
            <div class="form">
                <label class="choice">
                    <input id="sync-after-approval" type="checkbox" checked={after_approval.unwrap_or(false)}
                        disabled={after_approval.is_none()} onchange={on_after_approval} />
                    { Text::SyncAfterApproval.in_lang(lang) }
                </label>
                { for after_saved.then(|| html! {
                    <p id="sync-after-approval-saved" class="success" role="status">{ Text::SettingSaved.in_lang(lang) }</p>
                }) }
            </div>
            { for error.as_ref().map(|err| html! { <p id="safeguards-error" class="form-error" role="alert">{ i18n::error_text(lang, err) }</p> }) }
        </section>
    }
}
