//! Every text a user reads, Vietnamese first, English second.
//!
//! The desktop frontend and the `hoso` command line both take their words from here, so a
//! label reads the same everywhere. To add a text: add a [`Text`] variant and its pair of
//! translations in [`Text::pair`]; the compiler then refuses to build until both exist.
//!
//! - `text`: the [`Text`] table, every fixed label and message.
//! - `errors`: what an error says to the officer ([`error_text`]).
//! - `labels`: names of statuses, actions, roles, queues and the like.
//! - `phrases`: texts with numbers or names in them (sizes, counts, saved forms).

use serde::{Deserialize, Serialize};

mod errors;
mod labels;
mod phrases;
#[cfg(test)]
mod tests;
mod text;

pub use errors::error_text;
pub use labels::*;
pub use phrases::*;
pub use text::Text;

/// The languages of the interface. Vietnamese is the default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Vi,
    En,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::Vi, Language::En];

    /// The BCP 47 tag, also the value stored in settings and put in `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Language::Vi => "vi",
            Language::En => "en",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Language> {
        Language::ALL
            .into_iter()
            .find(|l| l.tag().eq_ignore_ascii_case(tag.trim()))
    }

    /// The language's own name, shown in the language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Language::Vi => "Tiếng Việt",
            Language::En => "English",
        }
    }
}

/// The text of a (Vietnamese, English) pair in `lang`.
pub fn pick(lang: Language, vi: &'static str, en: &'static str) -> &'static str {
    match lang {
        Language::Vi => vi,
        Language::En => en,
    }
}
