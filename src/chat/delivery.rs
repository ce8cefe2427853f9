//! A reply the channel's integration could not deliver: why, and a Retry that queues it again
//! (`POST /messages/{id}/retry-delivery`, same idempotency key, so the customer gets it once).
//! Shown in the chat's bubbles and wherever else the bubbles are (another conversation read in
//! the details panel's history, in the app and in the embedded panel).

use super::ChatState;
use crate::auth::use_auth;
use convoroom_api::{self as api, Message};
use leptos::prelude::*;

#[component]
pub fn DeliveryFailed(message: Message) -> impl IntoView {
    let client = use_auth().client();
    // In the chat the retried message goes back into its log, the one place its tick is
    // kept; elsewhere (a read-only copy of another conversation) this bubble says what happened.
    let chat = use_context::<ChatState>().filter(|c| c.id() == message.conversation_id);
    let requeued = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let id = message.id.clone();
    let retry = Action::new_local(move |_: &()| {
        let client = client.clone();
        let id = id.clone();
        async move { client.retry_delivery(&id).await }
    });
    Effect::new(move |_| match retry.value().get() {
        Some(Ok(message)) => {
            error.set(None);
            match chat {
                Some(chat) => chat.receive(message),
                None => requeued.set(true),
            }
        }
        Some(Err(err)) => error.set(Some(format!("Couldn't retry the delivery. {err}"))),
        None => {}
    });
    let reason = message
        .delivery_error
        .clone()
        .unwrap_or_else(|| "The channel did not accept it.".into());

    view! {
        <div class="bubble__failed">
            <Show
                when=move || requeued.get()
                fallback=move || {
                    // The server's reasons may say it already ("Not delivered after 4 attempts…").
                    let text = if reason.to_lowercase().starts_with("not delivered") {
                        reason.clone()
                    } else {
                        format!("Not delivered: {reason}")
                    };
                    view! {
                        <p class="bubble__failed-reason">{text}</p>
                        <button
                            type="button"
                            class="button button--small"
                            disabled=move || retry.pending().get()
                            on:click=move |_| { retry.dispatch(()); }
                        >
                            {move || if retry.pending().get() { "Retrying…" } else { "Retry delivery" }}
                        </button>
                    }
                }
            >
                <p role="status">{format!("Queued again: {}.", api::DeliveryStatus::Pending.label())}</p>
            </Show>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        </div>
    }
}
