use crate::{AiReview, Contact, Conversation, Disposition, Id, Message, Note, Team, View};
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
    /// An internal note in the thread was edited (the new text and `edited_at`), or a reply's
    /// delivery status changed (`delivery`, `delivery_error`).
    MessageUpdated(Box<Message>),
    /// An internal note was deleted from the thread.
    MessageDeleted {
        id: Id,
        conversation_id: Id,
    },
    /// An internal note was written or edited (anywhere: the composer or the Notes section).
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
    ViewSaved(Box<View>),
    ViewDeleted {
        id: Id,
    },
    /// A disposition was created or changed (renamed, moved, archived); sent to everyone.
    DispositionSaved(Disposition),
    DispositionDeleted {
        id: Id,
    },
    /// A team's settings changed (its after-conversation requirements); sent to everyone.
    TeamUpdated(Team),
    /// An agent was added or changed (name, role, teams, deactivated); sent to everyone.
    AgentSaved(crate::Agent),
    /// A pipeline stage was added or changed (renamed, moved, archived); sent to everyone.
    PipelineStageSaved(crate::PipelineStage),
    /// Attribute definitions were added, changed or deleted; sent to everyone.
    AttributeDefinitionsChanged(Box<crate::AttributeDefinitionsChanged>),
    /// A catalogue label was added or its colour or description changed; sent to everyone.
    LabelSaved(crate::Label),
    /// An admin renamed the label `from`: every conversation, contact and saved view holding it
    /// holds `label.name` instead (`renamed_labels`: it replaces another label of its scope).
    /// Conversations and contacts keep their versions; sent to everyone.
    LabelRenamed {
        from: String,
        label: crate::Label,
    },
    /// An admin deleted a label: it is gone from the catalogue and from every conversation,
    /// contact and saved view (whose versions stay as they were); sent to everyone.
    LabelDeleted {
        name: String,
    },
    /// An integration was added, changed or removed: which channels now have one delivering
    /// their replies; sent to everyone (admins read the integrations again).
    IntegrationsChanged {
        delivered_channels: Vec<crate::Channel>,
    },
    /// A canned response was added, changed or deleted: the responses offered are to be read
    /// again (`GET /canned-responses`). A personal one's change goes to its owner only, a
    /// shared one's to everyone.
    CannedResponsesChanged {
        scope: crate::CannedScope,
    },
    /// A ticket of a conversation was linked, changed or unlinked: the contact's ticket
    /// history is to be read again (`GET /contacts/{contact_id}/tickets`).
    TicketsChanged {
        conversation_id: Id,
        contact_id: Id,
    },
    /// Agents currently viewing a conversation, and those of them typing a reply
    /// (`POST /conversations/{id}/typing`).
    Presence {
        conversation_id: Id,
        agent_ids: Vec<Id>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        typing_ids: Vec<Id>,
    },
    /// A notification for the receiving agent (sent to them alone).
    NotificationCreated(Box<crate::Notification>),
    /// These notifications of the receiving agent were read (in another tab, or by opening
    /// their conversation).
    NotificationsRead {
        ids: Vec<Id>,
    },
    /// The requested `Last-Event-ID` is older than the server keeps: reload everything.
    ResyncRequired,
}

impl EventPayload {
    /// The conversation an event belongs to, used for access filtering.
    pub fn conversation_id(&self) -> Option<&Id> {
        match self {
            EventPayload::ConversationUpdated(c) => Some(&c.id),
            EventPayload::MessageCreated(m) | EventPayload::MessageUpdated(m) => {
                Some(&m.conversation_id)
            }
            EventPayload::NoteSaved(n) => Some(&n.conversation_id),
            EventPayload::NoteDeleted {
                conversation_id, ..
            }
            | EventPayload::MessageDeleted {
                conversation_id, ..
            }
            | EventPayload::AiReviewed {
                conversation_id, ..
            }
            | EventPayload::TicketsChanged {
                conversation_id, ..
            }
            | EventPayload::Presence {
                conversation_id, ..
            } => Some(conversation_id),
            EventPayload::ConversationMerged { id, .. } => Some(id),
            EventPayload::ContactUpdated(_)
            | EventPayload::ViewSaved(_)
            | EventPayload::ViewDeleted { .. }
            | EventPayload::DispositionSaved(_)
            | EventPayload::DispositionDeleted { .. }
            | EventPayload::TeamUpdated(_)
            | EventPayload::PipelineStageSaved(_)
            | EventPayload::AttributeDefinitionsChanged(_)
            | EventPayload::LabelSaved(_)
            | EventPayload::LabelRenamed { .. }
            | EventPayload::LabelDeleted { .. }
            | EventPayload::AgentSaved(_)
            | EventPayload::IntegrationsChanged { .. }
            | EventPayload::CannedResponsesChanged { .. }
            | EventPayload::NotificationCreated(_)
            | EventPayload::NotificationsRead { .. }
            | EventPayload::ResyncRequired => None,
        }
    }
}

impl EventPayload {
    /// What a `label_renamed` or `label_deleted` does to `labels` (a conversation's or a
    /// contact's): the labels to hold now, or `None` when this event changes none of them.
    pub fn relabelled(&self, labels: &[String]) -> Option<Vec<String>> {
        let (from, to) = match self {
            EventPayload::LabelRenamed { from, label } => (from, Some(label.name.as_str())),
            EventPayload::LabelDeleted { name } => (name, None),
            _ => return None,
        };
        if !labels.contains(from) {
            return None;
        }
        Some(match to {
            Some(to) => crate::renamed_labels(labels, from, to),
            None => labels.iter().filter(|l| *l != from).cloned().collect(),
        })
    }
}

impl Event {
    /// Reads one event from its JSON text: the same result as the derived `Deserialize`.
    ///
    /// Why not the derive: `flatten` and the adjacent tag make it buffer the whole event
    /// first and decode the payload a second way, which doubles the decoding code of every
    /// type an event carries in the browser bundle. This reads each payload straight from
    /// the text, with the decoders the REST responses already use.
    pub fn from_json(text: &str) -> serde_json::Result<Event> {
        #[derive(Deserialize)]
        struct Envelope<'a> {
            id: i64,
            #[serde(rename = "type", borrow)]
            kind: std::borrow::Cow<'a, str>,
            #[serde(borrow, default)]
            data: Option<&'a serde_json::value::RawValue>,
        }
        let envelope: Envelope = serde_json::from_str(text)?;
        let data = envelope.data.map(|raw| raw.get()).unwrap_or("null");
        let payload = decode_payload(&envelope.kind, data)?;
        Ok(Event {
            id: envelope.id,
            payload,
        })
    }
}

fn decode_payload(kind: &str, data: &str) -> serde_json::Result<EventPayload> {
    use serde_json::from_str;
    #[derive(Deserialize)]
    struct ConversationRef {
        id: Id,
        conversation_id: Id,
    }
    #[derive(Deserialize)]
    struct Reviewed {
        conversation_id: Id,
        review: AiReview,
    }
    #[derive(Deserialize)]
    struct Merged {
        id: Id,
        into_conversation_id: Id,
    }
    #[derive(Deserialize)]
    struct Deleted {
        id: Id,
    }
    #[derive(Deserialize)]
    struct TicketsOf {
        conversation_id: Id,
        contact_id: Id,
    }
    #[derive(Deserialize)]
    struct Delivered {
        delivered_channels: Vec<crate::Channel>,
    }
    #[derive(Deserialize)]
    struct Renamed {
        from: String,
        label: crate::Label,
    }
    #[derive(Deserialize)]
    struct LabelName {
        name: String,
    }
    #[derive(Deserialize)]
    struct ReadIds {
        ids: Vec<Id>,
    }
    #[derive(Deserialize)]
    struct CannedChange {
        scope: crate::CannedScope,
    }
    #[derive(Deserialize)]
    struct Viewers {
        conversation_id: Id,
        agent_ids: Vec<Id>,
        #[serde(default)]
        typing_ids: Vec<Id>,
    }
    Ok(match kind {
        "conversation_updated" => EventPayload::ConversationUpdated(from_str(data)?),
        "message_created" => EventPayload::MessageCreated(from_str(data)?),
        "message_updated" => EventPayload::MessageUpdated(from_str(data)?),
        "message_deleted" => {
            let ConversationRef {
                id,
                conversation_id,
            } = from_str(data)?;
            EventPayload::MessageDeleted {
                id,
                conversation_id,
            }
        }
        "note_saved" => EventPayload::NoteSaved(from_str(data)?),
        "note_deleted" => {
            let ConversationRef {
                id,
                conversation_id,
            } = from_str(data)?;
            EventPayload::NoteDeleted {
                id,
                conversation_id,
            }
        }
        "contact_updated" => EventPayload::ContactUpdated(from_str(data)?),
        "ai_reviewed" => {
            let Reviewed {
                conversation_id,
                review,
            } = from_str(data)?;
            EventPayload::AiReviewed {
                conversation_id,
                review,
            }
        }
        "conversation_merged" => {
            let Merged {
                id,
                into_conversation_id,
            } = from_str(data)?;
            EventPayload::ConversationMerged {
                id,
                into_conversation_id,
            }
        }
        "view_saved" => EventPayload::ViewSaved(Box::new(from_str(data)?)),
        "view_deleted" => {
            let Deleted { id } = from_str(data)?;
            EventPayload::ViewDeleted { id }
        }
        "disposition_saved" => EventPayload::DispositionSaved(from_str(data)?),
        "disposition_deleted" => {
            let Deleted { id } = from_str(data)?;
            EventPayload::DispositionDeleted { id }
        }
        "team_updated" => EventPayload::TeamUpdated(from_str(data)?),
        "pipeline_stage_saved" => EventPayload::PipelineStageSaved(from_str(data)?),
        "attribute_definitions_changed" => {
            EventPayload::AttributeDefinitionsChanged(Box::new(from_str(data)?))
        }
        "agent_saved" => EventPayload::AgentSaved(from_str(data)?),
        "label_saved" => EventPayload::LabelSaved(from_str(data)?),
        "label_renamed" => {
            let Renamed { from, label } = from_str(data)?;
            EventPayload::LabelRenamed { from, label }
        }
        "label_deleted" => {
            let LabelName { name } = from_str(data)?;
            EventPayload::LabelDeleted { name }
        }
        "tickets_changed" => {
            let TicketsOf {
                conversation_id,
                contact_id,
            } = from_str(data)?;
            EventPayload::TicketsChanged {
                conversation_id,
                contact_id,
            }
        }
        "notification_created" => EventPayload::NotificationCreated(from_str(data)?),
        "notifications_read" => {
            let ReadIds { ids } = from_str(data)?;
            EventPayload::NotificationsRead { ids }
        }
        "canned_responses_changed" => {
            let CannedChange { scope } = from_str(data)?;
            EventPayload::CannedResponsesChanged { scope }
        }
        "integrations_changed" => {
            let Delivered { delivered_channels } = from_str(data)?;
            EventPayload::IntegrationsChanged { delivered_channels }
        }
        "presence" => {
            let Viewers {
                conversation_id,
                agent_ids,
                typing_ids,
            } = from_str(data)?;
            EventPayload::Presence {
                conversation_id,
                agent_ids,
                typing_ids,
            }
        }
        "resync_required" => EventPayload::ResyncRequired,
        other => {
            return Err(serde::de::Error::custom(format_args!(
                "unknown event type `{other}`"
            )));
        }
    })
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

    #[test]
    fn from_json_reads_what_the_derive_reads_in_any_field_order() {
        let events = [
            r#"{"id": 1, "type": "note_deleted", "data": {"id": "3", "conversation_id": "9"}}"#,
            r#"{"data": {"id": "4", "into_conversation_id": "5"}, "type": "conversation_merged", "id": 2}"#,
            r#"{"id": 3, "type": "presence", "data": {"conversation_id": "9", "agent_ids": ["a1"]}}"#,
            r#"{"id": 4, "type": "view_deleted", "data": {"id": "v1"}}"#,
            r#"{"id": 5, "type": "disposition_deleted", "data": {"id": "4"}}"#,
            r#"{"type": "disposition_saved", "id": 6, "data": {"id": "4", "name": "Sale closed", "position": 2, "archived": false, "version": 3}}"#,
            r#"{"id": 7, "type": "team_updated", "data": {"id": "2", "name": "Sales", "after_conversation": {"disposition_required": true}, "version": 2}}"#,
            r#"{"id": 5, "type": "resync_required"}"#,
            r##"{"id": 9, "type": "label_saved", "data": {"name": "tier::gold", "color": "#ca8a04", "description": "Top tier"}}"##,
            r##"{"type": "label_renamed", "id": 10, "data": {"label": {"name": "refunds", "color": "#2563eb", "description": ""}, "from": "refund"}}"##,
            r#"{"id": 11, "type": "label_deleted", "data": {"name": "old one"}}"#,
            r#"{"id": 12, "type": "canned_responses_changed", "data": {"scope": "personal"}}"#,
            r#"{"id": 8, "type": "tickets_changed", "data": {"contact_id": "4", "conversation_id": "9"}}"#,
            r#"{"id": 6, "type": "message_deleted", "data": {"conversation_id": "9", "id": "31"}}"#,
            r#"{"id": 7, "type": "message_updated", "data": {"id": "31", "conversation_id": "9", "session_id": "2", "kind": "note", "author_id": "1", "body": "edited", "created_at": "2026-11-20T10:00:00.000Z", "edited_at": "2026-11-20T10:05:00.000Z"}}"#,
        ];
        for text in events {
            let derived: Event = serde_json::from_str(text).unwrap();
            assert_eq!(Event::from_json(text).unwrap(), derived, "{text}");
        }
    }

    #[test]
    fn label_events_say_what_a_holder_of_the_label_holds_now() {
        let held = vec!["vip".to_string(), "tier::silver".to_string()];
        let renamed = EventPayload::LabelRenamed {
            from: "vip".into(),
            label: crate::Label {
                name: "tier::gold".into(),
                color: "#000000".into(),
                description: String::new(),
            },
        };
        assert_eq!(
            renamed.relabelled(&held),
            Some(vec!["tier::gold".to_string()])
        );
        let deleted = EventPayload::LabelDeleted { name: "vip".into() };
        assert_eq!(
            deleted.relabelled(&held),
            Some(vec!["tier::silver".to_string()])
        );
        let other = EventPayload::LabelDeleted {
            name: "refund".into(),
        };
        assert_eq!(other.relabelled(&held), None);
        assert_eq!(EventPayload::ResyncRequired.relabelled(&held), None);
    }

    #[test]
    fn from_json_rejects_what_it_cannot_read() {
        let unknown = Event::from_json(r#"{"id": 1, "type": "weather_changed", "data": {}}"#);
        assert!(unknown.unwrap_err().to_string().contains("weather_changed"));
        assert!(Event::from_json(r#"{"id": 1, "type": "view_deleted"}"#).is_err());
        assert!(Event::from_json(r#"{"type": "resync_required"}"#).is_err());
        assert!(Event::from_json("not json").is_err());
    }
}
