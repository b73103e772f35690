//! Parts shared by every page.

mod nav_bar;
mod notice_banner;
mod procedure_picker;
mod status_bar;

pub use nav_bar::NavBar;
pub use notice_banner::NoticeBanner;
pub use procedure_picker::ProcedurePicker;
pub use status_bar::StatusBar;
