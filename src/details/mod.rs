//! The right-hand pane: who the customer is and what this conversation is about. Used by the
//! app beside the chat and, alone, by the embedded panel (`crate::embed`).
//!
//! This file lays out the two tabs and lists the Conversation tab's sections (the Contact tab's
//! are in `contact.rs`); each section is a file of its own; `section.rs` folds and orders
//! them; `edit.rs` applies optimistic changes; `events.rs` names each change (and tells an
//! embedding host about it). A new section is a new file plus its line in a `panel_sections!`
//! list, which the compiler then makes you render.

mod access;
mod ai_summary;
pub mod attribute_conflict;
pub mod attributes;
pub mod contact;
mod contact_actions;
mod edit;
pub mod events;
mod facts;
mod history;
mod labels;
mod notes;
mod ownership;
pub mod section;
pub mod sessions;
mod tickets;

use crate::layout::use_details_visible;
use crate::workspace::use_workspace;
use attributes::AttributeSection;
use convoroom_api::{self as api, AttributeTarget, Conversation};
use leptos::prelude::*;
use section::{SectionPrefs, panel_sections};
use serde::{Deserialize, Serialize};

panel_sections!(
    /// The sections of the Conversation tab, in their default order.
    ConversationSection {
        HandledBy = "handled-by" => "Handled by",
        Labels = "labels" => "Labels",
        Notes = "notes" => "Notes",
        AiSummary = "ai-summary" => "AI summary",
        ConversationAttributes = "conversation-attributes" => "Conversation attributes",
        SessionHistory = "session-history" => "Session history",
        TicketHistory = "ticket-history" => "Ticket history",
        ConversationDetails = "conversation-details" => "Conversation details",
        SessionInformation = "session-information" => "Session information",
        Access = "access" => "Conversation access",
        AiAccess = "ai-access" => "AI access",
    }
);

#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
enum Tab {
    Contact,
    Conversation,
}

#[component]
pub fn DetailsPanel(conversation: RwSignal<Conversation>) -> impl IntoView {
    let workspace = use_workspace();
    let editor = edit::Editor::new(conversation);
    contact_actions::UnlinkedFrom::provide();
    let me = workspace.me();
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
    let close_panel = use_details_visible();
    let conversation_attribute_definitions =
        attributes::definitions_for(workspace, AttributeTarget::Conversation);
    attributes::follow_value_rewrites(AttributeTarget::Conversation, move |change| {
        conversation.maybe_update(|c| change.apply(&mut c.attributes));
    });
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
                {move || prefs.order::<ConversationSection>().into_iter().map(|section| match section {
                    ConversationSection::HandledBy => view! { <ownership::Ownership editor/> }.into_any(),
                    ConversationSection::Labels => view! { <labels::Labels editor/> }.into_any(),
                    ConversationSection::Notes => view! { <notes::Notes conversation/> }.into_any(),
                    ConversationSection::AiSummary => view! { <ai_summary::AiSummary editor/> }.into_any(),
                    ConversationSection::ConversationAttributes => view! {
                        <AttributeSection
                            section
                            definitions=conversation_attribute_definitions
                            values=Signal::derive(move || conversation.with(|c| c.attributes.clone()))
                            save=save_attribute
                            conflict=attribute_conflict
                        />
                    }.into_any(),
                    ConversationSection::SessionHistory => view! { <sessions::SessionHistory editor/> }.into_any(),
                    ConversationSection::TicketHistory => view! { <tickets::TicketHistory editor/> }.into_any(),
                    ConversationSection::ConversationDetails => view! { <facts::ConversationFacts editor/> }.into_any(),
                    ConversationSection::SessionInformation => view! { <facts::SessionInformation conversation/> }.into_any(),
                    ConversationSection::Access => view! { <access::ConversationAccess editor/> }.into_any(),
                    ConversationSection::AiAccess => view! { <access::AiAccess editor/> }.into_any(),
                }).collect_view()}
            </div>
        </aside>
    }
}
