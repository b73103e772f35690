//! The scan station's memory between loads: the thumbnails already fetched (a page's picture
//! crosses the IPC once, and again only when the page is turned), and the loads asked for while
//! one runs (events arriving fast are folded into one more load).

use std::collections::HashMap;

use hoso_model::page::Digitisation;

/// Thumbnails fetched so far: page id → (the page's turn when drawn, `data:` URL).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Thumbnails(HashMap<String, (u16, String)>);

impl Thumbnails {
    /// The pages of `view` whose thumbnail is missing or was drawn at another turn.
    pub fn lacking(&self, view: &Digitisation) -> Vec<String> {
        view.pages
            .iter()
            .filter(|p| {
                self.0
                    .get(&p.id)
                    .is_none_or(|(turn, _)| *turn != p.rotation)
            })
            .map(|p| p.id.clone())
            .collect()
    }

    /// Keeps what was `drawn` for the pages of `view`, and forgets pages no longer in it.
    pub fn keep(&mut self, view: &Digitisation, drawn: Vec<(String, String)>) {
        self.0
            .retain(|id, _| view.pages.iter().any(|p| &p.id == id));
        for (id, url) in drawn {
            if let Some(page) = view.pages.iter().find(|p| p.id == id) {
                self.0.insert(id, (page.rotation, url));
            }
        }
    }

    /// The page's thumbnail, or nothing yet.
    pub fn src(&self, page: &str) -> String {
        self.0
            .get(page)
            .map(|(_, url)| url.clone())
            .unwrap_or_default()
    }
}

/// The dossier to load next, whether a load runs, and which dossier is shown.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Loads {
    next: Option<String>,
    running: bool,
    /// The dossier (code or id) whose pages are on screen, if any.
    pub shown: Option<String>,
}

impl Loads {
    /// Asks for `key` to be loaded; true if a load must start (none is running).
    pub fn ask(&mut self, key: String) -> bool {
        self.next = Some(key);
        !std::mem::replace(&mut self.running, true)
    }

    /// The next dossier to load, or `None` once none is asked for (the load has ended).
    pub fn next(&mut self) -> Option<String> {
        let next = self.next.take();
        self.running = next.is_some();
        next
    }
}

#[cfg(test)]
mod tests {
    use hoso_model::page::{OcrState, PageInfo, Target};

    use super::*;

    fn page(id: &str, rotation: u16) -> PageInfo {
        PageInfo {
            id: id.into(),
            target: Target::Component { n: 1 },
            position: 1,
            width: 100,
            height: 100,
            dpi: None,
            rotation,
            skew: 0.0,
            media_type: "image/jpeg".into(),
            source_name: String::new(),
            ocr: OcrState::Pending,
            flags: Vec::new(),
            note_of: None,
        }
    }

    fn view(pages: Vec<PageInfo>) -> Digitisation {
        Digitisation {
            components: Vec::new(),
            pages,
            ocr_waiting: 0,
        }
    }

    #[test]
    fn a_thumbnail_is_fetched_once_and_again_only_when_its_page_is_turned() {
        let mut thumbs = Thumbnails::default();
        let first = view(vec![page("a", 0), page("b", 0)]);
        assert_eq!(thumbs.lacking(&first), ["a", "b"]);
        thumbs.keep(
            &first,
            vec![("a".into(), "A".into()), ("b".into(), "B".into())],
        );
        assert!(
            thumbs.lacking(&first).is_empty(),
            "nothing changed, nothing to fetch"
        );
        let turned = view(vec![page("a", 90), page("b", 0)]);
        assert_eq!(
            thumbs.lacking(&turned),
            ["a"],
            "only the turned page is fetched again"
        );
        assert_eq!(thumbs.src("b"), "B");
    }

    #[test]
    fn pages_gone_from_the_dossier_are_forgotten() {
        let mut thumbs = Thumbnails::default();
        let both = view(vec![page("a", 0), page("b", 0)]);
        thumbs.keep(
            &both,
            vec![("a".into(), "A".into()), ("b".into(), "B".into())],
        );
        thumbs.keep(&view(vec![page("b", 0)]), Vec::new());
        assert_eq!(thumbs.src("a"), "");
        assert_eq!(thumbs.src("b"), "B");
    }

    #[test]
    fn loads_asked_for_while_one_runs_fold_into_one_more() {
        let mut loads = Loads::default();
        assert!(loads.ask("H1".into()), "the first ask starts a load");
        assert_eq!(loads.next().as_deref(), Some("H1"));
        assert!(!loads.ask("H1".into()), "a load runs already");
        assert!(!loads.ask("H2".into()));
        assert_eq!(
            loads.next().as_deref(),
            Some("H2"),
            "only the latest is loaded"
        );
        assert_eq!(loads.next(), None, "then the load ends");
        assert!(loads.ask("H2".into()), "and the next ask starts one again");
    }
}
