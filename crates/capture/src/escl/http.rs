//! The HTTP and HTTPS client a scanner is spoken to with, and the waits it keeps.
//!
//! HTTPS uses the platform's TLS (`native-tls`: OpenSSL on Linux, SChannel on Windows). A
//! scanner's certificate is not checked: see [`Http::new`].

use std::time::Duration;

use reqwest::blocking::{Client, Response};
use reqwest::{StatusCode, Url};

use super::Timing;
use super::capabilities::Capabilities;
use super::status::ScannerStatus;
use crate::{CaptureError, Result};

/// The HTTP client and the waits it keeps. Errors name the request and the scanner's address
/// (configuration, never personal data), not reqwest's text.
pub(super) struct Http {
    client: Client,
    pub(super) timing: Timing,
}

impl Http {
    pub(super) fn new(timing: Timing) -> Result<Http> {
        let client = Client::builder()
            .connect_timeout(timing.connect)
            .timeout(timing.query)
            // Scanners are on the office LAN: a proxy from the environment would only get in
            // the way (and would see the pages).
            .no_proxy()
            // Over https a scanner shows a certificate it made for itself (no authority can
            // vouch for a device on a commune's LAN), under an address DHCP gave it: the link
            // is encrypted, the device is not authenticated, as with every driverless client.
            .danger_accept_invalid_certs(true)
            .danger_accept_invalid_hostnames(true)
            .build()
            .map_err(|_| CaptureError::DeviceUnavailable("the HTTP client did not start".into()))?;
        Ok(Http { client, timing })
    }

    pub(super) fn get(&self, url: &str, timeout: Duration) -> Result<Response> {
        self.client
            .get(url)
            .timeout(timeout)
            .send()
            .map_err(|e| unreachable(url, &e))
    }

    pub(super) fn post_xml(&self, url: &str, body: String) -> Result<Response> {
        self.client
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "text/xml")
            .body(body)
            .send()
            .map_err(|e| unreachable(url, &e))
    }

    /// Deletes a job, without caring whether the device agrees: this is tidying after a scan
    /// that has already succeeded or failed for its own reason.
    pub(super) fn delete_quietly(&self, url: &str) {
        let _ = self.client.delete(url).send();
    }

    /// A 200 answer's text, or the fault.
    fn get_xml(&self, url: &str, what: &str) -> Result<String> {
        let response = self.get(url, self.timing.query)?;
        let status = response.status();
        if status != StatusCode::OK {
            return Err(CaptureError::DeviceFault(format!(
                "{what}: HTTP {}",
                status.as_u16()
            )));
        }
        response.text().map_err(|e| unreachable(url, &e))
    }

    pub(super) fn capabilities(&self, base: &str) -> Result<Capabilities> {
        let xml = self.get_xml(
            &format!("{base}/ScannerCapabilities"),
            "ScannerCapabilities",
        )?;
        Capabilities::parse(&xml)
    }

    pub(super) fn status(&self, base: &str) -> Result<ScannerStatus> {
        let xml = self.get_xml(&format!("{base}/ScannerStatus"), "ScannerStatus")?;
        ScannerStatus::parse(&xml)
    }
}

/// A connection or transfer failure as the officer's "cannot be reached", with the scanner's
/// address for whoever sets the desk up.
pub(super) fn unreachable(url: &str, error: &reqwest::Error) -> CaptureError {
    let place = Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str()
                .map(|h| format!("{h}:{}", u.port_or_known_default().unwrap_or(80)))
        })
        .unwrap_or_else(|| "the scanner".into());
    let what = if error.is_timeout() {
        "no answer in time"
    } else if error.is_connect() {
        "no connection"
    } else {
        "the connection broke"
    };
    CaptureError::DeviceUnavailable(format!("{what} ({place}, eSCL)"))
}
