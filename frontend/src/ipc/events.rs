//! The desk's events ([`DeskEvent`]) as the shell forwards them (`desk-event`): a page listens
//! while it is shown and asks for what changed, instead of asking again every second.

use std::cell::RefCell;
use std::rc::Rc;

use hoso_model::ipc::{DESK_EVENT, DeskEvent};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;

#[wasm_bindgen]
extern "C" {
    /// Tauri's `listen`, exposed on `window.__TAURI__` by `withGlobalTauri`; it resolves to the
    /// function that stops listening.
    #[wasm_bindgen(catch, js_namespace = ["window", "__TAURI__", "event"], js_name = listen)]
    async fn tauri_listen(
        event: &str,
        handler: &Closure<dyn FnMut(JsValue)>,
    ) -> Result<JsValue, JsValue>;
}

/// Listening to the desk's events; dropping it stops.
pub struct Listening(Rc<RefCell<State>>);

#[derive(Default)]
struct State {
    stopped: bool,
    unlisten: Option<js_sys::Function>,
    handler: Option<Closure<dyn FnMut(JsValue)>>,
}

/// Calls `on` with every desk event until the returned [`Listening`] is dropped.
pub fn listen(on: impl Fn(DeskEvent) + 'static) -> Listening {
    let handler = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
        let payload = js_sys::Reflect::get(&event, &JsValue::from_str("payload"));
        if let Some(event) = payload
            .ok()
            .and_then(|p| serde_wasm_bindgen::from_value::<DeskEvent>(p).ok())
        {
            on(event);
        }
    });
    let state = Rc::new(RefCell::new(State::default()));
    let listening = Listening(state.clone());
    spawn_local(async move {
        let unlisten = tauri_listen(DESK_EVENT, &handler)
            .await
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        let mut state = state.borrow_mut();
        if state.stopped {
            // The page went away while Tauri was still registering the listener.
            if let Some(unlisten) = unlisten {
                let _ = unlisten.call0(&JsValue::NULL);
            }
            return;
        }
        state.unlisten = unlisten;
        state.handler = Some(handler);
    });
    listening
}

impl Drop for Listening {
    fn drop(&mut self) {
        let mut state = self.0.borrow_mut();
        state.stopped = true;
        if let Some(unlisten) = state.unlisten.take() {
            let _ = unlisten.call0(&JsValue::NULL);
        }
        state.handler = None;
    }
}
