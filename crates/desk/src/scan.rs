//! Quét: scanning into dossiers. A scan starts at a dossier's component (or the results), or
//! with no dossier at all when the stack is fed with cover sheets: a receipt's QR code files the
//! pages after it into that dossier, a separator sheet moves on to the next component. Each page
//! is kept the moment it arrives, so a jam or a pulled cable loses nothing already scanned.

use hoso_capture::Backend;
use hoso_model::Field;
use hoso_model::page::{Filed, Filing, PageInfo, Target};
use hoso_model::scan::{ScanSettings, ScannerInfo};
use serde::Serialize;

use crate::{Desk, Error, find};

/// Where a network scanner's address is kept (a JSON list of eSCL base URLs).
pub const ESCL_SETTING: &str = "scanners.escl";

/// How long the scanner list listens for network scanners announcing themselves (outside
/// Linux, where SANE does it).
#[cfg(not(target_os = "linux"))]
const DISCOVERY_WAIT: std::time::Duration = std::time::Duration::from_millis(1500);
/// Extra eSCL scanners for this run, separated by commas (IT staff, tests).
pub const ESCL_ENV: &str = "HOSO_ESCL_SCANNERS";

/// What a scan did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScanOutcome {
    /// The pages kept, in the order they came.
    pub pages: Vec<PageInfo>,
    /// The dossiers they went to (codes), in order of first page.
    pub dossiers: Vec<String>,
    /// Cover and separator sheets read and not kept.
    pub sheets: u32,
}

impl Desk {
    /// The eSCL scanners configured on this desk and for this run.
    pub fn escl_urls(&self) -> Result<Vec<String>, Error> {
        self.need(hoso_model::Act::Work)?;
        let mut urls: Vec<String> = self
            .inner
            .store
            .read(|tx| hoso_store::settings::get(tx, ESCL_SETTING))?
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default();
        if let Ok(extra) = std::env::var(ESCL_ENV) {
            urls.extend(
                extra
                    .split(',')
                    .map(str::trim)
                    .filter(|u| !u.is_empty())
                    .map(str::to_owned),
            );
        }
        urls.dedup();
        Ok(urls)
    }

    /// Remembers the eSCL scanners (network multifunction printers) of this desk.
    pub fn set_escl_urls(&self, urls: &[String]) -> Result<(), Error> {
        self.need(hoso_model::Act::Work)?;
        hoso_capture::escl::EsclBackend::new(urls.iter().map(String::as_str))
            .map_err(|_| Error::refused(Field::Scanner, "not an http:// eSCL address"))?;
        let json = serde_json::to_string(urls).expect("strings serialise");
        Ok(self
            .inner
            .store
            .write(|tx| hoso_store::settings::set(tx, ESCL_SETTING, &json))?)
    }

    /// The scanners reachable now: SANE devices on Linux (USB, and whatever SANE is set up for),
    /// WIA devices on Windows, and the configured network scanners. A kind of scanner that
    /// cannot be asked is left out.
    pub fn scanners(&self) -> Result<Vec<ScannerInfo>, Error> {
        self.need(hoso_model::Act::Work)?;
        let mut found = Vec::new();
        #[cfg(target_os = "linux")]
        if let Ok(sane) = hoso_capture::sane::SaneBackend::new()
            && let Ok(devices) = sane.devices()
        {
            found.extend(devices);
        }
        #[cfg(windows)]
        if let Ok(wia) = hoso_wia::WiaBackend::new()
            && let Ok(devices) = wia.devices()
        {
            found.extend(devices);
        }
        let urls = self.escl_urls()?;
        // Network scanners that announce themselves. On Linux SANE's airscan backend finds
        // them already (and would list each twice); elsewhere the desk looks for itself.
        #[cfg(not(target_os = "linux"))]
        let urls = {
            let mut urls = urls;
            for url in hoso_capture::escl::discover(DISCOVERY_WAIT) {
                if !urls.contains(&url) {
                    urls.push(url);
                }
            }
            urls
        };
        if !urls.is_empty()
            && let Ok(escl) = hoso_capture::escl::EsclBackend::new(urls.iter().map(String::as_str))
            && let Ok(devices) = escl.devices()
        {
            found.extend(devices);
        }
        Ok(found)
    }

    /// Scans from `device` into `start` (a dossier and where its pages go), or, with no start,
    /// files the stack by its cover sheets. Each page is kept as it arrives and passed to
    /// `on_page`. A scanner fault after some pages returns the fault; the pages before it are
    /// kept (and listed in the dossier).
    pub fn scan(
        &self,
        start: Option<(&str, Target)>,
        device: &str,
        settings: &ScanSettings,
        on_page: &mut dyn FnMut(&PageInfo),
    ) -> Result<ScanOutcome, Error> {
        self.need(hoso_model::Act::Work)?;
        let mut filing = Filing::starting_at(None);
        let mut results_target = None;
        if let Some((code_or_id, target)) = &start {
            let dossier = self.inner.store.read(|tx| find(tx, code_or_id))?;
            self.check_target(&dossier, target)?;
            let code = dossier.code.clone().unwrap_or(dossier.id.0.clone());
            match target {
                Target::Component { n } => filing = Filing::starting_at(Some((code, *n))),
                Target::Result { .. } => results_target = Some((code, target.clone())),
            }
        }
        let mut scanner = open_scanner(device).map_err(|e| Error::capture(e, None))?;
        let mut outcome = ScanOutcome::default();
        let mut failure: Option<Error> = None;
        let scanned = scanner.scan(settings, &mut |page| match self.file_scanned(
            page,
            device,
            &mut filing,
            &results_target,
            &mut outcome,
        ) {
            Ok(Some(info)) => {
                on_page(&info);
                Ok(())
            }
            Ok(None) => Ok(()),
            Err(err) => {
                failure = Some(err);
                Err(hoso_capture::CaptureError::Cancelled)
            }
        });
        if let Some(err) = failure {
            return Err(err);
        }
        scanned.map_err(|e| Error::capture(e, None))?;
        Ok(outcome)
    }

    fn file_scanned(
        &self,
        page: hoso_capture::ScannedPage,
        device: &str,
        filing: &mut Filing,
        results_target: &Option<(String, Target)>,
        outcome: &mut ScanOutcome,
    ) -> Result<Option<PageInfo>, Error> {
        // Results are never filed by covers: the result document carries its own codes.
        let prepared = crate::pages::prepare_scanned(page).map_err(|e| Error::capture(e, None))?;
        let (code, target) = if let Some((code, target)) = results_target {
            (code.clone(), target.clone())
        } else {
            match filing.file(prepared.analysis.qr.as_deref()) {
                Filed::Keep { code, component } => (code, Target::Component { n: component }),
                Filed::Switch => {
                    outcome.sheets += 1;
                    return Ok(None);
                }
                Filed::Unfiled => {
                    return Err(Error::refused(
                        Field::Scanner,
                        "the stack must start with a receipt or cover sheet",
                    ));
                }
            }
        };
        let info = self.add_prepared(&code, &target, prepared, device)?;
        if !outcome.dossiers.contains(&code) {
            outcome.dossiers.push(code);
        }
        outcome.pages.push(info.clone());
        Ok(Some(info))
    }
}

/// Opens a scanner by its id: `sane:…`, `wia:…` or `escl:http://…`.
fn open_scanner(device: &str) -> hoso_capture::Result<Box<dyn hoso_capture::Scanner>> {
    if let Some(url) = device.strip_prefix("escl:") {
        let backend = hoso_capture::escl::EsclBackend::new([url])?;
        return backend.open(device);
    }
    #[cfg(target_os = "linux")]
    if device.starts_with("sane:") {
        return hoso_capture::sane::SaneBackend::new()?.open(device);
    }
    #[cfg(windows)]
    if device.starts_with(hoso_wia::ID_PREFIX) {
        return hoso_wia::WiaBackend::new()?.open(device);
    }
    Err(hoso_capture::CaptureError::DeviceUnavailable(
        "unknown kind of scanner".into(),
    ))
}
