//! Messages the agent sent that the server has not confirmed yet. They are kept in
//! `localStorage` until confirmed, so a reload, a failed request or a server restart never
//! loses them; the server dedupes by `client_id`, so resending is always safe.

use convoroom_api::{ComposeMode, DeliveryStatus, Message};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    pub client_id: String,
    pub mode: ComposeMode,
    pub body: String,
    /// The last attempt failed with this reason; `None` while a send is in flight.
    pub failed: Option<String>,
    pub created_at_ms: i64,
    /// Send and resolve: resolve with this once the reply is delivered (never before, so a
    /// reply that fails to send leaves the conversation open).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolve_after: Option<convoroom_api::ResolveConversation>,
    /// Files sent with it; their bytes wait in IndexedDB until the server confirms.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<super::attachments::FileRef>,
}

pub fn storage_key(conversation_id: &str) -> String {
    format!("convoroom.outbox.{conversation_id}")
}

/// Drops pending entries the server has confirmed (the echo carries the same `client_id`).
pub fn reconcile(pending: &mut Vec<Pending>, confirmed: &[Message]) {
    pending.retain(|p| {
        !confirmed
            .iter()
            .any(|m| m.client_id.as_deref() == Some(p.client_id.as_str()))
    });
}

/// Adds or replaces a confirmed message in a log ordered oldest first, without duplicates.
/// A reply's delivery status only moves forward: the send's answer (Sending) can arrive after
/// the event saying the integration took it (Sent), and must not move the tick back.
pub fn insert_message(log: &mut Vec<Message>, mut message: Message) {
    if let Some(existing) = log.iter_mut().find(|m| m.id == message.id) {
        if !delivery_moves(existing.delivery, message.delivery) {
            message.delivery = existing.delivery;
            message.delivery_error = existing.delivery_error.take();
        }
        *existing = message;
        return;
    }
    let position = log
        .iter()
        .rposition(|m| {
            (m.created_at.as_str(), numeric(&m.id))
                <= (message.created_at.as_str(), numeric(&message.id))
        })
        .map_or(0, |i| i + 1);
    log.insert(position, message);
}

/// Whether a copy of a message saying `incoming` may replace the delivery status `held`: when it
/// moves forward, repeats it (a new failure reason), or is a retry (Failed back to Sending, the
/// one way back, by an agent's Retry here or elsewhere).
pub fn delivery_moves(held: Option<DeliveryStatus>, incoming: Option<DeliveryStatus>) -> bool {
    match (held, incoming) {
        (Some(held), Some(incoming)) => {
            held == incoming
                || held.advances_to(incoming)
                || (held == DeliveryStatus::Failed && incoming == DeliveryStatus::Pending)
        }
        _ => true,
    }
}

fn numeric(id: &str) -> i64 {
    id.parse().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use convoroom_api::MessageKind;

    fn message(id: &str, at: &str, client_id: Option<&str>) -> Message {
        Message {
            id: id.into(),
            conversation_id: "1".into(),
            session_id: "1".into(),
            kind: MessageKind::Outbound,
            author_id: None,
            body: "hi".into(),
            attachments: vec![],
            call: None,
            delivery: None,
            delivery_error: None,
            client_id: client_id.map(Into::into),
            created_at: at.into(),
            edited_at: None,
        }
    }

    #[test]
    fn confirmed_sends_leave_the_outbox() {
        let mut pending = vec![
            Pending {
                client_id: "a".into(),
                mode: ComposeMode::Reply,
                body: "1".into(),
                failed: None,
                created_at_ms: 0,
                resolve_after: None,
                attachments: vec![],
            },
            Pending {
                client_id: "b".into(),
                mode: ComposeMode::Note,
                body: "2".into(),
                failed: Some("x".into()),
                created_at_ms: 0,
                resolve_after: None,
                attachments: vec![],
            },
        ];
        reconcile(
            &mut pending,
            &[message("9", "2026-01-01T00:00:00Z", Some("a"))],
        );
        assert_eq!(pending.len(), 1);
        assert_eq!(pending[0].client_id, "b");
    }

    #[test]
    fn messages_insert_in_time_order_once() {
        let mut log = vec![
            message("1", "2026-01-01T00:00:00Z", None),
            message("3", "2026-01-01T00:02:00Z", None),
        ];
        insert_message(&mut log, message("2", "2026-01-01T00:01:00Z", None));
        insert_message(&mut log, message("2", "2026-01-01T00:01:00Z", None));
        insert_message(&mut log, message("4", "2026-01-01T00:03:00Z", None));
        let ids: Vec<_> = log.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["1", "2", "3", "4"]);
    }

    fn with_delivery(status: DeliveryStatus, error: Option<&str>) -> Message {
        Message {
            delivery: Some(status),
            delivery_error: error.map(Into::into),
            ..message("7", "2026-01-01T00:00:00Z", None)
        }
    }

    #[test]
    fn delivery_ticks_only_move_forward_or_back_to_sending_on_a_retry() {
        use DeliveryStatus::*;
        let mut log = vec![with_delivery(Sent, None)];
        // The send's answer arrives after the integration's Sent: it stays Sent.
        insert_message(&mut log, with_delivery(Pending, None));
        assert_eq!(log[0].delivery, Some(Sent));
        insert_message(&mut log, with_delivery(Read, None));
        insert_message(&mut log, with_delivery(Delivered, None));
        assert_eq!(log[0].delivery, Some(Read));

        let mut log = vec![with_delivery(Pending, None)];
        insert_message(&mut log, with_delivery(Failed, Some("HTTP 500")));
        assert_eq!(log[0].delivery_error.as_deref(), Some("HTTP 500"));
        insert_message(&mut log, with_delivery(Failed, Some("timed out")));
        assert_eq!(log[0].delivery_error.as_deref(), Some("timed out"));
        // Retry: back to Sending, the reason gone.
        insert_message(&mut log, with_delivery(Pending, None));
        assert_eq!(
            (log[0].delivery, log[0].delivery_error.as_deref()),
            (Some(Pending), None)
        );
    }
}
