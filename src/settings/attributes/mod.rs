//! `/settings/attributes`: the custom attributes of contacts and conversations. Admins add
//! them, rename them and their list options (stored values follow), reorder, retype (only
//! while nothing holds a value) and delete them (after seeing how many records hold one).
//! The details panel's editors and the views' filters read the same workspace definitions,
//! so they follow every change live.

mod draft;
mod form;

use crate::auth::use_auth;
use crate::workspace::use_workspace;
use convoroom_api::{
    AttributeDefinition, AttributeTarget, AttributeType, CreateAttributeDefinition,
    UpdateAttributeDefinition,
};
use draft::{Draft, type_label};
use form::DefinitionForm;
use leptos::prelude::*;

/// A change's message for the status line, every definition after it, and whether it added one.
type Changed = Result<(String, Vec<AttributeDefinition>, bool), String>;

#[derive(Clone)]
enum Change {
    Create(CreateAttributeDefinition),
    Update(AttributeDefinition, UpdateAttributeDefinition),
    Delete(AttributeDefinition),
}

#[component]
pub fn AttributesPage() -> impl IntoView {
    view! {
        <section class="settings-section" aria-labelledby="attributes-title">
            <h2 id="attributes-title">"Custom attributes"</h2>
            <p class="muted">"Fields agents fill in on contacts and conversations, in the details panel. Views can filter conversations by them."</p>
            <KindSection applies_to=AttributeTarget::Contact/>
            <KindSection applies_to=AttributeTarget::Conversation/>
        </section>
    }
}

fn kind_name(applies_to: AttributeTarget) -> &'static str {
    match applies_to {
        AttributeTarget::Contact => "contact",
        AttributeTarget::Conversation => "conversation",
    }
}

/// The definitions of one kind of record, with the form that adds one.
#[component]
fn KindSection(applies_to: AttributeTarget) -> impl IntoView {
    let auth = use_auth();
    let workspace = use_workspace();
    let kind = kind_name(applies_to);
    let error = RwSignal::new(None::<String>);
    let status = RwSignal::new(String::new());
    let adding = RwSignal::new(false);
    let new_draft = RwSignal::new(Draft::default());
    // The write, then every definition again: a move renumbers the neighbours too.
    let change = Action::new_local(move |change: &Change| {
        let client = auth.client();
        let change = change.clone();
        async move {
            let done = match &change {
                Change::Create(body) => client
                    .create_attribute_definition(body)
                    .await
                    .map(|d| format!("Added “{}”.", d.name))
                    .map_err(|err| format!("Couldn't add “{}”. {err}", body.name)),
                Change::Update(def, update) => client
                    .update_attribute_definition(def, update)
                    .await
                    .map(|d| format!("Saved “{}”.", d.name))
                    .map_err(|err| format!("Couldn't change “{}”. {err}", def.name)),
                Change::Delete(def) => client
                    .delete_attribute_definition(def)
                    .await
                    .map(|()| format!("Deleted “{}”.", def.name))
                    .map_err(|err| format!("Couldn't delete “{}”. {err}", def.name)),
            }?;
            let all = client
                .attribute_definitions()
                .await
                .map_err(|err| format!("{done} Couldn't reload the list. {err}"))?;
            Ok::<_, String>((done, all, matches!(change, Change::Create(_))))
        }
    });
    Effect::new(move |_| match change.value().get() {
        Some(Ok((done, all, created))) => {
            error.set(None);
            status.set(done);
            workspace.set_attribute_definitions(all);
            if created {
                adding.set(false);
                new_draft.set(Draft::default());
            }
        }
        Some(Err(message)) => error.set(Some(message)),
        None => {}
    });
    let definitions = move || {
        workspace.with(|w| {
            w.attribute_definitions
                .iter()
                .filter(|d| d.applies_to == applies_to)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let count = move || definitions().len();
    let title_id = format!("{kind}-attributes-title");
    let labelled_by = title_id.clone();
    let add_label = format!("Add {kind} attribute");
    view! {
        <section class="settings-attributes" aria-labelledby=labelled_by>
            <h3 id=title_id>{if applies_to == AttributeTarget::Contact { "Contact attributes" } else { "Conversation attributes" }}</h3>
            <ul class="settings-list">
                <For each=definitions key=|d| (d.key.clone(), d.version) let:definition>
                    <DefinitionRow definition change count=Signal::derive(count)/>
                </For>
            </ul>
            <Show
                when=move || adding.get()
                fallback=move || {
                    let label = add_label.clone();
                    view! { <button type="button" class="button" on:click=move |_| adding.set(true)>{label}</button> }
                }
            >
                <DefinitionForm
                    draft=new_draft
                    applies_to
                    title=format!("New {kind} attribute")
                    submit_label="Add attribute"
                    busy=change.pending()
                    on_submit=Callback::new(move |()| match new_draft.get_untracked().create(applies_to) {
                        Ok(body) => {
                            change.dispatch(Change::Create(body));
                        }
                        Err(problem) => error.set(Some(problem)),
                    })
                    on_cancel=Callback::new(move |()| { adding.set(false); error.set(None); })
                />
            </Show>
            // Below the form, where the agent's eyes are after pressing its button.
            <Show when=move || error.get().is_some()>
                <p class="form-error" role="alert">{move || error.get()}</p>
            </Show>
            <p class="sr-only" role="status">{move || status.get()}</p>
        </section>
    }
}

/// How an attribute's definition reads in the list: "List · Refund, Delivery, Other".
fn summary(def: &AttributeDefinition) -> String {
    let mut text = type_label(def.kind).to_string();
    match def.kind {
        AttributeType::List => {
            text.push_str(" · ");
            text.push_str(&def.options.join(", "));
        }
        AttributeType::Number => match (def.minimum, def.maximum) {
            (Some(min), Some(max)) => text.push_str(&format!(" · {min} to {max}")),
            (Some(min), None) => text.push_str(&format!(" · at least {min}")),
            (None, Some(max)) => text.push_str(&format!(" · at most {max}")),
            (None, None) => {}
        },
        _ => {}
    }
    text
}

/// One definition: what it is, and editing, moving and deleting it.
#[component]
fn DefinitionRow(
    definition: AttributeDefinition,
    change: Action<Change, Changed>,
    count: Signal<usize>,
) -> impl IntoView {
    let auth = use_auth();
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(Draft::of(&definition));
    let stored = StoredValue::new(definition.clone());
    // Deleting asks first, with how many records lose a value.
    let usage = Action::new_local(move |(): &()| {
        let client = auth.client();
        let def = stored.get_value();
        async move {
            client
                .attribute_usage(&def)
                .await
                .map(|u| u.records)
                .map_err(|err| format!("Couldn't count the values of “{}”. {err}", def.name))
        }
    });
    let confirming = RwSignal::new(false);
    let name = definition.name.clone();
    let position = definition.position as usize;
    let is_last = move || position + 1 >= count.get();
    let move_to = move |position: u32| {
        change.dispatch(Change::Update(
            stored.get_value(),
            UpdateAttributeDefinition {
                position: Some(position),
                ..Default::default()
            },
        ));
    };
    let records = match definition.applies_to {
        AttributeTarget::Contact => "contacts",
        AttributeTarget::Conversation => "conversations",
    };
    let confirm_text = move || {
        let delete_name = stored.with_value(|d| d.name.clone());
        match usage.value().get() {
            Some(Ok(0)) => format!("Delete “{delete_name}”? No {records} hold a value."),
            Some(Ok(1)) => format!("Delete “{delete_name}”? Its value on 1 record is deleted too."),
            Some(Ok(n)) => {
                format!("Delete “{delete_name}”? Its values on {n} {records} are deleted too.")
            }
            Some(Err(message)) => message,
            None => "Counting the values…".to_string(),
        }
    };
    view! {
        <li class="settings-row settings-attribute">
            <Show
                when=move || editing.get()
                fallback={
                    let name = name.clone();
                    let definition = definition.clone();
                    move || {
                        let name = name.clone();
                        view! {
                            <span class="settings-row__name">
                                <strong>{name.clone()}</strong>
                                {definition.required.then(|| view! { <span class="chip">"Required"</span> })}
                                <span class="muted settings-attribute__summary">{summary(&definition)}</span>
                            </span>
                            <span class="settings-row__actions">
                                <button type="button" class="button button--small" aria-label=format!("Edit {name}")
                                    on:click=move |_| { draft.set(Draft::of(&stored.get_value())); editing.set(true); }>
                                    "Edit"
                                </button>
                                <button type="button" class="button button--small" aria-label=format!("Move {name} up")
                                    disabled=move || position == 0 || change.pending().get()
                                    on:click=move |_| move_to(position.saturating_sub(1) as u32)>
                                    "Up"
                                </button>
                                <button type="button" class="button button--small" aria-label=format!("Move {name} down")
                                    disabled=move || is_last() || change.pending().get()
                                    on:click=move |_| move_to(position as u32 + 1)>
                                    "Down"
                                </button>
                                <button type="button" class="button button--small" aria-label=format!("Delete {name}")
                                    on:click=move |_| { confirming.set(true); usage.dispatch(()); }>
                                    "Delete"
                                </button>
                            </span>
                        }
                    }
                }
            >
                <DefinitionForm
                    draft
                    applies_to=definition.applies_to
                    title=format!("Edit {}", definition.name)
                    submit_label="Save"
                    busy=change.pending()
                    on_submit=Callback::new(move |()| {
                        let def = stored.get_value();
                        match draft.get_untracked().update(&def) {
                            Ok(update) if update == UpdateAttributeDefinition::default() => editing.set(false),
                            Ok(update) => {
                                change.dispatch(Change::Update(def, update));
                            }
                            Err(problem) => change.value().set(Some(Err(problem))),
                        }
                    })
                    on_cancel=Callback::new(move |()| editing.set(false))
                />
            </Show>
            <Show when=move || confirming.get()>
                <div class="settings-row__confirm" role="group" aria-label="Confirm deletion">
                    <p>{confirm_text}</p>
                    <button type="button" class="button button--small button--danger"
                        disabled=move || !matches!(usage.value().get(), Some(Ok(_))) || change.pending().get()
                        on:click=move |_| { confirming.set(false); change.dispatch(Change::Delete(stored.get_value())); }>
                        "Delete attribute"
                    </button>
                    <button type="button" class="button button--small" on:click=move |_| confirming.set(false)>"Keep it"</button>
                </div>
            </Show>
        </li>
    }
}
