//! Conversation access (block or mark as spam, with undo) and the AI access switch.

use super::ConversationSection;
use super::edit::Editor;
use super::events::Change;
use super::section::Section;
use crate::ui::time;
use crate::workspace::{Workspace, use_workspace};
use convoroom_api as api;
use leptos::prelude::*;

fn patch(
    editor: Editor,
    what: Change,
    change: api::UpdateConversation,
    optimistic: impl FnOnce(&mut api::Conversation) + 'static,
) {
    let version = editor.current.with_untracked(|c| c.version);
    editor.apply(what, optimistic, move |client, id| async move {
        client.update_conversation(&id, version, &change).await
    });
}

fn who_when(workspace: Workspace, by: Option<String>, at: Option<String>) -> Option<String> {
    let at = at.and_then(|t| time::parse_rfc3339(&t))?;
    let name = workspace.actor_name(by.as_deref());
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
                Change::Block
            } else {
                Change::Unblock
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
                Change::MarkSpam
            } else {
                Change::UnmarkSpam
            },
            api::UpdateConversation {
                spam: Some(value),
                ..Default::default()
            },
            move |c| c.access.spam = value,
        );
    };
    view! {
        <Section section=ConversationSection::Access>
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
            Change::ChangeAiAccess,
            api::UpdateConversation {
                ai_enabled: Some(value),
                ..Default::default()
            },
            move |c| c.access.ai_enabled = value,
        );
    };
    view! {
        <Section section=ConversationSection::AiAccess>
            <button
                type="button"
                role="switch"
                class="switch"
                aria-checked=move || enabled().to_string()
                aria-describedby="ai-access-effect"
                on:click=move |_| toggle()
            >
                <span class="switch__track" aria-hidden="true"><span class="switch__thumb"></span></span>
                "AI automation for this conversation"
            </button>
            <p class="access-effect" id="ai-access-effect">
                {move || if enabled() {
                    "On: the AI summarises this conversation and scores the reply quality about 10 minutes after the last message."
                } else {
                    "Off: no AI summary or quality score, and the automatic review leaves this conversation out. The list and header show “AI off”."
                }}
            </p>
            <p class="muted">{move || conversation.with(|c| who_when(workspace, c.access.ai_changed_by.clone(), c.access.ai_changed_at.clone()))}</p>
        </Section>
    }
}
