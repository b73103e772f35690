//! One component per screen of the navigation bar.

mod accounts;
mod audit;
mod digitise;
mod dossier;
mod dossiers;
mod intake;
mod review;
mod safeguards;
mod settings;
mod supervise;
mod sync;

pub use digitise::DigitisePage;
pub use dossier::DossierPage;
pub use dossiers::DossiersPage;
pub use intake::IntakePage;
pub use review::ReviewPage;
pub use settings::SettingsPage;
pub use supervise::SupervisePage;
pub use sync::SyncPage;
