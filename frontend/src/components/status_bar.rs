//! The status bar: network and sync state, and the shortcuts to remember.

use gloo_timers::callback::Interval;
use hoso_model::Text;
use hoso_model::ipc::EngineState;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::ipc;
use crate::state::DeskContext;

#[function_component(StatusBar)]
pub fn status_bar() -> Html {
    let desk = use_context::<DeskContext>().expect("inside the desk context");
    let lang = desk.language;
    // Where sync stands, looked at every few seconds.
    let sync = use_state(|| None::<(EngineState, u64)>);
    {
        let sync = sync.clone();
        use_effect_with((), move |_| {
            let load = move || {
                let sync = sync.clone();
                spawn_local(async move {
                    if let Ok(view) = ipc::sync_status().await {
                        let open = view
                            .overview
                            .waiting_dossiers
                            .saturating_sub(view.overview.quarantined.len() as u64);
                        sync.set(Some((view.engine, open)));
                    }
                });
            };
            load();
            let timer = Interval::new(5000, load);
            move || drop(timer)
        });
    }
    let sync_text = match *sync {
        None | Some((EngineState::Off, _)) => Text::SyncNotSetUp.in_lang(lang).to_owned(),
        Some((state, open)) => {
            let word = match state {
                EngineState::Idle if open == 0 => Text::SyncStateIdle,
                EngineState::Idle | EngineState::Working => Text::SyncStateWorking,
                EngineState::Waiting { .. } => Text::SyncBadgeWaiting,
                EngineState::Paused => Text::SyncStatePaused,
                EngineState::Stopped | EngineState::Off => Text::SyncStateStopped,
            };
            format!(
                "{}: {} ({open})",
                Text::NavSync.in_lang(lang),
                word.in_lang(lang)
            )
        }
    };
    let (network_class, network) = if desk.online {
        ("online", Text::NetworkOnline)
    } else {
        ("offline", Text::NetworkOffline)
    };
    html! {
        <footer class="status-bar">
            <span id="status-network" class={classes!("status", network_class)} role="status">
                <span class="dot" aria-hidden="true"></span>{ network.in_lang(lang) }
            </span>
            <span id="status-sync" class="status">{ sync_text }</span>
            <span class="status hint">{ Text::ShortcutsHint.in_lang(lang) }</span>
        </footer>
    }
}
