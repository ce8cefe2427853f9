//! Who else is looking at this conversation right now, so two agents don't answer at once.

use super::ChatState;
use crate::shell::use_workspace;
use convoroom_api as api;
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

/// Keeps `viewers` to the names of the other agents the server says are viewing `id`.
pub fn follow_viewers(id: String, viewers: RwSignal<Vec<String>>) {
    let Some(live) = use_context::<crate::live::LiveHub>() else {
        return;
    };
    let workspace = use_workspace();
    let me = workspace.with_untracked(|w| w.me.id.clone());
    live.subscribe(move |event| {
        if let api::EventPayload::Presence {
            conversation_id,
            agent_ids,
        } = &event.payload
            && *conversation_id == id
        {
            let names = workspace.with_untracked(|w| {
                agent_ids
                    .iter()
                    .filter(|a| **a != me)
                    .map(|a| {
                        w.agents
                            .iter()
                            .find(|x| &x.id == a)
                            .map_or_else(|| format!("Agent {a}"), |x| x.name.clone())
                    })
                    .collect()
            });
            viewers.set(names);
        }
    });
}

/// "Jonas Weber is also viewing" / "Jonas Weber and Priya Shah are also viewing".
pub fn describe(names: &[String]) -> Option<String> {
    match names {
        [] => None,
        [one] => Some(format!("{one} is also viewing")),
        [first, rest @ ..] if rest.len() == 1 => {
            Some(format!("{first} and {} are also viewing", rest[0]))
        }
        [first, rest @ ..] => Some(format!(
            "{first} and {} others are also viewing",
            rest.len()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::describe;

    #[test]
    fn viewers_read_as_a_sentence() {
        assert_eq!(describe(&[]), None);
        assert_eq!(
            describe(&["Jonas".into()]).unwrap(),
            "Jonas is also viewing"
        );
        assert_eq!(
            describe(&["Jonas".into(), "Priya".into()]).unwrap(),
            "Jonas and Priya are also viewing"
        );
        assert_eq!(
            describe(&["A".into(), "B".into(), "C".into()]).unwrap(),
            "A and 2 others are also viewing"
        );
    }
}
