//! Changes the agent makes, told to the page around an embedded panel as DOM events.
//!
//! Present only when the panel is embedded (`crate::embed` provides it); in the app every
//! change already shows in the list and chat beside the panel.

use leptos::prelude::*;
use serde::Serialize;
use wasm_bindgen::JsValue;

#[derive(Clone, Copy)]
pub struct PanelEvents {
    host: StoredValue<web_sys::HtmlElement, LocalStorage>,
}

/// The event a change is reported as, from the words that name it in error messages.
pub fn event_name(what: &str) -> &'static str {
    match what {
        "add the label" => "convoroom:label-added",
        "remove the label" => "convoroom:label-removed",
        "change who handles it" => "convoroom:assigned",
        "add the collaborator" | "remove the collaborator" => "convoroom:collaborators-changed",
        "change the pipeline stage" => "convoroom:stage-changed",
        "block the contact" => "convoroom:blocked",
        "unblock the contact" => "convoroom:unblocked",
        "mark it as spam" | "unmark spam" => "convoroom:spam-changed",
        "change AI access" => "convoroom:ai-access-changed",
        "save the attribute" => "convoroom:attribute-changed",
        "save the contact" | "change the contact's labels" => "convoroom:contact-updated",
        "link the contact" => "convoroom:contact-linked",
        "unlink the contact" => "convoroom:contact-unlinked",
        "merge the conversations" => "convoroom:merged",
        _ => "convoroom:changed",
    }
}

impl PanelEvents {
    pub fn provide(host: web_sys::HtmlElement) -> PanelEvents {
        let events = PanelEvents {
            host: StoredValue::new_local(host),
        };
        provide_context(events);
        events
    }

    /// Dispatches `name` on the host element, crossing the shadow boundary, with `detail`
    /// as a plain JS object.
    pub fn emit(&self, name: &str, detail: &impl Serialize) {
        let Some(host) = self.host.try_get_value() else {
            return;
        };
        let detail = serde_json::to_string(detail)
            .ok()
            .and_then(|json| js_sys::JSON::parse(&json).ok())
            .unwrap_or(JsValue::NULL);
        let init = web_sys::CustomEventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        init.set_detail(&detail);
        if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
            let _ = host.dispatch_event(&event);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_kind_of_change_has_its_own_event() {
        assert_eq!(super::event_name("add the label"), "convoroom:label-added");
        assert_eq!(super::event_name("block the contact"), "convoroom:blocked");
        assert_eq!(
            super::event_name("change AI access"),
            "convoroom:ai-access-changed"
        );
        assert_eq!(super::event_name("something new"), "convoroom:changed");
    }
}
