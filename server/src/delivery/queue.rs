//! The delivery queue: a reply is queued in the transaction that stores it, and every change
//! of its delivery status goes through [`set_status`], which tells everyone who sees the
//! conversation.

use crate::conversations::{self, model};
use crate::error::{AppError, AppResult};
use crate::messages;
use crate::state::Writer;
use crate::util;
use convoroom_api::*;
use sqlx::Row;

/// The integration delivering a conversation's channel, if any.
pub async fn integration_for(w: &mut Writer, conversation_id: i64) -> AppResult<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT ic.integration_id FROM conversations c
         JOIN integration_channels ic ON ic.channel = c.channel WHERE c.id = $1",
    )
    .bind(conversation_id)
    .fetch_optional(w.conn())
    .await?)
}

/// Queues a reply just stored when an integration delivers its channel: it is then Pending
/// until the integration accepts it. Without one it stays Sent, as before integrations.
pub async fn queue_reply(w: &mut Writer, message: &mut Message) -> AppResult<()> {
    let conversation_id: i64 = message.conversation_id.parse().unwrap_or_default();
    let Some(integration) = integration_for(w, conversation_id).await? else {
        return Ok(());
    };
    let id: i64 = message.id.parse().unwrap_or_default();
    sqlx::query("UPDATE messages SET delivery = 'pending' WHERE id = $1")
        .bind(id)
        .execute(w.conn())
        .await?;
    enqueue(w, id, integration).await?;
    message.delivery = Some(DeliveryStatus::Pending);
    Ok(())
}

/// Puts a reply in the queue, due now, with the retry window starting now. A reply queued
/// before (a retry) keeps its idempotency key: a receiver never sees it under two keys.
async fn enqueue(w: &mut Writer, message_id: i64, integration: i64) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO deliveries (message_id, integration_id, idempotency_key, state, queued_at_ms, next_attempt_ms)
         VALUES ($1, $2, $3, 'queued', $4, $4)
         ON CONFLICT (message_id) DO UPDATE SET integration_id = excluded.integration_id,
            state = 'queued', queued_at_ms = excluded.queued_at_ms,
            next_attempt_ms = excluded.next_attempt_ms, claimed_until_ms = 0",
    )
    .bind(message_id)
    .bind(integration)
    .bind(format!("dlv_{}", util::random_token()))
    .bind(util::now_ms())
    .execute(w.conn())
    .await?;
    w.wake_deliveries();
    Ok(())
}

/// How a status change is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Only when it moves the status forward ([`DeliveryStatus::advances_to`]): receipts and
    /// the queue's own results.
    Forward,
    /// Whatever the status is: a retry puts a Failed reply back to Pending.
    Always,
}

/// Sets a reply's delivery status (and the reason, for Failed); emits `message_updated` and,
/// when the conversation's count of failed deliveries changed, `conversation_updated`.
/// Returns the message as it is now, and whether it changed.
pub async fn set_status(
    w: &mut Writer,
    message_id: i64,
    status: DeliveryStatus,
    error: Option<String>,
    change: Change,
) -> AppResult<(Message, bool)> {
    let row = sqlx::query("SELECT * FROM messages WHERE id = $1 AND kind = 'outbound'")
        .bind(message_id)
        .fetch_optional(w.conn())
        .await?
        .ok_or_else(|| AppError::not_found("Message"))?;
    let mut message = messages::from_row(&row);
    let current = message.delivery.unwrap_or(DeliveryStatus::Sent);
    let moves = match change {
        Change::Forward => current.advances_to(status),
        Change::Always => current != status,
    };
    if !moves {
        return Ok((message, false));
    }
    let error = error.filter(|_| status == DeliveryStatus::Failed);
    sqlx::query("UPDATE messages SET delivery = $1, delivery_error = $2 WHERE id = $3")
        .bind(status.as_str())
        .bind(&error)
        .bind(message_id)
        .execute(w.conn())
        .await?;
    message.delivery = Some(status);
    message.delivery_error = error;
    let conversation_id: i64 = row.get("conversation_id");
    let access = model::load_many(w.conn(), &[conversation_id], 0)
        .await?
        .pop()
        .map(|c| model::access_of(&c))
        .unwrap_or_default();
    w.emit(
        EventPayload::MessageUpdated(Box::new(message.clone())),
        access.clone(),
    )
    .await?;
    if (current == DeliveryStatus::Failed) != (status == DeliveryStatus::Failed) {
        conversations::changed(w, conversation_id, 0, Some(access)).await?;
    }
    Ok((message, true))
}

/// A Failed reply (or one stored before its channel had an integration) queued again with
/// the idempotency key it had, through the integration delivering its channel now.
pub async fn requeue(w: &mut Writer, message: &Message, channel: Channel) -> AppResult<Message> {
    let id: i64 = message.id.parse().unwrap_or_default();
    let conversation_id: i64 = message.conversation_id.parse().unwrap_or_default();
    let Some(integration) = integration_for(w, conversation_id).await? else {
        return Err(AppError::bad_request(format!(
            "No integration delivers {} messages: an admin adds one in Settings → Integrations",
            channel.label()
        )));
    };
    enqueue(w, id, integration).await?;
    let (message, _) = set_status(w, id, DeliveryStatus::Pending, None, Change::Always).await?;
    Ok(message)
}
