//! The fake scanner itself, without HTTP: requests in, replies out. Keeping the state machine apart
//! from the socket keeps both small and lets one lock guard the whole device, as one scan engine
//! serialises a real device's jobs.

use std::collections::VecDeque;
use std::time::Instant;

use super::documents::{self, JobStatus};
use super::{EsclConfig, JobReport, RecordedRequest, RecordedScanSettings};
use crate::pages;

/// What the HTTP layer sends back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub content_type: Option<&'static str>,
    pub location: Option<String>,
    pub body: Vec<u8>,
}

impl Reply {
    fn empty(status: u16) -> Reply {
        Reply {
            status,
            content_type: None,
            location: None,
            body: Vec::new(),
        }
    }

    fn xml(body: String) -> Reply {
        Reply {
            status: 200,
            content_type: Some("text/xml"),
            location: None,
            body: body.into_bytes(),
        }
    }

    fn page(bytes: Vec<u8>) -> Reply {
        Reply {
            status: 200,
            content_type: Some(content_type_of(&bytes)),
            location: None,
            body: bytes,
        }
    }
}

/// The content type a device declares for a page, from the page's own signature.
fn content_type_of(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else {
        "application/octet-stream"
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Platen,
    Feeder,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JobState {
    Processing,
    Completed,
    Canceled,
    Aborted,
}

impl JobState {
    /// The PWG job state and one job state reason, as `ScannerStatus` says them.
    fn names(self) -> (&'static str, &'static str) {
        match self {
            JobState::Processing => ("Processing", "JobScanning"),
            JobState::Completed => ("Completed", "JobCompletedSuccessfully"),
            JobState::Canceled => ("Canceled", "JobCanceledByUser"),
            JobState::Aborted => ("Aborted", "AbortedBySystem"),
        }
    }
}

struct Job {
    uuid: String,
    uri: String,
    source: Source,
    settings: RecordedScanSettings,
    pages_served: u32,
    /// 503 answers still owed before the next page.
    busy_left: u32,
    state: JobState,
    created: Instant,
}

/// The whole device: configuration, paper, jobs, and what clients asked of it.
pub struct Device {
    config: EsclConfig,
    /// `http://127.0.0.1:PORT`, for absolute `Location` headers.
    origin: String,
    uuid_seed: u64,
    feeder: VecDeque<Vec<u8>>,
    platen_next: usize,
    jammed: bool,
    busy_jobs_left: u32,
    jobs: Vec<Job>,
    next_job: u64,
    pub requests: Vec<RecordedRequest>,
    pub scan_settings: Vec<RecordedScanSettings>,
}

impl Device {
    pub fn new(config: EsclConfig, origin: String, uuid_seed: u64) -> Device {
        Device {
            feeder: config.feeder_pages.iter().cloned().collect(),
            jammed: config.jam_after == Some(0),
            busy_jobs_left: config.busy_before_job,
            config,
            origin,
            uuid_seed,
            platen_next: 0,
            jobs: Vec::new(),
            next_job: 1,
            requests: Vec::new(),
            scan_settings: Vec::new(),
        }
    }

    /// Answers one request and records it.
    pub fn handle(&mut self, method: &str, url: &str, body: &[u8]) -> Reply {
        let path = url.split('?').next().unwrap_or_default();
        let reply = self.route(method, path, body);
        self.requests.push(RecordedRequest {
            method: method.to_owned(),
            path: path.to_owned(),
            status: reply.status,
        });
        reply
    }

    /// Puts paper in the feeder (after the earlier sheets, as a person adds to the stack) and
    /// clears a jam, as a person does before adding paper.
    pub fn load_feeder(&mut self, pages: Vec<Vec<u8>>) {
        self.feeder.extend(pages);
        self.jammed = false;
    }

    pub fn job_reports(&self) -> Vec<JobReport> {
        self.jobs
            .iter()
            .map(|job| JobReport {
                uuid: job.uuid.clone(),
                uri: job.uri.clone(),
                input_source: match job.source {
                    Source::Platen => "Platen".into(),
                    Source::Feeder => "Feeder".into(),
                },
                pages_served: job.pages_served,
                state: job.state.names().0.into(),
            })
            .collect()
    }

    fn route(&mut self, method: &str, path: &str, body: &[u8]) -> Reply {
        let Some(rest) = path.strip_prefix("/eSCL/") else {
            return Reply::empty(404);
        };
        let segments: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
        match (segments.as_slice(), method) {
            (["ScannerCapabilities"], "GET") => {
                Reply::xml(documents::capabilities(&self.config, &self.uuid(0)))
            }
            (["ScannerStatus"], "GET") => Reply::xml(self.status()),
            (["ScanJobs"], "POST") => self.create_job(body),
            (["ScanJobs", id], "DELETE") => self.delete_job(id),
            (["ScanJobs", id, "NextDocument"], "GET") => self.next_document(id),
            (["ScannerCapabilities" | "ScannerStatus" | "ScanJobs"], _)
            | (["ScanJobs", _], _)
            | (["ScanJobs", _, "NextDocument"], _) => Reply::empty(405),
            _ => Reply::empty(404),
        }
    }

    /// A UUID-shaped identifier, unique for this server: eSCL only asks that job ids be unique.
    fn uuid(&self, n: u64) -> String {
        let seed = self.uuid_seed;
        format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            (seed >> 32) as u32,
            (seed >> 16) as u16,
            (seed & 0xfff) as u16,
            (n >> 48) & 0xfff,
            n & 0xffff_ffff_ffff
        )
    }

    fn active_job(&self) -> Option<&Job> {
        self.jobs
            .iter()
            .find(|job| job.state == JobState::Processing)
    }

    fn adf_state(&self) -> &'static str {
        if self.jammed {
            "ScannerAdfJam"
        } else if self.feeder.is_empty() {
            "ScannerAdfEmpty"
        } else {
            "ScannerAdfLoaded"
        }
    }

    fn status(&self) -> String {
        let state = if self.active_job().is_some() {
            "Processing"
        } else {
            "Idle"
        };
        let jobs: Vec<JobStatus<'_>> = self
            .jobs
            .iter()
            .rev()
            .map(|job| {
                let (state, reason) = job.state.names();
                JobStatus {
                    uri: &job.uri,
                    uuid: &job.uuid,
                    age_seconds: job.created.elapsed().as_secs(),
                    images_completed: job.pages_served,
                    images_to_transfer: 0,
                    state,
                    reason,
                }
            })
            .collect();
        documents::status(&self.config.version, state, self.adf_state(), &jobs)
    }

    /// `POST /eSCL/ScanJobs`: 201 with the job's `Location`; 400 for a document that is not
    /// ScanSettings; 503 while another job runs (or while the configured busy spell lasts); 409
    /// for settings the device does not offer and for a feeder job with no paper or a jam.
    fn create_job(&mut self, body: &[u8]) -> Reply {
        let Ok(text) = std::str::from_utf8(body) else {
            return Reply::empty(400);
        };
        let settings = match documents::parse_scan_settings(text) {
            Ok(settings) => settings,
            Err(_) => return Reply::empty(400),
        };
        self.scan_settings.push(settings.clone());
        if self.busy_jobs_left > 0 {
            self.busy_jobs_left -= 1;
            return Reply::empty(503);
        }
        if self.active_job().is_some() {
            return Reply::empty(503);
        }
        let Some(source) = source_of(&settings) else {
            return Reply::empty(409);
        };
        if !offers(&settings, source) {
            return Reply::empty(409);
        }
        if source == Source::Feeder && (self.jammed || self.feeder.is_empty()) {
            return Reply::empty(409);
        }
        self.start_job(source, settings)
    }

    fn start_job(&mut self, source: Source, settings: RecordedScanSettings) -> Reply {
        let uuid = self.uuid(self.next_job);
        self.next_job += 1;
        let uri = format!("/eSCL/ScanJobs/{uuid}");
        let location = if self.config.absolute_location {
            format!("{}{uri}", self.origin)
        } else {
            uri.clone()
        };
        self.jobs.push(Job {
            uuid,
            uri,
            source,
            settings,
            pages_served: 0,
            busy_left: self.busy_before(0),
            state: JobState::Processing,
            created: Instant::now(),
        });
        Reply {
            location: Some(location),
            ..Reply::empty(201)
        }
    }

    fn busy_before(&self, page: u32) -> u32 {
        let index = usize::try_from(page).unwrap_or(usize::MAX);
        self.config
            .busy_before_page
            .get(index)
            .copied()
            .unwrap_or(0)
    }

    fn job_index(&self, id: &str) -> Option<usize> {
        self.jobs.iter().position(|job| job.uuid == id)
    }

    /// `DELETE /eSCL/ScanJobs/<id>`: cancels a running job; a finished one stays as it ended.
    fn delete_job(&mut self, id: &str) -> Reply {
        let Some(index) = self.job_index(id) else {
            return Reply::empty(404);
        };
        let job = &mut self.jobs[index];
        if job.state == JobState::Processing {
            job.state = JobState::Canceled;
        }
        Reply::empty(200)
    }

    /// `GET /eSCL/ScanJobs/<id>/NextDocument`: 503 while the device warms up, 200 with a page,
    /// 404 when the job has no more pages (or is no longer running), 409 when the feeder jams.
    fn next_document(&mut self, id: &str) -> Reply {
        let Some(index) = self.job_index(id) else {
            return Reply::empty(404);
        };
        if self.jobs[index].state != JobState::Processing {
            return Reply::empty(404);
        }
        if self.jobs[index].busy_left > 0 {
            self.jobs[index].busy_left -= 1;
            return Reply::empty(503);
        }
        match self.jobs[index].source {
            Source::Platen => self.platen_document(index),
            Source::Feeder => self.feeder_document(index),
        }
    }

    /// A platen job is one page: the document on the glass.
    fn platen_document(&mut self, index: usize) -> Reply {
        let settings = self.jobs[index].settings.clone();
        let page = self.platen_page(&settings);
        let job = &mut self.jobs[index];
        job.pages_served = 1;
        job.state = JobState::Completed;
        Reply::page(page)
    }

    /// The configured documents in turn, the last one staying on the glass; with none configured,
    /// the empty glass: a white page with a thin frame, in the requested size, resolution and mode.
    fn platen_page(&mut self, settings: &RecordedScanSettings) -> Vec<u8> {
        let pages = &self.config.platen_pages;
        if let Some(last) = pages.len().checked_sub(1) {
            let page = pages[self.platen_next.min(last)].clone();
            self.platen_next += 1;
            return page;
        }
        generated_page(settings)
    }

    fn feeder_document(&mut self, index: usize) -> Reply {
        let served = self.jobs[index].pages_served;
        let jam_now = self
            .config
            .jam_after
            .is_some_and(|after| u32::try_from(after).is_ok_and(|after| after == served));
        if jam_now {
            self.jammed = true;
            self.jobs[index].state = JobState::Aborted;
            return Reply::empty(409);
        }
        let Some(page) = self.feeder.pop_front() else {
            self.jobs[index].state = JobState::Completed;
            return Reply::empty(404);
        };
        let busy = self.busy_before(served + 1);
        let job = &mut self.jobs[index];
        job.pages_served = served + 1;
        job.busy_left = busy;
        Reply::page(page)
    }
}

fn source_of(settings: &RecordedScanSettings) -> Option<Source> {
    match settings.input_source.as_deref() {
        None | Some("Platen") => Some(Source::Platen),
        Some("Feeder") => Some(Source::Feeder),
        Some(_) => None,
    }
}

/// Whether the device offers what the settings ask: a listed colour mode, a listed resolution
/// (the same across and down), JPEG output, and a region within the source's limits.
fn offers(settings: &RecordedScanSettings, source: Source) -> bool {
    let mode_ok = settings
        .color_mode
        .as_deref()
        .is_none_or(|mode| documents::COLOR_MODES.contains(&mode));
    let resolution_ok = match (settings.x_resolution, settings.y_resolution) {
        (Some(x), Some(y)) => x == y && documents::RESOLUTIONS.contains(&x),
        (None, None) => true,
        _ => false,
    };
    // The fake serves the pages it was given as they are: JPEG (or PNG). A PDF request is refused
    // rather than answered with an image the client would misread.
    let format = settings
        .document_format_ext
        .as_deref()
        .or(settings.document_format.as_deref());
    let format_ok = format.is_none_or(|f| f == "image/jpeg");
    mode_ok && resolution_ok && format_ok && regions_fit(settings, source)
}

fn regions_fit(settings: &RecordedScanSettings, source: Source) -> bool {
    let (max_width, max_height) = match source {
        Source::Platen => documents::PLATEN_MAX,
        Source::Feeder => documents::ADF_MAX,
    };
    settings.regions.iter().all(|region| {
        let units_ok = region
            .units
            .as_deref()
            .is_none_or(|u| u == "escl:ThreeHundredthsOfInches");
        let x = region.x_offset.unwrap_or(0);
        let y = region.y_offset.unwrap_or(0);
        let width = region.width.unwrap_or(max_width);
        let height = region.height.unwrap_or(max_height);
        units_ok
            && width >= documents::MIN_SIZE
            && height >= documents::MIN_SIZE
            && x.saturating_add(width) <= max_width
            && y.saturating_add(height) <= max_height
    })
}

/// The empty glass as a device would scan it: the requested region at the requested resolution,
/// in colour or grey as asked.
fn generated_page(settings: &RecordedScanSettings) -> Vec<u8> {
    let region = settings.regions.first();
    let (max_width, max_height) = documents::PLATEN_MAX;
    let width = region.and_then(|r| r.width).unwrap_or(max_width);
    let height = region.and_then(|r| r.height).unwrap_or(max_height);
    let x_dpi = settings.x_resolution.unwrap_or(300);
    let y_dpi = settings.y_resolution.unwrap_or(x_dpi);
    let pixels = |length: u32, dpi: u32| (u64::from(length) * u64::from(dpi) / 300).max(1);
    let width_px = u32::try_from(pixels(width, x_dpi)).unwrap_or(u32::MAX);
    let height_px = u32::try_from(pixels(height, y_dpi)).unwrap_or(u32::MAX);
    match settings.color_mode.as_deref() {
        Some("Grayscale8" | "BlackAndWhite1") => pages::grey_jpeg_page(width_px, height_px, 0, 0),
        _ => pages::jpeg_page(width_px, height_px, GENERATED_FRAME, 0),
    }
}

/// The frame colour of a generated platen page, so a test can check colours arrived intact.
pub const GENERATED_FRAME: [u8; 3] = [200, 30, 30];

#[cfg(test)]
mod tests {
    use super::*;

    fn device(config: EsclConfig) -> Device {
        Device::new(config, "http://127.0.0.1:1".into(), 42)
    }

    fn settings(source: &str, extra: &str) -> Vec<u8> {
        format!(
            r#"<?xml version="1.0"?>
<scan:ScanSettings xmlns:scan="{}" xmlns:pwg="{}">
  <pwg:Version>2.63</pwg:Version>
  <pwg:InputSource>{source}</pwg:InputSource>
  <scan:ColorMode>RGB24</scan:ColorMode>
  <scan:XResolution>75</scan:XResolution>
  <scan:YResolution>75</scan:YResolution>
  {extra}
</scan:ScanSettings>"#,
            documents::SCAN_NS,
            documents::PWG_NS
        )
        .into_bytes()
    }

    fn job_path(reply: &Reply) -> String {
        reply.location.clone().unwrap()
    }

    #[test]
    fn documents_are_namespaced_xml() {
        let mut device = device(EsclConfig {
            make_and_model: "A & B <scanner>".into(),
            ..EsclConfig::default()
        });
        for path in ["/eSCL/ScannerCapabilities", "/eSCL/ScannerStatus"] {
            let reply = device.handle("GET", path, b"");
            assert_eq!(reply.status, 200);
            let text = String::from_utf8(reply.body).unwrap();
            let doc = roxmltree::Document::parse(&text).unwrap();
            assert_eq!(
                doc.root_element().tag_name().namespace(),
                Some(documents::SCAN_NS)
            );
        }
    }

    #[test]
    fn malformed_or_foreign_documents_are_bad_requests() {
        let mut device = device(EsclConfig::default());
        assert_eq!(
            device.handle("POST", "/eSCL/ScanJobs", b"<not xml").status,
            400
        );
        let foreign = b"<ScanSettings><InputSource>Platen</InputSource></ScanSettings>";
        assert_eq!(device.handle("POST", "/eSCL/ScanJobs", foreign).status, 400);
    }

    #[test]
    fn unsupported_settings_conflict() {
        let mut device = device(EsclConfig::default());
        let pdf = settings(
            "Platen",
            "<pwg:DocumentFormat>application/pdf</pwg:DocumentFormat>",
        );
        assert_eq!(device.handle("POST", "/eSCL/ScanJobs", &pdf).status, 409);
        let huge = settings(
            "Platen",
            "<pwg:ScanRegions><pwg:ScanRegion><pwg:Width>9000</pwg:Width>\
             <pwg:Height>100</pwg:Height></pwg:ScanRegion></pwg:ScanRegions>",
        );
        assert_eq!(device.handle("POST", "/eSCL/ScanJobs", &huge).status, 409);
        assert_eq!(device.scan_settings.len(), 2);
    }

    #[test]
    fn one_job_at_a_time_and_deleted_jobs_end() {
        let mut device = device(EsclConfig {
            feeder_pages: vec![crate::pages::jpeg_page(8, 8, [0, 0, 0], 0)],
            ..EsclConfig::default()
        });
        let first = device.handle("POST", "/eSCL/ScanJobs", &settings("Feeder", ""));
        assert_eq!(first.status, 201);
        let busy = device.handle("POST", "/eSCL/ScanJobs", &settings("Platen", ""));
        assert_eq!(busy.status, 503);
        let job = job_path(&first);
        assert_eq!(device.handle("DELETE", &job, b"").status, 200);
        let next = format!("{job}/NextDocument");
        assert_eq!(device.handle("GET", &next, b"").status, 404);
        assert_eq!(device.job_reports()[0].state, "Canceled");
        let again = device.handle("POST", "/eSCL/ScanJobs", &settings("Platen", ""));
        assert_eq!(again.status, 201);
    }

    #[test]
    fn unknown_paths_and_methods_are_refused() {
        let mut device = device(EsclConfig::default());
        assert_eq!(device.handle("GET", "/eSCL/Nothing", b"").status, 404);
        assert_eq!(device.handle("GET", "/other", b"").status, 404);
        assert_eq!(
            device.handle("POST", "/eSCL/ScannerStatus", b"").status,
            405
        );
        assert_eq!(device.handle("GET", "/eSCL/ScanJobs", b"").status, 405);
        assert_eq!(
            device
                .handle("GET", "/eSCL/ScanJobs/nope/NextDocument", b"")
                .status,
            404
        );
    }
}
