//! The signed-in screen: it loads the workspace, then lays out the top bar and the page of the
//! route (the three panes, or views), and installs the keyboard shortcuts.

mod header;
mod panes;
mod picture;
mod profile;
pub mod shortcuts;

pub use panes::{ConversationPanes, NoConversation};

use crate::auth::use_auth;
use crate::conversation_list::{self, ConversationList, ListContext, ListState};
use crate::nav::{current_app_url, use_app_path, use_navigate};
use crate::ui::ErrorNotice;
use convoroom_api as api;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::Outlet;
use leptos_router::hooks::use_query_map;
use reactive_stores::Store;

#[component]
pub fn Workspace() -> impl IntoView {
    let auth = use_auth();
    view! {
        <Show
            when=move || auth.signed_in()
            fallback=move || {
                let next = current_app_url();
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
                    Err(error) => view! {
                        <div class="boot">
                            <ErrorNotice what="open your workspace" error retry=move || workspace.refetch()/>
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
    let workspace = crate::workspace::Workspace::provide(data);

    let query = use_query_map();
    let path = use_app_path();
    let navigate = use_navigate();
    let filter = Memo::new(move |_| {
        query.with(|q| conversation_list::filters::from_query(|key| q.get(key)))
    });
    let selected_id = Memo::new(move |_| {
        path.with(|path| {
            path.strip_prefix("/conversations/")
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
        let path = path.get_untracked();
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
    let hub = crate::live::LiveHub::provide(auth.client());
    workspace.follow_live(hub);
    crate::canned::CannedResponses::provide(hub);
    crate::notifications::Notifications::provide(hub, workspace);
    conversation_list::follow_live(state, filter.into(), hub);
    // A list filtered on a label an admin renames or deletes goes on showing what it showed:
    // the renamed label's conversations, or (deleted) all of them.
    hub.subscribe(move |event| {
        let current = filter.get_untracked();
        let label = match &event.payload {
            api::EventPayload::LabelRenamed { from, label }
                if current.label.as_ref() == Some(from) =>
            {
                Some(label.name.clone())
            }
            api::EventPayload::LabelDeleted { name } if current.label.as_ref() == Some(name) => {
                None
            }
            _ => return,
        };
        set_filter.run(api::ConversationFilter { label, ..current });
    });

    let shortcuts_open = RwSignal::new(false);
    shortcuts::install(shortcuts_open);
    let profile_open = RwSignal::new(false);

    view! {
        <div class="app" class:app--has-selection=move || selected_id.get().is_some()>
            <header::Header shortcuts_open profile_open/>
            <Outlet/>
            <shortcuts::ShortcutsDialog open=shortcuts_open/>
            <profile::ProfileDialog open=profile_open/>
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
