//! Collapsible sections of the panel. Which sections an agent keeps closed is remembered
//! per agent in `localStorage`, so the panel opens the way they left it.

use leptos::prelude::*;
use std::collections::BTreeSet;

#[derive(Clone, Copy)]
pub struct SectionPrefs {
    collapsed: RwSignal<BTreeSet<String>>,
    key: StoredValue<String>,
}

pub fn storage_key(agent_id: &str) -> String {
    format!("convoroom.details.{agent_id}.collapsed")
}

impl SectionPrefs {
    /// Loads the agent's choices and makes them available to every `Section` below.
    pub fn provide(agent_id: &str) -> SectionPrefs {
        let key = storage_key(agent_id);
        let collapsed = crate::storage::load::<BTreeSet<String>>(&key).unwrap_or_default();
        let prefs = SectionPrefs {
            collapsed: RwSignal::new(collapsed),
            key: StoredValue::new(key),
        };
        provide_context(prefs);
        prefs
    }

    pub fn is_open(&self, id: &str) -> bool {
        self.collapsed.with(|c| !c.contains(id))
    }

    pub fn toggle(&self, id: &str) {
        self.collapsed.update(|c| {
            if !c.remove(id) {
                c.insert(id.to_string());
            }
        });
        // Not being able to remember is no reason to refuse the click.
        self.collapsed
            .with_untracked(|c| crate::storage::save(&self.key.get_value(), c));
    }
}

/// A region of the panel headed by `title`; the heading is a button that folds it.
#[component]
pub fn Section(id: &'static str, title: &'static str, children: Children) -> impl IntoView {
    let prefs = use_context::<SectionPrefs>();
    let open = move || prefs.is_none_or(|p| p.is_open(id));
    let heading_id = format!("details-{id}");
    let body_id = format!("details-{id}-body");
    let labelled_by = heading_id.clone();
    view! {
        <section class="details-section" aria-labelledby=labelled_by>
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
            <div id=body_id class="details-section__body" hidden=move || !open()>
                {children()}
            </div>
        </section>
    }
}
