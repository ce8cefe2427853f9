//! The Contact tab: who the customer is (known or not), their fields, labels and attributes,
//! and linking this conversation to another contact or unlinking it.

use super::attributes::AttributeSection;
use super::edit::{ContactEditor, Editor};
use super::section::Section;
use crate::auth::use_auth;
use crate::shell::use_workspace;
use convoroom_api::{self as api, AttributeTarget, Contact};
use leptos::prelude::*;
use std::collections::BTreeMap;

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
                    Err(err) => view! {
                        <div class="notice notice--error" role="alert">
                            <p>{format!("Couldn't load the contact. {err}")}</p>
                            <button type="button" class="button button--small" on:click=move |_| loaded.refetch()>"Try again"</button>
                        </div>
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
        live.subscribe(move |event| {
            if let api::EventPayload::ContactUpdated(updated) = &event.payload
                && contact.with_untracked(|c| c.id == updated.id && c.version < updated.version)
            {
                contact.set((**updated).clone());
            }
        });
    }
    let definitions = Signal::derive(move || {
        workspace.with(|w| {
            w.attribute_definitions
                .iter()
                .filter(|d| d.applies_to == AttributeTarget::Contact)
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let save_attribute =
        Callback::new(move |(key, value): (String, Option<api::AttributeValue>)| {
            let version = contact.with_untracked(|c| c.version);
            let optimistic = (key.clone(), value.clone());
            contact_editor.apply(
                "save the attribute",
                move |c| match optimistic.1 {
                    Some(v) => {
                        c.attributes.insert(optimistic.0, v);
                    }
                    None => {
                        c.attributes.remove(&optimistic.0);
                    }
                },
                move |client, id| async move {
                    let patch = api::UpdateContact {
                        attributes: Some(BTreeMap::from([(key, value)])),
                        ..Default::default()
                    };
                    client.update_contact(&id, version, &patch).await
                },
            );
        });
    let prefs = use_context::<super::section::SectionPrefs>();
    let order = move || {
        prefs.map_or_else(
            || super::section::CONTACT_SECTIONS.to_vec(),
            |p| p.order(super::section::CONTACT_SECTIONS),
        )
    };
    move || {
        order()
            .into_iter()
            .map(|id| match id {
                "contact-information" => {
                    view! { <ContactInformation editor contact_editor/> }.into_any()
                }
                "contact-attributes" => view! {
                    <AttributeSection
                        id="contact-attributes"
                        title="Contact attributes"
                        definitions
                        values=Signal::derive(move || contact.with(|c| c.attributes.clone()))
                        save=save_attribute
                    />
                }
                .into_any(),
                _ => view! { <super::history::ConversationHistory editor/> }.into_any(),
            })
            .collect_view()
    }
}

#[component]
fn ContactInformation(editor: Editor, contact_editor: ContactEditor) -> impl IntoView {
    let contact = contact_editor.current;
    view! {
        <Section id="contact-information" title="Contact information">
            <Show when=move || contact_editor.error.get().is_some()>
                <div class="notice notice--error" role="alert">
                    <p>{move || contact_editor.error.get()}</p>
                </div>
            </Show>
            <ContactFacts contact channel=Signal::derive(move || editor.current.with(|c| c.channel))/>
            <super::PipelineStage editor/>
            <ContactLabels contact_editor/>
            <ContactActions editor contact_editor/>
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
            <super::Facts rows/>
        }
    }
}

#[component]
fn ContactLabels(contact_editor: ContactEditor) -> impl IntoView {
    let contact = contact_editor.current;
    let typed = RwSignal::new(String::new());
    let save = move |labels: Vec<String>| {
        let version = contact.with_untracked(|c| c.version);
        let optimistic = labels.clone();
        contact_editor.apply(
            "change the contact's labels",
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
                view! {
                    <li class="label-pill label-pill--removable">
                        <span>{label.clone()}</span>
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

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Idle,
    Editing,
    Linking,
}

#[component]
fn ContactActions(editor: Editor, contact_editor: ContactEditor) -> impl IntoView {
    let mode = RwSignal::new(Mode::Idle);
    let unlink = move |_| {
        editor.apply(
            "unlink the contact",
            |_| {},
            move |client, id| async move { client.unlink_contact(&id).await },
        );
    };
    view! {
        {move || match mode.get() {
            Mode::Idle => view! {
                <div class="inline-controls inline-controls--wrap">
                    <button type="button" class="button button--small" on:click=move |_| mode.set(Mode::Editing)>"Edit contact"</button>
                    <button type="button" class="button button--small" on:click=move |_| mode.set(Mode::Linking)>"Link to a contact"</button>
                    // Gives the conversation back to a contact of its own channel identifier.
                    <button type="button" class="button button--small button--ghost" on:click=unlink>"Unlink contact"</button>
                </div>
            }
            .into_any(),
            Mode::Editing => view! { <EditContact contact_editor done=Callback::new(move |()| mode.set(Mode::Idle))/> }.into_any(),
            Mode::Linking => view! { <LinkContact editor done=Callback::new(move |()| mode.set(Mode::Idle))/> }.into_any(),
        }}
    }
}

/// `None` clears a field the agent emptied.
fn optional(text: String) -> Option<String> {
    let text = text.trim().to_string();
    (!text.is_empty()).then_some(text)
}

#[component]
fn EditContact(contact_editor: ContactEditor, done: Callback<()>) -> impl IntoView {
    let contact = contact_editor.current;
    let current = contact.get_untracked();
    let name = RwSignal::new(current.name.clone());
    let phone = RwSignal::new(current.phone.clone().unwrap_or_default());
    let email = RwSignal::new(current.email.clone().unwrap_or_default());
    let city = RwSignal::new(current.city.clone().unwrap_or_default());
    let country = RwSignal::new(current.country.clone().unwrap_or_default());
    let problem = RwSignal::new(None::<&'static str>);
    let submit = move || {
        let new_name = name.get_untracked().trim().to_string();
        if new_name.is_empty() {
            problem.set(Some("A contact needs a name."));
            return;
        }
        let patch = api::UpdateContact {
            name: Some(new_name),
            phone: Some(optional(phone.get_untracked())),
            email: Some(optional(email.get_untracked())),
            city: Some(optional(city.get_untracked())),
            country: Some(optional(country.get_untracked())),
            ..Default::default()
        };
        let version = contact.with_untracked(|c| c.version);
        let optimistic = patch.clone();
        contact_editor.apply(
            "save the contact",
            move |c| {
                c.name = optimistic.name.unwrap_or_default();
                c.phone = optimistic.phone.flatten();
                c.email = optimistic.email.flatten();
                c.city = optimistic.city.flatten();
                c.country = optimistic.country.flatten();
            },
            move |client, id| async move { client.update_contact(&id, version, &patch).await },
        );
        done.run(());
    };
    let field = move |label: &'static str, value: RwSignal<String>, kind: &'static str| {
        view! {
            <label class="field">
                <span class="field__label">{label}</span>
                <input type=kind prop:value=value on:input:target=move |ev| value.set(ev.target().value())/>
            </label>
        }
    };
    view! {
        <form class="contact-edit" aria-label="Edit contact" on:submit=move |ev| { ev.prevent_default(); submit(); }>
            {field("Name", name, "text")}
            {field("Phone", phone, "tel")}
            {field("Email", email, "email")}
            {field("City", city, "text")}
            {field("Country", country, "text")}
            {move || problem.get().map(|p| view! { <p class="inline-error" role="alert">{p}</p> })}
            <div class="inline-controls">
                <button type="submit" class="button button--small button--primary">"Save contact"</button>
                <button type="button" class="button button--small button--ghost" on:click=move |_| done.run(())>"Cancel"</button>
            </div>
        </form>
    }
}

#[component]
fn LinkContact(editor: Editor, done: Callback<()>) -> impl IntoView {
    let auth = use_auth();
    let query = RwSignal::new(String::new());
    let debounced = RwSignal::new(String::new());
    let pending = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);
    let results = LocalResource::new(move || {
        let q = debounced.get();
        let client = auth.client();
        async move {
            if q.trim().is_empty() {
                Ok(Vec::new())
            } else {
                client.contacts(q.trim()).await.map(|page| page.items)
            }
        }
    });
    let current_contact = move || editor.current.with(|c| c.contact.id.clone());
    let link = move |contact_id: String| {
        editor.apply(
            "link the contact",
            |_| {},
            move |client, id| async move { client.link_contact(&id, &contact_id).await },
        );
        done.run(());
    };
    view! {
        <div class="link-contact">
            <div class="inline-controls">
                <input
                    class="grow"
                    type="search"
                    aria-label="Find a contact"
                    placeholder="Name or phone"
                    autofocus
                    prop:value=query
                    on:input:target=move |ev| {
                        let value = ev.target().value();
                        query.set(value.clone());
                        let timeout = gloo_timers::callback::Timeout::new(250, move || debounced.set(value));
                        pending.set_value(Some(timeout));
                    }
                />
                <button type="button" class="button button--small button--ghost" on:click=move |_| done.run(())>"Cancel"</button>
            </div>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match results.await {
                        Ok(contacts) if contacts.is_empty() => {
                            let searched = !debounced.get_untracked().trim().is_empty();
                            searched.then(|| view! { <p class="muted">"No contact matches."</p> }).into_any()
                        }
                        Ok(contacts) => view! {
                            <ul class="link-contact__results" aria-label="Matching contacts">
                                {contacts.into_iter().map(|c| {
                                    let id = c.id.clone();
                                    let is_current = c.id == current_contact();
                                    view! {
                                        <li>
                                            <button
                                                type="button"
                                                class="button button--small button--ghost link-contact__choice"
                                                disabled=is_current
                                                on:click=move |_| link(id.clone())
                                            >
                                                {format!("Link to {}", c.name)}
                                                <span class="muted">{c.phone.clone().unwrap_or(c.identifier.clone())}</span>
                                            </button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }
                        .into_any(),
                        Err(err) => view! { <p class="inline-error" role="alert">{format!("Couldn't search contacts. {err}")}</p> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}
