//! The scan station's settings: which scanner, which feed, colour and resolution. They are the
//! officer's own, kept by the desk: chosen once, offered again at the next scan and the next
//! sign-in.

use hoso_model::scan::{ColourMode, Feed, ScanPreferences, ScannerInfo};
use hoso_model::{Language, Text};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Language,
    pub scanners: Vec<ScannerInfo>,
    pub preferences: ScanPreferences,
    pub on_change: Callback<ScanPreferences>,
}

/// The scanner a scan goes to: the one chosen, while it is there; else the first found.
pub fn device_of(preferences: &ScanPreferences, scanners: &[ScannerInfo]) -> Option<String> {
    preferences
        .device
        .as_ref()
        .filter(|d| scanners.iter().any(|s| &s.id == *d))
        .cloned()
        .or_else(|| scanners.first().map(|s| s.id.clone()))
}

#[function_component(ScanBar)]
pub fn scan_bar(props: &Props) -> Html {
    let lang = props.lang;
    let current = &props.preferences;
    // One handler per select: it writes the chosen value into a copy of the preferences.
    let on = |set: fn(&mut ScanPreferences, &str)| {
        let (current, on_change) = (current.clone(), props.on_change.clone());
        Callback::from(move |e: Event| {
            let mut next = current.clone();
            set(
                &mut next,
                &e.target_unchecked_into::<HtmlSelectElement>().value(),
            );
            on_change.emit(next);
        })
    };
    let option = |value: &str, label: Text, chosen: &str| {
        html! { <option value={value.to_owned()} selected={chosen == value}>{ label.in_lang(lang) }</option> }
    };
    let device = device_of(current, &props.scanners).unwrap_or_default();
    let settings = current.settings;
    html! {
        <>
            <div>
                <label for="scan-device">{ Text::FieldScanner.in_lang(lang) }</label>
                if props.scanners.is_empty() {
                    <p id="no-scanner" class="empty">{ Text::NoScanner.in_lang(lang) }</p>
                } else {
                    <select id="scan-device" onchange={on(|p, v| p.device = Some(v.to_owned()))}>
                        { for props.scanners.iter().map(|s| html! {
                            <option value={s.id.clone()} selected={device == s.id}>{ format!("{} ({})", s.name, s.id) }</option>
                        }) }
                    </select>
                }
            </div>
            <div>
                <label for="scan-feed">{ Text::FieldFeed.in_lang(lang) }</label>
                <select id="scan-feed" onchange={on(|p, v| p.settings.feed = Feed::from_name(v).unwrap_or_default())}>
                    { option(Feed::Flatbed.name(), Text::FeedFlatbed, settings.feed.name()) }
                    { option(Feed::Adf.name(), Text::FeedAdf, settings.feed.name()) }
                    { option(Feed::Duplex.name(), Text::FeedDuplex, settings.feed.name()) }
                </select>
            </div>
            <div>
                <label for="scan-mode">{ Text::FieldMode.in_lang(lang) }</label>
                <select id="scan-mode" onchange={on(|p, v| p.settings.mode = ColourMode::from_name(v).unwrap_or_default())}>
                    { option(ColourMode::Color.name(), Text::ModeColor, settings.mode.name()) }
                    { option(ColourMode::Gray.name(), Text::ModeGray, settings.mode.name()) }
                    { option(ColourMode::Lineart.name(), Text::ModeLineart, settings.mode.name()) }
                </select>
            </div>
            <div>
                <label for="scan-resolution">{ Text::FieldResolution.in_lang(lang) }</label>
                <select id="scan-resolution" onchange={on(|p, v| p.settings.resolution = v.parse().unwrap_or(300))}>
                    { for [150u32, 200, 300, 600].iter().map(|r| html! {
                        <option value={r.to_string()} selected={settings.resolution == *r}>{ r.to_string() }</option>
                    }) }
                </select>
            </div>
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scanner(id: &str) -> ScannerInfo {
        ScannerInfo {
            id: id.into(),
            name: id.into(),
            feeds: vec![Feed::Flatbed],
            resolutions: vec![300],
        }
    }

    #[test]
    fn the_chosen_scanner_is_used_while_it_is_there_and_else_the_first() {
        let found = [scanner("sane:a"), scanner("sane:b")];
        let chose_b = ScanPreferences {
            device: Some("sane:b".into()),
            ..Default::default()
        };
        assert_eq!(device_of(&chose_b, &found).as_deref(), Some("sane:b"));
        assert_eq!(
            device_of(&chose_b, &found[..1]).as_deref(),
            Some("sane:a"),
            "unplugged: the first found"
        );
        assert_eq!(device_of(&ScanPreferences::default(), &[]), None);
    }
}
