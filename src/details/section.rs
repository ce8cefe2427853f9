//! Collapsible, reorderable sections of the panel. Which sections an agent keeps closed, and
//! the order they put them in, are remembered per agent in `localStorage`.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A section's id (kept in the agent's saved order, so it never changes) and heading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SectionName {
    pub id: &'static str,
    pub title: &'static str,
}

/// The sections of one tab: declared with [`panel_sections!`], so that each has its id and
/// title, appears in `ALL` (the default order) and must be rendered by an exhaustive match.
pub trait PanelSection: Copy + Eq + Into<SectionName> + 'static {
    const ALL: &'static [Self];
}

/// Declares the sections of a tab: `Variant = "id" => "Title"`, in their default order.
macro_rules! panel_sections {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $id:literal => $title:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name { $($variant),+ }

        impl $crate::details::section::PanelSection for $name {
            const ALL: &'static [$name] = &[$($name::$variant),+];
        }

        impl From<$name> for $crate::details::section::SectionName {
            fn from(section: $name) -> Self {
                match section {
                    $($name::$variant => $crate::details::section::SectionName { id: $id, title: $title }),+
                }
            }
        }
    };
}
pub(crate) use panel_sections;

fn ids<S: PanelSection>() -> Vec<&'static str> {
    S::ALL.iter().map(|s| (*s).into().id).collect()
}

/// Every tab's section ids: a section moves only within its tab.
fn groups() -> [Vec<&'static str>; 2] {
    [
        ids::<super::contact::ContactSection>(),
        ids::<super::ConversationSection>(),
    ]
}

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
fn ordered(saved: &[String], group: &[&'static str]) -> Vec<&'static str> {
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
fn moved(saved: &[String], id: &str, delta: isize) -> Vec<String> {
    groups()
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

/// The sections of a tab in the saved order.
fn sections_in<S: PanelSection>(saved: &[String]) -> Vec<S> {
    ordered(saved, &ids::<S>())
        .into_iter()
        .filter_map(|id| S::ALL.iter().copied().find(|s| (*s).into().id == id))
        .collect()
}

/// The sections of a tab in the agent's order, or the default order where nothing is saved
/// (an embedded panel without preferences).
pub fn use_order<S: PanelSection>() -> Vec<S> {
    use_context::<SectionPrefs>().map_or_else(|| S::ALL.to_vec(), |prefs| prefs.order())
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

    /// The sections of a tab in the agent's order.
    pub fn order<S: PanelSection>(&self) -> Vec<S> {
        self.stored.with(|s| sections_in(&s.order))
    }

    pub fn move_by(&self, id: &str, delta: isize) {
        self.stored.update(|s| s.order = moved(&s.order, id, delta));
        self.save();
    }
}

/// A region of the panel headed by `title`; the heading is a button that folds it.
#[component]
pub fn Section(#[prop(into)] section: SectionName, children: Children) -> impl IntoView {
    let SectionName { id, title } = section;
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
    use super::super::ConversationSection;
    use super::super::contact::ContactSection;
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
            sections_in::<ConversationSection>(&once)[..2],
            [ConversationSection::Labels, ConversationSection::HandledBy]
        );
        // The first section of a tab cannot move into the other tab.
        let stuck = moved(&[], "handled-by", -1);
        assert_eq!(
            sections_in::<ConversationSection>(&stuck)[0],
            ConversationSection::HandledBy
        );
        assert_eq!(sections_in::<ContactSection>(&stuck), ContactSection::ALL);
        let down = moved(&[], "contact-attributes", 1);
        assert_eq!(
            sections_in::<ContactSection>(&down),
            [
                ContactSection::ContactInformation,
                ContactSection::ConversationHistory,
                ContactSection::ContactAttributes,
            ]
        );
    }

    #[test]
    fn section_ids_are_unique_across_tabs() {
        let mut all: Vec<&str> = groups().concat();
        let count = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), count);
    }
}
