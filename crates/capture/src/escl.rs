//! eSCL (AirScan, Mopria "driverless") network scanners, after the Mopria eSCL Technical
//! Specification: most network MFPs sold since about 2015 speak it, so a commune office needs no
//! vendor driver.
//!
//! Scanners are configured by their eSCL root (`http://192.168.1.20/eSCL`), or found on the
//! office network by DNS-SD over multicast DNS ([`discover`], `_uscan._tcp`, with `mdns-sd`).
//! TLS (`https`, `_uscans._tcp`) is out of scope: this crate's HTTP client is built without a
//! TLS stack, and every device that offers eSCL over TLS also offers it in plain HTTP on the
//! office LAN.
//!
//! A scan is one job: `POST {base}/ScanJobs` with a `scan:ScanSettings` document, then
//! `GET {job}/NextDocument` until the device answers 404. Pages are kept exactly as the device
//! sent them (JPEG, or PNG when that is all it offers), so nothing is recompressed.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::Url;
use reqwest::blocking::{Client, Response};
use roxmltree::{Document, Node};

use crate::{
    Backend, CaptureError, ColourMode, DeviceInfo, Feed, ImageFormat, Result, ScanSettings,
    ScannedPage, Scanner,
};

/// The eSCL namespace (prefix `scan`).
pub const SCAN_NS: &str = "http://schemas.hp.com/imaging/escl/2011/05/03";
/// The PWG semantic model namespace (prefix `pwg`).
pub const PWG_NS: &str = "http://www.pwg.org/schemas/2010/12/sm";
/// The prefix of an eSCL device id: `escl:http://192.168.1.20/eSCL`.
pub const ID_PREFIX: &str = "escl:";

/// The eSCL version sent when the device does not say its own.
const DEFAULT_VERSION: &str = "2.63";
/// A4 in 300ths of an inch (210 × 297 mm): the paper of Vietnamese administration.
const A4: (u32, u32) = (2480, 3508);
/// The resolutions offered when a device gives a range rather than a list.
const COMMON_RESOLUTIONS: [u32; 9] = [75, 100, 150, 200, 240, 300, 400, 600, 1200];

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
    /// plain `http` URL is refused here, where the setting is made, rather than at scan time.
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
    /// [`DeviceInfo`] does not carry), for a settings page or a diagnosis.
    pub fn capabilities(&self, base_url: &str) -> Result<Capabilities> {
        Http::new(self.timing)?.capabilities(&normalise_base(base_url)?)
    }
}

/// The DNS-SD service type of eSCL over plain HTTP.
pub const SERVICE_TYPE: &str = "_uscan._tcp.local.";
/// The DNS-SD service type of eSCL over HTTPS.
pub const TLS_SERVICE_TYPE: &str = "_uscans._tcp.local.";

/// The eSCL roots of the scanners that announce themselves on the local network within `wait`
/// (multicast DNS, `_uscan._tcp` and `_uscans._tcp`; the loopback interface too, for a scanner
/// this computer shares): `http://ADDRESS:PORT/RS` (`https://…` for `_uscans`), where `rs` is
/// the resource path the device gives in its TXT record (`eSCL` when it gives none). Sorted,
/// each once. A network where multicast cannot be used finds nothing; that is not an error,
/// configured addresses still work.
pub fn discover(wait: Duration) -> Vec<String> {
    use mdns_sd::{IfKind, ServiceDaemon, ServiceEvent};
    let Ok(daemon) = ServiceDaemon::new() else {
        return Vec::new();
    };
    let _ = daemon.enable_interface(IfKind::LoopbackV4);
    let browsers: Vec<_> = [(SERVICE_TYPE, "http"), (TLS_SERVICE_TYPE, "https")]
        .into_iter()
        .filter_map(|(kind, scheme)| daemon.browse(kind).ok().map(|events| (events, scheme)))
        .collect();
    let deadline = std::time::Instant::now() + wait;
    let mut found = std::collections::BTreeSet::new();
    let mut open = vec![true; browsers.len()];
    while open.iter().any(|o| *o)
        && let Some(left) = deadline.checked_duration_since(std::time::Instant::now())
    {
        // Both browsers are read in turn, in short waits, until the time is up.
        let slice = left.min(Duration::from_millis(50));
        for ((events, scheme), open) in browsers.iter().zip(open.iter_mut()) {
            match events.recv_timeout(slice) {
                Ok(ServiceEvent::ServiceResolved(service)) => {
                    let path = service
                        .get_property_val_str("rs")
                        .unwrap_or("eSCL")
                        .trim_matches('/')
                        .to_owned();
                    for address in service.get_addresses_v4() {
                        let url = format!("{scheme}://{address}:{}/{path}", service.get_port());
                        if let Ok(url) = normalise_base(&url) {
                            found.insert(url);
                        }
                    }
                }
                Ok(_) => {}
                Err(mdns_sd::RecvTimeoutError::Disconnected) => *open = false,
                Err(_) => {}
            }
        }
    }
    let _ = daemon.shutdown();
    found.into_iter().collect()
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
    fn devices(&self) -> Result<Vec<DeviceInfo>> {
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
        Ok(Box::new(EsclScanner { http, base, caps }))
    }
}

// ---------------------------------------------------------------------------------------------
// HTTP

/// The HTTP client and the waits it keeps. Errors name the request and the scanner's address
/// (configuration, never personal data), not reqwest's text.
struct Http {
    client: Client,
    timing: Timing,
}

impl Http {
    fn new(timing: Timing) -> Result<Http> {
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

    fn get(&self, url: &str, timeout: Duration) -> Result<Response> {
        self.client
            .get(url)
            .timeout(timeout)
            .send()
            .map_err(|e| unreachable(url, &e))
    }

    fn post_xml(&self, url: &str, body: String) -> Result<Response> {
        self.client
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "text/xml")
            .body(body)
            .send()
            .map_err(|e| unreachable(url, &e))
    }

    /// Deletes a job, without caring whether the device agrees: this is tidying after a scan
    /// that has already succeeded or failed for its own reason.
    fn delete_quietly(&self, url: &str) {
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

    fn capabilities(&self, base: &str) -> Result<Capabilities> {
        let xml = self.get_xml(
            &format!("{base}/ScannerCapabilities"),
            "ScannerCapabilities",
        )?;
        Capabilities::parse(&xml)
    }

    fn status(&self, base: &str) -> Result<ScannerStatus> {
        let xml = self.get_xml(&format!("{base}/ScannerStatus"), "ScannerStatus")?;
        ScannerStatus::parse(&xml)
    }
}

/// A connection or transfer failure as the officer's "cannot be reached", with the scanner's
/// address for whoever sets the desk up.
fn unreachable(url: &str, error: &reqwest::Error) -> CaptureError {
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

// ---------------------------------------------------------------------------------------------
// Capabilities

/// What one input source (the glass, the feeder one side or both) offers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceCaps {
    /// The colour modes, in the device's order.
    pub colour_modes: Vec<ColourMode>,
    /// The resolutions (dpi, the same across and down), ascending.
    pub resolutions: Vec<u32>,
    /// The MIME types from `pwg:DocumentFormat` and `scan:DocumentFormatExt`.
    pub formats: Vec<String>,
    /// Whether the device lists `scan:DocumentFormatExt`: it then expects the format there too.
    pub format_ext: bool,
    /// The scan intents (`Document`, `Photo`…).
    pub intents: Vec<String>,
    /// The largest and smallest region, in 300ths of an inch, when the device says.
    pub max_width: Option<u32>,
    pub max_height: Option<u32>,
    pub min_width: Option<u32>,
    pub min_height: Option<u32>,
}

/// A device's `ScannerCapabilities`, as far as this desk uses them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Capabilities {
    /// `pwg:Version`: the eSCL version the device speaks.
    pub version: Option<String>,
    pub make_and_model: Option<String>,
    pub manufacturer: Option<String>,
    pub platen: Option<SourceCaps>,
    pub adf_simplex: Option<SourceCaps>,
    pub adf_duplex: Option<SourceCaps>,
}

impl Capabilities {
    /// Reads a `scan:ScannerCapabilities` document. Elements are matched by namespace, not by
    /// prefix, since devices choose their own prefixes.
    pub fn parse(xml: &str) -> Result<Capabilities> {
        let bad = |why: &str| CaptureError::DeviceFault(format!("ScannerCapabilities: {why}"));
        let doc = Document::parse(xml).map_err(|_| bad("not XML"))?;
        let root = doc.root_element();
        if !is(root, SCAN_NS, "ScannerCapabilities") {
            return Err(bad("not a capabilities document"));
        }
        let adf = child(root, SCAN_NS, "Adf");
        let adf_simplex = adf
            .and_then(|adf| child(adf, SCAN_NS, "AdfSimplexInputCaps"))
            .map(source_caps);
        let caps = Capabilities {
            version: child_text(root, PWG_NS, "Version"),
            make_and_model: child_text(root, PWG_NS, "MakeAndModel"),
            manufacturer: child_text(root, SCAN_NS, "Manufacturer"),
            platen: child(root, SCAN_NS, "Platen")
                .and_then(|p| child(p, SCAN_NS, "PlatenInputCaps"))
                .map(source_caps),
            adf_duplex: adf.and_then(|adf| duplex_caps(adf, adf_simplex.as_ref())),
            adf_simplex,
        };
        if caps.platen.is_none() && caps.adf_simplex.is_none() && caps.adf_duplex.is_none() {
            return Err(bad("neither a platen nor a feeder"));
        }
        Ok(caps)
    }

    /// Vendor and model, for people.
    pub fn name(&self) -> String {
        match (&self.make_and_model, &self.manufacturer) {
            (Some(model), _) if !model.is_empty() => model.clone(),
            (_, Some(maker)) if !maker.is_empty() => format!("{maker} (eSCL)"),
            _ => "eSCL scanner".into(),
        }
    }

    /// The feeds the device offers, flatbed first.
    pub fn feeds(&self) -> Vec<Feed> {
        [Feed::Flatbed, Feed::Adf, Feed::Duplex]
            .into_iter()
            .filter(|feed| self.source(*feed).is_some())
            .collect()
    }

    /// The capabilities behind a feed.
    pub fn source(&self, feed: Feed) -> Option<&SourceCaps> {
        match feed {
            Feed::Flatbed => self.platen.as_ref(),
            Feed::Adf => self.adf_simplex.as_ref(),
            Feed::Duplex => self.adf_duplex.as_ref(),
        }
    }

    /// Every resolution any source offers, ascending.
    pub fn resolutions(&self) -> Vec<u32> {
        let mut all: Vec<u32> = [&self.platen, &self.adf_simplex, &self.adf_duplex]
            .into_iter()
            .flatten()
            .flat_map(|source| source.resolutions.iter().copied())
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    }

    fn device_info(&self, base: &str) -> DeviceInfo {
        DeviceInfo {
            id: device_id(base),
            name: self.name(),
            feeds: self.feeds(),
            resolutions: self.resolutions(),
        }
    }
}

/// The duplex feeder: its own caps, or, on devices that only list `Duplex` among their
/// `AdfOptions`, the simplex caps.
fn duplex_caps(adf: Node<'_, '_>, simplex: Option<&SourceCaps>) -> Option<SourceCaps> {
    if let Some(duplex) = child(adf, SCAN_NS, "AdfDuplexInputCaps") {
        return Some(source_caps(duplex));
    }
    let says_duplex = child(adf, SCAN_NS, "AdfOptions").is_some_and(|options| {
        options
            .children()
            .any(|o| is(o, SCAN_NS, "AdfOption") && o.text().map(str::trim) == Some("Duplex"))
    });
    simplex.filter(|_| says_duplex).cloned()
}

/// Reads one `*InputCaps`. Its setting profiles are merged: the desk needs to know what can be
/// asked, not which combinations a profile groups.
fn source_caps(node: Node<'_, '_>) -> SourceCaps {
    let mut caps = SourceCaps {
        max_width: child_number(node, SCAN_NS, "MaxWidth"),
        max_height: child_number(node, SCAN_NS, "MaxHeight"),
        min_width: child_number(node, SCAN_NS, "MinWidth"),
        min_height: child_number(node, SCAN_NS, "MinHeight"),
        ..SourceCaps::default()
    };
    for item in node.descendants().filter(Node::is_element) {
        read_cap(&mut caps, item);
    }
    caps.resolutions.sort_unstable();
    caps.resolutions.dedup();
    caps
}

fn read_cap(caps: &mut SourceCaps, item: Node<'_, '_>) {
    let text = item.text().map(str::trim).unwrap_or_default();
    if is(item, SCAN_NS, "ColorMode") {
        if let Some(mode) = colour_mode_of(text).filter(|m| !caps.colour_modes.contains(m)) {
            caps.colour_modes.push(mode);
        }
    } else if is(item, PWG_NS, "DocumentFormat") || is(item, SCAN_NS, "DocumentFormatExt") {
        caps.format_ext |= is(item, SCAN_NS, "DocumentFormatExt");
        let format = text.to_ascii_lowercase();
        if !caps.formats.contains(&format) {
            caps.formats.push(format);
        }
    } else if is(item, SCAN_NS, "DiscreteResolution") {
        let x = child_number(item, SCAN_NS, "XResolution");
        if x.is_some() && x == child_number(item, SCAN_NS, "YResolution") {
            caps.resolutions.extend(x);
        }
    } else if is(item, SCAN_NS, "ResolutionRange") {
        caps.resolutions.extend(range_resolutions(item));
    } else if (is(item, SCAN_NS, "Intent") || is(item, SCAN_NS, "SupportedIntent"))
        && !caps.intents.iter().any(|i| i == text)
    {
        caps.intents.push(text.to_owned());
    }
}

/// The common resolutions inside a `scan:ResolutionRange` (its `XResolution` range, with the
/// same assumed down the page, as devices with ranges do).
fn range_resolutions(range: Node<'_, '_>) -> Vec<u32> {
    let Some(x) = child(range, SCAN_NS, "XResolution") else {
        return Vec::new();
    };
    let min = child_number(x, SCAN_NS, "Min").unwrap_or(0);
    let max = child_number(x, SCAN_NS, "Max").unwrap_or(0);
    let step = child_number(x, SCAN_NS, "Step").unwrap_or(1).max(1);
    COMMON_RESOLUTIONS
        .into_iter()
        .filter(|dpi| (min..=max).contains(dpi) && (dpi - min).is_multiple_of(step))
        .collect()
}

fn colour_mode_of(escl: &str) -> Option<ColourMode> {
    match escl {
        "RGB24" => Some(ColourMode::Color),
        "Grayscale8" => Some(ColourMode::Gray),
        "BlackAndWhite1" => Some(ColourMode::Lineart),
        _ => None,
    }
}

fn escl_colour_mode(mode: ColourMode) -> &'static str {
    match mode {
        ColourMode::Color => "RGB24",
        ColourMode::Gray => "Grayscale8",
        ColourMode::Lineart => "BlackAndWhite1",
    }
}

// ---------------------------------------------------------------------------------------------
// Status

/// A device's `ScannerStatus`, as far as this desk uses it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct ScannerStatus {
    /// `pwg:State`: `Idle`, `Processing`, `Testing`, `Stopped`, `Down`.
    state: Option<String>,
    /// `scan:AdfState`: `ScannerAdfLoaded`, `ScannerAdfEmpty`, `ScannerAdfJam`…
    adf_state: Option<String>,
}

/// What the feeder's state means for a scan.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Adf {
    Ready,
    Empty,
    Fault(&'static str),
    Unknown,
}

impl ScannerStatus {
    fn parse(xml: &str) -> Result<ScannerStatus> {
        let bad = || CaptureError::DeviceFault("ScannerStatus: unreadable".into());
        let doc = Document::parse(xml).map_err(|_| bad())?;
        let root = doc.root_element();
        if !is(root, SCAN_NS, "ScannerStatus") {
            return Err(bad());
        }
        Ok(ScannerStatus {
            state: child_text(root, PWG_NS, "State"),
            adf_state: child_text(root, SCAN_NS, "AdfState"),
        })
    }

    fn adf(&self) -> Adf {
        match self.adf_state.as_deref() {
            Some("ScannerAdfLoaded" | "ScannerAdfProcessing") => Adf::Ready,
            Some("ScannerAdfEmpty") => Adf::Empty,
            Some("ScannerAdfJam") => Adf::Fault("paper jam in the document feeder"),
            Some("ScannerAdfDoorOpen" | "ScannerAdfHatchOpen") => {
                Adf::Fault("the document feeder is open")
            }
            Some("ScannerAdfMispick" | "ScannerAdfMultipickDetected") => {
                Adf::Fault("the document feeder took no sheet or several")
            }
            Some(
                "ScannerAdfInputTrayFailed"
                | "ScannerAdfInputTrayOverloaded"
                | "ScannerAdfDuplexPageTooShort"
                | "ScannerAdfDuplexPageTooLong",
            ) => Adf::Fault("the document feeder reported a fault"),
            _ => Adf::Unknown,
        }
    }

    fn is_busy(&self) -> bool {
        matches!(self.state.as_deref(), Some("Processing" | "Testing"))
    }
}

// ---------------------------------------------------------------------------------------------
// Scanning

/// An open eSCL scanner.
struct EsclScanner {
    http: Http,
    base: String,
    caps: Capabilities,
}

/// What one job asks of the device, decided from the officer's settings and the device's
/// capabilities before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
struct JobPlan {
    feeder: bool,
    duplex: bool,
    colour_mode: &'static str,
    resolution: u32,
    format: &'static str,
    format_ext: bool,
    intent: Option<&'static str>,
    /// The region, in 300ths of an inch, from the top left corner.
    width: u32,
    height: u32,
    version: String,
}

impl JobPlan {
    fn new(caps: &Capabilities, settings: &ScanSettings) -> Result<JobPlan> {
        let source = caps.source(settings.feed).ok_or_else(|| {
            CaptureError::NotSupported(
                match settings.feed {
                    Feed::Flatbed => "the flatbed",
                    Feed::Adf => "the document feeder",
                    Feed::Duplex => "two-sided scanning",
                }
                .into(),
            )
        })?;
        let (width, height) = region(source);
        Ok(JobPlan {
            feeder: settings.feed != Feed::Flatbed,
            duplex: settings.feed == Feed::Duplex,
            colour_mode: escl_colour_mode(pick_colour_mode(source, settings.mode)?),
            resolution: pick_resolution(source, settings.resolution),
            format: pick_format(source)?,
            format_ext: source.format_ext,
            intent: source
                .intents
                .iter()
                .any(|i| i == "Document")
                .then_some("Document"),
            width,
            height,
            version: caps
                .version
                .clone()
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| DEFAULT_VERSION.into()),
        })
    }

    /// The `scan:ScanSettings` document, its elements in the order of the eSCL schema.
    fn to_xml(&self) -> String {
        let mut xml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <scan:ScanSettings xmlns:scan=\"{SCAN_NS}\" xmlns:pwg=\"{PWG_NS}\">\n\
             \x20 <pwg:Version>{}</pwg:Version>\n",
            escape(&self.version)
        );
        if let Some(intent) = self.intent {
            xml.push_str(&format!("  <scan:Intent>{intent}</scan:Intent>\n"));
        }
        xml.push_str(&format!(
            "  <pwg:ScanRegions>\n    <pwg:ScanRegion>\n\
             \x20     <pwg:ContentRegionUnits>escl:ThreeHundredthsOfInches</pwg:ContentRegionUnits>\n\
             \x20     <pwg:XOffset>0</pwg:XOffset>\n      <pwg:YOffset>0</pwg:YOffset>\n\
             \x20     <pwg:Width>{}</pwg:Width>\n      <pwg:Height>{}</pwg:Height>\n\
             \x20   </pwg:ScanRegion>\n  </pwg:ScanRegions>\n",
            self.width, self.height
        ));
        xml.push_str(&format!(
            "  <pwg:DocumentFormat>{}</pwg:DocumentFormat>\n",
            self.format
        ));
        if self.format_ext {
            xml.push_str(&format!(
                "  <scan:DocumentFormatExt>{}</scan:DocumentFormatExt>\n",
                self.format
            ));
        }
        let source = if self.feeder { "Feeder" } else { "Platen" };
        xml.push_str(&format!(
            "  <pwg:InputSource>{source}</pwg:InputSource>\n\
             \x20 <scan:XResolution>{dpi}</scan:XResolution>\n\
             \x20 <scan:YResolution>{dpi}</scan:YResolution>\n\
             \x20 <scan:ColorMode>{}</scan:ColorMode>\n",
            self.colour_mode,
            dpi = self.resolution
        ));
        if self.feeder {
            xml.push_str(&format!("  <scan:Duplex>{}</scan:Duplex>\n", self.duplex));
        }
        xml.push_str("</scan:ScanSettings>\n");
        xml
    }
}

/// An A4 region, within what the source takes: a US device's glass may be 11 in long, and asking
/// more than `MaxHeight` gets a job refused.
fn region(source: &SourceCaps) -> (u32, u32) {
    let fit = |a4: u32, max: Option<u32>, min: Option<u32>| {
        a4.min(max.unwrap_or(a4)).max(min.unwrap_or(0))
    };
    (
        fit(A4.0, source.max_width, source.min_width),
        fit(A4.1, source.max_height, source.min_height),
    )
}

/// The asked mode, or, when the device lacks it, the nearest richer one (lineart from a grey
/// scan loses nothing the officer wanted); a device that lists no modes is asked as is.
fn pick_colour_mode(source: &SourceCaps, asked: ColourMode) -> Result<ColourMode> {
    let offered =
        |mode: &ColourMode| source.colour_modes.is_empty() || source.colour_modes.contains(mode);
    let richer: &[ColourMode] = match asked {
        ColourMode::Lineart => &[ColourMode::Lineart, ColourMode::Gray, ColourMode::Color],
        ColourMode::Gray => &[ColourMode::Gray, ColourMode::Color],
        ColourMode::Color => &[ColourMode::Color],
    };
    richer
        .iter()
        .copied()
        .find(offered)
        .ok_or_else(|| CaptureError::NotSupported(format!("{} scanning", asked.name())))
}

/// The asked resolution, or the nearest the device offers (the higher of two equally near).
fn pick_resolution(source: &SourceCaps, asked: u32) -> u32 {
    source
        .resolutions
        .iter()
        .copied()
        .min_by_key(|dpi| (dpi.abs_diff(asked), std::cmp::Reverse(*dpi)))
        .unwrap_or(asked)
}

/// JPEG, kept as sent; PNG only from a device without JPEG. A device that lists no formats is
/// asked for JPEG, which every eSCL device supports.
fn pick_format(source: &SourceCaps) -> Result<&'static str> {
    let offers = |mime: &str| source.formats.iter().any(|f| f == mime);
    if source.formats.is_empty() || offers("image/jpeg") {
        Ok("image/jpeg")
    } else if offers("image/png") {
        Ok("image/png")
    } else {
        Err(CaptureError::NotSupported("JPEG or PNG pages".into()))
    }
}

impl Scanner for EsclScanner {
    fn scan(
        &mut self,
        settings: &ScanSettings,
        on_page: &mut dyn FnMut(ScannedPage) -> Result<()>,
    ) -> Result<u32> {
        let plan = JobPlan::new(&self.caps, settings)?;
        if plan.feeder {
            self.check_feeder()?;
        }
        let job = self.create_job(&plan)?;
        let result = self.fetch_pages(&job, &plan, on_page);
        // A failed or stopped job is cancelled so the device is free for the next one; a platen
        // job is deleted too, since some devices hold it open until a last `NextDocument`.
        if result.is_err() || !plan.feeder {
            self.http.delete_quietly(&job);
        }
        result
    }
}

impl EsclScanner {
    /// Before a feeder job: an empty or jammed feeder is said at once, not after a refused job.
    /// A device whose status cannot be read is given the benefit of the doubt.
    fn check_feeder(&self) -> Result<()> {
        match self.http.status(&self.base).map(|s| s.adf()) {
            Ok(Adf::Empty) => Err(CaptureError::FeederEmpty),
            Ok(Adf::Fault(what)) => Err(CaptureError::DeviceFault(what.into())),
            _ => Ok(()),
        }
    }

    /// `POST ScanJobs`, waiting out 503s, and returns the job's URL.
    fn create_job(&self, plan: &JobPlan) -> Result<String> {
        let url = format!("{}/ScanJobs", self.base);
        let body = plan.to_xml();
        let mut pauses = Pauses::new(&self.http.timing);
        loop {
            let response = self.http.post_xml(&url, body.clone())?;
            match response.status().as_u16() {
                201 => return self.job_url(&url, &response),
                503 if pauses.pause() => {}
                503 => return Err(CaptureError::DeviceBusy),
                409 => return Err(self.refusal(plan)),
                other => {
                    return Err(CaptureError::DeviceFault(format!("ScanJobs: HTTP {other}")));
                }
            }
        }
    }

    /// Why the device answered 409 Conflict to a job: its status tells an empty or jammed feeder
    /// and another client's job apart from settings it will not take.
    fn refusal(&self, plan: &JobPlan) -> CaptureError {
        let Ok(status) = self.http.status(&self.base) else {
            return CaptureError::DeviceFault("ScanJobs: HTTP 409".into());
        };
        match (plan.feeder, status.adf()) {
            (true, Adf::Empty) => CaptureError::FeederEmpty,
            (true, Adf::Fault(what)) => CaptureError::DeviceFault(what.into()),
            _ if status.is_busy() => CaptureError::DeviceBusy,
            _ => CaptureError::NotSupported("these scan settings".into()),
        }
    }

    /// The job's URL from `Location`, relative or absolute. Only its path is taken: the host
    /// stays the one configured, since devices often do not know the name they are reached by.
    fn job_url(&self, post_url: &str, response: &Response) -> Result<String> {
        let missing = || CaptureError::DeviceFault("ScanJobs: no job location".into());
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .ok_or_else(missing)?;
        let post = Url::parse(post_url).map_err(|_| missing())?;
        let joined = post.join(location).map_err(|_| missing())?;
        let mut job = post;
        job.set_path(joined.path());
        job.set_query(joined.query());
        Ok(job.as_str().trim_end_matches('/').to_owned())
    }

    /// Fetches pages until the job ends: one from the glass, every sheet from the feeder.
    fn fetch_pages(
        &self,
        job: &str,
        plan: &JobPlan,
        on_page: &mut dyn FnMut(ScannedPage) -> Result<()>,
    ) -> Result<u32> {
        let mut pages = 0;
        loop {
            match self.next_document(job, plan, pages)? {
                Some(page) => {
                    on_page(page)?;
                    pages += 1;
                    if !plan.feeder {
                        return Ok(pages);
                    }
                }
                None => return self.end_of_job(plan, pages),
            }
        }
    }

    /// One `NextDocument`: a page, or `None` when the device says the job has no more (404).
    fn next_document(&self, job: &str, plan: &JobPlan, pages: u32) -> Result<Option<ScannedPage>> {
        let url = format!("{job}/NextDocument");
        let mut pauses = Pauses::new(&self.http.timing);
        loop {
            let response = self.http.get(&url, self.http.timing.page)?;
            match response.status().as_u16() {
                200 => return page_from(&url, response, plan.resolution).map(Some),
                404 => return Ok(None),
                503 => {
                    // Still scanning or warming up; a jam meanwhile shows only in the status.
                    if plan.feeder {
                        self.check_feeder_fault()?;
                    }
                    if !pauses.pause() {
                        return Err(CaptureError::DeviceBusy);
                    }
                }
                other => return Err(self.job_failure(plan, pages, other)),
            }
        }
    }

    /// The job ended (404). Before any page, a feeder had no paper and a platen failed; after
    /// some, a jam also ends a job with 404 on many devices, so the status is asked.
    fn end_of_job(&self, plan: &JobPlan, pages: u32) -> Result<u32> {
        if !plan.feeder {
            return Err(CaptureError::DeviceFault("the scanner sent no page".into()));
        }
        match self.http.status(&self.base).map(|s| s.adf()) {
            Ok(Adf::Fault(what)) => Err(CaptureError::DeviceFault(what.into())),
            _ if pages == 0 => Err(CaptureError::FeederEmpty),
            _ => Ok(pages),
        }
    }

    fn check_feeder_fault(&self) -> Result<()> {
        match self.http.status(&self.base).map(|s| s.adf()) {
            Ok(Adf::Fault(what)) => Err(CaptureError::DeviceFault(what.into())),
            _ => Ok(()),
        }
    }

    /// A `NextDocument` answered neither a page, nor "busy", nor "no more" (409 is how devices
    /// report a jam): the status says what happened, when it knows.
    fn job_failure(&self, plan: &JobPlan, pages: u32, http_status: u16) -> CaptureError {
        if plan.feeder {
            match self.http.status(&self.base).map(|s| s.adf()) {
                Ok(Adf::Fault(what)) => return CaptureError::DeviceFault(what.into()),
                Ok(Adf::Empty) if pages == 0 => return CaptureError::FeederEmpty,
                _ => {}
            }
        }
        CaptureError::DeviceFault(format!("NextDocument: HTTP {http_status}"))
    }
}

/// A page from a 200 `NextDocument`. The bytes decide the format; the declared `Content-Type`
/// only names what was sent when it is neither JPEG nor PNG (a PDF from a device that ignored
/// the request, say).
fn page_from(url: &str, response: Response, dpi: u32) -> Result<ScannedPage> {
    let declared = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let bytes = response.bytes().map_err(|e| unreachable(url, &e))?.to_vec();
    let format = match sniff(&bytes) {
        Some(format) => format,
        None if bytes.is_empty() => {
            return Err(CaptureError::DeviceFault(
                "the scanner sent an empty page".into(),
            ));
        }
        None if declared == "image/jpeg" || declared == "image/png" => {
            return Err(CaptureError::DeviceFault(
                "the scanner sent a damaged page".into(),
            ));
        }
        None => {
            let kind = if declared.is_empty() {
                "an unknown kind"
            } else {
                declared.as_str()
            };
            return Err(CaptureError::DeviceFault(format!(
                "the scanner sent a page of {kind}, not JPEG or PNG"
            )));
        }
    };
    Ok(ScannedPage {
        bytes,
        format,
        dpi: Some(dpi),
    })
}

fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageFormat::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(ImageFormat::Png)
    } else {
        None
    }
}

/// The pauses between tries after a 503: growing, and bounded in total so a device that never
/// becomes ready ends as "busy" rather than a hung desk.
struct Pauses {
    next: Duration,
    max: Duration,
    left: Duration,
}

impl Pauses {
    fn new(timing: &Timing) -> Pauses {
        Pauses {
            next: timing.first_pause,
            max: timing.max_pause,
            left: timing.busy_budget,
        }
    }

    /// Sleeps before the next try; false when the budget is spent.
    fn pause(&mut self) -> bool {
        if self.left.is_zero() {
            return false;
        }
        let pause = self.next.min(self.left);
        std::thread::sleep(pause);
        self.left -= pause;
        self.next = (self.next * 2).min(self.max);
        true
    }
}

// ---------------------------------------------------------------------------------------------
// XML helpers

fn is(node: Node<'_, '_>, namespace: &str, name: &str) -> bool {
    node.is_element()
        && node.tag_name().name() == name
        && node.tag_name().namespace() == Some(namespace)
}

fn child<'a, 'i>(node: Node<'a, 'i>, namespace: &str, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|n| is(*n, namespace, name))
}

fn child_text(node: Node<'_, '_>, namespace: &str, name: &str) -> Option<String> {
    child(node, namespace, name).map(|n| n.text().unwrap_or_default().trim().to_owned())
}

fn child_number(node: Node<'_, '_>, namespace: &str, name: &str) -> Option<u32> {
    child_text(node, namespace, name).and_then(|v| v.parse().ok())
}

/// Escapes text for an element's content (the version string comes from the device).
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAPS: &str = r#"<?xml version="1.0"?>
<s:ScannerCapabilities xmlns:s="http://schemas.hp.com/imaging/escl/2011/05/03"
    xmlns:p="http://www.pwg.org/schemas/2010/12/sm">
  <p:Version>2.5</p:Version>
  <s:Manufacturer>Acme</s:Manufacturer>
  <s:Platen><s:PlatenInputCaps>
    <s:MaxWidth>2550</s:MaxWidth><s:MaxHeight>3300</s:MaxHeight>
    <s:SettingProfiles><s:SettingProfile>
      <s:ColorModes><s:ColorMode>RGB24</s:ColorMode><s:ColorMode>Grayscale8</s:ColorMode></s:ColorModes>
      <s:DocumentFormats><p:DocumentFormat>image/png</p:DocumentFormat></s:DocumentFormats>
      <s:SupportedResolutions><s:ResolutionRange>
        <s:XResolution><s:Min>100</s:Min><s:Max>600</s:Max><s:Step>100</s:Step></s:XResolution>
        <s:YResolution><s:Min>100</s:Min><s:Max>600</s:Max><s:Step>100</s:Step></s:YResolution>
      </s:ResolutionRange></s:SupportedResolutions>
    </s:SettingProfile></s:SettingProfiles>
  </s:PlatenInputCaps></s:Platen>
  <s:Adf>
    <s:AdfSimplexInputCaps><s:MaxWidth>2550</s:MaxWidth></s:AdfSimplexInputCaps>
    <s:AdfOptions><s:AdfOption>Duplex</s:AdfOption></s:AdfOptions>
  </s:Adf>
</s:ScannerCapabilities>"#;

    #[test]
    fn other_prefixes_ranges_and_duplex_by_option_are_understood() {
        let caps = Capabilities::parse(CAPS).unwrap();
        assert_eq!(caps.name(), "Acme (eSCL)");
        assert_eq!(caps.feeds(), vec![Feed::Flatbed, Feed::Adf, Feed::Duplex]);
        let platen = caps.platen.as_ref().unwrap();
        assert_eq!(platen.resolutions, vec![100, 200, 300, 400, 600]);
        assert_eq!(platen.formats, vec!["image/png"]);
        assert!(!platen.format_ext);
    }

    #[test]
    fn a_plan_fits_the_device() {
        let caps = Capabilities::parse(CAPS).unwrap();
        let settings = ScanSettings {
            feed: Feed::Flatbed,
            resolution: 250,
            mode: ColourMode::Lineart,
        };
        let plan = JobPlan::new(&caps, &settings).unwrap();
        assert_eq!(plan.resolution, 300);
        assert_eq!(plan.colour_mode, "Grayscale8");
        assert_eq!(plan.format, "image/png");
        assert_eq!((plan.width, plan.height), (2480, 3300));
        assert_eq!(plan.version, "2.5");
        let xml = plan.to_xml();
        assert!(Document::parse(&xml).is_ok(), "{xml}");
        assert!(!xml.contains("Duplex"));
    }

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
