//! `@` in an internal note offers the agents who can see the conversation, narrowed by what
//! follows (`@jo we` fits Jonas Weber), and inserts "@Jonas Weber ". The note stores the name,
//! and the server reads the same names back to notify whom it mentions (`api::mention`).

use super::{Choice, Completion, Lead, Spec};
use crate::chat::ChatState;
use crate::workspace::use_workspace;
use convoroom_api::mention;
use leptos::html;
use leptos::prelude::*;

const SHOWN: usize = 6;

pub fn completion(
    chat: ChatState,
    text: RwSignal<String>,
    set_text: Callback<String>,
    textarea: NodeRef<html::Textarea>,
    in_note: Signal<bool>,
) -> Completion {
    let workspace = use_workspace();
    let spec = Spec {
        list_id: "mention-list",
        list_label: "Mention an agent",
        hint: "↑ ↓ to choose · Enter to mention · Esc to close",
        space_after: true,
        find: mention::typing_query,
    };
    Completion::new(text, set_text, textarea, in_note, spec, move |query| {
        let me = workspace.me();
        chat.conversation.with(|conversation| {
            workspace.with(|w| {
                w.agents
                    .iter()
                    .filter(|a| a.id != me && mention::sees(a, conversation))
                    .filter(|a| mention::name_fits(&a.name, query))
                    .take(SHOWN)
                    .map(|a| Choice {
                        key: a.id.clone(),
                        label: a.name.clone(),
                        insert: format!("@{}", a.name),
                        lead: Lead::Avatar {
                            id: a.id.clone(),
                            picture: a.avatar_url.clone(),
                        },
                    })
                    .collect()
            })
        })
    })
}
