//! The details panel inside another product's page. `mount(element, options)` renders it in
//! the element's shadow root with its own adopted stylesheet (the host's CSS stays out, ours
//! stays in), without a router or window-level listeners, and reports every change as a
//! composed DOM event on the element (see `details::events`).
//!
//! The JS side (`public/embed/convoroom-panel.js`) wraps this as `<convoroom-panel>`.

mod styles;

use crate::api::ApiClient;
use crate::details::DetailsPanel;
use crate::details::contact::ProvidedContact;
use crate::details::events::PanelEvents;
use crate::ui::ErrorNotice;
use convoroom_api as api;
use leptos::mount::{UnmountHandle, mount_to};
use leptos::prelude::*;
use leptos::tachys::view::any_view::AnyViewState;
use serde::Deserialize;
use wasm_bindgen::prelude::*;

/// What the host passes to `mount` and `update` (camelCase in JS). Absent fields are left
/// as they were on `update`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PanelOptions {
    pub conversation_id: Option<String>,
    /// e.g. `https://desk.example.com/api/v1`; defaults to the page's origin.
    pub api_base: Option<String>,
    /// A bearer token (an agent session or an `agent`-scope API token). Never put it in markup.
    pub token: Option<String>,
    /// Context mode: the conversation and contact JSON the host already has.
    pub conversation: Option<api::Conversation>,
    pub contact: Option<api::Contact>,
    /// `light`, `dark` or `system` (the default).
    pub theme: Option<String>,
}

fn parse_options(options: &JsValue) -> Result<PanelOptions, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(PanelOptions::default());
    }
    let json = js_sys::JSON::stringify(options)?
        .as_string()
        .unwrap_or_default();
    serde_json::from_str(&json)
        .map_err(|e| JsValue::from(js_sys::Error::new(&format!("convoroom-panel options: {e}"))))
}

/// The panel's inputs, changeable without remounting.
#[derive(Clone, Copy)]
struct Inputs {
    conversation_id: RwSignal<Option<String>>,
    conversation: RwSignal<Option<api::Conversation>>,
    contact: RwSignal<Option<api::Contact>>,
}

#[wasm_bindgen]
pub struct PanelHandle {
    owner: Owner,
    inputs: Inputs,
    client: ApiClient,
    host: web_sys::HtmlElement,
    root: web_sys::ShadowRoot,
    mounted: Option<UnmountHandle<AnyViewState>>,
}

fn apply(host: &web_sys::HtmlElement, inputs: Inputs, client: &ApiClient, options: PanelOptions) {
    if let Some(token) = options.token {
        client.token.set((!token.is_empty()).then_some(token));
    }
    if let Some(theme) = options.theme {
        let _ = match theme.as_str() {
            "light" | "dark" => host.set_attribute("data-theme", &theme),
            _ => host.remove_attribute("data-theme"),
        };
    }
    if let Some(contact) = options.contact {
        inputs.contact.set(Some(contact));
    }
    match (options.conversation, options.conversation_id) {
        (Some(conversation), _) => {
            inputs.conversation_id.set(Some(conversation.id.clone()));
            inputs.conversation.set(Some(conversation));
        }
        (None, Some(id)) => {
            if inputs.conversation_id.get_untracked().as_deref() != Some(id.as_str()) {
                inputs.conversation.set(None);
                inputs.conversation_id.set(Some(id));
            }
        }
        (None, None) => {}
    }
}

#[wasm_bindgen]
impl PanelHandle {
    /// Changes the conversation, token, theme or context data in place.
    pub fn update(&self, options: JsValue) -> Result<(), JsValue> {
        let options = parse_options(&options)?;
        self.owner
            .with(|| apply(&self.host, self.inputs, &self.client, options));
        Ok(())
    }

    /// Removes the panel: its DOM, styles, event stream and reactive state.
    pub fn unmount(&mut self) {
        drop(self.mounted.take());
        self.owner.cleanup();
        self.root.set_inner_html("");
        self.root.set_adopted_style_sheets(&js_sys::Array::new());
        let _ = self.host.remove_attribute("data-theme");
    }
}

/// Renders the panel into `element`'s (open) shadow root.
#[wasm_bindgen]
pub fn mount(element: web_sys::HtmlElement, options: JsValue) -> Result<PanelHandle, JsValue> {
    let options = parse_options(&options)?;
    let root = match element.shadow_root() {
        Some(root) => root,
        None => {
            element.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))?
        }
    };
    root.set_inner_html("");
    let sheet = web_sys::CssStyleSheet::new()?;
    sheet.replace_sync(&styles::stylesheet())?;
    root.set_adopted_style_sheets(&js_sys::Array::of1(&sheet));

    let base = options
        .api_base
        .clone()
        .unwrap_or_else(crate::config::api_base);
    let client = ApiClient::new(base, None);
    let owner = Owner::new();
    let (inputs, mounted) = owner.with(|| {
        let inputs = Inputs {
            conversation_id: RwSignal::new(None),
            conversation: RwSignal::new(None),
            contact: RwSignal::new(None),
        };
        apply(&element, inputs, &client, options);
        let host = element.clone();
        let panel_client = client.clone();
        let mounted = mount_to(root.clone().unchecked_into(), move || {
            view! { <EmbeddedPanel inputs client=panel_client.clone() host=host.clone()/> }
                .into_any()
        });
        (inputs, mounted)
    });
    Ok(PanelHandle {
        owner,
        inputs,
        client,
        host: element,
        root,
        mounted: Some(mounted),
    })
}

#[component]
fn EmbeddedPanel(inputs: Inputs, client: ApiClient, host: web_sys::HtmlElement) -> impl IntoView {
    let auth = crate::auth::Auth::embedded(client.clone(), None);
    PanelEvents::provide(host);
    provide_context(ProvidedContact(inputs.contact));
    // Loads once a token is there (the host may set it after mounting). Only its presence
    // counts: a host refreshing a short-lived token every few minutes must not reload the
    // panel (and lose what the agent is typing).
    let token = client.token;
    let signed_in = Memo::new(move |_| token.with(Option::is_some));
    let workspace = LocalResource::new(move || {
        let ready = signed_in.get();
        let client = auth.client();
        async move {
            if ready {
                client.workspace().await.map(Some)
            } else {
                Ok(None)
            }
        }
    });
    view! {
        <div class="embed-root">
            <Suspense fallback=|| view! { <p class="muted pad" role="status">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match workspace.await {
                        Ok(Some(data)) => {
                            auth.agent.set(Some(data.me.clone()));
                            let workspace = crate::workspace::Workspace::provide(data);
                            workspace.follow_live(crate::live::LiveHub::provide(auth.client()));
                            view! { <PanelFor inputs/> }.into_any()
                        }
                        Ok(None) => view! {
                            <p class="muted pad" role="status">"Waiting for the host page to sign in…"</p>
                        }.into_any(),
                        Err(error) => view! {
                            <ErrorNotice what="open the conversation details" error retry=move || workspace.refetch()/>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn PanelFor(inputs: Inputs) -> impl IntoView {
    let auth = crate::auth::use_auth();
    let loaded = LocalResource::new(move || {
        let id = inputs.conversation_id.get();
        let given = inputs.conversation.get();
        let client = auth.client();
        async move {
            match (given, id) {
                (Some(conversation), _) => Ok(Some(conversation)),
                (None, Some(id)) => client.conversation(&id).await.map(Some),
                (None, None) => Ok(None),
            }
        }
    });
    view! {
        <Transition fallback=|| view! { <p class="muted pad" role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(Some(found)) => {
                        let conversation = RwSignal::new(found);
                        follow_live(conversation);
                        view! { <DetailsPanel conversation/> }.into_any()
                    }
                    Ok(None) => view! { <p class="muted pad">"No conversation chosen."</p> }.into_any(),
                    Err(error) => view! {
                        <ErrorNotice
                            what="load the conversation"
                            error
                            not_found=crate::ui::CONVERSATION_GONE
                            retry=move || loaded.refetch()
                        />
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Without a chat beside it, the panel follows its conversation's changes itself.
fn follow_live(conversation: RwSignal<api::Conversation>) {
    let Some(live) = use_context::<crate::live::LiveHub>() else {
        return;
    };
    let id = conversation.with_untracked(|c| c.id.clone());
    live.subscribe(move |event| match &event.payload {
        api::EventPayload::ConversationUpdated(updated) if updated.id == id => {
            conversation.maybe_update(|c| crate::record::keep_newer(c, (**updated).clone()));
        }
        // A label renamed or deleted by an admin (the conversation's version stays).
        payload => conversation.maybe_update(|c| match payload.relabelled(&c.labels) {
            Some(labels) => {
                c.labels = labels;
                true
            }
            None => false,
        }),
    });
}
