//! Cài đặt: the interface language (remembered by the desk) and the receiving unit; my
//! password; for supervisors and administrators the audit log, for administrators the accounts
//! and the safeguards (backups, retention, sync after approval).

use hoso_model::calendar::due::OfficeHours;
use hoso_model::unit::Unit;
use hoso_model::{Account, ApiError, Field, Language, Role, Text, i18n};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::ipc;
use crate::pages::accounts::{AccountsPanel, ChangePasswordForm};
use crate::pages::audit::AuditViewer;
use crate::pages::safeguards::Safeguards;
use crate::state::Action;
use crate::state::DeskContext;

#[function_component(SettingsPage)]
pub fn settings_page() -> Html {
    let desk = use_context::<DeskContext>().expect("inside the desk context");
    let lang = desk.language;
    let error = use_state(|| None::<ApiError>);
    // The desk refuses what a role may not do; the page shows only what it may.
    let role = use_context::<Account>().map(|a| a.role);
    let admin = role == Some(Role::Admin);
    let supervisor = role.is_some_and(|r| r >= Role::Supervisor);

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
            <UnitForm />
            <ChangePasswordForm />
            { for admin.then(|| html! { <AccountsPanel /> }) }
            { for supervisor.then(|| html! { <AuditViewer /> }) }
            { for admin.then(|| html! { <Safeguards /> }) }
        </section>
    }
}

/// The receiving unit's identity and this desk's slot.
#[function_component(UnitForm)]
fn unit_form() -> Html {
    let desk = use_context::<DeskContext>().expect("inside the desk context");
    let lang = desk.language;
    let current = desk.unit.clone().unwrap_or_else(|| Unit {
        code: String::new(),
        name: String::new(),
        governing_body: String::new(),
        device_slot: 0,
        office_hours: Default::default(),
    });
    let hours_text = use_state(|| current.office_hours.describe());
    let form = use_state(|| current);
    let error = use_state(|| None::<ApiError>);
    let saved = use_state(|| false);

    let text_input = |id: &'static str,
                      label: Text,
                      value: String,
                      set: fn(&mut Unit, String),
                      field: Field| {
        let oninput = {
            let form = form.clone();
            Callback::from(move |e: InputEvent| {
                let mut unit = (*form).clone();
                set(
                    &mut unit,
                    e.target_unchecked_into::<HtmlInputElement>().value(),
                );
                form.set(unit);
            })
        };
        let invalid = error
            .as_ref()
            .is_some_and(|e| e.field == Some(field))
            .then_some("true");
        html! {
            <>
                <label for={id}>{ label.in_lang(lang) }</label>
                <input {id} type="text" {value} {oninput} aria-invalid={invalid} autocomplete="off" />
            </>
        }
    };

    let on_hours = {
        let hours_text = hours_text.clone();
        Callback::from(move |e: InputEvent| {
            hours_text.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let onsubmit = {
        let (form, error, saved, desk, hours_text) = (
            form.clone(),
            error.clone(),
            saved.clone(),
            desk.clone(),
            hours_text.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // Checked here with the desk's own parser, so the message is the same.
            let Some(office_hours) = OfficeHours::parse(&hours_text) else {
                error.set(Some(ApiError::validation(
                    Field::OfficeHours,
                    "unreadable office hours",
                )));
                saved.set(false);
                return;
            };
            let unit = Unit {
                office_hours,
                ..(*form).clone()
            };
            let (error, saved, desk) = (error.clone(), saved.clone(), desk.clone());
            spawn_local(async move {
                match ipc::set_unit(&unit).await {
                    Ok(unit) => {
                        desk.dispatch(Action::UnitSaved(unit));
                        error.set(None);
                        saved.set(true);
                    }
                    Err(err) => {
                        error.set(Some(err));
                        saved.set(false);
                    }
                }
            });
        })
    };

    html! {
        <form id="unit-form" class="form" {onsubmit} novalidate=true>
            <h2>{ Text::UnitTitle.in_lang(lang) }</h2>
            { text_input("unit-code", Text::FieldUnitCode, form.code.clone(), |u, v| u.code = v, Field::UnitCode) }
            { text_input("unit-name", Text::FieldUnitName, form.name.clone(), |u, v| u.name = v, Field::UnitName) }
            { text_input("governing-body", Text::FieldGoverningBody, form.governing_body.clone(), |u, v| u.governing_body = v, Field::UnitName) }
            { text_input("device-slot", Text::FieldDeviceSlot, form.device_slot.to_string(),
                |u, v| u.device_slot = v.trim().parse().unwrap_or(u8::MAX), Field::DeviceSlot) }
            <label for="office-hours">{ Text::FieldOfficeHours.in_lang(lang) }</label>
            <input id="office-hours" type="text" value={(*hours_text).clone()} oninput={on_hours} autocomplete="off"
                aria-invalid={error.as_ref().is_some_and(|e| e.field == Some(Field::OfficeHours)).then_some("true")} />
            { for error.as_ref().map(|err| html! { <p id="unit-error" class="form-error" role="alert">{ i18n::error_text(lang, err) }</p> }) }
            { for saved.then(|| html! { <p id="unit-saved" class="success" role="status">{ Text::UnitSaved.in_lang(lang) }</p> }) }
            <button id="save-unit" type="submit" class="primary">{ Text::SaveUnit.in_lang(lang) }</button>
        </form>
    }
}
