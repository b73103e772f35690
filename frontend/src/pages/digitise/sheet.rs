//! The dossier's sheet at the scan station: the components' checklist and the pages'
//! thumbnails, with what each page's buttons, drags and drops do.

use std::cell::RefCell;
use std::rc::Rc;

use hoso_model::page::{Digitisation, PageInfo, Target};
use hoso_model::{ApiError, Language, Text};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::loader::read_files;
use crate::components::{Icon, PageThumb, icon};
use crate::ipc;
use crate::state::digitise::Thumbnails;

/// What the sheet draws from and acts through.
pub struct Sheet<'a> {
    pub lang: Language,
    /// The dossier's code or id.
    pub key: String,
    pub view: &'a Digitisation,
    pub thumbs: &'a Thumbnails,
    /// Loads the dossier again.
    pub reload: Callback<()>,
    pub error: UseStateHandle<Option<ApiError>>,
    pub zoom: UseStateHandle<Option<String>>,
    /// A page was set aside: the station offers to undo it.
    pub deleted: Callback<PageInfo>,
    /// The page being dragged onto another, if any.
    pub dragged: Rc<RefCell<Option<PageInfo>>>,
}

impl Sheet<'_> {
    /// What a page's button does, through the desk; the sheet is loaded again after.
    fn page_action(&self, page: &PageInfo, action: &'static str) -> Callback<()> {
        let (reload, error, zoom) = (self.reload.clone(), self.error.clone(), self.zoom.clone());
        let (deleted, taken) = (self.deleted.clone(), page.clone());
        let (id, position) = (page.id.clone(), page.position);
        Callback::from(move |_: ()| {
            let (reload, error, zoom, id) =
                (reload.clone(), error.clone(), zoom.clone(), id.clone());
            let (deleted, taken) = (deleted.clone(), taken.clone());
            spawn_local(async move {
                let result = match action {
                    "earlier" => ipc::move_page(&id, position.saturating_sub(1).max(1)).await,
                    "later" => ipc::move_page(&id, position + 1).await,
                    "rotate" => ipc::rotate_page(&id, 1).await,
                    "delete" => {
                        let done = ipc::delete_page(&id).await;
                        if done.is_ok() {
                            deleted.emit(taken);
                        }
                        done
                    }
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
    }

    // A page dragged onto a component (or the results) moves there; files dragged from a
    // folder or a mail become its pages.
    fn drop_on(&self, target: Target) -> Callback<DragEvent> {
        let (key, reload, error, dragged) = (
            self.key.clone(),
            self.reload.clone(),
            self.error.clone(),
            self.dragged.clone(),
        );
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            let (key, reload, error) = (key.clone(), reload.clone(), error.clone());
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
                let kept = match read_files(files).await {
                    Ok(files) => ipc::attach_dropped(key.trim(), &target, &files).await,
                    Err(e) => Err(e),
                };
                match kept {
                    Ok(_) => reload.emit(()),
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    }

    /// The components' checklist, each a place to drop pages on.
    pub fn checklist(&self) -> Html {
        let (v, lang) = (self.view, self.lang);
        let items = v.components.iter().map(|c| {
            let onchange = {
                let (key, reload, error) = (self.key.clone(), self.reload.clone(), self.error.clone());
                let (n, declared) = (c.n, c.declared_pages);
                Callback::from(move |e: Event| {
                    let checked = e.target_unchecked_into::<HtmlInputElement>().checked();
                    let (key, reload, error) = (key.clone(), reload.clone(), error.clone());
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
            let ondrop = self.drop_on(Target::Component { n: c.n });
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
                    <li id="results-drop" class="results" {ondragover} ondrop={self.drop_on(Target::Result { code: None })}>
                        { format!("{} ({results} {})", Text::TargetResults.in_lang(lang), Text::PagesWord.in_lang(lang)) }
                    </li>
                </ul>
                <p class="hint">{ Text::DropHint.in_lang(lang) }</p>
            </>
        }
    }

    /// The pages' thumbnails, each with its buttons, dragged to reorder or refile.
    pub fn thumbnails(&self) -> Html {
        let (v, lang, shown) = (self.view, self.lang, self.thumbs);
        if v.pages.is_empty() {
            return html! { <p class="empty">{ Text::NoPages.in_lang(lang) }</p> };
        }
        let figures = v.pages.iter().map(|page| {
            let src = shown.src(&page.id);
            let onselect = self.page_action(page, "zoom");
            let ondragstart = {
                let (dragged, page) = (self.dragged.clone(), page.clone());
                Callback::from(move |()| *dragged.borrow_mut() = Some(page.clone()))
            };
            // Dropped on a page of the same component (or of the results), the page takes its
            // place; dropped on a page of another component, it moves there and takes its place.
            // A second image moves with its sheet.
            let ondrop = {
                let (dragged, onto) = (self.dragged.clone(), page.clone());
                let (reload, error) = (self.reload.clone(), self.error.clone());
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
                        <button class="earlier" title={Text::PageEarlier.in_lang(lang)} onclick={self.page_action(page, "earlier").reform(|_: MouseEvent| ())}>{ icon(Icon::Earlier) }</button>
                        <button class="rotate" title={Text::PageRotate.in_lang(lang)} onclick={self.page_action(page, "rotate").reform(|_: MouseEvent| ())}>{ icon(Icon::Rotate) }</button>
                        <button class="later" title={Text::PageLater.in_lang(lang)} onclick={self.page_action(page, "later").reform(|_: MouseEvent| ())}>{ icon(Icon::Later) }</button>
                        <button class="delete" title={Text::PageDelete.in_lang(lang)} onclick={self.page_action(page, "delete").reform(|_: MouseEvent| ())}>{ icon(Icon::Delete) }</button>
                        if page.note_of.is_some() {
                            <button class="split" title={Text::PageSplitNote.in_lang(lang)} onclick={self.page_action(page, "split").reform(|_: MouseEvent| ())}>{ icon(Icon::Split) }</button>
                        } else if page.position > 1 {
                            <button class="join" title={Text::PageJoinNote.in_lang(lang)} onclick={self.page_action(page, "join").reform(|_: MouseEvent| ())}>{ icon(Icon::Join) }</button>
                        }
                    </div>
                </PageThumb>
            }
        });
        html! { <div id="thumbnails" class="thumbnails">{ for figures }</div> }
    }
}
