//! The scan station: choose the dossier and where its pages go (or feed a stack with QR covers),
//! press one key to scan, watch thumbnails arrive, put pages in order, turn or delete them, and
//! export the dossier's PDF. The components checklist ticks itself; text recognition's progress
//! shows until every page is done. The screen follows the desk's events (pages kept, text read)
//! and loads the dossier again when one comes; each page's thumbnail is fetched once, and again
//! only when the page is turned.

use std::cell::RefCell;
use std::rc::Rc;

use hoso_model::ipc::{DeskEvent, DroppedFile, FormSaved, ScanRequest};
use hoso_model::page::{Digitisation, PageInfo, Target};
use hoso_model::scan::{ColourMode, Feed, ScanSettings, ScannerInfo};
use hoso_model::{ApiError, Field, Text, i18n};
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::PageThumb;
use crate::ipc;
use crate::state::DeskContext;
use crate::state::digitise::{Loads, Thumbnails};

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The dossier to digitise (code or id), if one was chosen.
    pub dossier: Option<String>,
}

#[function_component(DigitisePage)]
pub fn digitise_page(props: &Props) -> Html {
    let desk = use_context::<DeskContext>().expect("inside the desk context");
    let lang = desk.language;
    let code = use_state(|| props.dossier.clone().unwrap_or_default());
    let view = use_state(|| None::<Digitisation>);
    let thumbs = use_mut_ref(Thumbnails::default);
    let loads = use_mut_ref(Loads::default);
    let error = use_state(|| None::<ApiError>);
    let scanners = use_state(Vec::<ScannerInfo>::new);
    let device = use_state(String::new);
    let feed = use_state(Feed::default);
    let mode = use_state(ColourMode::default);
    let resolution = use_state(|| 300u32);
    // With no dossier chosen yet, a stack filed by its QR covers is the natural start.
    let target = use_state(|| {
        if props.dossier.is_some() {
            "1"
        } else {
            "stack"
        }
        .to_owned()
    });
    let code_input = use_node_ref();
    {
        // Focus starts in the station, so F8 scans at once.
        let code_input = code_input.clone();
        use_effect_with((), move |_| crate::components::focus(&code_input));
    }
    let scanning = use_state(|| false);
    let done = use_state(|| None::<String>);
    let exported = use_state(|| None::<FormSaved>);
    let zoom = use_state(|| None::<String>);

    // Load (and reload) the dossier's pages.
    let loader = Loader {
        view: view.clone(),
        error: error.clone(),
        thumbs: thumbs.clone(),
        loads: loads.clone(),
    };
    let reload = {
        let (loader, code) = (loader.clone(), code.clone());
        Callback::from(move |_: ()| loader.load(code.trim()))
    };
    // Pages kept (by a scan, a drop, the scan folder) or read by text recognition: the shown
    // dossier is loaded again.
    {
        let loader = loader.clone();
        use_effect_with((), move |_| {
            let listening = ipc::events::listen(move |event| match event {
                DeskEvent::PagesKept { .. } | DeskEvent::PageRead { .. } => loader.refresh(),
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
        let (scanners, device) = (scanners.clone(), device.clone());
        use_effect_with((), move |_| {
            spawn_local(async move {
                if let Ok(found) = ipc::scanners().await {
                    if let Some(first) = found.first() {
                        device.set(first.id.clone());
                    }
                    scanners.set(found);
                }
            });
        });
    }
    let waiting = view.as_ref().map_or(0, |v| v.ocr_waiting);

    let on_code = {
        let code = code.clone();
        Callback::from(move |e: InputEvent| {
            code.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_code_key = {
        let reload = reload.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                reload.emit(());
            }
        })
    };
    let select = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: Event| {
            state.set(e.target_unchecked_into::<HtmlSelectElement>().value())
        })
    };
    // The options below are the names of feeds and modes, so each value reads back.
    let on_feed = {
        let feed = feed.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            feed.set(Feed::from_name(&value).unwrap_or_default());
        })
    };
    let on_mode = {
        let mode = mode.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            mode.set(ColourMode::from_name(&value).unwrap_or_default());
        })
    };
    let on_resolution = {
        let resolution = resolution.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            resolution.set(value.parse().unwrap_or(300));
        })
    };

    let start_scan = {
        let (code, device, feed, mode, resolution, target) = (
            code.clone(),
            device.clone(),
            feed.clone(),
            mode.clone(),
            resolution.clone(),
            target.clone(),
        );
        let (scanning, error, done, reload) = (
            scanning.clone(),
            error.clone(),
            done.clone(),
            reload.clone(),
        );
        Callback::from(move |_: ()| {
            if *scanning || device.is_empty() {
                return;
            }
            let stack = target.as_str() == "stack";
            let request = ScanRequest {
                dossier: (!stack && !code.trim().is_empty()).then(|| code.trim().to_owned()),
                target: match target.as_str() {
                    "stack" => None,
                    "result" => Some(Target::Result { code: None }),
                    n => Some(Target::Component {
                        n: n.parse().unwrap_or(1),
                    }),
                },
                device: (*device).clone(),
                settings: ScanSettings {
                    feed: *feed,
                    resolution: *resolution,
                    mode: *mode,
                },
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
    let on_scan_click = {
        let start_scan = start_scan.clone();
        Callback::from(move |_: MouseEvent| start_scan.emit(()))
    };
    let on_key = {
        let start_scan = start_scan.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "F8" {
                e.prevent_default();
                start_scan.emit(());
            }
        })
    };
    let on_export = {
        let (code, exported, error) = (code.clone(), exported.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            let (key, exported, error) = ((*code).clone(), exported.clone(), error.clone());
            spawn_local(async move {
                match ipc::export_dossier(key.trim()).await {
                    Ok(saved) => exported.set(Some(saved)),
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };

    // The page being dragged onto another, if any.
    let dragged = use_mut_ref(|| None::<PageInfo>);
    let page_action = |page: &PageInfo, action: &'static str| {
        let (reload, error, zoom) = (reload.clone(), error.clone(), zoom.clone());
        let (id, position) = (page.id.clone(), page.position);
        Callback::from(move |_: ()| {
            let (reload, error, zoom, id) =
                (reload.clone(), error.clone(), zoom.clone(), id.clone());
            spawn_local(async move {
                let result = match action {
                    "earlier" => ipc::move_page(&id, position.saturating_sub(1).max(1)).await,
                    "later" => ipc::move_page(&id, position + 1).await,
                    "rotate" => ipc::rotate_page(&id, 1).await,
                    "delete" => ipc::delete_page(&id).await,
                    "join" => ipc::join_note(&id).await,
                    "split" => ipc::split_note(&id).await,
                    _ => match ipc::page_image(&id).await {
                        Ok(url) => {
                            zoom.set(Some(url));
                            Ok(())
                        }
                        Err(e) => Err(e),
                    },
                };
                match result {
                    Ok(()) => reload.emit(()),
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };

    // A page dragged onto a component (or the results) moves there; files dragged from a
    // folder or a mail become its pages.
    let drop_on = |target: Target| {
        let (code, reload, error, dragged) =
            (code.clone(), reload.clone(), error.clone(), dragged.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            let (key, reload, error) = ((*code).clone(), reload.clone(), error.clone());
            if let Some(page) = dragged.borrow_mut().take() {
                if page.target == target {
                    return;
                }
                let target = target.clone();
                spawn_local(async move {
                    match ipc::refile_page(&page.id, &target).await {
                        Ok(()) => reload.emit(()),
                        Err(e) => error.set(Some(e)),
                    }
                });
                return;
            }
            let Some(list) = e.data_transfer().and_then(|d| d.files()) else {
                return;
            };
            let files: Vec<web_sys::File> =
                (0..list.length()).filter_map(|i| list.get(i)).collect();
            if files.is_empty() {
                return;
            }
            let target = target.clone();
            spawn_local(async move {
                let kept = match read_dropped(files).await {
                    Ok(files) => ipc::attach_dropped(key.trim(), &target, &files).await,
                    Err(e) => Err(e),
                };
                match kept {
                    Ok(_) => reload.emit(()),
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };

    let checklist = view.as_ref().map(|v| {
        let items = v.components.iter().map(|c| {
            let onchange = {
                let (code, reload, error) = (code.clone(), reload.clone(), error.clone());
                let (n, declared) = (c.n, c.declared_pages);
                Callback::from(move |e: Event| {
                    let checked = e.target_unchecked_into::<HtmlInputElement>().checked();
                    let (key, reload, error) = ((*code).clone(), reload.clone(), error.clone());
                    spawn_local(async move {
                        match ipc::set_component(key.trim(), n, checked, declared).await {
                            Ok(()) => reload.emit(()),
                            Err(e) => error.set(Some(e)),
                        }
                    });
                })
            };
            let mark = if c.missing() {
                format!(" — {}", Text::Missing.in_lang(lang))
            } else if c.count_differs() {
                format!(" — {}", Text::CountDiffers.in_lang(lang))
            } else {
                String::new()
            };
            let ondrop = drop_on(Target::Component { n: c.n });
            let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
            html! {
                <li class={classes!(c.missing().then_some("missing"))} id={format!("component-drop-{}", c.n)} {ondragover} {ondrop}>
                    <label>
                        <input type="checkbox" id={format!("component-{}", c.n)} checked={c.checked} {onchange} />
                        { format!("{}. {} ({} {}){mark}", c.n, c.name, c.pages, Text::PagesWord.in_lang(lang)) }
                    </label>
                </li>
            }
        });
        let results = v
            .pages
            .iter()
            .filter(|p| matches!(p.target, Target::Result { .. }) && p.note_of.is_none())
            .count();
        let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
        html! {
            <>
                <ul id="scan-components" class="components">
                    { for items }
                    <li id="results-drop" class="results" {ondragover} ondrop={drop_on(Target::Result { code: None })}>
                        { format!("{} ({results} {})", Text::TargetResults.in_lang(lang), Text::PagesWord.in_lang(lang)) }
                    </li>
                </ul>
                <p class="hint">{ Text::DropHint.in_lang(lang) }</p>
            </>
        }
    });

    let shown = thumbs.borrow();
    let thumbnails = view.as_ref().map(|v| {
        if v.pages.is_empty() {
            return html! { <p class="empty">{ Text::NoPages.in_lang(lang) }</p> };
        }
        let figures = v.pages.iter().map(|page| {
            let src = shown.src(&page.id);
            let onselect = page_action(page, "zoom");
            let ondragstart = {
                let (dragged, page) = (dragged.clone(), page.clone());
                Callback::from(move |()| *dragged.borrow_mut() = Some(page.clone()))
            };
            // Dropped on a page of the same component (or of the results), the page takes its
            // place; dropped on a page of another component, it moves there and takes its place.
            // A second image moves with its sheet.
            let ondrop = {
                let (dragged, onto) = (dragged.clone(), page.clone());
                let (reload, error) = (reload.clone(), error.clone());
                Callback::from(move |()| {
                    let Some(taken) = dragged.borrow_mut().take() else {
                        return;
                    };
                    if taken.id == onto.id {
                        return;
                    }
                    let (reload, error, position) = (reload.clone(), error.clone(), onto.position);
                    let elsewhere = (taken.target != onto.target).then(|| onto.target.clone());
                    spawn_local(async move {
                        let moved = match elsewhere {
                            Some(target) => ipc::refile_page(&taken.id, &target).await,
                            None => Ok(()),
                        };
                        let moved = match moved {
                            Ok(()) => ipc::move_page(&taken.id, position).await,
                            Err(e) => Err(e),
                        };
                        match moved {
                            Ok(()) => reload.emit(()),
                            Err(e) => error.set(Some(e)),
                        }
                    });
                })
            };
            html! {
                <PageThumb page={page.clone()} {src} {lang} {onselect} draggable={page.note_of.is_none()} {ondragstart} {ondrop}>
                    <div class="page-actions">
                        <button class="earlier" title={Text::PageEarlier.in_lang(lang)} onclick={page_action(page, "earlier").reform(|_: MouseEvent| ())}>{ "◀" }</button>
                        <button class="rotate" title={Text::PageRotate.in_lang(lang)} onclick={page_action(page, "rotate").reform(|_: MouseEvent| ())}>{ "⟳" }</button>
                        <button class="later" title={Text::PageLater.in_lang(lang)} onclick={page_action(page, "later").reform(|_: MouseEvent| ())}>{ "▶" }</button>
                        <button class="delete" title={Text::PageDelete.in_lang(lang)} onclick={page_action(page, "delete").reform(|_: MouseEvent| ())}>{ "✕" }</button>
                        if page.note_of.is_some() {
                            <button class="split" title={Text::PageSplitNote.in_lang(lang)} onclick={page_action(page, "split").reform(|_: MouseEvent| ())}>{ "✂" }</button>
                        } else if page.position > 1 {
                            <button class="join" title={Text::PageJoinNote.in_lang(lang)} onclick={page_action(page, "join").reform(|_: MouseEvent| ())}>{ "📎" }</button>
                        }
                    </div>
                </PageThumb>
            }
        });
        html! { <div id="thumbnails" class="thumbnails">{ for figures }</div> }
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

    html! {
        <section class="digitise" onkeydown={on_key}>
            <h1>{ Text::DigitiseTitle.in_lang(lang) }</h1>
            <div class="scan-toolbar">
                <div>
                    <label for="scan-dossier">{ Text::FieldDossierCode.in_lang(lang) }</label>
                    <input id="scan-dossier" ref={code_input} type="text" value={(*code).clone()} oninput={on_code} onkeydown={on_code_key} />
                </div>
                <div>
                    <label for="scan-target">{ Text::FieldTarget.in_lang(lang) }</label>
                    <select id="scan-target" onchange={select(&target)}>
                        { component_options }
                        { option("result", Text::TargetResults, &target) }
                        { option("stack", Text::StackMode, &target) }
                    </select>
                </div>
                <div>
                    <label for="scan-device">{ Text::FieldScanner.in_lang(lang) }</label>
                    if scanners.is_empty() {
                        <p id="no-scanner" class="empty">{ Text::NoScanner.in_lang(lang) }</p>
                    } else {
                        <select id="scan-device" onchange={select(&device)}>
                            { for scanners.iter().map(|s| html! { <option value={s.id.clone()} selected={*device == s.id}>{ format!("{} ({})", s.name, s.id) }</option> }) }
                        </select>
                    }
                </div>
                <div>
                    <label for="scan-feed">{ Text::FieldFeed.in_lang(lang) }</label>
                    <select id="scan-feed" onchange={on_feed}>
                        { option(Feed::Flatbed.name(), Text::FeedFlatbed, feed.name()) }
                        { option(Feed::Adf.name(), Text::FeedAdf, feed.name()) }
                        { option(Feed::Duplex.name(), Text::FeedDuplex, feed.name()) }
                    </select>
                </div>
                <div>
                    <label for="scan-mode">{ Text::FieldMode.in_lang(lang) }</label>
                    <select id="scan-mode" onchange={on_mode}>
                        { option(ColourMode::Color.name(), Text::ModeColor, mode.name()) }
                        { option(ColourMode::Gray.name(), Text::ModeGray, mode.name()) }
                        { option(ColourMode::Lineart.name(), Text::ModeLineart, mode.name()) }
                    </select>
                </div>
                <div>
                    <label for="scan-resolution">{ Text::FieldResolution.in_lang(lang) }</label>
                    <select id="scan-resolution" onchange={on_resolution}>
                        { for [150u32, 200, 300, 600].iter().map(|r| html! { <option value={r.to_string()} selected={*resolution == *r}>{ r.to_string() }</option> }) }
                    </select>
                </div>
                <button id="scan-button" class="primary" disabled={*scanning} onclick={on_scan_click}>{ Text::ScanButton.in_lang(lang) }</button>
                <button id="export-button" class="action" disabled={view.is_none()} onclick={on_export}>{ Text::ExportPdf.in_lang(lang) }</button>
            </div>
            if *scanning {
                <p id="scan-progress" role="status"><progress></progress>{ " " }{ Text::Scanning.in_lang(lang) }</p>
            }
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
                    { for checklist }
                </aside>
                { for thumbnails }
            </div>
            { for zoom.as_ref().map(|url| {
                let close = { let zoom = zoom.clone(); Callback::from(move |_: MouseEvent| zoom.set(None)) };
                html! {
                    <div id="zoom" class="zoom" onclick={close}>
                        <img src={url.clone()} alt={Text::Close.in_lang(lang)} />
                    </div>
                }
            }) }
        </section>
    }
}

/// What loads the dossier's pages: the view and the error it sets, the thumbnails it keeps,
/// and the loads asked for.
#[derive(Clone)]
struct Loader {
    view: UseStateHandle<Option<Digitisation>>,
    error: UseStateHandle<Option<ApiError>>,
    thumbs: Rc<RefCell<Thumbnails>>,
    loads: Rc<RefCell<Loads>>,
}

impl Loader {
    /// Loads the dossier `key` (code or id); nothing for an empty key. A load asked for while
    /// one runs follows it, once, with the latest key.
    fn load(&self, key: &str) {
        if key.is_empty() {
            self.loads.borrow_mut().shown = None;
            self.view.set(None);
            return;
        }
        if !self.loads.borrow_mut().ask(key.to_owned()) {
            return;
        }
        let loader = self.clone();
        spawn_local(async move {
            let next = || loader.loads.borrow_mut().next();
            while let Some(key) = next() {
                match loader.fetch(&key).await {
                    Ok(v) => {
                        loader.loads.borrow_mut().shown = Some(key);
                        loader.view.set(Some(v));
                        loader.error.set(None);
                    }
                    Err(e) => {
                        loader.loads.borrow_mut().shown = None;
                        loader.view.set(None);
                        loader.error.set(Some(e));
                    }
                }
            }
        });
    }

    /// Loads the shown dossier again, if one is shown.
    fn refresh(&self) {
        let shown = self.loads.borrow().shown.clone();
        if let Some(key) = shown {
            self.load(&key);
        }
    }

    /// The dossier's pages, with the thumbnails it lacks fetched.
    async fn fetch(&self, key: &str) -> Result<Digitisation, ApiError> {
        let view = ipc::digitisation_pages(key).await?;
        let lacking = self.thumbs.borrow().lacking(&view);
        let drawn = if lacking.is_empty() {
            Vec::new()
        } else {
            ipc::thumbnails(&lacking).await?
        };
        self.thumbs.borrow_mut().keep(&view, drawn);
        Ok(view)
    }
}

/// The dropped files' names and bytes, read in the window (the shell never sees their paths).
async fn read_dropped(files: Vec<web_sys::File>) -> Result<Vec<DroppedFile>, ApiError> {
    use base64::Engine as _;
    let mut out = Vec::with_capacity(files.len());
    for file in files {
        let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
            .await
            .map_err(|_| ApiError::validation(Field::File, "the dropped file cannot be read"))?;
        let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
        out.push(DroppedFile {
            name: file.name(),
            data: base64::engine::general_purpose::STANDARD.encode(bytes),
        });
    }
    Ok(out)
}
