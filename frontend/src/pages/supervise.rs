//! Giám sát. For a supervisor: every backlog queue with its count (a button that lists that
//! queue's dossiers), one filter for counts and lists, "approve all listed" on the dossiers
//! awaiting review, the review page of a dossier, and the indicators of a period with their
//! weekly chart and spreadsheet. For an officer: the dossiers returned to them, with the
//! supervisor's note, and "resubmit".

use hoso_model::supervision::{
    BacklogFilter, Breakdown, IndicatorSet, Indicators, Queue, QueueItem, ReviewDecision,
};
use hoso_model::time::format_local;
use hoso_model::{Account, ApiError, Language, Role, Text, i18n};
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::ReviewPage;
use crate::components::{DateInput, FilterForm, WeekChart};
use crate::ipc;
use crate::state::Action;
use crate::state::DeskContext;
use crate::state::supervise::{Done, SuperviseAction, Supervision, percent, period_from, points};

/// Today in Vietnam, from the window's clock.
fn today() -> jiff::civil::Date {
    let now = jiff::Timestamp::from_millisecond(js_sys::Date::now() as i64)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    hoso_model::time::to_local(now).date()
}

fn value(node: &NodeRef) -> String {
    node.cast::<HtmlInputElement>()
        .map(|i| i.value())
        .unwrap_or_default()
}

#[function_component(SupervisePage)]
pub fn supervise_page() -> Html {
    let user = use_context::<Account>();
    if user.is_some_and(|u| u.role >= Role::Supervisor) {
        html! { <SupervisorHome /> }
    } else {
        html! { <ReturnedToMe /> }
    }
}

/// What was just done, said once.
fn done_line(lang: Language, done: &Done) -> Html {
    let text = match done {
        Done::Decided { dossier, decision } => format!(
            "{}: {} — {}",
            Text::DecisionSaved.in_lang(lang),
            i18n::decision_label(lang, *decision),
            dossier
        ),
        Done::ApprovedAll(n) => format!("{} {n}", Text::ApprovedCount.in_lang(lang)),
    };
    html! { <p id="supervise-done" class="success" role="status">{ text }</p> }
}

#[function_component(SupervisorHome)]
fn supervisor_home() -> Html {
    let desk = use_context::<DeskContext>().expect("inside the desk context");
    let lang = desk.language;
    let state = use_reducer(|| Supervision::new(today()));

    // The counts, for the filter, again after every decision.
    {
        let dispatcher = state.dispatcher();
        use_effect_with((state.filter.clone(), state.refresh), move |(filter, _)| {
            let filter = filter.clone();
            spawn_local(async move {
                dispatcher.dispatch(match ipc::backlog(&filter).await {
                    Ok(backlog) => SuperviseAction::BacklogLoaded(backlog),
                    Err(e) => SuperviseAction::Failed(e),
                });
            });
        });
    }
    // The open queue's dossiers.
    {
        let dispatcher = state.dispatcher();
        use_effect_with(
            (state.queue, state.filter.clone(), state.refresh),
            move |(queue, filter, _)| {
                if let Some(queue) = *queue {
                    let filter = filter.clone();
                    spawn_local(async move {
                        dispatcher.dispatch(match ipc::queue(queue, &filter).await {
                            Ok(items) => SuperviseAction::QueueLoaded {
                                queue,
                                filter,
                                items,
                            },
                            Err(e) => SuperviseAction::Failed(e),
                        });
                    });
                }
            },
        );
    }
    // The indicators of the period.
    {
        let dispatcher = state.dispatcher();
        use_effect_with(
            (state.period, state.breakdown, state.refresh),
            move |(period, breakdown, _)| {
                let (period, breakdown) = (*period, *breakdown);
                spawn_local(async move {
                    dispatcher.dispatch(match ipc::indicators(period, breakdown).await {
                        Ok(indicators) => SuperviseAction::IndicatorsLoaded {
                            period,
                            breakdown,
                            indicators,
                        },
                        Err(e) => SuperviseAction::Failed(e),
                    });
                });
            },
        );
    }

    if let Some(key) = &state.reviewing {
        let on_back = {
            let state = state.clone();
            Callback::from(move |_: ()| state.dispatch(SuperviseAction::Review(None)))
        };
        let on_decided = {
            let state = state.clone();
            Callback::from(move |(dossier, decision): (String, ReviewDecision)| {
                state.dispatch(SuperviseAction::Decided { dossier, decision })
            })
        };
        return html! { <ReviewPage dossier={key.clone()} {on_back} {on_decided} /> };
    }

    let on_filter = {
        let state = state.clone();
        Callback::from(move |read: Result<BacklogFilter, ApiError>| {
            state.dispatch(match read {
                Ok(filter) => SuperviseAction::Filter(filter),
                Err(err) => SuperviseAction::Failed(err),
            })
        })
    };
    html! {
        <section id="supervise" class="supervise">
            <h1>{ Text::NavSupervise.in_lang(lang) }</h1>
            <FilterForm form_id="backlog-filter" applied={state.filter.clone()} on_apply={on_filter} />
            { for state.done.as_ref().map(|d| done_line(lang, d)) }
            { for state.error.as_ref().map(|e| html! {
                <p id="supervise-error" class="form-error" role="alert">{ i18n::error_text(lang, e) }</p>
            }) }
            <h2>{ Text::BacklogTitle.in_lang(lang) }</h2>
            <QueueButtons state={state.clone()} />
            if let Some(queue) = state.queue {
                <QueueList state={state.clone()} {queue} />
            }
            <IndicatorsPanel state={state.clone()} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct StateProps {
    state: UseReducerHandle<Supervision>,
}

#[function_component(QueueButtons)]
fn queue_buttons(props: &StateProps) -> Html {
    let desk = use_context::<DeskContext>().expect("inside the desk context");
    let lang = desk.language;
    let state = &props.state;
    let buttons = Queue::ALL.into_iter().map(|queue| {
        let count = state.backlog.as_ref().map(|b| b.count(queue));
        let current = state.queue == Some(queue);
        let onclick = {
            let state = state.clone();
            Callback::from(move |_: MouseEvent| state.dispatch(SuperviseAction::OpenQueue(Some(queue))))
        };
        html! {
            <li>
                <button id={format!("queue-{}", queue.name())} type="button"
                    class={classes!("queue-card", current.then_some("current"), (count.unwrap_or(0) > 0).then_some("busy"))}
                    aria-pressed={current.to_string()} {onclick}>
                    <span class="count" data-count={count.map(|c| c.to_string()).unwrap_or_default()}>
                        { count.map_or_else(|| "…".to_owned(), |c| c.to_string()) }
                    </span>
                    <span class="label">{ i18n::queue_label(lang, queue) }</span>
                </button>
            </li>
        }
    });
    html! { <ul id="backlog" class="queues" aria-busy={state.backlog.is_none().to_string()}>{ for buttons }</ul> }
}

#[derive(Properties, PartialEq)]
struct QueueListProps {
    state: UseReducerHandle<Supervision>,
    queue: Queue,
}

#[function_component(QueueList)]
fn queue_list(props: &QueueListProps) -> Html {
    let desk = use_context::<DeskContext>().expect("inside the desk context");
    let lang = desk.language;
    let state = &props.state;
    let close = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(SuperviseAction::OpenQueue(None)))
    };
    let approve_all = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let (state, keys) = (state.clone(), state.listed_keys());
            spawn_local(async move {
                state.dispatch(match ipc::approve_all(&keys).await {
                    Ok(n) => SuperviseAction::ApprovedAll(n),
                    Err(e) => SuperviseAction::Failed(e),
                });
            });
        })
    };
    let body = match &state.items {
        None => html! { <p class="empty" aria-busy="true">{ Text::Loading.in_lang(lang) }</p> },
        Some(items) if items.is_empty() => {
            html! { <p id="queue-empty" class="empty">{ Text::QueueEmpty.in_lang(lang) }</p> }
        }
        Some(items) => {
            let rows = items.iter().map(|item| {
                let open = {
                    let (state, key) = (state.clone(), item.dossier.key());
                    Callback::from(move |_: MouseEvent| {
                        state.dispatch(SuperviseAction::Review(Some(key.clone())))
                    })
                };
                queue_row(lang, &desk, item, open)
            });
            html! {
                <table id="queue-list" class="table" data-queue={props.queue.name()}>
                    <thead>
                        <tr>
                            <th scope="col">{ Text::ColumnCode.in_lang(lang) }</th>
                            <th scope="col">{ Text::ColumnReceived.in_lang(lang) }</th>
                            <th scope="col">{ Text::ColumnProcedure.in_lang(lang) }</th>
                            <th scope="col">{ Text::ColumnApplicant.in_lang(lang) }</th>
                            <th scope="col">{ Text::ColumnOfficer.in_lang(lang) }</th>
                            <th scope="col">{ Text::ColumnDue.in_lang(lang) }</th>
                            <th scope="col">{ Text::ColumnNote.in_lang(lang) }</th>
                        </tr>
                    </thead>
                    <tbody>{ for rows }</tbody>
                </table>
            }
        }
    };
    let can_approve_all =
        props.queue == Queue::AwaitingReview && state.items.as_ref().is_some_and(|i| !i.is_empty());
    html! {
        <div class="queue-panel">
            <div class="queue-head">
                <h2 id="queue-title">{ i18n::queue_label(lang, props.queue) }</h2>
                if can_approve_all {
                    <button id="approve-all" class="primary" onclick={approve_all}>{ Text::ApproveAllListed.in_lang(lang) }</button>
                }
                <button id="queue-close" class="link" onclick={close}>{ Text::BackToQueues.in_lang(lang) }</button>
            </div>
            { body }
        </div>
    }
}

fn queue_row(
    lang: Language,
    desk: &DeskContext,
    item: &QueueItem,
    open: Callback<MouseEvent>,
) -> Html {
    let d = &item.dossier;
    html! {
        <tr class="queue-row" key={d.id.0.clone()} data-code={d.key()}>
            <td class="code">
                <button class="link" onclick={open}>
                    { d.code.clone().unwrap_or_else(|| Text::NoCode.in_lang(lang).to_owned()) }
                </button>
            </td>
            <td class="received">{ format_local(d.received_at) }</td>
            <td class="procedure"><span class="code">{ &d.procedure_code }</span>{ " " }{ desk.procedure_name(&d.procedure_code) }</td>
            <td class="applicant">{ &d.applicant_name }</td>
            <td class="officer">{ item.officer.clone().unwrap_or_default() }</td>
            <td class="due">{ d.due_at.map(format_local).unwrap_or_default() }</td>
            <td class="note">{ item.note.clone().unwrap_or_default() }</td>
        </tr>
    }
}

#[function_component(IndicatorsPanel)]
fn indicators_panel(props: &StateProps) -> Html {
    let desk = use_context::<DeskContext>().expect("inside the desk context");
    let lang = desk.language;
    let state = &props.state;
    let (from, to) = (use_node_ref(), use_node_ref());
    let onsubmit = {
        let (state, from, to) = (state.clone(), from.clone(), to.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            state.dispatch(match period_from(&value(&from), &value(&to)) {
                Ok(period) => SuperviseAction::Period(period),
                Err(err) => SuperviseAction::Failed(err),
            });
        })
    };
    let on_breakdown = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let by = Breakdown::from_name(&e.target_unchecked_into::<HtmlSelectElement>().value());
            state.dispatch(SuperviseAction::Breakdown(by));
        })
    };
    let save = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let (state, period) = (state.clone(), state.period);
            spawn_local(async move {
                state.dispatch(match ipc::save_supervision_report(period).await {
                    Ok(saved) => SuperviseAction::ReportSaved(saved),
                    Err(e) => SuperviseAction::Failed(e),
                });
            });
        })
    };
    let option = |value: &str, text: Text, current: bool| {
        html! { <option value={value.to_owned()} selected={current}>{ text.in_lang(lang) }</option> }
    };
    html! {
        <div class="indicators">
            <h2>{ Text::IndicatorsTitle.in_lang(lang) }</h2>
            <form id="period-form" class="filters" {onsubmit}>
                <div>
                    <label for="period-from">{ Text::PeriodFrom.in_lang(lang) }</label>
                    <DateInput id="period-from" node={from} value={Some(state.period.from)} />
                </div>
                <div>
                    <label for="period-to">{ Text::PeriodTo.in_lang(lang) }</label>
                    <DateInput id="period-to" node={to} value={Some(state.period.to)} />
                </div>
                <button id="period-apply" class="action" type="submit">{ Text::ShowIndicators.in_lang(lang) }</button>
                <div>
                    <label for="breakdown">{ Text::FieldBreakdown.in_lang(lang) }</label>
                    <select id="breakdown" onchange={on_breakdown}>
                        { option("", Text::BreakdownNone, state.breakdown.is_none()) }
                        { option("officer", Text::BreakdownOfficer, state.breakdown == Some(Breakdown::Officer)) }
                        { option("procedure", Text::BreakdownProcedure, state.breakdown == Some(Breakdown::Procedure)) }
                    </select>
                </div>
                <button id="save-report" class="action" type="button" onclick={save}>{ Text::SaveReport.in_lang(lang) }</button>
            </form>
            { for state.report.as_ref().map(|saved| html! {
                <p id="report-saved" class="success" role="status">{ i18n::form_saved(lang, &saved.path, saved.opened) }</p>
            }) }
            { match &state.indicators {
                None => html! { <p class="empty" aria-busy="true">{ Text::Loading.in_lang(lang) }</p> },
                Some(indicators) => indicators_view(lang, &desk, indicators),
            } }
        </div>
    }
}

fn indicators_view(lang: Language, desk: &DeskContext, indicators: &Indicators) -> Html {
    let unit = &indicators.unit;
    let rows = unit.indicators.iter().map(|i| {
        html! {
            <tr data-code={i.code.number()}>
                <th scope="row">{ i18n::indicator_label(lang, i.code) }</th>
                <td class="met">{ format!("{} / {}", i.met, i.counted) }</td>
                <td class="rate">{ percent(lang, i.rate) }</td>
                <td class="points">{ points(lang, i.points, i.max_points) }</td>
            </tr>
        }
    });
    let by = (!indicators.by.is_empty()).then(|| breakdown_table(lang, desk, &indicators.by));
    html! {
        <>
            // The scoring rules' version is for whoever replaces the catalogue, not for reading.
            <p id="indicators-summary" class="muted" data-scoring-version={indicators.scoring_version.clone()}>
                { format!("{}: {} · {}: {} · {}",
                    Text::ColumnReceivedCount.in_lang(lang), unit.received,
                    Text::JudgedAt.in_lang(lang), format_local(indicators.judged_at),
                    Text::ScoringVersion.in_lang(lang)) }
            </p>
            <table id="indicators" class="table">
                <thead>
                    <tr>
                        <th scope="col">{ Text::ColumnIndicator.in_lang(lang) }</th>
                        <th scope="col">{ Text::ColumnMetCounted.in_lang(lang) }</th>
                        <th scope="col">{ Text::ColumnRate.in_lang(lang) }</th>
                        <th scope="col">{ Text::ColumnPoints.in_lang(lang) }</th>
                    </tr>
                </thead>
                <tbody>{ for rows }</tbody>
            </table>
            { for by }
            <WeekChart weeks={indicators.weeks.clone()} {lang} />
        </>
    }
}

fn breakdown_table(lang: Language, desk: &DeskContext, sets: &[IndicatorSet]) -> Html {
    let codes: Vec<_> = sets
        .first()
        .map(|s| s.indicators.iter().map(|i| i.code).collect())
        .unwrap_or_default();
    let rows = sets.iter().map(|set| {
        let name = if set.key.is_empty() {
            Text::UnknownOfficer.in_lang(lang).to_owned()
        } else if desk.procedures.iter().any(|p| p.code == set.key) {
            format!("{} {}", set.key, desk.procedure_name(&set.key))
        } else {
            set.key.clone()
        };
        html! {
            <tr data-key={set.key.clone()}>
                <th scope="row">{ name }</th>
                <td>{ set.received }</td>
                { for set.indicators.iter().map(|i| html! { <td class="rate">{ percent(lang, i.rate) }</td> }) }
            </tr>
        }
    });
    html! {
        <table id="indicators-by" class="table">
            <thead>
                <tr>
                    <th scope="col"></th>
                    <th scope="col">{ Text::ColumnReceivedCount.in_lang(lang) }</th>
                    { for codes.iter().map(|c| html! { <th scope="col" title={i18n::indicator_label(lang, *c)}>{ c.number() }</th> }) }
                </tr>
            </thead>
            <tbody>{ for rows }</tbody>
        </table>
    }
}

/// An officer's view: the dossiers a supervisor returned to them, with the note, and a
/// button to resubmit each once fixed (or to open it at the scan station first).
#[function_component(ReturnedToMe)]
fn returned_to_me() -> Html {
    let desk = use_context::<DeskContext>().expect("inside the desk context");
    let lang = desk.language;
    let state = use_reducer(|| Supervision::returned(today()));
    {
        let dispatcher = state.dispatcher();
        use_effect_with(state.refresh, move |_| {
            spawn_local(async move {
                let filter = Default::default();
                dispatcher.dispatch(match ipc::queue(Queue::Rework, &filter).await {
                    Ok(items) => SuperviseAction::QueueLoaded {
                        queue: Queue::Rework,
                        filter,
                        items,
                    },
                    Err(e) => SuperviseAction::Failed(e),
                });
            });
        });
    }
    let body = match &state.items {
        None => html! { <p class="empty" aria-busy="true">{ Text::Loading.in_lang(lang) }</p> },
        Some(items) if items.is_empty() => {
            html! { <p id="rework-empty" class="empty">{ Text::ReworkEmpty.in_lang(lang) }</p> }
        }
        Some(items) => {
            let rows = items.iter().map(|item| {
                let d = &item.dossier;
                let key = d.key();
                let resubmit = {
                    let (state, key) = (state.clone(), key.clone());
                    Callback::from(move |_: MouseEvent| {
                        let (state, key) = (state.clone(), key.clone());
                        spawn_local(async move {
                            let decision = ReviewDecision::Resubmit;
                            state.dispatch(match ipc::decide(&key, decision, None).await {
                                Ok(_) => SuperviseAction::Decided { dossier: key, decision },
                                Err(e) => SuperviseAction::Failed(e),
                            });
                        });
                    })
                };
                let digitise = {
                    let (desk, key) = (desk.clone(), key.clone());
                    Callback::from(move |_: MouseEvent| desk.dispatch(Action::Digitise(Some(key.clone()))))
                };
                html! {
                    <tr class="rework-row" key={d.id.0.clone()} data-code={key.clone()}>
                        <td class="code">{ d.code.clone().unwrap_or_else(|| Text::NoCode.in_lang(lang).to_owned()) }</td>
                        <td class="received">{ format_local(d.received_at) }</td>
                        <td class="procedure"><span class="code">{ &d.procedure_code }</span>{ " " }{ desk.procedure_name(&d.procedure_code) }</td>
                        <td class="applicant">{ &d.applicant_name }</td>
                        <td class="note">{ item.note.clone().unwrap_or_default() }</td>
                        <td class="row-actions">
                            <button class="action digitise" onclick={digitise}>{ Text::DigitiseOpen.in_lang(lang) }</button>
                            <button class="primary resubmit" onclick={resubmit}>{ Text::ResubmitButton.in_lang(lang) }</button>
                        </td>
                    </tr>
                }
            });
            html! {
                <table id="rework-list" class="table">
                    <thead>
                        <tr>
                            <th scope="col">{ Text::ColumnCode.in_lang(lang) }</th>
                            <th scope="col">{ Text::ColumnReceived.in_lang(lang) }</th>
                            <th scope="col">{ Text::ColumnProcedure.in_lang(lang) }</th>
                            <th scope="col">{ Text::ColumnApplicant.in_lang(lang) }</th>
                            <th scope="col">{ Text::ColumnNote.in_lang(lang) }</th>
                            <th scope="col">{ Text::Actions.in_lang(lang) }</th>
                        </tr>
                    </thead>
                    <tbody>{ for rows }</tbody>
                </table>
            }
        }
    };
    html! {
        <section id="supervise" class="supervise returned">
            <h1>{ i18n::queue_label(lang, Queue::Rework) }</h1>
            <p class="hint">{ Text::ReworkHint.in_lang(lang) }</p>
            { for state.done.as_ref().map(|d| done_line(lang, d)) }
            { for state.error.as_ref().map(|e| html! {
                <p id="supervise-error" class="form-error" role="alert">{ i18n::error_text(lang, e) }</p>
            }) }
            { body }
        </section>
    }
}
