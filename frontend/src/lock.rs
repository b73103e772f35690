//! Whether the window is locked now. The gate sets it; the pages' shortcuts read it, since the
//! signed-in officer's pages stay mounted (hidden) behind the lock screen and must do nothing
//! while it is up.

use std::cell::Cell;

thread_local! {
    static LOCKED: Cell<bool> = const { Cell::new(false) };
}

/// Whether the desk's pages are behind the lock screen.
pub fn locked() -> bool {
    LOCKED.with(Cell::get)
}

pub(crate) fn set_locked(locked: bool) {
    LOCKED.with(|l| l.set(locked));
}
