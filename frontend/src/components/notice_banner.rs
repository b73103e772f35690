//! A message the officer must read once, e.g. that a damaged data file was moved aside.

use hoso_model::i18n;
use hoso_model::ipc::Notice;
use yew::prelude::*;

use crate::state::Action;
use crate::state::DeskContext;

#[function_component(NoticeBanner)]
pub fn notice_banner() -> Html {
    let desk = use_context::<DeskContext>().expect("inside the desk context");
    let Some(notice) = &desk.notice else {
        return html! {};
    };
    let text = match notice {
        Notice::MovedAside { kept_at } => i18n::moved_aside_notice(desk.language, kept_at),
        Notice::Damaged { kept_at } => i18n::damaged_notice(desk.language, kept_at),
    };
    let dismiss = {
        let desk = desk.clone();
        Callback::from(move |_| desk.dispatch(Action::DismissNotice))
    };
    html! {
        <div id="notice" class="notice" role="alert">
            <p>{ text }</p>
            <button onclick={dismiss}>{ "OK" }</button>
        </div>
    }
}
