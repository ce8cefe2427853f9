//! The Contact tab: who the customer is (known or not), their fields, labels and attributes,
//! and linking this conversation to another contact or unlinking it.

use super::attributes::AttributeSection;
use super::edit::{ContactEditor, Editor};
use super::events::Change;
use super::section::{Section, panel_sections, use_order};
use crate::auth::use_auth;
use crate::ui::ErrorNotice;
use crate::workspace::use_workspace;
use convoroom_api::{self as api, AttributeTarget, Contact};
use leptos::prelude::*;

panel_sections!(
    /// The sections of the Contact tab, in their default order.
    ContactSection {
        ContactInformation = "contact-information" => "Contact information",
        ContactAttributes = "contact-attributes" => "Contact attributes",
        ConversationHistory = "conversation-history" => "Conversation history",
    }
);

/// A contact supplied by the page around an embedded panel instead of fetched.
#[derive(Clone, Copy)]
pub struct ProvidedContact(pub RwSignal<Option<Contact>>);

#[component]
pub fn ContactTab(editor: Editor) -> impl IntoView {
    let auth = use_auth();
    let conversation = editor.current;
    // Follows the conversation: linking it elsewhere (here or by another agent) reloads.
    let contact_id = Memo::new(move |_| conversation.with(|c| c.contact.id.clone()));
    // An embedding host may hand over the contact it already has (context mode).
    let provided = use_context::<ProvidedContact>();
    let loaded = LocalResource::new(move || {
        let id = contact_id.get();
        let given = provided
            .and_then(|p| p.0.get())
            .filter(|contact| contact.id == id);
        let client = auth.client();
        async move {
            match given {
                Some(contact) => Ok(contact),
                None => client.contact(&id).await,
            }
        }
    });
    view! {
        <Transition fallback=|| view! { <p class="muted details-loading">"Loading the contact…"</p> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(contact) => view! { <ContactSections editor contact/> }.into_any(),
                    Err(error) => view! {
                        <ErrorNotice what="load the contact" error retry=move || loaded.refetch()/>
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ContactSections(editor: Editor, contact: Contact) -> impl IntoView {
    let workspace = use_workspace();
    let conversation = editor.current;
    // A saved contact renames the conversation's header and list row too.
    let renamed = Callback::new(move |saved: Contact| {
        conversation.update(|c| {
            if c.contact.id == saved.id {
                c.contact.name = saved.name.clone();
                c.contact.known = saved.known;
            }
        });
    });
    let contact_editor = ContactEditor::with(RwSignal::new(contact), Some(renamed));
    let contact = contact_editor.current;
    // Another agent's edit of this contact arrives live.
    if let Some(live) = use_context::<crate::live::LiveHub>() {
        live.subscribe(move |event| match &event.payload {
            api::EventPayload::ContactUpdated(updated)
                if contact.with_untracked(|c| c.id == updated.id) =>
            {
                contact.maybe_update(|c| crate::record::keep_newer(c, (**updated).clone()));
            }
            // A label renamed or deleted by an admin (the contact's version stays).
            payload => contact.maybe_update(|c| match payload.relabelled(&c.labels) {
                Some(labels) => {
                    c.labels = labels;
                    true
                }
                None => false,
            }),
        });
    }
    let definitions = super::attributes::definitions_for(workspace, AttributeTarget::Contact);
    super::attributes::follow_value_rewrites(AttributeTarget::Contact, move |change| {
        contact.maybe_update(|c| change.apply(&mut c.attributes));
    });
    let attribute_conflict = RwSignal::new(None);
    let save_attribute = super::attribute_conflict::attribute_saver(
        contact_editor,
        attribute_conflict,
        |client, id, version, attributes| async move {
            let patch = api::UpdateContact {
                attributes: Some(attributes),
                ..Default::default()
            };
            client.update_contact(&id, version, &patch).await
        },
    );
    move || {
        use_order::<ContactSection>()
            .into_iter()
            .map(|section| match section {
                ContactSection::ContactInformation => {
                    view! { <ContactInformation editor contact_editor/> }.into_any()
                }
                ContactSection::ContactAttributes => view! {
                    <AttributeSection
                        section
                        definitions
                        values=Signal::derive(move || contact.with(|c| c.attributes.clone()))
                        save=save_attribute
                        conflict=attribute_conflict
                    />
                }
                .into_any(),
                ContactSection::ConversationHistory => {
                    view! { <super::history::ConversationHistory editor/> }.into_any()
                }
            })
            .collect_view()
    }
}

#[component]
fn ContactInformation(editor: Editor, contact_editor: ContactEditor) -> impl IntoView {
    let contact = contact_editor.current;
    view! {
        <Section section=ContactSection::ContactInformation>
            <Show when=move || contact_editor.error.get().is_some()>
                <div class="notice notice--error" role="alert">
                    <p>{move || contact_editor.error.get()}</p>
                </div>
            </Show>
            <ContactFacts contact channel=Signal::derive(move || editor.current.with(|c| c.channel))/>
            <PipelineStage editor/>
            <ContactLabels contact_editor/>
            <super::contact_actions::ContactActions editor contact_editor/>
        </Section>
    }
}

#[component]
fn ContactFacts(contact: RwSignal<Contact>, channel: Signal<api::Channel>) -> impl IntoView {
    move || {
        let c = contact.get();
        let rows: Vec<(&str, Option<String>)> = vec![
            ("Name", Some(c.name.clone())),
            ("Identifier", Some(c.identifier.clone())),
            ("Platform", Some(channel.get().label().to_string())),
            ("Phone", c.phone.clone()),
            ("Email", c.email.clone()),
            ("City", c.city.clone()),
            ("Country", c.country.clone()),
        ];
        view! {
            <p class="contact-kind">
                <span class="chip" class:chip--known=c.known>
                    {if c.known { "Known customer" } else { "Unknown customer" }}
                </span>
                {c.blocked.then(|| view! { <span class="chip chip--danger">"Blocked"</span> })}
            </p>
            <super::facts::Facts rows/>
        }
    }
}

#[component]
fn ContactLabels(contact_editor: ContactEditor) -> impl IntoView {
    let workspace = crate::workspace::use_workspace();
    let contact = contact_editor.current;
    let typed = RwSignal::new(String::new());
    let save = move |labels: Vec<String>| {
        let version = contact.with_untracked(|c| c.version);
        let optimistic = labels.clone();
        contact_editor.apply(
            Change::ChangeContactLabels,
            move |c| c.labels = optimistic,
            move |client, id| async move {
                let patch = api::UpdateContact {
                    labels: Some(labels),
                    ..Default::default()
                };
                client.update_contact(&id, version, &patch).await
            },
        );
    };
    let add = move || {
        let label = typed.get_untracked().trim().to_string();
        if label.is_empty() {
            return;
        }
        typed.set(String::new());
        let mut labels = contact.with_untracked(|c| c.labels.clone());
        if !labels.contains(&label) {
            labels.push(label);
            save(labels);
        }
    };
    view! {
        <h4 class="details-section__subtitle" id="contact-labels-title">"Contact labels"</h4>
        <ul class="label-list" aria-labelledby="contact-labels-title">
            {move || contact.with(|c| c.labels.clone()).into_iter().map(|label| {
                let remove = label.clone();
                let name = label.clone();
                view! {
                    <li class="label-pill label-pill--removable" style:--label-color=move || workspace.label_color_var(&name)>
                        <span title=label.clone()>{label.clone()}</span>
                        <button
                            type="button"
                            class="label-pill__remove"
                            aria-label=format!("Remove contact label {label}")
                            on:click=move |_| {
                                let labels = contact.with_untracked(|c| c.labels.iter().filter(|l| **l != remove).cloned().collect());
                                save(labels);
                            }
                        >"×"</button>
                    </li>
                }
            }).collect_view()}
        </ul>
        <form class="inline-controls" on:submit=move |ev| { ev.prevent_default(); add(); }>
            <input
                class="grow"
                type="text"
                aria-label="Add contact label"
                placeholder="Add a contact label"
                maxlength="80"
                prop:value=typed
                on:input:target=move |ev| typed.set(ev.target().value())
            />
            <button type="submit" class="button button--small" aria-label="Add contact label" disabled=move || typed.with(|t| t.trim().is_empty())>
                "Add"
            </button>
        </form>
    }
}

#[component]
fn PipelineStage(editor: Editor) -> impl IntoView {
    let workspace = use_workspace();
    let conversation = editor.current;
    let change = move |stage: Option<String>| {
        let version = conversation.with_untracked(|c| c.version);
        let optimistic = stage.clone();
        editor.apply(
            Change::ChangeStage,
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
                    // Archived stages are not offered, except the one the conversation is in.
                    {move || {
                        let current = conversation.with(|c| c.pipeline_stage.clone());
                        workspace.with(|w| w.pipeline_stages.iter()
                            .filter(|s| !s.archived || current.as_ref() == Some(&s.id))
                            .map(|s| {
                                let name = if s.archived { format!("{} (archived)", s.name) } else { s.name.clone() };
                                view! { <option value=s.id.clone()>{name}</option> }
                            })
                            .collect_view())
                    }}
                </select>
            </label>
        </div>
    }
}
