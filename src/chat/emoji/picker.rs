//! The Emoji button beside the message box and the picker it opens: a search box and the
//! emoji by group. The search box keeps the focus (the list follows `aria-activedescendant`):
//! arrows move (up and down by a row), Enter inserts at the cursor of the message box, Esc
//! closes; either way the message box gets the focus back.

use super::{Emoji, data, name, search};
use crate::chat::canned::fill::insert_at;
use crate::ui::icons::icon;
use leptos::html;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;

const LIST_ID: &str = "emoji-picker-list";
/// Emoji per row of the grid (the CSS lays them out so).
const COLUMNS: usize = 8;

fn option_id(index: usize) -> String {
    format!("{LIST_ID}-{index}")
}

/// The next highlighted index after `key`, in a grid of `count` emoji.
pub fn step(key: &str, at: usize, count: usize) -> Option<usize> {
    if count == 0 {
        return None;
    }
    let last = count - 1;
    Some(match key {
        "ArrowRight" => (at + 1).min(last),
        "ArrowLeft" => at.saturating_sub(1),
        "ArrowDown" => (at + COLUMNS).min(last),
        "ArrowUp" => at.saturating_sub(COLUMNS),
        "Home" => 0,
        "End" => last,
        _ => return None,
    })
}

#[component]
pub fn EmojiButton(
    text: RwSignal<String>,
    set_text: Callback<String>,
    textarea: NodeRef<html::Textarea>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let query = RwSignal::new(String::new());
    let active = RwSignal::new(0usize);
    let selection = StoredValue::new((u32::MAX, u32::MAX));
    let found = Memo::new(move |_| query.with(|q| search(q)));
    let wrapper = NodeRef::<html::Div>::new();
    let search_ref = NodeRef::<html::Input>::new();
    let list_ref = NodeRef::<html::Div>::new();

    let back_to_box = move || {
        open.set(false);
        query.set(String::new());
        if let Some(area) = textarea.get_untracked() {
            let _ = area.focus();
        }
    };
    let choose = move |emoji: Emoji| {
        let (start, end) = selection.get_value();
        let (next, cursor) = text.with_untracked(|t| insert_at(t, start, end, emoji.glyph));
        set_text.run(next.clone());
        back_to_box();
        if let Some(area) = textarea.get_untracked() {
            area.set_value(&next);
            let _ = area.set_selection_range(cursor, cursor);
        }
    };
    let toggle = move |_| {
        if open.get_untracked() {
            back_to_box();
            return;
        }
        if let Some(area) = textarea.get_untracked() {
            selection.set_value((
                area.selection_start().ok().flatten().unwrap_or(u32::MAX),
                area.selection_end().ok().flatten().unwrap_or(u32::MAX),
            ));
        }
        active.set(0);
        open.set(true);
    };
    Effect::new(move |_| {
        if open.get()
            && let Some(input) = search_ref.get()
        {
            let _ = input.focus();
        }
    });
    Effect::new(move |_| {
        query.track();
        active.set(0);
    });
    // The highlighted emoji stays in sight as the arrows move through the list.
    Effect::new(move |_| {
        let id = option_id(active.get());
        if let Some(option) = list_ref
            .get()
            .and_then(|list| list.query_selector(&format!("#{id}")).ok().flatten())
        {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Nearest);
            option.scroll_into_view_with_scroll_into_view_options(&options);
        }
    });
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        let key = ev.key();
        let count = found.with_untracked(Vec::len);
        if key == "Escape" {
            ev.prevent_default();
            back_to_box();
        } else if key == "Enter" {
            ev.prevent_default();
            if let Some(emoji) = found.with_untracked(|f| f.get(active.get_untracked()).copied()) {
                choose(emoji);
            }
        } else if let Some(next) = step(&key, active.get_untracked(), count) {
            // In the search box, Left and Right still move through the typed text.
            let in_search = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .is_some();
            if in_search && matches!(key.as_str(), "ArrowLeft" | "ArrowRight" | "Home" | "End") {
                return;
            }
            ev.prevent_default();
            active.set(next);
        }
    };
    let option = move |index: usize, emoji: Emoji| {
        let selected = move || active.get() == index;
        view! {
            <span
                role="option"
                id=option_id(index)
                class="emoji-option"
                class:emoji-option--active=selected
                aria-selected=move || selected().to_string()
                aria-label=format!("{} :{}:", name(emoji.code), emoji.code)
                title=format!(":{}:", emoji.code)
                on:mousedown=|ev| ev.prevent_default()
                on:mousemove=move |_| if !selected() { active.set(index) }
                on:click=move |_| choose(emoji)
            >
                {emoji.glyph}
            </span>
        }
    };
    let grouped = move || {
        let mut index = 0;
        data::GROUPS
            .iter()
            .map(|(group, entries)| {
                let first = index;
                index += entries.len();
                let emoji: Vec<Emoji> = super::all().skip(first).take(entries.len()).collect();
                view! {
                    <div role="group" aria-label=*group class="emoji-group">
                        <span class="emoji-group__name" aria-hidden="true">{*group}</span>
                        {emoji.into_iter().enumerate().map(|(i, e)| option(first + i, e)).collect_view()}
                    </div>
                }
            })
            .collect_view()
    };
    view! {
        <div
            class="emoji-picker"
            node_ref=wrapper
            on:focusout=move |ev: web_sys::FocusEvent| {
                let inside = wrapper
                    .get()
                    .and_then(|wrapper| crate::ui::holds(&wrapper, ev.related_target()));
                if inside != Some(true) {
                    open.set(false);
                    query.set(String::new());
                }
            }
        >
            <button
                type="button"
                class="button button--small button--ghost emoji-picker__button"
                aria-haspopup="dialog"
                aria-expanded=move || open.get().to_string()
                title="Emoji (or type : and a name, e.g. :thumbs)"
                on:click=toggle
            >
                {icon("smile")}
                <span>"Emoji"</span>
            </button>
            <Show when=move || open.get()>
                <div class="emoji-picker__panel" role="dialog" aria-label="Emoji" on:keydown=on_keydown>
                    <input
                        type="search"
                        node_ref=search_ref
                        class="emoji-picker__search"
                        aria-label="Search emoji"
                        placeholder="Search emoji"
                        role="combobox"
                        aria-expanded="true"
                        aria-controls=LIST_ID
                        aria-activedescendant=move || found.with(|f| (!f.is_empty()).then(|| option_id(active.get())))
                        prop:value=query
                        on:input:target=move |ev| query.set(ev.target().value())
                    />
                    <div
                        class="emoji-picker__list"
                        role="listbox"
                        id=LIST_ID
                        aria-label="Emoji"
                        node_ref=list_ref
                        // Focusable, so the scrolling list can be reached without a mouse.
                        tabindex="0"
                        aria-activedescendant=move || found.with(|f| (!f.is_empty()).then(|| option_id(active.get())))
                    >
                        {move || if query.with(|q| q.trim().is_empty()) {
                            grouped().into_any()
                        } else {
                            found.get().into_iter().enumerate().map(|(i, e)| option(i, e)).collect_view().into_any()
                        }}
                    </div>
                    <Show when=move || found.with(Vec::is_empty)>
                        <p class="emoji-picker__empty" role="status">{move || format!("No emoji matches “{}”.", query.get())}</p>
                    </Show>
                </div>
            </Show>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::step;

    #[test]
    fn arrows_move_through_the_grid_and_stop_at_its_edges() {
        assert_eq!(step("ArrowRight", 0, 20), Some(1));
        assert_eq!(step("ArrowRight", 19, 20), Some(19));
        assert_eq!(step("ArrowLeft", 0, 20), Some(0));
        assert_eq!(step("ArrowDown", 3, 20), Some(11));
        assert_eq!(step("ArrowDown", 15, 20), Some(19));
        assert_eq!(step("ArrowUp", 11, 20), Some(3));
        assert_eq!(step("ArrowUp", 3, 20), Some(0));
        assert_eq!(step("End", 0, 20), Some(19));
        assert_eq!(step("ArrowDown", 0, 0), None);
        assert_eq!(step("a", 0, 20), None);
    }
}
