//! Who else is viewing a conversation right now, and who is typing a reply in it, from the
//! server's presence events (shown in the chat header, above the composer and in the details
//! panel's Handled by).

use crate::workspace::use_workspace;
use convoroom_api as api;
use leptos::prelude::*;

/// Keeps `viewers` to the names of the other agents the server says are viewing `id`.
pub fn follow_viewers(id: String, viewers: RwSignal<Vec<String>>) {
    follow_presence(id, viewers, None);
}

/// As `follow_viewers`, and keeps `typing` to the names of the other agents typing a reply.
pub fn follow_presence(
    id: String,
    viewers: RwSignal<Vec<String>>,
    typing: Option<RwSignal<Vec<String>>>,
) {
    let Some(live) = use_context::<super::LiveHub>() else {
        return;
    };
    let workspace = use_workspace();
    let me = workspace.me();
    live.subscribe(move |event| {
        if let api::EventPayload::Presence {
            conversation_id,
            agent_ids,
            typing_ids,
        } = &event.payload
            && *conversation_id == id
        {
            let names = |ids: &[String]| {
                ids.iter()
                    .filter(|a| **a != me)
                    .map(|a| {
                        workspace
                            .agent_name(a)
                            .unwrap_or_else(|| format!("Agent {a}"))
                    })
                    .collect::<Vec<_>>()
            };
            viewers.set(names(agent_ids));
            if let Some(typing) = typing {
                typing.set(names(typing_ids));
            }
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

/// "Priya Shah is typing a reply…" / "Priya Shah and Jonas Weber are typing replies…".
pub fn describe_typing(names: &[String]) -> Option<String> {
    match names {
        [] => None,
        [one] => Some(format!("{one} is typing a reply…")),
        [first, second] => Some(format!("{first} and {second} are typing replies…")),
        [first, rest @ ..] => Some(format!(
            "{first} and {} others are typing replies…",
            rest.len()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::{describe, describe_typing};

    #[test]
    fn typists_read_as_a_sentence() {
        assert_eq!(describe_typing(&[]), None);
        assert_eq!(
            describe_typing(&["Priya".into()]).unwrap(),
            "Priya is typing a reply…"
        );
        assert_eq!(
            describe_typing(&["Priya".into(), "Jonas".into()]).unwrap(),
            "Priya and Jonas are typing replies…"
        );
        assert_eq!(
            describe_typing(&["A".into(), "B".into(), "C".into()]).unwrap(),
            "A and 2 others are typing replies…"
        );
    }

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
