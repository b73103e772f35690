//! A day typed as Vietnamese write it, `dd/mm/yyyy`, whatever the system's locale. A browser's
//! date input follows the locale (month first under English), so the desk uses a text box
//! for numbers instead, read with [`hoso_model::time::parse_day`] (which also takes `3/2/2026`,
//! `03-02-2026`, `03.02.2026` and ISO `2026-02-03`). What was typed is written back day first
//! when the box is left, if it reads as a day.

use hoso_model::time::{format_day, parse_day};
use jiff::civil::Date;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The placeholder, the same in both languages: the order of the numbers is what matters.
pub const DAY_PLACEHOLDER: &str = "dd/mm/yyyy";

#[derive(Properties, PartialEq)]
pub struct DateInputProps {
    /// The box's id, kept stable for its label and the tests.
    pub id: AttrValue,
    /// Where the form reads the box from.
    pub node: NodeRef,
    /// The day shown, written into the box when it first shows and whenever it changes (not
    /// at every redraw, which would throw away what is being typed).
    #[prop_or_default]
    pub value: Option<Date>,
}

#[function_component(DateInput)]
pub fn date_input(props: &DateInputProps) -> Html {
    {
        let node = props.node.clone();
        use_effect_with(props.value, move |value| {
            if let Some(input) = node.cast::<HtmlInputElement>() {
                input.set_value(&value.map(format_day).unwrap_or_default());
            }
        });
    }
    let onchange = Callback::from(|e: Event| {
        let input = e.target_unchecked_into::<HtmlInputElement>();
        if let Some(day) = parse_day(&input.value()) {
            input.set_value(&format_day(day));
        }
    });
    html! {
        <input id={props.id.clone()} ref={props.node.clone()} type="text" inputmode="numeric"
            class="day" maxlength="10" size="10" placeholder={DAY_PLACEHOLDER}
            autocomplete="off" spellcheck="false" {onchange} />
    }
}

/// Today in Vietnam, from the window's clock.
pub fn today() -> Date {
    let now = jiff::Timestamp::from_millisecond(js_sys::Date::now() as i64)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    hoso_model::time::to_local(now).date()
}
