//! What a device offers, from its `scan:ScannerCapabilities`: per source (glass, feeder, both
//! sides) its colour modes, resolutions, formats, intents and region.

use roxmltree::{Document, Node};

use super::xml::{child, child_number, child_text, is};
use super::{PWG_NS, SCAN_NS, device_id};
use crate::{CaptureError, ColourMode, Feed, Result, ScannerInfo};

/// The resolutions offered when a device gives a range rather than a list.
const COMMON_RESOLUTIONS: [u32; 9] = [75, 100, 150, 200, 240, 300, 400, 600, 1200];

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

    pub(super) fn device_info(&self, base: &str) -> ScannerInfo {
        ScannerInfo {
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

pub(super) fn escl_colour_mode(mode: ColourMode) -> &'static str {
    match mode {
        ColourMode::Color => "RGB24",
        ColourMode::Gray => "Grayscale8",
        ColourMode::Lineart => "BlackAndWhite1",
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub(in crate::escl) const CAPS: &str = r#"<?xml version="1.0"?>
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
}
