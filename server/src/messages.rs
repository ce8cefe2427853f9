//! Messages: the thread of a conversation, sending replies and notes, read markers.

use crate::auth::Caller;
use crate::conversations::{self, model};
use crate::db::{Conn, DbRow};
use crate::error::{ApiJson, ApiQuery, AppError, AppResult, path_id};
use crate::events::EventAccess;
use crate::state::{AppState, Writer};
use crate::util;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use convoroom_api::*;
use serde::Deserialize;
use sqlx::Row;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/conversations/{id}/messages", get(list).post(send))
        .route(
            "/conversations/{id}/messages/search",
            get(crate::message_search::search),
        )
        .route("/conversations/{id}/read", post(mark_read))
}

pub const MAX_BODY_CHARS: usize = convoroom_api::validate::MESSAGE_MAX_CHARS;

pub struct NewMessage {
    pub conversation_id: i64,
    pub kind: MessageKind,
    pub author_id: Option<i64>,
    pub body: String,
    pub attachments: Vec<Attachment>,
    pub call: Option<CallEvent>,
    pub delivery: Option<DeliveryStatus>,
    pub client_id: Option<String>,
    pub external_id: Option<String>,
}

impl NewMessage {
    /// An internal note (its author set by the caller).
    pub fn note(conversation_id: i64, body: impl Into<String>) -> NewMessage {
        NewMessage {
            kind: MessageKind::Note,
            ..NewMessage::system(conversation_id, body)
        }
    }

    pub fn system(conversation_id: i64, body: impl Into<String>) -> NewMessage {
        NewMessage {
            conversation_id,
            kind: MessageKind::System,
            author_id: None,
            body: body.into(),
            attachments: Vec::new(),
            call: None,
            delivery: None,
            client_id: None,
            external_id: None,
        }
    }
}

pub fn from_row(row: &DbRow) -> Message {
    let kind: String = row.get("kind");
    Message {
        id: row.get::<i64, _>("id").to_string(),
        conversation_id: row.get::<i64, _>("conversation_id").to_string(),
        session_id: row.get::<i64, _>("session_id").to_string(),
        kind: MessageKind::parse(&kind).unwrap_or(MessageKind::System),
        author_id: row
            .get::<Option<i64>, _>("author_id")
            .map(|a| a.to_string()),
        body: row.get("body"),
        attachments: row
            .get::<Option<String>, _>("attachments")
            .and_then(|a| serde_json::from_str(&a).ok())
            .unwrap_or_default(),
        call: row
            .get::<Option<String>, _>("call")
            .and_then(|c| serde_json::from_str(&c).ok()),
        delivery: row
            .get::<Option<String>, _>("delivery")
            .and_then(|d| DeliveryStatus::parse(&d)),
        delivery_error: row.try_get("delivery_error").ok().flatten(),
        client_id: row.get("client_id"),
        created_at: row.get("created_at"),
        edited_at: row.get("updated_at"),
    }
}

/// What a list row shows for a message.
pub fn preview(body: &str, attachments: &[Attachment], call: Option<&CallEvent>) -> String {
    if !body.trim().is_empty() {
        return preview_text(body, 140);
    }
    if let Some(call) = call {
        return format!(
            "{} call ({} s)",
            call.outcome.label(),
            call.duration_seconds
        );
    }
    match attachments.first() {
        Some(a) => format!("{}: {}", a.kind.label(), a.name),
        None => String::new(),
    }
}

/// Starts a new session (number n+1); later sessions open with a system message.
pub async fn open_session(
    w: &mut Writer,
    conversation_id: i64,
    at: &str,
) -> AppResult<(i64, Vec<Message>)> {
    let number: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(number), 0) + 1 FROM conversation_sessions WHERE conversation_id = $1",
    )
    .bind(conversation_id)
    .fetch_one(w.conn())
    .await?;
    let session_id: i64 = sqlx::query_scalar(
        "INSERT INTO conversation_sessions (conversation_id, number, started_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(conversation_id)
    .bind(number)
    .bind(at)
    .fetch_one(w.conn())
    .await?;
    let mut created = Vec::new();
    if number > 1 {
        let system = NewMessage::system(conversation_id, format!("Session {number} started"));
        created.push(insert_into_session(w.conn(), system, session_id, at).await?);
    }
    Ok((session_id, created))
}

/// Inserts a message, opening a new session (and reopening the conversation) when a
/// customer or agent message arrives after the last session was resolved.
/// Returns every message created (a "Session started" system message may precede it)
/// and whether a session was opened.
pub async fn insert(w: &mut Writer, message: NewMessage) -> AppResult<(Vec<Message>, bool)> {
    let at = util::now();
    let latest = sqlx::query(
        "SELECT id, ended_at FROM conversation_sessions WHERE conversation_id = $1 ORDER BY number DESC LIMIT 1",
    )
    .bind(message.conversation_id)
    .fetch_optional(w.conn())
    .await?;
    let needs_new = match &latest {
        None => true,
        Some(row) => {
            row.get::<Option<String>, _>("ended_at").is_some()
                && matches!(message.kind, MessageKind::Inbound | MessageKind::Outbound)
        }
    };
    let mut created = Vec::new();
    let session_id = if needs_new {
        let (session_id, system) = open_session(w, message.conversation_id, &at).await?;
        created.extend(system);
        sqlx::query("UPDATE conversations SET status = 'open', resolved_at = NULL WHERE id = $1 AND status = 'resolved'")
            .bind(message.conversation_id)
            .execute(w.conn())
            .await?;
        session_id
    } else {
        latest
            .map(|row| row.get::<i64, _>("id"))
            .unwrap_or_default()
    };
    let mut stored = insert_into_session(w.conn(), message, session_id, &at).await?;
    if stored.kind == MessageKind::Outbound {
        crate::delivery::queue::queue_reply(w, &mut stored).await?;
    }
    created.push(stored);
    Ok((created, needs_new))
}

pub async fn insert_into_session(
    conn: &mut Conn,
    m: NewMessage,
    session_id: i64,
    at: &str,
) -> AppResult<Message> {
    let attachments = (!m.attachments.is_empty())
        .then(|| serde_json::to_string(&m.attachments))
        .transpose()?;
    let call = m.call.as_ref().map(serde_json::to_string).transpose()?;
    let row = sqlx::query(
        "INSERT INTO messages (conversation_id, session_id, kind, author_id, body, attachments, call, delivery, client_id, external_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *",
    )
    .bind(m.conversation_id)
    .bind(session_id)
    .bind(m.kind.as_str())
    .bind(m.author_id)
    .bind(&m.body)
    .bind(attachments)
    .bind(call)
    .bind(m.delivery.map(|d| d.as_str()))
    .bind(&m.client_id)
    .bind(&m.external_id)
    .bind(at)
    .fetch_one(&mut *conn)
    .await?;
    let message = from_row(&row);
    if m.kind != MessageKind::System && !m.body.is_empty() {
        crate::search::index::index_latest(conn, m.conversation_id).await?;
    }
    sqlx::query("UPDATE conversation_sessions SET message_count = message_count + 1 WHERE id = $1")
        .bind(session_id)
        .execute(&mut *conn)
        .await?;
    if m.kind != MessageKind::System {
        let text = preview(&m.body, &m.attachments, m.call.as_ref());
        sqlx::query(
            "UPDATE conversations SET last_activity_at = $1, last_message_kind = $2, last_message_text = $3, last_message_at = $1,
                waiting_since = CASE WHEN $2 = 'inbound' THEN COALESCE(waiting_since, $1) WHEN $2 = 'outbound' THEN NULL ELSE waiting_since END,
                first_response_at = CASE WHEN $2 = 'outbound' THEN COALESCE(first_response_at, $1) ELSE first_response_at END
             WHERE id = $4",
        )
        .bind(at)
        .bind(m.kind.as_str())
        .bind(text)
        .bind(m.conversation_id)
        .execute(&mut *conn)
        .await?;
    }
    if let Some(url) = m.call.as_ref().and_then(|c| c.recording_url.as_deref()) {
        sqlx::query("UPDATE conversations SET last_recording_url = $1 WHERE id = $2")
            .bind(url)
            .bind(m.conversation_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(message)
}

/// Points the conversation's list row at its newest message again (after a note was edited
/// or deleted: the row may have shown it).
pub async fn refresh_last_message(conn: &mut Conn, conversation_id: i64) -> AppResult<()> {
    let latest = sqlx::query(
        "SELECT kind, body, attachments, call, created_at FROM messages
         WHERE conversation_id = $1 AND kind <> 'system' ORDER BY id DESC LIMIT 1",
    )
    .bind(conversation_id)
    .fetch_optional(&mut *conn)
    .await?;
    let (kind, text, at) = match &latest {
        Some(row) => {
            let attachments: Vec<Attachment> = row
                .get::<Option<String>, _>("attachments")
                .and_then(|a| serde_json::from_str(&a).ok())
                .unwrap_or_default();
            let call: Option<CallEvent> = row
                .get::<Option<String>, _>("call")
                .and_then(|c| serde_json::from_str(&c).ok());
            let body: String = row.get("body");
            (
                Some(row.get::<String, _>("kind")),
                Some(preview(&body, &attachments, call.as_ref())),
                Some(row.get::<String, _>("created_at")),
            )
        }
        None => (None, None, None),
    };
    sqlx::query(
        "UPDATE conversations SET last_message_kind = $1, last_message_text = $2, last_message_at = $3 WHERE id = $4",
    )
    .bind(kind)
    .bind(text)
    .bind(at)
    .bind(conversation_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Emits `message_created` for each message, with the conversation's access.
pub async fn emit_created(
    w: &mut Writer,
    messages: &[Message],
    access: &EventAccess,
) -> AppResult<()> {
    for message in messages {
        w.emit(
            EventPayload::MessageCreated(Box::new(message.clone())),
            access.clone(),
        )
        .await?;
    }
    Ok(())
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MessagesQuery {
    /// `next_cursor` of the previous page (older messages).
    before: Option<String>,
    /// Page size, default 50; more than 200 counts as 200.
    #[serde(default, deserialize_with = "crate::util::deserialize_limit")]
    #[param(schema_with = crate::util::limit_schema)]
    limit: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/conversations/{id}/messages", operation_id = "listMessages", tag = "messages", security(("bearer" = [])),
    params(("id" = String, Path), MessagesQuery),
    responses((status = 200, body = Page<Message>), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<MessagesQuery>,
) -> AppResult<axum::Json<Page<Message>>> {
    let id = path_id(&id, "Conversation")?;
    let mut conn = state.read().await?;
    model::ensure_visible(&mut conn, &caller, id).await?;
    let limit = query.limit.unwrap_or(50).clamp(1, crate::util::MAX_PAGE) as i64;
    let before = match query.before.as_deref() {
        Some(cursor) => util::parse_id(cursor).ok_or_else(|| {
            AppError::field("before", "before is not a cursor this server issued")
        })?,
        None => i64::MAX,
    };
    let rows = sqlx::query(
        "SELECT * FROM messages WHERE conversation_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
    )
    .bind(id)
    .bind(before)
    .bind(limit + 1)
    .fetch_all(&mut *conn)
    .await?;
    let mut items: Vec<Message> = rows.iter().map(from_row).collect();
    let next_cursor = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(|m| m.id.clone())
    } else {
        None
    };
    Ok(axum::Json(Page { items, next_cursor }))
}

#[utoipa::path(post, path = "/api/v1/conversations/{id}/messages", operation_id = "sendMessage", tag = "messages", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = SendMessage,
    responses((status = 201, body = Message), (status = 200, description = "Replay of a client_id already stored", body = Message),
        (status = 403, description = "The contact is blocked, or the conversation is marked as spam (replies only; notes are allowed)", body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn send(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<SendMessage>,
) -> AppResult<(StatusCode, axum::Json<Message>)> {
    let id = path_id(&id, "Conversation")?;
    let client_id = body.client_id.trim().to_string();
    if client_id.is_empty() || validate::too_long(&body.client_id, validate::CLIENT_ID_MAX_CHARS) {
        return Err(AppError::field(
            "client_id",
            "client_id must be 1–200 characters",
        ));
    }
    if body.body.trim().is_empty() && body.attachments.is_empty() {
        return Err(AppError::field("body", "The message is empty"));
    }
    if body.mode == ComposeMode::Note && !body.body.trim().is_empty() {
        crate::notes::check_body(&body.body)?;
    }
    if body.body.chars().count() > MAX_BODY_CHARS {
        return Err(AppError::field(
            "body",
            format!("The message is longer than {MAX_BODY_CHARS} characters"),
        ));
    }
    let mut w = state.write().await?;
    let conversation = model::load_visible(w.conn(), &caller, id).await?;
    let existing =
        sqlx::query("SELECT * FROM messages WHERE conversation_id = $1 AND client_id = $2")
            .bind(id)
            .bind(&client_id)
            .fetch_optional(w.conn())
            .await?;
    if let Some(row) = existing {
        return Ok((StatusCode::OK, axum::Json(from_row(&row))));
    }
    let kind = match body.mode {
        ComposeMode::Reply => MessageKind::Outbound,
        ComposeMode::Note => MessageKind::Note,
    };
    if kind == MessageKind::Outbound && conversation.access.blocked {
        return Err(AppError::forbidden(
            "This contact is blocked: unblock them before replying",
        ));
    }
    // Spam is this conversation's state (the contact may write elsewhere): its replies are off.
    if kind == MessageKind::Outbound && conversation.access.spam {
        return Err(AppError::forbidden(
            "This conversation is marked as spam: choose Not spam before replying",
        ));
    }
    let attachments = crate::uploads::attachments_for(w.conn(), id, &body.attachments).await?;
    let before = model::access_of(&conversation);
    let (created, _) = insert(
        &mut w,
        NewMessage {
            conversation_id: id,
            kind,
            author_id: Some(caller.id),
            body: body.body,
            attachments,
            call: None,
            delivery: (kind == MessageKind::Outbound).then_some(DeliveryStatus::Sent),
            client_id: Some(client_id),
            external_id: None,
        },
    )
    .await?;
    let message = created.last().cloned().ok_or_else(AppError::internal)?;
    let action = if kind == MessageKind::Note {
        "note_added"
    } else {
        "reply_sent"
    };
    w.audit(
        Some(id),
        Some(caller.id),
        action,
        serde_json::json!({"message_id": message.id}),
    )
    .await?;
    emit_created(&mut w, &created, &before).await?;
    if kind == MessageKind::Note {
        w.emit(
            EventPayload::NoteSaved(crate::notes::of_message(&message, 1)),
            before.clone(),
        )
        .await?;
        crate::notifications::notify_mentions(&mut w, &message).await?;
    }
    conversations::changed(&mut w, id, caller.id, Some(before)).await?;
    w.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(message)))
}

#[utoipa::path(post, path = "/api/v1/conversations/{id}/read", operation_id = "markConversationRead", tag = "messages", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn mark_read(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    let id = path_id(&id, "Conversation")?;
    let mut w = state.write().await?;
    model::ensure_visible(w.conn(), &caller, id).await?;
    sqlx::query(
        "INSERT INTO conversation_reads (conversation_id, agent_id, last_read_message_id)
         VALUES ($1, $2, (SELECT COALESCE(MAX(id), 0) FROM messages WHERE conversation_id = $1))
         ON CONFLICT (conversation_id, agent_id) DO UPDATE SET last_read_message_id = excluded.last_read_message_id",
    )
    .bind(id)
    .bind(caller.id)
    .execute(w.conn())
    .await?;
    crate::notifications::read_conversation(&mut w, caller.id, id).await?;
    w.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
