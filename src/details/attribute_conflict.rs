//! Two agents changing the same attribute: the second one sees both values and chooses,
//! instead of one silently replacing the other.
//!
//! An edit remembers the value it started from. If the value shown has changed by the time
//! it is saved (a live update from another agent), or the server refuses the save because the
//! record moved on and its value differs, the agent gets a conflict with "Keep mine" and
//! "Keep theirs". A record that changed elsewhere but not in this attribute is saved anyway.

use super::edit::{Edits, Identified};
use super::events::Change;
use crate::api::{ApiClient, ApiResult};
use crate::record::Versioned;
use convoroom_api::{AttributeValue, Attributes, Contact, Conversation};
use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::future::Future;

/// One attribute's save: its key, the new value (`None` removes it) and the value the agent
/// started from.
pub type AttributeSave = (String, Option<AttributeValue>, Option<AttributeValue>);

/// A change to `key` that met someone else's.
#[derive(Debug, Clone, PartialEq)]
pub struct AttributeConflict {
    pub key: String,
    pub mine: Option<AttributeValue>,
    pub theirs: Option<AttributeValue>,
}

/// Whether saving `mine` would overwrite a change made since the agent started from `basis`.
pub fn clashes(
    basis: &Option<AttributeValue>,
    now: &Option<AttributeValue>,
    mine: &Option<AttributeValue>,
) -> bool {
    now != basis && now != mine
}

/// A versioned record with custom attributes.
pub trait AttributeRecord:
    Identified + Versioned + Clone + Serialize + DeserializeOwned + Send + Sync + 'static
{
    fn attributes(&self) -> &Attributes;
    fn attributes_mut(&mut self) -> &mut Attributes;
}

impl AttributeRecord for Conversation {
    fn attributes(&self) -> &Attributes {
        &self.attributes
    }
    fn attributes_mut(&mut self) -> &mut Attributes {
        &mut self.attributes
    }
}

impl AttributeRecord for Contact {
    fn attributes(&self) -> &Attributes {
        &self.attributes
    }
    fn attributes_mut(&mut self) -> &mut Attributes {
        &mut self.attributes
    }
}

/// The patch of one attribute, as `PATCH /conversations/{id}` and `/contacts/{id}` take it.
pub type AttributePatch = BTreeMap<String, Option<AttributeValue>>;

/// The save callback of an attribute section: optimistic, conflict-aware. `send` PATCHes the
/// record (`client`, id, `If-Match` version, patch).
pub fn attribute_saver<T, F, Fut>(
    editor: Edits<T>,
    conflict: RwSignal<Option<AttributeConflict>>,
    send: F,
) -> Callback<AttributeSave>
where
    T: AttributeRecord,
    F: Fn(ApiClient, String, i64, AttributePatch) -> Fut + Copy + Send + Sync + 'static,
    Fut: Future<Output = ApiResult<T>> + 'static,
{
    Callback::new(move |(key, mine, basis): AttributeSave| {
        save(editor, conflict, send, key, mine, basis, true);
    })
}

fn save<T, F, Fut>(
    editor: Edits<T>,
    conflict: RwSignal<Option<AttributeConflict>>,
    send: F,
    key: String,
    mine: Option<AttributeValue>,
    basis: Option<AttributeValue>,
    may_retry: bool,
) where
    T: AttributeRecord,
    F: Fn(ApiClient, String, i64, AttributePatch) -> Fut + Copy + Send + Sync + 'static,
    Fut: Future<Output = ApiResult<T>> + 'static,
{
    let (now, version) = editor
        .current
        .with_untracked(|r| (r.attributes().get(&key).cloned(), r.version()));
    if clashes(&basis, &now, &mine) {
        conflict.set(Some(AttributeConflict {
            key,
            mine,
            theirs: now,
        }));
        return;
    }
    conflict.set(None);
    let (optimistic_key, optimistic_value) = (key.clone(), mine.clone());
    let patch = BTreeMap::from([(key.clone(), mine.clone())]);
    editor.apply_or_conflict(
        Change::SaveAttribute,
        move |r| {
            super::attributes::set_attribute(r.attributes_mut(), optimistic_key, optimistic_value)
        },
        move |client, id| send(client, id, version, patch),
        move |theirs: T| {
            let their_value = theirs.attributes().get(&key).cloned();
            if clashes(&basis, &their_value, &mine) {
                conflict.set(Some(AttributeConflict {
                    key,
                    mine,
                    theirs: their_value,
                }));
                true
            } else if may_retry {
                // The record moved on elsewhere, but not this attribute: save on top of it.
                save(editor, conflict, send, key, mine, basis, false);
                true
            } else {
                false
            }
        },
    );
}

/// Both values of a conflict and the choice between them.
#[component]
pub fn ConflictNotice(
    conflict: RwSignal<Option<AttributeConflict>>,
    /// The attribute's display name.
    name_of: Callback<String, String>,
    save: Callback<AttributeSave>,
) -> impl IntoView {
    let shown = |value: &Option<AttributeValue>| {
        value
            .as_ref()
            .map(AttributeValue::display)
            .unwrap_or_else(|| "(removed)".to_string())
    };
    move || {
        conflict.get().map(|c| {
            let name = name_of.run(c.key.clone());
            let keep_mine = c.clone();
            view! {
                <div class="notice notice--warning conflict" role="alert">
                    <p>{format!("Someone else changed “{name}” while you were editing it.")}</p>
                    <dl class="facts">
                        <dt>"Theirs"</dt>
                        <dd>{shown(&c.theirs)}</dd>
                        <dt>"Yours"</dt>
                        <dd>{shown(&c.mine)}</dd>
                    </dl>
                    <div class="inline-controls">
                        <button
                            type="button"
                            class="button button--small"
                            on:click=move |_| {
                                let c = keep_mine.clone();
                                save.run((c.key, c.mine, c.theirs));
                            }
                        >
                            "Keep mine"
                        </button>
                        <button type="button" class="button button--small" on:click=move |_| conflict.set(None)>
                            "Keep theirs"
                        </button>
                    </div>
                </div>
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Option<AttributeValue> {
        Some(AttributeValue::Text(s.into()))
    }

    #[test]
    fn only_a_change_by_someone_else_to_something_else_clashes() {
        // Unchanged since the edit began: save.
        assert!(!clashes(&text("Starter"), &text("Starter"), &text("Pro")));
        // Someone else set it to "Team" meanwhile: both values go to the agent.
        assert!(clashes(&text("Starter"), &text("Team"), &text("Pro")));
        // Someone else made the very same change: nothing to choose.
        assert!(!clashes(&text("Starter"), &text("Pro"), &text("Pro")));
        // Removed elsewhere while being edited here.
        assert!(clashes(&text("Starter"), &None, &text("Pro")));
        // Added here and elsewhere at once, differently.
        assert!(clashes(&None, &text("Team"), &text("Pro")));
    }
}
