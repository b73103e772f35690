//! The navigation bar: one button per screen, each with its Alt+digit shortcut.

use yew::prelude::*;

use crate::state::DeskContext;
use crate::state::{Action, Page};

#[function_component(NavBar)]
pub fn nav_bar() -> Html {
    let desk = use_context::<DeskContext>().expect("inside the desk context");
    let lang = desk.language;
    let buttons = Page::ALL.iter().map(|&page| {
        let onclick = {
            let desk = desk.clone();
            Callback::from(move |_| desk.dispatch(Action::Navigate(page)))
        };
        let current = desk.page == page;
        html! {
            <button
                id={format!("nav-{}", page.slug())}
                class={classes!("nav-item", current.then_some("current"))}
                aria-current={current.then_some("page")}
                {onclick}
            >
                <span class="nav-label">{ page.label().in_lang(lang) }</span>
                <kbd class="nav-key">{ format!("Alt+{}", page.number()) }</kbd>
            </button>
        }
    });
    html! {
        <nav class="nav-bar" aria-label={hoso_model::Text::AppName.in_lang(lang)}>
            <div class="brand">
                <img src="icon.png" alt="" width="32" height="32" />
                <span>{ hoso_model::Text::AppName.in_lang(lang) }</span>
            </div>
            { for buttons }
        </nav>
    }
}
