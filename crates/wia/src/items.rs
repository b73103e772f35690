//! What a device offers: its items (one per source, told apart by category), the values each
//! item's properties may take, and from them the feeds and resolutions the desk shows.

use hoso_capture::{CaptureError, Feed, Result, ScannerInfo};

use crate::consts::*;
use crate::{device_id, display_name};

/// The resolutions offered when an item gives a range rather than a list.
const COMMON_RESOLUTIONS: [u32; 9] = [75, 100, 150, 200, 240, 300, 400, 600, 1200];

/// The valid values of a property, as `IWiaPropertyStorage::GetPropertyAttributes` gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValidValues {
    /// No constraint said (`WIA_PROP_NONE`, or unreadable).
    Any,
    Range {
        min: i32,
        max: i32,
        step: i32,
    },
    List(Vec<i32>),
    /// The flags that may be combined.
    Flags(u32),
}

impl ValidValues {
    /// Reads the attribute flags and the valid-values vector: `[min, nominal, max, step]` for a
    /// range, `[count, nominal, values…]` for a list, `[nominal, valid bits]` for flags.
    pub fn from_attributes(flags: u32, values: &[i32]) -> ValidValues {
        if flags & WIA_PROP_RANGE != 0 && values.len() > WIA_RANGE_STEP {
            ValidValues::Range {
                min: values[WIA_RANGE_MIN],
                max: values[WIA_RANGE_MAX],
                step: values[WIA_RANGE_STEP],
            }
        } else if flags & WIA_PROP_LIST != 0 && values.len() >= WIA_LIST_VALUES {
            let listed = &values[WIA_LIST_VALUES..];
            let count = usize::try_from(values[WIA_LIST_COUNT])
                .unwrap_or(listed.len())
                .min(listed.len());
            ValidValues::List(listed[..count].to_vec())
        } else if flags & WIA_PROP_FLAG != 0 && values.len() > WIA_FLAG_VALUES {
            ValidValues::Flags(values[WIA_FLAG_VALUES] as u32)
        } else {
            ValidValues::Any
        }
    }

    /// The values as a list, when they are one.
    pub fn list(&self) -> Vec<i32> {
        match self {
            ValidValues::List(values) => values.clone(),
            _ => Vec::new(),
        }
    }

    /// The flags that may be set, or 0.
    pub fn flags(&self) -> u32 {
        match self {
            ValidValues::Flags(bits) => *bits,
            _ => 0,
        }
    }

    /// Resolutions (dpi), ascending: a list as it is, or the usual ones within a range on its
    /// steps (its ends when none of the usual ones is).
    pub fn resolutions(&self) -> Vec<u32> {
        let mut dpi: Vec<u32> = match *self {
            ValidValues::List(ref values) => values
                .iter()
                .filter_map(|v| u32::try_from(*v).ok())
                .collect(),
            ValidValues::Range { min, max, step } => {
                let (Ok(min), Ok(max)) = (u32::try_from(min), u32::try_from(max)) else {
                    return Vec::new();
                };
                let step = u32::try_from(step).unwrap_or(0).max(1);
                let common: Vec<u32> = COMMON_RESOLUTIONS
                    .into_iter()
                    .filter(|dpi| (min..=max).contains(dpi) && (dpi - min).is_multiple_of(step))
                    .collect();
                if common.is_empty() && min <= max {
                    vec![min, max]
                } else {
                    common
                }
            }
            ValidValues::Any | ValidValues::Flags(_) => Vec::new(),
        };
        dpi.retain(|&d| d > 0);
        dpi.sort_unstable();
        dpi.dedup();
        dpi
    }
}

/// Which source an item scans from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Flatbed,
    Feeder,
}

impl Source {
    /// The source of a top-level item by its `WIA_IPA_ITEM_CATEGORY`; `None` for film, the
    /// automatic item, storage and others the desk does not scan from.
    pub fn of_category(category: Guid) -> Option<Source> {
        match category {
            WIA_CATEGORY_FLATBED => Some(Source::Flatbed),
            WIA_CATEGORY_FEEDER => Some(Source::Feeder),
            _ => None,
        }
    }
}

/// What one item under a device's root offers, as read from its properties.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemCaps {
    /// `WIA_IPA_ITEM_CATEGORY`.
    pub category: Guid,
    /// From the valid values of `WIA_IPS_XRES`, ascending; empty when it did not say.
    pub resolutions: Vec<u32>,
    /// The valid values of `WIA_IPA_DATATYPE`; empty when it did not say.
    pub data_types: Vec<i32>,
    /// The formats of its file (stream) transfers; empty when it did not say.
    pub formats: Vec<Guid>,
    /// `WIA_IPS_DOCUMENT_HANDLING_CAPABILITIES` (a feeder's, or the root's on older drivers).
    pub handling_capabilities: u32,
    /// The flags `WIA_IPS_DOCUMENT_HANDLING_SELECT` takes.
    pub handling_select: u32,
}

impl ItemCaps {
    pub fn source(&self) -> Option<Source> {
        Source::of_category(self.category)
    }

    /// Whether this feeder scans both sides.
    pub fn duplex(&self) -> bool {
        self.source() == Some(Source::Feeder)
            && (self.handling_capabilities & DUP != 0 || self.handling_select & DUPLEX != 0)
    }
}

/// The feeds a device's items offer, in the order of [`Feed`].
pub fn offered_feeds(items: &[ItemCaps]) -> Vec<Feed> {
    let has = |source| items.iter().any(|item| item.source() == Some(source));
    let mut feeds = Vec::new();
    if has(Source::Flatbed) {
        feeds.push(Feed::Flatbed);
    }
    if has(Source::Feeder) {
        feeds.push(Feed::Adf);
    }
    if items.iter().any(ItemCaps::duplex) {
        feeds.push(Feed::Duplex);
    }
    feeds
}

/// The resolutions of all the sources together, ascending.
pub fn offered_resolutions(items: &[ItemCaps]) -> Vec<u32> {
    let mut dpi: Vec<u32> = items
        .iter()
        .filter(|item| item.source().is_some())
        .flat_map(|item| item.resolutions.iter().copied())
        .collect();
    dpi.sort_unstable();
    dpi.dedup();
    dpi
}

/// A device for the desk's list.
pub fn device_info(wia_id: &str, vendor: &str, name: &str, items: &[ItemCaps]) -> ScannerInfo {
    ScannerInfo {
        id: device_id(wia_id),
        name: display_name(vendor, name),
        feeds: offered_feeds(items),
        resolutions: offered_resolutions(items),
    }
}

/// The item to scan from for `feed`: the flatbed item, or the feeder item (which must be able
/// to scan both sides for [`Feed::Duplex`]).
pub fn choose_item(items: &[ItemCaps], feed: Feed) -> Result<usize> {
    let find = |source| items.iter().position(|item| item.source() == Some(source));
    let found = match feed {
        Feed::Flatbed => find(Source::Flatbed),
        Feed::Adf => find(Source::Feeder),
        Feed::Duplex => items.iter().position(ItemCaps::duplex),
    };
    found.ok_or_else(|| CaptureError::NotSupported(feed_text(feed).into()))
}

fn feed_text(feed: Feed) -> &'static str {
    match feed {
        Feed::Flatbed => "the flatbed",
        Feed::Adf => "the document feeder",
        Feed::Duplex => "two-sided scanning",
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn flatbed() -> ItemCaps {
        ItemCaps {
            category: WIA_CATEGORY_FLATBED,
            resolutions: vec![100, 150, 200, 300, 600],
            data_types: vec![WIA_DATA_THRESHOLD, WIA_DATA_GRAYSCALE, WIA_DATA_COLOR],
            formats: vec![WiaImgFmt_BMP, WiaImgFmt_JPEG, WiaImgFmt_PNG],
            ..ItemCaps::default()
        }
    }

    pub(crate) fn feeder(duplex: bool) -> ItemCaps {
        ItemCaps {
            category: WIA_CATEGORY_FEEDER,
            resolutions: vec![150, 300],
            data_types: vec![WIA_DATA_GRAYSCALE, WIA_DATA_COLOR],
            formats: vec![WiaImgFmt_BMP],
            handling_capabilities: if duplex { FEED | DUP } else { FEED },
            handling_select: if duplex {
                FRONT_ONLY | DUPLEX
            } else {
                FRONT_ONLY
            },
        }
    }

    #[test]
    fn valid_values_are_read_by_kind() {
        let cases: [(u32, &[i32], ValidValues); 7] = [
            (
                WIA_PROP_READ | WIA_PROP_WRITE | WIA_PROP_RANGE,
                &[75, 300, 1200, 1],
                ValidValues::Range {
                    min: 75,
                    max: 1200,
                    step: 1,
                },
            ),
            (
                WIA_PROP_RW_LIST,
                &[3, 300, 150, 300, 600],
                ValidValues::List(vec![150, 300, 600]),
            ),
            // A count larger than what follows is not believed.
            (
                WIA_PROP_RW_LIST,
                &[9, 300, 300],
                ValidValues::List(vec![300]),
            ),
            (
                WIA_PROP_RW_LIST,
                &[-1, 300, 300],
                ValidValues::List(vec![300]),
            ),
            (
                WIA_PROP_READ | WIA_PROP_WRITE | WIA_PROP_FLAG,
                &[0x20, 0x24],
                ValidValues::Flags(0x24),
            ),
            (WIA_PROP_READ | WIA_PROP_NONE, &[], ValidValues::Any),
            // A range without its four values.
            (WIA_PROP_RANGE, &[75, 300], ValidValues::Any),
        ];
        for (flags, values, expected) in cases {
            assert_eq!(
                ValidValues::from_attributes(flags, values),
                expected,
                "{values:?}"
            );
        }
    }

    const WIA_PROP_RW_LIST: u32 = WIA_PROP_READ | WIA_PROP_WRITE | WIA_PROP_LIST;

    #[test]
    fn resolutions_from_ranges_are_the_usual_ones_on_their_steps() {
        let range = |min, max, step| ValidValues::Range { min, max, step };
        let cases = [
            (
                range(50, 1200, 1),
                vec![75, 100, 150, 200, 240, 300, 400, 600, 1200],
            ),
            (range(100, 600, 100), vec![100, 200, 300, 400, 600]),
            (range(100, 600, 0), vec![100, 150, 200, 240, 300, 400, 600]),
            (range(50, 60, 1), vec![50, 60]),
            (range(-5, 60, 1), vec![]),
            (
                ValidValues::List(vec![600, 0, 150, 300, 150]),
                vec![150, 300, 600],
            ),
            (ValidValues::Any, vec![]),
        ];
        for (values, expected) in cases {
            assert_eq!(values.resolutions(), expected, "{values:?}");
        }
    }

    #[test]
    fn sources_are_told_by_category() {
        let cases = [
            (WIA_CATEGORY_FLATBED, Some(Source::Flatbed)),
            (WIA_CATEGORY_FEEDER, Some(Source::Feeder)),
            (WIA_CATEGORY_FEEDER_FRONT, None),
            (WIA_CATEGORY_FILM, None),
            (WIA_CATEGORY_AUTO, None),
            (WIA_CATEGORY_ROOT, None),
        ];
        for (category, source) in cases {
            assert_eq!(Source::of_category(category), source, "{category:x}");
        }
    }

    #[test]
    fn feeds_and_resolutions_come_from_the_items() {
        let film = ItemCaps {
            category: WIA_CATEGORY_FILM,
            resolutions: vec![4800],
            ..ItemCaps::default()
        };
        let cases = [
            (vec![flatbed()], vec![Feed::Flatbed]),
            (
                vec![flatbed(), feeder(false)],
                vec![Feed::Flatbed, Feed::Adf],
            ),
            (
                vec![feeder(true), flatbed()],
                vec![Feed::Flatbed, Feed::Adf, Feed::Duplex],
            ),
            (vec![film.clone()], vec![]),
        ];
        for (items, feeds) in cases {
            assert_eq!(offered_feeds(&items), feeds);
        }
        assert_eq!(
            offered_resolutions(&[flatbed(), feeder(true), film]),
            vec![100, 150, 200, 300, 600]
        );
        // Duplex said only by the capabilities (WIA 1.0 drivers) or only by the select flags.
        let by_caps = ItemCaps {
            handling_select: 0,
            ..feeder(true)
        };
        let by_select = ItemCaps {
            handling_capabilities: FEED,
            ..feeder(true)
        };
        assert!(by_caps.duplex() && by_select.duplex());
        assert!(!feeder(false).duplex());
    }

    #[test]
    fn the_item_is_chosen_by_feed() {
        let items = [feeder(false), flatbed()];
        let cases = [
            (Feed::Flatbed, Ok(1)),
            (Feed::Adf, Ok(0)),
            (Feed::Duplex, Err("two-sided scanning")),
        ];
        for (feed, expected) in cases {
            match (choose_item(&items, feed), expected) {
                (Ok(index), Ok(want)) => assert_eq!(index, want),
                (Err(CaptureError::NotSupported(what)), Err(want)) => assert_eq!(what, want),
                (got, want) => panic!("{feed:?}: {got:?}, wanted {want:?}"),
            }
        }
        assert!(matches!(
            choose_item(&[feeder(true)], Feed::Flatbed),
            Err(CaptureError::NotSupported(_))
        ));
    }
}
