//! `POST /inbound`: a channel integration delivers a customer's message.

use crate::auth::AnyCaller;
use crate::conversations::{self, known_team, model};
use crate::db::RowExt;
use crate::error::{ApiJson, AppError, AppResult};
use crate::messages::{self, NewMessage};
use crate::state::AppState;
use crate::util;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use convoroom_api::*;
use sqlx::Row;

pub fn router() -> Router<AppState> {
    Router::new().route("/inbound", post(inbound))
}

#[utoipa::path(post, path = "/api/v1/inbound", operation_id = "receiveInboundMessage", tag = "inbound", security(("bearer" = [])), request_body = InboundMessage,
    responses(
        (status = 201, body = InboundAccepted),
        (status = 200, description = "A repeated external_id: the message stored the first time", body = InboundAccepted),
        (status = 403, description = "The token may not post inbound messages, or the contact is blocked (the message is dropped)", body = ErrorBody)))]
pub async fn inbound(
    State(state): State<AppState>,
    AnyCaller(caller): AnyCaller,
    ApiJson(body): ApiJson<InboundMessage>,
) -> AppResult<(StatusCode, axum::Json<InboundAccepted>)> {
    if caller.scope != Some(TokenScope::Inbound) && !caller.is_admin() {
        return Err(AppError::forbidden(
            "Posting inbound messages needs an inbound token or an admin",
        ));
    }
    let from = body.from.trim().to_string();
    if from.is_empty() || validate::too_long(&body.from, validate::INBOUND_FROM_MAX_CHARS) {
        return Err(AppError::field(
            "from",
            format!(
                "from is the customer's identifier on the channel (1–{} characters)",
                validate::INBOUND_FROM_MAX_CHARS
            ),
        ));
    }
    let to = business_address("to", body.to.as_ref())?;
    if body.body.trim().is_empty() && body.attachments.is_empty() && body.call.is_none() {
        return Err(AppError::field(
            "body",
            "An inbound message needs a body, an attachment or a call",
        ));
    }
    if validate::too_long(&body.body, validate::MESSAGE_MAX_CHARS) {
        return Err(AppError::field("body", "The message is too long"));
    }
    for (i, attachment) in body.attachments.iter().enumerate() {
        if !safe_url(&attachment.url) {
            return Err(AppError::field(
                &format!("attachments[{i}].url"),
                "Attachment URLs must be http(s), same-site paths or data:image URLs",
            ));
        }
    }
    if let Some(url) = body.call.as_ref().and_then(|c| c.recording_url.as_deref())
        && !safe_url(url)
    {
        return Err(AppError::field(
            "call.recording_url",
            "Recording URLs must be http(s) or same-site paths",
        ));
    }
    let external_id = body
        .external_id
        .as_ref()
        .filter(|e| !e.is_empty())
        .map(|e| format!("{}:{e}", body.channel.as_str()));
    let mut w = state.write().await?;
    if let Some(external_id) = &external_id {
        let existing = sqlx::query(
            "SELECT id, conversation_id, session_id FROM messages WHERE external_id = $1",
        )
        .bind(external_id)
        .fetch_optional(w.conn())
        .await?;
        if let Some(row) = existing {
            return Ok((
                StatusCode::OK,
                axum::Json(InboundAccepted {
                    conversation_id: row.get::<i64, _>("conversation_id").to_string(),
                    message_id: row.get::<i64, _>("id").to_string(),
                    session_id: row.get::<i64, _>("session_id").to_string(),
                    new_conversation: false,
                    new_session: false,
                }),
            ));
        }
    }
    // A customer's message is never refused for an admin's change: a new conversation for an
    // archived team goes to the default team instead.
    let team_id = match &body.team_id {
        Some(team) => match known_team(w.conn(), team, "team_id").await? {
            (id, false) => Some(id),
            (_, true) => None,
        },
        None => None,
    };
    let contact_id: Option<i64> = sqlx::query_scalar(
        "SELECT contact_id FROM contact_channels WHERE channel = $1 AND identifier = $2",
    )
    .bind(body.channel.as_str())
    .bind(&from)
    .fetch_optional(w.conn())
    .await?;
    let contact_id = match contact_id {
        Some(id) => id,
        None => {
            let id = crate::contacts::create_unknown(w.conn(), &from).await?;
            if let Some(name) = body
                .name
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
            {
                sqlx::query("UPDATE contacts SET name = $1 WHERE id = $2")
                    .bind(name)
                    .bind(id)
                    .execute(w.conn())
                    .await?;
            }
            sqlx::query(
                "INSERT INTO contact_channels (channel, identifier, contact_id) VALUES ($1, $2, $3)",
            )
            .bind(body.channel.as_str())
            .bind(&from)
            .bind(id)
            .execute(w.conn())
            .await?;
            crate::contacts::refresh_search(w.conn(), id).await?;
            id
        }
    };
    let blocked = sqlx::query("SELECT blocked FROM contacts WHERE id = $1")
        .bind(contact_id)
        .fetch_one(w.conn())
        .await?
        .flag("blocked");
    if blocked {
        // Nothing is stored for blocked contacts; the integration should not retry.
        w.commit().await?;
        return Err(AppError::forbidden(
            "The contact is blocked: the message was dropped",
        ));
    }
    let existing: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM conversations WHERE contact_id = $1 AND channel = $2 ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(contact_id)
    .bind(body.channel.as_str())
    .fetch_optional(w.conn())
    .await?;
    let new_conversation = existing.is_none();
    let conversation_id = match existing {
        Some(id) => id,
        None => {
            let team = match team_id {
                Some(team) => team,
                None => conversations::default_team(w.conn(), None).await?,
            };
            let now = util::now();
            let session_info =
                serde_json::to_string(&body.session_info.clone().unwrap_or_default())?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO conversations (contact_id, channel, team_id, status, priority, direction, session_info, business_address, created_at, last_activity_at)
                 VALUES ($1, $2, $3, 'open', 'none', 'incoming', $4, $5, $6, $7) RETURNING id",
            )
            .bind(contact_id)
            .bind(body.channel.as_str())
            .bind(team)
            .bind(session_info)
            .bind(&to)
            .bind(&now)
            .bind(&now)
            .fetch_one(w.conn())
            .await?;
            w.audit(
                Some(id),
                None,
                "created",
                serde_json::json!({"channel": body.channel, "via": "inbound"}),
            )
            .await?;
            id
        }
    };
    if let Some(to) = &to
        && !new_conversation
    {
        // A conversation from before integrations sent `to` learns its address now.
        sqlx::query(
            "UPDATE conversations SET business_address = $1 WHERE id = $2 AND business_address IS NULL",
        )
        .bind(to)
        .bind(conversation_id)
        .execute(w.conn())
        .await?;
    }
    let current = model::load_many(w.conn(), &[conversation_id], 0)
        .await?
        .pop();
    let before = current.as_ref().map(model::access_of);
    let (created, new_session) = messages::insert(
        &mut w,
        NewMessage {
            conversation_id,
            kind: MessageKind::Inbound,
            author_id: None,
            body: body.body.clone(),
            attachments: body.attachments.clone(),
            call: body.call.clone(),
            delivery: None,
            client_id: None,
            external_id,
        },
    )
    .await?;
    let message = created.last().cloned().ok_or_else(AppError::internal)?;
    messages::emit_created(&mut w, &created, &before.clone().unwrap_or_default()).await?;
    if new_session && !new_conversation {
        w.audit(
            Some(conversation_id),
            None,
            "session_started",
            serde_json::json!({"session_id": message.session_id}),
        )
        .await?;
    }
    if let Some(assignee) = current
        .as_ref()
        .and_then(|c| c.assignee_id.as_ref())
        .and_then(|id| id.parse().ok())
    {
        let notice = crate::notifications::Notice {
            agent_id: assignee,
            kind: NotificationKind::Message,
            conversation_id,
            actor_id: None,
            message_id: message.id.parse().ok(),
            preview: messages::preview(&message.body, &message.attachments, message.call.as_ref()),
        };
        crate::notifications::notify(&mut w, notice).await?;
    }
    if let Some(snoozed) = current.filter(|c| c.status == Status::Snoozed) {
        conversations::snooze::wake(&mut w, &snoozed, conversations::snooze::Wake::CustomerWrote)
            .await?;
    }
    conversations::changed(&mut w, conversation_id, 0, before).await?;
    w.commit().await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(InboundAccepted {
            conversation_id: conversation_id.to_string(),
            message_id: message.id.clone(),
            session_id: message.session_id.clone(),
            new_conversation,
            new_session,
        }),
    ))
}

/// A business number or address as sent (`to`, `business_address`): trimmed, blank as absent,
/// at most `BUSINESS_ADDRESS_MAX_CHARS`.
pub fn business_address(field: &str, text: Option<&String>) -> AppResult<Option<String>> {
    let Some(text) = text else { return Ok(None) };
    if validate::too_long(text, validate::BUSINESS_ADDRESS_MAX_CHARS) {
        return Err(AppError::field(
            field,
            format!(
                "{field} is the business number or address, at most {} characters",
                validate::BUSINESS_ADDRESS_MAX_CHARS
            ),
        ));
    }
    let text = text.trim();
    Ok((!text.is_empty()).then(|| text.to_string()))
}

/// Links an agent may click or the panel may load: never `javascript:` and the like.
fn safe_url(url: &str) -> bool {
    is_http_url(url)
        || (url.starts_with('/') && !url.starts_with("//"))
        || url.starts_with("data:image/")
}
