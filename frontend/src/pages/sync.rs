//! Đồng bộ: where sync with the hub stands — the engine's state, last contact, what waits (with
//! a progress bar), the dossiers the hub refused with a retry each, pause and send now — and,
//! before the desk is enrolled, how many dossiers wait and the enrollment form (which says
//! plainly that nothing is sent while enrolling fails). Looked at again every two seconds.

use gloo_timers::callback::Interval;
use hoso_model::ipc::{EngineState, SyncView};
use hoso_model::time::format_local;
use hoso_model::{Account, ApiError, Role, Text, i18n};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::ipc;
use crate::state::DeskContext;

/// A call to the shell that answers nothing but success or an error.
type Pending = std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), ApiError>>>>;

#[function_component(SyncPage)]
pub fn sync_page() -> Html {
    let desk = use_context::<DeskContext>().expect("inside the desk context");
    let lang = desk.language;
    let admin = use_context::<Account>().is_some_and(|a| a.role == Role::Admin);
    let view = use_state(|| None::<SyncView>);
    let error = use_state(|| None::<ApiError>);
    let reload = {
        let (view, error) = (view.clone(), error.clone());
        Callback::from(move |_: ()| {
            let (view, error) = (view.clone(), error.clone());
            spawn_local(async move {
                match ipc::sync_status().await {
                    Ok(v) => view.set(Some(v)),
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    {
        let reload = reload.clone();
        use_effect_with((), move |_| {
            reload.emit(());
            let timer = Interval::new(2000, move || reload.emit(()));
            move || drop(timer)
        });
    }
    let act = |call: fn() -> Pending| {
        let (reload, error) = (reload.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            let (reload, error) = (reload.clone(), error.clone());
            spawn_local(async move {
                match call().await {
                    Ok(()) => error.set(None),
                    Err(e) => error.set(Some(e)),
                }
                reload.emit(());
            });
        })
    };
    let error_line = error.as_ref().map(|err| {
        html! { <p class="form-error" role="alert">{ i18n::error_text(lang, err) }</p> }
    });
    let Some(v) = (*view).clone() else {
        return html! {
            <section class="sync"><h1>{ Text::SyncTitle.in_lang(lang) }</h1>{ for error_line }</section>
        };
    };
    if v.overview.hub_url.is_none() {
        return html! {
            <section class="sync">
                <h1>{ Text::SyncTitle.in_lang(lang) }</h1>
                <p id="sync-state" data-state="off">{ Text::SyncStateOff.in_lang(lang) }</p>
                <p id="sync-waiting-before-enrol" data-waiting={v.overview.waiting_dossiers.to_string()}>
                    { format!("{}: {}", Text::SyncWaitingUntilEnrolled.in_lang(lang), v.overview.waiting_dossiers) }
                </p>
                <EnrollForm on_done={reload.clone()} />
            </section>
        };
    }
    let o = &v.overview;
    // The dossiers still to send; those the hub refused are listed on their own below.
    let open = o
        .waiting_dossiers
        .saturating_sub(o.quarantined.len() as u64);
    let (state_name, state_text) = match v.engine {
        EngineState::Working => ("working", Text::SyncStateWorking.in_lang(lang).to_owned()),
        EngineState::Waiting { until } => (
            "waiting",
            format!(
                "{} {}",
                Text::SyncStateWaiting.in_lang(lang),
                format_local(until)
            ),
        ),
        EngineState::Paused => ("paused", Text::SyncStatePaused.in_lang(lang).to_owned()),
        EngineState::Stopped => (
            "stopped",
            format!(
                "{}: {}",
                Text::SyncStateStopped.in_lang(lang),
                i18n::sync_problem(lang, o.problem.as_deref().unwrap_or(""))
            ),
        ),
        EngineState::Off => ("off", Text::SyncStateOff.in_lang(lang).to_owned()),
        // Between passes with work still open (a poke is on its way): about to send.
        EngineState::Idle if open > 0 => {
            ("working", Text::SyncStateWorking.in_lang(lang).to_owned())
        }
        EngineState::Idle => ("idle", Text::SyncStateIdle.in_lang(lang).to_owned()),
    };
    let last_contact = o
        .last_contact
        .map(format_local)
        .unwrap_or_else(|| Text::SyncNever.in_lang(lang).to_owned());
    // Progress: bytes sent since the window opened against what still waits.
    let total = v.bytes_sent + o.waiting_bytes;
    let percent = (v.bytes_sent * 100).checked_div(total).unwrap_or(100);
    let pause = if o.paused {
        act(|| Box::pin(ipc::set_sync_paused(false)))
    } else {
        act(|| Box::pin(ipc::set_sync_paused(true)))
    };
    let now = act(|| Box::pin(ipc::sync_now()));
    let retry_audit = act(|| Box::pin(ipc::retry_audit_sync()));
    let quarantined = o.quarantined.iter().map(|q| {
        let id = q.id.0.clone();
        let onclick = {
            let (reload, error, id) = (reload.clone(), error.clone(), id.clone());
            Callback::from(move |_: MouseEvent| {
                let (reload, error, id) = (reload.clone(), error.clone(), id.clone());
                spawn_local(async move {
                    if let Err(e) = ipc::retry_sync(&id).await {
                        error.set(Some(e));
                    }
                    reload.emit(());
                });
            })
        };
        html! {
            <li id={format!("quarantine-{id}")}>
                <span class="code">{ q.code.clone().unwrap_or_else(|| id.clone()) }</span>
                <span class="reason">{ i18n::sync_reason(lang, &q.reason) }</span>
                <button id={format!("retry-{id}")} class="action" {onclick}>{ Text::SyncRetry.in_lang(lang) }</button>
            </li>
        }
    });
    html! {
        <section class="sync">
            <h1>{ Text::SyncTitle.in_lang(lang) }</h1>
            <p id="sync-state" class={classes!("sync-state", state_name)} data-state={state_name} role="status">
                { state_text }
            </p>
            <dl class="sync-facts">
                <dt>{ Text::SyncHub.in_lang(lang) }</dt>
                <dd id="sync-hub">{ o.hub_url.clone().unwrap_or_default() }</dd>
                <dt>{ Text::SyncLastContact.in_lang(lang) }</dt>
                <dd id="sync-last-contact">{ last_contact }</dd>
                <dt>{ Text::SyncWaitingDossiers.in_lang(lang) }</dt>
                <dd id="sync-waiting-dossiers">{ open }</dd>
                <dt>{ Text::SyncWaitingFiles.in_lang(lang) }</dt>
                <dd id="sync-waiting-files">
                    { format!("{} ({})", o.waiting_files, i18n::size(lang, o.waiting_bytes)) }
                </dd>
                <dt>{ Text::SyncSent.in_lang(lang) }</dt>
                <dd id="sync-sent">{ i18n::size(lang, v.bytes_sent) }</dd>
                <dt>{ Text::SyncAudit.in_lang(lang) }</dt>
                <dd id="sync-audit-waiting">{ o.audit_waiting }</dd>
                if o.skipped_changes > 0 {
                    <dt>{ Text::SyncSkipped.in_lang(lang) }</dt>
                    <dd>{ o.skipped_changes }</dd>
                }
            </dl>
            <progress id="sync-progress" max="100" value={percent.to_string()}></progress>
            <div class="actions">
                <button id="sync-now" class="action" onclick={now}>{ Text::SyncNow.in_lang(lang) }</button>
                <button id="sync-pause" class="action" onclick={pause}>
                    { if o.paused { Text::SyncResume.in_lang(lang) } else { Text::SyncPause.in_lang(lang) } }
                </button>
            </div>
            if let Some(why) = &o.audit_problem {
                <p id="sync-audit-problem" class="form-error" role="alert">
                    { format!("{}: {}", Text::SyncAuditRefused.in_lang(lang), i18n::sync_reason(lang, why)) }
                    if admin {
                        { " " }
                        <button id="sync-audit-retry" class="action" onclick={retry_audit}>{ Text::SyncRetry.in_lang(lang) }</button>
                    }
                </p>
            }
            if !o.quarantined.is_empty() {
                <h2>{ Text::SyncQuarantined.in_lang(lang) }</h2>
                <ul class="quarantined">{ for quarantined }</ul>
            }
            { for error_line }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct EnrollProps {
    on_done: Callback<()>,
}

/// The hub's address and the one-time code from IT.
#[function_component(EnrollForm)]
fn enroll_form(props: &EnrollProps) -> Html {
    let desk = use_context::<DeskContext>().expect("inside the desk context");
    let lang = desk.language;
    let hub = use_state(String::new);
    let code = use_state(String::new);
    let fingerprint = use_state(String::new);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let input = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            state.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let onsubmit = {
        let (hub, code, fingerprint, error, busy, done) = (
            hub.clone(),
            code.clone(),
            fingerprint.clone(),
            error.clone(),
            busy.clone(),
            props.on_done.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (hub, code, fingerprint, error, busy, done) = (
                (*hub).clone(),
                (*code).clone(),
                (*fingerprint).clone(),
                error.clone(),
                busy.clone(),
                done.clone(),
            );
            busy.set(true);
            spawn_local(async move {
                match ipc::enroll(&hub, &code, &fingerprint).await {
                    Ok(()) => {
                        error.set(None);
                        done.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <form class="form enroll" {onsubmit}>
            <h2>{ Text::SyncEnrollTitle.in_lang(lang) }</h2>
            <label for="enroll-hub">{ Text::SyncEnrollHub.in_lang(lang) }</label>
            <input id="enroll-hub" type="url" placeholder="https://" value={(*hub).clone()} oninput={input(&hub)} spellcheck="false" />
            <label for="enroll-code">{ Text::SyncEnrollCode.in_lang(lang) }</label>
            <input id="enroll-code" type="text" value={(*code).clone()} oninput={input(&code)} autocomplete="off" autocapitalize="characters" spellcheck="false" />
            <label for="enroll-fingerprint">{ Text::SyncEnrollFingerprint.in_lang(lang) }</label>
            <input id="enroll-fingerprint" type="text" value={(*fingerprint).clone()} oninput={input(&fingerprint)} autocomplete="off" spellcheck="false" placeholder="AB:CD:…" aria-describedby="enroll-fingerprint-hint" />
            <p id="enroll-fingerprint-hint" class="hint">{ Text::SyncEnrollFingerprintHint.in_lang(lang) }</p>
            <button id="enroll-button" class="primary" type="submit" disabled={*busy}>{ Text::SyncEnrollButton.in_lang(lang) }</button>
            { for error.as_ref().map(|err| html! { <p id="enroll-error" class="form-error" role="alert">{ enroll_error(lang, err) }</p> }) }
        </form>
    }
}

/// What a failed enrollment says. Not reaching the hub is told in words of its own: the
/// general text promises the work is sent when the network returns, which only an enrolled
/// desk does.
fn enroll_error(lang: hoso_model::Language, err: &ApiError) -> &'static str {
    if err.problem == Some(hoso_model::Problem::HubUnreachable) {
        Text::EnrollUnreachable.in_lang(lang)
    } else {
        i18n::error_text(lang, err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hoso_model::{ErrorCode, Field, Language, Problem};

    #[test]
    fn a_failed_enrollment_never_promises_that_work_will_be_sent() {
        let unreachable = ApiError {
            code: ErrorCode::Offline,
            ..ApiError::problem(Field::Hub, Problem::HubUnreachable, "no answer")
        };
        let text = enroll_error(Language::Vi, &unreachable);
        assert!(!text.contains("tự gửi"), "{text}");
        assert!(
            text.contains("chưa được đăng ký") && text.contains("Đăng ký lại"),
            "it says what happened and what to do: {text}"
        );
        let refused = ApiError::problem(Field::Hub, Problem::EnrollmentRefused, "bad code");
        assert_eq!(
            enroll_error(Language::Vi, &refused),
            i18n::error_text(Language::Vi, &refused),
            "other refusals keep their own words"
        );
        let pinned = ApiError::problem(Field::Hub, Problem::CertificatePin, "refused");
        assert!(
            enroll_error(Language::Vi, &pinned).contains("dấu vân tay"),
            "a certificate refused names the fingerprint to check"
        );
    }
}
