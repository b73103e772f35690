//! A device's options: which feeds, modes and resolutions it offers, and setting them for a
//! scan (SANE names them freely, so names are matched by what they mean), or any other option
//! from text as `scanimage` takes it.

use std::ffi::CString;

use sane_scan::sys::{Status, ValueType};
use sane_scan::{
    DeviceHandle, DeviceOption, DeviceOptionValue, OptionCapability, OptionConstraint,
};

use super::status::scan_error;
use crate::{CaptureError, ColourMode, Feed, Result};

/// Resolutions offered when a device gives a range: the usual ones, those within the range.
const COMMON_DPI: [u32; 8] = [75, 100, 150, 200, 300, 400, 600, 1200];

/// The option named `name`, if the device has it and it is active now. Options are read afresh
/// each time, since setting one can change others (and some backends refuse an option whose
/// descriptor was not read since).
fn active_option(handle: &DeviceHandle, name: &str) -> Result<Option<DeviceOption>> {
    let options = handle.get_options().map_err(|error| scan_error(error.0))?;
    Ok(options
        .into_iter()
        .find(|option| option.name.as_bytes() == name.as_bytes())
        .filter(is_active))
}

fn is_active(option: &DeviceOption) -> bool {
    !option.cap.contains(OptionCapability::INACTIVE)
}

fn is_settable(option: &DeviceOption) -> bool {
    is_active(option) && option.cap.contains(OptionCapability::SOFT_SELECT)
}

fn find<'a>(options: &'a [DeviceOption], name: &str) -> Option<&'a DeviceOption> {
    options
        .iter()
        .find(|option| option.name.as_bytes() == name.as_bytes() && is_active(option))
}

fn string_list(option: &DeviceOption) -> &[CString] {
    match &option.constraint {
        OptionConstraint::StringList(list) => list,
        _ => &[],
    }
}

fn set_value(handle: &DeviceHandle, option: &DeviceOption, value: DeviceOptionValue) -> Result<()> {
    handle
        .set_option(option, value)
        .map(|_| ())
        .map_err(|error| match error.0 {
            Status::Inval | Status::Unsupported => CaptureError::NotSupported(format!(
                "that value for {}",
                option.name.to_string_lossy()
            )),
            status => scan_error(status),
        })
}

/// The feeds named in the `source` option; a device without one is taken for a flatbed.
pub(super) fn offered_feeds(options: &[DeviceOption]) -> Vec<Feed> {
    let Some(source) = find(options, "source") else {
        return vec![Feed::Flatbed];
    };
    let named: Vec<Feed> = string_list(source)
        .iter()
        .filter_map(|name| feed_of(&name.to_string_lossy()))
        .collect();
    [Feed::Flatbed, Feed::Adf, Feed::Duplex]
        .into_iter()
        .filter(|feed| named.contains(feed))
        .collect()
}

/// Which feed a SANE source name means ("Flatbed", "ADF Front", "Automatic Document Feeder",
/// "ADF Duplex"…); `None` for others (transparency units, film).
fn feed_of(source: &str) -> Option<Feed> {
    let source = source.to_lowercase();
    if source.contains("duplex") {
        Some(Feed::Duplex)
    } else if source.contains("adf") || source.contains("feeder") {
        Some(Feed::Adf)
    } else if ["flatbed", "platen", "document table", "normal"]
        .iter()
        .any(|word| source.contains(word))
    {
        Some(Feed::Flatbed)
    } else {
        None
    }
}

/// The source name to ask for `feed`: the first that means it, preferring one that is not a
/// back side only ("ADF Back").
fn choose_source(sources: &[CString], feed: Feed) -> Option<&CString> {
    let means = |name: &&CString| feed_of(&name.to_string_lossy()) == Some(feed);
    let front = |name: &&CString| !name.to_string_lossy().to_lowercase().contains("back");
    sources
        .iter()
        .filter(means)
        .find(front)
        .or_else(|| sources.iter().find(means))
}

pub(super) fn set_source(handle: &DeviceHandle, feed: Feed) -> Result<()> {
    let source = active_option(handle, "source")?;
    let choice = source
        .as_ref()
        .filter(|source| is_settable(source))
        .and_then(|source| choose_source(string_list(source), feed).map(|name| (source, name)));
    match choice {
        Some((source, name)) => set_value(handle, source, DeviceOptionValue::String(name.clone())),
        // A device that cannot choose is taken for a flatbed.
        None if feed == Feed::Flatbed && source.as_ref().is_none_or(|s| !is_settable(s)) => Ok(()),
        None => Err(CaptureError::NotSupported(feed_text(feed).into())),
    }
}

fn feed_text(feed: Feed) -> &'static str {
    match feed {
        Feed::Flatbed => "the flatbed",
        Feed::Adf => "the document feeder",
        Feed::Duplex => "duplex scanning",
    }
}

fn mode_text(mode: ColourMode) -> &'static str {
    match mode {
        ColourMode::Color => "colour scanning",
        ColourMode::Gray => "grey scanning",
        ColourMode::Lineart => "black and white (lineart) scanning",
    }
}

/// Whether a SANE mode name means `mode` ("Color", "24bit Color", "Gray", "Lineart", "Binary",
/// "Black & White"…).
fn mode_means(name: &str, mode: ColourMode) -> bool {
    let name = name.to_lowercase();
    let words: &[&str] = match mode {
        ColourMode::Color => &["color", "colour"],
        ColourMode::Gray => &["gray", "grey"],
        ColourMode::Lineart => &[
            "lineart",
            "line art",
            "binary",
            "black & white",
            "black and white",
        ],
    };
    words.iter().any(|word| name.contains(word))
}

/// The mode name to ask for `mode`: its usual name (any case), else one that means it.
fn choose_mode(modes: &[CString], mode: ColourMode) -> Option<&CString> {
    modes
        .iter()
        .find(|name| name.to_string_lossy().eq_ignore_ascii_case(mode.name()))
        .or_else(|| {
            modes
                .iter()
                .find(|name| mode_means(&name.to_string_lossy(), mode))
        })
}

/// Sets the mode, and the depth that goes with it: 8 bits for colour and grey (a depth left at
/// 1 or 16 by an earlier scan would otherwise stay). A device with no lineart mode (SANE's test
/// backend) gives black and white as grey at 1 bit.
pub(super) fn set_mode(handle: &DeviceHandle, mode: ColourMode) -> Result<()> {
    let Some(option) = active_option(handle, "mode")?.filter(is_settable) else {
        // One mode only: what it gives is what the frames say.
        return Ok(());
    };
    if let Some(name) = choose_mode(string_list(&option), mode) {
        set_value(handle, &option, DeviceOptionValue::String(name.clone()))?;
        return match mode {
            ColourMode::Lineart => Ok(()),
            ColourMode::Color | ColourMode::Gray => set_depth(handle, 8).map(|_| ()),
        };
    }
    let grey = choose_mode(string_list(&option), ColourMode::Gray);
    match (mode, grey) {
        (ColourMode::Lineart, Some(grey)) => {
            set_value(handle, &option, DeviceOptionValue::String(grey.clone()))?;
            if set_depth(handle, 1)? {
                Ok(())
            } else {
                Err(CaptureError::NotSupported(mode_text(mode).into()))
            }
        }
        _ => Err(CaptureError::NotSupported(mode_text(mode).into())),
    }
}

/// Sets the `depth` option to `bits` if the device offers it; whether it did.
fn set_depth(handle: &DeviceHandle, bits: i32) -> Result<bool> {
    let Some(option) = active_option(handle, "depth")?.filter(is_settable) else {
        return Ok(false);
    };
    let offered = match &option.constraint {
        OptionConstraint::WordList(words) => words.contains(&bits),
        OptionConstraint::Range { range, .. } => (range.start..=range.end).contains(&bits),
        _ => true,
    };
    if offered && option.type_ == ValueType::Int {
        set_value(handle, &option, DeviceOptionValue::Int(bits))?;
    }
    Ok(offered && option.type_ == ValueType::Int)
}

/// Sets the resolution nearest to `dpi` that the device offers; returns the one it took.
pub(super) fn set_resolution(handle: &DeviceHandle, dpi: u32) -> Result<Option<u32>> {
    let Some(option) = active_option(handle, "resolution")?.filter(is_settable) else {
        return Ok(None);
    };
    let Some(scale) = DpiScale::of(option.type_) else {
        return Ok(None);
    };
    let wanted = nearest_allowed(&option.constraint, scale, f64::from(dpi));
    set_value(handle, &option, scale.value(wanted))?;
    // The device may have rounded it: ask what it took.
    let taken = active_option(handle, "resolution")?
        .and_then(|option| handle.get_option(&option).ok())
        .and_then(|value| scale.dpi_of(&value));
    Ok(Some(taken.unwrap_or(wanted).round() as u32))
}

/// How a resolution option holds its value: a plain integer, or SANE's 16.16 fixed point.
#[derive(Debug, Clone, Copy, PartialEq)]
enum DpiScale {
    Int,
    Fixed,
}

impl DpiScale {
    fn of(value_type: ValueType) -> Option<DpiScale> {
        match value_type {
            ValueType::Int => Some(DpiScale::Int),
            ValueType::Fixed => Some(DpiScale::Fixed),
            _ => None,
        }
    }

    fn dpi(self, word: i32) -> f64 {
        match self {
            DpiScale::Int => f64::from(word),
            DpiScale::Fixed => f64::from(word) / 65536.0,
        }
    }

    fn value(self, dpi: f64) -> DeviceOptionValue {
        match self {
            DpiScale::Int => DeviceOptionValue::Int(dpi.round() as i32),
            DpiScale::Fixed => DeviceOptionValue::Fixed((dpi * 65536.0).round() as i32),
        }
    }

    fn dpi_of(self, value: &DeviceOptionValue) -> Option<f64> {
        match (self, value) {
            (DpiScale::Int, DeviceOptionValue::Int(word))
            | (DpiScale::Fixed, DeviceOptionValue::Fixed(word)) => Some(self.dpi(*word)),
            _ => None,
        }
    }
}

/// The allowed value nearest to `dpi`: from the list, or within the range on its steps.
fn nearest_allowed(constraint: &OptionConstraint, scale: DpiScale, dpi: f64) -> f64 {
    match constraint {
        OptionConstraint::WordList(words) => words
            .iter()
            .map(|&word| scale.dpi(word))
            .min_by(|a, b| (a - dpi).abs().total_cmp(&(b - dpi).abs()))
            .unwrap_or(dpi),
        OptionConstraint::Range { range, quant } => {
            let (min, max) = (scale.dpi(range.start), scale.dpi(range.end));
            let step = scale.dpi(*quant);
            let clamped = dpi.clamp(min, max.max(min));
            if step > 0.0 {
                (min + ((clamped - min) / step).round() * step).min(max)
            } else {
                clamped
            }
        }
        _ => dpi,
    }
}

/// The resolutions a device offers: its list as it is, or the usual ones within its range.
pub(super) fn offered_resolutions(options: &[DeviceOption]) -> Vec<u32> {
    let Some(option) = find(options, "resolution") else {
        return Vec::new();
    };
    let Some(scale) = DpiScale::of(option.type_) else {
        return Vec::new();
    };
    resolutions_from(&option.constraint, scale)
}

fn resolutions_from(constraint: &OptionConstraint, scale: DpiScale) -> Vec<u32> {
    let mut list: Vec<u32> = match constraint {
        OptionConstraint::WordList(words) => words
            .iter()
            .map(|&word| scale.dpi(word).round())
            .filter(|&dpi| dpi >= 1.0)
            .map(|dpi| dpi as u32)
            .collect(),
        OptionConstraint::Range { range, quant } => {
            let (min, max) = (scale.dpi(range.start), scale.dpi(range.end));
            let step = scale.dpi(*quant);
            let on_step = |dpi: f64| step <= 0.0 || ((dpi - min) / step).fract().abs() < 1e-6;
            let common: Vec<u32> = COMMON_DPI
                .into_iter()
                .filter(|&dpi| (min..=max).contains(&f64::from(dpi)) && on_step(f64::from(dpi)))
                .collect();
            if common.is_empty() {
                // An unusual range: offer its ends.
                [min.ceil(), max.floor()]
                    .into_iter()
                    .filter(|&dpi| dpi >= 1.0 && dpi <= max)
                    .map(|dpi| dpi as u32)
                    .collect()
            } else {
                common
            }
        }
        _ => Vec::new(),
    };
    list.sort_unstable();
    list.dedup();
    list
}

/// Sets an option from text, as [`SaneScanner::set_option`] describes.
pub(super) fn set_by_text(handle: &DeviceHandle, name: &str, text: &str) -> Result<()> {
    let option = active_option(handle, name)?
        .filter(is_settable)
        .ok_or_else(|| CaptureError::NotSupported(format!("the option {name}")))?;
    let value = parse_value(&option, text)
        .ok_or_else(|| CaptureError::NotSupported(format!("{text:?} for the option {name}")))?;
    set_value(handle, &option, value)
}

fn parse_value(option: &DeviceOption, text: &str) -> Option<DeviceOptionValue> {
    let text = text.trim();
    match option.type_ {
        // A SANE_Bool is a word: sent as an Int, since the wrapper would pass a one-byte bool
        // where libsane reads four bytes.
        ValueType::Bool => parse_switch(text).map(|on| DeviceOptionValue::Int(i32::from(on))),
        ValueType::Int => text.parse().ok().map(DeviceOptionValue::Int),
        ValueType::Fixed => text
            .parse::<f64>()
            .ok()
            .filter(|value| value.is_finite())
            .map(|value| DeviceOptionValue::Fixed((value * 65536.0).round() as i32)),
        ValueType::String => {
            let listed = string_list(option)
                .iter()
                .find(|name| name.to_string_lossy().eq_ignore_ascii_case(text))
                .cloned();
            match listed {
                Some(name) => Some(DeviceOptionValue::String(name)),
                None if string_list(option).is_empty() => {
                    CString::new(text).ok().map(DeviceOptionValue::String)
                }
                None => None,
            }
        }
        ValueType::Button => Some(DeviceOptionValue::Button),
        ValueType::Group => None,
    }
}

fn parse_switch(text: &str) -> Option<bool> {
    match text.to_lowercase().as_str() {
        "yes" | "true" | "on" | "1" => Some(true),
        "no" | "false" | "off" | "0" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_names_map_to_feeds() {
        assert_eq!(feed_of("Flatbed"), Some(Feed::Flatbed));
        assert_eq!(feed_of("FlatBed"), Some(Feed::Flatbed));
        assert_eq!(feed_of("Automatic Document Feeder"), Some(Feed::Adf));
        assert_eq!(feed_of("ADF Front"), Some(Feed::Adf));
        assert_eq!(feed_of("ADF Duplex"), Some(Feed::Duplex));
        assert_eq!(feed_of("Duplex"), Some(Feed::Duplex));
        assert_eq!(feed_of("Transparency Adapter"), None);
        let sources = [c"ADF Back", c"ADF Front", c"Flatbed"].map(CString::from);
        assert_eq!(
            choose_source(&sources, Feed::Adf).map(|s| s.as_c_str()),
            Some(c"ADF Front")
        );
        assert_eq!(choose_source(&sources, Feed::Duplex), None);
    }

    #[test]
    fn mode_names_match_without_case() {
        let modes = [c"24bit Color", c"Gray", c"Black & White"].map(CString::from);
        assert_eq!(
            choose_mode(&modes, ColourMode::Color).map(|m| m.as_c_str()),
            Some(c"24bit Color")
        );
        assert_eq!(
            choose_mode(&modes, ColourMode::Gray).map(|m| m.as_c_str()),
            Some(c"Gray")
        );
        assert_eq!(
            choose_mode(&modes, ColourMode::Lineart).map(|m| m.as_c_str()),
            Some(c"Black & White")
        );
        let test_backend = [c"Gray", c"Color"].map(CString::from);
        assert_eq!(choose_mode(&test_backend, ColourMode::Lineart), None);
    }

    #[test]
    fn resolutions_from_a_range_are_the_usual_ones_within_it() {
        let fixed = |dpi: i32| dpi * 65536;
        let range = OptionConstraint::Range {
            range: fixed(1)..fixed(1200),
            quant: fixed(1),
        };
        assert_eq!(
            resolutions_from(&range, DpiScale::Fixed),
            vec![75, 100, 150, 200, 300, 400, 600, 1200]
        );
        let stepped = OptionConstraint::Range {
            range: 100..600,
            quant: 100,
        };
        assert_eq!(
            resolutions_from(&stepped, DpiScale::Int),
            vec![100, 200, 300, 400, 600]
        );
        let odd = OptionConstraint::Range {
            range: 50..60,
            quant: 0,
        };
        assert_eq!(resolutions_from(&odd, DpiScale::Int), vec![50, 60]);
        let list = OptionConstraint::WordList(vec![600, 150, 300]);
        assert_eq!(resolutions_from(&list, DpiScale::Int), vec![150, 300, 600]);
    }

    #[test]
    fn the_nearest_allowed_resolution_is_asked() {
        let list = OptionConstraint::WordList(vec![150, 300, 600]);
        assert_eq!(nearest_allowed(&list, DpiScale::Int, 200.0), 150.0);
        let range = OptionConstraint::Range {
            range: 50..1200,
            quant: 50,
        };
        assert_eq!(nearest_allowed(&range, DpiScale::Int, 75.0), 100.0);
        assert_eq!(nearest_allowed(&range, DpiScale::Int, 5000.0), 1200.0);
    }
}
