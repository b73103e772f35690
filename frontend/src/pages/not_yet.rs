//! A screen whose feature is not in this version: it says so plainly rather than pretending.

use hoso_model::Text;
use yew::prelude::*;

use crate::app::DeskContext;
use crate::state::Page;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub page: Page,
}

#[function_component(NotYetPage)]
pub fn not_yet_page(props: &Props) -> Html {
    let desk = use_context::<DeskContext>().expect("inside the desk context");
    let lang = desk.language;
    html! {
        <section class="not-yet">
            <h1>{ props.page.label().in_lang(lang) }</h1>
            <p class="empty">{ Text::NotInThisVersion.in_lang(lang) }</p>
        </section>
    }
}
