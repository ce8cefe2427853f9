use super::ConversationSection;
use super::edit::Editor;
use super::events::Change;
use super::section::Section;
use crate::workspace::use_workspace;
use convoroom_api::{self as api};
use leptos::prelude::*;

/// Adds a label in the catalogue's spelling when the agent typed a known one in another case.
fn canonical(typed: &str, catalogue: &[api::Label]) -> String {
    let typed = typed.trim();
    catalogue
        .iter()
        .find(|l| l.name.eq_ignore_ascii_case(typed))
        .map_or_else(|| typed.to_string(), |l| l.name.clone())
}

#[component]
pub fn Labels(editor: Editor) -> impl IntoView {
    let workspace = use_workspace();
    let conversation = editor.current;
    let typed = RwSignal::new(String::new());

    let add = move || {
        let label = workspace.with_untracked(|w| canonical(&typed.get_untracked(), &w.labels));
        if label.is_empty() {
            return;
        }
        typed.set(String::new());
        let optimistic = label.clone();
        editor.apply(
            Change::AddLabel,
            move |c| {
                // `priority::x` is the priority field, not a label (as on the server).
                if let Some(alias) = api::Priority::of_label(&optimistic) {
                    if let Ok(priority) = alias {
                        c.priority = priority;
                    }
                    return;
                }
                // A scoped label replaces the other label of its scope, as on the server.
                if let Some(scope) = api::label_scope(&optimistic) {
                    c.labels.retain(|l| api::label_scope(l) != Some(scope));
                }
                if !c.labels.contains(&optimistic) {
                    c.labels.push(optimistic);
                }
            },
            move |client, id| async move { client.add_label(&id, &label).await },
        );
    };
    let remove = move |label: String| {
        let optimistic = label.clone();
        editor.apply(
            Change::RemoveLabel,
            move |c| c.labels.retain(|l| l != &optimistic),
            move |client, id| async move { client.remove_label(&id, &label).await },
        );
    };

    view! {
        <Section section=ConversationSection::Labels>
            <ul class="label-list" aria-label="Conversation labels">
                {move || conversation.with(|c| c.labels.clone()).into_iter().map(|label| {
                    let scoped = api::label_scope(&label).is_some();
                    let remove_label = label.clone();
                    let name = label.clone();
                    view! {
                        <li class="label-pill label-pill--removable" class:label-pill--scoped=scoped
                            style:--label-color=move || workspace.label_color_var(&name)>
                            <span title=label.clone()>{label.clone()}</span>
                            <button
                                type="button"
                                class="label-pill__remove"
                                aria-label=format!("Remove label {label}")
                                on:click=move |_| remove(remove_label.clone())
                            >
                                "×"
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form
                class="inline-controls"
                on:submit=move |ev| {
                    ev.prevent_default();
                    add();
                }
            >
                <input
                    class="grow"
                    type="text"
                    aria-label="Add label"
                    placeholder="Add a label (e.g. vip)"
                    list="label-catalogue"
                    maxlength="80"
                    prop:value=typed
                    on:input:target=move |ev| typed.set(ev.target().value())
                />
                <datalist id="label-catalogue">
                    {move || workspace.with(|w| w.labels.iter().map(|l| view! { <option value=l.name.clone()></option> }).collect_view())}
                </datalist>
                <button type="submit" class="button button--small" disabled=move || typed.with(|t| t.trim().is_empty())>
                    "Add"
                </button>
            </form>
        </Section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_labels_take_the_catalogue_spelling() {
        let catalogue = vec![api::Label {
            name: "VIP".into(),
            color: "#000000".into(),
            description: String::new(),
        }];
        assert_eq!(canonical(" vip ", &catalogue), "VIP");
        assert_eq!(canonical("refund request", &catalogue), "refund request");
    }
}
