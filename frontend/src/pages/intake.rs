//! Tiếp nhận: register a dossier at the counter, by keyboard alone. The form is checked here with
//! the same rules the desk applies (they are the shared `hoso-model` code), so every mistake is
//! shown at once, each at its field, and checked again by the desk when saved. Once saved, the
//! receipt is one key away (Enter on "In phiếu hẹn", or Ctrl+P), and so is the scan station.
//!
//! What is typed lives in the desk's state, not in this page: it survives a change of screen
//! and the lock.

use hoso_model::ipc::FormKind;
use hoso_model::time::format_local;
use hoso_model::{ApiError, Channel, Dossier, Field, NewDossier, Text, i18n};
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::{ProcedureFacts, ProcedurePicker, focus, focus_id};
use crate::ipc;
use crate::state::{Action, DeskContext};

#[function_component(IntakePage)]
pub fn intake_page() -> Html {
    let desk = use_context::<DeskContext>().expect("inside the desk context");
    let lang = desk.language;
    let form = desk.intake.draft.clone();
    let errors = use_state(Vec::<ApiError>::new);
    let busy = use_state(|| false);
    let procedure_ref = use_node_ref();
    let name_ref = use_node_ref();
    let print_ref = use_node_ref();
    // A desk restored from a backup that has not reached the hub since: said before registering.
    let restored = use_state(|| false);
    {
        let restored = restored.clone();
        use_effect_with((), move |_| {
            spawn_local(async move {
                if let Ok(view) = ipc::sync_status().await {
                    restored.set(view.overview.restored_unreconciled);
                }
            });
        });
    }

    // A change to one field: the draft is replaced, and that field's error goes.
    let edit = {
        let (desk, errors) = (desk.clone(), errors.clone());
        move |field: Field, next: NewDossier| {
            if errors.iter().any(|e| e.field == Some(field)) {
                errors.set(
                    errors
                        .iter()
                        .filter(|e| e.field != Some(field))
                        .cloned()
                        .collect(),
                );
            }
            desk.dispatch(Action::Draft(next));
        }
    };

    let on_procedure = {
        let (form, edit, name_ref) = (form.clone(), edit.clone(), name_ref.clone());
        Callback::from(move |code: String| {
            edit(
                Field::Procedure,
                NewDossier {
                    procedure_code: code,
                    ..form.clone()
                },
            );
            focus(&name_ref);
        })
    };
    // One handler per text field: it copies the input's value into the draft.
    let text_field = |field: Field, set: fn(&mut NewDossier, String)| {
        let (form, edit) = (form.clone(), edit.clone());
        Callback::from(move |e: InputEvent| {
            let mut next = form.clone();
            set(
                &mut next,
                e.target_unchecked_into::<HtmlInputElement>().value(),
            );
            edit(field, next);
        })
    };
    let on_channel = {
        let (form, desk) = (form.clone(), desk.clone());
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let channel = Channel::from_name(&select.value()).unwrap_or_default();
            desk.dispatch(Action::Draft(NewDossier {
                channel,
                ..form.clone()
            }));
        })
    };

    let print_receipt = {
        let (desk, name_ref) = (desk.clone(), name_ref.clone());
        Callback::from(move |_: ()| {
            let Some(saved) = desk.intake.saved.clone() else {
                return;
            };
            // One print at a time; the button stays enabled so it keeps the focus.
            if desk.intake.printing {
                return;
            }
            // The next citizen's name is what comes after the receipt: focus goes there first,
            // so the window gets it back when the print dialog (or GTK's printer) lets go.
            focus(&name_ref);
            let desk = desk.clone();
            desk.dispatch(Action::ReceiptPrinting);
            spawn_local(async move {
                let printed = crate::print::print_form(&saved.key(), FormKind::Receipt).await;
                desk.dispatch(Action::ReceiptPrinted(printed));
            });
        })
    };
    let on_submit = {
        let (form, errors, busy, desk) = (form.clone(), errors.clone(), busy.clone(), desk.clone());
        let print_ref = print_ref.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let submitted = form.clone();
            if let Err(all) = submitted.check(&desk.procedures) {
                focus_first(&all);
                errors.set(all);
                return;
            }
            busy.set(true);
            let (errors, busy, desk, print_ref) = (
                errors.clone(),
                busy.clone(),
                desk.clone(),
                print_ref.clone(),
            );
            spawn_local(async move {
                match ipc::register_dossier(&submitted).await {
                    Ok(dossier) => {
                        errors.set(Vec::new());
                        desk.dispatch(Action::DossierSaved(dossier));
                        // The receipt is the next thing the citizen needs: Enter prints it.
                        focus_after_render(print_ref);
                    }
                    Err(err) => {
                        let all = vec![err];
                        focus_first(&all);
                        errors.set(all);
                    }
                }
                busy.set(false);
            });
        })
    };
    let on_key = {
        let print_receipt = print_receipt.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.ctrl_key() && e.key().eq_ignore_ascii_case("p") {
                e.prevent_default();
                print_receipt.emit(());
            }
        })
    };

    let field_error = |field: Field| -> Html {
        match errors.iter().find(|e| e.field == Some(field)) {
            Some(err) => html! {
                <p class="field-error" id={format!("{}-error", field_id(field))} role="alert">{ i18n::error_text(lang, err) }</p>
            },
            None => html! {},
        }
    };
    let other_error = errors.iter().find(|e| e.field.is_none()).map(|err| {
        html! { <p class="form-error" id="intake-error" role="alert">{ i18n::error_text(lang, err) }</p> }
    });
    let invalid = |field: Field| {
        errors
            .iter()
            .any(|e| e.field == Some(field))
            .then_some("true")
    };

    let saved = desk.intake.saved.as_ref().map(|d| {
        let open = {
            let desk = desk.clone();
            let key = d.key();
            Callback::from(move |_| desk.dispatch(Action::OpenDossier(Some(key.clone()))))
        };
        let digitise = {
            let desk = desk.clone();
            let key = d.key();
            Callback::from(move |_| desk.dispatch(Action::Digitise(Some(key.clone()))))
        };
        let print = print_receipt.reform(|_: MouseEvent| ());
        html! {
            <SavedDossier dossier={d.clone()} procedure={desk.procedure_name(&d.procedure_code).to_owned()}
                {lang} {open} {digitise} {print} print_ref={print_ref.clone()}
                printing={desk.intake.printing} printed={desk.intake.printed.clone()} />
        }
    });

    html! {
        <section class="intake" onkeydown={on_key}>
            <h1>{ Text::IntakeTitle.in_lang(lang) }</h1>
            <p class="hint">{ Text::IntakeHint.in_lang(lang) }</p>
            if desk.unit.is_none() {
                <p id="unit-missing" class="notice">{ Text::UnitMissing.in_lang(lang) }</p>
            }
            if *restored {
                <p id="restored-warning" class="notice" role="alert">{ Text::RestoredUnreconciled.in_lang(lang) }</p>
            }
            { for saved }
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
                    oninput={text_field(Field::ApplicantName, |f, v| f.applicant_name = v)}
                    aria-invalid={invalid(Field::ApplicantName)}
                />
                { field_error(Field::ApplicantName) }

                <div class="row">
                    <div>
                        <label for="id-number">{ Text::FieldIdNumber.in_lang(lang) }</label>
                        <input id="id-number" type="text" inputmode="numeric" autocomplete="off" maxlength="20"
                            value={form.id_number.clone()} oninput={text_field(Field::IdNumber, |f, v| f.id_number = v)}
                            aria-invalid={invalid(Field::IdNumber)} />
                        { field_error(Field::IdNumber) }
                    </div>
                    <div>
                        <label for="phone">{ Text::FieldPhone.in_lang(lang) }</label>
                        <input id="phone" type="text" inputmode="tel" autocomplete="off" maxlength="20"
                            value={form.phone.clone()} oninput={text_field(Field::Phone, |f, v| f.phone = v)}
                            aria-invalid={invalid(Field::Phone)} />
                        { field_error(Field::Phone) }
                    </div>
                </div>
                <label for="address">{ Text::FieldAddress.in_lang(lang) }</label>
                <input id="address" type="text" autocomplete="off" maxlength="300"
                    value={form.address.clone()} oninput={text_field(Field::Address, |f, v| f.address = v)}
                    aria-invalid={invalid(Field::Address)} />
                { field_error(Field::Address) }
                <div class="row">
                    <div>
                        <label for="email">{ Text::FieldEmail.in_lang(lang) }</label>
                        <input id="email" type="text" autocomplete="off" maxlength="254"
                            value={form.email.clone()} oninput={text_field(Field::Email, |f, v| f.email = v)}
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

                { for other_error }
                <button id="save-dossier" type="submit" class="primary" disabled={*busy}>
                    { if *busy { Text::Saving.in_lang(lang) } else { Text::SaveDossier.in_lang(lang) } }
                    <kbd>{ "Enter" }</kbd>
                </button>
            </form>
            <aside class="intake-side"><ProcedureFacts code={form.procedure_code.clone()} /></aside>
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct SavedProps {
    dossier: Dossier,
    procedure: String,
    lang: hoso_model::Language,
    open: Callback<MouseEvent>,
    digitise: Callback<MouseEvent>,
    print: Callback<MouseEvent>,
    print_ref: NodeRef,
    printing: bool,
    printed: Option<Result<hoso_model::ipc::FormSaved, ApiError>>,
}

/// The dossier just saved: its code (a link to it), due date, and what comes next at the
/// counter: the receipt, then the scan station.
#[function_component(SavedDossier)]
fn saved_dossier(props: &SavedProps) -> Html {
    let (d, lang) = (&props.dossier, props.lang);
    let printed = match &props.printed {
        Some(Ok(saved)) => html! {
            <p id="intake-printed" class="success" role="status">{ i18n::form_printed(lang, &saved.path) }</p>
        },
        Some(Err(err)) => html! {
            <p id="intake-print-error" class="form-error" role="alert">{ i18n::error_text(lang, err) }</p>
        },
        None => html! {},
    };
    html! {
        <div id="intake-saved" class="saved-box" role="status">
            <p>
                { Text::DossierSaved.in_lang(lang) }{ " " }
                <button id="intake-saved-code" class="link" title={Text::OpenSavedDossier.in_lang(lang)} onclick={props.open.clone()}>
                    { d.code.clone().unwrap_or_else(|| Text::NoCode.in_lang(lang).to_owned()) }
                </button>{ " · " }
                <strong>{ &d.applicant_name }</strong>
                { format!(" · {} · {}", props.procedure, format_local(d.received_at)) }
                <br />{ Text::ColumnDue.in_lang(lang) }{ ": " }
                <strong id="intake-saved-due">{ d.due_at.map(format_local).unwrap_or_default() }</strong>
            </p>
            <div class="actions">
                <button id="intake-print" ref={props.print_ref.clone()} class="primary" aria-busy={props.printing.then_some("true")} onclick={props.print.clone()}>
                    { Text::PrintReceiptNow.in_lang(lang) }<kbd>{ "Enter · Ctrl+P" }</kbd>
                </button>
                <button id="intake-digitise" class="action" onclick={props.digitise.clone()}>
                    { Text::DigitiseNow.in_lang(lang) }<kbd>{ "Alt+2" }</kbd>
                </button>
            </div>
            { printed }
        </div>
    }
}

/// Focus on the first wrong field (the errors come in the form's order).
fn focus_first(errors: &[ApiError]) {
    if let Some(field) = errors.iter().find_map(|e| e.field) {
        focus_id(field_id(field));
    }
}

/// Focus on `node` once the page has drawn it (it appears with the render this one caused).
fn focus_after_render(node: NodeRef) {
    gloo_timers::callback::Timeout::new(0, move || focus(&node)).forget();
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
