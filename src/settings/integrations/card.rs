//! One integration in the list: what it delivers and where, how deliveries are going, and what
//! an admin can do with it (edit, pause, test, rotate its secret, delete, read its log).

use super::form::EditIntegration;
use super::log::DeliveryLog;
use super::secrets::SecretsOnce;
use super::use_page;
use crate::auth::use_auth;
use crate::ui::time;
use convoroom_api::{AttemptOutcome, DeliveryAttempt, Integration, UpdateIntegration};
use leptos::prelude::*;

/// The card's writes other than editing, one at a time.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Write {
    Pause(bool),
    Rotate,
    Delete,
}

/// An action waiting for "are you sure".
#[derive(Clone, Copy, Debug, PartialEq)]
enum Confirm {
    Rotate,
    Delete,
}

/// "3 Dec 14:05": when something happened, to the minute.
pub fn when(at: &str) -> String {
    time::parse_rfc3339(at)
        .map(|ms| {
            format!(
                "{} {}",
                time::short_date(ms, time::now_ms()),
                time::clock(ms)
            )
        })
        .unwrap_or_else(|| at.to_string())
}

/// "Dec 3 14:05:09": retries come seconds apart, so the log tells them apart.
pub fn when_to_the_second(at: &str) -> String {
    time::parse_rfc3339(at)
        .map(|ms| {
            let seconds = ms.div_euclid(1000).rem_euclid(60);
            format!("{}:{seconds:02}", when(at))
        })
        .unwrap_or_else(|| at.to_string())
}

/// The start of the receiver's answer, unless the error already quotes it.
pub fn excerpt_beyond_error(attempt: &DeliveryAttempt) -> Option<String> {
    let excerpt = attempt.response_excerpt.clone()?;
    let quoted = attempt
        .error
        .as_deref()
        .is_some_and(|e| e.contains(excerpt.trim()));
    (!quoted && !excerpt.trim().is_empty()).then_some(excerpt)
}

/// "HTTP 500" or "no answer", for an attempt.
pub fn answer_of(attempt: &DeliveryAttempt) -> String {
    attempt
        .http_status
        .map_or_else(|| "no answer".to_string(), |s| format!("HTTP {s}"))
}

#[component]
pub fn IntegrationCard(id: String) -> impl IntoView {
    let page = use_page();
    let auth = use_auth();
    let id = StoredValue::new(id);
    let integration = Memo::new(move |_| {
        page.list
            .with(|l| l.iter().find(|i| i.id == id.get_value()).cloned())
    });
    let name = move || integration.with(|i| i.as_ref().map(|i| i.name.clone()).unwrap_or_default());
    let editing = RwSignal::new(false);
    let confirming = RwSignal::new(None::<Confirm>);
    let error = RwSignal::new(None::<String>);
    let show_log = RwSignal::new(false);
    let log_refresh = RwSignal::new(0u32);

    let write = Action::new_local(move |write: &Write| {
        let client = auth.client();
        let write = *write;
        let current = integration.get_untracked();
        async move {
            let Some(i) = current else {
                return Err("It was removed meanwhile.".to_string());
            };
            let (what, done) = match write {
                Write::Pause(paused) => {
                    let change = UpdateIntegration {
                        paused: Some(paused),
                        ..Default::default()
                    };
                    let what = if paused { "pause" } else { "resume" };
                    (
                        what,
                        client
                            .update_integration(&i.id, i.version, &change)
                            .await
                            .map(Some),
                    )
                }
                Write::Rotate => (
                    "rotate the secret of",
                    client.rotate_integration_secret(&i.id).await.map(Some),
                ),
                Write::Delete => (
                    "delete",
                    client.delete_integration(&i.id).await.map(|()| None),
                ),
            };
            done.map_err(|err| format!("Couldn't {what} “{}”. {err}", i.name))
        }
    });
    Effect::new(move |_| match write.value().get() {
        Some(Ok(Some(updated))) => {
            error.set(None);
            page.keep(updated);
        }
        Some(Ok(None)) => page.remove(&id.get_value()),
        Some(Err(message)) => {
            error.set(Some(message));
            // What failed may have met another admin's change: show the list as it is now.
            page.reload.run(());
        }
        None => {}
    });
    let run = move |w: Write| {
        confirming.set(None);
        write.dispatch(w);
    };

    let test = Action::new_local(move |_: &()| {
        let client = auth.client();
        let id = id.get_value();
        async move { client.test_integration(&id).await }
    });
    Effect::new(move |_| {
        if test.value().with(Option::is_some) {
            // The attempt is in the log now, and the health may have moved.
            log_refresh.update(|n| *n += 1);
            page.reload.run(());
        }
    });

    let busy = move || write.pending().get();
    let paused = move || integration.with(|i| i.as_ref().is_some_and(|i| i.paused));
    let title_id = format!("integration-{}", id.get_value());
    let labelled_by = title_id.clone();

    view! {
        <li class="integration-card">
            <article aria-labelledby=labelled_by>
                <header class="integration-card__head">
                    <h3 id=title_id>{name}</h3>
                    <Show when=paused>
                        <span class="chip chip--paused">"Paused"</span>
                    </Show>
                </header>
                // A new integration's token and secret, or a rotated secret: here, once.
                <Show when=move || page.revealed.with(|r| r.as_ref().is_some_and(|r| r.integration_id == id.get_value()))>
                    <SecretsOnce revealed=page.revealed/>
                </Show>
                {move || integration.get().map(|i| summary(&i))}
                <div class="integration-card__actions">
                    <button type="button" class="button button--small" aria-expanded=move || editing.get().to_string()
                        on:click=move |_| editing.update(|e| *e = !*e)>
                        "Edit"
                    </button>
                    <button type="button" class="button button--small" disabled=busy
                        on:click=move |_| run(Write::Pause(!paused()))>
                        {move || if paused() { "Resume" } else { "Pause" }}
                    </button>
                    <button type="button" class="button button--small" disabled=move || test.pending().get()
                        on:click=move |_| { test.dispatch(()); }>
                        {move || if test.pending().get() { "Sending test event…" } else { "Send test event" }}
                    </button>
                    <button type="button" class="button button--small" disabled=busy
                        on:click=move |_| confirming.set(Some(Confirm::Rotate))>
                        "Rotate secret"
                    </button>
                    <button type="button" class="button button--small button--danger" disabled=busy
                        on:click=move |_| confirming.set(Some(Confirm::Delete))>
                        "Delete"
                    </button>
                    <button type="button" class="button button--small button--ghost" aria-expanded=move || show_log.get().to_string()
                        on:click=move |_| show_log.update(|s| *s = !*s)>
                        "Delivery log"
                    </button>
                </div>
                {move || confirming.get().map(|confirm| {
                    let name = name();
                    let queued = integration.with(|i| i.as_ref().map_or(0, |i| i.health.queued));
                    let (text, go, write) = match confirm {
                        Confirm::Rotate => (
                            format!("Rotate the signing secret of “{name}”? From now on webhooks are signed with a new secret, shown once: the integration must switch to it, or it will refuse them."),
                            "Rotate secret now",
                            Write::Rotate,
                        ),
                        Confirm::Delete => (
                            format!("Delete “{name}”? Its channels' replies will reach no one until another integration delivers them. {}", queued_fate(queued)),
                            "Delete integration",
                            Write::Delete,
                        ),
                    };
                    view! {
                        <div class="integration-card__confirm" role="group" aria-label=format!("Confirm: {go}")>
                            <p>{text}</p>
                            <button type="button" class="button button--small button--danger" on:click=move |_| run(write)>{go}</button>
                            <button type="button" class="button button--small" on:click=move |_| confirming.set(None)>"Cancel"</button>
                        </div>
                    }
                })}
                {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                <Show when=move || editing.get()>
                    {move || integration.get_untracked().map(|i| view! {
                        <EditIntegration integration=i on_done=Callback::new(move |()| editing.set(false))/>
                    })}
                </Show>
                <div class="integration-card__test" role="status" aria-label="Test event result">
                    {move || test.value().get().map(|result| match result {
                        Ok(attempt) => test_result(&attempt),
                        Err(err) => view! { <p class="form-error">{format!("Couldn't send the test event. {err}")}</p> }.into_any(),
                    })}
                </div>
                <Show when=move || show_log.get()>
                    <DeliveryLog id=id.get_value() refresh=log_refresh/>
                </Show>
            </article>
        </li>
    }
}

/// What deleting does to replies still waiting.
fn queued_fate(queued: u32) -> String {
    match queued {
        0 => "No replies are waiting for it.".into(),
        1 => "The 1 reply waiting for it becomes Failed (“Its integration was removed”); agents can retry it once another integration delivers its channel.".into(),
        n => format!("The {n} replies waiting for it become Failed (“Its integration was removed”); agents can retry them once another integration delivers their channel."),
    }
}

/// Channels, webhook and health.
fn summary(i: &Integration) -> impl IntoView + use<> {
    let health = i.health.clone();
    let last_failure = health.last_failure.clone().map(|f| {
        let mut parts = vec![when(&f.at), answer_of(&f)];
        if let Some(error) = f.error.clone() {
            parts.push(error);
        }
        view! {
            <div class="integration-health__failure">
                <dt>"Last failure"</dt>
                <dd>
                    {parts.join(" · ")}
                    {excerpt_beyond_error(&f).map(|excerpt| view! { " " <q class="excerpt">{excerpt}</q> })}
                </dd>
            </div>
        }
    });
    let failing = health.failures_last_hour > 0;
    view! {
        <p class="integration-card__channels">
            <span class="sr-only">"Delivers "</span>
            {i.channels.iter().map(|c| view! { <span class="chip chip--stage">{c.label()}</span> }).collect_view()}
        </p>
        <p class="integration-card__url"><span class="muted">"Webhook: "</span><span class="url">{i.webhook_url.clone()}</span></p>
        <dl class="integration-health">
            <div>
                <dt>"Last delivered"</dt>
                <dd>{health.last_delivered_at.as_deref().map_or_else(|| "Never".to_string(), when)}</dd>
            </div>
            <div class:integration-health--bad=failing>
                <dt>"Failures in the last hour"</dt>
                <dd>{health.failures_last_hour}</dd>
            </div>
            <div>
                <dt>"Queued"</dt>
                <dd>{health.queued}</dd>
            </div>
            {last_failure}
        </dl>
    }
}

/// The receiver's answer to "Send test event".
fn test_result(attempt: &DeliveryAttempt) -> AnyView {
    let ok = attempt.outcome == AttemptOutcome::Delivered;
    let headline = if ok {
        format!(
            "Test event delivered: {} in {} ms",
            answer_of(attempt),
            attempt.duration_ms
        )
    } else {
        let why = attempt.error.clone().unwrap_or_else(|| answer_of(attempt));
        format!(
            "Test event not delivered: {why} ({} ms)",
            attempt.duration_ms
        )
    };
    view! {
        <div class="integration-test" class:integration-test--failed=!ok>
            <p><strong>{headline}</strong>" · "<time datetime=attempt.at.clone()>{when(&attempt.at)}</time></p>
            {attempt.response_excerpt.clone().map(|excerpt| view! {
                <p>"Its answer: "<q class="excerpt">{excerpt}</q></p>
            })}
        </div>
    }
    .into_any()
}
