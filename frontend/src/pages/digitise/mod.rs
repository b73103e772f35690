//! The scan station: find the dossier (by name, code tail or ID number; it opens on the one
//! last worked on), choose where its pages go (or feed a stack with QR covers), press F8
//! anywhere on the screen to scan or "Chọn tệp…" to import, watch thumbnails arrive, put pages
//! in order, turn or delete them (a deletion is undone with Ctrl+Z or "Hoàn tác"), and export
//! the dossier's PDF. The scanner settings are the officer's own, kept by the desk.
//!
//! The screen follows the desk's events (pages kept, text read, another program's changes)
//! and loads the dossier again when one comes; each page's thumbnail is fetched once, and again
//! only when the page is turned.

mod loader;
mod scan_bar;
mod sheet;

use gloo_events::EventListener;
use hoso_model::ipc::{DeskEvent, FormSaved, ScanRequest};
use hoso_model::page::{Digitisation, PageInfo, Target};
use hoso_model::scan::{ScanPreferences, ScannerInfo};
use hoso_model::{ApiError, Text, i18n};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlSelectElement, KeyboardEvent};
use yew::prelude::*;

use crate::components::{DossierFinder, focus};
use crate::ipc;
use crate::state::digitise::{Loads, Thumbnails};
use crate::state::{Action, DeskContext};
use loader::{Loader, read_files};
use scan_bar::{ScanBar, device_of};
use sheet::Sheet;

/// How long a deleted page can be brought back from the station's notice (the desk keeps it
/// longer).
const UNDO_MS: u32 = 15_000;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The dossier to digitise (code or id), if one was chosen.
    pub dossier: Option<String>,
}

#[function_component(DigitisePage)]
pub fn digitise_page(props: &Props) -> Html {
    let desk = use_context::<DeskContext>().expect("inside the desk context");
    let lang = desk.language;
    let key = props.dossier.clone().unwrap_or_default();
    let view = use_state(|| None::<Digitisation>);
    let thumbs = use_mut_ref(Thumbnails::default);
    let loads = use_mut_ref(Loads::default);
    let error = use_state(|| None::<ApiError>);
    let scanners = use_state(Vec::<ScannerInfo>::new);
    let preferences = use_state(ScanPreferences::default);
    // With no dossier chosen yet, a stack filed by its QR covers is the natural start.
    // Where the pages go: kept by the desk's state, so it outlives a change of screen.
    let target = use_state(|| match &desk.digitise_target {
        Some(kept) => kept.clone(),
        None if props.dossier.is_some() => "1".to_owned(),
        // With no dossier chosen yet, a stack filed by its QR covers is the natural start.
        None => "stack".to_owned(),
    });
    let finder_input = use_node_ref();
    let file_input = use_node_ref();
    let undo_button = use_node_ref();
    {
        // Focus starts in the finder: type a name, or press F8 to scan into the dossier shown.
        let finder_input = finder_input.clone();
        use_effect_with((), move |_| focus(&finder_input));
    }
    let scanning = use_state(|| false);
    let done = use_state(|| None::<String>);
    let exported = use_state(|| None::<FormSaved>);
    let zoom = use_state(|| None::<String>);
    // The page set aside last, while it can still be brought back here.
    let undo = use_state(|| None::<PageInfo>);
    let undo_timer = use_mut_ref(|| None::<gloo_timers::callback::Timeout>);

    let loader = Loader {
        view: view.clone(),
        error: error.clone(),
        thumbs: thumbs.clone(),
        loads: loads.clone(),
    };
    let reload = {
        let (loader, key) = (loader.clone(), key.clone());
        Callback::from(move |_: ()| loader.load(key.trim()))
    };
    // Pages kept (by a scan, a drop, the scan folder, the command line) or read by text
    // recognition: the shown dossier is loaded again.
    {
        let loader = loader.clone();
        use_effect_with((), move |_| {
            let listening = ipc::events::listen(move |event| match event {
                DeskEvent::PagesKept { .. }
                | DeskEvent::PageRead { .. }
                | DeskEvent::ChangedElsewhere => loader.refresh(),
                DeskEvent::Sync { .. } => {}
            });
            move || drop(listening)
        });
    }
    {
        let reload = reload.clone();
        use_effect_with(props.dossier.clone(), move |_| reload.emit(()));
    }
    {
        let (scanners, preferences) = (scanners.clone(), preferences.clone());
        use_effect_with((), move |_| {
            spawn_local(async move {
                if let Ok(mine) = ipc::scan_preferences().await {
                    preferences.set(mine);
                }
                if let Ok(found) = ipc::scanners().await {
                    scanners.set(found);
                }
            });
        });
    }
    let waiting = view.as_ref().map_or(0, |v| v.ocr_waiting);

    let on_choose = {
        let (desk, target) = (desk.clone(), target.clone());
        Callback::from(move |chosen: String| {
            if target.as_str() == "stack" {
                target.set("1".to_owned());
                desk.dispatch(Action::DigitiseTarget("1".to_owned()));
            }
            desk.dispatch(Action::DigitiseChose(Some(chosen)));
        })
    };
    let on_target = {
        let (target, desk) = (target.clone(), desk.clone());
        Callback::from(move |e: Event| {
            let chosen = e.target_unchecked_into::<HtmlSelectElement>().value();
            target.set(chosen.clone());
            desk.dispatch(Action::DigitiseTarget(chosen));
        })
    };
    let on_preferences = {
        let (preferences, error) = (preferences.clone(), error.clone());
        Callback::from(move |next: ScanPreferences| {
            preferences.set(next.clone());
            let error = error.clone();
            spawn_local(async move {
                if let Err(e) = ipc::set_scan_preferences(&next).await {
                    error.set(Some(e));
                }
            });
        })
    };

    let start_scan = {
        let (key, scanners, preferences, target) = (
            key.clone(),
            scanners.clone(),
            preferences.clone(),
            target.clone(),
        );
        let (scanning, error, done, reload) = (
            scanning.clone(),
            error.clone(),
            done.clone(),
            reload.clone(),
        );
        Callback::from(move |_: ()| {
            let Some(device) = device_of(&preferences, &scanners) else {
                return;
            };
            if *scanning {
                return;
            }
            let stack = target.as_str() == "stack";
            let request = ScanRequest {
                dossier: (!stack && !key.trim().is_empty()).then(|| key.trim().to_owned()),
                target: match target.as_str() {
                    "stack" => None,
                    "result" => Some(Target::Result { code: None }),
                    n => Some(Target::Component {
                        n: n.parse().unwrap_or(1),
                    }),
                },
                device,
                settings: preferences.settings,
            };
            let (scanning, error, done, reload) = (
                scanning.clone(),
                error.clone(),
                done.clone(),
                reload.clone(),
            );
            scanning.set(true);
            done.set(None);
            spawn_local(async move {
                match ipc::scan(&request).await {
                    Ok(result) => {
                        done.set(Some(i18n::scan_done(lang, result.pages, &result.dossiers)));
                        error.set(None);
                    }
                    Err(e) => error.set(Some(e)),
                }
                scanning.set(false);
                reload.emit(());
            });
        })
    };
    let restore = {
        let (undo, reload, error) = (undo.clone(), reload.clone(), error.clone());
        Callback::from(move |_: ()| {
            let Some(page) = (*undo).clone() else {
                return;
            };
            undo.set(None);
            let (reload, error) = (reload.clone(), error.clone());
            spawn_local(async move {
                match ipc::restore_page(&page.id).await {
                    Ok(()) => reload.emit(()),
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let on_deleted = {
        let (undo, undo_timer, undo_button) =
            (undo.clone(), undo_timer.clone(), undo_button.clone());
        Callback::from(move |page: PageInfo| {
            undo.set(Some(page));
            let undo = undo.clone();
            *undo_timer.borrow_mut() =
                Some(gloo_timers::callback::Timeout::new(UNDO_MS, move || {
                    undo.set(None)
                }));
            // Focus on "Hoàn tác", never on the next page's ✕.
            let undo_button = undo_button.clone();
            gloo_timers::callback::Timeout::new(0, move || focus(&undo_button)).forget();
        })
    };
    // F8 scans from anywhere on the screen, Ctrl+Z brings back the page deleted last, Escape
    // closes the zoomed page; never while the window is locked.
    {
        let (start_scan, restore, zoom) = (start_scan.clone(), restore.clone(), zoom.clone());
        use_effect_with((start_scan, restore), move |(start_scan, restore)| {
            let (start_scan, restore) = (start_scan.clone(), restore.clone());
            let document = web_sys::window()
                .and_then(|w| w.document())
                .expect("a document");
            let listener = EventListener::new(&document, "keydown", move |event| {
                let Some(key) = event.dyn_ref::<KeyboardEvent>() else {
                    return;
                };
                if crate::lock::locked() {
                    return;
                }
                match (key.key().as_str(), key.ctrl_key()) {
                    ("F8", _) => {
                        key.prevent_default();
                        start_scan.emit(());
                    }
                    ("z" | "Z", true) if !in_text_box(key) => {
                        key.prevent_default();
                        restore.emit(());
                    }
                    ("Escape", _) => zoom.set(None),
                    _ => {}
                }
            });
            move || drop(listener)
        });
    }
    let on_export = {
        let (key, exported, error) = (key.clone(), exported.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            let (key, exported, error) = (key.clone(), exported.clone(), error.clone());
            spawn_local(async move {
                match ipc::export_dossier(key.trim()).await {
                    Ok(saved) => exported.set(Some(saved)),
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    // "Chọn tệp…": the system's file dialog, its files imported like dropped ones.
    let on_choose_files = {
        let file_input = file_input.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(input) = file_input.cast::<HtmlInputElement>() {
                input.click();
            }
        })
    };
    let on_files = {
        let (key, target, reload, error) =
            (key.clone(), target.clone(), reload.clone(), error.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(list) = input.files() else {
                return;
            };
            let files: Vec<web_sys::File> =
                (0..list.length()).filter_map(|i| list.get(i)).collect();
            // The same files can be chosen again later.
            input.set_value("");
            if files.is_empty() {
                return;
            }
            let to = match target.as_str() {
                "result" => Target::Result { code: None },
                n => Target::Component {
                    n: n.parse().unwrap_or(1),
                },
            };
            let (key, reload, error) = (key.clone(), reload.clone(), error.clone());
            spawn_local(async move {
                let kept = match read_files(files).await {
                    Ok(files) => ipc::attach_dropped(key.trim(), &to, &files).await,
                    Err(e) => Err(e),
                };
                match kept {
                    Ok(_) => {
                        error.set(None);
                        reload.emit(())
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };

    let dragged = use_mut_ref(|| None::<PageInfo>);
    let shown = thumbs.borrow();
    let sheet = view.as_ref().map(|v| Sheet {
        lang,
        key: key.clone(),
        view: v,
        thumbs: &shown,
        reload: reload.clone(),
        error: error.clone(),
        zoom: zoom.clone(),
        deleted: on_deleted.clone(),
        dragged: dragged.clone(),
    });

    let component_options = view
        .as_ref()
        .map(|v| {
            v.components
                .iter()
                .filter(|c| !c.show_only)
                .map(|c| html! { <option value={c.n.to_string()} selected={*target == c.n.to_string()}>{ format!("{}. {}", c.n, c.name) }</option> })
                .collect::<Html>()
        })
        .unwrap_or_default();
    let option = |value: &str, label: Text, current: &str| {
        html! { <option value={value.to_owned()} selected={current == value}>{ label.in_lang(lang) }</option> }
    };
    let no_scanner = device_of(&preferences, &scanners).is_none();
    let undo_notice = undo.as_ref().map(|page| {
        let onclick = restore.reform(|_: MouseEvent| ());
        html! {
            <p id="undo-notice" class="notice" role="status">
                { i18n::page_deleted(lang, page.position) }{ " " }
                <button id="undo-delete" ref={undo_button.clone()} class="action" {onclick}>
                    { Text::Undo.in_lang(lang) }<kbd>{ "Ctrl+Z" }</kbd>
                </button>
            </p>
        }
    });

    html! {
        <section class="digitise">
            <h1>{ Text::DigitiseTitle.in_lang(lang) }</h1>
            <div class="scan-toolbar">
                <div class="finder-field">
                    <label for="scan-dossier">{ Text::FieldDossier.in_lang(lang) }</label>
                    <DossierFinder value={props.dossier.clone()} on_choose={on_choose} input_ref={finder_input} />
                </div>
                <div>
                    <label for="scan-target">{ Text::FieldTarget.in_lang(lang) }</label>
                    <select id="scan-target" onchange={on_target}>
                        { component_options }
                        { option("result", Text::TargetResults, &target) }
                        { option("stack", Text::StackMode, &target) }
                    </select>
                </div>
                <ScanBar {lang} scanners={(*scanners).clone()} preferences={(*preferences).clone()} on_change={on_preferences} />
                <button id="scan-button" class="primary" disabled={*scanning || no_scanner} onclick={start_scan.reform(|_: MouseEvent| ())}>
                    { Text::ScanButton.in_lang(lang) }
                </button>
                <button id="choose-files" class="action" disabled={view.is_none() || target.as_str() == "stack"} onclick={on_choose_files}>
                    { Text::ChooseFiles.in_lang(lang) }
                </button>
                <input id="file-input" ref={file_input} type="file" multiple=true class="hidden"
                    accept=".jpg,.jpeg,.png,.tif,.tiff,.pdf,image/jpeg,image/png,image/tiff,application/pdf"
                    onchange={on_files} />
                <button id="export-button" class="action" disabled={view.is_none()} onclick={on_export}>{ Text::ExportPdf.in_lang(lang) }</button>
            </div>
            if *scanning {
                <p id="scan-progress" role="status"><progress></progress>{ " " }{ Text::Scanning.in_lang(lang) }</p>
            }
            { for undo_notice }
            { for done.as_ref().map(|d| html! { <p id="scan-done" class="success" role="status">{ d }</p> }) }
            { for exported.as_ref().map(|p| html! { <p id="export-saved" class="success" role="status">{ i18n::form_saved(lang, &p.path, p.opened) }</p> }) }
            { for error.as_ref().map(|e| html! { <p id="scan-error" class="form-error" role="alert">{ i18n::error_text(lang, e) }</p> }) }
            if view.is_some() {
                <p id="ocr-status" class="status" role="status">{
                    if waiting > 0 { i18n::ocr_waiting(lang, waiting) } else { Text::OcrAllDone.in_lang(lang).to_owned() }
                }</p>
            }
            <div class="scan-body">
                <aside>
                    <h2>{ Text::Components.in_lang(lang) }</h2>
                    { for sheet.as_ref().map(Sheet::checklist) }
                </aside>
                { for sheet.as_ref().map(Sheet::thumbnails) }
            </div>
            { for zoom.as_ref().map(|url| {
                let close = { let zoom = zoom.clone(); Callback::from(move |_: MouseEvent| zoom.set(None)) };
                html! {
                    <div id="zoom" class="zoom" onclick={close} title={Text::CloseZoom.in_lang(lang)}>
                        <img src={url.clone()} alt={Text::Close.in_lang(lang)} />
                    </div>
                }
            }) }
        </section>
    }
}

/// Ctrl+Z in a text box undoes typing there, not a deleted page.
fn in_text_box(event: &KeyboardEvent) -> bool {
    event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA"))
}
