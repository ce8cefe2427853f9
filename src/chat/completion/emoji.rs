//! `:` and the start of a shortcode (`:thu`) offers the matching emoji; Enter or Tab inserts
//! the emoji in place of what was typed.

use super::{Choice, Completion, Lead, Spec};
use crate::chat::emoji;
use leptos::html;
use leptos::prelude::*;

const SHOWN: usize = 6;

pub fn completion(
    text: RwSignal<String>,
    set_text: Callback<String>,
    textarea: NodeRef<html::Textarea>,
    enabled: Signal<bool>,
) -> Completion {
    let spec = Spec {
        list_id: "emoji-list",
        list_label: "Emoji",
        hint: "↑ ↓ to choose · Enter to insert · Esc to close",
        space_after: false,
        find: emoji::typing_code,
    };
    Completion::new(text, set_text, textarea, enabled, spec, |code| {
        emoji::search(code)
            .into_iter()
            .take(SHOWN)
            .map(|e| Choice {
                key: e.code.to_string(),
                label: format!(":{}: {}", e.code, emoji::name(e.code)),
                insert: e.glyph.to_string(),
                lead: Lead::Glyph(e.glyph),
            })
            .collect()
    })
}
