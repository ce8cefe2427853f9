use super::outbox::Pending;
use super::{ChatState, use_chat};
use crate::storage;
use crate::ui::icons::icon;
use crate::ui::time;
use convoroom_api::{self as api, ComposeMode};
use leptos::prelude::*;

fn draft_key(conversation_id: &str, mode: ComposeMode) -> String {
    format!("convoroom.draft.{conversation_id}.{}", mode.as_str())
}

/// Sends (or resends) an outbox entry. Safe to repeat: the server dedupes by `client_id`.
pub fn send_pending(chat: ChatState, client_id: String) {
    let Some(pending) = chat
        .outbox
        .with_untracked(|o| o.iter().find(|p| p.client_id == client_id).cloned())
    else {
        return;
    };
    chat.outbox.update(|o| {
        if let Some(p) = o.iter_mut().find(|p| p.client_id == client_id) {
            p.failed = None;
        }
    });
    let client = chat.auth.client();
    leptos::task::spawn_local(async move {
        let request = api::SendMessage {
            client_id: pending.client_id.clone(),
            mode: pending.mode,
            body: pending.body.clone(),
        };
        match client.send_message(&chat.id(), &request).await {
            Ok(message) => chat.receive(message),
            Err(err) => {
                chat.outbox.update(|o| {
                    if let Some(p) = o.iter_mut().find(|p| p.client_id == client_id) {
                        p.failed = Some(err.to_string());
                    }
                });
                chat.save_outbox();
            }
        }
    });
}

pub fn discard(chat: ChatState, client_id: &str) {
    chat.outbox
        .update(|o| o.retain(|p| p.client_id != client_id));
    chat.save_outbox();
}

#[component]
pub fn Composer() -> impl IntoView {
    let chat = use_chat();
    let id = chat.id();
    let mode = RwSignal::new(ComposeMode::Reply);
    let text = RwSignal::new(
        storage::load::<String>(&draft_key(&id, ComposeMode::Reply)).unwrap_or_default(),
    );
    let blocked = move || {
        chat.conversation
            .with(|c| c.access.blocked || c.access.spam)
    };

    // Sends left in flight by a reload or a crash go out again; failed ones wait for Retry.
    for pending in chat.outbox.get_untracked() {
        if pending.failed.is_none() {
            send_pending(chat, pending.client_id);
        }
    }

    let switch_mode = move |next: ComposeMode| {
        let id = chat.id();
        mode.set(next);
        text.set(storage::load::<String>(&draft_key(&id, next)).unwrap_or_default());
    };
    let on_input = move |value: String| {
        let key = draft_key(&chat.id(), mode.get_untracked());
        if value.is_empty() {
            storage::remove(&key);
        } else {
            storage::save(&key, &value);
        }
        text.set(value);
    };
    let submit = move || {
        let body = text.get_untracked();
        if body.trim().is_empty() {
            return;
        }
        let mode_now = mode.get_untracked();
        if mode_now == ComposeMode::Reply && blocked() {
            return;
        }
        let now = time::now_ms();
        let pending = Pending {
            client_id: crate::api::new_client_id(now, js_sys::Math::random()),
            mode: mode_now,
            body,
            failed: None,
            created_at_ms: now,
        };
        let client_id = pending.client_id.clone();
        chat.outbox.update(|o| o.push(pending));
        chat.save_outbox();
        storage::remove(&draft_key(&chat.id(), mode_now));
        text.set(String::new());
        send_pending(chat, client_id);
    };

    let mode_button = move |this: ComposeMode| {
        view! {
            <button
                type="button"
                class="mode"
                class:mode--active=move || mode.get() == this
                aria-pressed=move || (mode.get() == this).to_string()
                on:click=move |_| switch_mode(this)
            >
                {this.label()}
            </button>
        }
    };
    let reply_disabled = move || blocked() && mode.get() == ComposeMode::Reply;

    view! {
        <div class="composer" class:composer--note=move || mode.get() == ComposeMode::Note>
            <div class="composer__modes" role="group" aria-label="Message type">
                {mode_button(ComposeMode::Reply)}
                {mode_button(ComposeMode::Note)}
            </div>
            <Show when=reply_disabled>
                <p class="composer__blocked" id="composer-blocked">
                    {icon("lock")}
                    " This contact is blocked, so replies are off. Unblock them in Conversation access, or write an internal note."
                </p>
            </Show>
            <div class="composer__row">
                <textarea
                    id="composer-input"
                    aria-label="Message"
                    aria-describedby=move || reply_disabled().then_some("composer-blocked")
                    rows="3"
                    placeholder=move || match mode.get() {
                        ComposeMode::Reply => "Reply to the customer… (Enter to send, Shift+Enter for a new line)",
                        ComposeMode::Note => "Write an internal note — only agents see it",
                    }
                    disabled=reply_disabled
                    prop:value=text
                    on:input:target=move |ev| on_input(ev.target().value())
                    on:keydown=move |ev| {
                        if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
                            ev.prevent_default();
                            submit();
                        }
                    }
                ></textarea>
                <button
                    type="button"
                    class="button button--primary composer__send"
                    disabled=move || reply_disabled() || text.with(|t| t.trim().is_empty())
                    on:click=move |_| submit()
                >
                    {icon("send")}
                    {move || if mode.get() == ComposeMode::Note { "Add note" } else { "Send" }}
                </button>
            </div>
        </div>
    }
}
