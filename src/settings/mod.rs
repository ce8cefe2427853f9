//! The admins' Settings area (`/settings`): one page per kind of setting (dispositions,
//! after-conversation work, labels, pipeline stages, custom attributes, agents, teams, integrations),
//! listed in a side nav.
//! Agents who open it are told it is for admins (the API refuses their writes too). A new page
//! is one file here, one entry in [`PAGES`] and one route in `lib.rs`.

mod after_conversation;
mod agents;
mod attributes;
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
pub use dispositions::DispositionsPage;
pub use integrations::IntegrationsPage;
pub use labels::LabelsPage;
pub use stages::StagesPage;
pub use teams::TeamsPage;

use crate::auth::use_auth;
use crate::nav::A;
use convoroom_api as api;
use leptos::prelude::*;
use leptos_router::components::Outlet;

/// The pages of the nav, in order: app path and name.
const PAGES: &[(&str, &str)] = &[
    ("/settings/dispositions", "Dispositions"),
    ("/settings/after-conversation", "After-conversation work"),
    ("/settings/labels", "Labels"),
    ("/settings/pipeline-stages", "Pipeline stages"),
    ("/settings/attributes", "Custom attributes"),
    ("/settings/agents", "Agents"),
    ("/settings/teams", "Teams"),
    ("/settings/integrations", "Integrations"),
];

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
    view! {
        <main class="settings-page">
            <Show when=admin fallback=|| view! { <OnlyAdmins/> }>
                <nav class="settings-nav" aria-labelledby="settings-nav-title">
                    <h2 id="settings-nav-title">"Settings"</h2>
                    <ul class="settings-nav__list">
                        {PAGES.iter().map(|(href, name)| view! {
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

/// `/settings` itself opens the first page.
#[component]
pub fn FirstSettingsPage() -> impl IntoView {
    view! { <crate::ui::GoTo path=PAGES[0].0.to_string()/> }
}

#[component]
fn OnlyAdmins() -> impl IntoView {
    view! {
        <section class="settings-denied" aria-labelledby="settings-denied-title">
            <h2 id="settings-denied-title">"Only admins can change settings"</h2>
            <p>"Agents, teams, labels, pipeline stages, dispositions, what each team records when resolving and the integrations that deliver replies are kept by your workspace's admins. Ask one of them if something should change."</p>
            <A href="/conversations">"Back to conversations"</A>
        </section>
    }
}
