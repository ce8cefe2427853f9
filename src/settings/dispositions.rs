//! `/settings/dispositions`: the outcomes agents choose from when they resolve. Admins add,
//! rename, reorder, archive and delete them; every open app follows through the workspace's
//! live events. Conversations keep the name they were resolved with, so nothing here rewrites
//! history.

use crate::auth::use_auth;
use crate::workspace::use_workspace;
use convoroom_api::{self as api, Disposition, UpdateDisposition};
use leptos::prelude::*;

/// One change to the list, sent by the page's single action.
#[derive(Clone)]
enum Change {
    Add(String),
    Update(Disposition, UpdateDisposition),
    Delete(Disposition),
}

impl Change {
    fn failure(&self) -> String {
        match self {
            Change::Add(name) => format!("Couldn't add “{name}”."),
            Change::Update(d, _) => format!("Couldn't change “{}”.", d.name),
            Change::Delete(d) => format!("Couldn't delete “{}”.", d.name),
        }
    }
}

#[component]
pub fn DispositionsPage() -> impl IntoView {
    let auth = use_auth();
    let workspace = use_workspace();
    let new_name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let status = RwSignal::new(String::new());
    // The write, then the whole list again: a move renumbers its neighbours too.
    let change = Action::new_local(move |change: &Change| {
        let client = auth.client();
        let change = change.clone();
        async move {
            let done = match &change {
                Change::Add(name) => client
                    .create_disposition(name.clone())
                    .await
                    .map(|d| format!("Added “{}”.", d.name)),
                Change::Update(d, update) => client
                    .update_disposition(&d.id, d.version, update)
                    .await
                    .map(|d| format!("Saved “{}”.", d.name)),
                Change::Delete(d) => client
                    .delete_disposition(&d.id)
                    .await
                    .map(|()| format!("Deleted “{}”.", d.name)),
            };
            let done = done.map_err(|err| format!("{} {err}", change.failure()))?;
            let all = client
                .dispositions()
                .await
                .map_err(|err| format!("{done} Couldn't reload the list. {err}"))?;
            Ok::<_, String>((done, all, matches!(change, Change::Add(_))))
        }
    });
    Effect::new(move |_| match change.value().get() {
        Some(Ok((done, all, added))) => {
            error.set(None);
            status.set(done);
            workspace.set_dispositions(all);
            if added {
                new_name.set(String::new());
            }
        }
        Some(Err(message)) => error.set(Some(message)),
        None => {}
    });
    let add = move || {
        let others: Vec<String> =
            workspace.with_untracked(|w| w.dispositions.iter().map(|d| d.name.clone()).collect());
        match api::disposition_name(&new_name.get_untracked(), others.iter().map(String::as_str)) {
            Ok(name) => {
                change.dispatch(Change::Add(name));
            }
            Err(message) => error.set(Some(message)),
        }
    };
    let rows = move || workspace.with(|w| w.dispositions.clone());

    view! {
        <section class="settings-section" aria-labelledby="dispositions-title">
            <h2 id="dispositions-title">"Dispositions"</h2>
            <p class="muted">"What agents choose from when they resolve a conversation. Teams can require one (After-conversation work). Archived dispositions are no longer offered; conversations keep the one they were resolved with."</p>
            <form class="settings-add" on:submit=move |ev| { ev.prevent_default(); add(); }>
                <label class="field">
                    <span class="field__label">"New disposition"</span>
                    <input
                        type="text"
                        maxlength=api::validate::DISPOSITION_MAX_CHARS.to_string()
                        placeholder="e.g. Call back later"
                        prop:value=new_name
                        on:input:target=move |ev| new_name.set(ev.target().value())
                    />
                </label>
                <button type="submit" class="button button--primary" disabled=move || change.pending().get() || new_name.with(|n| n.trim().is_empty())>
                    "Add"
                </button>
            </form>
            <Show when=move || error.get().is_some()>
                <p class="form-error" role="alert">{move || error.get()}</p>
            </Show>
            <p class="sr-only" role="status">{move || status.get()}</p>
            <Show when=move || !rows().is_empty() fallback=|| view! { <p class="muted">"No dispositions yet: add the first one above."</p> }>
                <ol class="settings-list" aria-label="Dispositions, in the order agents see them">
                    <For each=rows key=|d| (d.id.clone(), d.version) let:disposition>
                        <DispositionRow disposition count=Signal::derive(move || rows().len()) busy=change.pending() on_change=Callback::new(move |c| { change.dispatch(c); })/>
                    </For>
                </ol>
            </Show>
        </section>
    }
}

#[component]
fn DispositionRow(
    disposition: Disposition,
    #[prop(into)] count: Signal<usize>,
    #[prop(into)] busy: Signal<bool>,
    on_change: Callback<Change>,
) -> impl IntoView {
    let renaming = RwSignal::new(false);
    let confirming_delete = RwSignal::new(false);
    let name = RwSignal::new(disposition.name.clone());
    let d = StoredValue::new(disposition.clone());
    let update =
        move |update: UpdateDisposition| on_change.run(Change::Update(d.get_value(), update));
    let position = disposition.position;
    let label = disposition.name.clone();
    let archived = disposition.archived;
    let is_last = move || position as usize + 1 >= count.get();

    view! {
        <li class="settings-row" class:settings-row--archived=archived>
            <Show
                when=move || renaming.get()
                fallback=move || {
                    let label = d.with_value(|d| d.name.clone());
                    view! {
                        <span class="settings-row__name">{label}</span>
                        {archived.then(|| view! { <span class="chip">"Archived"</span> })}
                    }
                }
            >
                <form class="settings-row__rename" on:submit=move |ev| {
                    ev.prevent_default();
                    renaming.set(false);
                    update(UpdateDisposition { name: Some(name.get_untracked()), ..Default::default() });
                }>
                    <label>
                        <span class="sr-only">{format!("New name for {}", d.with_value(|d| d.name.clone()))}</span>
                        <input type="text" maxlength=api::validate::DISPOSITION_MAX_CHARS.to_string() prop:value=name on:input:target=move |ev| name.set(ev.target().value())/>
                    </label>
                    <button type="submit" class="button button--small button--primary">"Save"</button>
                    <button type="button" class="button button--small" on:click=move |_| renaming.set(false)>"Cancel"</button>
                </form>
            </Show>
            <span class="settings-row__actions">
                <button type="button" class="button button--small" disabled=move || busy.get() || position == 0
                    aria-label=format!("Move {label} up")
                    on:click=move |_| update(UpdateDisposition { position: Some(position.saturating_sub(1)), ..Default::default() })>
                    "Up"
                </button>
                <button type="button" class="button button--small" disabled=move || busy.get() || is_last()
                    aria-label=format!("Move {label} down")
                    on:click=move |_| update(UpdateDisposition { position: Some(position + 1), ..Default::default() })>
                    "Down"
                </button>
                <button type="button" class="button button--small" disabled=busy
                    aria-label=format!("Rename {label}")
                    on:click=move |_| { name.set(d.with_value(|d| d.name.clone())); renaming.set(true); }>
                    "Rename"
                </button>
                <button type="button" class="button button--small" disabled=busy
                    aria-label=format!("{} {label}", if archived { "Restore" } else { "Archive" })
                    on:click=move |_| update(UpdateDisposition { archived: Some(!archived), ..Default::default() })>
                    {if archived { "Restore" } else { "Archive" }}
                </button>
                <button type="button" class="button button--small button--danger" disabled=busy
                    aria-label=format!("Delete {label}")
                    on:click=move |_| confirming_delete.set(true)>
                    "Delete"
                </button>
            </span>
            <Show when=move || confirming_delete.get()>
                <div class="settings-row__confirm" role="group" aria-label=format!("Confirm deleting {}", d.with_value(|d| d.name.clone()))>
                    <p>{format!("Delete “{}”? Agents can no longer choose it; conversations resolved with it keep the name. To keep it for reports but stop offering it, archive it instead.", d.with_value(|d| d.name.clone()))}</p>
                    <button type="button" class="button button--small button--danger" on:click=move |_| { confirming_delete.set(false); on_change.run(Change::Delete(d.get_value())); }>
                        "Delete for good"
                    </button>
                    <button type="button" class="button button--small" on:click=move |_| confirming_delete.set(false)>"Keep it"</button>
                </div>
            </Show>
        </li>
    }
}
