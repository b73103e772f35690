//! Fakes of the devices the desk talks to, for this workspace's tests. Each one speaks the real
//! protocol on a loopback port, so a test exercises the same client code a commune office runs
//! against real hardware, and a real third-party client (sane-airscan) can check the fake in turn.
//!
//! - [`escl`]: a network scanner speaking eSCL (AirScan, Mopria): capabilities, status, scan jobs
//!   from the glass or the feeder, a device warming up, an empty feeder, a paper jam.
//! - [`pages`]: small generated page images to serve.
//! - [`link`]: a faulty network link between the desk and the hub (an HTTP proxy that cuts,
//!   delays, throttles, stalls and answers in the hub's place).

pub mod escl;
pub mod link;
pub mod pages;

pub use link::{Counters, Fault, FaultyLink};

pub use escl::{
    EsclConfig, EsclServer, JobReport, RecordedRequest, RecordedScanRegion, RecordedScanSettings,
};
