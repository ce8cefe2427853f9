//! What happened to a reply: receipts from the integration (`POST /deliveries`) and an
//! agent's retry of a Failed reply (`POST /messages/{id}/retry-delivery`).

use super::queue::{self, Change};
use crate::auth::{AnyCaller, Caller};
use crate::conversations::model;
use crate::error::{ApiJson, AppError, AppResult, path_id};
use crate::messages;
use crate::state::{AppState, Writer};
use crate::util;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::post;
use convoroom_api::*;
use sqlx::Row;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/deliveries", post(receipt))
        .route("/messages/{id}/retry-delivery", post(retry))
}

const EXTERNAL_ID_MAX_CHARS: usize = 200;
const ERROR_MAX_CHARS: usize = 500;

/// Records the channel's own id of a reply (stored as `channel:id`, as inbound messages'
/// ids are), unless another message has it already.
pub async fn remember_external_id(
    w: &mut Writer,
    message_id: i64,
    channel: Channel,
    external_id: &str,
) -> AppResult<()> {
    let external_id = external_id.trim();
    if external_id.is_empty() || external_id.chars().count() > EXTERNAL_ID_MAX_CHARS {
        return Ok(());
    }
    let stored = format!("{}:{external_id}", channel.as_str());
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM messages WHERE external_id = $1")
        .bind(&stored)
        .fetch_optional(w.conn())
        .await?;
    if taken.is_none() {
        sqlx::query("UPDATE messages SET external_id = $1 WHERE id = $2")
            .bind(&stored)
            .bind(message_id)
            .execute(w.conn())
            .await?;
    }
    Ok(())
}

#[utoipa::path(post, path = "/api/v1/deliveries", operation_id = "receiveDeliveryReceipt", tag = "integrations", security(("bearer" = [])), request_body = DeliveryReceipt,
    responses(
        (status = 200, description = "The reply's status now: a receipt never moves it backwards", body = ReceiptAccepted),
        (status = 400, body = ErrorBody),
        (status = 403, description = "Not the inbound token of an integration", body = ErrorBody),
        (status = 404, description = "No reply of this integration's channels has this id", body = ErrorBody)))]
pub async fn receipt(
    State(state): State<AppState>,
    AnyCaller(caller): AnyCaller,
    ApiJson(body): ApiJson<DeliveryReceipt>,
) -> AppResult<axum::Json<ReceiptAccepted>> {
    if body.status == DeliveryStatus::Pending {
        return Err(AppError::field(
            "status",
            "A receipt says sent, delivered, read or failed",
        ));
    }
    let external_id = body
        .external_id
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty());
    if external_id.is_some_and(|e| e.chars().count() > EXTERNAL_ID_MAX_CHARS) {
        return Err(AppError::field(
            "external_id",
            format!("external_id is at most {EXTERNAL_ID_MAX_CHARS} characters"),
        ));
    }
    if body
        .error
        .as_deref()
        .is_some_and(|e| e.chars().count() > ERROR_MAX_CHARS)
    {
        return Err(AppError::field(
            "error",
            format!("error is at most {ERROR_MAX_CHARS} characters"),
        ));
    }
    if let Some(at) = &body.at
        && util::parse_ts(at).is_none()
    {
        return Err(AppError::field(
            "at",
            "at is an RFC 3339 time, e.g. 2026-12-07T09:30:00Z",
        ));
    }
    let message_id = match &body.message_id {
        Some(id) => Some(path_id(id, "Message")?),
        None if external_id.is_some() => None,
        None => {
            return Err(AppError::field(
                "message_id",
                "Name the reply by message_id or external_id",
            ));
        }
    };
    let mut w = state.write().await?;
    let integration: i64 = sqlx::query_scalar(
        "SELECT i.id FROM integrations i JOIN auth_tokens t ON t.id = i.token_id WHERE t.token_hash = $1",
    )
    .bind(&caller.token_hash)
    .fetch_optional(w.conn())
    .await?
    .ok_or_else(|| {
        AppError::forbidden("Receipts come from an integration: send its inbound token")
    })?;
    // Only replies on this integration's channels: another integration's are not its to report.
    let found = match message_id {
        Some(id) => sqlx::query(
            "SELECT m.id, c.channel FROM messages m JOIN conversations c ON c.id = m.conversation_id
             JOIN integration_channels ic ON ic.channel = c.channel AND ic.integration_id = $1
             WHERE m.id = $2 AND m.kind = 'outbound'",
        )
        .bind(integration)
        .bind(id)
        .fetch_optional(w.conn())
        .await?,
        None => sqlx::query(
            "SELECT m.id, c.channel FROM messages m JOIN conversations c ON c.id = m.conversation_id
             JOIN integration_channels ic ON ic.channel = c.channel AND ic.integration_id = $1
             WHERE m.external_id = ic.channel || ':' || $2 AND m.kind = 'outbound'",
        )
        .bind(integration)
        .bind(external_id.unwrap_or_default())
        .fetch_optional(w.conn())
        .await?,
    }
    .ok_or_else(|| AppError::not_found("Message"))?;
    let id: i64 = found.get("id");
    let channel = Channel::parse(&found.get::<String, _>("channel")).unwrap_or(Channel::LiveChat);
    if let (Some(external_id), Some(_)) = (external_id, message_id) {
        remember_external_id(&mut w, id, channel, external_id).await?;
    }
    let error = body
        .error
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(|e| format!("The channel reported: {e}"))
        .or_else(|| Some("The channel reported it could not deliver it".to_string()));
    let (message, changed) =
        queue::set_status(&mut w, id, body.status, error, Change::Forward).await?;
    if changed {
        // The queue follows: a reply the customer has is done; one the channel gave up on
        // can be retried from the app.
        let delivery_state = if body.status == DeliveryStatus::Failed {
            "failed"
        } else {
            "done"
        };
        sqlx::query("UPDATE deliveries SET state = $1 WHERE message_id = $2 AND state <> $1")
            .bind(delivery_state)
            .bind(id)
            .execute(w.conn())
            .await?;
    }
    w.commit().await?;
    Ok(axum::Json(ReceiptAccepted {
        message_id: id.to_string(),
        delivery: message.delivery.unwrap_or(DeliveryStatus::Sent),
    }))
}

#[utoipa::path(post, path = "/api/v1/messages/{id}/retry-delivery", operation_id = "retryMessageDelivery", tag = "messages", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "Queued again with its idempotency key: Pending", body = Message),
        (status = 400, description = "Not a failed reply, or no integration delivers its channel", body = ErrorBody),
        (status = 403, description = "The contact is blocked or the conversation is spam", body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn retry(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<axum::Json<Message>> {
    let id = path_id(&id, "Message")?;
    let mut w = state.write().await?;
    let row = sqlx::query("SELECT * FROM messages WHERE id = $1")
        .bind(id)
        .fetch_optional(w.conn())
        .await?
        .ok_or_else(|| AppError::not_found("Message"))?;
    let message = messages::from_row(&row);
    let conversation_id: i64 = row.get("conversation_id");
    let conversation = model::load_visible(w.conn(), &caller, conversation_id)
        .await
        .map_err(|_| AppError::not_found("Message"))?;
    if message.kind != MessageKind::Outbound || message.delivery != Some(DeliveryStatus::Failed) {
        return Err(AppError::bad_request(
            "Only a reply whose delivery failed can be retried",
        ));
    }
    if conversation.access.blocked {
        return Err(AppError::forbidden(
            "This contact is blocked: unblock them before retrying",
        ));
    }
    if conversation.access.spam {
        return Err(AppError::forbidden(
            "This conversation is marked as spam: choose Not spam before retrying",
        ));
    }
    let message = queue::requeue(&mut w, &message, conversation.channel).await?;
    w.audit(
        Some(conversation_id),
        Some(caller.id),
        "delivery_retried",
        serde_json::json!({"message_id": message.id}),
    )
    .await?;
    w.commit().await?;
    Ok(axum::Json(message))
}
