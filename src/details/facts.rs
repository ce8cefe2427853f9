//! The conversation's details (its priority, which the agent sets here, read-only facts and
//! the ownership timeline) and where the customer wrote from.

use super::ConversationSection;
use super::edit::Editor;
use super::events::Change;
use super::section::Section;
use super::sessions;
use crate::ui::time;
use crate::workspace::use_workspace;
use convoroom_api::{self as api, Conversation};
use leptos::prelude::*;

#[component]
pub fn SessionInformation(conversation: RwSignal<Conversation>) -> impl IntoView {
    view! {
        <Section section=ConversationSection::SessionInformation>
            {move || {
                let info = conversation.with(|c| c.session_info.clone());
                let rows: Vec<(&str, Option<String>)> = vec![
                    ("Country", info.country),
                    ("City", info.city),
                    ("Region", info.region),
                    ("Device", info.device),
                    ("OS", info.os),
                    ("Browser", info.browser),
                ];
                view! { <Facts rows/> }
            }}
        </Section>
    }
}

fn when(t: Option<String>) -> Option<String> {
    t.and_then(|t| {
        time::parse_rfc3339(&t).map(|ms| {
            format!(
                "{} {}",
                time::short_date(ms, time::now_ms()),
                time::clock(ms)
            )
        })
    })
}

#[component]
pub fn ConversationFacts(editor: Editor) -> impl IntoView {
    let workspace = use_workspace();
    let conversation = editor.current;
    let team_name = move |id: Option<String>| id.and_then(|id| workspace.team_name(&id));
    view! {
        <Section section=ConversationSection::ConversationDetails>
            <PriorityControl editor/>
            {move || {
                let c = conversation.get();
                let rows: Vec<(&str, Option<String>)> = vec![
                    ("Channel", Some(c.channel.label().to_string())),
                    ("Business number", c.business_address.clone()),
                    ("Team", team_name(c.team_id.clone())),
                    ("Created", when(Some(c.lifecycle.created_at.clone()))),
                    ("First response", when(c.lifecycle.first_response_at.clone())),
                    ("Waiting since", when(c.lifecycle.waiting_since.clone())),
                    ("Resolved", when(c.lifecycle.resolved_at.clone())),
                    ("Direction", Some(c.direction.label().to_string())),
                    ("Disposition", c.disposition.clone()),
                    ("State", c.state.map(|s| s.label().to_string())),
                    ("Wrap-up note", c.wrap_up_note.clone()),
                    ("CSAT", c.csat.map(|s| format!("{s} / 5"))),
                    ("Ticket ID", c.ticket_id.clone()),
                    ("Hangup source", c.hangup_source.map(|h| h.label().to_string())),
                ];
                view! { <Facts rows/> }
            }}
            <sessions::OwnershipTimeline editor/>
        </Section>
    }
}

/// The conversation's one priority, which `priority::` labels also set (on the server).
#[component]
fn PriorityControl(editor: Editor) -> impl IntoView {
    let conversation = editor.current;
    let change = move |priority: api::Priority| {
        let version = conversation.with_untracked(|c| c.version);
        editor.apply(
            Change::SetPriority,
            move |c| c.priority = priority,
            move |client, id| async move {
                let patch = api::UpdateConversation {
                    priority: Some(priority),
                    ..Default::default()
                };
                client.update_conversation(&id, version, &patch).await
            },
        );
    };
    view! {
        <div class="details-control">
            <label class="field">
                <span class="field__label">"Priority"</span>
                <select
                    prop:value=move || conversation.with(|c| c.priority.as_str())
                    on:change:target=move |ev| {
                        if let Some(priority) = api::Priority::parse(&ev.target().value()) {
                            change(priority);
                        }
                    }
                >
                    {api::Priority::ALL
                        .iter()
                        .rev()
                        .map(|p| view! { <option value=p.as_str()>{p.label()}</option> })
                        .collect_view()}
                </select>
            </label>
        </div>
    }
}

/// Label–value pairs; a missing value reads as a dash.
#[component]
pub fn Facts(rows: Vec<(&'static str, Option<String>)>) -> impl IntoView {
    view! {
        <dl class="facts">
            {rows
                .into_iter()
                .map(|(term, value)| {
                    let missing = value.is_none();
                    view! {
                        <dt>{term}</dt>
                        <dd class:muted=missing>{value.unwrap_or_else(|| "—".into())}</dd>
                    }
                })
                .collect_view()}
        </dl>
    }
}
