//! Nhật ký hệ thống (supervisors and administrators): the audit log, filtered by actor, action
//! and days (this month so far unless chosen), newest first, and the check of its hash chain.
//! A dossier is shown by its code and a queue by its name, as the desk and the model tell them.

use hoso_model::account::{AuditAction, AuditCheck, AuditEntry};
use hoso_model::time::format_local;
use hoso_model::{ApiError, Text, i18n};
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::{DateInput, today};
use crate::ipc;
use crate::state::DeskContext;
use crate::state::admin::{AuditInputs, audit_detail, month_so_far};

fn input(node: &NodeRef) -> String {
    node.cast::<HtmlInputElement>()
        .map(|i| i.value())
        .or_else(|| node.cast::<HtmlSelectElement>().map(|s| s.value()))
        .unwrap_or_default()
}

#[function_component(AuditViewer)]
pub fn audit_viewer() -> Html {
    let desk = use_context::<DeskContext>().expect("inside the desk context");
    let lang = desk.language;
    let (actor, action, from, to, limit) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    let entries = use_state(|| None::<Vec<AuditEntry>>);
    let error = use_state(|| None::<ApiError>);
    let check = use_state(|| None::<AuditCheck>);
    // The days the form opens with; the officer's own choice stays in the boxes after.
    let (first_day, last_day) = *use_memo((), |_| month_so_far(today()));

    let show = {
        let (actor, action, from, to, limit, entries, error) = (
            actor.clone(),
            action.clone(),
            from.clone(),
            to.clone(),
            limit.clone(),
            entries.clone(),
            error.clone(),
        );
        Callback::from(move |_: ()| {
            let inputs = AuditInputs {
                actor: input(&actor),
                action: input(&action),
                from: input(&from),
                to: input(&to),
                limit: input(&limit),
            };
            let filter = match inputs.filter() {
                Ok(filter) => filter,
                Err(err) => {
                    error.set(Some(err));
                    return;
                }
            };
            let (entries, error) = (entries.clone(), error.clone());
            spawn_local(async move {
                match ipc::audit_log(&filter).await {
                    Ok(found) => {
                        error.set(None);
                        entries.set(Some(found));
                    }
                    Err(err) => error.set(Some(err)),
                }
            });
        })
    };
    {
        let show = show.clone();
        use_effect_with((), move |_| show.emit(()));
    }
    let onsubmit = {
        let show = show.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            show.emit(());
        })
    };
    let on_verify = {
        let (check, error) = (check.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            let (check, error) = (check.clone(), error.clone());
            spawn_local(async move {
                match ipc::verify_audit().await {
                    Ok(found) => check.set(Some(found)),
                    Err(err) => error.set(Some(err)),
                }
            });
        })
    };

    let list = entries.as_ref().map(|entries| {
        if entries.is_empty() {
            return html! { <p id="audit-empty" class="empty">{ Text::AuditEmpty.in_lang(lang) }</p> };
        }
        html! {
            <table id="audit-list" class="table">
                <thead>
                    <tr>
                        <th scope="col">{ "#" }</th>
                        <th scope="col">{ Text::ColumnAt.in_lang(lang) }</th>
                        <th scope="col">{ Text::FieldActor.in_lang(lang) }</th>
                        <th scope="col">{ Text::FieldAuditAction.in_lang(lang) }</th>
                        <th scope="col">{ Text::ColumnObject.in_lang(lang) }</th>
                        <th scope="col">{ Text::ColumnDetail.in_lang(lang) }</th>
                    </tr>
                </thead>
                <tbody>
                    { for entries.iter().map(|e| html! {
                        <tr class="audit-entry" key={e.seq.to_string()} data-seq={e.seq.to_string()}
                            data-actor={e.actor.clone()} data-action={e.action.clone()}>
                            <td class="seq">{ e.seq }</td>
                            <td class="at received">{ format_local(e.at) }</td>
                            <td class="actor">{ &e.actor }</td>
                            <td class="action">{ i18n::audit_action_label(lang, &e.action) }</td>
                            <td class="object code" title={e.object.clone()}>{ e.label.as_deref().unwrap_or(&e.object) }</td>
                            <td class="detail">{ audit_detail(lang, &e.object, &e.detail) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        }
    });
    let checked = check.as_ref().map(|c| match c.first_broken {
        None => html! {
            <p id="audit-check" class="success" role="status" data-intact="true">
                { format!("{} {}", Text::AuditIntact.in_lang(lang), c.entries) }
            </p>
        },
        Some(seq) => html! {
            <p id="audit-check" class="form-error" role="alert" data-intact="false" data-first-broken={seq.to_string()}>
                { format!("{} {seq}", Text::AuditBroken.in_lang(lang)) }
            </p>
        },
    });

    html! {
        <section id="audit" class="audit">
            <h2>{ Text::AuditTitle.in_lang(lang) }</h2>
            <form id="audit-filter" class="form" {onsubmit} novalidate=true>
                <div class="row">
                    <div>
                        <label for="audit-actor">{ Text::FieldActor.in_lang(lang) }</label>
                        <input id="audit-actor" ref={actor} autocomplete="off" />
                    </div>
                    <div>
                        <label for="audit-action">{ Text::FieldAuditAction.in_lang(lang) }</label>
                        <select id="audit-action" ref={action}>
                            <option value="">{ Text::AnyAction.in_lang(lang) }</option>
                            { for AuditAction::ALL.into_iter().map(|a| html! {
                                <option value={a.name()}>{ i18n::audit_action_label(lang, a.name()) }</option>
                            }) }
                        </select>
                    </div>
                    <div>
                        <label for="audit-from">{ Text::PeriodFrom.in_lang(lang) }</label>
                        <DateInput id="audit-from" node={from} value={Some(first_day)} />
                    </div>
                    <div>
                        <label for="audit-to">{ Text::PeriodTo.in_lang(lang) }</label>
                        <DateInput id="audit-to" node={to} value={Some(last_day)} />
                    </div>
                    <div>
                        <label for="audit-limit">{ Text::FieldLimit.in_lang(lang) }</label>
                        <input id="audit-limit" ref={limit} type="number" min="1" placeholder="200" />
                    </div>
                </div>
                <button id="audit-show" type="submit" class="primary">{ Text::ShowAudit.in_lang(lang) }</button>
                <button id="verify-audit" type="button" onclick={on_verify}>{ Text::VerifyAudit.in_lang(lang) }</button>
            </form>
            { for checked }
            { for error.as_ref().map(|err| html! { <p id="audit-error" class="form-error" role="alert">{ i18n::error_text(lang, err) }</p> }) }
            { for list }
        </section>
    }
}
