//! Changes the agent makes in the panel: each is named in error messages ("Couldn't add the
//! label") and, when the panel is embedded, told to the page around it as a DOM event.
//!
//! The event names are a public contract (README, "Embedding the details panel"): they come
//! from [`PanelEvent`], never from wording, so rewording a message cannot rename an event.
//! `PanelEvents` is present only when the panel is embedded (`crate::embed` provides it); in
//! the app every change already shows in the list and chat beside the panel.

use leptos::prelude::*;
use serde::Serialize;
use wasm_bindgen::JsValue;

/// The DOM events an embedded panel dispatches on its element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PanelEvent {
    LabelAdded,
    LabelRemoved,
    Assigned,
    CollaboratorsChanged,
    StageChanged,
    PriorityChanged,
    Blocked,
    Unblocked,
    SpamChanged,
    AiAccessChanged,
    AttributeChanged,
    ContactUpdated,
    ContactLinked,
    ContactUnlinked,
    Merged,
    NoteSaved,
    NoteDeleted,
}

impl PanelEvent {
    pub const ALL: &'static [PanelEvent] = &[
        PanelEvent::LabelAdded,
        PanelEvent::LabelRemoved,
        PanelEvent::Assigned,
        PanelEvent::CollaboratorsChanged,
        PanelEvent::StageChanged,
        PanelEvent::PriorityChanged,
        PanelEvent::Blocked,
        PanelEvent::Unblocked,
        PanelEvent::SpamChanged,
        PanelEvent::AiAccessChanged,
        PanelEvent::AttributeChanged,
        PanelEvent::ContactUpdated,
        PanelEvent::ContactLinked,
        PanelEvent::ContactUnlinked,
        PanelEvent::Merged,
        PanelEvent::NoteSaved,
        PanelEvent::NoteDeleted,
    ];

    /// The event's type, as a host listens for it.
    pub fn name(self) -> &'static str {
        match self {
            PanelEvent::LabelAdded => "convoroom:label-added",
            PanelEvent::LabelRemoved => "convoroom:label-removed",
            PanelEvent::Assigned => "convoroom:assigned",
            PanelEvent::CollaboratorsChanged => "convoroom:collaborators-changed",
            PanelEvent::StageChanged => "convoroom:stage-changed",
            PanelEvent::PriorityChanged => "convoroom:priority-changed",
            PanelEvent::Blocked => "convoroom:blocked",
            PanelEvent::Unblocked => "convoroom:unblocked",
            PanelEvent::SpamChanged => "convoroom:spam-changed",
            PanelEvent::AiAccessChanged => "convoroom:ai-access-changed",
            PanelEvent::AttributeChanged => "convoroom:attribute-changed",
            PanelEvent::ContactUpdated => "convoroom:contact-updated",
            PanelEvent::ContactLinked => "convoroom:contact-linked",
            PanelEvent::ContactUnlinked => "convoroom:contact-unlinked",
            PanelEvent::Merged => "convoroom:merged",
            PanelEvent::NoteSaved => "convoroom:note-saved",
            PanelEvent::NoteDeleted => "convoroom:note-deleted",
        }
    }
}

/// A change to a conversation or contact made through the panel's editor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    AddLabel,
    RemoveLabel,
    Assign,
    AddCollaborator,
    RemoveCollaborator,
    ChangeStage,
    SetPriority,
    Block,
    Unblock,
    MarkSpam,
    UnmarkSpam,
    ChangeAiAccess,
    SaveAttribute,
    SaveContact,
    ChangeContactLabels,
    LinkContact,
    UnlinkContact,
    Merge,
}

impl Change {
    /// The end of "Couldn't …" when the change fails.
    pub fn describe(self) -> &'static str {
        match self {
            Change::AddLabel => "add the label",
            Change::RemoveLabel => "remove the label",
            Change::Assign => "change who handles it",
            Change::AddCollaborator => "add the collaborator",
            Change::RemoveCollaborator => "remove the collaborator",
            Change::ChangeStage => "change the pipeline stage",
            Change::SetPriority => "change the priority",
            Change::Block => "block the contact",
            Change::Unblock => "unblock the contact",
            Change::MarkSpam => "mark it as spam",
            Change::UnmarkSpam => "unmark spam",
            Change::ChangeAiAccess => "change AI access",
            Change::SaveAttribute => "save the attribute",
            Change::SaveContact => "save the contact",
            Change::ChangeContactLabels => "change the contact's labels",
            Change::LinkContact => "link the contact",
            Change::UnlinkContact => "unlink the contact",
            Change::Merge => "merge the conversations",
        }
    }

    /// What an embedding host hears when the change is saved.
    pub fn event(self) -> PanelEvent {
        match self {
            Change::AddLabel => PanelEvent::LabelAdded,
            Change::RemoveLabel => PanelEvent::LabelRemoved,
            Change::Assign => PanelEvent::Assigned,
            Change::AddCollaborator | Change::RemoveCollaborator => {
                PanelEvent::CollaboratorsChanged
            }
            Change::ChangeStage => PanelEvent::StageChanged,
            Change::SetPriority => PanelEvent::PriorityChanged,
            Change::Block => PanelEvent::Blocked,
            Change::Unblock => PanelEvent::Unblocked,
            Change::MarkSpam | Change::UnmarkSpam => PanelEvent::SpamChanged,
            Change::ChangeAiAccess => PanelEvent::AiAccessChanged,
            Change::SaveAttribute => PanelEvent::AttributeChanged,
            Change::SaveContact | Change::ChangeContactLabels => PanelEvent::ContactUpdated,
            Change::LinkContact => PanelEvent::ContactLinked,
            Change::UnlinkContact => PanelEvent::ContactUnlinked,
            Change::Merge => PanelEvent::Merged,
        }
    }
}

#[derive(Clone, Copy)]
pub struct PanelEvents {
    host: StoredValue<web_sys::HtmlElement, LocalStorage>,
}

impl PanelEvents {
    pub fn provide(host: web_sys::HtmlElement) -> PanelEvents {
        let events = PanelEvents {
            host: StoredValue::new_local(host),
        };
        provide_context(events);
        events
    }

    /// Dispatches `event` on the host element, crossing the shadow boundary, with `detail`
    /// as a plain JS object.
    pub fn emit(&self, event: PanelEvent, detail: &impl Serialize) {
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
        if let Ok(dom_event) = web_sys::CustomEvent::new_with_event_init_dict(event.name(), &init) {
            let _ = host.dispatch_event(&dom_event);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_has_its_own_name_and_the_readme_lists_it() {
        let readme = include_str!("../../README.md");
        let mut names: Vec<&str> = PanelEvent::ALL.iter().map(|e| e.name()).collect();
        for name in &names {
            let short = name.strip_prefix("convoroom:").expect("namespaced");
            assert!(
                readme.contains(&format!("`{name}`")) || readme.contains(&format!("`{short}`")),
                "README does not list {name}"
            );
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), PanelEvent::ALL.len());
    }

    #[test]
    fn changes_are_told_as_their_own_event() {
        assert_eq!(Change::AddLabel.event().name(), "convoroom:label-added");
        assert_eq!(Change::Block.event().name(), "convoroom:blocked");
        assert_eq!(
            Change::RemoveCollaborator.event(),
            PanelEvent::CollaboratorsChanged
        );
        assert_eq!(Change::Merge.describe(), "merge the conversations");
    }
}
