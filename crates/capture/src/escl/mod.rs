//! eSCL (AirScan, Mopria "driverless") network scanners, after the Mopria eSCL Technical
//! Specification: most network MFPs sold since about 2015 speak it, so a commune office needs no
//! vendor driver.
//!
//! Scanners are configured by their eSCL root (`http://192.168.1.20/eSCL`, or `https://…`), or
//! found on the office network by DNS-SD over multicast DNS ([`discover`]: `_uscan._tcp` for
//! HTTP, `_uscans._tcp` for HTTPS, with `mdns-sd`). Over HTTPS the link is encrypted but the
//! device is not authenticated: a scanner shows a certificate it made for itself, which no
//! authority can vouch for on a commune's LAN, so the client accepts it as every driverless
//! client does ([`http`]).
//!
//! A scan is one job: `POST {base}/ScanJobs` with a `scan:ScanSettings` document, then
//! `GET {job}/NextDocument` until the device answers 404. Pages are kept exactly as the device
//! sent them (JPEG, or PNG when that is all it offers), so nothing is recompressed.
//!
//! The parts: [`capabilities`] (what a device offers, from its `ScannerCapabilities`),
//! [`status`] (its `ScannerStatus`: busy, feeder empty or jammed), [`job`] (the job asked for
//! and the `NextDocument` loop), [`http`] (the HTTP and HTTPS client and its waits),
//! [`discovery`] (multicast DNS), [`xml`] (reading by namespace).

mod capabilities;
mod discovery;
mod http;
mod job;
mod status;
mod xml;

use std::time::Duration;

use reqwest::Url;

pub use capabilities::{Capabilities, SourceCaps};
pub use discovery::{SERVICE_TYPE, TLS_SERVICE_TYPE, discover};
use http::Http;
use job::EsclScanner;

use crate::{Backend, CaptureError, Result, Scanner, ScannerInfo};

/// The eSCL namespace (prefix `scan`).
pub const SCAN_NS: &str = "http://schemas.hp.com/imaging/escl/2011/05/03";
/// The PWG semantic model namespace (prefix `pwg`).
pub const PWG_NS: &str = "http://www.pwg.org/schemas/2010/12/sm";
/// The prefix of an eSCL device id: `escl:http://192.168.1.20/eSCL`.
pub const ID_PREFIX: &str = "escl:";

/// How long to wait for what. A scanner on the office LAN answers a connection in milliseconds,
/// so a short connect timeout keeps the device list quick when one is switched off; a page may
/// take far longer, since a device answers `NextDocument` only once the sheet is scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// To open a connection.
    pub connect: Duration,
    /// For capabilities, status, job creation and deletion.
    pub query: Duration,
    /// For one page to arrive.
    pub page: Duration,
    /// The first pause after a 503 (busy, warming up); each next pause doubles, up to `max_pause`.
    pub first_pause: Duration,
    /// The longest pause between two tries.
    pub max_pause: Duration,
    /// The most time spent pausing for one job creation or one page before giving up as
    /// [`CaptureError::DeviceBusy`]. Some devices need half a minute to warm their lamp.
    pub busy_budget: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            connect: Duration::from_secs(2),
            query: Duration::from_secs(10),
            page: Duration::from_secs(180),
            first_pause: Duration::from_millis(250),
            max_pause: Duration::from_secs(2),
            busy_budget: Duration::from_secs(45),
        }
    }
}

/// The eSCL scanners configured for this desk.
#[derive(Debug, Clone)]
pub struct EsclBackend {
    /// eSCL roots, without a trailing slash.
    scanners: Vec<String>,
    timing: Timing,
}

impl EsclBackend {
    /// A backend for these eSCL roots (`http://192.168.1.20/eSCL`). An address that is not a
    /// `http` or `https` URL is refused here, where the setting is made, rather than at scan time.
    pub fn new<I, S>(base_urls: I) -> Result<EsclBackend>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let scanners = base_urls
            .into_iter()
            .map(|url| normalise_base(url.as_ref()))
            .collect::<Result<Vec<_>>>()?;
        Ok(EsclBackend {
            scanners,
            timing: Timing::default(),
        })
    }

    /// The same backend with other waits (tests shorten them).
    pub fn with_timing(mut self, timing: Timing) -> EsclBackend {
        self.timing = timing;
        self
    }

    /// The configured eSCL roots.
    pub fn base_urls(&self) -> &[String] {
        &self.scanners
    }

    /// Everything a device says it offers (colour modes and formats per source, which
    /// [`ScannerInfo`] does not carry), for a settings page or a diagnosis.
    pub fn capabilities(&self, base_url: &str) -> Result<Capabilities> {
        Http::new(self.timing)?.capabilities(&normalise_base(base_url)?)
    }
}

/// The id of the device at this eSCL root.
pub fn device_id(base_url: &str) -> String {
    format!("{ID_PREFIX}{}", base_url.trim_end_matches('/'))
}

/// Checks an eSCL root and drops its trailing slash, so that ids compare equal however the
/// address was typed.
fn normalise_base(url: &str) -> Result<String> {
    let parsed = Url::parse(url.trim())
        .map_err(|_| CaptureError::DeviceUnavailable("not a valid scanner address".into()))?;
    match parsed.scheme() {
        "http" | "https" if parsed.host().is_some() => {}
        _ => {
            return Err(CaptureError::DeviceUnavailable(
                "a scanner address must start with http:// or https://".into(),
            ));
        }
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

impl Backend for EsclBackend {
    /// Asks every configured scanner for its capabilities, all at once so that one switched-off
    /// device costs one connect timeout, not one each. Those that do not answer are not listed.
    fn devices(&self) -> Result<Vec<ScannerInfo>> {
        let http = Http::new(self.timing)?;
        let found = std::thread::scope(|scope| {
            let asks: Vec<_> = self
                .scanners
                .iter()
                .map(|base| {
                    let http = &http;
                    scope.spawn(move || {
                        http.capabilities(base)
                            .ok()
                            .map(|caps| caps.device_info(base))
                    })
                })
                .collect();
            asks.into_iter()
                .filter_map(|ask| ask.join().ok().flatten())
                .collect()
        });
        Ok(found)
    }

    /// Opens any eSCL root, configured or not (the id carries the address), after checking that
    /// it answers and learning what it offers.
    fn open(&self, id: &str) -> Result<Box<dyn Scanner>> {
        let base = id
            .strip_prefix(ID_PREFIX)
            .ok_or_else(|| CaptureError::DeviceUnavailable("not an eSCL device id".into()))?;
        let base = normalise_base(base)?;
        let http = Http::new(self.timing)?;
        let caps = http.capabilities(&base)?;
        Ok(Box::new(EsclScanner::new(http, base, caps)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_checked_and_normalised() {
        assert_eq!(
            normalise_base("http://192.168.1.20/eSCL/").unwrap(),
            "http://192.168.1.20/eSCL"
        );
        assert_eq!(
            normalise_base("https://192.168.1.20:443/eSCL/").unwrap(),
            "https://192.168.1.20/eSCL"
        );
        assert!(normalise_base("ftp://192.168.1.20/eSCL").is_err());
        assert!(normalise_base("scanner at the desk").is_err());
    }
}
