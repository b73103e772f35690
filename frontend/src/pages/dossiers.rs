//! Hồ sơ: the dossiers on this desk, newest first, narrowed by status, officer, procedure and
//! received days, or searched; Enter or a click on a code opens one.

use hoso_model::lifecycle::Status;
use hoso_model::time::format_local;
use std::collections::HashMap;

use hoso_model::ipc::DossierSyncState;
use hoso_model::supervision::BacklogFilter;
use hoso_model::{Dossier, DossierId, Language, Text, i18n};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::DossierPage;
use crate::components::{DateInput, FilterForm, today};
use crate::state::Action;
use crate::state::DeskContext;
use crate::state::admin::month_so_far;
use crate::state::supervise::period_from;

#[function_component(DossiersPage)]
pub fn dossiers_page() -> Html {
    let desk = use_context::<DeskContext>().expect("inside the desk context");
    let lang = desk.language;
    let query = use_state(String::new);
    // Results of the latest query only: an answer to an older keystroke is dropped.
    let results = use_state(|| None::<Vec<Dossier>>);
    let asked = use_mut_ref(|| 0u64);
    let on_search = {
        let (query, results, asked) = (query.clone(), results.clone(), asked.clone());
        Callback::from(move |e: InputEvent| {
            let text = e.target_unchecked_into::<HtmlInputElement>().value();
            query.set(text.clone());
            *asked.borrow_mut() += 1;
            let this = *asked.borrow();
            if text.trim().is_empty() {
                results.set(None);
                return;
            }
            let (results, asked) = (results.clone(), asked.clone());
            spawn_local(async move {
                let found = crate::ipc::search(&text).await.unwrap_or_default();
                if *asked.borrow() == this {
                    results.set(Some(found));
                }
            });
        })
    };
    // Enter on the search box opens the dossier when it is the only one found.
    let on_search_key = {
        let (query, desk) = (query.clone(), desk.clone());
        Callback::from(move |e: KeyboardEvent| {
            if e.key() != "Enter" || query.trim().is_empty() {
                return;
            }
            e.prevent_default();
            let (text, desk) = ((*query).clone(), desk.clone());
            spawn_local(async move {
                if let Ok(found) = crate::ipc::search(&text).await
                    && let [only] = found.as_slice()
                {
                    desk.dispatch(Action::OpenDossier(Some(only.key())));
                }
            });
        })
    };
    // The status and the filter (officer, procedure, days) in force; the list is asked again
    // when either changes, and shows the desk's latest dossiers when neither is set.
    let status = use_state(|| None::<Status>);
    let filter = use_state(BacklogFilter::default);
    let filter_error = use_state(|| None::<hoso_model::ApiError>);
    let list = {
        let (results, asked, query) = (results.clone(), asked.clone(), query.clone());
        let (status_state, filter_state) = (status.clone(), filter.clone());
        Callback::from(move |(status, filter): (Option<Status>, BacklogFilter)| {
            status_state.set(status);
            filter_state.set(filter.clone());
            query.set(String::new());
            *asked.borrow_mut() += 1;
            let this = *asked.borrow();
            let narrowed = status.is_some() || filter != BacklogFilter::default();
            let (results, asked) = (results.clone(), asked.clone());
            spawn_local(async move {
                let found = crate::ipc::list_dossiers(status, &filter)
                    .await
                    .unwrap_or_default();
                if *asked.borrow() == this {
                    results.set(narrowed.then_some(found));
                }
            });
        })
    };
    let on_status = {
        let (list, filter) = (list.clone(), filter.clone());
        Callback::from(move |e: Event| {
            let value = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            list.emit((Status::from_name(&value), (*filter).clone()));
        })
    };
    let on_filter = {
        let (list, status, filter_error) = (list.clone(), status.clone(), filter_error.clone());
        Callback::from(
            move |read: Result<BacklogFilter, hoso_model::ApiError>| match read {
                Ok(filter) => {
                    filter_error.set(None);
                    list.emit((*status, filter));
                }
                Err(err) => filter_error.set(Some(err)),
            },
        )
    };
    // The tracking book of a period, this month so far unless chosen: the days are read when
    // the button is pressed, day first, and sent to the shell as ISO days.
    let (book_from, book_to) = (use_node_ref(), use_node_ref());
    let (first_day, last_day) = *use_memo((), |_| month_so_far(today()));
    let book_result =
        use_state(|| None::<Result<hoso_model::ipc::FormSaved, hoso_model::ApiError>>);
    let print_book = {
        let (book_from, book_to, book_result) =
            (book_from.clone(), book_to.clone(), book_result.clone());
        Callback::from(move |_| {
            let value = |r: &NodeRef| {
                r.cast::<HtmlInputElement>()
                    .map(|i| i.value())
                    .unwrap_or_default()
            };
            let period = period_from(&value(&book_from), &value(&book_to));
            let book_result = book_result.clone();
            spawn_local(async move {
                let asked = match period {
                    Ok(p) => {
                        let (from, to) = (p.from.to_string(), p.to.to_string());
                        crate::ipc::print_tracking_book(&from, &to).await
                    }
                    Err(e) => Err(e),
                };
                let printed = match asked {
                    Ok(job) => crate::print::print(&job).await.map(|()| job.saved),
                    Err(e) => Err(e),
                };
                book_result.set(Some(printed));
            });
        })
    };
    // Each listed dossier's sync state, looked at again every few seconds.
    let ids: Vec<DossierId> = results
        .as_deref()
        .unwrap_or(&desk.dossiers)
        .iter()
        .map(|d| d.id.clone())
        .collect();
    let sync = use_state(HashMap::<DossierId, DossierSyncState>::new);
    {
        let sync = sync.clone();
        use_effect_with(ids, move |ids| {
            let ids = ids.clone();
            let load = move || {
                let (sync, ids) = (sync.clone(), ids.clone());
                spawn_local(async move {
                    if let Ok(states) = crate::ipc::sync_states(&ids).await {
                        sync.set(states.into_iter().collect());
                    }
                });
            };
            load();
            let timer = gloo_timers::callback::Interval::new(3000, load);
            move || drop(timer)
        });
    }
    if let Some(key) = &desk.open_dossier {
        return html! { <DossierPage dossier={key.clone()} /> };
    }
    let shown: &[Dossier] = results.as_deref().unwrap_or(&desk.dossiers);
    let body = if shown.is_empty() && results.is_some() {
        html! { <p id="search-empty" class="empty">{ Text::NoMatch.in_lang(lang) }</p> }
    } else if shown.is_empty() {
        html! { <p id="dossiers-empty" class="empty">{ Text::DossiersEmpty.in_lang(lang) }</p> }
    } else {
        let rows = shown.iter().map(|d| {
            let key = d.key();
            let open = {
                let desk = desk.clone();
                let key = key.clone();
                Callback::from(move |_| desk.dispatch(Action::OpenDossier(Some(key.clone()))))
            };
            html! {
                <tr class="dossier-row" key={d.id.0.clone()}>
                    <td class="code">
                        <button class="link" onclick={open}>
                            { d.code.clone().unwrap_or_else(|| Text::NoCode.in_lang(lang).to_owned()) }
                        </button>
                    </td>
                    <td class="received">{ format_local(d.received_at) }</td>
                    <td class="procedure"><span class="code">{ &d.procedure_code }</span>{ " " }{ desk.procedure_name(&d.procedure_code) }</td>
                    <td class="applicant">{ &d.applicant_name }</td>
                    <td class="status">{ i18n::status_label(lang, d.status) }</td>
                    <td class="due">{ d.due_at.map(format_local).unwrap_or_default() }</td>
                    <td class="sync">{ sync_badge(lang, sync.get(&d.id).copied()) }</td>
                </tr>
            }
        });
        html! {
            <table id="dossier-list" class="table">
                <thead>
                    <tr>
                        <th scope="col">{ Text::ColumnCode.in_lang(lang) }</th>
                        <th scope="col">{ Text::ColumnReceived.in_lang(lang) }</th>
                        <th scope="col">{ Text::ColumnProcedure.in_lang(lang) }</th>
                        <th scope="col">{ Text::ColumnApplicant.in_lang(lang) }</th>
                        <th scope="col">{ Text::ColumnStatus.in_lang(lang) }</th>
                        <th scope="col">{ Text::ColumnDue.in_lang(lang) }</th>
                        <th scope="col">{ Text::NavSync.in_lang(lang) }</th>
                    </tr>
                </thead>
                <tbody>{ for rows }</tbody>
            </table>
        }
    };
    html! {
        <section class="dossiers">
            <h1>{ Text::DossiersTitle.in_lang(lang) }</h1>
            <div class="list-tools">
            <select id="status-filter" class="status-filter" onchange={on_status} aria-label={Text::ColumnStatus.in_lang(lang)}>
                <option value="">{ Text::AllStatuses.in_lang(lang) }</option>
                { for Status::ALL.into_iter().filter(|s| *s != Status::Draft).map(|s| html! {
                    <option value={s.name()}>{ i18n::status_label(lang, s) }</option>
                }) }
            </select>
            <input id="search" class="search" type="search" value={(*query).clone()} oninput={on_search} onkeydown={on_search_key}
                placeholder={Text::SearchHint.in_lang(lang)} aria-label={Text::SearchHint.in_lang(lang)} autocomplete="off" />
            </div>
            <FilterForm form_id="list-filter" applied={(*filter).clone()} on_apply={on_filter} />
            { for filter_error.as_ref().map(|e| html! {
                <p id="list-filter-error" class="form-error" role="alert">{ i18n::error_text(lang, e) }</p>
            }) }
            { body }
            <div class="book-tools">
                <label for="book-from">{ Text::PeriodFrom.in_lang(lang) }</label>
                <DateInput id="book-from" node={book_from} value={Some(first_day)} />
                <label for="book-to">{ Text::PeriodTo.in_lang(lang) }</label>
                <DateInput id="book-to" node={book_to} value={Some(last_day)} />
                <button id="print-book" class="action" onclick={print_book}>{ Text::PrintTrackingBook.in_lang(lang) }</button>
            </div>
            { for book_result.as_ref().map(|r| match r {
                Ok(saved) => html! { <p id="book-saved" class="success" role="status">{ i18n::form_printed(lang, &saved.path) }</p> },
                Err(e) => html! { <p id="book-error" class="form-error" role="alert">{ i18n::error_text(lang, e) }</p> },
            }) }
        </section>
    }
}

/// A small mark of where a dossier stands with the hub, its words in the title.
fn sync_badge(lang: Language, state: Option<DossierSyncState>) -> Html {
    let Some(state) = state else {
        return html! {};
    };
    let (name, mark, text) = match state {
        DossierSyncState::Synced => ("synced", "✓", Text::SyncBadgeSynced),
        DossierSyncState::Waiting => ("waiting", "↑", Text::SyncBadgeWaiting),
        DossierSyncState::Quarantined => ("quarantined", "!", Text::SyncBadgeQuarantined),
    };
    let text = text.in_lang(lang);
    html! {
        <span class={classes!("sync-badge", name)} data-sync={name} title={text} aria-label={text}>
            { mark }
        </span>
    }
}
