//! `/settings/integrations`: how replies reach customers. Each integration serves some channels
//! and a webhook: replies on those channels are POSTed to it, signed, and it reports back with
//! receipts. Admins add, edit, pause, test and remove them here, see how deliveries are going
//! (health and the delivery log), and get each secret once. Every open page follows other
//! admins' changes through the `integrations_changed` live event.

mod card;
mod form;
mod log;
mod secrets;
pub mod state;

pub use secrets::SecretsOnce;

use crate::auth::use_auth;
use crate::ui::ErrorNotice;
use convoroom_api::{self as api, Integration};
use leptos::prelude::*;
use state::RevealedSecrets;

/// What the page's parts share: the list (one copy, fed by loads and by every write's answer)
/// and the secrets an answer just revealed.
#[derive(Clone, Copy)]
struct Page {
    list: RwSignal<Vec<Integration>>,
    revealed: RwSignal<Option<RevealedSecrets>>,
    /// Reads the list again (after a write that changes health, or another admin's change).
    reload: Callback<()>,
}

impl Page {
    /// Keeps a write's answer; secrets in it are shown once, in its card.
    fn keep(&self, answer: Integration) {
        let secrets = self
            .list
            .try_update(|list| state::upsert(list, answer))
            .flatten();
        if let Some(secrets) = secrets {
            self.revealed.set(Some(secrets));
        }
    }

    fn remove(&self, id: &str) {
        self.list.update(|list| list.retain(|i| i.id != id));
        // Its secrets are worth nothing now.
        if self
            .revealed
            .with_untracked(|r| r.as_ref().is_some_and(|r| r.integration_id == id))
        {
            self.revealed.set(None);
        }
    }

    /// The integration that delivers `channel` now, other than `except`.
    fn owner_of(&self, channel: api::Channel, except: Option<&str>) -> Option<String> {
        self.list.with(|list| {
            list.iter()
                .find(|i| Some(i.id.as_str()) != except && i.channels.contains(&channel))
                .map(|i| i.name.clone())
        })
    }
}

fn use_page() -> Page {
    expect_context::<Page>()
}

#[component]
pub fn IntegrationsPage() -> impl IntoView {
    let auth = use_auth();
    let integrations = LocalResource::new(move || {
        let client = auth.client();
        async move { client.integrations().await }
    });
    let page = Page {
        list: RwSignal::new(Vec::new()),
        revealed: RwSignal::new(None),
        reload: Callback::new(move |()| integrations.refetch()),
    };
    provide_context(page);
    Effect::new(move |_| {
        if let Some(Ok(fresh)) = integrations.get() {
            page.list.update(|list| state::replace_all(list, fresh));
        }
    });
    // Another admin added, changed or removed one (or events were missed): read them again.
    if let Some(live) = use_context::<crate::live::LiveHub>() {
        live.subscribe(move |event| {
            if matches!(
                event.payload,
                api::EventPayload::IntegrationsChanged { .. } | api::EventPayload::ResyncRequired
            ) {
                integrations.refetch();
            }
        });
    }
    let loaded = move || matches!(integrations.get(), Some(Ok(_)));
    let ids = move || {
        page.list
            .with(|list| list.iter().map(|i| i.id.clone()).collect::<Vec<_>>())
    };

    view! {
        <section class="settings-section" aria-labelledby="integrations-title">
            <h2 id="integrations-title">"Integrations"</h2>
            <p class="muted">"An integration carries replies to the customer: Convoroom sends every reply on its channels to its webhook, signed with its secret, and the integration reports back when the customer got and read it. Channels without one keep replies here only."</p>
            <Transition fallback=|| view! { <p class="muted" role="status">"Loading integrations…"</p> }>
                {move || Suspend::new(async move {
                    match integrations.await {
                        Err(error) => Some(view! { <ErrorNotice what="load the integrations" error retry=move || integrations.refetch()/> }),
                        Ok(_) => None,
                    }
                })}
            </Transition>
            <Show when=move || loaded() && page.list.with(Vec::is_empty)>
                <p class="muted">"No integrations yet: add the first one below. Until then replies reach no one outside Convoroom."</p>
            </Show>
            <ul class="integration-list" aria-label="Integrations">
                <For each=ids key=|id| id.clone() let:id>
                    <card::IntegrationCard id/>
                </For>
            </ul>
            <form::CreateIntegration/>
        </section>
    }
}
