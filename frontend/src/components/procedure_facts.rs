//! Beside the intake form: what the chosen procedure asks for, its fee, and when a dossier
//! received now would be due.

use hoso_model::Text;
use hoso_model::calendar::due::due_at;
use hoso_model::procedure::Fee;
use hoso_model::time::{format_local, from_local, to_local};
use yew::prelude::*;

use crate::state::DeskContext;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The procedure's code; nothing is shown for one the catalogue does not hold.
    pub code: String,
}

#[function_component(ProcedureFacts)]
pub fn procedure_facts(props: &Props) -> Html {
    let desk = use_context::<DeskContext>().expect("inside the desk context");
    let lang = desk.language;
    let Some(p) = desk.procedures.iter().find(|p| p.code == props.code) else {
        return html! {};
    };
    let now = jiff::Timestamp::from_millisecond(js_sys::Date::now() as i64).unwrap_or_default();
    let hours = desk
        .unit
        .as_ref()
        .map(|u| u.office_hours.clone())
        .unwrap_or_default();
    let due = desk
        .calendar
        .as_ref()
        .and_then(|cal| due_at(cal, &hours, &p.due, to_local(now), &[]))
        .and_then(from_local);
    let components = p.components.iter().map(|c| {
        let mut notes = vec![format!(
            "{} {}, {} {}",
            Text::Originals.in_lang(lang),
            c.originals,
            Text::Copies.in_lang(lang),
            c.copies
        )];
        if c.show_only {
            notes = vec![Text::ShowOnly.in_lang(lang).to_owned()];
        }
        if !c.required {
            notes.push(Text::Optional.in_lang(lang).to_owned());
        }
        html! { <li>{ &c.name }<span class="muted">{ format!(" ({})", notes.join("; ")) }</span></li> }
    });
    // An unknown fee is a blank on the paper form, never dots on the screen.
    let fee = match p.fee {
        Fee::Unknown => Text::FeeUnknown.in_lang(lang).to_owned(),
        fee => fee.describe(),
    };
    html! {
        <div id="procedure-facts" class="facts-box">
            <p>{ Text::DuePreview.in_lang(lang) }{ ": " }
                <strong id="due-preview">{ due.map(format_local).unwrap_or_else(|| "—".to_owned()) }</strong></p>
            <p id="procedure-fee">{ Text::FeeTitle.in_lang(lang) }{ ": " }{ fee }</p>
            <p class="components-title">{ Text::ComponentsTitle.in_lang(lang) }{ ":" }</p>
            <ul id="components">{ for components }</ul>
        </div>
    }
}
