//! One component per screen of the navigation bar.

mod digitise;
mod dossier;
mod dossiers;
mod intake;
mod not_yet;
mod settings;
mod sync;

pub use digitise::DigitisePage;
pub use dossier::DossierPage;
pub use dossiers::DossiersPage;
pub use intake::IntakePage;
pub use not_yet::NotYetPage;
pub use settings::SettingsPage;
pub use sync::SyncPage;

/// Moves keyboard focus to an element, if it is on the page.
pub(crate) fn focus(node: &yew::NodeRef) {
    if let Some(element) = node.cast::<web_sys::HtmlElement>() {
        let _ = element.focus();
    }
}
