//! Keyboard shortcuts of the whole window: an officer moves between screens without the mouse.

use super::Page;

/// The page a key press leads to, if it is a shortcut: Alt+1 … Alt+6 for the navigation bar,
/// Ctrl+N for a new dossier.
pub fn shortcut(key: &str, alt: bool, ctrl: bool) -> Option<Page> {
    match (alt, ctrl, key) {
        (true, false, digit) => {
            let n: usize = digit.parse().ok()?;
            Page::ALL.get(n.checked_sub(1)?).copied()
        }
        (false, true, "n" | "N") => Some(Page::Intake),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alt_and_a_digit_open_that_screen_of_the_navigation_bar() {
        for page in Page::ALL {
            assert_eq!(
                shortcut(&page.number().to_string(), true, false),
                Some(page)
            );
        }
    }

    #[test]
    fn ctrl_n_starts_a_new_dossier() {
        assert_eq!(shortcut("n", false, true), Some(Page::Intake));
        assert_eq!(
            shortcut("N", false, true),
            Some(Page::Intake),
            "with caps lock on too"
        );
    }

    #[test]
    fn other_keys_are_left_to_the_page() {
        for (key, alt, ctrl) in [
            ("0", true, false),
            ("7", true, false),
            ("1", false, false),
            ("1", true, true),
            ("n", false, false),
            ("a", true, false),
        ] {
            assert_eq!(
                shortcut(key, alt, ctrl),
                None,
                "{key} alt={alt} ctrl={ctrl}"
            );
        }
    }
}
