//! Optimistic edits: the panel shows a change at once, then takes the server's version, or
//! puts the old one back and says why.

use super::events::Change;
use crate::api::{ApiClient, ApiResult};
use crate::record::{Versioned, keep_newer};
use convoroom_api::{Contact, Conversation};
use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::future::Future;

/// Edits of one versioned resource (a conversation or a contact) shown in the panel.
pub struct Edits<T: Send + Sync + 'static> {
    pub current: RwSignal<T>,
    pub error: RwSignal<Option<String>>,
    auth: crate::auth::Auth,
    saved: Option<Callback<T>>,
    events: Option<super::events::PanelEvents>,
}

impl<T: Send + Sync + 'static> Clone for Edits<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Send + Sync + 'static> Copy for Edits<T> {}

pub type Editor = Edits<Conversation>;
pub type ContactEditor = Edits<Contact>;

impl Editor {
    pub fn new(conversation: RwSignal<Conversation>) -> Self {
        Edits::with(conversation, crate::conversation_list::list_upserter())
    }
}

/// A resource the API addresses by id.
pub trait Identified {
    fn resource_id(&self) -> String;
}
impl Identified for Conversation {
    fn resource_id(&self) -> String {
        self.id.clone()
    }
}
impl Identified for Contact {
    fn resource_id(&self) -> String {
        self.id.clone()
    }
}

impl<T> Edits<T>
where
    T: Identified + Versioned + Clone + Serialize + DeserializeOwned + Send + Sync + 'static,
{
    pub fn id(&self) -> String {
        self.current.with_untracked(|c| c.resource_id())
    }

    /// `saved` hears of every version the server accepted (the list keeps its row current).
    pub fn with(value: RwSignal<T>, saved: Option<Callback<T>>) -> Self {
        Edits {
            current: value,
            error: RwSignal::new(None),
            auth: crate::auth::use_auth(),
            saved,
            events: use_context(),
        }
    }

    /// Applies `optimistic` now and `request` on the server; `what` names the change in errors.
    pub fn apply<F, Fut>(&self, what: Change, optimistic: impl FnOnce(&mut T), request: F)
    where
        F: FnOnce(ApiClient, String) -> Fut + 'static,
        Fut: Future<Output = ApiResult<T>> + 'static,
    {
        self.apply_or_conflict(what, optimistic, request, |_| false);
    }

    /// Like [`Edits::apply`], but a conflict (someone else changed the record first) goes to
    /// `on_conflict` with the server's version; it returns whether it dealt with it, else the
    /// usual message is shown.
    pub fn apply_or_conflict<F, Fut>(
        &self,
        what: Change,
        optimistic: impl FnOnce(&mut T),
        request: F,
        on_conflict: impl FnOnce(T) -> bool + 'static,
    ) where
        F: FnOnce(ApiClient, String) -> Fut + 'static,
        Fut: Future<Output = ApiResult<T>> + 'static,
    {
        let before = self.current.get_untracked();
        self.current.update(optimistic);
        self.error.set(None);
        let editor = *self;
        let client = self.auth.client();
        let id = self.id();
        leptos::task::spawn_local(async move {
            match request(client, id).await {
                Ok(updated) => {
                    // A live event may already have brought a newer version than this answer.
                    editor
                        .current
                        .maybe_update(|current| keep_newer(current, updated.clone()));
                    if let Some(events) = editor.events {
                        events.emit(what.event(), &updated);
                    }
                    if let Some(saved) = editor.saved {
                        saved.run(updated);
                    }
                }
                Err(err) => {
                    // On a conflict the server sends its current version: show that, not ours.
                    let theirs = err.conflict_current::<T>();
                    editor.current.set(theirs.clone().unwrap_or(before));
                    if !theirs.is_some_and(on_conflict) {
                        editor
                            .error
                            .set(Some(format!("Couldn't {}. {err}", what.describe())));
                    }
                }
            }
        });
    }
}
