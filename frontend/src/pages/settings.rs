//! Cài đặt: the interface language (remembered by the desk).

use hoso_model::{ApiError, Language, Text, i18n};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::app::DeskContext;
use crate::ipc;
use crate::state::Action;

#[function_component(SettingsPage)]
pub fn settings_page() -> Html {
    let desk = use_context::<DeskContext>().expect("inside the desk context");
    let lang = desk.language;
    let error = use_state(|| None::<ApiError>);

    let choices = Language::ALL.iter().map(|&choice| {
        let onchange = {
            let (desk, error) = (desk.clone(), error.clone());
            Callback::from(move |_: Event| {
                let (desk, error) = (desk.clone(), error.clone());
                spawn_local(async move {
                    match ipc::set_language(choice).await {
                        Ok(settings) => {
                            error.set(None);
                            desk.dispatch(Action::LanguageChanged(settings.language));
                        }
                        Err(err) => error.set(Some(err)),
                    }
                });
            })
        };
        html! {
            <label class="choice">
                <input type="radio" name="language" id={format!("language-{}", choice.tag())}
                    value={choice.tag()} checked={lang == choice} {onchange} />
                { choice.native_name() }
            </label>
        }
    });

    html! {
        <section class="settings">
            <h1>{ Text::SettingsTitle.in_lang(lang) }</h1>
            <fieldset class="form">
                <legend>{ Text::FieldLanguage.in_lang(lang) }</legend>
                { for choices }
            </fieldset>
            { for error.as_ref().map(|err| html! { <p class="form-error" role="alert">{ i18n::error_text(lang, err) }</p> }) }
        </section>
    }
}
