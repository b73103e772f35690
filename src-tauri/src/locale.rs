//! GTK's own dialogs (the print dialog) in the desk's language. GTK translates through
//! gettext, which follows the process's locale: on a machine whose locale names no language
//! (`LANG` unset, `C`, `POSIX`, `C.UTF-8`: a bare install, a kiosk, the tests) the dialog
//! speaks English, and gettext ignores `LANGUAGE` under the plain `C` locale. So before GTK
//! starts, when the desk speaks Vietnamese and nothing else chose a language, the shell starts
//! itself again with `LANGUAGE=vi` and the built-in `C.UTF-8` locale, under which glibc honours
//! `LANGUAGE` (no generated `vi_VN` locale is needed; GTK's Vietnamese catalogue comes with
//! it). A machine whose locale or `LANGUAGE` names a language is left as it is.
//!
//! The desk's language is in its encrypted store, which opens only at sign-in, so the shell
//! keeps a copy in `<data dir>/window/language` whenever the window learns it (start-up, a
//! change in the settings). A change of language reaches GTK at the next start.

use std::path::{Path, PathBuf};

use hoso_model::Language;

fn language_file(data_dir: &Path) -> PathBuf {
    crate::kept::folder(data_dir).join("language")
}

/// Keeps the desk's language for the next start; a failure only leaves GTK's dialogs in the
/// language of the last one kept.
pub fn remember(data_dir: &Path, language: Language) {
    let file = language_file(data_dir);
    if std::fs::read_to_string(&file).is_ok_and(|kept| kept == language.tag()) {
        return;
    }
    if crate::kept::replace(&file, |part| std::fs::write(part, language.tag())).is_err() {
        eprintln!("hoso-desktop: the desk's language could not be kept for the print dialog");
    }
}

/// The language last kept in `data_dir`, else the desk's default (Vietnamese).
fn remembered(data_dir: Option<&Path>) -> Language {
    data_dir
        .and_then(|dir| std::fs::read_to_string(language_file(dir)).ok())
        .and_then(|tag| Language::from_tag(tag.trim()))
        .unwrap_or_default()
}

/// Starts the process again with GTK speaking the desk's language, if it would not otherwise
/// (see the module's header). Call it first thing, before any thread or GTK starts; it returns
/// when nothing needs to change, or when starting again failed (GTK then speaks English).
/// Only on Linux: WebView2's print dialog on Windows speaks the system's language.
pub fn follow_the_desk() {
    if !cfg!(target_os = "linux") {
        return;
    }
    let data_dir = hoso_desk::default_data_dir().ok();
    let changes = environment(
        |name| std::env::var(name).ok(),
        remembered(data_dir.as_deref()),
    );
    if !changes.is_empty() {
        start_again(changes);
    }
}

/// Replaces this process by the same program with the same arguments and `changes` to its
/// environment; `exec` returns only on failure.
#[cfg(unix)]
fn start_again(changes: Vec<(&str, &str)>) {
    use std::os::unix::process::CommandExt;
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let _ = std::process::Command::new(exe)
        .args(std::env::args_os().skip(1))
        .envs(changes)
        .exec();
}

#[cfg(not(unix))]
fn start_again(_changes: Vec<(&str, &str)>) {}

/// The environment variables to set so that gettext speaks `desk` given the variables `var`
/// reads; none when a language is already chosen or `desk` is English (GTK's own).
fn environment(
    var: impl Fn(&str) -> Option<String>,
    desk: Language,
) -> Vec<(&'static str, &'static str)> {
    let set = |name: &str| var(name).filter(|value| !value.is_empty());
    if desk != Language::Vi || set("LANGUAGE").is_some() {
        return Vec::new();
    }
    // The variable that decides the messages' locale, as setlocale reads them.
    let deciding = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .into_iter()
        .find_map(|name| set(name).map(|value| (name, value)));
    let mut changes = vec![("LANGUAGE", "vi")];
    match deciding {
        Some((_, value)) if names_a_language(&value) => return Vec::new(),
        Some((_, value)) if is_utf8(&value) => {}
        Some((name, _)) => changes.push((name, "C.UTF-8")),
        None => changes.push(("LANG", "C.UTF-8")),
    }
    changes
}

/// Whether a locale name (`vi_VN.UTF-8`, `en_US`) names a language, unlike `C`, `POSIX` and
/// `C.UTF-8`.
fn names_a_language(locale: &str) -> bool {
    let base = locale.split(['.', '@']).next().unwrap_or_default();
    !matches!(base, "" | "C" | "POSIX")
}

fn is_utf8(locale: &str) -> bool {
    locale.split_once('.').is_some_and(|(_, codeset)| {
        codeset.eq_ignore_ascii_case("utf-8") || codeset.eq_ignore_ascii_case("utf8")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changes(vars: &[(&str, &str)], desk: Language) -> Vec<(&'static str, &'static str)> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        environment(
            |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()),
            desk,
        )
    }

    #[test]
    fn a_vietnamese_desk_on_a_machine_without_a_language_asks_gtk_for_vietnamese() {
        assert_eq!(
            changes(&[], Language::Vi),
            [("LANGUAGE", "vi"), ("LANG", "C.UTF-8")],
            "LANG unset: the C locale, where LANGUAGE is ignored"
        );
        assert_eq!(
            changes(&[("LANG", "C.UTF-8")], Language::Vi),
            [("LANGUAGE", "vi")]
        );
        assert_eq!(
            changes(
                &[("LANG", "en_US.UTF-8"), ("LC_ALL", "POSIX")],
                Language::Vi
            ),
            [("LANGUAGE", "vi"), ("LC_ALL", "C.UTF-8")],
            "LC_ALL decides over LANG"
        );
        assert_eq!(
            changes(&[("LANG", ""), ("LC_MESSAGES", "C")], Language::Vi),
            [("LANGUAGE", "vi"), ("LC_MESSAGES", "C.UTF-8")]
        );
    }

    #[test]
    fn a_language_chosen_by_the_machine_or_an_english_desk_changes_nothing() {
        assert!(changes(&[("LANG", "en_US.UTF-8")], Language::Vi).is_empty());
        assert!(changes(&[("LC_ALL", "vi_VN.UTF-8")], Language::Vi).is_empty());
        assert!(changes(&[("LANGUAGE", "fr")], Language::Vi).is_empty());
        assert!(
            changes(&[], Language::En).is_empty(),
            "GTK speaks English already"
        );
    }

    #[test]
    fn the_kept_language_is_read_back_and_vietnamese_is_the_default() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(remembered(Some(dir.path())), Language::Vi);
        assert_eq!(remembered(None), Language::Vi);
        remember(dir.path(), Language::En);
        assert_eq!(remembered(Some(dir.path())), Language::En);
        remember(dir.path(), Language::Vi);
        assert_eq!(remembered(Some(dir.path())), Language::Vi);
    }
}
