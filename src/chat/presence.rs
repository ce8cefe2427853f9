//! Telling the server this agent is looking at the conversation (heartbeats), and following
//! who else is, so two agents don't answer at once.

use super::ChatState;
use crate::live::presence::follow_presence;
use leptos::prelude::*;

/// The server forgets a viewer after 45 s without a heartbeat.
const HEARTBEAT_MS: u32 = 20_000;

/// Sends heartbeats while the chat is open and keeps `chat.viewers` (and `chat.typing`) to the
/// other agents' names.
pub fn track(chat: ChatState) {
    let beat = move || {
        let client = chat.auth.client();
        let id = chat.id();
        leptos::task::spawn_local(async move {
            // Presence is a courtesy: a missed heartbeat only hides us for a moment.
            let _ = client.presence(&id).await;
        });
    };
    beat();
    let interval = gloo_timers::callback::Interval::new(HEARTBEAT_MS, beat);
    let interval = StoredValue::new_local(Some(interval));
    on_cleanup(move || {
        if let Some(Some(interval)) = interval.try_update_value(Option::take) {
            interval.cancel();
        }
    });
    follow_presence(chat.id(), chat.viewers, Some(chat.typing));
}

/// How often a typing agent's app marks it: under the server's 6 s, so a pause to think
/// between words does not flicker the line others see.
const TYPING_MARK_MS: f64 = 2_500.0;

/// Tells the server whether this agent is typing a reply: a mark at most every 2.5 s while the
/// text changes, and one "stopped" when it is sent or emptied. Marks are a courtesy: a failed
/// one only hides the line from others for a moment.
#[derive(Clone, Copy)]
pub struct TypingMarks {
    last_mark_ms: StoredValue<Option<f64>>,
}

impl TypingMarks {
    pub fn new(chat: ChatState) -> TypingMarks {
        let marks = TypingMarks {
            last_mark_ms: StoredValue::new(None),
        };
        on_cleanup(move || marks.stopped(chat));
        marks
    }

    pub fn typed(self, chat: ChatState, now_ms: f64) {
        if self
            .last_mark_ms
            .get_value()
            .is_some_and(|last| now_ms - last < TYPING_MARK_MS)
        {
            return;
        }
        self.last_mark_ms.set_value(Some(now_ms));
        let client = chat.auth.client();
        let id = chat.id();
        leptos::task::spawn_local(async move {
            let _ = client.typing(&id).await;
        });
    }

    pub fn stopped(self, chat: ChatState) {
        if self.last_mark_ms.try_get_value().flatten().is_none() {
            return;
        }
        self.last_mark_ms.set_value(None);
        let client = chat.auth.client();
        let id = chat.conversation_id.try_get_value().unwrap_or_default();
        leptos::task::spawn_local(async move {
            let _ = client.stop_typing(&id).await;
        });
    }
}
