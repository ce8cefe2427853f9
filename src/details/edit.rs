//! Optimistic edits: the panel shows a change at once, then takes the server's version, or
//! puts the old one back and says why.

use crate::api::{ApiClient, ApiResult};
use convoroom_api::Conversation;
use leptos::prelude::*;
use std::future::Future;

#[derive(Clone, Copy)]
pub struct Editor {
    pub conversation: RwSignal<Conversation>,
    pub error: RwSignal<Option<String>>,
    auth: crate::auth::Auth,
    upsert_in_list: Option<Callback<Conversation>>,
}

impl Editor {
    pub fn new(conversation: RwSignal<Conversation>) -> Self {
        Editor {
            conversation,
            error: RwSignal::new(None),
            auth: crate::auth::use_auth(),
            upsert_in_list: crate::shell::optional_list_upserter(),
        }
    }

    pub fn id(&self) -> String {
        self.conversation.with_untracked(|c| c.id.clone())
    }

    /// Applies `optimistic` now and `request` on the server; `what` names the change in errors.
    pub fn apply<F, Fut>(
        &self,
        what: &'static str,
        optimistic: impl FnOnce(&mut Conversation),
        request: F,
    ) where
        F: FnOnce(ApiClient, String) -> Fut + 'static,
        Fut: Future<Output = ApiResult<Conversation>> + 'static,
    {
        let before = self.conversation.get_untracked();
        self.conversation.update(optimistic);
        self.error.set(None);
        let editor = *self;
        let client = self.auth.client();
        let id = self.id();
        leptos::task::spawn_local(async move {
            match request(client, id).await {
                Ok(updated) => {
                    editor.conversation.set(updated.clone());
                    if let Some(upsert) = editor.upsert_in_list {
                        upsert.run(updated);
                    }
                }
                Err(err) => {
                    // On a conflict the server sends its current version: show that, not ours.
                    editor
                        .conversation
                        .set(err.conflict_current().unwrap_or(before));
                    editor.error.set(Some(format!("Couldn't {what}. {err}")));
                }
            }
        });
    }
}
