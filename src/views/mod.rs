//! Views (table mode): an agent's saved filters shown as a table with chosen columns.
//!
//! `/views` lists them beside the open one (`/views/:view_id`); the editor creates and changes
//! them, and the views of other tabs stay in step through the event stream.

mod attribute_filter;
mod column_order;
pub mod columns;
mod editor;
mod table;

pub use table::ViewTable;

use crate::auth::use_auth;
use crate::nav::A;
use crate::ui::ErrorNotice;
use convoroom_api::{self as api, View};
use editor::{ViewEditor, ViewEditorTarget};
use leptos::prelude::*;
use leptos_router::components::Outlet;

/// The saved views, shared by the sidebar, the table and the editor.
#[derive(Clone, Copy)]
pub struct ViewsContext {
    pub list: RwSignal<Vec<View>>,
    pub loaded: RwSignal<bool>,
    pub error: RwSignal<Option<crate::api::ClientError>>,
    /// What the editor dialog is open for, if it is.
    pub editor: RwSignal<Option<ViewEditorTarget>>,
}

impl ViewsContext {
    /// Puts a saved view in place (or at the end), as the server answered or an event said.
    pub fn upsert(&self, view: View) {
        self.list
            .update(|list| match list.iter_mut().find(|v| v.id == view.id) {
                Some(existing) => _ = crate::record::keep_newer(existing, view),
                None => list.push(view),
            });
    }

    pub fn remove(&self, id: &str) {
        self.list.update(|list| list.retain(|v| v.id != id));
    }
}

fn load(ctx: ViewsContext, client: crate::api::ApiClient) {
    ctx.error.set(None);
    leptos::task::spawn_local(async move {
        match client.views().await {
            Ok(views) => {
                ctx.list.set(views);
                ctx.loaded.set(true);
            }
            Err(err) => ctx.error.set(Some(err)),
        }
    });
}

#[component]
pub fn ViewsPage() -> impl IntoView {
    let auth = use_auth();
    let ctx = ViewsContext {
        list: RwSignal::new(Vec::new()),
        loaded: RwSignal::new(false),
        error: RwSignal::new(None),
        editor: RwSignal::new(None),
    };
    provide_context(ctx);
    load(ctx, auth.client());
    if let Some(hub) = use_context::<crate::live::LiveHub>() {
        hub.subscribe(move |event| match &event.payload {
            api::EventPayload::ViewSaved(view) => ctx.upsert((**view).clone()),
            api::EventPayload::ViewDeleted { id } => ctx.remove(id),
            api::EventPayload::ResyncRequired => load(ctx, auth.client()),
            _ => {}
        });
    }

    view! {
        <main class="views-page">
            <nav class="views-nav" aria-labelledby="views-nav-title">
                <div class="views-nav__head">
                    <h2 id="views-nav-title">"Views"</h2>
                    <button
                        type="button"
                        class="button button--small button--primary"
                        on:click=move |_| ctx.editor.set(Some(ViewEditorTarget::New))
                    >
                        "New view"
                    </button>
                </div>
                {move || match (ctx.error.get(), ctx.loaded.get()) {
                    (Some(error), _) => view! {
                        <ErrorNotice what="load your views" error retry=move || load(ctx, auth.client())/>
                    }
                    .into_any(),
                    (None, false) => view! { <p class="muted pad" role="status">"Loading views…"</p> }.into_any(),
                    (None, true) if ctx.list.with(Vec::is_empty) => view! {
                        <p class="muted pad">"No saved views yet. A view keeps a set of filters and the columns you want to see."</p>
                    }
                    .into_any(),
                    (None, true) => ().into_any(),
                }}
                <ul class="views-nav__list">
                    <For each=move || ctx.list.get() key=|v| (v.id.clone(), v.version) let:view>
                        <li>
                            <A href=format!("/views/{}", crate::api::encode(&view.id))>{view.name.clone()}</A>
                        </li>
                    </For>
                </ul>
            </nav>
            <Outlet/>
            <ViewEditor/>
        </main>
    }
}

/// `/views` with none chosen.
#[component]
pub fn NoViewSelected() -> impl IntoView {
    let ctx = expect_context::<ViewsContext>();
    view! {
        <section class="view-main view-main--empty" aria-label="View">
            <div class="empty">
                <p class="empty__title">"Choose a view"</p>
                <p class="muted">
                    {move || if ctx.list.with(Vec::is_empty) {
                        "Create a view to see conversations as a table with the columns you pick."
                    } else {
                        "Pick a view on the left, or create a new one."
                    }}
                </p>
            </div>
        </section>
    }
}
