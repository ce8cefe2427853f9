//! Starting an outgoing conversation: find the contact, pick the channel, write the first message.

use super::ListContext;
use crate::api::new_client_id;
use crate::auth::use_auth;
use crate::ui::time;
use convoroom_api::{self as api, Contact};
use leptos::html;
use leptos::prelude::*;

const SEARCH_DEBOUNCE_MS: u32 = 250;

#[component]
pub fn NewConversationDialog(open: RwSignal<bool>) -> impl IntoView {
    let auth = use_auth();
    let ctx = expect_context::<ListContext>();
    let dialog = NodeRef::<html::Dialog>::new();
    let query = RwSignal::new(String::new());
    let results = RwSignal::new(Vec::<Contact>::new());
    let chosen = RwSignal::new(None::<Contact>);
    let channel = RwSignal::new(api::Channel::Whatsapp);
    let body = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let searching = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);

    crate::ui::modal_follows(dialog, open);

    let search = move |text: String| {
        query.set(text.clone());
        let client = auth.client();
        searching.set_value(Some(gloo_timers::callback::Timeout::new(
            SEARCH_DEBOUNCE_MS,
            move || {
                leptos::task::spawn_local(async move {
                    if text.trim().is_empty() {
                        results.set(Vec::new());
                        return;
                    }
                    match client.contacts(text.trim()).await {
                        Ok(page) => {
                            error.set(None);
                            results.set(page.items);
                        }
                        Err(err) => error.set(Some(format!("Couldn't search contacts. {err}"))),
                    }
                });
            },
        )));
    };

    let start = Action::new_local(move |request: &api::CreateConversation| {
        let client = auth.client();
        let request = request.clone();
        async move { client.start_conversation(&request).await }
    });
    Effect::new(move |_| match start.value().get() {
        Some(Ok(conversation)) => {
            open.set(false);
            body.set(String::new());
            chosen.set(None);
            ctx.open.run(conversation.id);
        }
        Some(Err(err)) => error.set(Some(format!("Couldn't start the conversation. {err}"))),
        None => {}
    });
    let submit = move || {
        let Some(contact) = chosen.get_untracked() else {
            error.set(Some("Choose a contact first.".into()));
            return;
        };
        let text = body.get_untracked();
        start.dispatch(api::CreateConversation {
            contact_id: contact.id,
            channel: channel.get_untracked(),
            team_id: None,
            body: (!text.trim().is_empty()).then_some(text),
            client_id: Some(new_client_id(time::now_ms(), js_sys::Math::random())),
        });
    };

    view! {
        <dialog node_ref=dialog class="dialog" aria-labelledby="new-conversation-title" on:close=move |_| open.set(false)>
            <form class="dialog__form" on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <h2 id="new-conversation-title">"New conversation"</h2>
                <label class="field">
                    <span class="field__label">"Contact"</span>
                    <input
                        type="search"
                        placeholder="Search by name, phone or email"
                        autocomplete="off"
                        prop:value=query
                        on:input:target=move |ev| search(ev.target().value())
                    />
                </label>
                <fieldset class="contact-choices">
                    <legend class="sr-only">"Matching contacts"</legend>
                    {move || results.get().into_iter().map(|contact| {
                        let for_change = contact.clone();
                        let id = contact.id.clone();
                        let detail = [contact.phone.clone(), contact.email.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ");
                        view! {
                            <label class="contact-choice">
                                <input
                                    type="radio"
                                    name="contact"
                                    checked=move || chosen.with(|c| c.as_ref().map(|c| &c.id) == Some(&id))
                                    on:change=move |_| chosen.set(Some(for_change.clone()))
                                />
                                <span>{contact.name.clone()}</span>
                                <span class="muted">{detail}</span>
                            </label>
                        }
                    }).collect_view()}
                    <Show when=move || query.with(|q| !q.trim().is_empty()) && results.with(Vec::is_empty)>
                        <p class="muted">"No contact matches."</p>
                    </Show>
                </fieldset>
                <label class="field">
                    <span class="field__label">"Channel"</span>
                    <select on:change:target=move |ev| if let Some(c) = api::Channel::parse(&ev.target().value()) { channel.set(c) }>
                        {api::Channel::ALL.iter().map(|c| view! { <option value=c.as_str()>{c.label()}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span class="field__label">"First message (optional)"</span>
                    <textarea rows="3" prop:value=body on:input:target=move |ev| body.set(ev.target().value())></textarea>
                </label>
                <Show when=move || error.get().is_some()>
                    <p class="form-error" role="alert">{move || error.get()}</p>
                </Show>
                <div class="dialog__actions">
                    <button type="button" class="button" on:click=move |_| open.set(false)>"Cancel"</button>
                    <button type="submit" class="button button--primary" disabled=move || start.pending().get() || chosen.with(Option::is_none)>
                        "Start conversation"
                    </button>
                </div>
            </form>
        </dialog>
    }
}
