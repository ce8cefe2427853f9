//! The middle pane: the conversation's header, its message log and the composer.

mod composer;
mod header;
mod log;
pub mod log_window;
pub mod message;
pub mod presence;
pub use message::rich_text;
pub mod outbox;
pub mod text;

use crate::auth::use_auth;
use convoroom_api::{self as api, Message};
use leptos::prelude::*;
use outbox::Pending;

/// Everything the chat's parts share about the open conversation.
#[derive(Clone, Copy)]
pub struct ChatState {
    pub conversation_id: StoredValue<String>,
    pub conversation: RwSignal<api::Conversation>,
    /// Confirmed messages, oldest first.
    pub messages: RwSignal<Vec<Message>>,
    pub older_cursor: RwSignal<Option<String>>,
    pub loading_older: RwSignal<bool>,
    pub loaded: RwSignal<bool>,
    pub load_error: RwSignal<Option<String>>,
    /// Sends not yet confirmed by the server, persisted per conversation.
    pub outbox: RwSignal<Vec<Pending>>,
    /// Captured at setup: handlers run outside the component tree, where context is gone.
    pub auth: crate::auth::Auth,
    pub upsert_in_list: Callback<api::Conversation>,
    /// Other agents viewing this conversation now.
    pub viewers: RwSignal<Vec<String>>,
}

impl ChatState {
    pub fn id(&self) -> String {
        self.conversation_id.get_value()
    }

    pub fn save_outbox(&self) {
        let key = outbox::storage_key(&self.id());
        let pending = self.outbox.get_untracked();
        if pending.is_empty() {
            crate::storage::remove(&key);
        } else {
            crate::storage::save(&key, &pending);
        }
    }

    /// Adds a message from the server (a send's answer or a live event).
    pub fn receive(&self, message: Message) {
        self.receive_all(vec![message]);
    }

    /// Adds messages from the server, confirming any pending sends they echo.
    pub fn receive_all(&self, messages: Vec<Message>) {
        let confirms_pending = self.outbox.with_untracked(|pending| {
            pending.iter().any(|p| {
                messages
                    .iter()
                    .any(|m| m.client_id.as_deref() == Some(p.client_id.as_str()))
            })
        });
        if confirms_pending {
            self.outbox
                .update(|pending| outbox::reconcile(pending, &messages));
            self.save_outbox();
        }
        self.messages.update(|log| {
            for message in messages {
                outbox::insert_message(log, message);
            }
        });
    }
}

#[component]
pub fn ChatView(id: String, conversation: RwSignal<api::Conversation>) -> impl IntoView {
    let auth = use_auth();
    let stored_outbox: Vec<Pending> =
        crate::storage::load(&outbox::storage_key(&id)).unwrap_or_default();
    let state = ChatState {
        conversation_id: StoredValue::new(id.clone()),
        conversation,
        messages: RwSignal::new(Vec::new()),
        older_cursor: RwSignal::new(None),
        loading_older: RwSignal::new(false),
        loaded: RwSignal::new(false),
        load_error: RwSignal::new(None),
        outbox: RwSignal::new(stored_outbox),
        auth,
        upsert_in_list: crate::shell::list_upserter(),
        viewers: RwSignal::new(Vec::new()),
    };
    provide_context(state);
    log::load_latest(state);

    // Opening a conversation reads it.
    if conversation.with_untracked(|c| c.unread_count > 0) {
        let client = auth.client();
        let id = id.clone();
        leptos::task::spawn_local(async move {
            if client.mark_read(&id).await.is_ok() {
                conversation.update(|c| c.unread_count = 0);
                state.upsert_in_list.run(conversation.get_untracked());
            }
        });
    }

    follow_live_changes(state);
    deliver_when_back(state);
    presence::track(state);

    view! {
        <section class="chat-pane" aria-label="Conversation">
            <header::ChatHeader/>
            <log::MessageLog/>
            <composer::Composer/>
        </section>
    }
}

pub fn use_chat() -> ChatState {
    expect_context::<ChatState>()
}

/// Applies this conversation's live events: new messages, changed fields, a resync.
/// Sends that failed (the server was unreachable, or the page was reloaded before they went
/// out) go out by themselves once the event stream is live again. The server deduplicates by
/// `client_id`, so a repeat is harmless and each message arrives exactly once.
fn deliver_when_back(chat: ChatState) {
    let Some(live) = use_context::<crate::live::LiveHub>() else {
        return;
    };
    Effect::new(move |was_live: Option<bool>| {
        let is_live = live.status.get() == crate::live::Connection::Live;
        if is_live && was_live != Some(true) {
            let queued: Vec<String> = chat.outbox.with_untracked(|pending| {
                pending
                    .iter()
                    .filter(|p| p.failed.is_some())
                    .map(|p| p.client_id.clone())
                    .collect()
            });
            for client_id in queued {
                composer::send_pending(chat, client_id);
            }
        }
        is_live
    });
}

fn follow_live_changes(chat: ChatState) {
    let auth = chat.auth;
    let id = chat.id();
    let reading = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);
    crate::live::use_live().subscribe(move |event| match &event.payload {
        api::EventPayload::MessageCreated(message) if message.conversation_id == id => {
            chat.receive((**message).clone());
        }
        api::EventPayload::ConversationUpdated(updated) if updated.id == id => {
            let unread = updated.unread_count > 0;
            chat.conversation.set((**updated).clone());
            // The agent is looking at it: what arrives is read.
            if unread {
                let client = auth.client();
                let id = id.clone();
                reading.set_value(Some(gloo_timers::callback::Timeout::new(800, move || {
                    leptos::task::spawn_local(async move {
                        if client.mark_read(&id).await.is_ok() {
                            chat.conversation.update(|c| c.unread_count = 0);
                            chat.upsert_in_list.run(chat.conversation.get_untracked());
                        }
                    });
                })));
            }
        }
        // Another conversation's messages moved in, older ones included: read the log afresh.
        api::EventPayload::ConversationMerged {
            into_conversation_id,
            ..
        } if *into_conversation_id == id => log::reload(chat),
        api::EventPayload::ResyncRequired => log::load_latest(chat),
        _ => {}
    });
}
