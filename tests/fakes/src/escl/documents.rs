//! The XML documents of eSCL (the Mopria eSCL Technical Specification): the capabilities and the
//! status the fake writes, and the `scan:ScanSettings` it reads. Elements are matched by namespace
//! and local name, as a real device's parser does, so a client that gets a namespace wrong fails
//! here as it would in the office.

use std::fmt::Write as _;

use roxmltree::{Document, Node};

use super::{EsclConfig, RecordedScanRegion, RecordedScanSettings};

/// The eSCL namespace, prefix `scan`.
pub const SCAN_NS: &str = "http://schemas.hp.com/imaging/escl/2011/05/03";
/// The PWG semantic model namespace, prefix `pwg`.
pub const PWG_NS: &str = "http://www.pwg.org/schemas/2010/12/sm";

/// The resolutions (dpi, same in x and y) every source of the fake offers.
pub const RESOLUTIONS: [u32; 6] = [75, 100, 150, 200, 300, 600];
/// The colour modes every source offers.
pub const COLOR_MODES: [&str; 3] = ["BlackAndWhite1", "Grayscale8", "RGB24"];
/// The document formats every source offers.
pub const FORMATS: [&str; 2] = ["image/jpeg", "application/pdf"];
/// The glass: 8.5 in wide (US Letter) by 11.69 in (A4), in 300ths of an inch.
pub const PLATEN_MAX: (u32, u32) = (2550, 3508);
/// The feeder takes sheets up to US Legal (8.5 × 14 in).
pub const ADF_MAX: (u32, u32) = (2550, 4200);
/// The smallest region a source scans.
pub const MIN_SIZE: u32 = 16;

/// Escapes text for an XML element's content.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// `GET /eSCL/ScannerCapabilities`: a document shaped like a mid-range office MFP's, with a
/// platen and a duplex feeder offering the same settings.
pub fn capabilities(config: &EsclConfig, uuid: &str) -> String {
    let mut xml = String::new();
    let _ = write!(
        xml,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<scan:ScannerCapabilities xmlns:scan="{SCAN_NS}" xmlns:pwg="{PWG_NS}">
  <pwg:Version>{version}</pwg:Version>
  <pwg:MakeAndModel>{model}</pwg:MakeAndModel>
  <pwg:SerialNumber>{serial}</pwg:SerialNumber>
  <scan:Manufacturer>{maker}</scan:Manufacturer>
  <scan:UUID>{uuid}</scan:UUID>
  <scan:AdminURI>http://127.0.0.1/</scan:AdminURI>
  <scan:Platen>
    <scan:PlatenInputCaps>
{platen}    </scan:PlatenInputCaps>
  </scan:Platen>
  <scan:Adf>
    <scan:AdfSimplexInputCaps>
{adf}    </scan:AdfSimplexInputCaps>
    <scan:AdfDuplexInputCaps>
{adf}    </scan:AdfDuplexInputCaps>
    <scan:FeederCapacity>50</scan:FeederCapacity>
    <scan:AdfOptions>
      <scan:AdfOption>DetectPaperLoaded</scan:AdfOption>
      <scan:AdfOption>Duplex</scan:AdfOption>
    </scan:AdfOptions>
  </scan:Adf>
</scan:ScannerCapabilities>
"#,
        version = escape(&config.version),
        model = escape(&config.make_and_model),
        serial = escape(&config.serial_number),
        maker = escape(&config.manufacturer),
        platen = input_caps(PLATEN_MAX),
        adf = input_caps(ADF_MAX),
    );
    xml
}

/// The `*InputCaps` of one source: its size limits and one setting profile.
fn input_caps((max_width, max_height): (u32, u32)) -> String {
    let mut xml = String::new();
    let _ = writeln!(xml, "      <scan:MinWidth>{MIN_SIZE}</scan:MinWidth>");
    let _ = writeln!(xml, "      <scan:MaxWidth>{max_width}</scan:MaxWidth>");
    let _ = writeln!(xml, "      <scan:MinHeight>{MIN_SIZE}</scan:MinHeight>");
    let _ = writeln!(xml, "      <scan:MaxHeight>{max_height}</scan:MaxHeight>");
    xml.push_str("      <scan:MaxScanRegions>1</scan:MaxScanRegions>\n");
    xml.push_str("      <scan:SettingProfiles>\n        <scan:SettingProfile>\n");
    xml.push_str("          <scan:ColorModes>\n");
    for mode in COLOR_MODES {
        let _ = writeln!(xml, "            <scan:ColorMode>{mode}</scan:ColorMode>");
    }
    xml.push_str("          </scan:ColorModes>\n          <scan:DocumentFormats>\n");
    for format in FORMATS {
        let _ = writeln!(
            xml,
            "            <pwg:DocumentFormat>{format}</pwg:DocumentFormat>"
        );
    }
    for format in FORMATS {
        let _ = writeln!(
            xml,
            "            <scan:DocumentFormatExt>{format}</scan:DocumentFormatExt>"
        );
    }
    xml.push_str("          </scan:DocumentFormats>\n");
    xml.push_str("          <scan:SupportedResolutions>\n            <scan:DiscreteResolutions>\n");
    for dpi in RESOLUTIONS {
        let _ = writeln!(
            xml,
            "              <scan:DiscreteResolution><scan:XResolution>{dpi}</scan:XResolution><scan:YResolution>{dpi}</scan:YResolution></scan:DiscreteResolution>"
        );
    }
    xml.push_str(
        "            </scan:DiscreteResolutions>\n          </scan:SupportedResolutions>\n",
    );
    xml.push_str("        </scan:SettingProfile>\n      </scan:SettingProfiles>\n");
    xml.push_str("      <scan:SupportedIntents>\n");
    for intent in ["Document", "TextAndGraphic", "Photo", "Preview"] {
        let _ = writeln!(xml, "        <scan:Intent>{intent}</scan:Intent>");
    }
    xml.push_str("      </scan:SupportedIntents>\n");
    xml.push_str("      <scan:MaxOpticalXResolution>600</scan:MaxOpticalXResolution>\n");
    xml.push_str("      <scan:MaxOpticalYResolution>600</scan:MaxOpticalYResolution>\n");
    xml
}

/// One job as `ScannerStatus` lists it.
pub struct JobStatus<'a> {
    pub uri: &'a str,
    pub uuid: &'a str,
    pub age_seconds: u64,
    pub images_completed: u32,
    pub images_to_transfer: u32,
    pub state: &'a str,
    pub reason: &'a str,
}

/// `GET /eSCL/ScannerStatus`.
pub fn status(version: &str, state: &str, adf_state: &str, jobs: &[JobStatus<'_>]) -> String {
    let mut xml = String::new();
    let _ = write!(
        xml,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<scan:ScannerStatus xmlns:scan="{SCAN_NS}" xmlns:pwg="{PWG_NS}">
  <pwg:Version>{version}</pwg:Version>
  <pwg:State>{state}</pwg:State>
  <scan:AdfState>{adf_state}</scan:AdfState>
"#,
        version = escape(version),
    );
    if !jobs.is_empty() {
        xml.push_str("  <scan:Jobs>\n");
        for job in jobs {
            job_info(&mut xml, job);
        }
        xml.push_str("  </scan:Jobs>\n");
    }
    xml.push_str("</scan:ScannerStatus>\n");
    xml
}

fn job_info(xml: &mut String, job: &JobStatus<'_>) {
    let _ = write!(
        xml,
        r#"    <scan:JobInfo>
      <pwg:JobUri>{uri}</pwg:JobUri>
      <pwg:JobUuid>{uuid}</pwg:JobUuid>
      <scan:Age>{age}</scan:Age>
      <pwg:ImagesCompleted>{done}</pwg:ImagesCompleted>
      <pwg:ImagesToTransfer>{left}</pwg:ImagesToTransfer>
      <pwg:JobState>{state}</pwg:JobState>
      <pwg:JobStateReasons><pwg:JobStateReason>{reason}</pwg:JobStateReason></pwg:JobStateReasons>
    </scan:JobInfo>
"#,
        uri = escape(job.uri),
        uuid = escape(job.uuid),
        age = job.age_seconds,
        done = job.images_completed,
        left = job.images_to_transfer,
        state = job.state,
        reason = job.reason,
    );
}

/// Reads a `scan:ScanSettings` document as a device does. A document that is not XML, or whose
/// root is not `scan:ScanSettings` in the eSCL namespace, is refused (the device answers 400).
pub fn parse_scan_settings(xml: &str) -> Result<RecordedScanSettings, String> {
    let doc = Document::parse(xml).map_err(|e| format!("not XML: {e}"))?;
    let root = doc.root_element();
    if !is(root, SCAN_NS, "ScanSettings") {
        return Err("the root is not scan:ScanSettings".into());
    }
    Ok(RecordedScanSettings {
        xml: xml.to_owned(),
        version: child_text(root, PWG_NS, "Version"),
        intent: child_text(root, SCAN_NS, "Intent"),
        // eSCL 2.x puts the input source in the PWG namespace; early devices took it in eSCL's.
        input_source: child_text(root, PWG_NS, "InputSource")
            .or_else(|| child_text(root, SCAN_NS, "InputSource")),
        duplex: child_text(root, SCAN_NS, "Duplex").map(|v| v == "true" || v == "1"),
        color_mode: child_text(root, SCAN_NS, "ColorMode"),
        x_resolution: child_number(root, SCAN_NS, "XResolution"),
        y_resolution: child_number(root, SCAN_NS, "YResolution"),
        document_format: child_text(root, PWG_NS, "DocumentFormat"),
        document_format_ext: child_text(root, SCAN_NS, "DocumentFormatExt"),
        regions: regions(root),
    })
}

fn regions(root: Node<'_, '_>) -> Vec<RecordedScanRegion> {
    let Some(list) = child(root, PWG_NS, "ScanRegions") else {
        return Vec::new();
    };
    list.children()
        .filter(|n| is(*n, PWG_NS, "ScanRegion"))
        .map(|region| RecordedScanRegion {
            units: child_text(region, PWG_NS, "ContentRegionUnits"),
            x_offset: child_number(region, PWG_NS, "XOffset"),
            y_offset: child_number(region, PWG_NS, "YOffset"),
            width: child_number(region, PWG_NS, "Width"),
            height: child_number(region, PWG_NS, "Height"),
        })
        .collect()
}

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
