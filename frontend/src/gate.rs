//! In front of the desk: the set-up wizard on a new machine, the recovery key shown once, the
//! sign-in screen, and the lock (a button, Ctrl+L, or some minutes without a key or a click).
//! Locking unmounts the desk's pages; signing in again mounts them afresh.

use std::cell::Cell;
use std::rc::Rc;

use gloo_events::EventListener;
use hoso_model::ipc::{SessionView, SetUpRequest};
use hoso_model::{ApiError, Language, Text, i18n};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, KeyboardEvent};
use yew::prelude::*;

use crate::app::App;
use crate::ipc;

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn value(node: &NodeRef) -> String {
    node.cast::<HtmlInputElement>()
        .map(|i| i.value())
        .unwrap_or_default()
}

#[function_component(Gate)]
pub fn gate() -> Html {
    let session = use_state(|| None::<Result<SessionView, ApiError>>);
    let recovery = use_state(|| None::<String>);
    let reload = {
        let session = session.clone();
        Callback::from(move |_: ()| {
            let session = session.clone();
            spawn_local(async move { session.set(Some(ipc::session().await)) });
        })
    };
    {
        let reload = reload.clone();
        use_effect_with((), move |_| reload.emit(()));
    }
    // The officer signed in last, whose pages wait behind the lock screen.
    let kept = use_state(|| None::<hoso_model::Account>);
    // The desk's language, as its pages last said; before anyone signs in it cannot be read:
    // Vietnamese first.
    let desk_lang = use_state(Language::default);
    let lang = *desk_lang;
    let on_language = {
        let desk_lang = desk_lang.clone();
        Callback::from(move |language: Language| desk_lang.set(language))
    };
    {
        let kept = kept.clone();
        let user = match &*session {
            Some(Ok(s)) => s.user.clone(),
            _ => None,
        };
        use_effect_with(user, move |user| {
            if let Some(user) = user
                && kept.as_ref() != Some(user)
            {
                kept.set(Some(user.clone()));
            }
        });
    }

    let signed_in = matches!(&*session, Some(Ok(s)) if s.user.is_some()) && recovery.is_none();
    crate::lock::set_locked(!signed_in);
    let lock_minutes = match &*session {
        Some(Ok(s)) => s.lock_minutes,
        _ => 0,
    };
    let lock = {
        let reload = reload.clone();
        Callback::from(move |_: ()| {
            let reload = reload.clone();
            spawn_local(async move {
                let _ = ipc::lock().await;
                reload.emit(());
            });
        })
    };
    {
        let lock = lock.clone();
        use_effect_with(signed_in, move |signed_in| {
            let mut keep: Vec<Box<dyn std::any::Any>> = Vec::new();
            if *signed_in {
                let last = Rc::new(Cell::new(now_ms()));
                let document = web_sys::window()
                    .and_then(|w| w.document())
                    .expect("a document");
                for kind in ["keydown", "mousedown", "wheel"] {
                    let last = last.clone();
                    let lock = lock.clone();
                    keep.push(Box::new(EventListener::new(
                        &document,
                        kind,
                        move |event| {
                            last.set(now_ms());
                            if let Some(key) = event.dyn_ref::<KeyboardEvent>()
                                && key.ctrl_key()
                                && key.key().eq_ignore_ascii_case("l")
                            {
                                key.prevent_default();
                                lock.emit(());
                            }
                        },
                    )));
                }
                let limit = f64::from(lock_minutes.max(1)) * 60_000.0;
                keep.push(Box::new(gloo_timers::callback::Interval::new(
                    15_000,
                    move || {
                        if now_ms() - last.get() > limit {
                            lock.emit(());
                        }
                    },
                )));
            }
            move || drop(keep)
        });
    }

    match &*session {
        None => {
            html! { <main class="page loading" aria-busy="true">{ Text::Loading.in_lang(lang) }</main> }
        }
        Some(Err(err)) => html! {
            <main id="fatal" class="fatal" role="alert">
                <h1>{ Text::AppName.in_lang(lang) }</h1>
                <p>{ i18n::error_text(lang, err) }</p>
                <p class="detail">{ &err.message }</p>
            </main>
        },
        Some(Ok(s)) if !s.set_up => {
            let on_done = {
                let (recovery, reload) = (recovery.clone(), reload.clone());
                Callback::from(move |key: String| {
                    recovery.set(Some(key));
                    reload.emit(());
                })
            };
            let on_restored = reload.clone();
            html! { <SetUpForm {lang} {on_done} {on_restored} /> }
        }
        Some(Ok(_)) if recovery.is_some() => {
            let onclick = {
                let recovery = recovery.clone();
                Callback::from(move |_| recovery.set(None))
            };
            html! {
                <main id="recovery" class="gate">
                    <h1>{ Text::SetUpTitle.in_lang(lang) }</h1>
                    <p>{ Text::RecoveryKeyNotice.in_lang(lang) }</p>
                    <RecoveryKey {lang} key_text={(*recovery).clone().unwrap_or_default()} />
                    <button id="recovery-saved" class="primary" {onclick}>{ Text::RecoverySaved.in_lang(lang) }</button>
                </main>
            }
        }
        Some(Ok(s)) => {
            let signed_in = s.user.clone();
            // The desk's pages of the officer signed in last stay behind the lock screen, so
            // what was on the screen (a half-typed intake too) is there again when the same
            // officer unlocks; another officer gets the desk afresh.
            let shown = signed_in.clone().or_else(|| (*kept).clone());
            let desk = shown.map(|user| {
                let onclick = {
                    let lock = lock.clone();
                    Callback::from(move |_| lock.emit(()))
                };
                let desk_lang = *desk_lang;
                html! {
                    <div class="desk-frame" key={user.name.clone()} hidden={signed_in.is_none()}>
                        <ContextProvider<hoso_model::Account> context={user.clone()}>
                            <App on_language={on_language.clone()} />
                        </ContextProvider<hoso_model::Account>>
                        <div class="session" id="session">
                            <span id="session-user" title={i18n::role_label(desk_lang, user.role)}>{ &user.full_name }</span>
                            <button id="lock" {onclick}>{ Text::LockButton.in_lang(desk_lang) }</button>
                        </div>
                    </div>
                }
            });
            let sign_in = signed_in.is_none().then(|| {
                let on_done = reload.clone();
                let name = kept.as_ref().map(|k| k.name.clone());
                html! { <SignInForm {lang} names={s.names.clone()} {name} {on_done} /> }
            });
            html! { <>{ for sign_in }{ for desk }</> }
        }
    }
}

#[derive(Properties, PartialEq)]
struct SignInProps {
    lang: Language,
    names: Vec<String>,
    /// The officer signed in before the lock: the name is filled in, the password box focused.
    #[prop_or_default]
    name: Option<String>,
    on_done: Callback<()>,
}

#[function_component(SignInForm)]
fn sign_in_form(props: &SignInProps) -> Html {
    let lang = props.lang;
    let (name_input, password) = (use_node_ref(), use_node_ref());
    // Held in state: a wrong password never clears the name.
    let name = use_state(|| props.name.clone().unwrap_or_default());
    let error = use_state(|| None::<ApiError>);
    {
        // Inserted after the page loaded, the form gets no `autofocus`: focus it here.
        let (name_input, password, known) =
            (name_input.clone(), password.clone(), props.name.is_some());
        use_effect_with((), move |_| {
            crate::components::focus(if known { &password } else { &name_input })
        });
    }
    let on_name = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| {
            name.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let onsubmit = {
        let (name, password, error, on_done) = (
            name.clone(),
            password.clone(),
            error.clone(),
            props.on_done.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let (who, secret) = ((*name).clone(), value(&password));
            let (error, on_done, password) = (error.clone(), on_done.clone(), password.clone());
            spawn_local(async move {
                match ipc::sign_in(&who, &secret).await {
                    Ok(_) => on_done.emit(()),
                    Err(err) => {
                        if let Some(input) = password.cast::<HtmlInputElement>() {
                            input.set_value("");
                            let _ = input.focus();
                        }
                        error.set(Some(err));
                    }
                }
            });
        })
    };
    html! {
        <main id="sign-in" class="gate">
            <h1>{ Text::SignInTitle.in_lang(lang) }</h1>
            <form class="form" {onsubmit}>
                <label>{ Text::SignInName.in_lang(lang) }
                    <input id="sign-in-name" ref={name_input} list="sign-in-names" autocomplete="username"
                        value={(*name).clone()} oninput={on_name} />
                </label>
                <datalist id="sign-in-names">
                    { for props.names.iter().map(|n| html! { <option value={n.clone()} /> }) }
                </datalist>
                <label>{ Text::SignInPassword.in_lang(lang) }
                    <input id="sign-in-password" ref={password} type="password" autocomplete="current-password" />
                </label>
                { for error.as_ref().map(|err| html! { <p id="sign-in-error" class="form-error" role="alert">{ i18n::error_text(lang, err) }</p> }) }
                <button id="sign-in-button" class="primary" type="submit">{ Text::SignInButton.in_lang(lang) }</button>
            </form>
        </main>
    }
}

#[derive(Properties, PartialEq)]
struct SetUpProps {
    lang: Language,
    on_done: Callback<String>,
    /// A backup was restored instead: the desk is open for the recovery administrator.
    on_restored: Callback<()>,
}

#[function_component(SetUpForm)]
fn set_up_form(props: &SetUpProps) -> Html {
    let lang = props.lang;
    let (name, full_name, password, again) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    let error = use_state(|| None::<ApiError>);
    let onsubmit = {
        let (name, full_name, password, again, error, on_done) = (
            name.clone(),
            full_name.clone(),
            password.clone(),
            again.clone(),
            error.clone(),
            props.on_done.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let request = SetUpRequest {
                name: value(&name),
                full_name: value(&full_name),
                password: value(&password),
            };
            if request.password != value(&again) {
                error.set(Some(ApiError::problem(
                    hoso_model::Field::Password,
                    hoso_model::Problem::PasswordsDiffer,
                    "the two passwords differ",
                )));
                return;
            }
            let (error, on_done) = (error.clone(), on_done.clone());
            spawn_local(async move {
                match ipc::set_up(&request).await {
                    Ok(done) => on_done.emit(done.recovery_key),
                    Err(err) => error.set(Some(err)),
                }
            });
        })
    };
    html! {
        <main id="set-up" class="gate">
            <h1>{ Text::SetUpTitle.in_lang(lang) }</h1>
            <p>{ Text::SetUpIntro.in_lang(lang) }</p>
            <form class="form" {onsubmit}>
                <label>{ Text::SetUpName.in_lang(lang) }
                    <input id="set-up-name" ref={name} autocomplete="username" autofocus=true />
                </label>
                <label>{ Text::SetUpFullName.in_lang(lang) }
                    <input id="set-up-full-name" ref={full_name} autocomplete="name" />
                </label>
                <label>{ Text::SignInPassword.in_lang(lang) }
                    <input id="set-up-password" ref={password} type="password" autocomplete="new-password" />
                </label>
                <label>{ Text::SetUpPasswordAgain.in_lang(lang) }
                    <input id="set-up-password-again" ref={again} type="password" autocomplete="new-password" />
                </label>
                { for error.as_ref().map(|err| html! { <p id="set-up-error" class="form-error" role="alert">{ i18n::error_text(lang, err) }</p> }) }
                <button id="set-up-button" class="primary" type="submit">{ Text::SetUpButton.in_lang(lang) }</button>
            </form>
            <RestoreForm {lang} on_done={props.on_restored.clone()} />
        </main>
    }
}

#[derive(Properties, PartialEq)]
struct RestoreProps {
    lang: Language,
    on_done: Callback<()>,
}

/// Khôi phục từ bản sao lưu: on a new machine, a backup folder and the recovery key instead of
/// a first administrator.
#[function_component(RestoreForm)]
fn restore_form(props: &RestoreProps) -> Html {
    let lang = props.lang;
    // Held in state: a re-render (the error appearing) keeps what was typed.
    let (from, key) = (use_state(String::new), use_state(String::new));
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let typed = |field: &UseStateHandle<String>| {
        let field = field.clone();
        Callback::from(move |e: InputEvent| {
            field.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let onsubmit = {
        let (from, key, error, busy, on_done) = (
            from.clone(),
            key.clone(),
            error.clone(),
            busy.clone(),
            props.on_done.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let (folder, recovery) = ((*from).clone(), (*key).clone());
            let (error, busy, on_done) = (error.clone(), busy.clone(), on_done.clone());
            busy.set(true);
            spawn_local(async move {
                match ipc::restore(&folder, &recovery).await {
                    Ok(_) => on_done.emit(()),
                    Err(err) => error.set(Some(err)),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <form id="restore-form" class="form" {onsubmit}>
            <h2>{ Text::RestoreTitle.in_lang(lang) }</h2>
            <p>{ Text::RestoreHint.in_lang(lang) }</p>
            <label>{ Text::RestoreFolder.in_lang(lang) }
                <input id="restore-folder" value={(*from).clone()} oninput={typed(&from)} autocomplete="off" />
            </label>
            <label>{ Text::RecoveryKeyField.in_lang(lang) }
                <input id="restore-key" value={(*key).clone()} oninput={typed(&key)} autocomplete="off" spellcheck="false" />
            </label>
            { for error.as_ref().map(|err| html! { <p id="restore-error" class="form-error" role="alert">{ i18n::error_text(lang, err) }</p> }) }
            <button id="restore-button" type="submit" disabled={*busy}>{ Text::RestoreButton.in_lang(lang) }</button>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct RecoveryKeyProps {
    lang: Language,
    key_text: String,
}

/// The recovery key, shown once: its groups never broken across lines, with buttons to copy it
/// and to print it for the safe.
#[function_component(RecoveryKey)]
fn recovery_key(props: &RecoveryKeyProps) -> Html {
    let lang = props.lang;
    let said = use_state(|| None::<Result<Text, ApiError>>);
    let groups: Vec<&str> = props.key_text.split('-').collect();
    let last = groups.len().saturating_sub(1);
    let copy = {
        let (key, said) = (props.key_text.clone(), said.clone());
        Callback::from(move |_: MouseEvent| {
            let (key, said) = (key.clone(), said.clone());
            spawn_local(async move {
                let clipboard = web_sys::window().map(|w| w.navigator().clipboard());
                let copied = match clipboard {
                    Some(c) => wasm_bindgen_futures::JsFuture::from(c.write_text(&key))
                        .await
                        .is_ok(),
                    None => false,
                };
                said.set(Some(if copied {
                    Ok(Text::RecoveryKeyCopied)
                } else {
                    Err(ApiError::new(
                        hoso_model::ErrorCode::Internal,
                        "copy failed",
                    ))
                }));
            });
        })
    };
    let print = {
        let (key, said) = (props.key_text.clone(), said.clone());
        Callback::from(move |_: MouseEvent| {
            let (key, said) = (key.clone(), said.clone());
            spawn_local(async move {
                let lines = [
                    Text::AppName.in_lang(lang).to_owned(),
                    Text::RecoveryKeyField.in_lang(lang).to_owned(),
                    String::new(),
                    key,
                ];
                said.set(Some(
                    crate::print::print_text(&lines)
                        .await
                        .map(|()| Text::RecoveryKeyPrinted),
                ));
            });
        })
    };
    html! {
        <>
            <p id="recovery-key" class="recovery-key">
                { for groups.iter().enumerate().map(|(i, g)| html! {
                    <span class="group">{ if i < last { format!("{g}-") } else { (*g).to_owned() } }</span>
                }) }
            </p>
            <div class="recovery-actions">
                <button id="recovery-copy" class="action" onclick={copy}>{ Text::CopyButton.in_lang(lang) }</button>
                <button id="recovery-print" class="action" onclick={print}>{ Text::PrintButton.in_lang(lang) }</button>
            </div>
            { for said.as_ref().map(|r| match r {
                Ok(text) => html! { <p id="recovery-said" class="success" role="status">{ text.in_lang(lang) }</p> },
                Err(e) => html! { <p id="recovery-said" class="form-error" role="alert">{ i18n::error_text(lang, e) }</p> },
            }) }
        </>
    }
}
