//! Convoroom: the agent workspace for customer conversations.
//!
//! Organised by feature: `conversation_list`, `chat`, `details`, `views` (table mode), with the app shell in
//! `shell`, sign-in in `auth`, and the one HTTP client in `api`.

pub mod api;
pub mod auth;
pub mod chat;
pub mod config;
pub mod conversation_list;
pub mod details;
#[cfg(feature = "embed")]
pub mod embed;
pub mod live;
pub mod shell;
pub mod storage;
pub mod ui;
pub mod views;

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    let client = api::ApiClient::new(config::api_base(), None);
    auth::Auth::provide(client);
    ui::theme::provide_theme();

    view! {
        <Router base=config::router_base()>
            <Routes fallback=|| view! { <ui::GoTo path="/conversations".to_string()/> }>
                <Route path=path!("/sign-in") view=auth::SignInPage/>
                <ParentRoute path=path!("") view=shell::Workspace>
                    <ParentRoute path=path!("/conversations") view=shell::ConversationsPage>
                        <Route path=path!(":id") view=shell::ConversationPanes/>
                        <Route path=path!("") view=shell::NoConversation/>
                    </ParentRoute>
                    <ParentRoute path=path!("/views") view=views::ViewsPage>
                        <Route path=path!(":view_id") view=views::ViewTable/>
                        <Route path=path!("") view=views::NoViewSelected/>
                    </ParentRoute>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
