//! A loopback eSCL scanner (AirScan, Mopria "driverless" scanning), after the Mopria eSCL
//! Technical Specification: what a commune office's network MFP answers, with paper that runs
//! out, a device that warms up, and a feeder that jams, on demand.
//!
//! ```no_run
//! use hoso_fakes::{EsclConfig, EsclServer, pages};
//!
//! let server = EsclServer::start(EsclConfig {
//!     feeder_pages: vec![pages::jpeg_page(200, 280, [0, 0, 200], 1)],
//!     ..EsclConfig::default()
//! });
//! let base = server.base_url(); // http://127.0.0.1:PORT/eSCL
//! # let _ = base;
//! ```
//!
//! It answers `GET /eSCL/ScannerCapabilities`, `GET /eSCL/ScannerStatus`, `POST /eSCL/ScanJobs`,
//! `GET /eSCL/ScanJobs/<id>/NextDocument` and `DELETE /eSCL/ScanJobs/<id>`, and records every
//! request and every `ScanSettings` document so a test can assert what its client asked for.

mod device;
mod documents;

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub use device::GENERATED_FRAME;
use device::{Device, Reply};
pub use documents::{PWG_NS, SCAN_NS};

/// What the fake scanner is and holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EsclConfig {
    /// `pwg:MakeAndModel`.
    pub make_and_model: String,
    /// `scan:Manufacturer`.
    pub manufacturer: String,
    /// `pwg:SerialNumber`.
    pub serial_number: String,
    /// `pwg:Version` of every document the fake writes.
    pub version: String,
    /// The sheets in the feeder, in order (each is one side in a duplex job). A feeder job takes
    /// them all, so a second job finds the feeder empty, as with paper. Empty: the feeder is
    /// empty, `ScannerStatus` says `ScannerAdfEmpty` and a feeder job is refused with 409.
    pub feeder_pages: Vec<Vec<u8>>,
    /// The documents on the glass: each platen job scans the next one, the last one staying.
    /// Empty: the glass is empty and a platen job gets a generated white page with a thin frame in
    /// [`GENERATED_FRAME`] colour, of the requested region at the requested resolution.
    pub platen_pages: Vec<Vec<u8>>,
    /// How many times `NextDocument` answers 503 (warming up, still scanning) before page `i` of
    /// each job; pages past the end of the list come at once.
    pub busy_before_page: Vec<u32>,
    /// How many `POST /ScanJobs` are answered 503 (another client's job) before one is accepted.
    pub busy_before_job: u32,
    /// The feeder jams after this many pages of a feeder job: `NextDocument` answers 409, the job
    /// is aborted and `ScannerStatus` says `ScannerAdfJam` until [`EsclServer::load_feeder`].
    /// `Some(0)`: jammed from the start, so a feeder job is refused with 409.
    pub jam_after: Option<usize>,
    /// Answer `Location: http://127.0.0.1:PORT/eSCL/ScanJobs/<id>` rather than the path alone:
    /// devices do both.
    pub absolute_location: bool,
    /// Speak HTTPS with a self-signed certificate, made at start, as devices announced as
    /// `_uscans._tcp` do (no device carries a certificate a client could check).
    pub tls: bool,
}

impl Default for EsclConfig {
    fn default() -> Self {
        EsclConfig {
            make_and_model: "HoSo FakeScan 3000".into(),
            manufacturer: "HoSo".into(),
            serial_number: "FAKE0001".into(),
            version: "2.63".into(),
            feeder_pages: Vec::new(),
            platen_pages: Vec::new(),
            busy_before_page: Vec::new(),
            busy_before_job: 0,
            jam_after: None,
            absolute_location: false,
            tls: false,
        }
    }
}

/// One request the fake answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The status the fake answered.
    pub status: u16,
}

/// One `pwg:ScanRegion` of a recorded `ScanSettings`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedScanRegion {
    pub units: Option<String>,
    pub x_offset: Option<u32>,
    pub y_offset: Option<u32>,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// A `scan:ScanSettings` document a client posted (accepted or not), as the fake read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedScanSettings {
    /// The document as it came.
    pub xml: String,
    pub version: Option<String>,
    pub intent: Option<String>,
    /// `Platen`, `Feeder`…
    pub input_source: Option<String>,
    pub duplex: Option<bool>,
    /// `RGB24`, `Grayscale8`, `BlackAndWhite1`…
    pub color_mode: Option<String>,
    pub x_resolution: Option<u32>,
    pub y_resolution: Option<u32>,
    pub document_format: Option<String>,
    pub document_format_ext: Option<String>,
    pub regions: Vec<RecordedScanRegion>,
}

/// A scan job as the fake last saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobReport {
    pub uuid: String,
    /// The job's path, `/eSCL/ScanJobs/<uuid>`.
    pub uri: String,
    /// `Platen` or `Feeder`.
    pub input_source: String,
    pub pages_served: u32,
    /// `Processing`, `Completed`, `Canceled` or `Aborted`.
    pub state: String,
}

/// A running fake scanner on a loopback port. It stops when dropped.
pub struct EsclServer {
    address: SocketAddr,
    tls: bool,
    device: Arc<Mutex<Device>>,
    http: Arc<tiny_http::Server>,
    stop: Arc<AtomicBool>,
    worker: Option<JoinHandle<()>>,
}

impl EsclServer {
    /// Starts a fake on a free loopback port. Panics if no port can be had, which leaves a test
    /// nothing to do.
    pub fn start(config: EsclConfig) -> EsclServer {
        let any_port = SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0));
        match EsclServer::start_on(config, any_port) {
            Ok(server) => server,
            Err(error) => panic!("the fake eSCL scanner could not listen on loopback: {error}"),
        }
    }

    /// Starts a fake on `address` (the `escl-fake` binary's fixed port).
    pub fn start_on(config: EsclConfig, address: SocketAddr) -> std::io::Result<EsclServer> {
        let tls = config.tls;
        let http = if tls {
            tiny_http::Server::https(address, self_signed().map_err(std::io::Error::other)?)
        } else {
            tiny_http::Server::http(address)
        }
        .map_err(std::io::Error::other)?;
        let address = http
            .server_addr()
            .to_ip()
            .ok_or_else(|| std::io::Error::other("not an IP listener"))?;
        let origin = format!("{}://{address}", if tls { "https" } else { "http" });
        let device = Arc::new(Mutex::new(Device::new(config, origin, uuid_seed())));
        let http = Arc::new(http);
        let stop = Arc::new(AtomicBool::new(false));
        let worker = std::thread::Builder::new()
            .name("escl-fake".into())
            .spawn({
                let (http, device, stop) = (http.clone(), device.clone(), stop.clone());
                move || serve(&http, &device, &stop)
            })?;
        Ok(EsclServer {
            address,
            tls,
            device,
            http,
            stop,
            worker: Some(worker),
        })
    }

    /// The eSCL root a client is configured with: `http://127.0.0.1:PORT/eSCL` (`https://…`
    /// with [`EsclConfig::tls`]).
    pub fn base_url(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://{}/eSCL", self.address)
    }

    /// The loopback address and port the fake listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Every request answered so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.lock().requests.clone()
    }

    /// Every `ScanSettings` posted so far, in order, refused ones included.
    pub fn scan_settings(&self) -> Vec<RecordedScanSettings> {
        self.lock().scan_settings.clone()
    }

    /// Every job created so far, in order.
    pub fn jobs(&self) -> Vec<JobReport> {
        self.lock().job_reports()
    }

    /// Adds sheets to the feeder and clears a jam.
    pub fn load_feeder(&self, pages: Vec<Vec<u8>>) {
        self.lock().load_feeder(pages);
    }

    /// The device, even if a thread panicked while holding it: the records are still worth
    /// reading in a failing test.
    fn lock(&self) -> MutexGuard<'_, Device> {
        self.device.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for EsclServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        self.http.unblock();
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

/// A seed for job ids, different for each server so that ids never repeat across a test run.
fn uuid_seed() -> u64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    (nanos as u64) ^ u64::from(std::process::id()).rotate_left(40)
}

/// The request loop: one request at a time, as one scan engine serialises a device's work.
/// The short timeout lets the loop notice `stop` even if `unblock` came before `recv`.
fn serve(http: &tiny_http::Server, device: &Mutex<Device>, stop: &AtomicBool) {
    while !stop.load(Ordering::SeqCst) {
        match http.recv_timeout(Duration::from_millis(100)) {
            Ok(Some(request)) => answer(request, device),
            Ok(None) => {}
            Err(_) => break,
        }
    }
}

fn answer(mut request: tiny_http::Request, device: &Mutex<Device>) {
    let mut body = Vec::new();
    let reply = match std::io::Read::read_to_end(request.as_reader(), &mut body) {
        Ok(_) => {
            let method = request.method().as_str().to_owned();
            let url = request.url().to_owned();
            let mut device = device.lock().unwrap_or_else(PoisonError::into_inner);
            device.handle(&method, &url, &body)
        }
        Err(_) => Reply {
            status: 400,
            content_type: None,
            location: None,
            body: Vec::new(),
        },
    };
    let _ = request.respond(response(reply));
}

fn response(reply: Reply) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let mut response = tiny_http::Response::from_data(reply.body).with_status_code(reply.status);
    if let Some(content_type) = reply.content_type {
        response = response.with_header(header("Content-Type", content_type));
    }
    if let Some(location) = reply.location {
        response = response.with_header(header("Location", &location));
    }
    response
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    match tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        Ok(header) => header,
        Err(()) => panic!("the fake made an invalid {name} header"),
    }
}

/// A fresh P-256 key and a certificate for it, signed by itself, valid for a day: what a
/// scanner makes for itself at first start.
fn self_signed() -> Result<tiny_http::SslConfig, openssl::error::ErrorStack> {
    use openssl::asn1::Asn1Time;
    use openssl::bn::BigNum;
    use openssl::ec::{EcGroup, EcKey};
    use openssl::hash::MessageDigest;
    use openssl::nid::Nid;
    use openssl::pkey::PKey;
    use openssl::x509::{X509, X509NameBuilder};

    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1)?;
    let key = PKey::from_ec_key(EcKey::generate(&group)?)?;
    let mut name = X509NameBuilder::new()?;
    name.append_entry_by_text("CN", "HoSo FakeScan 3000")?;
    let name = name.build();
    let mut cert = X509::builder()?;
    cert.set_version(2)?;
    let serial = BigNum::from_u32(1)?.to_asn1_integer()?;
    cert.set_serial_number(&serial)?;
    cert.set_subject_name(&name)?;
    cert.set_issuer_name(&name)?;
    cert.set_pubkey(&key)?;
    let (from, until) = (Asn1Time::days_from_now(0)?, Asn1Time::days_from_now(1)?);
    cert.set_not_before(&from)?;
    cert.set_not_after(&until)?;
    cert.sign(&key, MessageDigest::sha256())?;
    Ok(tiny_http::SslConfig {
        certificate: cert.build().to_pem()?,
        private_key: key.private_key_to_pem_pkcs8()?,
    })
}
