//! Tìm hồ sơ: a search box over the desk's dossiers, by the applicant's name (with or without
//! diacritics), the tail of the code ("0012"), an ID card or phone number. Move with ↑/↓, choose
//! with Enter; the chosen dossier shows in the box by its code and name.

use hoso_model::{Dossier, Text};
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, KeyboardEvent};
use yew::prelude::*;

use crate::ipc;
use crate::state::DeskContext;

/// How many matches are listed at once.
const SHOWN: usize = 8;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The chosen dossier (code or id), if any.
    pub value: Option<String>,
    pub on_choose: Callback<String>,
    pub input_ref: NodeRef,
}

#[function_component(DossierFinder)]
pub fn dossier_finder(props: &Props) -> Html {
    let desk = use_context::<DeskContext>().expect("inside the desk context");
    let lang = desk.language;
    // What the officer is typing; `None` while the box shows the chosen dossier.
    let typing = use_state(|| None::<String>);
    let matches = use_state(Vec::<Dossier>::new);
    let highlighted = use_state(|| 0usize);
    // The chosen dossier, as the box shows it.
    let chosen = use_state(|| None::<Dossier>);
    // Answers to older queries are dropped: only the latest typed text counts.
    let asked = use_mut_ref(|| 0u32);

    {
        let chosen = chosen.clone();
        use_effect_with(props.value.clone(), move |key| {
            let key = key.clone();
            spawn_local(async move {
                let found = match key {
                    Some(key) => ipc::dossier_detail(&key).await.ok().map(|d| d.dossier),
                    None => None,
                };
                chosen.set(found);
            });
        });
    }

    let choose = {
        let (typing, highlighted, matches, on_choose) = (
            typing.clone(),
            highlighted.clone(),
            matches.clone(),
            props.on_choose.clone(),
        );
        Callback::from(move |key: String| {
            typing.set(None);
            matches.set(Vec::new());
            highlighted.set(0);
            on_choose.emit(key);
        })
    };
    let oninput = {
        let (typing, highlighted, matches, asked) = (
            typing.clone(),
            highlighted.clone(),
            matches.clone(),
            asked.clone(),
        );
        Callback::from(move |e: InputEvent| {
            let query = e.target_unchecked_into::<HtmlInputElement>().value();
            typing.set(Some(query.clone()));
            highlighted.set(0);
            let n = {
                let mut asked = asked.borrow_mut();
                *asked += 1;
                *asked
            };
            let (matches, asked) = (matches.clone(), asked.clone());
            spawn_local(async move {
                let found = if query.trim().is_empty() {
                    Vec::new()
                } else {
                    ipc::search(query.trim()).await.unwrap_or_default()
                };
                if *asked.borrow() == n {
                    matches.set(found.into_iter().take(SHOWN).collect());
                }
            });
        })
    };
    let onkeydown = {
        let (highlighted, choose, typing, matches) = (
            highlighted.clone(),
            choose.clone(),
            typing.clone(),
            matches.clone(),
        );
        Callback::from(move |e: KeyboardEvent| {
            let keys: Vec<String> = matches.iter().map(Dossier::key).collect();
            match e.key().as_str() {
                "ArrowDown" if !keys.is_empty() => {
                    e.prevent_default();
                    highlighted.set((*highlighted + 1).min(keys.len() - 1));
                }
                "ArrowUp" if !keys.is_empty() => {
                    e.prevent_default();
                    highlighted.set(highlighted.saturating_sub(1));
                }
                "Enter" => {
                    e.prevent_default();
                    if let Some(key) = keys.get((*highlighted).min(keys.len().saturating_sub(1))) {
                        choose.emit(key.clone());
                    } else if let Some(text) = typing.as_deref().map(str::trim)
                        && !text.is_empty()
                    {
                        // A whole code or id typed before the list came: opened as it is.
                        choose.emit(text.to_owned());
                    }
                }
                "Escape" => {
                    typing.set(None);
                    matches.set(Vec::new());
                }
                _ => {}
            }
        })
    };
    let onblur = {
        let (typing, matches) = (typing.clone(), matches.clone());
        Callback::from(move |_: FocusEvent| {
            typing.set(None);
            matches.set(Vec::new());
        })
    };

    // Focused, the whole text is selected: typing replaces the chosen dossier's name.
    let onfocus = Callback::from(|e: FocusEvent| {
        e.target_unchecked_into::<HtmlInputElement>().select();
    });

    let shown_value = match (&*typing, &*chosen) {
        (Some(text), _) => text.clone(),
        (None, Some(d)) => format!(
            "{} — {}",
            d.code.as_deref().unwrap_or(Text::NoCode.in_lang(lang)),
            d.applicant_name
        ),
        (None, None) => props.value.clone().unwrap_or_default(),
    };
    let options = matches.iter().enumerate().map(|(i, d)| {
        let onmousedown = {
            let (choose, key) = (choose.clone(), d.key());
            Callback::from(move |e: MouseEvent| {
                e.prevent_default();
                choose.emit(key.clone());
            })
        };
        let current = i == *highlighted;
        html! {
            <li class={classes!("option", current.then_some("highlighted"))} role="option"
                aria-selected={current.to_string()} data-key={d.key()} {onmousedown}>
                <span class="code">{ d.code.clone().unwrap_or_else(|| Text::NoCode.in_lang(lang).to_owned()) }</span>
                { " " }{ &d.applicant_name }
                <span class="muted">{ format!(" · {}", desk.procedure_name(&d.procedure_code)) }</span>
            </li>
        }
    });
    let open = !matches.is_empty() && typing.is_some();
    html! {
        <div class="picker finder">
            <input id="scan-dossier" ref={props.input_ref.clone()} type="text" role="combobox" autocomplete="off"
                spellcheck="false" aria-expanded={open.to_string()} aria-controls="scan-dossier-options"
                placeholder={Text::FindDossierHint.in_lang(lang)}
                value={shown_value} {oninput} {onkeydown} {onfocus} {onblur} />
            if open {
                <ul id="scan-dossier-options" class="options" role="listbox">{ for options }</ul>
            }
        </div>
    }
}
