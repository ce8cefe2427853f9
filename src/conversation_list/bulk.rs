//! Bulk actions: in selection mode, clicking rows (or Space) selects them, and the bar
//! assigns, labels or changes the status of all selected conversations at once.

use super::resolve::{ResolveRequest, resolve_or_ask};
use super::{ListContext, ListStateStoreFields};
use crate::auth::use_auth;
use crate::workspace::use_workspace;
use convoroom_api as api;
use leptos::prelude::*;
use std::collections::BTreeSet;

/// `None` outside selection mode; otherwise the selected conversation ids.
pub type BulkSelection = RwSignal<Option<BTreeSet<String>>>;

pub fn toggle(selection: BulkSelection, id: &str) {
    selection.update(|s| {
        if let Some(set) = s
            && !set.remove(id)
        {
            set.insert(id.to_string());
        }
    });
}

#[component]
pub fn BulkBar() -> impl IntoView {
    let ctx = expect_context::<ListContext>();
    let auth = use_auth();
    let workspace = use_workspace();
    let selection = ctx.bulk;
    let count = move || selection.with(|s| s.as_ref().map_or(0, BTreeSet::len));
    let label = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let upsert = super::list_upserter().expect("bulk actions live in the list");

    let apply = Action::new_local(move |update: &api::BulkUpdate| {
        let client = auth.client();
        let update = update.clone();
        async move { client.bulk_update(&update).await }
    });
    Effect::new(move |_| match apply.value().get() {
        Some(Ok(result)) => {
            let changed = result.updated.len();
            for conversation in result.updated {
                upsert.run(conversation);
            }
            message.set(Some(if result.not_found.is_empty() {
                format!(
                    "Updated {changed} conversation{}.",
                    if changed == 1 { "" } else { "s" }
                )
            } else {
                format!(
                    "Updated {changed}; {} could not be changed (gone or not yours to see).",
                    result.not_found.len()
                )
            }));
            selection.set(Some(BTreeSet::new()));
        }
        Some(Err(err)) => message.set(Some(format!("Nothing was changed. {err}"))),
        None => {}
    });
    let dispatch = move |edit: &dyn Fn(&mut api::BulkUpdate)| {
        let ids: Vec<String> = selection.with_untracked(|s| s.iter().flatten().cloned().collect());
        if ids.is_empty() {
            message.set(Some("Select conversations first.".into()));
            return;
        }
        let mut update = api::BulkUpdate {
            conversation_ids: ids,
            assignee_id: None,
            add_label: None,
            status: None,
            resolve: None,
        };
        edit(&mut update);
        apply.dispatch(update);
    };

    // Resolving asks what the selected conversations' teams require, once for all of them.
    let resolving = RwSignal::new(None::<ResolveRequest>);
    let resolve_selected = move || {
        let ids: BTreeSet<String> = selection.with_untracked(|s| s.clone().unwrap_or_default());
        let targets = ctx.state.items().with_untracked(|items| {
            items
                .iter()
                .filter(|c| ids.contains(&c.id))
                .map(|c| (c.team_id.clone(), c.channel))
                .collect()
        });
        let count = ids.len();
        resolve_or_ask(
            &workspace,
            resolving,
            ResolveRequest {
                targets,
                confirm: format!(
                    "Resolve {count} conversation{}",
                    if count == 1 { "" } else { "s" }
                ),
                on_confirm: Callback::new(move |body: api::ResolveConversation| {
                    let resolve = (body != api::ResolveConversation::default()).then_some(body);
                    dispatch(&|u| {
                        u.status = Some(api::Status::Resolved);
                        u.resolve = resolve.clone();
                    })
                }),
            },
        );
    };

    view! {
        <div class="bulk-bar" role="toolbar" aria-label="Bulk actions">
            <super::resolve::ResolveDialog pending=resolving/>
            <span class="bulk-bar__count" aria-live="polite">{move || format!("{} selected", count())}</span>
            <button
                type="button"
                class="button button--small"
                on:click=move |_| {
                    let all = ctx.state.items().with_untracked(|items| items.iter().map(|c| c.id.clone()).collect());
                    selection.set(Some(all));
                }
            >
                "Select all loaded"
            </button>
            <label>
                <span class="sr-only">"Assign selected to"</span>
                <select
                    title="Assign selected to"
                    prop:value="-"
                    disabled=move || apply.pending().get()
                    on:change:target=move |ev| {
                        let value = ev.target().value();
                        ev.target().set_value("-");
                        if value == "-" { return; }
                        let assignee = (value != "none").then_some(value);
                        dispatch(&|u| u.assignee_id = Some(assignee.clone()));
                    }
                >
                    <option value="-">"Assign to…"</option>
                    <option value="none">"Unassigned"</option>
                    {move || workspace.with(|w| w.agents.iter().filter(|a| a.active).map(|a| view! { <option value=a.id.clone()>{a.name.clone()}</option> }).collect_view())}
                </select>
            </label>
            <label>
                <span class="sr-only">"Set status of selected"</span>
                <select
                    title="Set status of selected"
                    prop:value=""
                    disabled=move || apply.pending().get()
                    on:change:target=move |ev| {
                        let value = ev.target().value();
                        ev.target().set_value("");
                        match api::Status::parse(&value) {
                            Some(api::Status::Resolved) => resolve_selected(),
                            Some(status) => dispatch(&|u| u.status = Some(status)),
                            None => {}
                        }
                    }
                >
                    <option value="">"Set status…"</option>
                    {api::Status::settable().map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view()}
                </select>
            </label>
            <form class="bulk-bar__label" on:submit=move |ev| {
                ev.prevent_default();
                let text = label.get_untracked().trim().to_string();
                if !text.is_empty() {
                    dispatch(&|u| u.add_label = Some(text.clone()));
                    label.set(String::new());
                }
            }>
                <input
                    type="text"
                    aria-label="Label for selected"
                    placeholder="Label"
                    maxlength="80"
                    list="bulk-label-catalogue"
                    prop:value=label
                    on:input:target=move |ev| label.set(ev.target().value())
                />
                <datalist id="bulk-label-catalogue">
                    {move || workspace.with(|w| w.labels.iter().map(|l| view! { <option value=l.name.clone()></option> }).collect_view())}
                </datalist>
                <button type="submit" class="button button--small">"Add label"</button>
            </form>
            <button type="button" class="button button--small button--ghost" on:click=move |_| { selection.set(None); message.set(None); }>
                "Done"
            </button>
            <Show when=move || message.get().is_some()>
                <p class="bulk-bar__message" role="status">{move || message.get()}</p>
            </Show>
        </div>
    }
}
