//! The printer last used and its options (tray, duplex, quality), kept between prints so that
//! the print dialog opens on them: GTK's `PrintSettings` in `<data dir>/window/print-settings.ini`
//! (`kept.rs`), read before the dialog and written after a print that went through. What
//! belongs to one print only (copies, pages, paper, orientation: each form brings its own
//! paper) is not kept. Linux only: on Windows WebView2's dialog remembers the printer itself.

use std::path::{Path, PathBuf};

/// Settings that belong to one print, not to the printer.
const ONE_PRINT_ONLY: [&str; 10] = [
    "n-copies",
    "page-ranges",
    "print-pages",
    "page-set",
    "reverse",
    "scale",
    "paper-format",
    "paper-width",
    "paper-height",
    "orientation",
];

/// Where the print settings are kept for the data directory `data_dir`.
pub fn settings_file(data_dir: &Path) -> PathBuf {
    crate::kept::folder(data_dir).join("print-settings.ini")
}

/// The settings kept in `file`, if there are any (none before the first print, or if the file
/// cannot be read: the dialog then opens on the system's default printer).
pub fn load(file: &Path) -> Option<gtk::PrintSettings> {
    let settings = gtk::PrintSettings::from_file(file).ok()?;
    forget_the_print(&settings);
    Some(settings)
}

/// Keeps `settings` in `file`, less what belonged to that print, replacing the file whole.
pub fn save(settings: &gtk::PrintSettings, file: &Path) -> std::io::Result<()> {
    let kept = settings
        .copy()
        .ok_or_else(|| std::io::Error::other("the print settings cannot be copied"))?;
    forget_the_print(&kept);
    crate::kept::replace(file, |part| {
        kept.to_file(part)
            .map_err(|err| std::io::Error::other(err.to_string()))
    })
}

fn forget_the_print(settings: &gtk::PrintSettings) {
    for key in ONE_PRINT_ONLY {
        settings.unset(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_printer_chosen_in_the_dialog_comes_back_at_the_next_print_without_its_copies() {
        gtk::init().expect("GTK starts (the tests run under Xvfb: ./x test)");
        let dir = tempfile::tempdir().unwrap();
        let file = settings_file(dir.path());
        assert!(load(&file).is_none(), "nothing kept before the first print");

        let chosen = gtk::PrintSettings::new();
        chosen.set_printer("HP LaserJet Một cửa");
        chosen.set_duplex(gtk::PrintDuplex::Vertical);
        chosen.set_n_copies(3);
        chosen.set_orientation(gtk::PageOrientation::Landscape);
        save(&chosen, &file).unwrap();

        let kept = load(&file).expect("the settings were kept");
        assert_eq!(kept.printer().as_deref(), Some("HP LaserJet Một cửa"));
        assert_eq!(kept.duplex(), gtk::PrintDuplex::Vertical);
        assert!(
            !kept.has_key("n-copies") && !kept.has_key("orientation"),
            "copies and orientation were for that print only"
        );
        assert_eq!(
            chosen.n_copies(),
            3,
            "the dialog's own settings are left alone"
        );
        let names: Vec<_> = std::fs::read_dir(file.parent().unwrap())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(names, ["print-settings.ini"], "no temporary file is left");

        std::fs::write(&file, "[Print Settings\nprinter=").unwrap();
        assert!(load(&file).is_none(), "a broken file is ignored");
    }
}
