//! Pulling what the hub has for the desk, and following the hub's generation: a hub restored
//! from a backup shows a new one, and the desk then offers everything again and pulls from the
//! start ([`Local::follow_generation`]).

use super::{Engine, Halt};
use crate::client::Client;
use crate::local::{Local, LocalError};

/// How a pull ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pulled {
    Done,
    /// The hub's generation changed: the cursor went back to 0, nothing of the page applied.
    NewGeneration,
}

impl<L: Local> Engine<L> {
    /// Whether the hub's last answer carried a generation other than the one the desk kept (the
    /// hub was restored from a backup): the desk has then marked everything not yet sent and
    /// its cursor 0 ([`Local::follow_generation`]).
    pub(super) async fn new_generation(&self, client: &Client) -> Result<bool, LocalError> {
        match client.generation() {
            Some(generation) => self.local(move |l| l.follow_generation(&generation)).await,
            None => Ok(false),
        }
    }

    pub(super) async fn pull(&self, client: &Client) -> Result<Pulled, Halt> {
        loop {
            let cursor = self.local(|l| l.cursor()).await?;
            let page = client.changes(cursor).await?;
            // Changes numbered by another generation of the hub are not applied.
            if self.new_generation(client).await? {
                return Ok(Pulled::NewGeneration);
            }
            let count = page.changes.len() as u64;
            for change in page.changes {
                self.local(move |l| l.apply(&change)).await?;
            }
            self.status.send_modify(|s| s.pulled += count);
            if let Some(floors) = page.code_floors {
                self.local(move |l| l.apply_code_floors(&floors)).await?;
            }
            if !page.more || count == 0 {
                return Ok(Pulled::Done);
            }
        }
    }
}
