//! Printing a form through the system's print dialog: the pages the desk drew go on a layer of
//! their own, which is all a print shows (see `styles.css`), and the shell is asked to print
//! the window on the form's paper, which the dialog starts on. The layer stays
//! until the next print, since the printer may still be drawing it when the call returns.

use hoso_model::ipc::FormPrint;
use hoso_model::{ApiError, ErrorCode};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CssStyleSheet, HtmlImageElement};

const LAYER: &str = "print-pages";

/// Asks the desk for a dossier's form (saved as a PDF, drawn for print) and prints it; where
/// it was saved.
pub async fn print_form(
    dossier: &str,
    kind: hoso_model::ipc::FormKind,
) -> Result<hoso_model::ipc::FormSaved, ApiError> {
    let job = crate::ipc::print_form(dossier, kind).await?;
    print(&job).await?;
    Ok(job.saved)
}

/// Puts the form's pages on the print layer, waits until each is decoded, and prints.
pub async fn print(job: &FormPrint) -> Result<(), ApiError> {
    lay_out(job)
        .await
        .map_err(|_| ApiError::new(ErrorCode::Internal, "the window could not print"))?;
    crate::ipc::print_window(job.width_mm, job.height_mm).await
}

/// Prints lines of text on an A4 sheet (the recovery key, to keep in the safe).
pub async fn print_text(lines: &[String]) -> Result<(), ApiError> {
    let laid = (|| {
        let document = web_sys::window()
            .and_then(|w| w.document())
            .ok_or(JsValue::NULL)?;
        if let Some(old) = document.get_element_by_id(LAYER) {
            old.remove();
        }
        let layer = document.create_element("div")?;
        layer.set_id(LAYER);
        let text = document.create_element("div")?;
        text.set_class_name("print-text");
        text.set_text_content(Some(&lines.join("\n")));
        layer.append_child(&text)?;
        document.body().ok_or(JsValue::NULL)?.append_child(&layer)?;
        Ok::<_, JsValue>(())
    })();
    laid.map_err(|_| ApiError::new(ErrorCode::Internal, "the window could not print"))?;
    crate::ipc::print_window(210.0, 297.0).await
}

async fn lay_out(job: &FormPrint) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    let document = window.document().ok_or(JsValue::NULL)?;
    if let Some(old) = document.get_element_by_id(LAYER) {
        old.remove();
    }
    let layer = document.create_element("div")?;
    layer.set_id(LAYER);
    let (w, h) = (job.width_mm, job.height_mm);
    // The window's content security policy forbids inline styles, not the style sheet's own
    // rules: the paper size goes in as one (for web views that read it, such as WebView2).
    if let Some(sheet) = document
        .style_sheets()
        .get(0)
        .and_then(|s| s.dyn_into::<CssStyleSheet>().ok())
    {
        let rule = format!("@page {{ size: {w}mm {h}mm; margin: 0 }}");
        let _ = sheet.insert_rule_with_index(&rule, sheet.css_rules()?.length());
    }
    for url in &job.pages {
        let page: HtmlImageElement = document.create_element("img")?.dyn_into()?;
        // Half a millimetre short of the sheet: the printable height is the sheet's, rounded,
        // and a page drawn to the last hair spills onto a second, empty sheet.
        let style = page.style();
        style.set_property("width", &format!("{w}mm"))?;
        style.set_property("height", &format!("{}mm", h - 0.5))?;
        style.set_property("object-fit", "contain")?;
        page.set_src(url);
        layer.append_child(&page)?;
        JsFuture::from(page.decode()).await?;
    }
    document.body().ok_or(JsValue::NULL)?.append_child(&layer)?;
    Ok(())
}
