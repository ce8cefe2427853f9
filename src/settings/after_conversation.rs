//! `/settings/after-conversation`: what each team's agents must record when they resolve one
//! of its conversations — a disposition, a wrap-up note, and on calls who ended it. Resolve
//! asks for exactly these (in the chat, the composer's Send and resolve, and bulk resolve), and
//! the server refuses a resolve without them.

use crate::auth::use_auth;
use crate::workspace::use_workspace;
use convoroom_api::{self as api, AfterConversationRules};
use leptos::prelude::*;

#[component]
pub fn AfterConversationPage() -> impl IntoView {
    let workspace = use_workspace();
    let teams = move || workspace.with(|w| w.teams.clone());
    view! {
        <section class="settings-section" aria-labelledby="after-conversation-title">
            <h2 id="after-conversation-title">"After-conversation work"</h2>
            <p class="muted">"Choose what agents must record when they resolve a team's conversations. The dispositions they choose from are under Dispositions."</p>
            <Show when=move || !teams().is_empty() fallback=|| view! { <p class="muted">"No teams yet."</p> }>
                <For each=teams key=|t| t.id.clone() let:team>
                    <TeamRules team/>
                </For>
            </Show>
        </section>
    }
}

#[component]
fn TeamRules(team: api::Team) -> impl IntoView {
    let auth = use_auth();
    let workspace = use_workspace();
    let rules = RwSignal::new(team.after_conversation);
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(String::new());
    let stored = StoredValue::new(team.clone());
    // Another admin's change (a live event) replaces what this row shows.
    let id = team.id.clone();
    Effect::new(move |_| {
        let latest = workspace.with(|w| w.teams.iter().find(|t| t.id == id).cloned());
        if let Some(latest) = latest
            && latest.version > stored.with_value(|t| t.version)
        {
            rules.set(latest.after_conversation);
            stored.set_value(latest);
        }
    });
    let save = Action::new_local(move |next: &AfterConversationRules| {
        let client = auth.client();
        let next = *next;
        let team = stored.get_value();
        async move { client.set_team_rules(&team.id, team.version, &next).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(updated)) => {
            error.set(None);
            saved.set(format!("Saved for {}.", updated.name));
            workspace.upsert_team(updated);
        }
        Some(Err(err)) => {
            // Show what is stored, not the change that failed.
            rules.set(stored.with_value(|t| t.after_conversation));
            error.set(Some(format!(
                "Couldn't save {}'s requirements. {err}",
                stored.with_value(|t| t.name.clone())
            )));
        }
        None => {}
    });
    let toggle = move |edit: fn(&mut AfterConversationRules, bool), on: bool| {
        rules.update(|r| edit(r, on));
        save.dispatch(rules.get_untracked());
    };
    let title_id = format!("team-rules-{}", team.id);
    let legend_id = title_id.clone();

    view! {
        <fieldset class="settings-team" aria-labelledby=title_id>
            <legend id=legend_id>{team.name.clone()}</legend>
            <label class="check">
                <input type="checkbox" prop:checked=move || rules.get().disposition_required disabled=save.pending()
                    on:change:target=move |ev| toggle(|r, on| r.disposition_required = on, ev.target().checked())/>
                <span>"Require a disposition"</span>
            </label>
            <label class="check">
                <input type="checkbox" prop:checked=move || rules.get().wrap_up_note_required disabled=save.pending()
                    on:change:target=move |ev| toggle(|r, on| r.wrap_up_note_required = on, ev.target().checked())/>
                <span>"Require a wrap-up note"</span>
            </label>
            <label class="check">
                <input type="checkbox" prop:checked=move || rules.get().hangup_source_required disabled=save.pending()
                    on:change:target=move |ev| toggle(|r, on| r.hangup_source_required = on, ev.target().checked())/>
                <span>"Require who ended the call (voice calls only)"</span>
            </label>
            <Show when=move || error.get().is_some()>
                <p class="form-error" role="alert">{move || error.get()}</p>
            </Show>
            <p class="sr-only" role="status">{move || saved.get()}</p>
        </fieldset>
    }
}
