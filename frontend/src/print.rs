//! Printing a form through the system's print dialog: the pages the desk drew go on a layer of
//! their own, which is all a print shows (see `styles.css`), and the web view is asked to print.
//! The dialog starts on the form's paper (the shell sets it); the layer stays until the next
//! print, since the web view may still be drawing it after `print()` returns.

use hoso_model::ipc::FormPrint;
use hoso_model::{ApiError, ErrorCode};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlImageElement;

const LAYER: &str = "print-pages";

/// Puts the form's pages on the print layer, waits until each is decoded, and prints.
pub async fn print(job: &FormPrint) -> Result<(), ApiError> {
    lay_out_and_print(job)
        .await
        .map_err(|_| ApiError::new(ErrorCode::Internal, "the window could not print"))
}

async fn lay_out_and_print(job: &FormPrint) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    let document = window.document().ok_or(JsValue::NULL)?;
    if let Some(old) = document.get_element_by_id(LAYER) {
        old.remove();
    }
    let layer = document.create_element("div")?;
    layer.set_id(LAYER);
    let style = document.create_element("style")?;
    let (w, h) = (job.width_mm, job.height_mm);
    style.set_text_content(Some(&format!(
        "@page {{ size: {w}mm {h}mm; margin: 0 }} #{LAYER} img {{ width: {w}mm; height: {h}mm }}"
    )));
    layer.append_child(&style)?;
    for url in &job.pages {
        let page: HtmlImageElement = document.create_element("img")?.dyn_into()?;
        page.set_src(url);
        layer.append_child(&page)?;
        JsFuture::from(page.decode()).await?;
    }
    document.body().ok_or(JsValue::NULL)?.append_child(&layer)?;
    window.print()
}
