//! The inline form that edits a catalogue label (name, colour, description), and the name check
//! the page makes before asking the server (which checks the same).

use crate::workspace::use_workspace;
use convoroom_api::{self as api, UpdateLabel};
use leptos::prelude::*;

/// The colours offered as swatches (the server's default palette), beside the colour input.
const PRESETS: &[(&str, &str)] = &[
    ("#2563eb", "Blue"),
    ("#16a34a", "Green"),
    ("#dc2626", "Red"),
    ("#9333ea", "Purple"),
    ("#ea580c", "Orange"),
    ("#0891b2", "Teal"),
    ("#ca8a04", "Yellow"),
    ("#db2777", "Pink"),
];

/// A label's name as the server takes it (trimmed, 1–100 characters, not `priority::`, not
/// another label's in any case), or the sentence saying why not. `current` is the label being
/// renamed, which may keep its name or change its case.
pub fn check_name(
    raw: &str,
    catalogue: &[api::Label],
    current: Option<&str>,
) -> Result<String, String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err("A label needs a name.".into());
    }
    if name.chars().count() > api::validate::LABEL_MAX_CHARS {
        return Err(format!(
            "A label is at most {} characters.",
            api::validate::LABEL_MAX_CHARS
        ));
    }
    if api::Priority::of_label(name).is_some() {
        return Err(
            "priority:: labels are the conversation's priority field; choose another name.".into(),
        );
    }
    let lower = name.to_lowercase();
    if let Some(taken) = catalogue
        .iter()
        .find(|l| Some(l.name.as_str()) != current && l.name.to_lowercase() == lower)
    {
        return Err(format!("A label named “{}” already exists.", taken.name));
    }
    Ok(name.to_string())
}

/// Edits `label`: sends only what changed through `on_save`; a change the page can already
/// tell is refused goes to `on_error` instead.
#[component]
pub fn LabelForm(
    label: api::Label,
    #[prop(into)] busy: Signal<bool>,
    on_save: Callback<UpdateLabel>,
    on_error: Callback<String>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let workspace = use_workspace();
    let name = RwSignal::new(label.name.clone());
    let color = RwSignal::new(if api::is_hex_color(&label.color) {
        label.color.to_lowercase()
    } else {
        PRESETS[0].0.to_string()
    });
    let description = RwSignal::new(label.description.clone());
    let original = StoredValue::new(label.clone());
    let submit = move || {
        let before = original.get_value();
        let checked = workspace
            .with_untracked(|w| check_name(&name.get_untracked(), &w.labels, Some(&before.name)));
        let new_name = match checked {
            Ok(new_name) => new_name,
            Err(message) => return on_error.run(message),
        };
        let new_color = color.get_untracked();
        let new_description = description.get_untracked().trim().to_string();
        let change = UpdateLabel {
            name: (new_name != before.name).then_some(new_name),
            color: (new_color != before.color.to_lowercase()).then_some(new_color),
            description: (new_description != before.description).then_some(new_description),
        };
        if change == UpdateLabel::default() {
            on_cancel.run(());
        } else {
            on_save.run(change);
        }
    };
    let renaming = move || name.with(|n| n.trim() != original.with_value(|l| l.name.clone()));
    view! {
        <form class="label-form" aria-label=format!("Edit {}", label.name)
            on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <label class="field">
                <span class="field__label">"Name"</span>
                <input type="text" maxlength=api::validate::LABEL_MAX_CHARS.to_string()
                    prop:value=name on:input:target=move |ev| name.set(ev.target().value())/>
            </label>
            <Show when=renaming>
                <p class="muted label-form__hint">"Renaming changes it on every conversation, contact and saved view that has it."</p>
            </Show>
            <fieldset class="label-form__colors">
                <legend class="field__label">"Colour"</legend>
                {PRESETS.iter().map(|(hex, title)| {
                    let hex = hex.to_string();
                    let pick = hex.clone();
                    let current = hex.clone();
                    view! {
                        <button type="button" class="label-form__swatch" style:background-color=hex.clone()
                            aria-label=*title aria-pressed=move || color.with(|c| *c == current).to_string()
                            on:click=move |_| color.set(pick.clone())></button>
                    }
                }).collect_view()}
                <label class="label-form__custom">
                    <span>"Custom"</span>
                    <input type="color" prop:value=color on:input:target=move |ev| color.set(ev.target().value().to_lowercase())/>
                </label>
            </fieldset>
            <label class="field">
                <span class="field__label">"Description"</span>
                <input type="text" maxlength=api::LABEL_DESCRIPTION_MAX_CHARS.to_string()
                    placeholder="What the label means (optional)"
                    prop:value=description on:input:target=move |ev| description.set(ev.target().value())/>
            </label>
            <div class="label-form__actions">
                <button type="submit" class="button button--small button--primary" disabled=busy>"Save"</button>
                <button type="button" class="button button--small" on:click=move |_| on_cancel.run(())>"Cancel"</button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(name: &str) -> api::Label {
        api::Label {
            name: name.into(),
            color: "#000000".into(),
            description: String::new(),
        }
    }

    #[test]
    fn names_are_checked_as_the_server_checks_them() {
        let catalogue = vec![label("vip"), label("refund request")];
        assert_eq!(
            check_name(" tier::gold ", &catalogue, None),
            Ok("tier::gold".into())
        );
        assert!(check_name("  ", &catalogue, None).is_err());
        assert!(check_name(&"x".repeat(101), &catalogue, None).is_err());
        assert!(check_name("priority::high", &catalogue, None).is_err());
        assert_eq!(
            check_name("VIP", &catalogue, None),
            Err("A label named “vip” already exists.".into())
        );
        // The label being renamed may change its own case.
        assert_eq!(check_name("VIP", &catalogue, Some("vip")), Ok("VIP".into()));
    }
}
