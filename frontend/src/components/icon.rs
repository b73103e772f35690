//! The few icons the window draws, as inline SVG: they show on every machine, whatever fonts
//! it has (an emoji font is missing from many office PCs and from Debian's minimal install).

use yew::prelude::*;

/// An icon of the scan station's page buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Icon {
    Earlier,
    Later,
    Rotate,
    Delete,
    Join,
    Split,
}

impl Icon {
    /// The icon's path, drawn with a stroke on a 24×24 grid.
    fn path(self) -> &'static str {
        match self {
            Icon::Earlier => "M15 5 L8 12 L15 19",
            Icon::Later => "M9 5 L16 12 L9 19",
            Icon::Rotate => "M19 12 A7 7 0 1 1 16.5 6.6 M19 4 V9 H14",
            Icon::Delete => "M6 6 L18 18 M18 6 L6 18",
            // A paper clip.
            Icon::Join => "M8 12 V7 A4 4 0 0 1 16 7 V16 A2.5 2.5 0 0 1 11 16 V8",
            // Scissors.
            Icon::Split => {
                "M9 8 A2.5 2.5 0 1 1 9 7.9 M9 17 A2.5 2.5 0 1 1 9 16.9 M11 9 L19 17 M11 15 L19 7"
            }
        }
    }
}

/// Draws `icon` at the size of the text around it; it says nothing to a screen reader (the
/// button's title does).
pub fn icon(icon: Icon) -> Html {
    html! {
        <svg class="icon" viewBox="0 0 24 24" width="1em" height="1em" aria-hidden="true"
            fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round">
            <path d={icon.path()} />
        </svg>
    }
}
