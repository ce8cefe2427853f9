//! The signed-in workspace: header, the three panes, and the keyboard shortcuts.

mod header;
mod panes;
pub mod shortcuts;

pub use panes::{ConversationPanes, NoConversation};

use crate::auth::use_auth;
use crate::conversation_list::{
    self, ConversationList, ListContext, ListState, ListStateStoreFields,
};
use convoroom_api as api;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::Outlet;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use reactive_stores::Store;

/// Agents, teams, labels and pipeline stages, loaded once after sign-in.
#[derive(Clone, Copy)]
pub struct WorkspaceData(pub RwSignal<api::Workspace>);

pub fn use_workspace() -> RwSignal<api::Workspace> {
    expect_context::<WorkspaceData>().0
}

#[component]
pub fn Workspace() -> impl IntoView {
    let auth = use_auth();
    let location = use_location();
    view! {
        <Show
            when=move || auth.signed_in()
            fallback=move || {
                let next = format!("{}{}", location.pathname.get_untracked(), location.search.get_untracked());
                view! { <crate::ui::GoTo path=format!("/sign-in?next={}", crate::api::encode(&next))/> }
            }
        >
            <LoadWorkspace/>
        </Show>
    }
}

#[component]
fn LoadWorkspace() -> impl IntoView {
    let auth = use_auth();
    let workspace = LocalResource::new(move || {
        let client = auth.client();
        async move { client.workspace().await }
    });
    view! {
        <Suspense fallback=|| view! { <p class="boot muted" role="status">"Loading your workspace…"</p> }>
            {move || Suspend::new(async move {
                match workspace.await {
                    Ok(data) => view! { <WorkspaceLayout data/> }.into_any(),
                    Err(err) => view! {
                        <div class="boot notice notice--error" role="alert">
                            <p>{format!("Couldn't open your workspace. {err}")}</p>
                            <button type="button" class="button" on:click=move |_| workspace.refetch()>"Try again"</button>
                        </div>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn WorkspaceLayout(data: api::Workspace) -> impl IntoView {
    let auth = use_auth();
    auth.agent.set(Some(data.me.clone()));
    provide_context(WorkspaceData(RwSignal::new(data)));

    let query = use_query_map();
    let location = use_location();
    let navigate = use_navigate();
    let filter = Memo::new(move |_| {
        query.with(|q| conversation_list::filters::from_query(|key| q.get(key)))
    });
    let selected_id = Memo::new(move |_| {
        location
            .pathname
            .with(|path| {
                path.split("/conversations/")
                    .nth(1)
                    .map(|rest| rest.trim_end_matches('/').to_string())
            })
            .filter(|id| !id.is_empty())
    });
    let state = Store::new(ListState::default());
    let active = RwSignal::new(None::<usize>);

    let open = {
        let navigate = navigate.clone();
        Callback::new(move |id: String| {
            let search = conversation_list::filters::to_query(&filter.get_untracked());
            navigate(
                &format!("/conversations/{}{search}", crate::api::encode(&id)),
                NavigateOptions::default(),
            );
        })
    };
    let set_filter = Callback::new(move |next: api::ConversationFilter| {
        active.set(None);
        let path = location.pathname.get_untracked();
        navigate(
            &format!("{path}{}", conversation_list::filters::to_query(&next)),
            NavigateOptions::default(),
        );
    });
    provide_context(ListContext {
        state,
        filter,
        active,
        selected_id,
        open,
        set_filter,
        bulk: RwSignal::new(None),
    });
    follow_live_changes(crate::live::LiveHub::provide(auth.client()));

    let shortcuts_open = RwSignal::new(false);
    shortcuts::install(shortcuts_open);

    view! {
        <div class="app" class:app--has-selection=move || selected_id.get().is_some()>
            <header::Header shortcuts_open/>
            <Outlet/>
            <shortcuts::ShortcutsDialog open=shortcuts_open/>
        </div>
    }
}

/// `/conversations`: the list beside the open conversation.
#[component]
pub fn ConversationsPage() -> impl IntoView {
    view! {
        <main class="panes">
            <ConversationList/>
            <Outlet/>
        </main>
    }
}

/// Keeps the list in step with the event stream: rows change and move in place, merged
/// conversations disappear, and the tab counts refresh shortly after a burst of changes.
fn follow_live_changes(hub: crate::live::LiveHub) {
    let ctx = expect_context::<ListContext>();
    let auth = use_auth();
    let refresh = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);
    let refresh_counts = move || {
        let timeout = gloo_timers::callback::Timeout::new(1_500, move || {
            let client = auth.client();
            let filter = ctx.filter.get_untracked();
            leptos::task::spawn_local(async move {
                if let Ok(page) = client.conversations(&filter, None).await {
                    ctx.state.counts().set(page.counts);
                }
            });
        });
        refresh.set_value(Some(timeout));
    };
    let upsert = list_upserter();
    hub.subscribe(move |event| match &event.payload {
        api::EventPayload::ConversationUpdated(conversation) => {
            upsert.run((**conversation).clone());
            refresh_counts();
        }
        api::EventPayload::ConversationMerged { id, .. } => {
            ctx.state
                .items()
                .update(|items| items.retain(|c| &c.id != id));
            refresh_counts();
        }
        api::EventPayload::ResyncRequired => {
            conversation_list::state::load_first_page(
                ctx.state,
                auth.client(),
                ctx.filter.get_untracked(),
            );
        }
        _ => {}
    });
}

/// A callback that replaces a changed conversation in the list (or removes it when it no
/// longer matches the filter). Made during setup so it can be called from any handler.
pub fn list_upserter() -> Callback<api::Conversation> {
    optional_list_upserter().expect("inside the workspace")
}

/// Like [`list_upserter`], but `None` where there is no list (the embedded panel).
pub fn optional_list_upserter() -> Option<Callback<api::Conversation>> {
    let ctx = use_context::<ListContext>()?;
    let auth = use_auth();
    Some(Callback::new(move |conversation: api::Conversation| {
        let Some(me) = auth
            .agent
            .with_untracked(|a| a.as_ref().map(|a| a.id.clone()))
        else {
            return;
        };
        let filter = ctx.filter.get_untracked();
        let all_loaded = ctx.state.next_cursor().with_untracked(Option::is_none);
        ctx.state.items().update(|items| {
            conversation_list::state::apply_update(items, conversation, &filter, &me, all_loaded)
        });
    }))
}

/// Whether the details panel is shown (toggled by its button and the `i` shortcut).
pub fn shortcuts_details() -> shortcuts::DetailsVisible {
    expect_context::<shortcuts::DetailsVisible>()
}
