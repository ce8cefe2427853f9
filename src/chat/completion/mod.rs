//! Completion lists under the message box: `@name` in notes (`mentions`) and `:shortcode:`
//! emoji. Typing the trigger opens a list of choices narrowed by what follows; the box keeps
//! the focus (`aria-activedescendant`): arrows choose, Enter or Tab inserts in place of what
//! was typed, Esc closes until the trigger is typed again.

pub mod emoji;
pub mod mentions;

use leptos::html;
use leptos::prelude::*;

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

/// `text` with the part between `at` and `caret` replaced by `insert` (and a space after it
/// when `space_after` and none follows), and the caret (bytes) after what was inserted.
pub fn replace_typed(
    text: &str,
    at: usize,
    caret: usize,
    insert: &str,
    space_after: bool,
) -> (String, usize) {
    let caret = caret.clamp(at, text.len());
    let rest = &text[caret..];
    let mut out = format!("{}{insert}", &text[..at]);
    let needs_space = space_after && !rest.starts_with(' ');
    if needs_space {
        out.push(' ');
    }
    let after = out.len() + usize::from(space_after && !needs_space);
    out.push_str(rest);
    (out, after)
}

/// What a choice shows before its name.
#[derive(Clone, PartialEq)]
pub enum Lead {
    /// An agent's picture or initials.
    Avatar { id: String, picture: Option<String> },
    /// An emoji.
    Glyph(&'static str),
}

#[derive(Clone, PartialEq)]
pub struct Choice {
    /// Unique in the list.
    pub key: String,
    /// What the option is called (its accessible name).
    pub label: String,
    /// What replaces the trigger and what follows it.
    pub insert: String,
    pub lead: Lead,
}

/// One completion list on the composer's box.
#[derive(Clone, Copy)]
pub struct Completion {
    text: RwSignal<String>,
    set_text: Callback<String>,
    textarea: NodeRef<html::Textarea>,
    /// The caret as a byte offset into the draft.
    caret: RwSignal<usize>,
    /// Where the trigger is and what follows it up to the caret.
    typed: Memo<Option<(usize, String)>>,
    choices: Memo<Vec<Choice>>,
    /// The trigger whose list Esc closed.
    dismissed: RwSignal<Option<usize>>,
    active: RwSignal<usize>,
    space_after: bool,
    pub list_id: &'static str,
    pub list_label: &'static str,
    pub hint: &'static str,
}

pub struct Spec {
    pub list_id: &'static str,
    pub list_label: &'static str,
    pub hint: &'static str,
    /// Whether a space follows what is inserted.
    pub space_after: bool,
    /// The trigger's offset and what follows it, when the caret is in one.
    pub find: fn(&str, usize) -> Option<(usize, &str)>,
}

impl Completion {
    pub fn new(
        text: RwSignal<String>,
        set_text: Callback<String>,
        textarea: NodeRef<html::Textarea>,
        enabled: Signal<bool>,
        spec: Spec,
        choices: impl Fn(&str) -> Vec<Choice> + Send + Sync + 'static,
    ) -> Completion {
        let caret = RwSignal::new(0);
        let find = spec.find;
        let typed = Memo::new(move |_| {
            if !enabled.get() {
                return None;
            }
            let caret = caret.get();
            text.with(|t| find(t, caret).map(|(at, query)| (at, query.to_string())))
        });
        let choices = Memo::new(move |_| {
            typed
                .get()
                .map(|(_, query)| choices(&query))
                .unwrap_or_default()
        });
        let completion = Completion {
            text,
            set_text,
            textarea,
            caret,
            typed,
            choices,
            dismissed: RwSignal::new(None),
            active: RwSignal::new(0),
            space_after: spec.space_after,
            list_id: spec.list_id,
            list_label: spec.list_label,
            hint: spec.hint,
        };
        Effect::new(move |_| {
            let at = typed.get().map(|(at, _)| at);
            completion.active.set(0);
            if at != completion.dismissed.get_untracked() {
                completion.dismissed.set(None);
            }
        });
        completion
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

    pub fn choices(&self) -> Vec<Choice> {
        self.choices.get()
    }

    /// Whether the list is showing (tracked).
    pub fn open(&self) -> bool {
        self.typed
            .with(|t| t.as_ref().map(|(at, _)| *at))
            .is_some_and(|at| self.dismissed.get() != Some(at))
            && self.choices.with(|c| !c.is_empty())
    }

    fn active_index(&self) -> usize {
        let count = self.choices.with(Vec::len);
        self.active.get().min(count.saturating_sub(1))
    }

    pub fn is_active(&self, index: usize) -> bool {
        self.active_index() == index
    }

    pub fn highlight(&self, index: usize) {
        if self.active.get_untracked() != index {
            self.active.set(index);
        }
    }

    pub fn option_id(&self, index: usize) -> String {
        format!("{}-{index}", self.list_id)
    }

    /// The highlighted option's id, while the list shows.
    pub fn active_id(&self) -> Option<String> {
        self.open().then(|| self.option_id(self.active_index()))
    }

    /// Arrows, Enter, Tab and Esc while the list shows; true when the key was used.
    pub fn on_keydown(&self, ev: &web_sys::KeyboardEvent) -> bool {
        if ev.is_composing() || !untrack(|| self.open()) {
            return false;
        }
        let choices = self.choices.get_untracked();
        let count = choices.len();
        match ev.key().as_str() {
            "ArrowDown" | "ArrowUp" => {
                ev.prevent_default();
                let step = if ev.key() == "ArrowDown" {
                    1
                } else {
                    count - 1
                };
                let now = untrack(|| self.active_index());
                self.active.set((now + step) % count);
                true
            }
            "Enter" | "Tab" if !ev.shift_key() => {
                ev.prevent_default();
                let at = untrack(|| self.active_index());
                self.insert(&choices[at].insert);
                true
            }
            "Escape" => {
                ev.prevent_default();
                self.dismissed
                    .set(self.typed.get_untracked().map(|(at, _)| at));
                true
            }
            _ => false,
        }
    }

    /// The caret as a byte offset into the draft, as last read.
    pub fn caret(&self) -> usize {
        self.caret.get_untracked()
    }

    /// Replaces what was typed from the trigger to the caret with `insert`.
    pub fn insert(&self, insert: &str) {
        if let Some((at, _)) = self.typed.get_untracked() {
            self.replace_to_caret(at, insert);
        }
    }

    /// Replaces the text from `at` to the caret with `insert`.
    pub fn replace_to_caret(&self, at: usize, insert: &str) {
        let caret = self.caret.get_untracked();
        let (next, after) = self
            .text
            .with_untracked(|t| replace_typed(t, at, caret, insert, self.space_after));
        let position = utf16_offset(&next, after) as u32;
        self.set_text.run(next.clone());
        self.caret.set(after);
        if let Some(area) = self.textarea.get_untracked() {
            // The box shows the new value first, then the caret goes after the insertion.
            area.set_value(&next);
            let _ = area.set_selection_range(position, position);
            let _ = area.focus();
        }
    }
}

/// The list under the box while a completion applies.
#[component]
pub fn CompletionList(completion: Completion) -> impl IntoView {
    let workspace = crate::workspace::use_workspace();
    view! {
        <Show when=move || completion.open()>
            <div class="canned-popup completion-popup">
                <ul class="canned-popup__list" role="listbox" id=completion.list_id aria-label=completion.list_label>
                    <For
                        each=move || completion.choices().into_iter().enumerate()
                        key=|(i, choice)| (*i, choice.key.clone())
                        let((i, choice))
                    >
                        {
                            let selected = move || completion.is_active(i);
                            let insert = choice.insert.clone();
                            let lead = match choice.lead.clone() {
                                Lead::Avatar { id, picture } => {
                                    let name = workspace.agent_name(&id).unwrap_or_else(|| choice.label.clone());
                                    view! { <crate::ui::avatar::Avatar id name small=true picture/> }.into_any()
                                }
                                Lead::Glyph(glyph) => view! { <span class="completion-option__glyph" aria-hidden="true">{glyph}</span> }.into_any(),
                            };
                            view! {
                                <li
                                    role="option"
                                    id=completion.option_id(i)
                                    class="canned-option completion-option"
                                    class:canned-option--active=selected
                                    aria-selected=move || selected().to_string()
                                    // The message box keeps the focus.
                                    on:mousedown=|ev| ev.prevent_default()
                                    on:mousemove=move |_| completion.highlight(i)
                                    on:click=move |_| completion.insert(&insert)
                                >
                                    {lead}
                                    <span>{choice.label.clone()}</span>
                                </li>
                            }
                        }
                    </For>
                </ul>
                <p class="canned-popup__hint">{completion.hint}</p>
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
    fn what_was_typed_is_replaced_and_the_caret_goes_after_it() {
        assert_eq!(
            replace_typed("Hi @jo", 3, 6, "@Jonas Weber", true),
            ("Hi @Jonas Weber ".to_string(), 16)
        );
        assert_eq!(
            replace_typed("Hi @jo please", 3, 6, "@Jonas Weber", true),
            ("Hi @Jonas Weber please".to_string(), 16)
        );
        assert_eq!(
            replace_typed("ok :thu", 3, 7, "👍", false),
            ("ok 👍".to_string(), 7)
        );
        assert_eq!(
            replace_typed(":+1 x", 0, 3, "👍", false),
            ("👍 x".to_string(), 4)
        );
    }
}
