//! Convoroom: the agent workspace for customer conversations.
//!
//! Organised by feature, in three tiers; a module imports only from its own tier's
//! neighbours named here or from the tiers below it:
//!
//! - **foundation**: `api` (the one HTTP client), `config`, `nav` (links and navigation under the
//!   router base), `storage`, `record` (newer version wins), `ui` (icons, avatars, time, text,
//!   the error notice). No feature code.
//! - **services**, shared through context: `auth`, `workspace` (agents, teams, labels…), `live`
//!   (the event stream, presence), `layout` (what the panes of a conversation tell each other),
//!   `canned` (the canned responses the agent may use).
//! - **features**: `conversation_list`, `chat`, `details`, `views` (table mode), `settings`
//!   (the admins' pages, and the agents' own canned responses), `notifications` (the bell). `views` uses the list's state, filters and windowing; `chat` and
//!   `details` tell the list about changes; `details` shows the chat's message bubbles; the
//!   list's resolve dialog serves the chat and the bulk bar. Nothing imports `views`,
//!   `settings` or `notifications` but the shell, and no feature imports `shell` or `embed`.
//! - **screens**, which compose features: `shell` (the signed-in app, its routes' pages and
//!   shortcuts) and `embed` (the details panel inside another product's page).

pub mod api;
pub mod auth;
pub mod canned;
pub mod chat;
pub mod config;
pub mod conversation_list;
pub mod details;
#[cfg(feature = "embed")]
pub mod embed;
pub mod layout;
pub mod live;
pub mod nav;
pub mod notifications;
pub mod record;
pub mod settings;
pub mod shell;
pub mod storage;
pub mod ui;
pub mod views;
pub mod workspace;

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    let client = api::ApiClient::new(config::api_base(), None);
    auth::Auth::provide(client);
    ui::theme::provide_theme();
    let base = config::router_base();
    nav::provide_base(&base);

    view! {
        <Router base>
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
                    <ParentRoute path=path!("/settings") view=settings::SettingsPage>
                        <Route path=path!("dispositions") view=settings::DispositionsPage/>
                        <Route path=path!("after-conversation") view=settings::AfterConversationPage/>
                        <Route path=path!("labels") view=settings::LabelsPage/>
                        <Route path=path!("pipeline-stages") view=settings::StagesPage/>
                        <Route path=path!("attributes") view=settings::AttributesPage/>
                        <Route path=path!("agents") view=settings::AgentsPage/>
                        <Route path=path!("teams") view=settings::TeamsPage/>
                        <Route path=path!("integrations") view=settings::IntegrationsPage/>
                        <Route path=path!("canned-responses") view=settings::CannedResponsesPage/>
                        <Route path=path!("") view=settings::FirstSettingsPage/>
                    </ParentRoute>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
