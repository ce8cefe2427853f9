//! The Settings area (`/settings`): one page per kind of setting (dispositions,
//! after-conversation work, labels, pipeline stages, custom attributes, agents, teams,
//! integrations, canned responses), listed in a side nav.
//! Every page but Canned responses is the admins': agents see only that one in the nav, and
//! are told the others are for admins (the API refuses their writes too). A new page is one
//! file here, one entry in [`PAGES`] and one route in `lib.rs`.

mod after_conversation;
mod agents;
mod attributes;
mod canned;
mod canned_form;
mod dispositions;
pub mod integrations;
mod label_form;
mod labels;
pub(crate) mod ordered_list;
mod stages;
mod teams;

pub use after_conversation::AfterConversationPage;
pub use agents::AgentsPage;
pub use attributes::AttributesPage;
pub use canned::CannedResponsesPage;
pub use dispositions::DispositionsPage;
pub use integrations::IntegrationsPage;
pub use labels::LabelsPage;
pub use stages::StagesPage;
pub use teams::TeamsPage;

use crate::auth::use_auth;
use crate::nav::{A, use_app_path};
use convoroom_api as api;
use leptos::prelude::*;
use leptos_router::components::Outlet;

/// The pages of the nav, in order: app path, name, and whether agents open it too.
const PAGES: &[(&str, &str, bool)] = &[
    ("/settings/dispositions", "Dispositions", false),
    (
        "/settings/after-conversation",
        "After-conversation work",
        false,
    ),
    ("/settings/labels", "Labels", false),
    ("/settings/pipeline-stages", "Pipeline stages", false),
    ("/settings/attributes", "Custom attributes", false),
    ("/settings/agents", "Agents", false),
    ("/settings/teams", "Teams", false),
    ("/settings/integrations", "Integrations", false),
    ("/settings/canned-responses", "Canned responses", true),
];

/// The pages the caller may open (tracked).
fn pages_for(admin: bool) -> impl Iterator<Item = &'static (&'static str, &'static str, bool)> {
    PAGES
        .iter()
        .filter(move |(_, _, for_agents)| admin || *for_agents)
}

/// Whether an agent may open the page at `path`.
fn open_to_agents(path: &str) -> bool {
    PAGES
        .iter()
        .any(|(href, _, for_agents)| *for_agents && path.trim_end_matches('/') == *href)
}

/// Whether the signed-in agent is an admin (tracked).
pub fn is_admin() -> impl Fn() -> bool + Copy {
    let auth = use_auth();
    move || {
        auth.agent
            .with(|a| a.as_ref().is_some_and(|a| a.role == api::Role::Admin))
    }
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let admin = is_admin();
    let path = use_app_path();
    // `/settings` itself redirects to a page the caller may open, so it counts as one.
    let may_open = move || {
        admin() || path.with(|p| open_to_agents(p) || p.trim_end_matches('/') == "/settings")
    };
    view! {
        <main class="settings-page">
            <Show when=may_open fallback=|| view! { <OnlyAdmins/> }>
                <nav class="settings-nav" aria-labelledby="settings-nav-title">
                    <h2 id="settings-nav-title">"Settings"</h2>
                    <ul class="settings-nav__list">
                        {move || pages_for(admin()).map(|(href, name, _)| view! {
                            <li><A href=*href>{*name}</A></li>
                        }).collect_view()}
                    </ul>
                </nav>
                <div class="settings-content">
                    <Outlet/>
                </div>
            </Show>
        </main>
    }
}

/// `/settings` itself opens the first page the caller may open.
#[component]
pub fn FirstSettingsPage() -> impl IntoView {
    let first = pages_for(is_admin()())
        .next()
        .map_or(PAGES[0].0, |(href, _, _)| *href);
    view! { <crate::ui::GoTo path=first.to_string()/> }
}

#[component]
fn OnlyAdmins() -> impl IntoView {
    view! {
        <section class="settings-denied" aria-labelledby="settings-denied-title">
            <h2 id="settings-denied-title">"Only admins can change settings"</h2>
            <p>"Agents, teams, labels, pipeline stages, dispositions, what each team records when resolving and the integrations that deliver replies are kept by your workspace's admins. Ask one of them if something should change."</p>
            <p>"Your own canned responses are yours to keep: " <A href="/settings/canned-responses">"Canned responses"</A></p>
            <A href="/conversations">"Back to conversations"</A>
        </section>
    }
}
