//! The view editor's filter by a conversation attribute (`attribute=key:value`): pick one of
//! the workspace's conversation attributes, then its value: an option of a list, yes or no,
//! or typed text. The choices follow the definitions live.

use crate::workspace::use_workspace;
use convoroom_api::{self as api, AttributeDefinition, AttributeTarget, AttributeType};
use leptos::prelude::*;

/// The attributes a view can filter by: conversation attributes that are not numbers.
fn filterable(definitions: &[AttributeDefinition]) -> Vec<AttributeDefinition> {
    definitions
        .iter()
        .filter(|d| {
            d.applies_to == AttributeTarget::Conversation && d.kind != AttributeType::Number
        })
        .cloned()
        .collect()
}

/// The filter's value for `key` and `value`: none until both are chosen.
pub fn filter_value(key: &str, value: &str) -> Option<String> {
    (!key.is_empty() && !value.trim().is_empty()).then(|| format!("{key}:{}", value.trim()))
}

#[component]
pub fn AttributeFilter(
    /// The filter's `attribute` as stored (`key:value`).
    current: Signal<Option<String>>,
    apply: Callback<Option<String>>,
) -> impl IntoView {
    let workspace = use_workspace();
    let split = move || {
        current.with(|c| {
            c.as_deref()
                .and_then(api::parse_attribute_filter)
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .unwrap_or_default()
        })
    };
    // The chosen attribute, kept while its value is still being chosen.
    let key = RwSignal::new(split().0);
    let definitions = Memo::new(move |_| workspace.with(|w| filterable(&w.attribute_definitions)));
    let chosen = move || {
        let key = key.get();
        definitions.with(|defs| defs.iter().find(|d| d.key == key).cloned())
    };
    let value = move || split().1;
    let set_value = move |text: String| apply.run(filter_value(&key.get_untracked(), &text));
    view! {
        <label class="field">
            <span class="field__label">"Attribute"</span>
            <select
                prop:value=move || key.get()
                on:change:target=move |ev| {
                    key.set(ev.target().value());
                    apply.run(None);
                }
            >
                <option value="">"Any attribute"</option>
                {move || definitions.get().into_iter().map(|d| view! { <option value=d.key.clone()>{d.name.clone()}</option> }).collect_view()}
            </select>
        </label>
        {move || chosen().map(|def| match def.kind {
            AttributeType::List | AttributeType::Boolean => {
                let options: Vec<(String, String)> = if def.kind == AttributeType::Boolean {
                    vec![("true".into(), "Yes".into()), ("false".into(), "No".into())]
                } else {
                    def.options.iter().map(|o| (o.clone(), o.clone())).collect()
                };
                view! {
                    <label class="field">
                        <span class="field__label">{format!("{} is", def.name)}</span>
                        <select prop:value=value on:change:target=move |ev| set_value(ev.target().value())>
                            <option value="">"Choose…"</option>
                            {options.into_iter().map(|(v, text)| view! { <option value=v>{text}</option> }).collect_view()}
                        </select>
                    </label>
                }
                .into_any()
            }
            _ => view! {
                <label class="field">
                    <span class="field__label">{format!("{} is", def.name)}</span>
                    <input type="text" prop:value=value on:change:target=move |ev| set_value(ev.target().value())/>
                </label>
            }
            .into_any(),
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_needs_both_an_attribute_and_a_value() {
        assert_eq!(
            filter_value("reason", " Refund "),
            Some("reason:Refund".into())
        );
        assert_eq!(filter_value("reason", " "), None);
        assert_eq!(filter_value("", "Refund"), None);
    }
}
