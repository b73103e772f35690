//! The window's frame: loads the desk, provides its state to every page, draws the navigation
//! bar, the current page and the status bar, and handles the window-wide shortcuts.

use gloo_events::{EventListener, EventListenerOptions};
use hoso_model::{ApiError, i18n};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::KeyboardEvent;
use yew::prelude::*;

use crate::components::{NavBar, NoticeBanner, StatusBar};
use crate::ipc;
use crate::pages::{DigitisePage, DossiersPage, IntakePage, SettingsPage, SupervisePage, SyncPage};
use crate::state::{Action, DeskContext, DeskState, Page, shortcut};

#[derive(Properties, PartialEq)]
pub struct Props {
    /// Told the desk's language whenever it is known or changes (the lock screen speaks it).
    pub on_language: Callback<hoso_model::Language>,
}

#[function_component(App)]
pub fn app(props: &Props) -> Html {
    let desk = use_reducer(DeskState::default);

    {
        let dispatcher = desk.dispatcher();
        use_effect_with((), move |_| {
            spawn_local(async move {
                let loaded = async {
                    let startup = ipc::startup().await?;
                    let procedures = ipc::procedures().await?;
                    let dossiers = ipc::list_dossiers(None, &Default::default()).await?;
                    Ok::<_, ApiError>(Action::Loaded {
                        startup,
                        procedures,
                        dossiers,
                    })
                };
                dispatcher.dispatch(loaded.await.unwrap_or_else(Action::LoadFailed));
            });
        });
    }

    {
        let dispatcher = desk.dispatcher();
        use_effect_with((), move |_| {
            let window = web_sys::window().expect("a window");
            let document = window.document().expect("a document");
            let keys = {
                let dispatcher = dispatcher.clone();
                EventListener::new(&document, "keydown", move |event| {
                    let Some(key) = event.dyn_ref::<KeyboardEvent>() else {
                        return;
                    };
                    if crate::lock::locked() {
                        return;
                    }
                    if let Some(page) = shortcut(&key.key(), key.alt_key(), key.ctrl_key()) {
                        key.prevent_default();
                        dispatcher.dispatch(Action::Navigate(page));
                    }
                })
            };
            dispatcher.dispatch(Action::Network {
                online: window.navigator().on_line(),
            });
            let online = {
                let dispatcher = dispatcher.clone();
                EventListener::new(&window, "online", move |_| {
                    dispatcher.dispatch(Action::Network { online: true });
                    // The system says the network is back: send now rather than at the next
                    // probe.
                    wasm_bindgen_futures::spawn_local(async {
                        let _ = crate::ipc::sync_now().await;
                    });
                })
            };
            let offline = EventListener::new(&window, "offline", move |_| {
                dispatcher.dispatch(Action::Network { online: false })
            });
            // A file dropped on the window must not replace the app with the file (the web
            // view's default): drops are for moving pages, taken by their own handlers.
            let no_file_drop = ["dragover", "drop"].map(|kind| {
                EventListener::new_with_options(
                    &window,
                    kind,
                    EventListenerOptions::enable_prevent_default(),
                    |event| event.prevent_default(),
                )
            });
            move || drop((keys, online, offline, no_file_drop))
        });
    }

    {
        let on_language = props.on_language.clone();
        use_effect_with(desk.language, move |language| on_language.emit(*language));
    }
    use_effect_with(desk.language, |language| {
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", language.tag());
        }
    });

    let lang = desk.language;
    let body = if let Some(err) = &desk.fatal {
        html! {
            <main id="fatal" class="fatal" role="alert">
                <h1>{ i18n::Text::AppName.in_lang(lang) }</h1>
                <p>{ i18n::error_text(lang, err) }</p>
                <p class="detail">{ &err.message }</p>
            </main>
        }
    } else if desk.loading {
        html! { <main class="page loading" aria-busy="true">{ i18n::Text::Loading.in_lang(lang) }</main> }
    } else {
        let page = match desk.page {
            Page::Intake => html! { <IntakePage /> },
            Page::Dossiers => html! { <DossiersPage /> },
            Page::Digitise => html! { <DigitisePage dossier={desk.digitise_dossier.clone()} /> },
            Page::Settings => html! { <SettingsPage /> },
            Page::Sync => html! { <SyncPage /> },
            Page::Supervise => html! { <SupervisePage /> },
        };
        html! {
            <main id={format!("page-{}", desk.page.slug())} class="page">
                <NoticeBanner />
                { page }
            </main>
        }
    };

    html! {
        <ContextProvider<DeskContext> context={desk.clone()}>
            <div class="desk">
                <NavBar />
                { body }
                <StatusBar />
            </div>
        </ContextProvider<DeskContext>>
    }
}
