//! Collapsible, reorderable sections of the panel. Which sections an agent keeps closed, and
//! the order they put them in, are remembered per agent in `localStorage`.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The sections of each tab, in their default order. A section moves only within its tab.
pub const CONTACT_SECTIONS: &[&str] = &[
    "contact-information",
    "contact-attributes",
    "conversation-history",
];
pub const CONVERSATION_SECTIONS: &[&str] = &[
    "handled-by",
    "labels",
    "notes",
    "ai-summary",
    "conversation-attributes",
    "session-history",
    "conversation-details",
    "session-information",
    "access",
    "ai-access",
];
const GROUPS: &[&[&str]] = &[CONTACT_SECTIONS, CONVERSATION_SECTIONS];

#[derive(Clone, Default, Serialize, Deserialize)]
struct Stored {
    collapsed: BTreeSet<String>,
    order: Vec<String>,
}

#[derive(Clone, Copy)]
pub struct SectionPrefs {
    stored: RwSignal<Stored>,
    key: StoredValue<String>,
    /// Showing the move buttons.
    pub arranging: RwSignal<bool>,
}

pub fn storage_key(agent_id: &str) -> String {
    format!("convoroom.details.{agent_id}.sections")
}

/// `group` in the agent's order: known ids as saved, then any the saved order lacks.
pub fn ordered(saved: &[String], group: &[&'static str]) -> Vec<&'static str> {
    let mut order: Vec<&'static str> = saved
        .iter()
        .filter_map(|id| group.iter().find(|g| **g == id.as_str()).copied())
        .collect();
    for id in group {
        if !order.contains(id) {
            order.push(id);
        }
    }
    order
}

/// The saved order after moving `id` one place up (`delta` -1) or down (+1) within its tab.
pub fn moved(saved: &[String], id: &str, delta: isize) -> Vec<String> {
    GROUPS
        .iter()
        .flat_map(|group| {
            let mut order = ordered(saved, group);
            if let Some(at) = order.iter().position(|g| *g == id) {
                let to = at as isize + delta;
                if (0..order.len() as isize).contains(&to) {
                    order.swap(at, to as usize);
                }
            }
            order
        })
        .map(str::to_string)
        .collect()
}

impl SectionPrefs {
    /// Loads the agent's choices and makes them available to every `Section` below.
    pub fn provide(agent_id: &str) -> SectionPrefs {
        let key = storage_key(agent_id);
        let stored = crate::storage::load::<Stored>(&key).unwrap_or_default();
        let prefs = SectionPrefs {
            stored: RwSignal::new(stored),
            key: StoredValue::new(key),
            arranging: RwSignal::new(false),
        };
        provide_context(prefs);
        prefs
    }

    fn save(&self) {
        // Not being able to remember is no reason to refuse the change.
        self.stored
            .with_untracked(|s| crate::storage::save(&self.key.get_value(), s));
    }

    pub fn is_open(&self, id: &str) -> bool {
        self.stored.with(|s| !s.collapsed.contains(id))
    }

    pub fn toggle(&self, id: &str) {
        self.stored.update(|s| {
            if !s.collapsed.remove(id) {
                s.collapsed.insert(id.to_string());
            }
        });
        self.save();
    }

    pub fn order(&self, group: &[&'static str]) -> Vec<&'static str> {
        self.stored.with(|s| ordered(&s.order, group))
    }

    pub fn move_by(&self, id: &str, delta: isize) {
        self.stored.update(|s| s.order = moved(&s.order, id, delta));
        self.save();
    }
}

/// A region of the panel headed by `title`; the heading is a button that folds it.
#[component]
pub fn Section(id: &'static str, title: &'static str, children: Children) -> impl IntoView {
    let prefs = use_context::<SectionPrefs>();
    let open = move || prefs.is_none_or(|p| p.is_open(id));
    let arranging = move || prefs.is_some_and(|p| p.arranging.get());
    let heading_id = format!("details-{id}");
    let body_id = format!("details-{id}-body");
    let labelled_by = heading_id.clone();
    let mover = move |delta: isize, label: &'static str| {
        view! {
            <button
                type="button"
                class="icon-button section-move"
                aria-label=format!("Move {title} {label}")
                title=format!("Move {label}")
                on:click=move |_| {
                    if let Some(prefs) = prefs {
                        prefs.move_by(id, delta);
                    }
                }
            >
                {if delta < 0 { "↑" } else { "↓" }}
            </button>
        }
    };
    view! {
        <section class="details-section" aria-labelledby=labelled_by>
            <div class="details-section__head">
                <h3 id=heading_id class="details-section__title">
                    <button
                        type="button"
                        class="section-toggle"
                        aria-expanded=move || open().to_string()
                        aria-controls=body_id.clone()
                        on:click=move |_| {
                            if let Some(prefs) = prefs {
                                prefs.toggle(id);
                            }
                        }
                    >
                        <span class="section-toggle__chevron" aria-hidden="true"></span>
                        {title}
                    </button>
                </h3>
                <Show when=arranging>
                    {mover(-1, "up")}
                    {mover(1, "down")}
                </Show>
            </div>
            <div id=body_id class="details-section__body" hidden=move || !open()>
                {children()}
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_orders_keep_new_sections_and_drop_unknown_ones() {
        let saved = vec![
            "notes".to_string(),
            "gone".to_string(),
            "labels".to_string(),
        ];
        let order = ordered(&saved, &["handled-by", "labels", "notes"]);
        assert_eq!(order, vec!["notes", "labels", "handled-by"]);
    }

    #[test]
    fn sections_move_within_their_tab_only() {
        let once = moved(&[], "labels", -1);
        assert_eq!(
            ordered(&once, CONVERSATION_SECTIONS)[..2],
            ["labels", "handled-by"]
        );
        // The first section of a tab cannot move into the other tab.
        let stuck = moved(&[], "handled-by", -1);
        assert_eq!(ordered(&stuck, CONVERSATION_SECTIONS)[0], "handled-by");
        assert_eq!(ordered(&stuck, CONTACT_SECTIONS), CONTACT_SECTIONS);
        let down = moved(&[], "contact-attributes", 1);
        assert_eq!(
            ordered(&down, CONTACT_SECTIONS),
            [
                "contact-information",
                "conversation-history",
                "contact-attributes"
            ]
        );
    }
}
