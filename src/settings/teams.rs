//! `/settings/teams`: the teams conversations are routed to. Admins add a team, rename it,
//! choose its members and archive it (an archived team takes no new conversations; those it
//! has keep it). Every open app follows through the workspace's live events.

use crate::auth::use_auth;
use crate::workspace::use_workspace;
use convoroom_api::{self as api, UpdateTeam};
use leptos::prelude::*;

const NAME_MAX_CHARS: usize = 100;

#[component]
pub fn TeamsPage() -> impl IntoView {
    let auth = use_auth();
    let workspace = use_workspace();
    let new_name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let status = RwSignal::new(String::new());
    let create = Action::new_local(move |name: &String| {
        let client = auth.client();
        let name = name.clone();
        async move {
            client
                .create_team(name.clone())
                .await
                .map_err(|err| format!("Couldn't add “{name}”. {err}"))
        }
    });
    Effect::new(move |_| match create.value().get() {
        Some(Ok(team)) => {
            error.set(None);
            status.set(format!("Added “{}”.", team.name));
            new_name.set(String::new());
            workspace.upsert_team(team);
        }
        Some(Err(message)) => error.set(Some(message)),
        None => {}
    });
    let add = move || {
        let name = new_name.get_untracked().trim().to_string();
        let taken = workspace.with_untracked(|w| {
            w.teams
                .iter()
                .find(|t| t.name.to_lowercase() == name.to_lowercase())
                .map(|t| t.name.clone())
        });
        match taken {
            Some(existing) => error.set(Some(format!(
                "There is a team called “{existing}” already."
            ))),
            None if !name.is_empty() => {
                create.dispatch(name);
            }
            None => {}
        }
    };
    let teams = move || workspace.with(|w| w.teams.clone());
    view! {
        <section class="settings-section" aria-labelledby="teams-title">
            <h2 id="teams-title">"Teams"</h2>
            <p class="muted">"Conversations are routed to a team; agents see their teams' conversations. An archived team takes no new conversations, and those it has keep it."</p>
            <super::ordered_list::AddForm
                label="New team"
                placeholder="e.g. Returns"
                maxlength=NAME_MAX_CHARS
                value=new_name
                busy=create.pending()
                on_add=Callback::new(move |()| add())
            />
            <Show when=move || error.get().is_some()>
                <p class="form-error" role="alert">{move || error.get()}</p>
            </Show>
            <p class="sr-only" role="status">{move || status.get()}</p>
            <For each=teams key=|t| (t.id.clone(), t.version) let:team>
                <TeamCard team/>
            </For>
        </section>
    }
}

/// One team: its name, members and state, each change saved at once.
#[component]
fn TeamCard(team: api::Team) -> impl IntoView {
    let auth = use_auth();
    let workspace = use_workspace();
    let error = RwSignal::new(None::<String>);
    let status = RwSignal::new(String::new());
    let renaming = RwSignal::new(false);
    let name = RwSignal::new(team.name.clone());
    let stored = StoredValue::new(team.clone());
    let save = Action::new_local(move |update: &UpdateTeam| {
        let client = auth.client();
        let update = update.clone();
        let team = stored.get_value();
        async move {
            client
                .update_team(&team.id, team.version, &update)
                .await
                .map_err(|err| format!("Couldn't save {}. {err}", team.name))
        }
    });
    let members = RwSignal::new(team.member_ids.clone());
    Effect::new(move |_| match save.value().get() {
        Some(Ok(updated)) => {
            error.set(None);
            status.set(format!("Saved {}.", updated.name));
            workspace.upsert_team(updated);
        }
        Some(Err(message)) => {
            // The checkboxes show what is stored again, not the change that was refused.
            members.set(stored.with_value(|t| t.member_ids.clone()));
            error.set(Some(message));
        }
        None => {}
    });
    let toggle_member = move |agent: String, on: bool| {
        let mut ids: Vec<String> = stored.with_value(|t| t.member_ids.clone());
        ids.retain(|id| *id != agent);
        if on {
            ids.push(agent);
        }
        save.dispatch(UpdateTeam {
            member_ids: Some(ids),
            ..Default::default()
        });
    };
    let agents = move || workspace.with(|w| w.agents.clone());
    let alert_minutes = RwSignal::new(
        team.waiting_alert_minutes
            .map(|m| m.to_string())
            .unwrap_or_default(),
    );
    let alert_id = format!("team-{}-waiting", team.id);
    let title = team.name.clone();
    let archived = team.archived;
    let legend_id = format!("team-{}", team.id);
    let labelled_by = legend_id.clone();
    view! {
        <fieldset class="settings-team" class:settings-row--archived=archived aria-labelledby=labelled_by>
            <legend id=legend_id>
                {title.clone()}
                {archived.then(|| view! { <span class="chip">"Archived"</span> })}
            </legend>
            <Show when=move || renaming.get()>
                <form class="settings-row__rename" on:submit=move |ev| {
                    ev.prevent_default();
                    renaming.set(false);
                    save.dispatch(UpdateTeam { name: Some(name.get_untracked()), ..Default::default() });
                }>
                    <label>
                        <span class="sr-only">{format!("New name for {}", stored.with_value(|t| t.name.clone()))}</span>
                        <input type="text" maxlength=NAME_MAX_CHARS.to_string() prop:value=name on:input:target=move |ev| name.set(ev.target().value())/>
                    </label>
                    <button type="submit" class="button button--small button--primary">"Save"</button>
                    <button type="button" class="button button--small" on:click=move |_| renaming.set(false)>"Cancel"</button>
                </form>
            </Show>
            <div class="settings-team__members" role="group" aria-label=format!("Members of {title}")>
                <For each=agents key=|a| a.id.clone() let:agent>
                    {
                        let id = agent.id.clone();
                        let checked_id = agent.id.clone();
                        let is_member = move || members.with(|m| m.contains(&checked_id));
                        view! {
                            <label class="check">
                                <input type="checkbox" prop:checked=is_member disabled=save.pending()
                                    on:change:target=move |ev| toggle_member(id.clone(), ev.target().checked())/>
                                <span>{agent.name.clone()}</span>
                            </label>
                        }
                    }
                </For>
            </div>
            <form class="settings-team__alert" novalidate on:submit=move |ev| {
                ev.prevent_default();
                let text = alert_minutes.get_untracked();
                let minutes = match text.trim() {
                    "" => None,
                    digits => match digits.parse::<u32>() {
                        Ok(m) if (1..=1440).contains(&m) => Some(m),
                        _ => {
                            error.set(Some("A waiting alert is between 1 and 1440 minutes; leave it empty for none.".to_string()));
                            return;
                        }
                    },
                };
                save.dispatch(UpdateTeam { waiting_alert_minutes: Some(minutes), ..Default::default() });
            }>
                <label for=alert_id.clone()>"Alert when a customer waits longer than (minutes)"</label>
                <input id=alert_id type="number" min="1" max="1440" inputmode="numeric" placeholder="No alert"
                    prop:value=alert_minutes on:input:target=move |ev| alert_minutes.set(ev.target().value())/>
                <button type="submit" class="button button--small" disabled=save.pending()
                    aria-label=format!("Save the waiting alert of {title}")>"Save"</button>
            </form>
            <span class="settings-row__actions">
                <button type="button" class="button button--small" disabled=save.pending()
                    aria-label=format!("Rename {title}")
                    on:click=move |_| { name.set(stored.with_value(|t| t.name.clone())); renaming.set(true); }>
                    "Rename"
                </button>
                <button type="button" class="button button--small" disabled=save.pending()
                    aria-label=format!("{} {title}", if archived { "Restore" } else { "Archive" })
                    on:click=move |_| { save.dispatch(UpdateTeam { archived: Some(!archived), ..Default::default() }); }>
                    {if archived { "Restore" } else { "Archive" }}
                </button>
            </span>
            <Show when=move || error.get().is_some()>
                <p class="form-error" role="alert">{move || error.get()}</p>
            </Show>
            <p class="sr-only" role="status">{move || status.get()}</p>
        </fieldset>
    }
}
