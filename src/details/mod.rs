//! The right-hand pane: who the customer is and what this conversation is about.

mod access;
pub mod attribute_conflict;
pub mod attributes;
pub mod contact;
mod contact_actions;
mod edit;
pub mod events;
mod history;
mod labels;
mod notes;
mod ownership;
pub mod section;
pub mod sessions;

use crate::shell::use_workspace;
use crate::ui::time;
use convoroom_api::{self as api, AttributeTarget, Conversation};
use leptos::prelude::*;
use section::{Section, SectionPrefs};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
enum Tab {
    Contact,
    Conversation,
}

#[component]
pub fn DetailsPanel(conversation: RwSignal<Conversation>) -> impl IntoView {
    let workspace = use_workspace();
    let editor = edit::Editor::new(conversation);
    let me = workspace.with_untracked(|w| w.me.id.clone());
    let prefs = SectionPrefs::provide(&me);
    let tab_key = StoredValue::new(format!("convoroom.details.{me}.tab"));
    let tab = RwSignal::new(
        crate::storage::load::<Tab>(&tab_key.get_value()).unwrap_or(Tab::Conversation),
    );
    let choose = move |chosen: Tab| {
        tab.set(chosen);
        crate::storage::save(&tab_key.get_value(), &chosen);
    };
    // Present in the full app, where the panel can be hidden; absent when embedded.
    let close_panel = use_context::<crate::shell::shortcuts::DetailsVisible>();
    let conversation_attribute_definitions =
        attributes::definitions_for(workspace, AttributeTarget::Conversation);
    let attribute_conflict = RwSignal::new(None);
    let save_attribute = attribute_conflict::attribute_saver(
        editor,
        attribute_conflict,
        |client, id, version, attributes| async move {
            let patch = api::UpdateConversation {
                attributes: Some(attributes),
                ..Default::default()
            };
            client.update_conversation(&id, version, &patch).await
        },
    );
    // Focus moves between the two tabs with the arrow keys (found by reference, not id:
    // embedded, the panel lives in a shadow root).
    let contact_tab = NodeRef::<leptos::html::Button>::new();
    let conversation_tab = NodeRef::<leptos::html::Button>::new();
    let tab_button =
        move |which: Tab, label: &'static str, id: &'static str, panel: &'static str| {
            let selected = move || tab.get() == which;
            let node_ref = if which == Tab::Contact {
                contact_tab
            } else {
                conversation_tab
            };
            view! {
                <button
                    type="button"
                    role="tab"
                    id=id
                    class="tab"
                    node_ref=node_ref
                    aria-selected=move || selected().to_string()
                    aria-controls=panel
                    tabindex=move || if selected() { "0" } else { "-1" }
                    on:click=move |_| choose(which)
                    on:keydown=move |ev| {
                        if matches!(ev.key().as_str(), "ArrowLeft" | "ArrowRight") {
                            ev.prevent_default();
                            let (other, other_ref) = if which == Tab::Contact {
                                (Tab::Conversation, conversation_tab)
                            } else {
                                (Tab::Contact, contact_tab)
                            };
                            choose(other);
                            if let Some(button) = other_ref.get_untracked() {
                                let _ = button.focus();
                            }
                        }
                    }
                >
                    {label}
                </button>
            }
        };

    view! {
        <aside class="details-pane" aria-label="Conversation details" tabindex="0">
            {close_panel.map(|panel| view! {
                <div class="details-pane__close">
                    <button type="button" class="button button--small button--ghost" on:click=move |_| panel.set(false)>
                        "Close details"
                    </button>
                </div>
            })}
            <Show when=move || editor.error.get().is_some()>
                <div class="notice notice--error" role="alert">
                    <p>{move || editor.error.get()}</p>
                    <button type="button" class="button button--small" on:click=move |_| editor.error.set(None)>"Dismiss"</button>
                </div>
            </Show>
            <div class="details-tabs">
                <div class="tabs" role="tablist" aria-label="Details">
                    {tab_button(Tab::Contact, "Contact", "details-tab-contact", "details-panel-contact")}
                    {tab_button(Tab::Conversation, "Conversation", "details-tab-conversation", "details-panel-conversation")}
                </div>
                <button
                    type="button"
                    class="button button--small button--ghost details-arrange"
                    aria-label=move || if prefs.arranging.get() { "Done arranging" } else { "Arrange sections" }
                    on:click=move |_| prefs.arranging.update(|a| *a = !*a)
                >
                    {move || if prefs.arranging.get() { "Done" } else { "Arrange" }}
                </button>
            </div>
            <div id="details-panel-contact" role="tabpanel" aria-labelledby="details-tab-contact" hidden=move || tab.get() != Tab::Contact>
                // Mounted only while shown: the contact and its history load on demand.
                <Show when=move || tab.get() == Tab::Contact>
                    <contact::ContactTab editor/>
                </Show>
            </div>
            <div id="details-panel-conversation" role="tabpanel" aria-labelledby="details-tab-conversation" hidden=move || tab.get() != Tab::Conversation>
                {move || prefs.order(section::CONVERSATION_SECTIONS).into_iter().map(|id| match id {
                    "handled-by" => view! { <ownership::Ownership editor/> }.into_any(),
                    "labels" => view! { <labels::Labels editor/> }.into_any(),
                    "notes" => view! { <notes::Notes conversation/> }.into_any(),
                    "ai-summary" => view! { <access::AiSummary editor/> }.into_any(),
                    "conversation-attributes" => view! {
                        <attributes::AttributeSection
                            id="conversation-attributes"
                            title="Conversation attributes"
                            definitions=conversation_attribute_definitions
                            values=Signal::derive(move || conversation.with(|c| c.attributes.clone()))
                            save=save_attribute
                            conflict=attribute_conflict
                        />
                    }.into_any(),
                    "session-history" => view! { <sessions::SessionHistory editor/> }.into_any(),
                    "conversation-details" => view! { <ConversationFacts editor/> }.into_any(),
                    "session-information" => view! { <SessionInformation conversation/> }.into_any(),
                    "access" => view! { <access::ConversationAccess editor/> }.into_any(),
                    _ => view! { <access::AiAccess editor/> }.into_any(),
                }).collect_view()}
            </div>
        </aside>
    }
}

#[component]
fn SessionInformation(conversation: RwSignal<Conversation>) -> impl IntoView {
    view! {
        <Section id="session-information" title="Session information">
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
fn ConversationFacts(editor: edit::Editor) -> impl IntoView {
    let workspace = use_workspace();
    let conversation = editor.current;
    let team_name = move |id: Option<String>| {
        id.and_then(|id| {
            workspace.with(|w| w.teams.iter().find(|t| t.id == id).map(|t| t.name.clone()))
        })
    };
    view! {
        <Section id="conversation-details" title="Conversation details">
            {move || {
                let c = conversation.get();
                let rows: Vec<(&str, Option<String>)> = vec![
                    ("Channel", Some(c.channel.label().to_string())),
                    ("Team", team_name(c.team_id.clone())),
                    ("Priority", Some(c.priority.label().to_string())),
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

/// Label–value pairs; a missing value reads as a dash.
#[component]
fn Facts(rows: Vec<(&'static str, Option<String>)>) -> impl IntoView {
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

#[component]
pub fn PipelineStage(editor: edit::Editor) -> impl IntoView {
    let workspace = use_workspace();
    let conversation = editor.current;
    let change = move |stage: Option<String>| {
        let version = conversation.with_untracked(|c| c.version);
        let optimistic = stage.clone();
        editor.apply(
            "change the pipeline stage",
            move |c| c.pipeline_stage = optimistic,
            move |client, id| async move {
                let patch = api::UpdateConversation {
                    pipeline_stage: Some(stage),
                    ..Default::default()
                };
                client.update_conversation(&id, version, &patch).await
            },
        );
    };
    view! {
        <div class="details-control">
            <label class="field">
                <span class="field__label">"Pipeline stage"</span>
                <select
                    prop:value=move || conversation.with(|c| c.pipeline_stage.clone()).unwrap_or_default()
                    on:change:target=move |ev| {
                        let value = ev.target().value();
                        change((!value.is_empty()).then_some(value));
                    }
                >
                    <option value="">"No stage"</option>
                    {move || workspace.with(|w| w.pipeline_stages.iter().map(|s| view! {
                        <option value=s.id.clone()>{s.name.clone()}</option>
                    }).collect_view())}
                </select>
            </label>
        </div>
    }
}
