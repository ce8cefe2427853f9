//! What the Settings pages of ordered, archivable lists share (dispositions, pipeline stages):
//! the row with Up, Down, Rename, Archive or Restore and, where a kind allows it, Delete behind
//! an inline confirmation; and the form that adds one at the end. The pages turn an [`Edit`]
//! into their own API call.

use leptos::prelude::*;

/// One item as a row shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub name: String,
    pub position: u32,
    pub archived: bool,
}

/// What the admin asked for on a row.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    Rename(String),
    Move(u32),
    Archive(bool),
    Delete,
}

/// The form that adds an item at the end of the list.
#[component]
pub fn AddForm(
    label: &'static str,
    placeholder: &'static str,
    maxlength: usize,
    value: RwSignal<String>,
    #[prop(into)] busy: Signal<bool>,
    on_add: Callback<()>,
) -> impl IntoView {
    view! {
        <form class="settings-add" on:submit=move |ev| { ev.prevent_default(); on_add.run(()); }>
            <label class="field">
                <span class="field__label">{label}</span>
                <input
                    type="text"
                    maxlength=maxlength.to_string()
                    placeholder=placeholder
                    prop:value=value
                    on:input:target=move |ev| value.set(ev.target().value())
                />
            </label>
            <button type="submit" class="button button--primary" disabled=move || busy.get() || value.with(|n| n.trim().is_empty())>
                "Add"
            </button>
        </form>
    }
}

/// One row. `delete_warning` is what the confirmation says; without one there is no Delete.
#[component]
pub fn EntryRow(
    entry: Entry,
    maxlength: usize,
    #[prop(into)] count: Signal<usize>,
    #[prop(into)] busy: Signal<bool>,
    #[prop(optional)] delete_warning: Option<String>,
    on_edit: Callback<Edit>,
) -> impl IntoView {
    let renaming = RwSignal::new(false);
    let confirming_delete = RwSignal::new(false);
    let name = RwSignal::new(entry.name.clone());
    let Entry {
        name: label,
        position,
        archived,
    } = entry;
    let is_last = move || position as usize + 1 >= count.get();
    let shown = label.clone();
    let rename_label = format!("New name for {label}");
    let delete_button = delete_warning.is_some().then(|| {
        let label = label.clone();
        view! {
            <button type="button" class="button button--small button--danger" disabled=busy
                aria-label=format!("Delete {label}")
                on:click=move |_| confirming_delete.set(true)>
                "Delete"
            </button>
        }
    });
    let confirm = delete_warning.map(|warning| {
        let label = label.clone();
        view! {
            <Show when=move || confirming_delete.get()>
                <div class="settings-row__confirm" role="group" aria-label=format!("Confirm deleting {label}")>
                    <p>{warning.clone()}</p>
                    <button type="button" class="button button--small button--danger" on:click=move |_| { confirming_delete.set(false); on_edit.run(Edit::Delete); }>
                        "Delete for good"
                    </button>
                    <button type="button" class="button button--small" on:click=move |_| confirming_delete.set(false)>"Keep it"</button>
                </div>
            </Show>
        }
    });

    view! {
        <li class="settings-row" class:settings-row--archived=archived>
            <Show
                when=move || renaming.get()
                fallback=move || view! {
                    <span class="settings-row__name">{shown.clone()}</span>
                    {archived.then(|| view! { <span class="chip">"Archived"</span> })}
                }
            >
                <form class="settings-row__rename" on:submit=move |ev| {
                    ev.prevent_default();
                    renaming.set(false);
                    on_edit.run(Edit::Rename(name.get_untracked()));
                }>
                    <label>
                        <span class="sr-only">{rename_label.clone()}</span>
                        <input type="text" maxlength=maxlength.to_string() prop:value=name on:input:target=move |ev| name.set(ev.target().value())/>
                    </label>
                    <button type="submit" class="button button--small button--primary">"Save"</button>
                    <button type="button" class="button button--small" on:click=move |_| renaming.set(false)>"Cancel"</button>
                </form>
            </Show>
            <span class="settings-row__actions">
                <button type="button" class="button button--small" disabled=move || busy.get() || position == 0
                    aria-label=format!("Move {label} up")
                    on:click=move |_| on_edit.run(Edit::Move(position.saturating_sub(1)))>
                    "Up"
                </button>
                <button type="button" class="button button--small" disabled=move || busy.get() || is_last()
                    aria-label=format!("Move {label} down")
                    on:click=move |_| on_edit.run(Edit::Move(position + 1))>
                    "Down"
                </button>
                <button type="button" class="button button--small" disabled=busy
                    aria-label=format!("Rename {label}")
                    on:click={
                        let label = label.clone();
                        move |_| { name.set(label.clone()); renaming.set(true); }
                    }>
                    "Rename"
                </button>
                <button type="button" class="button button--small" disabled=busy
                    aria-label=format!("{} {label}", if archived { "Restore" } else { "Archive" })
                    on:click=move |_| on_edit.run(Edit::Archive(!archived))>
                    {if archived { "Restore" } else { "Archive" }}
                </button>
                {delete_button}
            </span>
            {confirm}
        </li>
    }
}
