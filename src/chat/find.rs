//! Finding text in the open conversation: the server searches the whole history (not only the
//! pages loaded), the bar steps through the matches from the newest, and the log loads older
//! pages until the current match is there, shows it and marks the text.

use super::log_window::LogWindow;
use super::{ChatState, use_chat};
use crate::ui::icons::icon;
use leptos::html;
use leptos::prelude::*;

/// Milliseconds of quiet typing before a search runs.
const SEARCH_DEBOUNCE_MS: u32 = 250;

/// What the find bar found: the matching message ids (oldest first) and which one is shown.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Found {
    pub query: String,
    pub ids: Vec<String>,
    /// More matches than `ids` holds (the server returns the newest 1 000).
    pub total: u32,
    pub current: usize,
}

impl Found {
    /// Starts at the newest match: the one nearest what the agent was reading.
    pub fn new(query: String, ids: Vec<String>, total: u32) -> Found {
        let current = ids.len().saturating_sub(1);
        Found {
            query,
            ids,
            total,
            current,
        }
    }

    pub fn current_id(&self) -> Option<&str> {
        self.ids.get(self.current).map(String::as_str)
    }

    /// One match older; from the oldest, round to the newest.
    pub fn older(&mut self) {
        if !self.ids.is_empty() {
            self.current = (self.current + self.ids.len() - 1) % self.ids.len();
        }
    }

    /// One match newer; from the newest, round to the oldest.
    pub fn newer(&mut self) {
        if !self.ids.is_empty() {
            self.current = (self.current + 1) % self.ids.len();
        }
    }

    /// "3 of 12", counted from the newest as the agent steps back in time.
    pub fn position(&self) -> String {
        if self.ids.is_empty() {
            return "No matches".into();
        }
        let from_newest = self.ids.len() - self.current;
        format!("{from_newest} of {}", self.total.max(self.ids.len() as u32))
    }
}

/// Splits `text` into runs, marking those equal to `query` ignoring case: `(run, is_match)`.
/// Case is folded per character, so the runs are slices of the original text.
pub fn mark_runs<'a>(text: &'a str, query: &str) -> Vec<(&'a str, bool)> {
    let needle: Vec<char> = query.trim().chars().flat_map(char::to_lowercase).collect();
    if needle.is_empty() {
        return vec![(text, false)];
    }
    let folded: Vec<(usize, char)> = text
        .char_indices()
        .flat_map(|(at, c)| c.to_lowercase().map(move |l| (at, l)))
        .collect();
    let mut runs = Vec::new();
    let (mut plain_from, mut i) = (0, 0);
    while i + needle.len() <= folded.len() {
        if folded[i..i + needle.len()]
            .iter()
            .map(|(_, c)| *c)
            .eq(needle.iter().copied())
        {
            let start = folded[i].0;
            let end = folded
                .get(i + needle.len())
                .map_or(text.len(), |(at, _)| *at);
            // A match that ends inside a character's folding (rare) is left unmarked.
            if end > start && text.is_char_boundary(end) {
                if start > plain_from {
                    runs.push((&text[plain_from..start], false));
                }
                runs.push((&text[start..end], true));
                plain_from = end;
            }
            i += needle.len();
        } else {
            i += 1;
        }
    }
    if plain_from < text.len() {
        runs.push((&text[plain_from..], false));
    }
    runs
}

/// Brings the current match into view, loading older pages until it is loaded.
pub fn follow_matches(
    chat: ChatState,
    viewport: NodeRef<html::Div>,
    window: RwSignal<LogWindow>,
    load_older: impl Fn() + 'static,
) {
    Effect::new(move |_| {
        let Some(target) = chat
            .found
            .with(|f| f.as_ref().and_then(|f| f.current_id().map(str::to_string)))
        else {
            return;
        };
        let index = chat
            .messages
            .with(|m| m.iter().position(|m| m.id == target));
        match index {
            None if chat.older_cursor.get_untracked().is_some() => load_older(),
            None => {}
            Some(index) => {
                let shown = window.with_untracked(|w| {
                    chat.messages.with_untracked(|m| {
                        let ids: Vec<&str> = m.iter().map(|m| m.id.as_str()).collect();
                        let (start, end) = w.bounds(&ids);
                        (start..end).contains(&index)
                    })
                });
                if !shown {
                    chat.messages.with_untracked(|m| {
                        let ids: Vec<&str> = m.iter().map(|m| m.id.as_str()).collect();
                        window.update(|w| w.show_from(&ids, index.saturating_sub(5)));
                    });
                }
                // After the log has rendered the window.
                gloo_timers::callback::Timeout::new(60, move || {
                    if viewport.get_untracked().is_some()
                        && let Some(bubble) =
                            document().get_element_by_id(&format!("message-{target}"))
                    {
                        let options = web_sys::ScrollIntoViewOptions::new();
                        options.set_block(web_sys::ScrollLogicalPosition::Center);
                        bubble.scroll_into_view_with_scroll_into_view_options(&options);
                    }
                })
                .forget();
            }
        }
    });
}

#[component]
pub fn FindBar() -> impl IntoView {
    let chat = use_chat();
    let query = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let input = NodeRef::<html::Input>::new();
    let pending = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);

    let search = move |text: String| {
        if text.trim().is_empty() {
            chat.found.set(Some(Found::default()));
            return;
        }
        let client = chat.auth.client();
        let id = chat.id();
        leptos::task::spawn_local(async move {
            match client.search_messages(&id, text.trim()).await {
                Ok(matches) => {
                    // An answer to an older query is dropped: the agent typed on.
                    if query.get_untracked() == text {
                        error.set(None);
                        chat.found
                            .set(Some(Found::new(text, matches.ids, matches.total)));
                    }
                }
                Err(err) => error.set(Some(format!("Couldn't search. {err}"))),
            }
        });
    };
    let on_input = move |text: String| {
        query.set(text.clone());
        let timer = gloo_timers::callback::Timeout::new(SEARCH_DEBOUNCE_MS, move || search(text));
        pending.set_value(Some(timer));
    };
    let close = move || {
        chat.found.set(None);
        crate::ui::focus("#composer-input");
    };
    let step = move |older: bool| {
        chat.found.update(|f| {
            if let Some(f) = f {
                if older { f.older() } else { f.newer() }
            }
        })
    };
    Effect::new(move |_| {
        if let Some(input) = input.get() {
            let _ = input.focus();
        }
    });
    let has_matches = move || {
        chat.found
            .with(|f| f.as_ref().is_some_and(|f| !f.ids.is_empty()))
    };
    let position = move || {
        chat.found.with(|f| match f {
            Some(f) if !f.query.is_empty() => f.position(),
            _ => String::new(),
        })
    };

    view! {
        <div class="find-bar" role="search" aria-label="Find in conversation">
            {icon("search")}
            <input
                type="search"
                node_ref=input
                aria-label="Find in conversation"
                placeholder="Find in this conversation…"
                maxlength="200"
                prop:value=query
                on:input:target=move |ev| on_input(ev.target().value())
                on:keydown=move |ev| match ev.key().as_str() {
                    "Enter" => {
                        ev.prevent_default();
                        step(!ev.shift_key());
                    }
                    "Escape" => {
                        ev.prevent_default();
                        close();
                    }
                    _ => {}
                }
            />
            <span class="find-bar__position" role="status">{position}</span>
            <span class="inline-error" role="alert">{move || error.get()}</span>
            <button type="button" class="icon-button" aria-label="Older match" title="Older match (Enter)"
                disabled=move || !has_matches() on:click=move |_| step(true)>
                {icon("arrow-up")}
            </button>
            <button type="button" class="icon-button" aria-label="Newer match" title="Newer match (Shift+Enter)"
                disabled=move || !has_matches() on:click=move |_| step(false)>
                {icon("arrow-down")}
            </button>
            <button type="button" class="icon-button" aria-label="Close find" title="Close (Esc)" on:click=move |_| close()>
                {icon("close")}
            </button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_start_at_the_newest_and_go_round() {
        let mut found = Found::new("x".into(), vec!["1".into(), "5".into(), "9".into()], 3);
        assert_eq!(found.current_id(), Some("9"));
        assert_eq!(found.position(), "1 of 3");
        found.older();
        assert_eq!(
            (found.current_id(), found.position().as_str()),
            (Some("5"), "2 of 3")
        );
        found.older();
        found.older();
        assert_eq!(found.current_id(), Some("9"));
        found.newer();
        assert_eq!(found.current_id(), Some("1"));
        assert_eq!(Found::new("x".into(), vec![], 0).position(), "No matches");
    }

    #[test]
    fn matches_are_marked_ignoring_case_in_the_original_text() {
        assert_eq!(
            mark_runs("Über and über", "ÜBER"),
            vec![("Über", true), (" and ", false), ("über", true)]
        );
        assert_eq!(mark_runs("abc", ""), vec![("abc", false)]);
        assert_eq!(
            mark_runs("order #42 ORDER", "order"),
            vec![("order", true), (" #42 ", false), ("ORDER", true)]
        );
        assert_eq!(mark_runs("aaa", "aa"), vec![("aa", true), ("a", false)]);
    }
}
