//! Tài khoản (administrators): the desk's accounts with their role and state, adding one,
//! changing a role, resetting a password, disabling; and "change my password" for everyone.

use hoso_model::{Account, ApiError, Language, Role, Text, i18n};
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::ipc;
use crate::state::DeskContext;
use crate::state::admin::{Typed, new_account, password_twice};

fn value(node: &NodeRef) -> String {
    node.cast::<HtmlInputElement>()
        .map(|i| i.value())
        .unwrap_or_default()
}

fn clear(nodes: &[&NodeRef]) {
    for node in nodes {
        if let Some(input) = node.cast::<HtmlInputElement>() {
            input.set_value("");
        }
    }
}

fn selected_role(node: &NodeRef) -> Role {
    node.cast::<HtmlSelectElement>()
        .and_then(|s| Role::from_name(&s.value()))
        .unwrap_or(Role::Officer)
}

/// What the last act on the accounts came to.
#[derive(Clone, PartialEq)]
enum Outcome {
    Done(Text),
    Failed(ApiError),
    Typed(Typed),
}

fn outcome_html(lang: Language, id: &str, outcome: &Option<Outcome>) -> Html {
    match outcome {
        None => html! {},
        Some(Outcome::Done(text)) => {
            html! { <p id={format!("{id}-done")} class="success" role="status">{ text.in_lang(lang) }</p> }
        }
        Some(Outcome::Failed(err)) => {
            html! { <p id={format!("{id}-error")} class="form-error" role="alert">{ i18n::error_text(lang, err) }</p> }
        }
        Some(Outcome::Typed(Typed::PasswordsDiffer)) => {
            html! { <p id={format!("{id}-error")} class="form-error" role="alert">{ Text::PasswordsDiffer.in_lang(lang) }</p> }
        }
    }
}

fn role_options(lang: Language, current: Role) -> Html {
    html! {
        { for Role::ALL.into_iter().map(|role| html! {
            <option value={role.name()} selected={role == current}>{ i18n::role_label(lang, role) }</option>
        }) }
    }
}

#[function_component(AccountsPanel)]
pub fn accounts_panel() -> Html {
    let desk = use_context::<DeskContext>().expect("inside the desk context");
    let lang = desk.language;
    let list = use_state(|| None::<Vec<Account>>);
    let outcome = use_state(|| None::<Outcome>);
    let reload = {
        let (list, outcome) = (list.clone(), outcome.clone());
        Callback::from(move |_: ()| {
            let (list, outcome) = (list.clone(), outcome.clone());
            spawn_local(async move {
                match ipc::accounts().await {
                    Ok(accounts) => list.set(Some(accounts)),
                    Err(err) => outcome.set(Some(Outcome::Failed(err))),
                }
            });
        })
    };
    {
        let reload = reload.clone();
        use_effect_with((), move |_| reload.emit(()));
    }
    let on_changed = {
        let (reload, outcome) = (reload.clone(), outcome.clone());
        Callback::from(move |result: Result<Text, ApiError>| {
            match result {
                Ok(text) => outcome.set(Some(Outcome::Done(text))),
                Err(err) => outcome.set(Some(Outcome::Failed(err))),
            }
            reload.emit(());
        })
    };

    let rows = list.as_ref().map(|accounts| {
        html! {
            <table id="account-list" class="table">
                <thead>
                    <tr>
                        <th scope="col">{ Text::SignInName.in_lang(lang) }</th>
                        <th scope="col">{ Text::SetUpFullName.in_lang(lang) }</th>
                        <th scope="col">{ Text::ColumnRole.in_lang(lang) }</th>
                        <th scope="col">{ Text::ColumnStatus.in_lang(lang) }</th>
                        <th scope="col">{ Text::ChangeRole.in_lang(lang) }</th>
                        <th scope="col">{ Text::ResetPassword.in_lang(lang) }</th>
                        <th scope="col"></th>
                    </tr>
                </thead>
                <tbody>
                    { for accounts.iter().map(|account| html! {
                        <AccountRow key={account.name.clone()} account={account.clone()} {lang} on_changed={on_changed.clone()} />
                    }) }
                </tbody>
            </table>
        }
    });

    html! {
        <section id="accounts" class="accounts">
            <h2>{ Text::AccountsTitle.in_lang(lang) }</h2>
            { for rows }
            { outcome_html(lang, "accounts", &outcome) }
            <AddAccountForm {lang} {on_changed} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    account: Account,
    lang: Language,
    on_changed: Callback<Result<Text, ApiError>>,
}

#[function_component(AccountRow)]
fn account_row(props: &RowProps) -> Html {
    let lang = props.lang;
    let account = &props.account;
    let (role, password) = (use_node_ref(), use_node_ref());
    let on_role = {
        let (role, name, on_changed) =
            (role.clone(), account.name.clone(), props.on_changed.clone());
        Callback::from(move |_: MouseEvent| {
            let (chosen, name, on_changed) =
                (selected_role(&role), name.clone(), on_changed.clone());
            spawn_local(async move {
                let done = ipc::set_role(&name, chosen).await;
                on_changed.emit(done.map(|_| Text::AccountUpdated));
            });
        })
    };
    let on_reset = {
        let (password, name, on_changed) = (
            password.clone(),
            account.name.clone(),
            props.on_changed.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let (secret, name, on_changed) = (value(&password), name.clone(), on_changed.clone());
            clear(&[&password]);
            spawn_local(async move {
                let done = ipc::reset_password(&name, &secret).await;
                on_changed.emit(done.map(|_| Text::AccountUpdated));
            });
        })
    };
    let on_disable = {
        let (name, on_changed) = (account.name.clone(), props.on_changed.clone());
        Callback::from(move |_: MouseEvent| {
            let (name, on_changed) = (name.clone(), on_changed.clone());
            spawn_local(async move {
                let done = ipc::disable_account(&name).await;
                on_changed.emit(done.map(|_| Text::AccountUpdated));
            });
        })
    };
    let state = if account.disabled {
        Text::AccountDisabled
    } else {
        Text::AccountActive
    };
    html! {
        <tr class="account-row" data-name={account.name.clone()} data-role={account.role.name()}
            data-disabled={account.disabled.to_string()}>
            <td class="name">{ &account.name }</td>
            <td class="full-name">{ &account.full_name }</td>
            <td class="role">{ i18n::role_label(lang, account.role) }</td>
            <td class="state">{ state.in_lang(lang) }</td>
            <td>
                <select class="role-choice" ref={role} aria-label={Text::ColumnRole.in_lang(lang)}>
                    { role_options(lang, account.role) }
                </select>
                <button type="button" class="set-role" onclick={on_role}>{ Text::ChangeRole.in_lang(lang) }</button>
            </td>
            <td>
                <input type="password" class="reset-password-input" ref={password} autocomplete="new-password"
                    aria-label={Text::NewPassword.in_lang(lang)} placeholder={Text::NewPassword.in_lang(lang)} />
                <button type="button" class="reset-password" onclick={on_reset}>{ Text::ResetPassword.in_lang(lang) }</button>
            </td>
            <td>
                { for (!account.disabled).then(|| html! {
                    <button type="button" class="disable" onclick={on_disable}>{ Text::DisableAccount.in_lang(lang) }</button>
                }) }
            </td>
        </tr>
    }
}

#[derive(Properties, PartialEq)]
struct AddProps {
    lang: Language,
    on_changed: Callback<Result<Text, ApiError>>,
}

/// The add form as typed. Held in state, so a re-render (the mismatch message appearing)
/// keeps what was typed.
#[derive(Clone, Default, PartialEq)]
struct Draft {
    name: String,
    full_name: String,
    role: String,
    password: String,
    again: String,
}

fn draft_input(draft: &UseStateHandle<Draft>, set: fn(&mut Draft, String)) -> Callback<InputEvent> {
    let draft = draft.clone();
    Callback::from(move |e: InputEvent| {
        let mut next = (*draft).clone();
        set(
            &mut next,
            e.target_unchecked_into::<HtmlInputElement>().value(),
        );
        draft.set(next);
    })
}

#[function_component(AddAccountForm)]
fn add_account_form(props: &AddProps) -> Html {
    let lang = props.lang;
    let draft = use_state(Draft::default);
    let mismatch = use_state(|| false);
    let on_role = {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let mut next = (*draft).clone();
            next.role = e.target_unchecked_into::<HtmlSelectElement>().value();
            draft.set(next);
        })
    };
    let onsubmit = {
        let (draft, mismatch, on_changed) =
            (draft.clone(), mismatch.clone(), props.on_changed.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let typed = new_account(
                &draft.name,
                &draft.full_name,
                Role::from_name(&draft.role).unwrap_or(Role::Officer),
                &draft.password,
                &draft.again,
            );
            let Ok(account) = typed else {
                mismatch.set(true);
                return;
            };
            mismatch.set(false);
            let (draft, on_changed) = (draft.clone(), on_changed.clone());
            spawn_local(async move {
                match ipc::add_account(&account).await {
                    Ok(_) => {
                        draft.set(Draft::default());
                        on_changed.emit(Ok(Text::AccountAdded));
                    }
                    Err(err) => on_changed.emit(Err(err)),
                }
            });
        })
    };
    let role = Role::from_name(&draft.role).unwrap_or(Role::Officer);
    html! {
        <form id="add-account-form" class="form" {onsubmit} novalidate=true>
            <h3>{ Text::AddAccountTitle.in_lang(lang) }</h3>
            <label for="new-account-name">{ Text::SignInName.in_lang(lang) }</label>
            <input id="new-account-name" value={draft.name.clone()} autocomplete="off"
                oninput={draft_input(&draft, |d, v| d.name = v)} />
            <label for="new-account-full-name">{ Text::SetUpFullName.in_lang(lang) }</label>
            <input id="new-account-full-name" value={draft.full_name.clone()} autocomplete="off"
                oninput={draft_input(&draft, |d, v| d.full_name = v)} />
            <label for="new-account-role">{ Text::ColumnRole.in_lang(lang) }</label>
            <select id="new-account-role" onchange={on_role}>{ role_options(lang, role) }</select>
            <label for="new-account-password">{ Text::SignInPassword.in_lang(lang) }</label>
            <input id="new-account-password" type="password" value={draft.password.clone()} autocomplete="new-password"
                oninput={draft_input(&draft, |d, v| d.password = v)} />
            <label for="new-account-password-again">{ Text::SetUpPasswordAgain.in_lang(lang) }</label>
            <input id="new-account-password-again" type="password" value={draft.again.clone()} autocomplete="new-password"
                oninput={draft_input(&draft, |d, v| d.again = v)} />
            { for mismatch.then(|| html! {
                <p id="add-account-error" class="form-error" role="alert">{ Text::PasswordsDiffer.in_lang(lang) }</p>
            }) }
            <button id="add-account" type="submit" class="primary">{ Text::AddAccountButton.in_lang(lang) }</button>
        </form>
    }
}

/// Đổi mật khẩu: the signed-in account's own password, given the current one.
#[function_component(ChangePasswordForm)]
pub fn change_password_form() -> Html {
    let desk = use_context::<DeskContext>().expect("inside the desk context");
    let lang = desk.language;
    let (current, password, again) = (use_node_ref(), use_node_ref(), use_node_ref());
    let outcome = use_state(|| None::<Outcome>);
    let onsubmit = {
        let (current, password, again, outcome) = (
            current.clone(),
            password.clone(),
            again.clone(),
            outcome.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let new = match password_twice(&value(&password), &value(&again)) {
                Ok(new) => new,
                Err(typed) => {
                    outcome.set(Some(Outcome::Typed(typed)));
                    return;
                }
            };
            let old = value(&current);
            clear(&[&current, &password, &again]);
            let outcome = outcome.clone();
            spawn_local(async move {
                outcome.set(Some(match ipc::change_password(&old, &new).await {
                    Ok(()) => Outcome::Done(Text::PasswordChanged),
                    Err(err) => Outcome::Failed(err),
                }));
            });
        })
    };
    html! {
        <form id="change-password-form" class="form" {onsubmit} novalidate=true>
            <h2>{ Text::ChangePasswordTitle.in_lang(lang) }</h2>
            <label for="current-password">{ Text::CurrentPassword.in_lang(lang) }</label>
            <input id="current-password" ref={current} type="password" autocomplete="current-password" />
            <label for="new-password">{ Text::NewPassword.in_lang(lang) }</label>
            <input id="new-password" ref={password} type="password" autocomplete="new-password" />
            <label for="new-password-again">{ Text::SetUpPasswordAgain.in_lang(lang) }</label>
            <input id="new-password-again" ref={again} type="password" autocomplete="new-password" />
            { outcome_html(lang, "change-password", &outcome) }
            <button id="change-password" type="submit" class="primary">{ Text::ChangePasswordButton.in_lang(lang) }</button>
        </form>
    }
}
