use super::outbox::Pending;
use super::send::{discard, send_pending};
use super::use_chat;
use crate::api::ApiClient;
use crate::auth::use_auth;
use crate::ui::icons::icon;
use crate::ui::text::rich_text;
use crate::ui::time;
use crate::workspace::use_workspace;
use convoroom_api::{self as api, Message, MessageKind};
use leptos::prelude::*;

/// An attachment, loaded from where the API says (site paths are on the API's origin).
fn attachment_view(client: &ApiClient, attachment: &api::Attachment) -> AnyView {
    if let Some(upload_id) = attachment.upload_id.clone() {
        return view! {
            <super::attachments::shown::UploadedAttachment attachment=attachment.clone() upload_id/>
        }
        .into_any();
    }
    let name = attachment.name.clone();
    let image = client.media_url(&attachment.url, true);
    let media = client.media_url(&attachment.url, false);
    match (attachment.kind, image, media) {
        (api::AttachmentKind::Image, Some(url), _) => view! {
            <a class="attachment attachment--image" href=url.clone() target="_blank" rel="noopener noreferrer">
                <img src=url.clone() alt=name.clone() loading="lazy"/>
            </a>
        }
        .into_any(),
        (api::AttachmentKind::Audio, _, Some(url)) => view! {
            <figure class="attachment attachment--audio">
                <audio controls preload="none" src=url.clone() aria-label=format!("Audio: {name}")></audio>
                <figcaption>{name.clone()}</figcaption>
            </figure>
        }
        .into_any(),
        (_, _, Some(url)) => view! {
            <a class="attachment attachment--file" href=url.clone() target="_blank" rel="noopener noreferrer" download="">
                {icon("file")}
                <span>{name.clone()}</span>
            </a>
        }
        .into_any(),
        _ => view! { <span class="attachment attachment--file">{icon("file")}<span>{name}" (unavailable)"</span></span> }.into_any(),
    }
}

fn call_view(client: &ApiClient, call: &api::CallEvent) -> AnyView {
    let duration = format!(
        "{}:{:02}",
        call.duration_seconds / 60,
        call.duration_seconds % 60
    );
    let recording = call
        .recording_url
        .as_deref()
        .and_then(|u| client.media_url(u, false));
    view! {
        <div class="call">
            {icon("voice")}
            <span>{format!("Call · {} · {duration}", call.outcome.label())}</span>
            {recording.map(|url| view! {
                <audio class="call__recording" controls preload="none" src=url aria-label="Call recording"></audio>
            })}
        </div>
    }
    .into_any()
}

#[component]
pub fn MessageBubble(message: Message) -> impl IntoView {
    let workspace = use_workspace();
    let client = use_auth().client();
    let author = message
        .author_id
        .as_deref()
        .and_then(|id| workspace.agent_name(id));
    let ms = time::parse_rfc3339(&message.created_at).unwrap_or(0);
    let clock = time::clock(ms);

    if message.kind == MessageKind::System {
        return view! {
            <div class="system-event" role="note">
                <span>{message.body.clone()}</span>
                " · "
                <time datetime=message.created_at.clone()>{clock}</time>
            </div>
        }
        .into_any();
    }

    let side = match message.kind {
        MessageKind::Inbound => "bubble--inbound",
        MessageKind::Note => "bubble--note",
        _ => "bubble--outbound",
    };
    let who = match message.kind {
        MessageKind::Inbound => None,
        MessageKind::Note => Some(format!(
            "Internal note · {}",
            author.unwrap_or_else(|| "Agent".into())
        )),
        _ => author,
    };
    // The find bar's matches: every bubble marks the text, the current one is outlined.
    // Only the chat's log names its bubbles: the details panel's history may show the same
    // message, and the find bar scrolls to the log's.
    let in_chat = use_context::<super::ChatState>().map(|chat| chat.found);
    let anchor = in_chat.map(|_| format!("message-{}", message.id));
    let found = in_chat.unwrap_or_else(|| RwSignal::new(None));
    let id = message.id.clone();
    let delivery = message
        .delivery
        .filter(|_| message.kind == MessageKind::Outbound);
    let failed = (delivery == Some(api::DeliveryStatus::Failed))
        .then(|| view! { <super::delivery::DeliveryFailed message=message.clone()/> });
    view! {
        <article
            class=format!("bubble {side}")
            class:bubble--found=move || found.with(|f| f.as_ref().is_some_and(|f| f.current_id() == Some(id.as_str())))
            id=anchor
            aria-label=message.kind.label()
        >
            {who.map(|who| view! { <p class="bubble__author">{who}</p> })}
            {(!message.body.is_empty()).then(|| {
                let body = message.body.clone();
                let is_note = message.kind == MessageKind::Note;
                view! {
                    <p class="bubble__text">
                        {move || match found.with(|f| f.as_ref().map(|f| f.query.clone()).filter(|q| !q.trim().is_empty())) {
                            Some(query) => marked_text(&body, &query).into_any(),
                            None if is_note => {
                                workspace.with(|w| crate::ui::text::note_text(&body, &w.agents)).into_any()
                            }
                            None => rich_text(&body).into_any(),
                        }}
                    </p>
                }
            })}
            {message.attachments.iter().map(|a| attachment_view(&client, a)).collect_view()}
            {message.call.as_ref().map(|call| call_view(&client, call))}
            <p class="bubble__meta">
                <time datetime=message.created_at.clone()>{clock}</time>
                {message.edited_at.clone().map(|at| {
                    let when = time::clock(time::parse_rfc3339(&at).unwrap_or(0));
                    view! { <span class="bubble__edited" title=format!("Edited at {when}")>" · edited"</span> }
                })}
                {delivery.map(|d| view! {
                    <span class=format!("delivery delivery--{}", d.as_str()) title=d.label()>
                        {match d {
                            api::DeliveryStatus::Delivered | api::DeliveryStatus::Read => icon("check-double"),
                            api::DeliveryStatus::Failed => icon("alert"),
                            api::DeliveryStatus::Sent => icon("check"),
                            api::DeliveryStatus::Pending => icon("clock"),
                        }}
                        // Sending is the one status spelled out: it says the reply is not out yet.
                        <span class:sr-only=d != api::DeliveryStatus::Pending>{d.label()}</span>
                    </span>
                })}
            </p>
            {failed}
        </article>
    }
    .into_any()
}

/// The text with the find bar's matches in `<mark>` (links shown as text while finding).
fn marked_text(body: &str, query: &str) -> impl IntoView + use<> {
    super::find::mark_runs(body, query)
        .into_iter()
        .map(|(run, is_match)| {
            let run = run.to_string();
            if is_match {
                view! { <mark>{run}</mark> }.into_any()
            } else {
                run.into_any()
            }
        })
        .collect_view()
}

/// A send the server has not confirmed: in flight, or failed with Retry and Discard.
#[component]
pub fn PendingBubble(pending: Pending) -> impl IntoView {
    let chat = use_chat();
    let note = pending.mode == api::ComposeMode::Note;
    let retry_id = pending.client_id.clone();
    let discard_id = pending.client_id.clone();
    view! {
        <article
            class="bubble bubble--pending"
            class:bubble--note=note
            class:bubble--outbound=!note
            class:bubble--failed=pending.failed.is_some()
            aria-label=if note { "Internal note, not sent yet" } else { "Reply, not sent yet" }
        >
            {note.then(|| view! { <p class="bubble__author">"Internal note"</p> })}
            {(!pending.body.is_empty()).then(|| view! { <p class="bubble__text">{rich_text(&pending.body)}</p> })}
            {(!pending.attachments.is_empty()).then(|| view! {
                <ul class="bubble__files" aria-label="Files">
                    {pending.attachments.iter().map(|file| view! {
                        <li>{icon("file")}<span>{file.name.clone()}</span>
                            <span class="attachment__size">{convoroom_api::upload::format_size(file.size_bytes)}</span>
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {match pending.failed.clone() {
                None => view! { <p class="bubble__meta">{icon("clock")}" Sending…"</p> }.into_any(),
                Some(reason) => view! {
                    <div class="bubble__failed" role="alert">
                        <p>{format!("Not sent. {reason}")}</p>
                        <button type="button" class="button button--small" on:click=move |_| send_pending(chat, retry_id.clone())>
                            "Retry"
                        </button>
                        <button type="button" class="button button--small button--ghost" on:click=move |_| discard(chat, &discard_id)>
                            "Discard"
                        </button>
                    </div>
                }
                .into_any(),
            }}
        </article>
    }
}
