//! Conversation access (block or mark as spam, with undo) and the AI access switch, plus
//! the AI summary they govern.

use super::edit::Editor;
use super::section::Section;
use crate::shell::use_workspace;
use crate::ui::time;
use convoroom_api as api;
use leptos::prelude::*;

fn patch(
    editor: Editor,
    what: &'static str,
    change: api::UpdateConversation,
    optimistic: impl FnOnce(&mut api::Conversation) + 'static,
) {
    let version = editor.current.with_untracked(|c| c.version);
    editor.apply(what, optimistic, move |client, id| async move {
        client.update_conversation(&id, version, &change).await
    });
}

fn who_when(
    workspace: RwSignal<api::Workspace>,
    by: Option<String>,
    at: Option<String>,
) -> Option<String> {
    let at = at.and_then(|t| time::parse_rfc3339(&t))?;
    let name = by
        .and_then(|id| {
            workspace
                .with_untracked(|w| w.agents.iter().find(|a| a.id == id).map(|a| a.name.clone()))
        })
        .unwrap_or_else(|| "the system".into());
    Some(format!(
        "Changed by {name}, {} {}",
        time::short_date(at, time::now_ms()),
        time::clock(at)
    ))
}

#[component]
pub fn ConversationAccess(editor: Editor) -> impl IntoView {
    let workspace = use_workspace();
    let conversation = editor.current;
    let confirming = RwSignal::new(None::<&'static str>);
    let blocked = move || conversation.with(|c| c.access.blocked);
    let spam = move || conversation.with(|c| c.access.spam);
    let set_blocked = move |value: bool| {
        confirming.set(None);
        patch(
            editor,
            if value {
                "block the contact"
            } else {
                "unblock the contact"
            },
            api::UpdateConversation {
                blocked: Some(value),
                ..Default::default()
            },
            move |c| {
                c.access.blocked = value;
                c.contact.blocked = value;
            },
        );
    };
    let set_spam = move |value: bool| {
        confirming.set(None);
        patch(
            editor,
            if value {
                "mark it as spam"
            } else {
                "unmark spam"
            },
            api::UpdateConversation {
                spam: Some(value),
                ..Default::default()
            },
            move |c| c.access.spam = value,
        );
    };
    view! {
        <Section id="access" title="Conversation access">
            <Show when=move || blocked() || spam()>
                <p class="access-flag" role="status">
                    {move || match (blocked(), spam()) {
                        (true, true) => "Blocked and marked as spam: replies are off.",
                        (true, false) => "Blocked: this contact's messages are dropped and replies are off.",
                        _ => "Marked as spam: replies are off.",
                    }}
                </p>
                <p class="muted">{move || conversation.with(|c| who_when(workspace, c.access.blocked_changed_by.clone(), c.access.blocked_changed_at.clone()))}</p>
            </Show>
            {move || match confirming.get() {
                Some(action) => view! {
                    <div class="confirm" role="alertdialog" aria-labelledby="confirm-access">
                        <p id="confirm-access">{match action {
                            "block" => "Block this contact? Their messages will be dropped and you can't reply until you unblock them.",
                            _ => "Mark this conversation as spam? Replies will be turned off.",
                        }}</p>
                        <button type="button" class="button button--small button--danger" on:click=move |_| if action == "block" { set_blocked(true) } else { set_spam(true) }>
                            {if action == "block" { "Yes, block" } else { "Yes, mark as spam" }}
                        </button>
                        <button type="button" class="button button--small" on:click=move |_| confirming.set(None)>"Cancel"</button>
                    </div>
                }.into_any(),
                None => view! {
                    <div class="inline-controls">
                        {move || if blocked() {
                            view! { <button type="button" class="button button--small" on:click=move |_| set_blocked(false)>"Unblock contact"</button> }.into_any()
                        } else {
                            view! { <button type="button" class="button button--small" on:click=move |_| confirming.set(Some("block"))>"Block contact"</button> }.into_any()
                        }}
                        {move || if spam() {
                            view! { <button type="button" class="button button--small" on:click=move |_| set_spam(false)>"Not spam"</button> }.into_any()
                        } else {
                            view! { <button type="button" class="button button--small" on:click=move |_| confirming.set(Some("spam"))>"Mark as spam"</button> }.into_any()
                        }}
                    </div>
                }.into_any(),
            }}
        </Section>
    }
}

#[component]
pub fn AiAccess(editor: Editor) -> impl IntoView {
    let workspace = use_workspace();
    let conversation = editor.current;
    let enabled = move || conversation.with(|c| c.access.ai_enabled);
    let toggle = move || {
        let value = !enabled();
        patch(
            editor,
            "change AI access",
            api::UpdateConversation {
                ai_enabled: Some(value),
                ..Default::default()
            },
            move |c| c.access.ai_enabled = value,
        );
    };
    view! {
        <Section id="ai-access" title="AI access">
            <button
                type="button"
                role="switch"
                class="switch"
                aria-checked=move || enabled().to_string()
                on:click=move |_| toggle()
            >
                <span class="switch__track" aria-hidden="true"><span class="switch__thumb"></span></span>
                "AI automation for this conversation"
            </button>
            <p class="muted">{move || conversation.with(|c| who_when(workspace, c.access.ai_changed_by.clone(), c.access.ai_changed_at.clone()))}</p>
        </Section>
    }
}

#[component]
pub fn AiSummary(editor: Editor) -> impl IntoView {
    let conversation = editor.current;
    let review = move || conversation.with(|c| c.ai_review.clone());
    let enabled = move || conversation.with(|c| c.access.ai_enabled);
    let error = RwSignal::new(None::<String>);
    let auth = crate::auth::use_auth();
    let regenerate = Action::new_local(move |_: &()| {
        let client = auth.client();
        let id = editor.id();
        async move { client.regenerate_ai_review(&id).await }
    });
    Effect::new(move |_| match regenerate.value().get() {
        Some(Ok(review)) => {
            error.set(None);
            conversation.update(|c| c.ai_review = Some(review));
        }
        Some(Err(err)) => error.set(Some(format!("Couldn't regenerate the summary. {err}"))),
        None => {}
    });
    if let Some(live) = use_context::<crate::live::LiveHub>() {
        let id = editor.id();
        live.subscribe(move |event| {
            if let api::EventPayload::AiReviewed {
                conversation_id,
                review,
            } = &event.payload
                && *conversation_id == id
            {
                conversation.update(|c| c.ai_review = Some(review.clone()));
            }
        });
    }
    view! {
        <Section id="ai-summary" title="AI summary">
            {move || if !enabled() {
                view! { <p class="muted">"AI access is off for this conversation, so no summary is made. Turn it on under AI access."</p> }.into_any()
            } else {
                match review() {
                    Some(r) => {
                        let ms = time::parse_rfc3339(&r.reviewed_at).unwrap_or(0);
                        let band = match r.quality_score { 80..=100 => "good", 50..=79 => "fair", _ => "poor" };
                        view! {
                            <p class="ai-summary">{r.summary.clone()}</p>
                            <div class="score">
                                <meter min="0" max="100" low="50" high="80" optimum="100" value=r.quality_score.to_string() aria-label="Quality score"></meter>
                                <span class=format!("score__value score__value--{band}")>{format!("Quality {} / 100", r.quality_score)}</span>
                            </div>
                            <p class="muted">{format!("Reviewed {} {}", time::short_date(ms, time::now_ms()), time::clock(ms))}</p>
                        }.into_any()
                    }
                    None => view! { <p class="muted">"Not reviewed yet. Reviews run about 10 minutes after the last message."</p> }.into_any(),
                }
            }}
            <Show when=move || error.get().is_some()>
                <p class="inline-error" role="alert">{move || error.get()}</p>
            </Show>
            <button
                type="button"
                class="button button--small"
                disabled=move || !enabled() || regenerate.pending().get()
                on:click=move |_| { regenerate.dispatch(()); }
            >
                {move || if regenerate.pending().get() { "Regenerating…" } else { "Regenerate" }}
            </button>
        </Section>
    }
}
