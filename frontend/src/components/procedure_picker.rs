//! Chọn thủ tục: a search box over the catalogue. Type a code or words (with or without
//! diacritics), move with ↑/↓, choose with Enter; the choice is shown in the box.

use hoso_model::procedure::search;
use hoso_model::{Procedure, Text};
use web_sys::{HtmlInputElement, KeyboardEvent};
use yew::prelude::*;

use crate::state::DeskContext;

/// How many matches are listed at once.
const SHOWN: usize = 8;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The chosen procedure's code, empty if none.
    pub value: String,
    pub on_choose: Callback<String>,
    pub input_ref: NodeRef,
    pub invalid: bool,
    /// Take keyboard focus when first shown.
    #[prop_or_default]
    pub autofocus: bool,
}

fn label(p: &Procedure) -> String {
    format!("{} — {}", p.code, p.name)
}

#[function_component(ProcedurePicker)]
pub fn procedure_picker(props: &Props) -> Html {
    let desk = use_context::<DeskContext>().expect("inside the desk context");
    let lang = desk.language;
    let chosen = desk.procedures.iter().find(|p| p.code == props.value);
    // What the officer is typing; `None` while the box shows the chosen procedure.
    let typing = use_state(|| None::<String>);
    let highlighted = use_state(|| 0usize);

    {
        // Here rather than in the page: the input exists once this component has rendered.
        let (input, autofocus) = (props.input_ref.clone(), props.autofocus);
        use_effect_with((), move |_| {
            if autofocus {
                crate::components::focus(&input);
            }
        });
    }

    let query = typing.as_deref().unwrap_or("");
    let matches: Vec<&Procedure> = if typing.is_some() {
        search(&desk.procedures, query)
            .into_iter()
            .take(SHOWN)
            .collect()
    } else {
        Vec::new()
    };
    {
        // The box is the officer's while they type: the window writes into it only when they
        // are not typing (the chosen procedure's label, or nothing). A value set at every
        // redraw would race the keys of a fast typist and drop some.
        let input = props.input_ref.clone();
        let shown = match (typing.is_some(), chosen) {
            (true, _) => None,
            (false, Some(p)) => Some(label(p)),
            (false, None) => Some(String::new()),
        };
        use_effect_with(shown, move |shown| {
            if let (Some(text), Some(input)) = (shown, input.cast::<HtmlInputElement>()) {
                input.set_value(text);
            }
        });
    }

    let choose = {
        let (typing, highlighted, on_choose) =
            (typing.clone(), highlighted.clone(), props.on_choose.clone());
        Callback::from(move |code: String| {
            typing.set(None);
            highlighted.set(0);
            on_choose.emit(code);
        })
    };
    let oninput = {
        let (typing, highlighted) = (typing.clone(), highlighted.clone());
        Callback::from(move |e: InputEvent| {
            typing.set(Some(e.target_unchecked_into::<HtmlInputElement>().value()));
            highlighted.set(0);
        })
    };
    let onkeydown = {
        let (highlighted, choose, typing) = (highlighted.clone(), choose.clone(), typing.clone());
        let codes: Vec<String> = matches.iter().map(|p| p.code.clone()).collect();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            // ↓ in the box opens the whole list; focus alone does not, so the list never covers
            // the errors under the form.
            "ArrowDown" if typing.is_none() => {
                e.prevent_default();
                typing.set(Some(String::new()));
            }
            "ArrowDown" if !codes.is_empty() => {
                e.prevent_default();
                highlighted.set((*highlighted + 1).min(codes.len() - 1));
            }
            "ArrowUp" if !codes.is_empty() => {
                e.prevent_default();
                highlighted.set(highlighted.saturating_sub(1));
            }
            "Enter" if !codes.is_empty() => {
                // Choosing, not submitting the form.
                e.prevent_default();
                choose.emit(codes[(*highlighted).min(codes.len() - 1)].clone());
            }
            "Escape" => typing.set(None),
            _ => {}
        })
    };

    // Focused, the whole text is selected: typing replaces the procedure shown.
    let onfocus = Callback::from(|e: FocusEvent| {
        e.target_unchecked_into::<HtmlInputElement>().select();
    });

    let options = matches.iter().enumerate().map(|(i, p)| {
        let onmousedown = {
            let (choose, code) = (choose.clone(), p.code.clone());
            Callback::from(move |e: MouseEvent| {
                e.prevent_default();
                choose.emit(code.clone());
            })
        };
        let current = i == *highlighted;
        html! {
            <li class={classes!("option", current.then_some("highlighted"))} role="option"
                aria-selected={current.to_string()} data-code={p.code.clone()} {onmousedown}>
                <span class="code">{ &p.code }</span>{ " " }{ &p.name }
            </li>
        }
    });

    html! {
        <div class="picker">
            <input id="procedure" ref={props.input_ref.clone()} type="text" role="combobox" autocomplete="off"
                aria-expanded={(!matches.is_empty()).to_string()} aria-controls="procedure-options"
                aria-invalid={props.invalid.then_some("true")}
                placeholder={Text::ChooseProcedure.in_lang(lang)}
                {oninput} {onkeydown} {onfocus} />
            if !matches.is_empty() {
                <ul id="procedure-options" class="options" role="listbox">{ for options }</ul>
            }
        </div>
    }
}
