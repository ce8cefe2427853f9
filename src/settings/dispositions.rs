//! `/settings/dispositions`: the outcomes agents choose from when they resolve. Admins add,
//! rename, reorder, archive and delete them; every open app follows through the workspace's
//! live events. Conversations keep the name they were resolved with, so nothing here rewrites
//! history.

use super::ordered_list::{AddForm, Edit, Entry, EntryRow};
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
            <AddForm
                label="New disposition"
                placeholder="e.g. Call back later"
                maxlength=api::validate::DISPOSITION_MAX_CHARS
                value=new_name
                busy=change.pending()
                on_add=Callback::new(move |()| add())
            />
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

/// A disposition's row: its edits become the page's changes.
#[component]
fn DispositionRow(
    disposition: Disposition,
    #[prop(into)] count: Signal<usize>,
    #[prop(into)] busy: Signal<bool>,
    on_change: Callback<Change>,
) -> impl IntoView {
    let entry = Entry {
        name: disposition.name.clone(),
        position: disposition.position,
        archived: disposition.archived,
    };
    let warning = format!(
        "Delete “{}”? Agents can no longer choose it; conversations resolved with it keep the name. To keep it for reports but stop offering it, archive it instead.",
        disposition.name
    );
    let on_edit = Callback::new(move |edit: Edit| {
        let change = match edit {
            Edit::Delete => Change::Delete(disposition.clone()),
            Edit::Rename(name) => Change::Update(
                disposition.clone(),
                UpdateDisposition {
                    name: Some(name),
                    ..Default::default()
                },
            ),
            Edit::Move(position) => Change::Update(
                disposition.clone(),
                UpdateDisposition {
                    position: Some(position),
                    ..Default::default()
                },
            ),
            Edit::Archive(archived) => Change::Update(
                disposition.clone(),
                UpdateDisposition {
                    archived: Some(archived),
                    ..Default::default()
                },
            ),
        };
        on_change.run(change);
    });
    view! {
        <EntryRow entry maxlength=api::validate::DISPOSITION_MAX_CHARS count busy delete_warning=warning on_edit/>
    }
}
