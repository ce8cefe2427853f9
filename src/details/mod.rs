//! The right-hand pane: who the customer is and what this conversation is about. Used by the
//! app beside the chat and, alone, by the embedded panel (`crate::embed`).
//!
//! `panel.rs` lays out the two tabs and lists the Conversation tab's sections; each section is
//! a file of its own; `section.rs` folds and orders them; `edit.rs` applies optimistic
//! changes; `events.rs` names each change (and tells an embedding host about it).

mod access;
mod ai_summary;
pub mod attribute_conflict;
pub mod attributes;
pub mod contact;
mod contact_actions;
mod edit;
pub mod events;
mod facts;
mod history;
mod labels;
mod notes;
mod ownership;
mod panel;
pub mod section;
pub mod sessions;

pub use panel::{ConversationSection, DetailsPanel};
