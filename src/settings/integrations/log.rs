//! An integration's delivery log: every POST to its webhook, newest first, a page at a time.

use super::card::{answer_of, excerpt_beyond_error, when_to_the_second};
use super::state::AttemptLog;
use crate::auth::use_auth;
use crate::nav::A;
use crate::ui::ErrorNotice;
use convoroom_api::{AttemptOutcome, DeliveryAttempt};
use leptos::prelude::*;

#[component]
pub fn DeliveryLog(
    id: String,
    /// Bumped when the log has news (a test event was sent): the newest page is read again.
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let auth = use_auth();
    let id = StoredValue::new(id);
    let log = RwSignal::new(AttemptLog::default());
    let more_error = RwSignal::new(None::<String>);
    let newest = LocalResource::new(move || {
        refresh.track();
        let client = auth.client();
        async move { client.delivery_attempts(&id.get_value(), None).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(page)) = newest.get() {
            log.set(AttemptLog::first_page(page));
        }
    });
    let load_more = Action::new_local(move |cursor: &String| {
        let client = auth.client();
        let cursor = cursor.clone();
        async move {
            client
                .delivery_attempts(&id.get_value(), Some(&cursor))
                .await
        }
    });
    Effect::new(move |_| match load_more.value().get() {
        Some(Ok(page)) => {
            more_error.set(None);
            log.update(|log| log.append(page));
        }
        Some(Err(err)) => more_error.set(Some(format!("Couldn't load older deliveries. {err}"))),
        None => {}
    });
    let items = move || log.with(|l| l.items.clone());

    view! {
        <section class="delivery-log" aria-label="Delivery log">
            <div class="delivery-log__head">
                <h4>"Delivery log"</h4>
                <button type="button" class="button button--small button--ghost" on:click=move |_| newest.refetch()>"Refresh"</button>
            </div>
            <Transition fallback=|| view! { <p class="muted" role="status">"Loading deliveries…"</p> }>
                {move || Suspend::new(async move {
                    match newest.await {
                        Err(error) => Some(view! { <ErrorNotice what="load the delivery log" error retry=move || newest.refetch()/> }),
                        Ok(_) => None,
                    }
                })}
            </Transition>
            <Show when=move || log.with(|l| l.loaded && l.items.is_empty())>
                <p class="muted">"No deliveries yet. Send a test event to try the webhook."</p>
            </Show>
            <ol class="delivery-log__list">
                <For each=items key=|a| a.id.clone() let:attempt>
                    <AttemptRow attempt/>
                </For>
            </ol>
            {move || more_error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            <Show when=move || log.with(|l| l.next_cursor.is_some())>
                <button type="button" class="button button--small" disabled=move || load_more.pending().get()
                    on:click=move |_| {
                        if let Some(cursor) = log.with_untracked(|l| l.next_cursor.clone()) {
                            load_more.dispatch(cursor);
                        }
                    }>
                    {move || if load_more.pending().get() { "Loading…" } else { "Load more" }}
                </button>
            </Show>
        </section>
    }
}

#[component]
fn AttemptRow(attempt: DeliveryAttempt) -> impl IntoView {
    let outcome_class = match attempt.outcome {
        AttemptOutcome::Delivered => "chip chip--status-open",
        AttemptOutcome::Retrying => "chip chip--status-pending",
        AttemptOutcome::Failed => "chip chip--danger",
    };
    let link = attempt.conversation_id.clone().map(|conversation| {
        let text = match &attempt.message_id {
            Some(message) => format!("Reply {message} in conversation #{conversation}"),
            None => format!("Conversation #{conversation}"),
        };
        view! { <A href=format!("/conversations/{conversation}")>{text}</A> }
    });
    view! {
        <li class="delivery-log__item">
            <time datetime=attempt.at.clone()>{when_to_the_second(&attempt.at)}</time>
            <span>{attempt.event.label()}</span>
            {link}
            <span>{format!("Attempt {}", attempt.attempt)}</span>
            <span class=outcome_class>{attempt.outcome.label()}</span>
            <span>{format!("{} · {} ms", answer_of(&attempt), attempt.duration_ms)}</span>
            {attempt.error.clone().map(|e| view! { <span class="delivery-log__error">{e}</span> })}
            {excerpt_beyond_error(&attempt).map(|e| view! { <q class="excerpt">{e}</q> })}
        </li>
    }
}
