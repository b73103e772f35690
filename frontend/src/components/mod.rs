//! Parts shared by every page.

mod date_input;
mod dossier_finder;
mod filter_form;
mod icon;
mod nav_bar;
mod notice_banner;
mod page_thumb;
mod procedure_facts;
mod procedure_picker;
mod status_bar;
mod week_chart;

pub use date_input::{DateInput, today};
pub use dossier_finder::DossierFinder;
pub use filter_form::FilterForm;
pub use icon::{Icon, icon};
pub use nav_bar::NavBar;
pub use notice_banner::NoticeBanner;
pub use page_thumb::PageThumb;
pub use procedure_facts::ProcedureFacts;
pub use procedure_picker::ProcedurePicker;
pub use status_bar::StatusBar;
pub use week_chart::WeekChart;

/// Moves keyboard focus to the element with `id`, if it is on the page.
pub(crate) fn focus_id(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(element) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

/// Moves keyboard focus to an element, if it is on the page.
pub(crate) fn focus(node: &yew::NodeRef) {
    if let Some(element) = node.cast::<web_sys::HtmlElement>() {
        let _ = element.focus();
    }
}
