//! Parts shared by every page.

mod nav_bar;
mod notice_banner;
mod status_bar;

pub use nav_bar::NavBar;
pub use notice_banner::NoticeBanner;
pub use status_bar::StatusBar;
