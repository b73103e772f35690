//! The app's window as a test acts on it: find, click, type, wait for a text or for focus,
//! press keys, size the window and take screenshots. Every wait ends at [`DEADLINE`].

use std::path::PathBuf;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, Locator};

use crate::DEADLINE;
use crate::driver::{ADMIN, PASSWORD};

/// One WebDriver session with the desktop app; made by [`crate::Driver::launch`].
pub struct Window {
    /// The session itself, for what the helpers below do not cover.
    pub client: Client,
}

impl Window {
    /// Sets the desk up as [`ADMIN`] the first time (and acknowledges the recovery key), or
    /// signs in as [`ADMIN`] after that.
    pub async fn pass_the_gate(&self) {
        let first = self.wait_for("#set-up, #sign-in").await;
        if first.attr("id").await.unwrap().as_deref() == Some("set-up") {
            self.type_into("#set-up-name", ADMIN).await;
            self.type_into("#set-up-full-name", "Nguyễn Thị Quản Trị")
                .await;
            self.type_into("#set-up-password", PASSWORD).await;
            self.type_into("#set-up-password-again", PASSWORD).await;
            self.click("#set-up-button").await;
            let key = self.text_of("#recovery-key").await;
            assert_eq!(key.trim().split('-').count(), 13, "{key}");
            self.click("#recovery-saved").await;
        } else {
            self.sign_in(ADMIN, PASSWORD).await;
        }
    }

    /// Fills the sign-in form afresh and submits it with Enter.
    pub async fn sign_in(&self, name: &str, password: &str) {
        for field in ["#sign-in-name", "#sign-in-password"] {
            self.wait_for(field).await.clear().await.unwrap();
        }
        self.type_into("#sign-in-name", name).await;
        self.type_into("#sign-in-password", password).await;
        self.type_into("#sign-in-password", &Key::Enter.to_string())
            .await;
    }

    /// Waits until an element matches `css`, and returns it.
    pub async fn wait_for(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(DEADLINE)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} did not appear within {DEADLINE:?}: {e}"))
    }

    /// The text of the element, once it is there.
    pub async fn text_of(&self, css: &str) -> String {
        let started = Instant::now();
        loop {
            // One the page draws again between being found and being read is found again.
            match self.wait_for(css).await.text().await {
                Ok(text) => return text,
                Err(e) if started.elapsed() > DEADLINE => panic!("text of {css}: {e}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }

    /// Waits until the element's text contains `expected`.
    pub async fn wait_for_text(&self, css: &str, expected: &str) {
        let started = Instant::now();
        loop {
            if let Ok(element) = self.client.find(Locator::Css(css)).await
                && let Ok(text) = element.text().await
                && text.contains(expected)
            {
                return;
            }
            assert!(
                started.elapsed() < DEADLINE,
                "{css} never showed {expected:?} within {DEADLINE:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until no element matches `css`.
    pub async fn wait_until_absent(&self, css: &str) {
        let started = Instant::now();
        while self.client.find(Locator::Css(css)).await.is_ok() {
            assert!(
                started.elapsed() < DEADLINE,
                "{css} was still there after {DEADLINE:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Clicks the element, scrolled to the middle of its scrolling area first (as an officer
    /// scrolls to a button half hidden at the bottom of a page); one the page draws again
    /// between being found and being clicked (a list refreshed as a filter is typed) is found
    /// again.
    pub async fn click(&self, css: &str) {
        let started = Instant::now();
        loop {
            let element = self.wait_for(css).await;
            let _ = self
                .client
                .execute(
                    "arguments[0].scrollIntoView({block: 'center', inline: 'nearest'})",
                    vec![serde_json::to_value(&element).unwrap()],
                )
                .await;
            match element.click().await {
                Ok(()) => return,
                Err(e) if started.elapsed() > DEADLINE => panic!("click {css}: {e}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }

    /// Types `text` into the element, once it is there.
    pub async fn type_into(&self, css: &str, text: &str) {
        self.wait_for(css)
            .await
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type into {css}: {e}"));
    }

    /// Presses one key on the element, once it is there.
    pub async fn press(&self, css: &str, key: Key) {
        self.wait_for(css)
            .await
            .send_keys(&key.to_string())
            .await
            .unwrap_or_else(|e| panic!("press {key:?} on {css}: {e}"));
    }

    /// Presses one key wherever the focus is, as an officer does without looking.
    pub async fn press_anywhere(&self, key: Key) {
        self.client
            .active_element()
            .await
            .expect("an element has focus")
            .send_keys(&key.to_string())
            .await
            .unwrap_or_else(|e| panic!("press {key:?} on the focused element: {e}"));
    }

    /// Types into the procedure picker and takes the first match with Enter.
    /// The box is emptied first, as an officer selects the procedure shown to replace it.
    pub async fn choose_procedure(&self, query: &str) {
        self.wait_for("#procedure")
            .await
            .clear()
            .await
            .unwrap_or_else(|e| panic!("clear #procedure: {e}"));
        self.type_into("#procedure", query).await;
        self.wait_for("#procedure-options .option").await;
        self.type_into("#procedure", &Key::Enter.to_string()).await;
        self.wait_for_text_value("#procedure", query).await;
    }

    /// Waits until an input's value contains `expected`.
    pub async fn wait_for_text_value(&self, css: &str, expected: &str) {
        let started = Instant::now();
        loop {
            if let Ok(element) = self.client.find(Locator::Css(css)).await
                && let Ok(Some(value)) = element.prop("value").await
                && value.contains(expected)
            {
                return;
            }
            assert!(
                started.elapsed() < DEADLINE,
                "{css} never held {expected:?} within {DEADLINE:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the element with `id` has keyboard focus.
    pub async fn wait_for_focus(&self, id: &str, why: &str) {
        let started = Instant::now();
        loop {
            if self.focused_id().await == id {
                return;
            }
            assert!(
                started.elapsed() < DEADLINE,
                "{why}: #{id} never had focus, #{} had",
                self.focused_id().await
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The id of the element that has keyboard focus (empty when it has none).
    pub async fn focused_id(&self) -> String {
        let active = self
            .client
            .active_element()
            .await
            .expect("an element has focus");
        active.attr("id").await.unwrap().unwrap_or_default()
    }

    /// Resizes the window's outer frame, as on a small screen at the counter.
    pub async fn set_size(&self, width: u32, height: u32) {
        self.client
            .set_window_size(width, height)
            .await
            .unwrap_or_else(|e| panic!("resize the window to {width}×{height}: {e}"));
    }

    /// The viewport's size in CSS pixels: `(innerWidth, innerHeight)`.
    pub async fn inner_size(&self) -> (u32, u32) {
        let size = self
            .client
            .execute("return [window.innerWidth, window.innerHeight];", vec![])
            .await
            .unwrap();
        let side = |i: usize| {
            size[i]
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or_else(|| panic!("a viewport size: {size}"))
        };
        (side(0), side(1))
    }

    /// Whether the element (waited for) is drawn whole inside the viewport, with no need to
    /// scroll: its bounding rectangle is not empty and lies within it.
    pub async fn is_visible_in_viewport(&self, css: &str) -> bool {
        self.wait_for(css).await;
        let inside = self
            .client
            .execute(
                "const element = document.querySelector(arguments[0]);
                 if (!element) return false;
                 const r = element.getBoundingClientRect();
                 return r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0
                     && r.bottom <= window.innerHeight && r.right <= window.innerWidth;",
                vec![css.into()],
            )
            .await
            .unwrap();
        inside
            .as_bool()
            .unwrap_or_else(|| panic!("a yes or no: {inside}"))
    }

    /// Saves a picture of the window as `$HOSO_SCREENSHOTS/<name>.png` when that variable is
    /// set (to look at a layout after a run); does nothing otherwise.
    pub async fn screenshot(&self, name: &str) {
        let Some(dir) = std::env::var_os("HOSO_SCREENSHOTS") else {
            return;
        };
        let dir = PathBuf::from(dir);
        let png = self.client.screenshot().await.unwrap();
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    /// The applicants' names in Hồ sơ (the dossier list), which it opens.
    pub async fn applicants_listed(&self) -> Vec<String> {
        self.click("#nav-dossiers").await;
        self.wait_for("#page-dossiers").await;
        let mut names = Vec::new();
        for cell in self
            .client
            .find_all(Locator::Css("#dossier-list .applicant"))
            .await
            .unwrap()
        {
            names.push(cell.text().await.unwrap());
        }
        names
    }

    /// Ends the session, which quits the app.
    pub async fn close(self) {
        self.client
            .close()
            .await
            .expect("the session ends and the app quits");
    }
}

/// The ids of the pages shown in Số hoá's thumbnails, in their order, read in one go (the
/// page may draw its thumbnails again at any time, as pages arrive or are read).
pub async fn thumbnail_ids(window: &Window) -> Vec<String> {
    let ids = window
        .client
        .execute(
            "return Array.from(document.querySelectorAll('#thumbnails figure'), f => f.id)",
            vec![],
        )
        .await
        .expect("the thumbnails can be read");
    serde_json::from_value::<Vec<String>>(ids)
        .expect("a list of ids")
        .into_iter()
        .map(|id| id.trim_start_matches("page-").to_owned())
        .collect()
}
