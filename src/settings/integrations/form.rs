//! Adding an integration and editing one: its name, the channels it delivers and its webhook.

use super::{Page, use_page};
use crate::auth::use_auth;
use convoroom_api::{Channel, CreateIntegration, Integration, UpdateIntegration};
use leptos::prelude::*;

const NAME_MAX_CHARS: usize = 100;
const URL_MAX_CHARS: usize = 2000;

/// What the form holds, checked before anything is sent.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Draft {
    pub name: String,
    pub channels: Vec<Channel>,
    pub webhook_url: String,
}

impl Draft {
    fn of(integration: &Integration) -> Draft {
        Draft {
            name: integration.name.clone(),
            channels: integration.channels.clone(),
            webhook_url: integration.webhook_url.clone(),
        }
    }

    /// The request, or what is wrong with the draft in a sentence.
    pub fn checked(&self) -> Result<CreateIntegration, String> {
        let name = self.name.trim();
        let url = self.webhook_url.trim();
        if name.is_empty() {
            return Err("Give the integration a name.".into());
        }
        if name.chars().count() > NAME_MAX_CHARS {
            return Err(format!(
                "The name is longer than {NAME_MAX_CHARS} characters."
            ));
        }
        if self.channels.is_empty() {
            return Err("Choose at least one channel for it to deliver.".into());
        }
        let scheme_ok = ["http://", "https://"].iter().any(|s| {
            url.get(..s.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(s))
                && url.len() > s.len()
        });
        if !scheme_ok {
            return Err("The webhook URL must start with http:// or https://.".into());
        }
        if url.chars().count() > URL_MAX_CHARS {
            return Err(format!(
                "The webhook URL is longer than {URL_MAX_CHARS} characters."
            ));
        }
        let channels = Channel::ALL
            .iter()
            .copied()
            .filter(|c| self.channels.contains(c))
            .collect();
        Ok(CreateIntegration {
            name: name.to_string(),
            channels,
            webhook_url: url.to_string(),
        })
    }
}

/// "Add an integration", below the list; its answer shows the secrets once.
#[component]
pub fn CreateIntegration() -> impl IntoView {
    let auth = use_auth();
    let page = use_page();
    let draft = RwSignal::new(Draft::default());
    let error = RwSignal::new(None::<String>);
    let create = Action::new_local(move |request: &CreateIntegration| {
        let client = auth.client();
        let request = request.clone();
        async move { client.create_integration(&request).await }
    });
    Effect::new(move |_| match create.value().get() {
        Some(Ok(created)) => {
            error.set(None);
            draft.set(Draft::default());
            page.keep(created);
        }
        Some(Err(err)) => error.set(Some(format!("Couldn't add the integration. {err}"))),
        None => {}
    });
    let submit = move || match draft.with_untracked(Draft::checked) {
        Ok(request) => {
            error.set(None);
            create.dispatch(request);
        }
        Err(message) => error.set(Some(message)),
    };
    view! {
        <form class="integration-form" novalidate aria-labelledby="add-integration-title" on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <h3 id="add-integration-title">"Add an integration"</h3>
            <Fields draft page editing=None/>
            <Show when=move || error.get().is_some()>
                <p class="form-error" role="alert">{move || error.get()}</p>
            </Show>
            <div class="integration-form__actions">
                <button type="submit" class="button button--primary" disabled=move || create.pending().get()>
                    {move || if create.pending().get() { "Adding…" } else { "Add integration" }}
                </button>
            </div>
        </form>
    }
}

/// Editing one integration in its card; `on_done` closes the form.
#[component]
pub fn EditIntegration(integration: Integration, on_done: Callback<()>) -> impl IntoView {
    let auth = use_auth();
    let page = use_page();
    let draft = RwSignal::new(Draft::of(&integration));
    let error = RwSignal::new(None::<String>);
    let id = integration.id.clone();
    let save = Action::new_local(move |change: &UpdateIntegration| {
        let client = auth.client();
        let change = change.clone();
        let id = id.clone();
        // The version this page holds now: another admin's change makes this a 409.
        let version = page
            .list
            .with_untracked(|l| l.iter().find(|i| i.id == id).map(|i| i.version))
            .unwrap_or_default();
        async move { client.update_integration(&id, version, &change).await }
    });
    let name = integration.name.clone();
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            error.set(None);
            page.keep(saved);
            on_done.run(());
        }
        Some(Err(err)) => {
            let current = err.conflict_current::<Integration>();
            if let Some(current) = current {
                page.keep(current);
            }
            error.set(Some(format!("Couldn't save “{name}”. {err}")));
        }
        None => {}
    });
    let submit = move || match draft.with_untracked(Draft::checked) {
        Ok(request) => {
            error.set(None);
            save.dispatch(UpdateIntegration {
                name: Some(request.name),
                channels: Some(request.channels),
                webhook_url: Some(request.webhook_url),
                paused: None,
            });
        }
        Err(message) => error.set(Some(message)),
    };
    let title_id = format!("edit-integration-{}", integration.id);
    let heading_id = title_id.clone();
    view! {
        <form class="integration-form integration-form--edit" novalidate aria-labelledby=title_id on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <h4 id=heading_id>{format!("Edit “{}”", integration.name)}</h4>
            <Fields draft page editing=Some(integration.id.clone())/>
            <Show when=move || error.get().is_some()>
                <p class="form-error" role="alert">{move || error.get()}</p>
            </Show>
            <div class="integration-form__actions">
                <button type="submit" class="button button--primary" disabled=move || save.pending().get()>
                    {move || if save.pending().get() { "Saving…" } else { "Save changes" }}
                </button>
                <button type="button" class="button" on:click=move |_| on_done.run(())>"Cancel"</button>
            </div>
        </form>
    }
}

/// Name, channels (each says which other integration delivers it already) and webhook URL.
#[component]
fn Fields(draft: RwSignal<Draft>, page: Page, editing: Option<String>) -> impl IntoView {
    let editing = StoredValue::new(editing);
    let suffix = editing.with_value(|e| e.clone().unwrap_or_else(|| "new".into()));
    view! {
        <label class="field">
            <span class="field__label">"Name"</span>
            <input type="text" required maxlength=NAME_MAX_CHARS.to_string() placeholder="e.g. WhatsApp bridge"
                prop:value=move || draft.with(|d| d.name.clone())
                on:input:target=move |ev| draft.update(|d| d.name = ev.target().value())/>
        </label>
        <fieldset class="integration-form__channels">
            <legend class="field__label">"Channels it delivers"</legend>
            {Channel::ALL.iter().copied().map(|channel| {
                let taken_by = move || editing.with_value(|e| page.owner_of(channel, e.as_deref()));
                let hint_id = format!("channel-owner-{suffix}-{}", channel.as_str());
                let described = hint_id.clone();
                view! {
                    <label class="check">
                        <input type="checkbox"
                            prop:checked=move || draft.with(|d| d.channels.contains(&channel))
                            disabled=move || taken_by().is_some()
                            aria-describedby=move || taken_by().map(|_| described.clone())
                            on:change:target=move |ev| {
                                let on = ev.target().checked();
                                draft.update(|d| {
                                    d.channels.retain(|c| *c != channel);
                                    if on { d.channels.push(channel); }
                                });
                            }/>
                        <span>{channel.label()}</span>
                        {move || taken_by().map(|owner| view! {
                            <span class="muted" id=hint_id.clone()>{format!("(delivered by “{owner}”)")}</span>
                        })}
                    </label>
                }
            }).collect_view()}
        </fieldset>
        <label class="field">
            <span class="field__label">"Webhook URL"</span>
            <input type="url" required maxlength=URL_MAX_CHARS.to_string() placeholder="https://bridge.example.com/convoroom" spellcheck="false"
                prop:value=move || draft.with(|d| d.webhook_url.clone())
                on:input:target=move |ev| draft.update(|d| d.webhook_url = ev.target().value())/>
        </label>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_is_checked_before_it_is_sent() {
        let mut draft = Draft {
            name: "  Bridge ".into(),
            channels: vec![Channel::Sms, Channel::Whatsapp],
            webhook_url: " HTTPS://bridge.example/hook ".into(),
        };
        let request = draft.checked().expect("valid");
        assert_eq!(request.name, "Bridge");
        // In the order the form lists them.
        assert_eq!(request.channels, [Channel::Whatsapp, Channel::Sms]);
        assert_eq!(request.webhook_url, "HTTPS://bridge.example/hook");
        draft.webhook_url = "ftp://x".into();
        assert!(draft.checked().unwrap_err().contains("http://"));
        draft.webhook_url = "https://".into();
        assert!(draft.checked().is_err());
        draft.webhook_url = "http://x".into();
        draft.channels.clear();
        assert!(draft.checked().unwrap_err().contains("channel"));
        draft.name = " ".into();
        assert!(draft.checked().unwrap_err().contains("name"));
    }
}
