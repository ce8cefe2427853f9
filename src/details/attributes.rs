//! Typed custom attributes (of the contact or of the conversation), edited in place. A value
//! that does not fit its type is refused inline, with the reason, before anything is sent.

use super::attribute_conflict::{AttributeConflict, AttributeSave, ConflictNotice};
use super::section::{Section, SectionName};
use convoroom_api::{AttributeDefinition, AttributeType, AttributeValue, Attributes};
use leptos::prelude::*;

/// The workspace's attribute definitions for one kind of record.
pub fn definitions_for(
    workspace: crate::workspace::Workspace,
    target: convoroom_api::AttributeTarget,
) -> Signal<Vec<AttributeDefinition>> {
    Signal::derive(move || {
        workspace.with(|w| {
            w.attribute_definitions
                .iter()
                .filter(|d| d.applies_to == target)
                .cloned()
                .collect()
        })
    })
}

/// Sets (`Some`) or removes (`None`) one attribute of a record, as the server will.
pub fn set_attribute(attributes: &mut Attributes, key: String, value: Option<AttributeValue>) {
    match value {
        Some(value) => {
            attributes.insert(key, value);
        }
        None => {
            attributes.remove(&key);
        }
    }
}

/// What the agent typed, as a value of the definition's type, or the reason it is not one.
pub fn parse_value(def: &AttributeDefinition, raw: &str) -> Result<AttributeValue, String> {
    let trimmed = raw.trim();
    let value = match def.kind {
        AttributeType::Text => AttributeValue::Text(raw.to_string()),
        AttributeType::Number => match trimmed.parse::<f64>() {
            Ok(n) if n.is_finite() => AttributeValue::Number(n),
            _ => return Err(format!("\"{trimmed}\" is not a number")),
        },
        AttributeType::Date => AttributeValue::Date(trimmed.to_string()),
        AttributeType::Boolean => AttributeValue::Boolean(trimmed == "true"),
        AttributeType::List => AttributeValue::List(raw.to_string()),
        AttributeType::Link => AttributeValue::Link(trimmed.to_string()),
    };
    if trimmed.is_empty() && def.kind != AttributeType::Text {
        return Err(format!("{} needs a value", def.name));
    }
    value.validate(Some(def)).map(|()| value)
}

/// The text an input starts with when editing `value`.
fn raw_of(value: &AttributeValue) -> String {
    match value {
        AttributeValue::Boolean(b) => b.to_string(),
        other => other.display(),
    }
}

/// A definition for a key the workspace does not define (a host may store its own).
fn ad_hoc(key: &str, value: &AttributeValue) -> AttributeDefinition {
    AttributeDefinition {
        key: key.to_string(),
        name: key.to_string(),
        applies_to: convoroom_api::AttributeTarget::Conversation,
        kind: value.kind(),
        options: Vec::new(),
        minimum: None,
        maximum: None,
        required: false,
        position: u32::MAX,
        version: 0,
    }
}

/// Applies an admin's rewrite of stored values (options renamed, an attribute deleted) to a
/// record held here, as the server applied it to the stored one.
pub fn follow_value_rewrites(
    target: convoroom_api::AttributeTarget,
    apply: impl Fn(&convoroom_api::AttributeValuesChange) + 'static,
) {
    let Some(live) = use_context::<crate::live::LiveHub>() else {
        return;
    };
    live.subscribe(move |event| {
        if let convoroom_api::EventPayload::AttributeDefinitionsChanged(changed) = &event.payload
            && let Some(change) = &changed.values
            && change.applies_to == target
        {
            apply(change);
        }
    });
}

/// The rows the section shows, in the definitions' order: every attribute with a value, the
/// required ones without (so they are not missed) and the one being added.
fn shown_keys(
    values: &Attributes,
    definitions: &[AttributeDefinition],
    adding: Option<String>,
) -> Vec<String> {
    let mut keys: Vec<String> = values.keys().cloned().collect();
    for def in definitions.iter().filter(|d| d.required) {
        keys.push(def.key.clone());
    }
    keys.extend(adding);
    let place = |key: &String| {
        definitions
            .iter()
            .position(|d| d.key == *key)
            .unwrap_or(usize::MAX)
    };
    keys.sort_by(|a, b| place(a).cmp(&place(b)).then(a.cmp(b)));
    keys.dedup();
    keys
}

#[component]
pub fn AttributeSection(
    #[prop(into)] section: SectionName,
    /// The workspace's definitions for this kind of record.
    definitions: Signal<Vec<AttributeDefinition>>,
    values: Signal<Attributes>,
    /// Sets (`Some`) or removes (`None`) one attribute, from the value the edit started at.
    save: Callback<AttributeSave>,
    /// A save that met another agent's change to the same attribute.
    conflict: RwSignal<Option<AttributeConflict>>,
) -> impl IntoView {
    let SectionName { id, title } = section;
    let editing = RwSignal::new(None::<String>);
    let basis = RwSignal::new(None::<AttributeValue>);
    let draft = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let definition_of =
        move |key: &str| definitions.with(|defs| defs.iter().find(|d| d.key == key).cloned());
    let start = move |key: String, raw: String| {
        basis.set(values.with_untracked(|v| v.get(&key).cloned()));
        draft.set(raw);
        problem.set(None);
        editing.set(Some(key));
    };
    let commit = move |def: AttributeDefinition| match parse_value(&def, &draft.get_untracked()) {
        Ok(value) => {
            editing.set(None);
            problem.set(None);
            save.run((def.key, Some(value), basis.get_untracked()));
        }
        Err(reason) => problem.set(Some(reason)),
    };
    let editor_for = move |def: AttributeDefinition| {
        let error_id = format!("details-{id}-error");
        let label = def.name.clone();
        let invalid = move || problem.with(|p| p.is_some()).to_string();
        let input = match def.kind {
            AttributeType::Boolean => view! {
                <select aria-label=label.clone() prop:value=draft on:change:target=move |ev| draft.set(ev.target().value())>
                    <option value="true">"Yes"</option>
                    <option value="false">"No"</option>
                </select>
            }
            .into_any(),
            AttributeType::List => {
                let options = def.options.clone();
                view! {
                    <select aria-label=label.clone() prop:value=draft on:change:target=move |ev| draft.set(ev.target().value())>
                        <option value="">"Choose…"</option>
                        {options.into_iter().map(|o| view! { <option value=o.clone()>{o.clone()}</option> }).collect_view()}
                    </select>
                }
                .into_any()
            }
            kind => {
                let (input_type, mode) = match kind {
                    AttributeType::Date => ("date", "none"),
                    AttributeType::Number => ("text", "decimal"),
                    AttributeType::Link => ("url", "url"),
                    _ => ("text", "text"),
                };
                view! {
                    <input
                        class="grow"
                        type=input_type
                        inputmode=mode
                        aria-label=label.clone()
                        aria-invalid=invalid
                        aria-describedby=error_id.clone()
                        prop:value=draft
                        on:input:target=move |ev| draft.set(ev.target().value())
                    />
                }
                .into_any()
            }
        };
        let def_for_submit = def.clone();
        view! {
            <form
                class="attribute-edit"
                on:submit=move |ev| {
                    ev.prevent_default();
                    commit(def_for_submit.clone());
                }
            >
                <div class="inline-controls">
                    {input}
                    <button type="submit" class="button button--small">"Save"</button>
                    <button type="button" class="button button--small button--ghost" on:click=move |_| editing.set(None)>"Cancel"</button>
                </div>
                {move || problem.get().map(|reason| view! {
                    <p id=error_id.clone() class="inline-error" role="alert">{reason}</p>
                })}
            </form>
        }
    };

    let rows = move || {
        let values = values.get();
        let keys = definitions.with(|defs| shown_keys(&values, defs, editing.get()));
        keys.into_iter()
            .map(|key| {
                let value = values.get(&key).cloned();
                let def = definition_of(&key)
                    .or_else(|| value.as_ref().map(|v| ad_hoc(&key, v)))
                    .unwrap_or_else(|| ad_hoc(&key, &AttributeValue::Text(String::new())));
                let name = def.name.clone();
                let shown = value.as_ref().map(|v| v.display()).unwrap_or_default();
                // Only a checked http(s) URL becomes a link; anything else stays text.
                let is_link = matches!(&value, Some(AttributeValue::Link(url)) if convoroom_api::is_http_url(url));
                let raw = value.as_ref().map(raw_of).unwrap_or_default();
                let key_for_edit = key.clone();
                let key_for_remove = key.clone();
                let value_for_remove = value.clone();
                let is_editing = editing.get().as_deref() == Some(key.as_str());
                view! {
                    <dt>{name.clone()}</dt>
                    <dd>
                        {if is_editing {
                            editor_for(def.clone()).into_any()
                        } else {
                            view! {
                                <span class="attribute-value">
                                    {if value.is_none() {
                                        view! { <span class="attribute-missing">"Required, not set"</span> }.into_any()
                                    } else if is_link {
                                        view! { <a href=shown.clone() target="_blank" rel="noopener noreferrer nofollow">{shown.clone()}</a> }.into_any()
                                    } else {
                                        view! { <span>{shown.clone()}</span> }.into_any()
                                    }}
                                </span>
                                <span class="attribute-actions">
                                    <button type="button" class="button button--small button--ghost" aria-label=format!("Edit {name}") on:click=move |_| start(key_for_edit.clone(), raw.clone())>"Edit"</button>
                                    {(!def.required && value.is_some()).then(|| view! {
                                        <button type="button" class="button button--small button--ghost" aria-label=format!("Remove {name}") on:click=move |_| save.run((key_for_remove.clone(), None, value_for_remove.clone()))>"Remove"</button>
                                    })}
                                </span>
                            }
                            .into_any()
                        }}
                    </dd>
                }
            })
            .collect_view()
    };

    let addable = move || {
        values.with(|values| {
            definitions.with(|defs| {
                defs.iter()
                    .filter(|d| !values.contains_key(&d.key))
                    .map(|d| (d.key.clone(), d.name.clone()))
                    .collect::<Vec<_>>()
            })
        })
    };
    view! {
        <Section section>
            <ConflictNotice
                conflict
                name_of=Callback::new(move |key: String| definition_of(&key).map_or(key, |d| d.name))
                save
            />
            <Show when=move || !values.with(|v| v.is_empty()) || editing.with(|e| e.is_some())
                || definitions.with(|defs| defs.iter().any(|d| d.required))
                fallback=|| view! { <p class="muted">"No attributes yet."</p> }>
                <dl class="facts facts--attributes">{rows}</dl>
            </Show>
            <Show when=move || !addable().is_empty()>
                <label class="field">
                    <span class="sr-only">{format!("Add {}", title.to_lowercase())}</span>
                    <select
                        title=format!("Add {}", title.to_lowercase())
                        prop:value=""
                        on:change:target=move |ev| {
                            let key = ev.target().value();
                            // Back to the prompt: the select only starts an addition.
                            ev.target().set_value("");
                            if !key.is_empty() {
                                let kind = definition_of(&key).map(|d| d.kind);
                                let raw = if kind == Some(AttributeType::Boolean) { "true" } else { "" };
                                start(key, raw.to_string());
                            }
                        }
                    >
                        <option value="">"Add an attribute…"</option>
                        {move || addable().into_iter().map(|(key, name)| view! { <option value=key>{name}</option> }).collect_view()}
                    </select>
                </label>
            </Show>
        </Section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use convoroom_api::AttributeTarget;

    fn def(kind: AttributeType) -> AttributeDefinition {
        AttributeDefinition {
            key: "k".into(),
            name: "Plan".into(),
            applies_to: AttributeTarget::Contact,
            kind,
            options: vec!["Free".into(), "Pro".into()],
            minimum: None,
            maximum: None,
            required: false,
            position: 0,
            version: 1,
        }
    }

    #[test]
    fn rows_follow_the_definitions_order_and_show_required_ones_unset() {
        let mut plan = def(AttributeType::List);
        plan.key = "plan".into();
        let mut cause = def(AttributeType::Text);
        cause.key = "cause".into();
        cause.required = true;
        let mut values = Attributes::new();
        values.insert("zz_host".into(), AttributeValue::Text("x".into()));
        values.insert("plan".into(), AttributeValue::List("Pro".into()));
        assert_eq!(
            shown_keys(&values, &[plan.clone(), cause.clone()], None),
            vec!["plan", "cause", "zz_host"]
        );
        assert_eq!(
            shown_keys(&values, &[plan, cause], Some("plan".into())),
            vec!["plan", "cause", "zz_host"],
            "no row twice"
        );
    }

    #[test]
    fn typed_text_becomes_a_value_of_the_right_type() {
        assert_eq!(
            parse_value(&def(AttributeType::Number), " 42.5 "),
            Ok(AttributeValue::Number(42.5))
        );
        assert_eq!(
            parse_value(&def(AttributeType::Boolean), "false"),
            Ok(AttributeValue::Boolean(false))
        );
        assert_eq!(
            parse_value(&def(AttributeType::List), "Pro"),
            Ok(AttributeValue::List("Pro".into()))
        );
        assert_eq!(
            parse_value(&def(AttributeType::Date), "2026-02-28"),
            Ok(AttributeValue::Date("2026-02-28".into()))
        );
    }

    #[test]
    fn values_that_do_not_fit_are_refused_with_the_reason() {
        let number = parse_value(&def(AttributeType::Number), "twelve").unwrap_err();
        assert_eq!(number, "\"twelve\" is not a number");
        let link = parse_value(&def(AttributeType::Link), "javascript:alert(1)").unwrap_err();
        assert!(link.contains("not an http(s) link"), "{link}");
        let date = parse_value(&def(AttributeType::Date), "2026-02-30").unwrap_err();
        assert!(date.contains("not a date"), "{date}");
        let list = parse_value(&def(AttributeType::List), "Gold").unwrap_err();
        assert!(list.contains("Free, Pro"), "{list}");
        assert!(parse_value(&def(AttributeType::Number), " ").is_err());
        assert_eq!(
            parse_value(&def(AttributeType::Text), ""),
            Ok(AttributeValue::Text(String::new()))
        );
    }
}
