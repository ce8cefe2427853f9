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
}

#[component]
pub fn ContactActions(editor: Editor, contact_editor: ContactEditor) -> impl IntoView {
    let mode = RwSignal::new(Mode::Idle);
    let unlink = move |_| {
        editor.apply(
            Change::UnlinkContact,
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
