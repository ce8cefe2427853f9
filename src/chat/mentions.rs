//! `@` in an internal note opens the agents who can see the conversation, narrowed by what
//! follows (`@jo we` fits Jonas Weber). The message box keeps the focus: arrows choose, Enter
//! or Tab inserts "@Jonas Weber ", Esc closes. The note stores the name, and the server reads
//! the same names back to notify whom it mentions (`api::mention`).

use super::ChatState;
use crate::workspace::use_workspace;
use convoroom_api::mention;
use leptos::html;
use leptos::prelude::*;

pub const MENTION_LIST_ID: &str = "mention-list";
const SHOWN: usize = 6;

/// A byte offset into `text` from a caret position in UTF-16 units (what the DOM counts).
pub fn byte_offset(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (at, c) in text.char_indices() {
        if units >= utf16 {
            return at;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// The caret position in UTF-16 units of byte offset `bytes`.
pub fn utf16_offset(text: &str, bytes: usize) -> usize {
    text[..bytes.min(text.len())].encode_utf16().count()
}

/// `text` with the `@query` between `at` and `caret` replaced by `@name `, and the caret
/// (bytes) after it.
pub fn insert_name(text: &str, at: usize, caret: usize, name: &str) -> (String, usize) {
    let caret = caret.clamp(at, text.len());
    let rest = &text[caret..];
    let mut out = format!("{}@{name}", &text[..at]);
    if !rest.starts_with(' ') {
        out.push(' ');
    }
    let after = out.len() + usize::from(rest.starts_with(' '));
    out.push_str(rest);
    (out, after)
}

#[derive(Clone, Copy)]
pub struct ComposerMentions {
    chat: ChatState,
    text: RwSignal<String>,
    set_text: Callback<String>,
    textarea: NodeRef<html::Textarea>,
    note_mode: Signal<bool>,
    /// The caret as a byte offset into the draft.
    caret: RwSignal<usize>,
    /// The `@` whose list Esc closed.
    dismissed: RwSignal<Option<usize>>,
    pub active: RwSignal<usize>,
}

impl ComposerMentions {
    pub fn new(
        chat: ChatState,
        text: RwSignal<String>,
        set_text: Callback<String>,
        textarea: NodeRef<html::Textarea>,
        note_mode: Signal<bool>,
    ) -> Self {
        let mentions = ComposerMentions {
            chat,
            text,
            set_text,
            textarea,
            note_mode,
            caret: RwSignal::new(0),
            dismissed: RwSignal::new(None),
            active: RwSignal::new(0),
        };
        Effect::new(move |_| {
            let at = mentions.typed().map(|(at, _)| at);
            mentions.active.set(0);
            if at != mentions.dismissed.get_untracked() {
                mentions.dismissed.set(None);
            }
        });
        mentions
    }

    /// Reads the caret from the box (after typing, a click or an arrow key).
    pub fn sync_caret(&self) {
        if let Some(area) = self.textarea.get_untracked() {
            let utf16 = area.selection_start().ok().flatten().unwrap_or(0) as usize;
            let at = self.text.with_untracked(|t| byte_offset(t, utf16));
            if at != self.caret.get_untracked() {
                self.caret.set(at);
            }
        }
    }

    /// The `@`'s offset and what follows it up to the caret, in a note (tracked).
    fn typed(&self) -> Option<(usize, String)> {
        if !self.note_mode.get() {
            return None;
        }
        let caret = self.caret.get();
        self.text.with(|t| {
            mention::typing_query(t, caret).map(|(at, query)| (at, query.to_string()))
        })
    }

    /// The agents fitting what was typed (tracked): id and name, at most [`SHOWN`].
    pub fn options(&self) -> Vec<(String, String)> {
        let Some((_, query)) = self.typed() else {
            return Vec::new();
        };
        let workspace = use_workspace();
        let me = workspace.me();
        self.chat.conversation.with(|conversation| {
            workspace.with(|w| {
                w.agents
                    .iter()
                    .filter(|a| a.id != me && mention::sees(a, conversation))
                    .filter(|a| mention::name_fits(&a.name, &query))
                    .take(SHOWN)
                    .map(|a| (a.id.clone(), a.name.clone()))
                    .collect()
            })
        })
    }

    /// Whether the list is showing (tracked).
    pub fn open(&self) -> bool {
        self.typed()
            .is_some_and(|(at, _)| self.dismissed.get() != Some(at))
            && !self.options().is_empty()
    }

    pub fn active_id(&self) -> Option<String> {
        if !self.open() {
            return None;
        }
        let count = self.options().len();
        Some(format!("{MENTION_LIST_ID}-{}", self.active.get().min(count - 1)))
    }

    /// Arrows, Enter, Tab and Esc while the list shows; true when the key was used.
    pub fn on_keydown(&self, ev: &web_sys::KeyboardEvent) -> bool {
        if ev.is_composing() || !untrack(|| self.open()) {
            return false;
        }
        let options = untrack(|| self.options());
        match ev.key().as_str() {
            "ArrowDown" | "ArrowUp" => {
                ev.prevent_default();
                let step = if ev.key() == "ArrowDown" { 1 } else { options.len() - 1 };
                self.active
                    .update(|a| *a = (*a).min(options.len() - 1).wrapping_add(step) % options.len());
                true
            }
            "Enter" | "Tab" if !ev.shift_key() => {
                ev.prevent_default();
                let at = self.active.get_untracked().min(options.len() - 1);
                self.insert(&options[at].1);
                true
            }
            "Escape" => {
                ev.prevent_default();
                self.dismissed
                    .set(untrack(|| self.typed()).map(|(at, _)| at));
                true
            }
            _ => false,
        }
    }

    pub fn insert(&self, name: &str) {
        let Some((at, _)) = untrack(|| self.typed()) else {
            return;
        };
        let caret = self.caret.get_untracked();
        let (next, after) = self.text.with_untracked(|t| insert_name(t, at, caret, name));
        let position = utf16_offset(&next, after) as u32;
        self.set_text.run(next);
        self.caret.set(after);
        if let Some(area) = self.textarea.get_untracked() {
            // The box shows the new value first, then the caret goes after the name.
            area.set_value(&self.text.get_untracked());
            let _ = area.set_selection_range(position, position);
            let _ = area.focus();
        }
    }
}

/// The list under the box while a name is typed after `@` in a note.
#[component]
pub fn MentionList(mentions: ComposerMentions) -> impl IntoView {
    let workspace = use_workspace();
    view! {
        <Show when=move || mentions.open()>
            <div class="canned-popup mention-popup">
                <ul class="canned-popup__list" role="listbox" id=MENTION_LIST_ID aria-label="Mention an agent">
                    <For
                        each=move || mentions.options().into_iter().enumerate()
                        key=|(i, (id, _))| (*i, id.clone())
                        let((i, (id, name)))
                    >
                        {
                            let selected = move || mentions.active.get().min(mentions.options().len().saturating_sub(1)) == i;
                            let picked = name.clone();
                            let picture = workspace.agent_picture(&id);
                            view! {
                                <li
                                    role="option"
                                    id=format!("{MENTION_LIST_ID}-{i}")
                                    class="canned-option mention-option"
                                    class:canned-option--active=selected
                                    aria-selected=move || selected().to_string()
                                    on:mousedown=|ev| ev.prevent_default()
                                    on:mousemove=move |_| if !selected() { mentions.active.set(i) }
                                    on:click=move |_| mentions.insert(&picked)
                                >
                                    <crate::ui::avatar::Avatar id=id.clone() name=name.clone() small=true picture/>
                                    <span>{name.clone()}</span>
                                </li>
                            }
                        }
                    </For>
                </ul>
                <p class="canned-popup__hint">"↑ ↓ to choose · Enter to mention · Esc to close"</p>
            </div>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carets_convert_between_utf16_and_bytes() {
        let text = "é😀@jo";
        assert_eq!(byte_offset(text, 0), 0);
        assert_eq!(byte_offset(text, 1), 2);
        assert_eq!(byte_offset(text, 3), 6); // the emoji is two UTF-16 units, four bytes
        assert_eq!(byte_offset(text, 99), text.len());
        assert_eq!(utf16_offset(text, 6), 3);
    }

    #[test]
    fn a_name_replaces_what_was_typed_after_the_at() {
        assert_eq!(insert_name("Hi @jo", 3, 6, "Jonas Weber"), ("Hi @Jonas Weber ".to_string(), 16));
        assert_eq!(
            insert_name("Hi @jo please", 3, 6, "Jonas Weber"),
            ("Hi @Jonas Weber please".to_string(), 16)
        );
        assert_eq!(insert_name("@", 0, 1, "Ana"), ("@Ana ".to_string(), 5));
    }
}
