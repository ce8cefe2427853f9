//! The form of one attribute definition, for adding one and for editing one in place.

use super::draft::{Draft, OptionRow, TYPES, type_of, type_value};
use convoroom_api::{AttributeTarget, AttributeType};
use leptos::prelude::*;

const NAME_MAX_CHARS: usize = 100;
const OPTION_MAX_CHARS: usize = 100;

#[component]
pub fn DefinitionForm(
    draft: RwSignal<Draft>,
    applies_to: AttributeTarget,
    /// Names the form for assistive technology ("New contact attribute", "Edit Plan").
    title: String,
    submit_label: &'static str,
    #[prop(into)] busy: Signal<bool>,
    on_submit: Callback<()>,
    #[prop(optional)] on_cancel: Option<Callback<()>>,
) -> impl IntoView {
    let kind = move || draft.with(|d| d.kind);
    let required_label = match applies_to {
        AttributeTarget::Conversation => "Required before resolving",
        AttributeTarget::Contact => "Required (can be changed, not cleared)",
    };
    let option_rows = move || {
        draft.with(|d| {
            d.options
                .iter()
                .enumerate()
                .map(|(at, row)| (at, row.clone()))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <form class="settings-attribute-form" aria-label=title novalidate on:submit=move |ev| {
            ev.prevent_default();
            on_submit.run(());
        }>
            <div class="settings-attribute-form__fields">
                <label class="field">
                    <span class="field__label">"Name"</span>
                    <input type="text" maxlength=NAME_MAX_CHARS.to_string() autocomplete="off"
                        prop:value=move || draft.with(|d| d.name.clone())
                        on:input:target=move |ev| draft.update(|d| d.name = ev.target().value())/>
                </label>
                <label class="field">
                    <span class="field__label">"Type"</span>
                    <select prop:value=move || type_value(kind())
                        on:change:target=move |ev| draft.update(|d| d.kind = type_of(&ev.target().value()))>
                        {TYPES.iter().map(|(k, label)| view! { <option value=type_value(*k)>{*label}</option> }).collect_view()}
                    </select>
                </label>
            </div>
            <Show when=move || kind() == AttributeType::List>
                <fieldset class="settings-attribute-form__options">
                    <legend>"Options"</legend>
                    <p class="muted">"Renaming an option changes it on every record; a removed option stays where it is set until someone changes it."</p>
                    <For each=option_rows key=|(at, row)| (*at, row.original.clone()) let:item>
                        {
                            let (at, row) = item;
                            let label = format!("Option {}", at + 1);
                            let remove_label = if row.text.trim().is_empty() {
                                format!("Remove option {}", at + 1)
                            } else {
                                format!("Remove option {}", row.text.trim())
                            };
                            view! {
                                <div class="inline-controls">
                                    <label class="grow">
                                        <span class="sr-only">{label.clone()}</span>
                                        <input type="text" class="grow" maxlength=OPTION_MAX_CHARS.to_string() placeholder=label
                                            prop:value=row.text.clone()
                                            on:input:target=move |ev| draft.update(|d| {
                                                if let Some(option) = d.options.get_mut(at) {
                                                    option.text = ev.target().value();
                                                }
                                            })/>
                                    </label>
                                    <button type="button" class="button button--small button--ghost" aria-label=remove_label
                                        on:click=move |_| draft.update(|d| { d.options.remove(at); })>
                                        "Remove"
                                    </button>
                                </div>
                            }
                        }
                    </For>
                    <button type="button" class="button button--small"
                        on:click=move |_| draft.update(|d| d.options.push(OptionRow::default()))>
                        "Add option"
                    </button>
                </fieldset>
            </Show>
            <Show when=move || kind() == AttributeType::Number>
                <div class="settings-attribute-form__fields">
                    <label class="field">
                        <span class="field__label">"Minimum (optional)"</span>
                        <input type="text" inputmode="decimal" prop:value=move || draft.with(|d| d.minimum.clone())
                            on:input:target=move |ev| draft.update(|d| d.minimum = ev.target().value())/>
                    </label>
                    <label class="field">
                        <span class="field__label">"Maximum (optional)"</span>
                        <input type="text" inputmode="decimal" prop:value=move || draft.with(|d| d.maximum.clone())
                            on:input:target=move |ev| draft.update(|d| d.maximum = ev.target().value())/>
                    </label>
                </div>
            </Show>
            <label class="check">
                <input type="checkbox" prop:checked=move || draft.with(|d| d.required)
                    on:change:target=move |ev| draft.update(|d| d.required = ev.target().checked())/>
                <span>{required_label}</span>
            </label>
            <div class="dialog__actions">
                {on_cancel.map(|cancel| view! {
                    <button type="button" class="button" on:click=move |_| cancel.run(())>"Cancel"</button>
                })}
                <button type="submit" class="button button--primary" disabled=move || busy.get()>{submit_label}</button>
            </div>
        </form>
    }
}
