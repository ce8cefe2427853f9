//! Resolving the open conversation, from the header's Resolve or after the composer's Send and
//! resolve has delivered the reply. The team's after-conversation questions are asked first
//! (the list's resolve dialog); a failure shows in the header.

use super::ChatState;
use crate::conversation_list::resolve::{ResolveRequest, resolve_or_ask};
use crate::workspace::Workspace;
use convoroom_api as api;
use leptos::prelude::*;

/// Resolves with `body` now; the answer updates the header, list row and panel.
pub fn resolve(chat: ChatState, body: api::ResolveConversation) {
    let client = chat.auth.client();
    let id = chat.id();
    chat.status_busy.set(true);
    leptos::task::spawn_local(async move {
        match client.resolve(&id, &body).await {
            Ok(updated) => {
                chat.status_error.set(None);
                chat.update_conversation(updated);
            }
            Err(err) => chat
                .status_error
                .set(Some(format!("Couldn't resolve the conversation. {err}"))),
        }
        chat.status_busy.set(false);
    });
}

/// Asks what the team requires (if anything), then runs `then` with the answers.
pub fn ask(
    chat: ChatState,
    workspace: &Workspace,
    confirm: &str,
    then: impl Fn(api::ResolveConversation) + Send + Sync + 'static,
) {
    let targets = chat
        .conversation
        .with_untracked(|c| vec![(c.team_id.clone(), c.channel)]);
    resolve_or_ask(
        workspace,
        chat.resolving,
        ResolveRequest {
            targets,
            confirm: confirm.to_string(),
            on_confirm: Callback::new(then),
        },
    );
}
