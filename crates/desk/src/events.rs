//! What the desk tells as it happens ([`DeskEvent`]): pages kept, text read, sync going on. The
//! desktop shell subscribes once and forwards each event to the window, which then asks only
//! for what changed instead of looking again every second. The command line subscribes to
//! nothing, so an event costs it nothing.

use std::sync::{Arc, RwLock};

use hoso_model::ipc::DeskEvent;

use crate::Desk;

type Sink = Arc<dyn Fn(&DeskEvent) + Send + Sync>;

/// The subscribers of one desk (shared by its clones).
#[derive(Default)]
pub(crate) struct Sinks(RwLock<Vec<Sink>>);

impl Desk {
    /// Calls `sink` with every event from now on, on the thread where it happened (after its
    /// transaction is committed): it should be quick, and hand the event on rather than act.
    pub fn subscribe(&self, sink: impl Fn(&DeskEvent) + Send + Sync + 'static) {
        self.inner
            .events
            .0
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .push(Arc::new(sink));
    }

    /// Tells every subscriber.
    pub(crate) fn emit(&self, event: DeskEvent) {
        let sinks = self
            .inner
            .events
            .0
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        for sink in sinks {
            sink(&event);
        }
    }
}

/// How often the store is checked for another process's writes.
const ELSEWHERE_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

/// Watches, on a thread of its own, for another process (the `hoso` command line, a second
/// window) writing to the store, and tells [`DeskEvent::ChangedElsewhere`] when one did: pages
/// imported from a terminal appear in the window without it asking. One pragma every two
/// seconds, read without a transaction; nothing is told while nothing changes.
pub fn watch_elsewhere(desk: Desk) {
    let spawned = std::thread::Builder::new()
        .name("elsewhere".into())
        .spawn(move || {
            let mut seen = desk.inner.store.changed_elsewhere().ok();
            loop {
                std::thread::sleep(ELSEWHERE_EVERY);
                let now = desk.inner.store.changed_elsewhere().ok();
                if now.is_some() && now != seen {
                    seen = now;
                    desk.emit(DeskEvent::ChangedElsewhere);
                }
            }
        });
    if let Err(err) = spawned {
        eprintln!("hoso-desktop: changes by other programs will not show at once: {err}");
    }
}
