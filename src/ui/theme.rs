//! Light, dark, or whatever the system prefers; the choice is remembered per browser.

use crate::storage;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

const THEME_KEY: &str = "convoroom.theme";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThemeChoice {
    #[default]
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    pub fn next(self) -> Self {
        match self {
            ThemeChoice::System => ThemeChoice::Light,
            ThemeChoice::Light => ThemeChoice::Dark,
            ThemeChoice::Dark => ThemeChoice::System,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ThemeChoice::System => "System theme",
            ThemeChoice::Light => "Light theme",
            ThemeChoice::Dark => "Dark theme",
        }
    }
}

#[derive(Clone, Copy)]
pub struct Theme(pub RwSignal<ThemeChoice>);

pub fn provide_theme() {
    let choice = RwSignal::new(storage::load::<ThemeChoice>(THEME_KEY).unwrap_or_default());
    Effect::new(move |_| {
        let choice = choice.get();
        storage::save(THEME_KEY, &choice);
        if let Some(root) = document().document_element() {
            let _ = match choice {
                ThemeChoice::System => root.remove_attribute("data-theme"),
                ThemeChoice::Light => root.set_attribute("data-theme", "light"),
                ThemeChoice::Dark => root.set_attribute("data-theme", "dark"),
            };
        }
    });
    provide_context(Theme(choice));
}

#[component]
pub fn ThemeSwitch() -> impl IntoView {
    let Theme(choice) = expect_context::<Theme>();
    view! {
        <button
            type="button"
            class="icon-button"
            title=move || format!("{} (click to change)", choice.get().label())
            aria-label=move || format!("Theme: {}", choice.get().label())
            on:click=move |_| choice.update(|c| *c = c.next())
        >
            {move || match choice.get() {
                ThemeChoice::System => super::icons::icon("theme-system"),
                ThemeChoice::Light => super::icons::icon("theme-light"),
                ThemeChoice::Dark => super::icons::icon("theme-dark"),
            }}
        </button>
    }
}
