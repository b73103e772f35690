//! Tiếp nhận: register a dossier at the counter, by keyboard alone. The form is checked here with
//! the same rules the desk applies (they are the shared `hoso-model` code), so a mistake is shown
//! at once, and checked again by the desk when saved.

use hoso_model::calendar::due::due_at;
use hoso_model::time::{format_local, from_local, to_local};
use hoso_model::{ApiError, Channel, Dossier, Field, NewDossier, Text, i18n};
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::ProcedurePicker;
use crate::components::focus;
use crate::ipc;
use crate::state::Action;
use crate::state::DeskContext;

#[function_component(IntakePage)]
pub fn intake_page() -> Html {
    let desk = use_context::<DeskContext>().expect("inside the desk context");
    let lang = desk.language;
    let form = use_state(NewDossier::default);
    let error = use_state(|| None::<ApiError>);
    let saved = use_state(|| None::<Dossier>);
    let busy = use_state(|| false);
    let procedure_ref = use_node_ref();
    let name_ref = use_node_ref();

    let focus_field = {
        let procedure_ref = procedure_ref.clone();
        let name_ref = name_ref.clone();
        move |err: &ApiError| match err.field {
            Some(Field::ApplicantName) => focus(&name_ref),
            _ => focus(&procedure_ref),
        }
    };

    let on_procedure = {
        let (form, name_ref) = (form.clone(), name_ref.clone());
        Callback::from(move |code: String| {
            form.set(NewDossier {
                procedure_code: code,
                ..(*form).clone()
            });
            focus(&name_ref);
        })
    };
    let on_name = {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            form.set(NewDossier {
                applicant_name: input.value(),
                ..(*form).clone()
            });
        })
    };

    // One handler per optional text field: it copies the input's value into the form.
    let text_field = |set: fn(&mut NewDossier, String)| {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            let mut next = (*form).clone();
            set(
                &mut next,
                e.target_unchecked_into::<HtmlInputElement>().value(),
            );
            form.set(next);
        })
    };
    let on_channel = {
        let form = form.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let channel = Channel::from_name(&select.value()).unwrap_or_default();
            form.set(NewDossier {
                channel,
                ..(*form).clone()
            });
        })
    };

    let on_submit = {
        let (form, error, saved, busy, desk) = (
            form.clone(),
            error.clone(),
            saved.clone(),
            busy.clone(),
            desk.clone(),
        );
        let name_ref = name_ref.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let submitted = (*form).clone();
            if let Err(err) = submitted.validate(&desk.procedures) {
                focus_field(&err);
                error.set(Some(err));
                return;
            }
            busy.set(true);
            let (form, error, saved, busy, desk) = (
                form.clone(),
                error.clone(),
                saved.clone(),
                busy.clone(),
                desk.clone(),
            );
            let focus_field = focus_field.clone();
            let name_ref = name_ref.clone();
            spawn_local(async move {
                match ipc::register_dossier(&submitted).await {
                    Ok(dossier) => {
                        desk.dispatch(Action::DossierSaved(dossier.clone()));
                        saved.set(Some(dossier));
                        error.set(None);
                        // The next citizen often files the same procedure: keep it, clear the name.
                        form.set(NewDossier {
                            procedure_code: submitted.procedure_code,
                            ..Default::default()
                        });
                        focus(&name_ref);
                    }
                    Err(err) => {
                        focus_field(&err);
                        error.set(Some(err));
                    }
                }
                busy.set(false);
            });
        })
    };

    let field_error = |field: Field| -> Html {
        match &*error {
            Some(err) if err.field == Some(field) => html! {
                <p class="field-error" id={format!("{}-error", field_id(field))} role="alert">{ i18n::error_text(lang, err) }</p>
            },
            _ => html! {},
        }
    };
    let other_error = match &*error {
        Some(err) if err.field.is_none() => html! {
            <p class="form-error" id="intake-error" role="alert">{ i18n::error_text(lang, err) }</p>
        },
        _ => html! {},
    };
    let invalid = |field: Field| {
        error
            .as_ref()
            .is_some_and(|e| e.field == Some(field))
            .then_some("true")
    };

    // What the chosen procedure asks for, and when a dossier received now would be due.
    let facts = desk.procedures.iter().find(|p| p.code == form.procedure_code).map(|p| {
        let now = jiff::Timestamp::from_millisecond(js_sys::Date::now() as i64).unwrap_or_default();
        let hours = desk.unit.as_ref().map(|u| u.office_hours.clone()).unwrap_or_default();
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
        html! {
            <div id="procedure-facts" class="facts-box">
                <p>{ Text::DuePreview.in_lang(lang) }{ ": " }
                    <strong id="due-preview">{ due.map(format_local).unwrap_or_else(|| "—".to_owned()) }</strong></p>
                <p>{ Text::FeeTitle.in_lang(lang) }{ ": " }{ p.fee.describe() }</p>
                <p class="components-title">{ Text::ComponentsTitle.in_lang(lang) }{ ":" }</p>
                <ul id="components">{ for components }</ul>
            </div>
        }
    });

    let confirmation = saved.as_ref().map(|d| {
        html! {
            <p id="intake-saved" class="success" role="status">
                { Text::DossierSaved.in_lang(lang) }{ " " }
                <strong id="intake-saved-code">{ d.code.clone().unwrap_or_else(|| Text::NoCode.in_lang(lang).to_owned()) }</strong>{ " · " }
                <strong>{ &d.applicant_name }</strong>
                { format!(" · {} · {}", desk.procedure_name(&d.procedure_code), format_local(d.received_at)) }
                <br />{ Text::ColumnDue.in_lang(lang) }{ ": " }
                <strong id="intake-saved-due">{ d.due_at.map(format_local).unwrap_or_default() }</strong>
            </p>
        }
    });

    html! {
        <section class="intake">
            <h1>{ Text::IntakeTitle.in_lang(lang) }</h1>
            <p class="hint">{ Text::IntakeHint.in_lang(lang) }</p>
            if desk.unit.is_none() {
                <p id="unit-missing" class="notice">{ Text::UnitMissing.in_lang(lang) }</p>
            }
            <div class="intake-grid">
            <form id="intake-form" class="form" onsubmit={on_submit} novalidate=true>
                <label for="procedure">{ Text::FieldProcedure.in_lang(lang) }</label>
                <ProcedurePicker value={form.procedure_code.clone()} on_choose={on_procedure}
                    input_ref={procedure_ref} invalid={invalid(Field::Procedure).is_some()} autofocus=true />
                { field_error(Field::Procedure) }

                <label for="applicant-name">{ Text::FieldApplicantName.in_lang(lang) }</label>
                <input
                    id="applicant-name"
                    ref={name_ref}
                    type="text"
                    autocomplete="off"
                    spellcheck="false"
                    maxlength="200"
                    value={form.applicant_name.clone()}
                    oninput={on_name}
                    aria-invalid={invalid(Field::ApplicantName)}
                />
                { field_error(Field::ApplicantName) }

                <div class="row">
                    <div>
                        <label for="id-number">{ Text::FieldIdNumber.in_lang(lang) }</label>
                        <input id="id-number" type="text" inputmode="numeric" autocomplete="off" maxlength="20"
                            value={form.id_number.clone()} oninput={text_field(|f, v| f.id_number = v)}
                            aria-invalid={invalid(Field::IdNumber)} />
                        { field_error(Field::IdNumber) }
                    </div>
                    <div>
                        <label for="phone">{ Text::FieldPhone.in_lang(lang) }</label>
                        <input id="phone" type="text" inputmode="tel" autocomplete="off" maxlength="20"
                            value={form.phone.clone()} oninput={text_field(|f, v| f.phone = v)}
                            aria-invalid={invalid(Field::Phone)} />
                        { field_error(Field::Phone) }
                    </div>
                </div>
                <label for="address">{ Text::FieldAddress.in_lang(lang) }</label>
                <input id="address" type="text" autocomplete="off" maxlength="300"
                    value={form.address.clone()} oninput={text_field(|f, v| f.address = v)}
                    aria-invalid={invalid(Field::Address)} />
                { field_error(Field::Address) }
                <div class="row">
                    <div>
                        <label for="email">{ Text::FieldEmail.in_lang(lang) }</label>
                        <input id="email" type="text" autocomplete="off" maxlength="254"
                            value={form.email.clone()} oninput={text_field(|f, v| f.email = v)}
                            aria-invalid={invalid(Field::Email)} />
                        { field_error(Field::Email) }
                    </div>
                    <div>
                        <label for="channel">{ Text::FieldChannel.in_lang(lang) }</label>
                        <select id="channel" onchange={on_channel}>
                            { for Channel::ALL.iter().map(|c| html! {
                                <option value={c.name()} selected={form.channel == *c}>{ i18n::channel_label(lang, *c) }</option>
                            }) }
                        </select>
                    </div>
                </div>

                { other_error }
                <button id="save-dossier" type="submit" class="primary" disabled={*busy}>
                    { if *busy { Text::Saving.in_lang(lang) } else { Text::SaveDossier.in_lang(lang) } }
                    <kbd>{ "Enter" }</kbd>
                </button>
            </form>
            <aside class="intake-side">{ for facts }</aside>
            </div>
            { for confirmation }
        </section>
    }
}

fn field_id(field: Field) -> &'static str {
    match field {
        Field::Procedure => "procedure",
        Field::ApplicantName => "applicant-name",
        Field::IdNumber => "id-number",
        Field::Phone => "phone",
        Field::Address => "address",
        Field::Email => "email",
        // The intake form has no other field; the desk never names one for it.
        _ => "intake-field",
    }
}
