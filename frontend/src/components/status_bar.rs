//! The status bar: network and sync state, and the shortcuts to remember.

use hoso_model::Text;
use yew::prelude::*;

use crate::app::DeskContext;

#[function_component(StatusBar)]
pub fn status_bar() -> Html {
    let desk = use_context::<DeskContext>().expect("inside the desk context");
    let lang = desk.language;
    let (network_class, network) = if desk.online {
        ("online", Text::NetworkOnline)
    } else {
        ("offline", Text::NetworkOffline)
    };
    html! {
        <footer class="status-bar">
            <span id="status-network" class={classes!("status", network_class)} role="status">
                <span class="dot" aria-hidden="true"></span>{ network.in_lang(lang) }
            </span>
            <span id="status-sync" class="status">{ Text::SyncNotSetUp.in_lang(lang) }</span>
            <span class="status hint">{ Text::ShortcutsHint.in_lang(lang) }</span>
        </footer>
    }
}
