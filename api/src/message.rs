use crate::{Id, Timestamp};
use serde::{Deserialize, Serialize};

crate::conversation::string_enum!(
    MessageKind {
        /// From the customer.
        Inbound = "inbound" => "Customer message",
        /// From an agent to the customer.
        Outbound = "outbound" => "Reply",
        /// Internal, visible to agents only; never sent to the customer.
        Note = "note" => "Internal note",
        /// Recorded by the system: assignment, label, session start and end…
        System = "system" => "System event",
    }
);

crate::conversation::string_enum!(
    DeliveryStatus {
        /// Queued for the channel's integration: not accepted by it yet (it may be retrying,
        /// or the integration is paused).
        Pending = "pending" => "Sending",
        /// Accepted by the integration (or, with no integration for the channel, stored).
        Sent = "sent" => "Sent",
        Delivered = "delivered" => "Delivered",
        Read = "read" => "Read",
        Failed = "failed" => "Failed",
    }
);

crate::conversation::string_enum!(
    AttachmentKind {
        Image = "image" => "Image",
        File = "file" => "File",
        Audio = "audio" => "Audio",
    }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attachment {
    pub kind: AttachmentKind,
    pub url: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_bytes: Option<u64>,
    /// Set for a file uploaded through `POST /uploads`: `url` is then `/uploads/{upload_id}` on
    /// the API's origin and needs the agent's token (clients fetch it with `Authorization`),
    /// rather than a public URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload_id: Option<String>,
}

crate::conversation::string_enum!(
    CallOutcome {
        Answered = "answered" => "Answered",
        Missed = "missed" => "Missed",
        Voicemail = "voicemail" => "Voicemail",
    }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CallEvent {
    pub outcome: CallOutcome,
    pub duration_seconds: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recording_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Message {
    pub id: Id,
    pub conversation_id: Id,
    pub session_id: Id,
    pub kind: MessageKind,
    /// The sending agent for outbound messages and notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_id: Option<Id>,
    /// Plain text exactly as sent; clients render it as text, never as HTML.
    pub body: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<CallEvent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<DeliveryStatus>,
    /// Why delivery failed, when `delivery` is `failed` (the receiver's answer or the channel's
    /// reason).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_error: Option<String>,
    /// The id the client generated when sending, echoed so optimistic sends reconcile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    pub created_at: Timestamp,
    /// When an internal note was last edited (notes are the only messages that change).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_at: Option<Timestamp>,
}

/// The last message as shown in a list row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessagePreview {
    pub kind: MessageKind,
    /// The first 140 characters of the body (or a description of the attachment or call).
    pub text: String,
    pub created_at: Timestamp,
}

crate::conversation::string_enum!(
    ComposeMode {
        Reply = "reply" => "Reply",
        Note = "note" => "Internal note",
    }
);

/// `POST /conversations/{id}/messages`. Sending the same `client_id` twice stores one message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SendMessage {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub client_id: String,
    pub mode: ComposeMode,
    /// May be empty when the message carries attachments.
    #[cfg_attr(feature = "openapi", schema(max_length = 200000))]
    pub body: String,
    /// Files uploaded for this conversation (`POST /uploads`), at most five.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<crate::AttachUpload>,
}

/// `POST /inbound`: a channel delivers a customer's message. Creates the contact,
/// conversation and session as needed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InboundMessage {
    pub channel: crate::Channel,
    /// The customer's identifier on that channel (phone number, handle, email…).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 300))]
    pub from: String,
    /// The business number or address the customer wrote to (the WhatsApp or SMS number, the
    /// support mailbox): kept on a new conversation as its `business_address`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub to: Option<String>,
    /// The customer's name if the channel knows it.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    #[serde(default)]
    pub call: Option<CallEvent>,
    /// Which team (queue) should receive a new conversation.
    #[serde(default)]
    pub team_id: Option<Id>,
    #[serde(default)]
    pub session_info: Option<crate::SessionInfo>,
    /// The channel's own message id; a repeated id is stored once.
    #[serde(default)]
    pub external_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InboundAccepted {
    pub conversation_id: Id,
    pub message_id: Id,
    pub session_id: Id,
    pub new_conversation: bool,
    pub new_session: bool,
}

/// Shortens a body to a one-line preview of at most `max` characters.
pub fn preview_text(body: &str, max: usize) -> String {
    let single_line: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if single_line.chars().count() <= max {
        single_line
    } else {
        let mut cut: String = single_line.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previews_fold_whitespace_and_cut_on_characters() {
        assert_eq!(preview_text("Hi\n\nthere  you", 140), "Hi there you");
        assert_eq!(preview_text("ééééé", 3), "éé…");
    }
}

/// `GET /conversations/{id}/messages/search?q=`: the messages of one conversation whose text
/// holds `q` (case-insensitive), for finding inside a long history.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageMatches {
    /// Oldest first; the newest `MessageMatches::MAX_IDS` when there are more.
    pub ids: Vec<Id>,
    /// Every match, also those beyond `ids`.
    pub total: u32,
}

impl MessageMatches {
    pub const MAX_IDS: usize = 1_000;
    /// The longest search text, in characters.
    pub const MAX_QUERY_CHARS: usize = 200;
}
