use super::log_window::{LogWindow, keep_in_place};
use super::message::{MessageBubble, PendingBubble};
use super::{ChatState, use_chat};
use crate::ui::ErrorNotice;
use crate::ui::icons::icon;
use crate::ui::time;
use leptos::html;
use leptos::prelude::*;

/// How close to the top (px) the agent must scroll before older messages load.
const LOAD_OLDER_THRESHOLD: i32 = 240;

pub fn load_latest(chat: ChatState) {
    let client = chat.auth.client();
    leptos::task::spawn_local(async move {
        match client.messages(&chat.id(), None).await {
            Ok(page) => {
                chat.receive_all(page.items);
                chat.older_cursor.set(page.next_cursor);
                chat.load_error.set(None);
            }
            Err(err) => chat.load_error.set(Some(err)),
        }
        chat.loaded.set(true);
    });
}

/// Drops what is loaded and starts again from the latest page.
pub fn reload(chat: ChatState) {
    chat.messages.set(Vec::new());
    chat.older_cursor.set(None);
    load_latest(chat);
}

fn load_older(chat: ChatState, viewport: NodeRef<html::Div>) {
    let Some(cursor) = chat.older_cursor.get_untracked() else {
        return;
    };
    if chat.loading_older.get_untracked() {
        return;
    }
    chat.loading_older.set(true);
    let client = chat.auth.client();
    leptos::task::spawn_local(async move {
        let result = client.messages(&chat.id(), Some(&cursor)).await;
        chat.loading_older.set(false);
        match result {
            Ok(page) => {
                // Keep what the agent is reading in place while older messages appear above.
                keep_in_place(viewport, move || {
                    chat.receive_all(page.items);
                    chat.older_cursor.set(page.next_cursor);
                });
            }
            Err(err) => chat.load_error.set(Some(err)),
        }
    });
}

/// One item of the message log.
#[derive(Clone, Debug, PartialEq)]
pub enum Entry {
    Day { day: i64, ms: i64 },
    Session { id: String },
    FirstSession { id: String },
    Message(Box<convoroom_api::Message>),
}

impl Entry {
    /// Stable across pages; a message's key changes with what its bubble shows that can change.
    pub fn key(&self) -> String {
        match self {
            Entry::Day { day, .. } => format!("day-{day}"),
            Entry::Session { id } => format!("session-{id}"),
            Entry::FirstSession { id } => format!("first-session-{id}"),
            Entry::Message(m) => format!(
                "message-{}-{:?}-{}-{}",
                m.id,
                m.delivery,
                m.edited_at.as_deref().unwrap_or(""),
                m.delivery_error.as_deref().unwrap_or("")
            ),
        }
    }
}

/// Messages (oldest first) with day separators and a separator where a new session starts;
/// `before` is the message just above them, if the log does not start with them.
pub fn log_entries(
    messages: &[convoroom_api::Message],
    before: Option<&convoroom_api::Message>,
    at_beginning: bool,
) -> Vec<Entry> {
    let mut entries = Vec::with_capacity(messages.len() + 8);
    let mut last_day =
        before.map(|m| time::day_key(time::parse_rfc3339(&m.created_at).unwrap_or(0)));
    let mut last_session: Option<&str> = before.map(|m| m.session_id.as_str());
    for message in messages {
        let ms = time::parse_rfc3339(&message.created_at).unwrap_or(0);
        let day = time::day_key(ms);
        if last_day != Some(day) {
            entries.push(Entry::Day { day, ms });
            last_day = Some(day);
        }
        let id = message.session_id.clone();
        if last_session.is_some_and(|s| s != message.session_id) {
            entries.push(Entry::Session { id });
        } else if last_session.is_none() && at_beginning {
            entries.push(Entry::FirstSession { id });
        }
        last_session = Some(&message.session_id);
        entries.push(Entry::Message(Box::new(message.clone())));
    }
    entries
}

/// Brings a session's first message into view, loading older pages until it is there.
fn follow_session_jumps(
    chat: ChatState,
    viewport: NodeRef<html::Div>,
    window: RwSignal<LogWindow>,
    jump: crate::layout::SessionJump,
) {
    Effect::new(move |_| {
        let Some(session) = jump.0.get() else {
            return;
        };
        let first = chat
            .messages
            .with(|m| m.iter().position(|m| m.session_id == session));
        let more_above = chat.older_cursor.get_untracked().is_some();
        match first {
            // The session may have started on a page not loaded yet.
            Some(0) | None if more_above => load_older(chat, viewport),
            None => jump.0.set(None),
            Some(index) => {
                chat.messages.with_untracked(|m| {
                    let ids: Vec<&str> = m.iter().map(|m| m.id.as_str()).collect();
                    window.update(|w| w.show_from(&ids, index));
                });
                // After the log has rendered the window.
                gloo_timers::callback::Timeout::new(60, move || {
                    if let Some(anchor) =
                        document().get_element_by_id(&format!("session-{session}"))
                    {
                        anchor.scroll_into_view();
                    }
                    jump.0.set(None);
                })
                .forget();
            }
        }
    });
}

#[component]
pub fn MessageLog() -> impl IntoView {
    let chat = use_chat();
    let viewport = NodeRef::<html::Div>::new();
    let at_bottom = RwSignal::new(true);
    let window = RwSignal::new(LogWindow::default());
    // A reload (after a merge) starts again from the latest.
    Effect::new(move |_| {
        if chat.messages.with(Vec::is_empty) {
            window.set(LogWindow::default());
        }
    });
    let shown = Memo::new(move |_| {
        let w = window.get();
        chat.messages.with(|m| {
            let ids: Vec<&str> = m.iter().map(|m| m.id.as_str()).collect();
            w.bounds(&ids)
        })
    });

    let scroll_to_bottom = move || {
        if let Some(el) = viewport.get_untracked() {
            el.set_scroll_top(el.scroll_height());
        }
    };
    // Follow new messages while the agent is at the bottom; leave them alone when reading history.
    Effect::new(move |_| {
        chat.messages.track();
        chat.outbox.track();
        if at_bottom.get_untracked() {
            request_animation_frame(scroll_to_bottom);
        }
    });

    if let Some(jump) = crate::layout::use_session_jump() {
        follow_session_jumps(chat, viewport, window, jump);
    }
    super::find::follow_matches(chat, viewport, window, move || load_older(chat, viewport));

    // One window step per frame: the step's bubbles must render before the next is judged.
    let stepping = StoredValue::new(false);
    let step = move |change: fn(&mut LogWindow, &[&str], bool) -> bool| {
        stepping.set_value(true);
        let before = window.get_untracked();
        keep_in_place(viewport, move || {
            let more_to_fetch = chat.older_cursor.with_untracked(Option::is_some)
                && !chat.loading_older.get_untracked();
            let fetch = chat.messages.with_untracked(|m| {
                let ids: Vec<&str> = m.iter().map(|m| m.id.as_str()).collect();
                window
                    .try_update(|w| change(w, &ids, more_to_fetch))
                    .unwrap_or(false)
            });
            if fetch {
                load_older(chat, viewport);
            }
        });
        request_animation_frame(move || {
            stepping.set_value(false);
            // Scroll events that came during the step were not acted on, and at an end of the
            // scroller none may follow: judge the position again once the window moved.
            if window.get_untracked() != before
                && let Some(el) = viewport.get_untracked()
                && let Ok(event) = web_sys::Event::new("scroll")
            {
                let _ = el.dispatch_event(&event);
            }
        });
    };
    let on_scroll = move |_| {
        let Some(el) = viewport.get_untracked() else {
            return;
        };
        let from_bottom = el.scroll_height() - el.scroll_top() - el.client_height();
        let latest = window.with_untracked(LogWindow::is_at_latest);
        at_bottom.set(latest && from_bottom < 40);
        if stepping.get_value() {
            return;
        }
        if el.scroll_top() < LOAD_OLDER_THRESHOLD {
            step(|w, ids, more| w.widen_up(ids, more));
        } else if !latest && from_bottom < LOAD_OLDER_THRESHOLD {
            step(|w, ids, _| {
                w.move_down(ids);
                false
            });
        }
    };

    // Keyed, so a page of older messages adds its bubbles and leaves the thousands already
    // shown alone (a 10 000-message history would otherwise re-render on every page).
    let entries = move || {
        let (start, end) = shown.get();
        let at_beginning = start == 0 && chat.older_cursor.with(Option::is_none);
        chat.messages.with(|messages| {
            let end = end.min(messages.len());
            let start = start.min(end);
            log_entries(
                &messages[start..end],
                start.checked_sub(1).and_then(|i| messages.get(i)),
                at_beginning,
            )
        })
    };
    let more_above = move || shown.get().0 > 0 || chat.older_cursor.with(Option::is_some);
    let now = time::now_ms();
    let render = move |entry: Entry| {
        match entry {
        Entry::Day { ms, .. } => view! {
            <div class="separator separator--day" role="separator">{time::day_label(ms, now)}</div>
        }
        .into_any(),
        Entry::Session { id } => view! {
            <div id=format!("session-{id}") class="separator separator--session" role="separator">"New session"</div>
        }
        .into_any(),
        // The conversation's first session starts here; no separator, but findable.
        Entry::FirstSession { id } => view! { <div id=format!("session-{id}") class="session-anchor"></div> }.into_any(),
        Entry::Message(message) => view! { <MessageBubble message=*message/> }.into_any(),
    }
    };

    view! {
        <div class="log-wrap">
            <div class="log" node_ref=viewport role="log" aria-label="Messages" tabindex="0" on:scroll=on_scroll>
                <Show when=more_above>
                    <p class="log__older muted">
                        {move || if chat.loading_older.get() { "Loading older messages…" } else { "Scroll up for older messages" }}
                    </p>
                </Show>
                <Show when=move || chat.loaded.get() && !more_above() && chat.messages.with(|m| !m.is_empty())>
                    <p class="log__older muted">"Beginning of the conversation"</p>
                </Show>
                <For each=entries key=Entry::key children=render/>
                <For
                    each=move || chat.outbox.get()
                    key=|pending| (pending.client_id.clone(), pending.failed.clone())
                    let:pending
                >
                    <PendingBubble pending/>
                </For>
                <Show when=move || !chat.loaded.get()>
                    <p class="muted pad" role="status">"Loading messages…"</p>
                </Show>
                {move || chat.load_error.get().map(|error| view! {
                    <ErrorNotice what="load messages" error retry=move || load_latest(chat)/>
                })}
            </div>
            <Show when=move || !at_bottom.get()>
                <button
                    type="button"
                    class="button jump-latest"
                    on:click=move |_| {
                        window.set(LogWindow::default());
                        at_bottom.set(true);
                        request_animation_frame(scroll_to_bottom);
                    }
                >
                    {icon("arrow-down")}
                    "Jump to latest"
                </button>
            </Show>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(id: &str, session: &str, at: &str) -> convoroom_api::Message {
        serde_json::from_value(serde_json::json!({
            "id": id, "conversation_id": "1", "session_id": session, "kind": "inbound",
            "body": "hi", "attachments": [], "created_at": at
        }))
        .expect("a message")
    }

    #[test]
    fn days_and_sessions_get_separators_with_stable_keys() {
        let messages = vec![
            message("1", "s1", "2026-11-20T10:00:00Z"),
            message("2", "s1", "2026-11-20T11:00:00Z"),
            message("3", "s2", "2026-11-21T09:00:00Z"),
        ];
        let keys: Vec<String> = log_entries(&messages, None, true)
            .iter()
            .map(Entry::key)
            .collect();
        assert_eq!(keys.len(), 7);
        assert!(keys[0].starts_with("day-") && keys[1] == "first-session-s1");
        assert!(keys[2].starts_with("message-1-") && keys[3].starts_with("message-2-"));
        assert!(keys[4].starts_with("day-") && keys[5] == "session-s2");
        // Older pages not loaded yet: the first shown session is not marked as the first.
        let partial = log_entries(&messages[1..], None, false);
        assert!(
            !partial
                .iter()
                .any(|e| matches!(e, Entry::FirstSession { .. }))
        );
        // The same message keeps its key when more history arrives.
        let more = log_entries(&messages, None, false);
        assert_eq!(more.iter().filter(|e| e.key() == keys[3]).count(), 1);
    }
}
