//! Small building blocks shared by every feature: icons, avatars, time, theme.

pub mod avatar;
mod copy;
mod error_notice;
pub mod icons;
mod length_hint;
pub mod text;
pub mod theme;
pub mod time;

pub use copy::CopyButton;
pub use error_notice::{CONVERSATION_GONE, ErrorNotice};
pub use length_hint::{LengthHint, fits};

use leptos::prelude::*;
use leptos_router::NavigateOptions;

/// Moves the keyboard focus to the element `selector` names, if it is on the page.
pub fn focus(selector: &str) {
    use leptos::wasm_bindgen::JsCast;
    if let Some(el) = document()
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// Whether `target` (an event's target or related target) lies inside `element`: `None` when
/// there is no target (focus dropped with a removed element, or gone to the page itself).
/// Popups close on focus or clicks that land outside their wrapper.
pub fn holds(element: &web_sys::Element, target: Option<web_sys::EventTarget>) -> Option<bool> {
    use leptos::wasm_bindgen::JsCast;
    let node = target?.dyn_into::<web_sys::Node>().ok()?;
    Some(element.contains(Some(&node)))
}

/// Replaces the current URL with an app path once rendering has finished. (The router's
/// `<Redirect>` navigates while the route tree is still rendering, which panics in CSR.)
#[component]
pub fn GoTo(path: String) -> impl IntoView {
    let navigate = crate::nav::use_navigate();
    request_animation_frame(move || {
        navigate(
            &path,
            NavigateOptions {
                replace: true,
                ..Default::default()
            },
        );
    });
}

/// Shows `dialog` as a modal (which traps focus and closes on Escape) while `open` is true.
/// The dialog's `close` event should set `open` back to false.
pub fn modal_follows(dialog: NodeRef<leptos::html::Dialog>, open: RwSignal<bool>) {
    Effect::new(move |_| {
        let Some(dialog) = dialog.get() else { return };
        if open.get() {
            if !dialog.open() {
                let _ = dialog.show_modal();
            }
        } else if dialog.open() {
            dialog.close();
        }
    });
}
