//! The desk's sync engine: gets every dossier and every file to the hub over links that drop,
//! and pulls back what the hub has for the desk. The protocol is in `docs/protocol.md`; its
//! messages are in [`hoso_model::sync`].
//!
//! - [`plan`]: the decisions, pure: what an answer means, how long to back off, chunk ranges.
//! - [`client`]: the hub's HTTP API (tus for files, JSON for the rest), with stall detection
//!   instead of whole-request timeouts and the bandwidth cap of [`throttle`].
//! - [`engine`]: passes (push files, then batches of dossier versions; pull; heartbeat), backoff
//!   with probes, pause, and the state shown to the officer.
//! - [`trust`]: what the connections trust: the computer's store, or exactly the certificate
//!   or CA given at enrollment.
//! - [`local`]: what the engine needs from the desk; the desk implements it over its store,
//!   whose outbox (migration 7) is filled by triggers in the transaction of every change.
//!
//! The promise: nothing committed on the desk is lost (the outbox cannot miss a change),
//! nothing arrives twice (files are named by hash, dossier versions by the desk's change
//! counter, both recognised by the hub when sent again), an interrupted upload resumes from the
//! hub's confirmed offset, and the queue drains once the network heals (backoff never waits past
//! a successful probe).

pub mod client;
pub mod engine;
pub mod local;
pub mod plan;
pub mod throttle;
pub mod trust;

pub use engine::{Config, Engine, GlobalOrTransient, Mode, Poke, State, Status};
pub use local::{Controls, HubLink, Local, LocalError};
pub use plan::{GlobalProblem, Rejection, Verdict};
