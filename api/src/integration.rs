//! Channel integrations: how replies leave for the customer and how the channel reports back.
//!
//! An integration serves one or more channels. Every reply of a conversation on one of its
//! channels is queued with the message and POSTed, signed, to its webhook ([`OutboundDelivery`]);
//! the integration answers with receipts ([`DeliveryReceipt`]) and posts the customer's
//! messages to `/inbound`, both with its inbound token. The wire format and the signature are
//! described in `docs/api.md` ("Delivering replies").

use crate::{Attachment, Channel, DeliveryStatus, Id, Timestamp};
use serde::{Deserialize, Serialize};

/// A named connection to a channel bridge (WhatsApp, Telegram, SMS…). Secrets are never read
/// back: `inbound_token` and `signing_secret` appear only in the response that creates them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Integration {
    pub id: Id,
    pub name: String,
    /// The channels whose replies it delivers; a channel belongs to at most one integration.
    pub channels: Vec<Channel>,
    pub webhook_url: String,
    /// A paused integration keeps queueing replies and delivers them, in order, when resumed.
    pub paused: bool,
    pub created_at: Timestamp,
    pub health: IntegrationHealth,
    pub version: i64,
    /// Present once, when the integration is created: the token it posts `/inbound` and
    /// `/deliveries` with (stored hashed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inbound_token: Option<String>,
    /// Present once, when the integration is created or its secret rotated: the key of the
    /// HMAC-SHA256 signature on every webhook request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing_secret: Option<String>,
}

/// How deliveries through an integration are going.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IntegrationHealth {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_delivered_at: Option<Timestamp>,
    /// Attempts that did not reach the receiver, or that it refused, in the last hour.
    pub failures_last_hour: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_failure: Option<DeliveryAttempt>,
    /// Replies waiting to be delivered (due now, retrying later, or held while paused).
    pub queued: u32,
}

crate::conversation::string_enum!(
    AttemptOutcome {
        /// The receiver answered 2xx.
        Delivered = "delivered" => "Delivered",
        /// It did not; another attempt is scheduled.
        Retrying = "retrying" => "Will retry",
        /// It did not, and no attempt follows: the message is Failed.
        Failed = "failed" => "Failed",
    }
);

crate::conversation::string_enum!(
    WebhookEventType {
        /// A reply to deliver to the customer.
        MessageCreated = "message.created" => "Reply",
        /// Sent by "Send test event": nothing to deliver.
        Test = "test" => "Test event",
    }
);

/// One POST to an integration's webhook, as the delivery log lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliveryAttempt {
    pub id: Id,
    pub event: WebhookEventType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation_id: Option<Id>,
    pub at: Timestamp,
    /// 1 for the first attempt of a message.
    pub attempt: u32,
    pub outcome: AttemptOutcome,
    /// The receiver's HTTP status; absent when it could not be reached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// Why it did not succeed ("connection refused", "timed out after 10 s", "HTTP 500").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The start of the receiver's answer (at most 300 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_excerpt: Option<String>,
    pub duration_ms: u32,
}

/// `POST /integrations`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateIntegration {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
    pub channels: Vec<Channel>,
    /// `http://` or `https://`.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
    pub webhook_url: String,
}

/// `PATCH /integrations/{id}`: absent fields are left alone.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateIntegration {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channels: Option<Vec<Channel>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paused: Option<bool>,
}

/// What an integration's webhook receives (`Convoroom-Event` names `type`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboundDelivery {
    #[serde(rename = "type")]
    pub event: WebhookEventType,
    /// The same for every attempt of one message (also in the `Idempotency-Key` header):
    /// a receiver that has seen it already answers 2xx and sends nothing.
    pub idempotency_key: String,
    /// When the message was queued.
    pub created_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<OutboundMessage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation: Option<OutboundConversation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<OutboundContact>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboundMessage {
    pub id: Id,
    /// Plain text.
    pub body: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    /// The agent who wrote it, for channels that show a sender name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_name: Option<String>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboundConversation {
    pub id: Id,
    pub channel: Channel,
    /// The business number or address the customer wrote to (send from it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_address: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboundContact {
    pub id: Id,
    pub name: String,
    /// The customer's identifier on the conversation's channel (phone number, chat id,
    /// address): where to send. Absent when the contact has none on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
}

/// What a webhook may answer with a 2xx: the channel's own id of the message, so later
/// receipts and replies can refer to it. Any other body (or none) is fine too.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookAnswer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
}

/// `POST /deliveries`: what happened to a delivered reply, from the integration (its inbound
/// token). Names the message by `message_id`, or by the channel's `external_id` once known;
/// with both, `external_id` is recorded as the channel's id of the message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliveryReceipt {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub external_id: Option<String>,
    pub status: DeliveryStatus,
    /// Why, for `failed` (shown to agents).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub error: Option<String>,
    /// When it happened on the channel (default: now).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Timestamp>,
}

/// The answer to a receipt: the message's status now (a receipt that arrives late does not
/// move it backwards, so this may differ from the one sent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReceiptAccepted {
    pub message_id: Id,
    pub delivery: DeliveryStatus,
}

impl DeliveryStatus {
    /// Whether a receipt saying `next` moves a message that is `self` now. Statuses only go
    /// forward (pending → sent → delivered → read), so receipts arriving out of order change
    /// nothing; a failure counts only before the customer has the message, and a later
    /// delivered or read (a retry that got through) wins over it.
    pub fn advances_to(self, next: DeliveryStatus) -> bool {
        fn rank(status: DeliveryStatus) -> u8 {
            match status {
                DeliveryStatus::Pending | DeliveryStatus::Failed => 0,
                DeliveryStatus::Sent => 1,
                DeliveryStatus::Delivered => 2,
                DeliveryStatus::Read => 3,
            }
        }
        match next {
            DeliveryStatus::Failed => {
                matches!(self, DeliveryStatus::Pending | DeliveryStatus::Sent)
            }
            DeliveryStatus::Pending => false,
            _ => {
                rank(next) > rank(self)
                    || (self == DeliveryStatus::Failed && next == DeliveryStatus::Sent)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DeliveryStatus::*;

    #[test]
    fn receipts_only_move_a_status_forward() {
        assert!(Pending.advances_to(Sent));
        assert!(Sent.advances_to(Delivered));
        assert!(Sent.advances_to(Read));
        assert!(Delivered.advances_to(Read));
        assert!(!Read.advances_to(Delivered));
        assert!(!Read.advances_to(Sent));
        assert!(!Delivered.advances_to(Sent));
        assert!(!Sent.advances_to(Sent));
        assert!(!Sent.advances_to(Pending));
    }

    #[test]
    fn a_failure_counts_until_the_customer_has_the_message() {
        assert!(Pending.advances_to(Failed));
        assert!(Sent.advances_to(Failed));
        assert!(!Delivered.advances_to(Failed));
        assert!(!Read.advances_to(Failed));
        assert!(!Failed.advances_to(Failed));
        assert!(Failed.advances_to(Delivered));
        assert!(Failed.advances_to(Read));
        assert!(Failed.advances_to(Sent));
    }
}
