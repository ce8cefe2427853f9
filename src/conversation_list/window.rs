//! Windowing: only the rows in (or near) the viewport are in the DOM, however many are loaded.

use leptos::html;
use leptos::prelude::*;

/// A scrolling element whose offset and height are kept in signals (on scroll, resize and
/// mount), for [`visible_range`].
#[derive(Clone, Copy)]
pub struct Viewport {
    pub node: NodeRef<html::Div>,
    pub scroll_top: RwSignal<f64>,
    pub height: RwSignal<f64>,
}

impl Viewport {
    /// Starts following; `on:scroll` of the element must call [`Viewport::measure`].
    pub fn follow(initial_height: f64) -> Self {
        let viewport = Viewport {
            node: NodeRef::new(),
            scroll_top: RwSignal::new(0.0),
            height: RwSignal::new(initial_height),
        };
        Effect::new(move |_| {
            if viewport.node.get().is_some() {
                viewport.measure();
            }
        });
        let resize = window_event_listener(leptos::ev::resize, move |_| viewport.measure());
        on_cleanup(move || resize.remove());
        viewport
    }

    pub fn measure(&self) {
        if let Some(el) = self.node.get_untracked() {
            self.scroll_top.set(el.scroll_top() as f64);
            self.height.set(f64::from(el.client_height()));
        }
    }

    /// The rows of `row_height` to render out of `count`.
    pub fn range(&self, row_height: f64, count: usize) -> (usize, usize) {
        visible_range(self.scroll_top.get(), self.height.get(), row_height, count)
    }
}

/// Rows kept above and below the viewport so fast scrolling doesn't show blanks.
pub const OVERSCAN: usize = 6;

/// The half-open range of row indexes to render.
pub fn visible_range(
    scroll_top: f64,
    viewport_height: f64,
    row_height: f64,
    count: usize,
) -> (usize, usize) {
    if count == 0 || row_height <= 0.0 {
        return (0, 0);
    }
    let first = (scroll_top.max(0.0) / row_height).floor() as usize;
    let shown = (viewport_height.max(row_height) / row_height).ceil() as usize + 1;
    let start = first.saturating_sub(OVERSCAN).min(count);
    let end = (first + shown + OVERSCAN).min(count);
    (start, end)
}

/// Whether the viewport is close enough to the end of what is loaded to fetch the next page.
pub fn near_end(end: usize, count: usize) -> bool {
    end + OVERSCAN * 2 >= count
}

/// The scroll offset that brings row `index` fully into view, if it is not already.
pub fn scroll_to_reveal(
    index: usize,
    scroll_top: f64,
    viewport_height: f64,
    row_height: f64,
) -> Option<f64> {
    let top = index as f64 * row_height;
    let bottom = top + row_height;
    if top < scroll_top {
        Some(top)
    } else if bottom > scroll_top + viewport_height {
        Some(bottom - viewport_height)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_only_the_viewport_and_overscan() {
        assert_eq!(visible_range(0.0, 760.0, 76.0, 5_000), (0, 11 + OVERSCAN));
        let (start, end) = visible_range(76.0 * 1_000.0, 760.0, 76.0, 5_000);
        assert_eq!(start, 1_000 - OVERSCAN);
        assert!(end - start <= 11 + 2 * OVERSCAN + 1);
        assert_eq!(visible_range(0.0, 760.0, 76.0, 3), (0, 3));
        assert_eq!(visible_range(10_000.0, 760.0, 76.0, 0), (0, 0));
    }

    #[test]
    fn the_dom_stays_bounded_whatever_is_loaded() {
        for count in [10, 1_000, 100_000] {
            for scroll in [0.0, 5_000.0, 1e6] {
                let (start, end) = visible_range(scroll, 900.0, 76.0, count);
                assert!(end - start <= 40, "{count} {scroll}: {start}..{end}");
            }
        }
    }

    #[test]
    fn reveal_scrolls_the_minimum() {
        assert_eq!(scroll_to_reveal(0, 100.0, 300.0, 50.0), Some(0.0));
        assert_eq!(scroll_to_reveal(3, 0.0, 300.0, 50.0), None);
        assert_eq!(scroll_to_reveal(10, 0.0, 300.0, 50.0), Some(250.0));
    }
}
