//! `/settings/labels`: the label catalogue. Admins add labels, give them a colour and a
//! description, rename them (on every conversation, contact and saved view holding them) and
//! delete them (after being told how many hold them). Every open app follows through the
//! workspace's live events; the catalogue in the workspace is the one list shown here.

use super::label_form::{LabelForm, check_name};
use crate::auth::use_auth;
use crate::ui::ErrorNotice;
use crate::workspace::use_workspace;
use convoroom_api::{self as api, UpdateLabel};
use leptos::prelude::*;

#[component]
pub fn LabelsPage() -> impl IntoView {
    let auth = use_auth();
    let workspace = use_workspace();
    let new_name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let status = RwSignal::new(String::new());
    let create = Action::new_local(move |name: &String| {
        let client = auth.client();
        let request = api::CreateLabel {
            name: name.clone(),
            color: None,
            description: None,
        };
        async move {
            client
                .create_label(&request)
                .await
                .map_err(|err| format!("Couldn't add “{}”. {err}", request.name))
        }
    });
    Effect::new(move |_| match create.value().get() {
        Some(Ok(label)) => {
            error.set(None);
            status.set(format!("Added “{}”.", label.name));
            new_name.set(String::new());
            workspace.upsert_label(label);
        }
        Some(Err(message)) => error.set(Some(message)),
        None => {}
    });
    let add = move || {
        let name = new_name.get_untracked().trim().to_string();
        let checked = workspace.with_untracked(|w| check_name(&name, &w.labels, None));
        match checked {
            Ok(name) => {
                error.set(None);
                create.dispatch(name);
            }
            Err(message) => error.set(Some(message)),
        }
    };
    let labels = move || workspace.with(|w| w.labels.clone());
    view! {
        <section class="settings-section" aria-labelledby="labels-title">
            <h2 id="labels-title">"Labels"</h2>
            <p class="muted">"Agents label conversations and contacts, and filter the list by label. A label written scope::name (tier::gold) is scoped: a conversation holds one label of each scope. Renaming or deleting a label changes every conversation, contact and saved view that has it."</p>
            <super::ordered_list::AddForm
                label="New label"
                placeholder="e.g. tier::gold"
                maxlength=api::validate::LABEL_MAX_CHARS
                value=new_name
                busy=create.pending()
                on_add=Callback::new(move |()| add())
            />
            <Show when=move || error.get().is_some()>
                <p class="form-error" role="alert">{move || error.get()}</p>
            </Show>
            <p class="sr-only" role="status">{move || status.get()}</p>
            <ul class="settings-list" aria-labelledby="labels-title">
                <For each=labels key=|l| (l.name.clone(), l.color.clone(), l.description.clone()) let:label>
                    <LabelRow label status/>
                </For>
            </ul>
        </section>
    }
}

/// "1 conversation", "3 contacts".
fn counted(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Where a label is used, as the delete confirmation says it.
fn usage_sentence(usage: &api::LabelUsage) -> String {
    let mut text = format!(
        "Used on {} and {}",
        counted(usage.conversations, "conversation", "conversations"),
        counted(usage.contacts, "contact", "contacts")
    );
    if usage.views > 0 {
        text.push_str(&format!(
            ", and the filter of {}",
            counted(usage.views, "saved view", "saved views")
        ));
    }
    text.push('.');
    text
}

/// One label: its colour, name, description and use, with Edit and Delete.
#[component]
fn LabelRow(label: api::Label, status: RwSignal<String>) -> impl IntoView {
    let auth = use_auth();
    let workspace = use_workspace();
    let editing = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let stored = StoredValue::new(label.clone());
    let usage = LocalResource::new(move || {
        let client = auth.client();
        let name = stored.with_value(|l| l.name.clone());
        async move { client.label_usage(&name).await }
    });
    let save = Action::new_local(move |change: &UpdateLabel| {
        let client = auth.client();
        let change = change.clone();
        let name = stored.with_value(|l| l.name.clone());
        async move {
            client
                .update_label(&name, &change)
                .await
                .map_err(|err| format!("Couldn't save “{name}”. {err}"))
        }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            error.set(None);
            editing.set(false);
            let before = stored.with_value(|l| l.name.clone());
            status.set(if saved.name == before {
                format!("Saved “{}”.", saved.name)
            } else {
                format!("Renamed “{before}” to “{}”.", saved.name)
            });
            workspace.replace_label(&before, Some(saved));
        }
        Some(Err(message)) => error.set(Some(message)),
        None => {}
    });
    let remove = Action::new_local(move |(): &()| {
        let client = auth.client();
        let name = stored.with_value(|l| l.name.clone());
        async move {
            client
                .delete_label(&name)
                .await
                .map(|()| name.clone())
                .map_err(|err| format!("Couldn't delete “{name}”. {err}"))
        }
    });
    Effect::new(move |_| match remove.value().get() {
        Some(Ok(name)) => {
            status.set(format!("Deleted “{name}”."));
            workspace.replace_label(&name, None);
        }
        Some(Err(message)) => {
            confirming.set(false);
            error.set(Some(message));
        }
        None => {}
    });
    let busy = Signal::derive(move || save.pending().get() || remove.pending().get());
    let api::Label {
        name,
        color,
        description,
    } = label;
    let swatch = api::is_hex_color(&color).then_some(color);
    let usage_text = move || {
        usage.get().map(|found| match found {
            Ok(usage) => view! {
                <span class="label-row__usage muted">
                    {format!("{} · {}", counted(usage.conversations, "conversation", "conversations"), counted(usage.contacts, "contact", "contacts"))}
                </span>
            }
            .into_any(),
            Err(error) => view! {
                <ErrorNotice what="count where this label is used" error retry=move || usage.refetch()/>
            }
            .into_any(),
        })
    };
    let confirm_text = move || match usage.get() {
        Some(Ok(usage)) => usage_sentence(&usage),
        Some(Err(_)) => "Where it is used couldn't be counted.".to_string(),
        None => "Counting where it is used…".to_string(),
    };
    let title = name.clone();
    view! {
        <li class="settings-row label-row">
            <span class="label-row__swatch" aria-hidden="true" style:background-color=swatch.clone()></span>
            <span class="label-row__text">
                <span class="settings-row__name">{name.clone()}</span>
                {(!description.is_empty()).then(|| view! { <span class="label-row__description muted">{description.clone()}</span> })}
            </span>
            <Transition fallback=|| view! { <span class="label-row__usage muted">"Counting…"</span> }>
                {usage_text}
            </Transition>
            <span class="settings-row__actions">
                <button type="button" class="button button--small" disabled=busy
                    aria-label=format!("Edit {title}") aria-expanded=move || editing.get().to_string()
                    on:click=move |_| { confirming.set(false); editing.update(|e| *e = !*e); }>
                    "Edit"
                </button>
                <button type="button" class="button button--small" disabled=busy
                    aria-label=format!("Delete {title}")
                    on:click=move |_| { editing.set(false); usage.refetch(); confirming.set(true); }>
                    "Delete"
                </button>
            </span>
            <Show when=move || editing.get()>
                <LabelForm
                    label=stored.get_value()
                    busy
                    on_save=Callback::new(move |change: UpdateLabel| { error.set(None); save.dispatch(change); })
                    on_error=Callback::new(move |message: String| error.set(Some(message)))
                    on_cancel=Callback::new(move |()| { error.set(None); editing.set(false); })
                />
            </Show>
            <Show when=move || confirming.get()>
                <div class="settings-row__confirm" role="group" aria-label=format!("Confirm deleting {}", stored.with_value(|l| l.name.clone()))>
                    <p>{confirm_text}" "{format!("Deleting “{}” removes it from all of them.", stored.with_value(|l| l.name.clone()))}</p>
                    <button type="button" class="button button--small button--danger"
                        disabled=move || busy.get() || !matches!(usage.get(), Some(Ok(_)))
                        on:click=move |_| { remove.dispatch(()); }>
                        "Delete label"
                    </button>
                    <button type="button" class="button button--small" on:click=move |_| confirming.set(false)>"Keep it"</button>
                </div>
            </Show>
            <Show when=move || error.get().is_some()>
                <p class="form-error label-row__error" role="alert">{move || error.get()}</p>
            </Show>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_confirmation_counts_what_holds_the_label() {
        let usage = api::LabelUsage {
            conversations: 1,
            contacts: 0,
            views: 0,
        };
        assert_eq!(
            usage_sentence(&usage),
            "Used on 1 conversation and 0 contacts."
        );
        let usage = api::LabelUsage {
            conversations: 12,
            contacts: 1,
            views: 2,
        };
        assert_eq!(
            usage_sentence(&usage),
            "Used on 12 conversations and 1 contact, and the filter of 2 saved views."
        );
    }
}
