use crate::{Attributes, ContactSummary, Id, MessagePreview, Timestamp};
use serde::{Deserialize, Serialize};

/// Declares a string enum with its wire value (snake_case) and the name an agent reads.
///
/// `$wire` is a `tt`, not a `literal`: a `literal` fragment reaches utoipa's derive
/// wrapped in an invisible group, which it skips, so the OpenAPI document listed the
/// Rust variant names (`Open`) instead of the wire values (`open`).
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:tt => $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name { $($(#[$vmeta])* #[serde(rename = $wire)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name an agent reads.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// The wire value.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }

            pub fn parse(text: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.as_str() == text)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}
pub(crate) use string_enum;

string_enum!(
    /// Where the conversation happens.
    Channel {
        Whatsapp = "whatsapp" => "WhatsApp",
        Instagram = "instagram" => "Instagram",
        Messenger = "messenger" => "Messenger",
        Telegram = "telegram" => "Telegram",
        LiveChat = "live_chat" => "Live chat",
        Sms = "sms" => "SMS",
        Email = "email" => "Email",
        Voice = "voice" => "Voice call",
    }
);

string_enum!(
    Status {
        Open = "open" => "Open",
        Pending = "pending" => "Pending",
        Resolved = "resolved" => "Resolved",
        /// Out of the open list until `Conversation::snoozed_until`, or until the customer
        /// writes; set with `POST /conversations/{id}/snooze`, never by a status change.
        Snoozed = "snoozed" => "Snoozed",
    }
);

impl Status {
    /// The statuses an agent can set directly (a status select, a bulk change): snoozing
    /// needs a time, so it has its own action.
    pub fn settable() -> impl Iterator<Item = Status> {
        Status::ALL
            .iter()
            .copied()
            .filter(|s| *s != Status::Snoozed)
    }
}

string_enum!(
    Priority {
        None = "none" => "No priority",
        Low = "low" => "Low",
        Medium = "medium" => "Medium",
        High = "high" => "High",
        Urgent = "urgent" => "Urgent",
    }
);

string_enum!(
    Direction {
        Incoming = "incoming" => "Incoming",
        Outgoing = "outgoing" => "Outgoing",
    }
);

string_enum!(
    /// How the conversation proceeded (system-generated).
    ConversationState {
        Answered = "answered" => "Answered",
        Dropped = "dropped" => "Dropped",
        AgentAssignmentFailed = "agent_assignment_failed" => "Agent assignment failed",
        CustomerDidNotRespond = "customer_did_not_respond" => "Customer didn't respond",
        EnqueueFailed = "enqueue_failed" => "Enqueue failed",
        OutOfBusinessHours = "out_of_business_hours" => "Out of business hours",
        QueueTimeout = "queue_timeout" => "Queue timeout",
    }
);

impl ConversationState {
    /// The value of `ConversationFilter.state` that matches every state but `answered`.
    pub const UNANSWERED_GROUP: &'static str = "unanswered";

    /// The states a `state` filter matches: one state's wire value (`queue_timeout`), or the
    /// group `unanswered` (every state but `answered`; `answered` is its own group). A
    /// conversation still in progress has no state and matches neither.
    pub fn matching(filter: &str) -> Option<Vec<ConversationState>> {
        if filter == Self::UNANSWERED_GROUP {
            return Some(Self::unanswered().collect());
        }
        Self::parse(filter).map(|state| vec![state])
    }

    /// Every state in which no agent answered the customer.
    pub fn unanswered() -> impl Iterator<Item = ConversationState> {
        Self::ALL
            .iter()
            .copied()
            .filter(|state| *state != ConversationState::Answered)
    }
}

string_enum!(
    /// Who ended a call or conversation.
    HangupSource {
        Customer = "customer" => "Customer",
        Agent = "agent" => "Agent",
        System = "system" => "System",
    }
);

string_enum!(
    Ownership {
        Mine = "mine" => "Mine",
        Unassigned = "unassigned" => "Unassigned",
        All = "all" => "All",
    }
);

string_enum!(
    SortOrder {
        LastActivity = "last_activity" => "Last activity",
        Newest = "newest" => "Newest",
        WaitingLongest = "waiting_longest" => "Waiting longest",
        /// Urgent first, down to no priority; most recent activity first within each.
        Priority = "priority" => "Priority",
    }
);

/// Blocking and AI switches, with who last changed them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Access {
    /// The contact is blocked: inbound messages are dropped and replies are disabled.
    pub blocked: bool,
    pub spam: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked_changed_by: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked_changed_at: Option<Timestamp>,
    pub ai_enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ai_changed_by: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ai_changed_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AiReview {
    pub summary: String,
    /// 0–100; higher is better handling.
    pub quality_score: u8,
    pub reviewed_at: Timestamp,
    /// Which analyzer produced it, e.g. `builtin` or the model name.
    pub analyzer: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lifecycle {
    pub created_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_response_at: Option<Timestamp>,
    /// Since when the customer has been waiting for an agent's reply, if they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting_since: Option<Timestamp>,
    pub last_activity_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Conversation {
    pub id: Id,
    pub contact: ContactSummary,
    pub channel: Channel,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<Id>,
    /// The agent responsible ("handled by").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee_id: Option<Id>,
    pub collaborator_ids: Vec<Id>,
    pub status: Status,
    /// A `PipelineStage::id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pipeline_stage: Option<String>,
    pub priority: Priority,
    pub direction: Direction,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disposition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<ConversationState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wrap_up_note: Option<String>,
    /// Customer satisfaction, 1–5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csat: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hangup_source: Option<HangupSource>,
    /// The `external_id` of the newest ticket linked to the conversation (see `Ticket`):
    /// derived and read-only, set by linking tickets with `PUT /conversations/{id}/tickets/…`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket_id: Option<String>,
    /// The business number or address the conversation used: the WhatsApp, SMS or voice
    /// number, the support mailbox. Absent for channels without one (live chat).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_address: Option<String>,
    pub labels: Vec<String>,
    pub attributes: Attributes,
    pub session_info: SessionInfo,
    pub access: Access,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ai_review: Option<AiReview>,
    pub lifecycle: Lifecycle,
    /// Messages the requesting agent has not read.
    pub unread_count: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_message: Option<MessagePreview>,
    /// The latest call recording in the conversation, so a row can play it without opening it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recording_url: Option<String>,
    /// Replies whose delivery failed (the list marks the row; each can be retried).
    #[serde(default)]
    pub failed_deliveries: u32,
    /// When a snoozed conversation reopens by itself (RFC 3339); set only while `status` is
    /// `snoozed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snoozed_until: Option<Timestamp>,
    /// Incremented on every change; send it back as `If-Match`.
    pub version: i64,
}

/// `POST /conversations/{id}/snooze`: out of the open list until `until` (RFC 3339, in the
/// future, at most `SnoozeConversation::MAX_DAYS` ahead). The conversation reopens by itself
/// then, or at once when the customer writes; `POST …/reopen` ends it early.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SnoozeConversation {
    pub until: Timestamp,
}

impl SnoozeConversation {
    pub const MAX_DAYS: i64 = 366;
}

/// `GET /conversations` query. Every field is optional; filters combine with AND.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ConversationFilter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ownership: Option<Ownership>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pipeline_stage: Option<String>,
    /// A conversation attribute's value, `key:value` (`reason:Refund`; booleans `true` or
    /// `false`). Number attributes are not filtered on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute: Option<String>,
    /// One priority or several, comma-separated: `high,urgent` (see `Priority::parse_list`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee_id: Option<Id>,
    /// Created at or after (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_from: Option<Timestamp>,
    /// Created before (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_to: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ai_reviewed: Option<bool>,
    /// One `ConversationState` (`queue_timeout`) or the group `unanswered` (every state but
    /// `answered`); see `ConversationState::matching`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Full-text search over contact name, phone and message content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<SortOrder>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OwnershipCounts {
    pub mine: u64,
    pub unassigned: u64,
    pub all: u64,
    /// True when the server counted only part of a very large result (a search for a common
    /// word): the numbers are then lower bounds, shown as "1000+".
    #[serde(default)]
    pub approximate: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationPage {
    pub items: Vec<Conversation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    /// Counts per ownership tab under the other filters.
    pub counts: OwnershipCounts,
}

/// `PATCH /conversations/{id}` with `If-Match`. Absent fields are left alone; `null` clears.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateConversation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(
        default,
        with = "crate::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub pipeline_stage: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Priority>,
    #[serde(
        default,
        with = "crate::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub team_id: Option<Option<Id>>,
    #[serde(
        default,
        with = "crate::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub assignee_id: Option<Option<Id>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collaborator_ids: Option<Vec<Id>>,
    #[serde(
        default,
        with = "crate::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub disposition: Option<Option<String>>,
    #[serde(
        default,
        with = "crate::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(max_length = 10000))]
    pub wrap_up_note: Option<Option<String>>,
    #[serde(
        default,
        with = "crate::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub csat: Option<Option<u8>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<Vec<String>>,
    /// Keys set to `null` are removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    // utoipa cannot express a map of nullable values; document it as a map of values.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<std::collections::BTreeMap<String, crate::AttributeValue>>))]
    pub attributes: Option<std::collections::BTreeMap<String, Option<crate::AttributeValue>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spam: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ai_enabled: Option<bool>,
}

/// `POST /conversations`: start an outgoing conversation with a contact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateConversation {
    pub contact_id: Id,
    pub channel: Channel,
    #[serde(default)]
    pub team_id: Option<Id>,
    /// The first outgoing message, if any.
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub client_id: Option<String>,
    /// The business number or address to write from; by default the one the last
    /// conversation on this channel used.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub business_address: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AddLabel {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkContact {
    pub contact_id: Id,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MergeConversations {
    /// This conversation's messages, notes and labels move into the target, which survives.
    pub into_conversation_id: Id,
}

/// Several conversations changed at once from the list's bulk actions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkUpdate {
    #[cfg_attr(feature = "openapi", schema(max_items = 500))]
    pub conversation_ids: Vec<Id>,
    #[serde(
        default,
        with = "crate::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub assignee_id: Option<Option<Id>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub add_label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// With `status: resolved`: the after-conversation work saved on each of them (the hangup
    /// source on the calls among them). Refused as a whole when one of them would be.
    #[serde(
        default,
        deserialize_with = "crate::object_or_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub resolve: Option<crate::ResolveConversation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkResult {
    pub updated: Vec<Conversation>,
    /// Ids the caller could not change (unknown or not visible).
    pub not_found: Vec<Id>,
}

/// A continuous interaction inside a conversation. Resolving ends it; the customer's
/// next message starts a new one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationSession {
    pub id: Id,
    pub conversation_id: Id,
    /// 1 for the first session of the conversation.
    pub number: u32,
    pub started_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_by: Option<Id>,
    pub message_count: u32,
    /// The after-conversation work recorded when this session was resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disposition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wrap_up_note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hangup_source: Option<HangupSource>,
}

/// Who changed what, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEvent {
    pub id: Id,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation_id: Option<Id>,
    /// Agent id, or absent for the system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_id: Option<Id>,
    /// e.g. `assigned`, `label_added`, `status_changed`, `blocked`.
    pub action: String,
    pub detail: serde_json::Value,
    pub at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bulk_resolve_is_an_object_or_null_never_an_array() {
        let read = |json: &str| serde_json::from_str::<BulkUpdate>(json);
        assert!(read(r#"{"conversation_ids":[],"resolve":[null,null]}"#).is_err());
        assert_eq!(
            read(r#"{"conversation_ids":[],"resolve":null}"#)
                .unwrap()
                .resolve,
            None
        );
        let with = read(r#"{"conversation_ids":["1"],"status":"resolved","resolve":{"disposition":"Sale closed"}}"#)
            .unwrap();
        assert_eq!(
            with.resolve.and_then(|r| r.disposition).as_deref(),
            Some("Sale closed")
        );
    }

    #[test]
    fn enums_round_trip_through_their_wire_names() {
        for channel in Channel::ALL {
            let json = serde_json::to_string(channel).unwrap();
            assert_eq!(json, format!("\"{}\"", channel.as_str()));
            assert_eq!(Channel::parse(channel.as_str()), Some(*channel));
        }
        assert_eq!(Channel::LiveChat.as_str(), "live_chat");
        assert_eq!(
            ConversationState::CustomerDidNotRespond.label(),
            "Customer didn't respond"
        );
    }

    #[test]
    fn a_state_filter_is_one_state_or_the_unanswered_group() {
        let unanswered = ConversationState::matching("unanswered").unwrap();
        assert_eq!(unanswered.len(), ConversationState::ALL.len() - 1);
        assert!(!unanswered.contains(&ConversationState::Answered));
        assert_eq!(
            ConversationState::matching("answered"),
            Some(vec![ConversationState::Answered])
        );
        assert_eq!(
            ConversationState::matching("queue_timeout"),
            Some(vec![ConversationState::QueueTimeout])
        );
        assert_eq!(ConversationState::matching("Answered"), None);
    }

    #[cfg(feature = "openapi")]
    #[test]
    fn openapi_enums_list_the_wire_values() {
        use utoipa::PartialSchema;
        let schema = serde_json::to_value(Channel::schema()).unwrap();
        let wire: Vec<&str> = Channel::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(schema["enum"], serde_json::json!(wire));
    }

    #[test]
    fn patch_tells_absent_from_null() {
        let patch: UpdateConversation =
            serde_json::from_str(r#"{"assignee_id": null, "status": "resolved"}"#).unwrap();
        assert_eq!(patch.assignee_id, Some(None));
        assert_eq!(patch.team_id, None);
        assert_eq!(patch.status, Some(Status::Resolved));
        let json = serde_json::to_value(&patch).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"assignee_id": null, "status": "resolved"})
        );
    }
}
