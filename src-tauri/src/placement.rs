//! Where the window opens. The first time, on the screen it opens on: 1280×800 in the middle of
//! that screen's work area (the screen less its panels) when there is room, else filling the
//! work area, maximised. After that, where the officer left it (size, place, maximised), kept
//! by `tauri-plugin-window-state` in the data directory (`kept.rs`); a remembered place that
//! no screen holds any more (a monitor unplugged, a smaller laptop) gives way to the first-time
//! one. The window is created hidden (`tauri.conf.json`) and shown once placed, so it never
//! flashes at the wrong size.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use tauri::plugin::TauriPlugin;
use tauri::{Monitor, PhysicalPosition, PhysicalRect, PhysicalSize, Runtime, WebviewWindow};
use tauri_plugin_window_state::{StateFlags, WindowExt};

/// The window's label in `tauri.conf.json`.
const WINDOW: &str = "main";
/// The size the window opens at where the screen has room, in logical pixels.
const PREFERRED: (u32, u32) = (1280, 800);
/// Room left for the title bar a window manager adds above the window, in logical pixels.
const TITLE_BAR: u32 = 48;

/// What is remembered of the window: not its visibility (it starts hidden) nor decorations.
fn remembered_parts() -> StateFlags {
    StateFlags::SIZE | StateFlags::POSITION | StateFlags::MAXIMIZED
}

/// The file the window's place is kept in, for the data directory `data_dir`.
pub fn state_file(data_dir: &Path) -> PathBuf {
    crate::kept::folder(data_dir).join("window-state.json")
}

/// The plugin that remembers the window's place in `file`; it restores nothing by itself
/// ([`place`] decides). The plugin joins its file name to the configuration folder, which an
/// absolute path replaces.
pub fn remembering<R: Runtime>(file: &Path) -> Option<TauriPlugin<R>> {
    let file = file.to_str()?;
    if let Some(folder) = Path::new(file).parent() {
        std::fs::create_dir_all(folder).ok()?;
    }
    Some(
        tauri_plugin_window_state::Builder::new()
            .with_state_flags(remembered_parts())
            .with_filename(file)
            .skip_initial_state(WINDOW)
            .build(),
    )
}

/// Sizes and places the hidden window (as remembered in `state_file`, if any and still on a
/// screen, else from the screen it opens on), then shows it.
pub fn place<R: Runtime>(window: &WebviewWindow<R>, state_file: Option<&Path>) {
    let monitors = window.available_monitors().unwrap_or_default();
    let areas: Vec<Rect> = monitors.iter().map(|m| work_area(m).0).collect();
    let remembered = state_file.and_then(read_remembered);
    if remembered.is_some_and(|r| r.on_a_screen(&areas)) {
        let _ = window.restore_state(remembered_parts());
    } else {
        let monitor = window
            .current_monitor()
            .ok()
            .flatten()
            .or_else(|| window.primary_monitor().ok().flatten())
            .or_else(|| monitors.into_iter().next());
        if let Some(monitor) = monitor {
            let (area, scale) = work_area(&monitor);
            let (rect, maximised) = match computed(area, scale) {
                Placement::At(rect) => (rect, false),
                Placement::Maximised(rect) => (rect, true),
            };
            let _ = window.set_size(PhysicalSize::new(rect.width, rect.height));
            let _ = window.set_position(PhysicalPosition::new(rect.x, rect.y));
            if maximised {
                let _ = window.maximize();
            }
        }
    }
    let _ = window.show();
    let _ = window.set_focus();
}

fn work_area(monitor: &Monitor) -> (Rect, f64) {
    let PhysicalRect { position, size } = *monitor.work_area();
    let area = Rect {
        x: position.x,
        y: position.y,
        width: size.width,
        height: size.height,
    };
    (area, monitor.scale_factor())
}

/// A rectangle on the desktop, in physical pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Rect {
    x: i32,
    y: i32,
    width: u32,
    height: u32,
}

impl Rect {
    fn holds(&self, inner: &Rect) -> bool {
        let right = |r: &Rect| i64::from(r.x) + i64::from(r.width);
        let bottom = |r: &Rect| i64::from(r.y) + i64::from(r.height);
        inner.x >= self.x
            && inner.y >= self.y
            && right(inner) <= right(self)
            && bottom(inner) <= bottom(self)
    }
}

/// Where the window goes on a screen whose work area is `area`.
#[derive(Debug, PartialEq, Eq)]
enum Placement {
    /// At this place and size.
    At(Rect),
    /// Maximised; this place and size when it is restored.
    Maximised(Rect),
}

/// The first-time place on a work area `area` of a screen with `scale` physical pixels per
/// logical one: the preferred size in the middle where it fits with a title bar above it,
/// else the whole work area (less a title bar), maximised.
fn computed(area: Rect, scale: f64) -> Placement {
    let physical = |logical: u32| (f64::from(logical) * scale).round() as u32;
    let (width, height) = (physical(PREFERRED.0), physical(PREFERRED.1));
    let title_bar = physical(TITLE_BAR);
    if area.width >= width && area.height >= height + title_bar {
        let middle = |start: i32, room: u32, size: u32| start + ((room - size) / 2) as i32;
        Placement::At(Rect {
            x: middle(area.x, area.width, width),
            y: middle(area.y, area.height, height),
            width,
            height,
        })
    } else {
        Placement::Maximised(Rect {
            height: area.height.saturating_sub(title_bar),
            ..area
        })
    }
}

/// What `tauri-plugin-window-state` wrote of the window: its size, its place and, when it was
/// maximised, its place before that (where it goes back when restored).
#[derive(Debug, Clone, Copy, Deserialize)]
struct Remembered {
    width: u32,
    height: u32,
    x: i32,
    y: i32,
    #[serde(default)]
    prev_x: i32,
    #[serde(default)]
    prev_y: i32,
    #[serde(default)]
    maximized: bool,
}

impl Remembered {
    /// Whether the window, as it would be restored, lies whole in one screen's work area.
    fn on_a_screen(&self, areas: &[Rect]) -> bool {
        let (x, y) = if self.maximized {
            (self.prev_x, self.prev_y)
        } else {
            (self.x, self.y)
        };
        let rect = Rect {
            x,
            y,
            width: self.width,
            height: self.height,
        };
        rect.width > 0 && rect.height > 0 && areas.iter().any(|area| area.holds(&rect))
    }
}

/// The window's remembered place in the plugin's file, if it has one.
fn read_remembered(file: &Path) -> Option<Remembered> {
    let text = std::fs::read(file).ok()?;
    let mut windows: std::collections::HashMap<String, Remembered> =
        serde_json::from_slice(&text).ok()?;
    windows.remove(WINDOW)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(x: i32, y: i32, width: u32, height: u32) -> Rect {
        Rect {
            x,
            y,
            width,
            height,
        }
    }

    #[test]
    fn a_screen_with_room_gets_1280_by_800_in_the_middle_of_its_work_area() {
        assert_eq!(
            computed(rect(0, 0, 1366, 900), 1.0),
            Placement::At(rect(43, 50, 1280, 800))
        );
        assert_eq!(
            computed(rect(1920, 32, 1920, 1048), 1.0),
            Placement::At(rect(2240, 156, 1280, 800)),
            "on a second screen, below a panel"
        );
    }

    #[test]
    fn a_laptop_screen_too_low_for_800_pixels_is_filled_maximised() {
        for area in [rect(0, 0, 1366, 768), rect(0, 27, 1280, 693)] {
            let Placement::Maximised(restored) = computed(area, 1.0) else {
                panic!("{area:?} has no room for 1280×800 and a title bar");
            };
            assert!(area.holds(&restored), "restored, it stays on the screen");
            assert!(
                restored.width >= 960 && restored.height >= 560,
                "the minimum size (tauri.conf.json) fits in {area:?}"
            );
        }
    }

    #[test]
    fn the_preferred_size_is_in_logical_pixels() {
        assert_eq!(
            computed(rect(0, 0, 3840, 2160), 2.0),
            Placement::At(rect(640, 280, 2560, 1600))
        );
        assert!(matches!(
            computed(rect(0, 0, 2560, 1600), 2.0),
            Placement::Maximised(_)
        ));
    }

    #[test]
    fn a_remembered_place_is_kept_only_while_a_screen_holds_it() {
        let laptop = [rect(0, 0, 1366, 768)];
        let both = [rect(0, 0, 1366, 768), rect(1366, 0, 1920, 1080)];
        let on_the_big_screen = Remembered {
            width: 1280,
            height: 800,
            x: 1500,
            y: 100,
            prev_x: 0,
            prev_y: 0,
            maximized: false,
        };
        assert!(on_the_big_screen.on_a_screen(&both));
        assert!(
            !on_the_big_screen.on_a_screen(&laptop),
            "the big screen was unplugged"
        );
        let too_tall = Remembered {
            x: 0,
            y: 0,
            ..on_the_big_screen
        };
        assert!(!too_tall.on_a_screen(&laptop), "800 rows do not fit in 768");
        let maximised_on_the_laptop = Remembered {
            width: 1000,
            height: 600,
            x: 0,
            y: 0,
            prev_x: 100,
            prev_y: 50,
            maximized: true,
        };
        assert!(maximised_on_the_laptop.on_a_screen(&laptop));
    }

    #[test]
    fn the_plugins_file_is_read_and_a_broken_one_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let file = state_file(dir.path());
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(
            &file,
            r#"{"main":{"width":1200,"height":700,"x":10,"y":20,"prev_x":0,"prev_y":0,
                "maximized":false,"visible":true,"decorated":true,"fullscreen":false}}"#,
        )
        .unwrap();
        let remembered = read_remembered(&file).expect("the main window is in the file");
        assert_eq!(
            (
                remembered.width,
                remembered.height,
                remembered.x,
                remembered.y
            ),
            (1200, 700, 10, 20)
        );
        std::fs::write(&file, "{\"main\":{\"wid").unwrap();
        assert!(
            read_remembered(&file).is_none(),
            "half a file: first-time place"
        );
        assert!(read_remembered(&dir.path().join("none.json")).is_none());
    }
}
