//! The Contact information section's actions: edit the contact's fields, link this
//! conversation to another contact (search by name or phone), or unlink it.

use super::edit::{ContactEditor, Editor};
use super::events::Change;
use crate::auth::use_auth;
use convoroom_api as api;
use leptos::prelude::*;

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Idle,
    Editing,
    Linking,
    ConfirmingUnlink,
}

/// The contact (id, name) the open conversation was unlinked from, for Undo. Kept by the panel:
/// the Contact tab is drawn afresh for the new contact when the unlink lands.
#[derive(Clone, Copy)]
pub struct UnlinkedFrom(RwSignal<Option<(String, String)>>);

impl UnlinkedFrom {
    pub fn provide() {
        provide_context(UnlinkedFrom(RwSignal::new(None)));
    }
}

#[component]
pub fn ContactActions(editor: Editor, contact_editor: ContactEditor) -> impl IntoView {
    let mode = RwSignal::new(Mode::Idle);
    let unlinked_from = use_context::<UnlinkedFrom>()
        .unwrap_or_else(|| UnlinkedFrom(RwSignal::new(None)))
        .0;
    let contact_name = move || editor.current.with(|c| c.contact.name.clone());
    let unlink = move |_| {
        let contact = editor.current.with_untracked(|c| c.contact.clone());
        unlinked_from.set(Some((contact.id, contact.name)));
        mode.set(Mode::Idle);
        editor.apply(
            Change::UnlinkContact,
            |_| {},
            move |client, id| async move { client.unlink_contact(&id).await },
        );
    };
    let undo = move |_| {
        let Some((contact_id, _)) = unlinked_from.get_untracked() else {
            return;
        };
        unlinked_from.set(None);
        editor.apply(
            Change::LinkContact,
            |_| {},
            move |client, id| async move { client.link_contact(&id, &contact_id).await },
        );
    };
    // Undo is offered while the conversation is still away from the contact it was unlinked from.
    let undoable = move || {
        unlinked_from
            .get()
            .filter(|(from, _)| editor.current.with(|c| &c.contact.id != from))
    };
    view! {
        {move || undoable().map(|(_, name)| view! {
            <p class="inline-controls inline-controls--wrap" role="status">
                <span>{format!("Unlinked from {name}.")}</span>
                <button type="button" class="button button--small" on:click=undo>"Undo"</button>
            </p>
        })}
        {move || match mode.get() {
            Mode::Idle => view! {
                <div class="inline-controls inline-controls--wrap">
                    <button type="button" class="button button--small" on:click=move |_| mode.set(Mode::Editing)>"Edit contact"</button>
                    <button type="button" class="button button--small" on:click=move |_| mode.set(Mode::Linking)>"Link to a contact"</button>
                    // Gives the conversation back to a contact of its own channel identifier.
                    <button type="button" class="button button--small button--ghost" on:click=move |_| mode.set(Mode::ConfirmingUnlink)>"Unlink contact"</button>
                </div>
            }
            .into_any(),
            Mode::ConfirmingUnlink => view! {
                <div class="inline-controls inline-controls--wrap" role="group" aria-label="Unlink contact">
                    <p role="alert">
                        {move || format!(
                            "Unlink this conversation from {}? It will belong to an unknown contact for its number or address until it is linked again.",
                            contact_name()
                        )}
                    </p>
                    <button type="button" class="button button--small button--danger" on:click=unlink>"Yes, unlink"</button>
                    <button type="button" class="button button--small" on:click=move |_| mode.set(Mode::Idle)>"Keep linked"</button>
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
    // What is wrong with each field, shown beside it; nothing is sent while any is set.
    let name_problem = RwSignal::new(None::<String>);
    let phone_problem = RwSignal::new(None::<String>);
    let email_problem = RwSignal::new(None::<String>);
    let submit = move || {
        let new_name = name.get_untracked().trim().to_string();
        name_problem.set(
            new_name
                .is_empty()
                .then(|| "A contact needs a name.".to_string()),
        );
        let checked = |value: RwSignal<String>,
                       check: fn(&str) -> Result<String, String>,
                       problem: RwSignal<Option<String>>| {
            let typed = optional(value.get_untracked());
            let result = typed.as_deref().map(check).transpose();
            problem.set(result.as_ref().err().cloned());
            result.ok()
        };
        let new_phone = checked(phone, api::validate::phone, phone_problem);
        let new_email = checked(email, api::validate::email, email_problem);
        let (Some(new_phone), Some(new_email)) = (new_phone, new_email) else {
            return;
        };
        if new_name.is_empty() {
            return;
        }
        let patch = api::UpdateContact {
            name: Some(new_name),
            phone: Some(new_phone),
            email: Some(new_email),
            city: Some(optional(city.get_untracked())),
            country: Some(optional(country.get_untracked())),
            ..Default::default()
        };
        let version = contact.with_untracked(|c| c.version);
        let optimistic = patch.clone();
        contact_editor.apply(
            Change::SaveContact,
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
    let field = move |label: &'static str,
                      value: RwSignal<String>,
                      kind: &'static str,
                      problem: Option<RwSignal<Option<String>>>| {
        let error_id = format!("contact-edit-{}-error", label.to_lowercase());
        let invalid = move || problem.is_some_and(|p| p.with(Option::is_some));
        view! {
            <label class="field">
                <span class="field__label">{label}</span>
                <input
                    type=kind
                    prop:value=value
                    aria-invalid=move || invalid().then_some("true")
                    aria-describedby=move || invalid().then(|| error_id.clone())
                    on:input:target=move |ev| value.set(ev.target().value())
                />
            </label>
            {problem.map(|problem| view! {
                <Show when=move || problem.with(Option::is_some)>
                    <p class="inline-error" id=format!("contact-edit-{}-error", label.to_lowercase()) role="alert">
                        {move || problem.get()}
                    </p>
                </Show>
            })}
        }
    };
    view! {
        <form class="contact-edit" aria-label="Edit contact" novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
            {field("Name", name, "text", Some(name_problem))}
            {field("Phone", phone, "tel", Some(phone_problem))}
            {field("Email", email, "email", Some(email_problem))}
            {field("City", city, "text", None)}
            {field("Country", country, "text", None)}
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
            Change::LinkContact,
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
