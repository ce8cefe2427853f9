use crate::{AiReview, Contact, Conversation, Id, Message, Note, View};
use serde::{Deserialize, Serialize};

/// One change, as delivered on the event stream (`GET /events`, server-sent events).
///
/// Each SSE message carries `id:` (the event id, increasing) and `data:` (this type as JSON).
/// Reconnect with `Last-Event-ID` (or `last_event_id`) to receive everything after it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Event {
    pub id: i64,
    #[serde(flatten)]
    pub payload: EventPayload,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum EventPayload {
    /// A conversation was created or any of its fields changed.
    ConversationUpdated(Box<Conversation>),
    /// A message (any kind, notes included) was added.
    MessageCreated(Box<Message>),
    NoteSaved(Note),
    NoteDeleted {
        id: Id,
        conversation_id: Id,
    },
    ContactUpdated(Box<Contact>),
    AiReviewed {
        conversation_id: Id,
        review: AiReview,
    },
    /// A conversation was merged into another and no longer exists.
    ConversationMerged {
        id: Id,
        into_conversation_id: Id,
    },
    ViewSaved(View),
    ViewDeleted {
        id: Id,
    },
    /// Agents currently viewing a conversation.
    Presence {
        conversation_id: Id,
        agent_ids: Vec<Id>,
    },
    /// The requested `Last-Event-ID` is older than the server keeps: reload everything.
    ResyncRequired,
}

impl EventPayload {
    /// The conversation an event belongs to, used for access filtering.
    pub fn conversation_id(&self) -> Option<&Id> {
        match self {
            EventPayload::ConversationUpdated(c) => Some(&c.id),
            EventPayload::MessageCreated(m) => Some(&m.conversation_id),
            EventPayload::NoteSaved(n) => Some(&n.conversation_id),
            EventPayload::NoteDeleted {
                conversation_id, ..
            }
            | EventPayload::AiReviewed {
                conversation_id, ..
            }
            | EventPayload::Presence {
                conversation_id, ..
            } => Some(conversation_id),
            EventPayload::ConversationMerged { id, .. } => Some(id),
            EventPayload::ContactUpdated(_)
            | EventPayload::ViewSaved(_)
            | EventPayload::ViewDeleted { .. }
            | EventPayload::ResyncRequired => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_flat_objects_with_type_and_data() {
        let event = Event {
            id: 7,
            payload: EventPayload::NoteDeleted {
                id: "3".into(),
                conversation_id: "9".into(),
            },
        };
        let json = serde_json::to_value(&event).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"id": 7, "type": "note_deleted", "data": {"id": "3", "conversation_id": "9"}})
        );
        let back: Event = serde_json::from_value(json).unwrap();
        assert_eq!(back, event);
    }
}
