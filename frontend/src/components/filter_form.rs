//! Which dossiers to look at: the officer who received them, the procedure, the received days.
//! Used by the supervisor's backlog and by the dossier list; the fields show the filter applied,
//! days written day first.

use hoso_model::supervision::BacklogFilter;
use hoso_model::{ApiError, Text};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::DateInput;
use crate::state::DeskContext;

#[derive(Properties, PartialEq)]
pub struct FilterFormProps {
    /// The form's id (the fields' own ids are the same on every page: one page shows at a time).
    pub form_id: AttrValue,
    /// The filter in force, shown in the fields.
    pub applied: BacklogFilter,
    /// The filter read from the fields, or why it cannot be (a date after the other); the
    /// default filter when cleared.
    pub on_apply: Callback<Result<BacklogFilter, ApiError>>,
}

fn value(node: &NodeRef) -> String {
    node.cast::<HtmlInputElement>()
        .map(|i| i.value())
        .unwrap_or_default()
}

fn set_value(node: &NodeRef, text: &str) {
    if let Some(input) = node.cast::<HtmlInputElement>() {
        input.set_value(text);
    }
}

#[function_component(FilterForm)]
pub fn filter_form(props: &FilterFormProps) -> Html {
    let desk = use_context::<DeskContext>().expect("inside the desk context");
    let lang = desk.language;
    let (officer, procedure, from, to) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    let onsubmit = {
        let on_apply = props.on_apply.clone();
        let (officer, procedure, from, to) =
            (officer.clone(), procedure.clone(), from.clone(), to.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            on_apply.emit(crate::state::supervise::filter_from(
                &value(&officer),
                &value(&procedure),
                &value(&from),
                &value(&to),
            ));
        })
    };
    let clear = {
        let on_apply = props.on_apply.clone();
        let fields = [officer.clone(), procedure.clone(), from.clone(), to.clone()];
        Callback::from(move |_: MouseEvent| {
            for field in &fields {
                set_value(field, "");
            }
            on_apply.emit(Ok(BacklogFilter::default()));
        })
    };
    let applied = &props.applied;
    html! {
        <form id={props.form_id.clone()} class="filters" {onsubmit}>
            <div>
                <label for="filter-officer">{ Text::FilterOfficer.in_lang(lang) }</label>
                <input id="filter-officer" ref={officer} type="text" autocomplete="off" value={applied.officer.clone().unwrap_or_default()} />
            </div>
            <div>
                <label for="filter-procedure">{ Text::FilterProcedure.in_lang(lang) }</label>
                <input id="filter-procedure" ref={procedure} type="text" list="filter-procedures" autocomplete="off"
                    value={applied.procedure.clone().unwrap_or_default()} />
                <datalist id="filter-procedures">
                    { for desk.procedures.iter().map(|p| html! { <option value={p.code.clone()}>{ &p.name }</option> }) }
                </datalist>
            </div>
            <div>
                <label for="filter-from">{ Text::FilterReceivedFrom.in_lang(lang) }</label>
                <DateInput id="filter-from" node={from} value={applied.from} />
            </div>
            <div>
                <label for="filter-to">{ Text::FilterReceivedTo.in_lang(lang) }</label>
                <DateInput id="filter-to" node={to} value={applied.to} />
            </div>
            <button id="filter-apply" class="action" type="submit">{ Text::FilterApply.in_lang(lang) }</button>
            <button id="filter-clear" class="link" type="button" onclick={clear}>{ Text::FilterClear.in_lang(lang) }</button>
        </form>
    }
}
