//! The message log renders a window of the loaded messages, not all of them: a conversation
//! with 10 000 messages keeps a few hundred bubbles in the DOM, so scrolling stays smooth.
//!
//! The window is anchored by its newest message (`None`: the latest, following new ones), so
//! older pages arriving above and new messages arriving below leave it where it is. Scrolling
//! near its top widens it upwards (loading older pages when it reaches the first loaded
//! message); near its bottom it moves down; past [`MAX_SHOWN`] it drops from the far side.

use leptos::html;
use leptos::prelude::*;

/// Messages shown when a conversation opens or after "Jump to latest".
pub const INITIAL_SHOWN: usize = 100;
/// Messages added to the window per step of scrolling near one of its ends.
pub const STEP: usize = 50;
/// The most messages in the DOM at once.
pub const MAX_SHOWN: usize = 250;

#[derive(Debug, Clone, PartialEq)]
pub struct LogWindow {
    /// The id of the newest message shown; `None` shows up to the latest.
    pub end_id: Option<String>,
    /// How many messages the window holds (fewer when fewer are loaded).
    pub count: usize,
}

impl Default for LogWindow {
    fn default() -> Self {
        LogWindow {
            end_id: None,
            count: INITIAL_SHOWN,
        }
    }
}

impl LogWindow {
    /// The half-open range of `ids` (oldest first) the window shows.
    pub fn bounds<S: AsRef<str>>(&self, ids: &[S]) -> (usize, usize) {
        let end = match &self.end_id {
            None => ids.len(),
            Some(id) => ids
                .iter()
                .rposition(|m| m.as_ref() == id)
                .map_or(ids.len(), |i| i + 1),
        };
        (end.saturating_sub(self.count), end)
    }

    /// Follows the latest messages.
    pub fn is_at_latest(&self) -> bool {
        self.end_id.is_none()
    }

    /// One step towards older messages. At the oldest loaded message, and when an older page
    /// can be fetched (`more_to_fetch`), makes room for it and answers `true`: fetch it, it
    /// shows as it arrives. At the very beginning nothing changes.
    pub fn widen_up<S: AsRef<str>>(&mut self, ids: &[S], more_to_fetch: bool) -> bool {
        let (start, end) = self.bounds(ids);
        if start > 0 {
            self.count += STEP;
            if self.count > MAX_SHOWN {
                self.end_at(ids, end - (self.count - MAX_SHOWN));
                self.count = MAX_SHOWN;
            }
            return false;
        }
        if !more_to_fetch {
            return false;
        }
        if self.count < MAX_SHOWN {
            self.count = (self.count.max(end) + STEP).min(MAX_SHOWN);
        } else {
            // Full: the newest messages (below, out of sight) make way for the page.
            self.end_at(ids, end.saturating_sub(STEP));
        }
        true
    }

    /// Ends the window after the `end`-th message (at least one is shown).
    fn end_at<S: AsRef<str>>(&mut self, ids: &[S], end: usize) {
        let end = end.max(1);
        self.end_id = (end < ids.len())
            .then(|| ids.get(end - 1))
            .flatten()
            .map(|id| id.as_ref().to_string());
    }

    /// One step towards newer messages, following the latest once it reaches them.
    pub fn move_down<S: AsRef<str>>(&mut self, ids: &[S]) {
        let (_, end) = self.bounds(ids);
        let new_end = (end + STEP).min(ids.len());
        self.count = (self.count + (new_end - end)).min(MAX_SHOWN);
        self.end_at(ids, new_end);
    }

    /// Shows `index` (a session's first message, say) at the window's top.
    pub fn show_from<S: AsRef<str>>(&mut self, ids: &[S], index: usize) {
        let end = (index + INITIAL_SHOWN).min(ids.len());
        self.count = end - index.min(end);
        self.end_at(ids, end);
    }
}

/// Runs `change` (which adds or removes bubbles) and then scrolls so the first bubble that
/// was visible stays where it was: the browser's own scroll anchoring is off for the log
/// (`overflow-anchor: none`), because it does not act at the very top of a scroller.
pub fn keep_in_place(viewport: NodeRef<html::Div>, change: impl FnOnce()) {
    let Some(el) = viewport.get_untracked() else {
        change();
        return;
    };
    // Positions in the scrolled content, not on screen: the agent may scroll between the
    // change and the next frame, and that scrolling must not be undone.
    let content_top = |el: &web_sys::HtmlElement| {
        el.get_bounding_client_rect().top() - f64::from(el.scroll_top())
    };
    let top = el.get_bounding_client_rect().top();
    let children = el.children();
    let anchor = (0..children.length())
        .filter_map(|i| children.item(i))
        // A message, not a separator: a day separator's node moves to the top when an older
        // page of the same day arrives, and the notice above them all never moves.
        .filter(|child| {
            let classes = child.class_list();
            classes.contains("bubble") || classes.contains("system-event")
        })
        .find(|child| child.get_bounding_client_rect().bottom() > top);
    let offset = anchor
        .as_ref()
        .map(|a| a.get_bounding_client_rect().top() - content_top(&el));
    change();
    request_animation_frame(move || {
        let (Some(anchor), Some(offset)) = (anchor, offset) else {
            return;
        };
        if anchor.is_connected() {
            let moved = anchor.get_bounding_client_rect().top() - content_top(&el) - offset;
            if moved.abs() >= 1.0 {
                el.set_scroll_top(el.scroll_top() + moved.round() as i32);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<String> {
        (1..=n).map(|i| i.to_string()).collect()
    }

    #[test]
    fn opens_on_the_latest_and_follows_new_messages() {
        let w = LogWindow::default();
        assert_eq!(w.bounds(&ids(30)), (0, 30));
        assert_eq!(w.bounds(&ids(1000)), (900, 1000));
        assert_eq!(w.bounds(&ids(1001)), (901, 1001));
    }

    #[test]
    fn older_pages_above_leave_a_window_in_history_alone() {
        let mut w = LogWindow::default();
        let mut loaded = ids(1000);
        // Scroll up until the window has to drop its newest messages.
        for _ in 0..5 {
            w.widen_up(&loaded, true);
        }
        assert_eq!(w.count, MAX_SHOWN);
        let shown = w.bounds(&loaded);
        assert_eq!(shown.1 - shown.0, MAX_SHOWN);
        assert!(!w.is_at_latest());
        // A new message arrives at the bottom: what is shown does not move.
        loaded.push("1001".into());
        assert_eq!(w.bounds(&loaded), shown);
    }

    #[test]
    fn reaching_the_oldest_loaded_message_asks_for_an_older_page() {
        let mut w = LogWindow::default();
        // 900 older messages are loaded above the window: no fetch yet.
        assert!(!w.widen_up(&ids(1000), true));
        // The window reaches the first of 120 loaded messages: fetch an older page...
        assert!(w.widen_up(&ids(120), true));
        // ...which shows when it arrives (the window is anchored by its newest message).
        assert_eq!(w.bounds(&ids(170)), (0, 170));
    }

    #[test]
    fn a_full_window_at_the_oldest_loaded_message_makes_room_for_the_next_page() {
        let mut w = LogWindow::default();
        let mut loaded = ids(MAX_SHOWN);
        w.show_from(&loaded, 0);
        w.count = MAX_SHOWN;
        w.end_id = Some(loaded[MAX_SHOWN - 1].clone());
        assert!(w.widen_up(&loaded, true));
        // The page arrives above: its messages are shown, the newest 50 are not.
        let mut older: Vec<String> = (0..STEP).map(|i| format!("old{i}")).collect();
        older.append(&mut loaded);
        assert_eq!(w.bounds(&older), (0, MAX_SHOWN));
        assert_eq!(w.end_id.as_deref(), Some(older[MAX_SHOWN - 1].as_str()));
    }

    #[test]
    fn at_the_very_beginning_the_window_never_shrinks() {
        let loaded = ids(1000);
        let mut w = LogWindow::default();
        w.show_from(&loaded, 0);
        for _ in 0..10 {
            assert!(!w.widen_up(&loaded, false));
        }
        assert_eq!(w.bounds(&loaded), (0, INITIAL_SHOWN));
    }

    #[test]
    fn moving_down_returns_to_following_the_latest() {
        let loaded = ids(1000);
        let mut w = LogWindow::default();
        w.show_from(&loaded, 10);
        assert_eq!(w.bounds(&loaded), (10, 110));
        for _ in 0..30 {
            w.move_down(&loaded);
        }
        assert!(w.is_at_latest());
        assert_eq!(w.bounds(&loaded).1, 1000);
        assert!(w.count <= MAX_SHOWN);
    }
}
