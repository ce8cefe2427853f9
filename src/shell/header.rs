use crate::auth::use_auth;
use crate::nav::{A, use_app_path};
use crate::ui::icons::icon;
use crate::ui::theme::ThemeSwitch;
use convoroom_api as api;
use leptos::prelude::*;

#[component]
pub fn Header(shortcuts_open: RwSignal<bool>, profile_open: RwSignal<bool>) -> impl IntoView {
    let auth = use_auth();
    let path = use_app_path();
    let page_title = move || {
        path.with(|p| {
            if p.starts_with("/views") {
                "Views"
            } else if p.starts_with("/settings") {
                "Settings"
            } else {
                "Conversations"
            }
        })
    };
    let name = move || {
        auth.agent
            .with(|a| a.as_ref().map(|a| a.name.clone()).unwrap_or_default())
    };
    let availability = move || auth.agent.with(|a| a.as_ref().map(|a| a.availability));
    let error = RwSignal::new(None::<String>);
    let set_availability = Action::new_local(move |value: &api::Availability| {
        let client = auth.client();
        let value = *value;
        async move { client.set_availability(value).await }
    });
    Effect::new(move |_| match set_availability.value().get() {
        Some(Ok(agent)) => {
            error.set(None);
            auth.agent.set(Some(agent));
        }
        Some(Err(err)) => error.set(Some(format!("Couldn't change your availability. {err}"))),
        None => {}
    });
    let options = [
        api::Availability::Online,
        api::Availability::Away,
        api::Availability::Offline,
    ];

    view! {
        <header class="topbar">
            <h1 class="sr-only">{page_title}</h1>
            <span class="brand">
                <span class="brand-mark" aria-hidden="true"></span>
                <span class="brand-text">"Convoroom"</span>
            </span>
            <nav class="topnav" aria-label="Workspace">
                <A href="/conversations" attr:class="topnav__link">
                    {icon("inbox")}<span class="topnav__text">"Conversations"</span>
                </A>
                <A href="/views" attr:class="topnav__link">
                    {icon("table")}<span class="topnav__text">"Views"</span>
                </A>
                // Agents too: their own canned responses are there (the admins' pages are not).
                <A href="/settings" attr:class="topnav__link">
                    {icon("settings")}<span class="topnav__text">"Settings"</span>
                </A>
            </nav>
            <span class="topbar__spacer"></span>
            <crate::live::ConnectionIndicator/>
            {crate::notifications::use_notifications().map(|notifications| view! {
                <crate::notifications::Bell notifications/>
            })}
            <Show when=move || error.get().is_some()>
                <span class="topbar__error" role="alert">{move || error.get()}</span>
            </Show>
            <span class="agent-chip">
                <span
                    class=move || format!("presence-dot presence-dot--{}", availability().map_or("offline", availability_key))
                    aria-hidden="true"
                ></span>
                // Named by the agent's name (what it shows); "Your profile" is its description.
                <button type="button" class="agent-chip__profile" aria-haspopup="dialog" title="Your profile"
                    on:click=move |_| profile_open.set(true)>
                    {move || auth.agent.get().map(|agent| view! {
                        <crate::ui::avatar::Avatar id=agent.id.clone() name=agent.name.clone() small=true picture=agent.avatar_url.clone()/>
                    })}
                    <span class="agent-chip__name">{name}</span>
                </button>
                <label>
                    <span class="sr-only">"Availability"</span>
                    <select
                        title="Availability"
                        prop:value=move || availability().map_or("offline", availability_key)
                        on:change:target=move |ev| {
                            let value = match ev.target().value().as_str() {
                                "online" => api::Availability::Online,
                                "away" => api::Availability::Away,
                                _ => api::Availability::Offline,
                            };
                            set_availability.dispatch(value);
                        }
                    >
                        {options
                            .into_iter()
                            .map(|a| view! { <option value=availability_key(a)>{availability_label(a)}</option> })
                            .collect_view()}
                    </select>
                </label>
            </span>
            <button
                type="button"
                class="icon-button topbar__shortcuts"
                aria-label="Keyboard shortcuts"
                title="Keyboard shortcuts (?)"
                on:click=move |_| shortcuts_open.set(true)
            >
                {icon("keyboard")}
            </button>
            <ThemeSwitch/>
            <button type="button" class="icon-button" aria-label="Sign out" title="Sign out" on:click=move |_| auth.sign_out()>
                {icon("sign-out")}
            </button>
        </header>
    }
}

fn availability_key(a: api::Availability) -> &'static str {
    match a {
        api::Availability::Online => "online",
        api::Availability::Away => "away",
        api::Availability::Offline => "offline",
    }
}

fn availability_label(a: api::Availability) -> &'static str {
    match a {
        api::Availability::Online => "Online",
        api::Availability::Away => "Away",
        api::Availability::Offline => "Offline",
    }
}
