//! `/settings/agents`: who works in the workspace. Admins add an agent (a temporary password
//! is shown once, to hand over), change their role and teams, deactivate them — which signs
//! them out everywhere at once — or reactivate them, and reset their password. The last active
//! admin stays one (the server refuses and says so).

use crate::auth::use_auth;
use crate::workspace::use_workspace;
use convoroom_api::{self as api, Role, UpdateAgent};
use leptos::prelude::*;

const NAME_MAX_CHARS: usize = 100;

/// A temporary password just made, shown until the admin has handed it over.
#[derive(Clone)]
struct Handover {
    name: String,
    email: String,
    password: String,
}

#[component]
pub fn AgentsPage() -> impl IntoView {
    let auth = use_auth();
    let workspace = use_workspace();
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let admin = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let handover = RwSignal::new(None::<Handover>);
    let create = Action::new_local(move |request: &api::CreateAgent| {
        let client = auth.client();
        let request = request.clone();
        async move {
            client
                .create_agent(&request)
                .await
                .map_err(|err| format!("Couldn't add {}. {err}", request.name))
        }
    });
    Effect::new(move |_| match create.value().get() {
        Some(Ok(made)) => {
            error.set(None);
            name.set(String::new());
            email.set(String::new());
            admin.set(false);
            handover.set(Some(Handover {
                name: made.agent.name.clone(),
                email: made.agent.email.clone(),
                password: made.temporary_password,
            }));
            workspace.upsert_agent(made.agent);
        }
        Some(Err(message)) => error.set(Some(message)),
        None => {}
    });
    let add = move || {
        let request = api::CreateAgent {
            name: name.get_untracked().trim().to_string(),
            email: email.get_untracked().trim().to_string(),
            role: Some(if admin.get_untracked() {
                Role::Admin
            } else {
                Role::Agent
            }),
            team_ids: Vec::new(),
        };
        if let Err(message) = api::validate::email(&request.email) {
            error.set(Some(message));
        } else if !request.name.is_empty() {
            create.dispatch(request);
        }
    };
    let agents = move || workspace.with(|w| w.agents.clone());
    let me = move || workspace.with(|w| w.me.id.clone());
    view! {
        <section class="settings-section" aria-labelledby="agents-title">
            <h2 id="agents-title">"Agents"</h2>
            <p class="muted">"Who works here. Deactivating someone signs them out everywhere at once; their conversations stay assigned to them until you reassign them. Teams are chosen under Teams."</p>
            <form class="settings-add" on:submit=move |ev| { ev.prevent_default(); add(); }>
                <label class="field">
                    <span class="field__label">"Name"</span>
                    <input type="text" maxlength=NAME_MAX_CHARS.to_string() autocomplete="off" prop:value=name on:input:target=move |ev| name.set(ev.target().value())/>
                </label>
                <label class="field">
                    <span class="field__label">"Email"</span>
                    <input type="email" autocomplete="off" prop:value=email on:input:target=move |ev| email.set(ev.target().value())/>
                </label>
                <label class="check">
                    <input type="checkbox" prop:checked=admin on:change:target=move |ev| admin.set(ev.target().checked())/>
                    <span>"Admin"</span>
                </label>
                <button type="submit" class="button button--primary"
                    disabled=move || create.pending().get() || name.with(|n| n.trim().is_empty()) || email.with(|e| e.trim().is_empty())>
                    "Add agent"
                </button>
            </form>
            <Show when=move || error.get().is_some()>
                <p class="form-error" role="alert">{move || error.get()}</p>
            </Show>
            <PasswordHandover handover/>
            <ul class="settings-list" aria-label="Agents">
                <For each=agents key=|a| (a.id.clone(), a.name.clone(), a.role, a.active) let:agent>
                    <AgentRow agent is_me=Signal::derive(me) handover/>
                </For>
            </ul>
        </section>
    }
}

/// The temporary password, until the admin says it was handed over.
#[component]
fn PasswordHandover(handover: RwSignal<Option<Handover>>) -> impl IntoView {
    move || {
        handover.get().map(|shown| {
            let section = NodeRef::<leptos::html::Section>::new();
            Effect::new(move |_| {
                if let Some(section) = section.get() {
                    let _ = section.focus();
                }
            });
            view! {
                <section node_ref=section tabindex="-1" class="secrets-once notice notice--warning" aria-labelledby="handover-title">
                    <h3 id="handover-title">{format!("Temporary password for {}", shown.name)}</h3>
                    <p><strong>"Give it to them now: you will not see it again."</strong>
                        {format!(" They sign in as {} with it.", shown.email)}</p>
                    <label class="field">
                        <span class="field__label">"Temporary password"</span>
                        <input type="text" readonly spellcheck="false" autocomplete="off" prop:value=shown.password.clone()/>
                    </label>
                    <button type="button" class="button button--primary" on:click=move |_| handover.set(None)>
                        "Done"
                    </button>
                </section>
            }
        })
    }
}

#[component]
fn AgentRow(
    agent: api::Agent,
    #[prop(into)] is_me: Signal<String>,
    handover: RwSignal<Option<Handover>>,
) -> impl IntoView {
    let auth = use_auth();
    let workspace = use_workspace();
    let error = RwSignal::new(None::<String>);
    let status = RwSignal::new(String::new());
    let id = agent.id.clone();
    let label = agent.name.clone();
    let role = agent.role;
    let shown_role = RwSignal::new(role);
    let save = Action::new_local({
        let id = id.clone();
        let label = label.clone();
        move |update: &UpdateAgent| {
            let client = auth.client();
            let (id, label, update) = (id.clone(), label.clone(), update.clone());
            async move {
                client
                    .update_agent(&id, &update)
                    .await
                    .map_err(|err| format!("Couldn't change {label}. {err}"))
            }
        }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(updated)) => {
            error.set(None);
            status.set(format!("Saved {}.", updated.name));
            workspace.upsert_agent(updated);
        }
        Some(Err(message)) => {
            // Show what is stored, not the change that was refused.
            shown_role.set(role);
            error.set(Some(message));
        }
        None => {}
    });
    let reset = Action::new_local({
        let id = id.clone();
        move |_: &()| {
            let client = auth.client();
            let id = id.clone();
            async move { client.reset_agent_password(&id).await }
        }
    });
    Effect::new({
        let label = label.clone();
        move |_| match reset.value().get() {
            Some(Ok(made)) => {
                error.set(None);
                handover.set(Some(Handover {
                    name: made.agent.name.clone(),
                    email: made.agent.email.clone(),
                    password: made.temporary_password,
                }));
            }
            Some(Err(err)) => error.set(Some(format!("Couldn't reset {label}'s password. {err}"))),
            None => {}
        }
    });
    let active = agent.active;
    let itself = {
        let id = id.clone();
        move || is_me.get() == id
    };
    view! {
        <li class="settings-row" class:settings-row--archived=!active>
            <span class="settings-row__name">
                {agent.name.clone()}
                <span class="muted">{format!(" · {}", agent.email)}</span>
                {(!active).then(|| view! { <span class="chip">"Deactivated"</span> })}
            </span>
            <span class="settings-row__actions">
                <label>
                    <span class="sr-only">{format!("Role of {label}")}</span>
                    <select disabled=move || save.pending().get()
                        prop:value=move || if shown_role.get() == Role::Admin { "admin" } else { "agent" }
                        on:change:target=move |ev| {
                            let role = if ev.target().value() == "admin" { Role::Admin } else { Role::Agent };
                            shown_role.set(role);
                            save.dispatch(UpdateAgent { role: Some(role), ..Default::default() });
                        }>
                        <option value="agent">"Agent"</option>
                        <option value="admin">"Admin"</option>
                    </select>
                </label>
                <button type="button" class="button button--small" disabled=move || reset.pending().get()
                    aria-label=format!("Reset password of {label}")
                    on:click=move |_| { reset.dispatch(()); }>
                    "Reset password"
                </button>
                <Show when=move || !itself()>
                    <button type="button" class="button button--small" class:button--danger=active disabled=move || save.pending().get()
                        aria-label=format!("{} {}", if active { "Deactivate" } else { "Reactivate" }, label.clone())
                        on:click=move |_| { save.dispatch(UpdateAgent { active: Some(!active), ..Default::default() }); }>
                        {if active { "Deactivate" } else { "Reactivate" }}
                    </button>
                </Show>
            </span>
            <Show when=move || error.get().is_some()>
                <p class="form-error" role="alert">{move || error.get()}</p>
            </Show>
            <p class="sr-only" role="status">{move || status.get()}</p>
        </li>
    }
}
