//! One scan as one eSCL job: the [`JobPlan`] decided from the officer's settings and the
//! device's capabilities before anything is sent, `POST ScanJobs` (waiting out a busy device),
//! then the `NextDocument` loop until the device says there is no more, each page checked by its
//! bytes and handed over as it came.

use std::time::Duration;

use reqwest::Url;
use reqwest::blocking::Response;

use super::capabilities::{Capabilities, SourceCaps, escl_colour_mode};
use super::http::{Http, unreachable};
use super::status::Adf;
use super::xml::escape;
use super::{PWG_NS, SCAN_NS, Timing};
use crate::{
    CaptureError, ColourMode, Feed, ImageFormat, Result, ScanSettings, ScannedPage, Scanner,
};

/// The eSCL version sent when the device does not say its own.
const DEFAULT_VERSION: &str = "2.63";
/// A4 in 300ths of an inch (210 × 297 mm): the paper of Vietnamese administration.
const A4: (u32, u32) = (2480, 3508);

/// An open eSCL scanner.
pub(super) struct EsclScanner {
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
    pub(super) fn new(http: Http, base: String, caps: Capabilities) -> EsclScanner {
        EsclScanner { http, base, caps }
    }

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

#[cfg(test)]
mod tests {
    use roxmltree::Document;

    use super::*;
    use crate::escl::capabilities::tests::CAPS;

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
}
