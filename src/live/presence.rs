//! Who else is viewing a conversation right now, from the server's presence events (shown in
//! the chat header and the details panel's Handled by).

use crate::workspace::use_workspace;
use convoroom_api as api;
use leptos::prelude::*;

/// Keeps `viewers` to the names of the other agents the server says are viewing `id`.
pub fn follow_viewers(id: String, viewers: RwSignal<Vec<String>>) {
    let Some(live) = use_context::<super::LiveHub>() else {
        return;
    };
    let workspace = use_workspace();
    let me = workspace.me();
    live.subscribe(move |event| {
        if let api::EventPayload::Presence {
            conversation_id,
            agent_ids,
        } = &event.payload
            && *conversation_id == id
        {
            let names = agent_ids
                .iter()
                .filter(|a| **a != me)
                .map(|a| {
                    workspace
                        .agent_name(a)
                        .unwrap_or_else(|| format!("Agent {a}"))
                })
                .collect();
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
