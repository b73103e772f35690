//! One dossier: its details, its timeline, and buttons for the lifecycle actions allowed now.

use hoso_model::ipc::{FormKind, TransitionRequest};
use hoso_model::lifecycle::EventKind;
use hoso_model::time::format_local;
use hoso_model::{ApiError, DossierDetail, Text, i18n};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::ipc;
use crate::state::Action;
use crate::state::DeskContext;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The dossier's code or id.
    pub dossier: String,
}

#[function_component(DossierPage)]
pub fn dossier_page(props: &Props) -> Html {
    let desk = use_context::<DeskContext>().expect("inside the desk context");
    let lang = desk.language;
    let detail = use_state(|| None::<DossierDetail>);
    let error = use_state(|| None::<ApiError>);
    let reason = use_state(String::new);
    let giver = use_state(String::new);
    let taker = use_state(String::new);
    let printed = use_state(|| None::<hoso_model::ipc::FormSaved>);
    // The action waiting for the officer to confirm it, if any.
    let confirming = use_state(|| None::<EventKind>);

    {
        let (detail, error) = (detail.clone(), error.clone());
        use_effect_with(props.dossier.clone(), move |key| {
            let key = key.clone();
            spawn_local(async move {
                match ipc::dossier_detail(&key).await {
                    Ok(d) => detail.set(Some(d)),
                    Err(e) => error.set(Some(e)),
                }
            });
        });
    }

    let back = {
        let desk = desk.clone();
        Callback::from(move |_| desk.dispatch(Action::OpenDossier(None)))
    };
    let text_input = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            state.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_reason = {
        let reason = reason.clone();
        Callback::from(move |e: InputEvent| {
            reason.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };

    let error_line = error.as_ref().map(|e| html! { <p id="dossier-error" class="form-error" role="alert">{ i18n::error_text(lang, e) }</p> });
    let Some(d) = &*detail else {
        return html! {
            <section class="dossier">
                <button id="back-to-list" class="link" onclick={back}>{ Text::BackToList.in_lang(lang) }</button>
                { for error_line }
            </section>
        };
    };

    // Applies `kind` with the reason (and hand-over) typed; a reason the rules require is
    // asked for before anything is sent.
    let apply = {
        let (detail, error, reason, giver, taker, desk, confirming) = (
            detail.clone(),
            error.clone(),
            reason.clone(),
            giver.clone(),
            taker.clone(),
            desk.clone(),
            confirming.clone(),
        );
        let key = props.dossier.clone();
        Callback::from(move |kind: EventKind| {
            if kind.needs_reason() && reason.trim().is_empty() {
                error.set(Some(ApiError::missing(hoso_model::Field::Reason)));
                crate::components::focus_id("reason");
                return;
            }
            confirming.set(None);
            let request = TransitionRequest {
                dossier: key.clone(),
                event: kind,
                reason: Some((*reason).clone()),
                giver: Some((*giver).clone()),
                taker: Some((*taker).clone()),
            };
            let (detail, error, desk, reason) =
                (detail.clone(), error.clone(), desk.clone(), reason.clone());
            spawn_local(async move {
                match ipc::transition(&request).await {
                    Ok(updated) => {
                        desk.dispatch(Action::DossierUpdated(updated.dossier.clone()));
                        detail.set(Some(updated));
                        error.set(None);
                        reason.set(String::new());
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let actions = d.allowed.iter().map(|&kind| {
        // Ending a dossier (refused, withdrawn, stopped) cannot be taken back: asked first.
        let onclick = {
            let (apply, confirming, error) = (apply.clone(), confirming.clone(), error.clone());
            Callback::from(move |_: MouseEvent| {
                if ends_the_dossier(kind) {
                    error.set(None);
                    confirming.set(Some(kind));
                    crate::components::focus_id("reason");
                } else {
                    apply.emit(kind);
                }
            })
        };
        html! { <button id={format!("action-{}", kind.name())} class="action" {onclick}>{ i18n::event_label(lang, kind) }</button> }
    });
    let confirm = confirming.map(|kind| {
        let yes = apply.reform(move |_: MouseEvent| kind);
        let no = {
            let confirming = confirming.clone();
            Callback::from(move |_: MouseEvent| confirming.set(None))
        };
        html! {
            <div id="confirm-action" class="confirm" role="alertdialog">
                <p>{ i18n::confirm_event(lang, kind) }</p>
                <button id="confirm-yes" class="danger" onclick={yes}>{ i18n::event_label(lang, kind) }</button>
                <button id="confirm-no" class="action" onclick={no}>{ Text::Cancel.in_lang(lang) }</button>
            </div>
        }
    });
    let timeline = d.events.iter().map(|e| {
        html! {
            <li>
                <time>{ format_local(e.at) }</time>{ " — " }{ i18n::event_label(lang, e.kind) }
                { for e.reason.as_ref().map(|r| html! { <span class="reason">{ format!(": {r}") }</span> }) }
                if e.giver.is_some() || e.taker.is_some() {
                    <span class="handover">{ format!(" ({} → {})", e.giver.as_deref().unwrap_or("?"), e.taker.as_deref().unwrap_or("?")) }</span>
                }
            </li>
        }
    });
    // The receipt always; a request to supplement or a refusal once one was recorded.
    let printable = FormKind::ALL.into_iter().filter(|kind| match kind {
        FormKind::Receipt => true,
        FormKind::Supplement => d
            .events
            .iter()
            .any(|e| e.kind == EventKind::SupplementRequest),
        FormKind::Refusal => d.events.iter().any(|e| e.kind == EventKind::Refuse),
    });
    let print_buttons = printable.map(|kind| {
        let onclick = {
            let (printed, error, key) = (printed.clone(), error.clone(), props.dossier.clone());
            Callback::from(move |_| {
                let (printed, error, key) = (printed.clone(), error.clone(), key.clone());
                spawn_local(async move {
                    match crate::print::print_form(&key, kind).await {
                        Ok(saved) => printed.set(Some(saved)),
                        Err(e) => error.set(Some(e)),
                    }
                });
            })
        };
        let label = match kind {
            FormKind::Receipt => Text::PrintReceipt,
            FormKind::Supplement => Text::PrintSupplement,
            FormKind::Refusal => Text::PrintRefusal,
        };
        html! { <button id={format!("print-{}", kind.number())} class="action" {onclick}>{ label.in_lang(lang) }</button> }
    });
    let digitise = {
        let desk = desk.clone();
        let key = d.dossier.key();
        Callback::from(move |_| desk.dispatch(Action::Digitise(Some(key.clone()))))
    };
    let dossier = &d.dossier;
    html! {
        <section class="dossier">
            <button id="back-to-list" class="link" onclick={back}>{ Text::BackToList.in_lang(lang) }</button>
            <h1 id="dossier-code">{ dossier.code.clone().unwrap_or_else(|| Text::NoCode.in_lang(lang).to_owned()) }</h1>
            <dl class="facts">
                <dt>{ Text::ColumnApplicant.in_lang(lang) }</dt><dd>{ &dossier.applicant_name }</dd>
                <dt>{ Text::ColumnProcedure.in_lang(lang) }</dt><dd>{ format!("{} {}", dossier.procedure_code, desk.procedure_name(&dossier.procedure_code)) }</dd>
                <dt>{ Text::ColumnReceived.in_lang(lang) }</dt><dd>{ format_local(dossier.received_at) }</dd>
                <dt>{ Text::ColumnDue.in_lang(lang) }</dt><dd id="dossier-due">{ dossier.due_at.map(format_local).unwrap_or_default() }</dd>
                <dt>{ Text::ColumnStatus.in_lang(lang) }</dt><dd id="dossier-status">{ i18n::status_label(lang, dossier.status) }</dd>
            </dl>
            { for d.late_by_rule.then(|| html! { <p class="form-error">{ Text::LateByRule.in_lang(lang) }</p> }) }
            <div class="actions">
                { for print_buttons }
                <button id="open-digitise" class="action" onclick={digitise}>{ Text::DigitiseOpen.in_lang(lang) }</button>
            </div>
            { for printed.as_ref().map(|p| html! {
                <p id="form-saved" class="success" role="status">{ i18n::form_printed(lang, &p.path) }</p>
            }) }
            <h2>{ Text::Timeline.in_lang(lang) }</h2>
            <ol id="timeline" class="timeline">{ for timeline }</ol>
            if !d.allowed.is_empty() {
                <h2>{ Text::Actions.in_lang(lang) }</h2>
                if d.allowed.iter().any(|k| matches!(k, EventKind::Transfer | EventKind::Back)) {
                    <div class="row">
                        <div>
                            <label for="giver">{ Text::FieldGiver.in_lang(lang) }</label>
                            <input id="giver" type="text" value={(*giver).clone()} oninput={text_input(&giver)} />
                        </div>
                        <div>
                            <label for="taker">{ Text::FieldTaker.in_lang(lang) }</label>
                            <input id="taker" type="text" value={(*taker).clone()} oninput={text_input(&taker)} />
                        </div>
                    </div>
                }
                <label for="reason">{ Text::FieldReason.in_lang(lang) }</label>
                <input id="reason" type="text" value={(*reason).clone()} oninput={on_reason} />
                <div class="actions">{ for actions }</div>
                { for confirm }
            }
            { for error_line }
        </section>
    }
}

/// The actions that end a dossier for good: asked twice.
fn ends_the_dossier(kind: EventKind) -> bool {
    matches!(
        kind,
        EventKind::Refuse | EventKind::Withdraw | EventKind::Stop
    )
}
