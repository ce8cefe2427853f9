//! Starting an outgoing conversation: find the contact, pick the channel, write the first message.

use super::ListContext;
use crate::api::new_client_id;
use crate::auth::use_auth;
use crate::ui::time;
use convoroom_api::{self as api, Contact};
use leptos::html;
use leptos::prelude::*;

const SEARCH_DEBOUNCE_MS: u32 = 250;

/// Someone not in the contacts yet, reached by what the agent typed.
#[derive(Clone, Debug, PartialEq)]
pub enum NewAddress {
    Phone(String),
    Email(String),
}

impl NewAddress {
    /// What was typed, if it is a phone number (E.164) or an email address.
    pub fn parse(typed: &str) -> Option<NewAddress> {
        let typed = typed.trim();
        if typed.contains('@') {
            api::validate::email(typed).ok().map(NewAddress::Email)
        } else {
            api::validate::phone(typed).ok().map(NewAddress::Phone)
        }
    }

    pub fn text(&self) -> &str {
        match self {
            NewAddress::Phone(text) | NewAddress::Email(text) => text,
        }
    }

    /// The channel a conversation with this address starts on unless the agent picks another.
    pub fn channel(&self) -> api::Channel {
        match self {
            NewAddress::Phone(_) => api::Channel::Whatsapp,
            NewAddress::Email(_) => api::Channel::Email,
        }
    }

    /// Whether `channel` can reach this address; the sentence says why not.
    pub fn reaches(&self, channel: api::Channel) -> Result<(), String> {
        use api::Channel::*;
        match (self, channel) {
            (NewAddress::Phone(_), Whatsapp | Sms | Voice) | (NewAddress::Email(_), Email) => {
                Ok(())
            }
            (NewAddress::Phone(_), _) => Err(format!(
                "{} can't reach a phone number: choose WhatsApp, SMS or Voice call.",
                channel.label()
            )),
            (NewAddress::Email(_), _) => Err(format!(
                "{} can't reach an email address: choose Email.",
                channel.label()
            )),
        }
    }

    pub fn new_contact(&self) -> api::CreateContact {
        let (phone, email) = match self {
            NewAddress::Phone(p) => (Some(p.clone()), None),
            NewAddress::Email(e) => (None, Some(e.clone())),
        };
        api::CreateContact {
            name: self.text().to_string(),
            phone,
            email,
        }
    }
}

#[component]
pub fn NewConversationDialog(open: RwSignal<bool>) -> impl IntoView {
    let auth = use_auth();
    let ctx = expect_context::<ListContext>();
    let dialog = NodeRef::<html::Dialog>::new();
    let query = RwSignal::new(String::new());
    let results = RwSignal::new(Vec::<Contact>::new());
    let chosen = RwSignal::new(None::<Contact>);
    // Nothing matched and the agent typed a phone number or email: start with a new contact.
    let new_address = RwSignal::new(None::<NewAddress>);
    let typed_address = Memo::new(move |_| query.with(|q| NewAddress::parse(q)));
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

    // With a new address, the contact is created first (a retry reuses it: the search finds it).
    let start = Action::new_local(
        move |(request, new_contact): &(api::CreateConversation, Option<api::CreateContact>)| {
            let client = auth.client();
            let mut request = request.clone();
            let new_contact = new_contact.clone();
            async move {
                if let Some(new_contact) = new_contact {
                    let contact = client.create_contact(&new_contact).await?;
                    request.contact_id = contact.id;
                }
                client.start_conversation(&request).await
            }
        },
    );
    Effect::new(move |_| match start.value().get() {
        Some(Ok(conversation)) => {
            open.set(false);
            body.set(String::new());
            chosen.set(None);
            new_address.set(None);
            ctx.open.run(conversation.id);
        }
        Some(Err(err)) => error.set(Some(format!("Couldn't start the conversation. {err}"))),
        None => {}
    });
    let submit = move || {
        let new_contact = new_address.get_untracked();
        let contact_id = match (chosen.get_untracked(), &new_contact) {
            (Some(contact), _) => contact.id,
            (None, Some(address)) => {
                if let Err(why) = address.reaches(channel.get_untracked()) {
                    error.set(Some(why));
                    return;
                }
                String::new()
            }
            (None, None) => {
                error.set(Some("Choose a contact first.".into()));
                return;
            }
        };
        let text = body.get_untracked();
        start.dispatch((
            api::CreateConversation {
                contact_id,
                channel: channel.get_untracked(),
                team_id: None,
                body: (!text.trim().is_empty()).then_some(text),
                client_id: Some(new_client_id(time::now_ms(), js_sys::Math::random())),
                // The number the customer knows: the server takes the channel's last one.
                business_address: None,
            },
            new_contact.map(|address| address.new_contact()),
        ));
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
                                    on:change=move |_| { chosen.set(Some(for_change.clone())); new_address.set(None); }
                                />
                                <span>{contact.name.clone()}</span>
                                <span class="muted">{detail}</span>
                            </label>
                        }
                    }).collect_view()}
                    <Show when=move || query.with(|q| !q.trim().is_empty()) && results.with(Vec::is_empty)>
                        {move || match typed_address.get() {
                            Some(address) => {
                                let label = format!("New contact: {}", address.text());
                                let for_change = address.clone();
                                let this = address.clone();
                                view! {
                                    <label class="contact-choice">
                                        <input
                                            type="radio"
                                            name="contact"
                                            checked=move || new_address.with(|a| a.as_ref() == Some(&this))
                                            on:change=move |_| {
                                                chosen.set(None);
                                                channel.set(for_change.channel());
                                                new_address.set(Some(for_change.clone()));
                                            }
                                        />
                                        <span>{label}</span>
                                        <span class="muted">"No contact has it yet: one is created."</span>
                                    </label>
                                }
                                .into_any()
                            }
                            None => view! {
                                <p class="muted">"No contact matches. To write to someone new, type their phone number (+34 600 123 456) or email address."</p>
                            }
                            .into_any(),
                        }}
                    </Show>
                </fieldset>
                <label class="field">
                    <span class="field__label">"Channel"</span>
                    <select prop:value=move || channel.get().as_str() on:change:target=move |ev| if let Some(c) = api::Channel::parse(&ev.target().value()) { channel.set(c) }>
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
                    <button type="submit" class="button button--primary" disabled=move || start.pending().get() || (chosen.with(Option::is_none) && new_address.with(Option::is_none))>
                        "Start conversation"
                    </button>
                </div>
            </form>
        </dialog>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_phone_or_email_is_a_new_address_on_its_own_channels() {
        let phone = NewAddress::parse(" +34 600 123 456 ").unwrap();
        assert_eq!(phone, NewAddress::Phone("+34600123456".into()));
        assert_eq!(phone.channel(), api::Channel::Whatsapp);
        assert!(phone.reaches(api::Channel::Sms).is_ok());
        assert!(phone.reaches(api::Channel::Email).is_err());
        let email = NewAddress::parse("ana@example.com").unwrap();
        assert_eq!(email.channel(), api::Channel::Email);
        assert!(email.reaches(api::Channel::Whatsapp).is_err());
        assert_eq!(
            email.new_contact().email.as_deref(),
            Some("ana@example.com")
        );
        assert_eq!(NewAddress::parse("Ana"), None);
        assert_eq!(NewAddress::parse("ana@example"), None);
        assert_eq!(NewAddress::parse("600 123"), None);
    }
}
