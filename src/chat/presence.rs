//! Telling the server this agent is looking at the conversation (heartbeats), and following
//! who else is, so two agents don't answer at once.

use super::ChatState;
use crate::live::presence::follow_viewers;
use leptos::prelude::*;

/// The server forgets a viewer after 45 s without a heartbeat.
const HEARTBEAT_MS: u32 = 20_000;

/// Sends heartbeats while the chat is open and keeps `chat.viewers` to the other viewers' names.
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
    follow_viewers(chat.id(), chat.viewers);
}
