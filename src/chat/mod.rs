//! The middle pane: the conversation's header, its message log and the composer.

pub mod attachments;
mod canned;
mod completion;
mod composer;
pub mod delivery;
mod emoji;
pub mod find;
mod header;
mod log;
pub mod log_window;
pub mod message;
pub mod outbox;
pub mod presence;
mod resolve;
mod send;
mod snooze;

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
    pub load_error: RwSignal<Option<crate::api::ClientError>>,
    /// Sends not yet confirmed by the server, persisted per conversation.
    pub outbox: RwSignal<Vec<Pending>>,
    /// Captured at setup: handlers run outside the component tree, where context is gone.
    pub auth: crate::auth::Auth,
    upsert_in_list: Option<Callback<api::Conversation>>,
    /// Other agents viewing this conversation now.
    pub viewers: RwSignal<Vec<String>>,
    /// Other agents typing a reply in it now.
    pub typing: RwSignal<Vec<String>>,
    /// The find bar, when open: what it found and which match is shown.
    pub found: RwSignal<Option<find::Found>>,
    /// A resolve waiting for the team's after-conversation questions.
    pub resolving: RwSignal<Option<crate::conversation_list::resolve::ResolveRequest>>,
    /// A resolve or reopen is in flight.
    pub status_busy: RwSignal<bool>,
    /// Why the last resolve or reopen failed, shown in the header.
    pub status_error: RwSignal<Option<String>>,
}

impl ChatState {
    pub fn id(&self) -> String {
        self.conversation_id.get_value()
    }

    /// Takes a version of the conversation from the server (an answer or a live event): the
    /// header, composer and list row follow it unless they already show a newer one.
    pub fn update_conversation(&self, updated: api::Conversation) {
        let mut newer = false;
        self.conversation.maybe_update(|c| {
            newer = crate::record::keep_newer(c, updated.clone());
            newer
        });
        if newer && let Some(upsert) = self.upsert_in_list {
            upsert.run(updated);
        }
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
        upsert_in_list: crate::conversation_list::list_upserter(),
        viewers: RwSignal::new(Vec::new()),
        typing: RwSignal::new(Vec::new()),
        found: RwSignal::new(None),
        resolving: RwSignal::new(None),
        status_busy: RwSignal::new(false),
        status_error: RwSignal::new(None),
    };
    provide_context(state);
    log::load_latest(state);

    // Opening a conversation reads it.
    if conversation.with_untracked(|c| c.unread_count > 0) {
        mark_read(state);
    }

    follow_live_changes(state);
    deliver_when_back(state);
    presence::track(state);

    let merged_away = use_context::<crate::layout::MergedAway>();
    let merged_notice = move || merged_away.and_then(|m| m.notice_for(&state.id()));

    view! {
        <section class="chat-pane" aria-label="Conversation">
            <header::ChatHeader/>
            {move || merged_notice().map(|text| view! {
                <p class="notice chat-pane__notice" role="status">
                    {text}
                    <button type="button" class="button button--small button--ghost" on:click=move |_| if let Some(m) = merged_away { m.dismiss() }>"Dismiss"</button>
                </p>
            })}
            <Show when=move || state.found.with(Option::is_some)>
                <find::FindBar/>
            </Show>
            <NoIntegrationNotice/>
            <log::MessageLog/>
            <composer::Composer/>
            <crate::conversation_list::resolve::ResolveDialog pending=state.resolving/>
        </section>
    }
}

/// Admins are told when replies on this conversation's channel reach no one: with no
/// integration for it, a reply is stored as sent and nothing delivers it.
#[component]
fn NoIntegrationNotice() -> impl IntoView {
    let chat = use_chat();
    let auth = chat.auth;
    let workspace = crate::workspace::use_workspace();
    let admin = move || {
        auth.agent
            .with(|a| a.as_ref().is_some_and(|a| a.role == api::Role::Admin))
    };
    let undelivered = move || {
        let channel = chat.conversation.with(|c| c.channel);
        (admin() && !workspace.delivers(channel)).then_some(channel)
    };
    move || {
        undelivered().map(|channel| {
            view! {
                <p class="notice chat-pane__notice" role="note">
                    {format!("No integration delivers {} messages yet: replies here are stored but reach no one. ", channel.label())}
                    <crate::nav::A href="/settings/integrations">"Set one up in Settings → Integrations"</crate::nav::A>
                </p>
            }
        })
    }
}

pub fn use_chat() -> ChatState {
    expect_context::<ChatState>()
}

/// The agent is looking at the conversation: what has arrived is read.
fn mark_read(chat: ChatState) {
    let client = chat.auth.client();
    let id = chat.id();
    leptos::task::spawn_local(async move {
        if client.mark_read(&id).await.is_ok() {
            let mut read = chat.conversation.get_untracked();
            read.unread_count = 0;
            chat.conversation.set(read.clone());
            if let Some(upsert) = chat.upsert_in_list {
                upsert.run(read);
            }
        }
    });
}

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
                send::send_pending(chat, client_id);
            }
        }
        is_live
    });
}

/// Applies this conversation's live events: new messages, changed fields, a resync.
fn follow_live_changes(chat: ChatState) {
    let id = chat.id();
    // Merged by someone else while open here: follow the thread to where it went.
    let merged_away = use_context::<crate::layout::MergedAway>();
    let reading = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);
    crate::live::use_live().subscribe(move |event| match &event.payload {
        api::EventPayload::MessageCreated(message) if message.conversation_id == id => {
            chat.receive((**message).clone());
        }
        // A note edited or deleted here or in the Notes section: the thread shows it as it is.
        api::EventPayload::MessageUpdated(message) if message.conversation_id == id => {
            chat.receive((**message).clone());
        }
        api::EventPayload::MessageDeleted {
            id: deleted,
            conversation_id,
        } if *conversation_id == id => {
            chat.messages.update(|log| log.retain(|m| &m.id != deleted));
        }
        api::EventPayload::ConversationUpdated(updated) if updated.id == id => {
            chat.update_conversation((**updated).clone());
            // Read shortly after, once a burst of messages has arrived.
            if chat.conversation.with_untracked(|c| c.unread_count > 0) {
                reading.set_value(Some(gloo_timers::callback::Timeout::new(800, move || {
                    mark_read(chat)
                })));
            }
        }
        // Another conversation's messages moved in, older ones included: read the log afresh.
        api::EventPayload::ConversationMerged {
            into_conversation_id,
            ..
        } if *into_conversation_id == id => log::reload(chat),
        api::EventPayload::ConversationMerged {
            id: merged,
            into_conversation_id,
        } if *merged == id => {
            if let Some(merged_away) = merged_away {
                merged_away.follow(merged, into_conversation_id);
            }
        }
        api::EventPayload::ResyncRequired => log::load_latest(chat),
        // An admin renamed or deleted a label (the conversation's version stays): the header
        // and the details panel show the labels it holds now.
        payload @ (api::EventPayload::LabelRenamed { .. }
        | api::EventPayload::LabelDeleted { .. }) => {
            chat.conversation
                .maybe_update(|c| match payload.relabelled(&c.labels) {
                    Some(labels) => {
                        c.labels = labels;
                        true
                    }
                    None => false,
                });
        }
        _ => {}
    });
}
