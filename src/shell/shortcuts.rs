//! Workspace-wide keyboard shortcuts; ignored while the agent types in a field.

use crate::conversation_list::{ListContext, ListStateStoreFields};
use crate::layout::DetailsVisible;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// (keys, what they do), shown in the shortcuts dialog.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("j / ↓", "Next conversation"),
    ("k / ↑", "Previous conversation"),
    ("Enter", "Open the highlighted conversation"),
    ("/", "Search conversations"),
    ("r", "Write a reply"),
    ("i", "Show or hide conversation details"),
    ("f", "Find in the open conversation"),
    ("z", "Snooze the open conversation"),
    ("Enter (in the message box)", "Send"),
    ("Shift + Enter", "New line"),
    ("Ctrl (⌘) + Shift + Enter", "Send the reply and resolve"),
    ("?", "Show these shortcuts"),
];

/// Whether a key press belongs to a text field rather than to the shortcuts.
fn typing_in_field(target: Option<web_sys::EventTarget>) -> bool {
    let Some(element) = target.and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
        return false;
    };
    matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
        || element
            .closest("[contenteditable=true]")
            .ok()
            .flatten()
            .is_some()
}

/// Presses a button of the open conversation, if it is there and enabled.
fn click(selector: &str) {
    if let Some(button) = document()
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlButtonElement>().ok())
        && !button.disabled()
    {
        button.click();
    }
}

pub fn install(shortcuts_open: RwSignal<bool>) {
    let ctx = expect_context::<ListContext>();
    let path = crate::nav::use_app_path();
    let details = DetailsVisible::provide(ctx.selected_id);

    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.ctrl_key()
            || ev.meta_key()
            || ev.alt_key()
            || ev.default_prevented()
            || typing_in_field(ev.target())
        {
            return;
        }
        // The list, chat and details shortcuts mean nothing where they are not shown.
        let on_conversations = path.with_untracked(|p| p.starts_with("/conversations"));
        if !on_conversations && ev.key() != "?" {
            return;
        }
        let len = ctx.state.items().with_untracked(Vec::len);
        let move_by = |delta: isize| {
            if len == 0 {
                return;
            }
            let next = ctx.active.get_untracked().map_or(0, |i| {
                (i as isize + delta).clamp(0, len as isize - 1) as usize
            });
            ctx.active.set(Some(next));
        };
        match ev.key().as_str() {
            "j" => move_by(1),
            "k" => move_by(-1),
            "/" => crate::ui::focus("#conversation-search"),
            "r" => crate::ui::focus("#composer-input"),
            "i" => details.toggle(),
            "f" => click("#find-button"),
            "z" => click("#snooze-button"),
            "?" => shortcuts_open.set(true),
            "Enter" => {
                let on_button = ev
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .is_some_and(|e| {
                        matches!(e.tag_name().as_str(), "BUTTON" | "A")
                            || e.get_attribute("role").as_deref() == Some("listbox")
                    });
                if on_button {
                    return;
                }
                match ctx.active.get_untracked().and_then(|i| {
                    ctx.state
                        .items()
                        .with_untracked(|items| items.get(i).map(|c| c.id.clone()))
                }) {
                    Some(id) => ctx.open.run(id),
                    None => return,
                }
            }
            _ => return,
        }
        ev.prevent_default();
    });
    on_cleanup(move || handle.remove());
}

#[component]
pub fn ShortcutsDialog(open: RwSignal<bool>) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    crate::ui::modal_follows(dialog, open);
    view! {
        <dialog node_ref=dialog class="dialog" aria-labelledby="shortcuts-title" on:close=move |_| open.set(false)>
            <h2 id="shortcuts-title">"Keyboard shortcuts"</h2>
            <table class="shortcuts">
                <tbody>
                    {SHORTCUTS
                        .iter()
                        .map(|(keys, what)| view! { <tr><td><kbd>{*keys}</kbd></td><td>{*what}</td></tr> })
                        .collect_view()}
                </tbody>
            </table>
            <form method="dialog">
                <button class="button" type="submit">"Close"</button>
            </form>
        </dialog>
    }
}
