//! Loading a dossier's pages for the scan station, with each thumbnail fetched once, and
//! reading files dropped on the window or chosen in the file dialog.

use std::cell::RefCell;
use std::rc::Rc;

use hoso_model::ipc::DroppedFile;
use hoso_model::page::Digitisation;
use hoso_model::{ApiError, Field};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::ipc;
use crate::state::digitise::{Loads, Thumbnails};

/// What loads the dossier's pages: the view and the error it sets, the thumbnails it keeps,
/// and the loads asked for.
#[derive(Clone)]
pub struct Loader {
    pub view: UseStateHandle<Option<Digitisation>>,
    pub error: UseStateHandle<Option<ApiError>>,
    pub thumbs: Rc<RefCell<Thumbnails>>,
    pub loads: Rc<RefCell<Loads>>,
}

impl Loader {
    /// Loads the dossier `key` (code or id); nothing for an empty key. A load asked for while
    /// one runs follows it, once, with the latest key.
    pub fn load(&self, key: &str) {
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
    pub fn refresh(&self) {
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

/// The dropped or chosen files' names and bytes, read in the window (the shell never sees their paths).
pub async fn read_files(files: Vec<web_sys::File>) -> Result<Vec<DroppedFile>, ApiError> {
    use base64::Engine as _;
    let mut out = Vec::with_capacity(files.len());
    for file in files {
        let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
            .await
            .map_err(|_| ApiError::validation(Field::File, "the file cannot be read"))?;
        let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
        out.push(DroppedFile {
            name: file.name(),
            data: base64::engine::general_purpose::STANDARD.encode(bytes),
        });
    }
    Ok(out)
}
