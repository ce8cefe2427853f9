//! Conversations: reading, creating and changing them.

pub mod bulk;
pub mod counts;
pub mod history;
pub mod labels;
pub mod list;
pub mod merge;
pub mod model;
pub mod ownership;
pub mod patch;
pub mod snooze;
mod sql;
pub mod status;
pub mod tickets;

use crate::auth::Caller;
use crate::db::{Conn, RowExt};
use crate::error::{ApiJson, AppError, AppResult, body_id, path_id};
use crate::events::EventAccess;
use crate::messages::{self, NewMessage};
use crate::state::{AppState, Writer};
use crate::util;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::post;
use convoroom_api::*;
use sqlx::Row;

/// Every conversation endpoint: creating and reading one here, the rest in the submodules.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/conversations", post(create))
        .route("/conversations/{id}", axum::routing::get(get))
        .merge(list::router())
        .merge(patch::router())
        .merge(bulk::router())
        .merge(status::router())
        .merge(snooze::router())
        .merge(labels::router())
        .merge(ownership::router())
        .merge(history::router())
        .merge(merge::router())
        .merge(tickets::router())
}

/// After a change: bumps the version and emits `conversation_updated` to everyone who
/// could see it before or after.
pub async fn changed(
    w: &mut Writer,
    id: i64,
    actor: i64,
    before: Option<EventAccess>,
) -> AppResult<Conversation> {
    sqlx::query("UPDATE conversations SET version = version + 1 WHERE id = $1")
        .bind(id)
        .execute(w.conn())
        .await?;
    let conversation = model::load_many(w.conn(), &[id], actor)
        .await?
        .pop()
        .ok_or_else(|| AppError::not_found("Conversation"))?;
    let mut access = model::access_of(&conversation);
    if let Some(before) = before {
        access = access.merge(&before);
    }
    w.emit(
        EventPayload::ConversationUpdated(Box::new(conversation.clone())),
        access,
    )
    .await?;
    Ok(conversation)
}

/// A text field's length against its limit (api::validate), in characters as sent.
pub fn check_len(field: &str, value: Option<&String>, max: usize) -> AppResult<()> {
    match value {
        Some(text) if validate::too_long(text, max) => Err(AppError::field(
            field,
            format!("{field} is longer than {max} characters"),
        )),
        _ => Ok(()),
    }
}

/// Opens a write on a visible conversation, checking `If-Match` when given.
pub async fn begin(
    state: &AppState,
    caller: &Caller,
    id: &str,
    if_match: Option<i64>,
) -> AppResult<(Writer, Conversation)> {
    let id = path_id(id, "Conversation")?;
    let mut w = state.write().await?;
    let current = model::load_visible(w.conn(), caller, id).await?;
    if let Some(version) = if_match
        && version != current.version
    {
        return Err(AppError::conflict(&current));
    }
    Ok((w, current))
}

pub async fn agent_name(conn: &mut Conn, id: i64) -> AppResult<String> {
    Ok(sqlx::query_scalar("SELECT name FROM agents WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .unwrap_or_else(|| "an agent".into()))
}

/// A team conversations may be given to: known and not archived.
pub async fn ensure_team(conn: &mut Conn, text: &str, field: &str) -> AppResult<i64> {
    let (id, archived) = known_team(conn, text, field).await?;
    if archived {
        return Err(AppError::field(
            field,
            "This team is archived: it takes no new conversations",
        ));
    }
    Ok(id)
}

/// A known team and whether it is archived.
pub async fn known_team(conn: &mut Conn, text: &str, field: &str) -> AppResult<(i64, bool)> {
    let id = body_id(text, field)?;
    let team = sqlx::query("SELECT archived FROM teams WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| AppError::field(field, format!("{field} is not a known team")))?;
    Ok((id, team.flag("archived")))
}

pub async fn ensure_agent(conn: &mut Conn, text: &str, field: &str) -> AppResult<i64> {
    let id = body_id(text, field)?;
    let exists = sqlx::query("SELECT 1 FROM agents WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    exists
        .map(|_| id)
        .ok_or_else(|| AppError::field(field, format!("{field} is not a known agent")))
}

/// Like [`ensure_agent`], for giving someone a conversation: a deactivated agent cannot sign
/// in, so nothing new is handed to them (their conversations are reassigned away from them).
pub async fn ensure_assignable(conn: &mut Conn, text: &str, field: &str) -> AppResult<i64> {
    let id = ensure_agent(conn, text, field).await?;
    let row = sqlx::query("SELECT name, active FROM agents WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    if row.flag("active") {
        Ok(id)
    } else {
        Err(AppError::field(
            field,
            format!("{} is deactivated", row.get::<String, _>("name")),
        ))
    }
}

/// The team a caller's new conversation goes to when none is given.
pub async fn default_team(conn: &mut Conn, caller: Option<&Caller>) -> AppResult<i64> {
    // The caller's first active team, else Support, else the first active team.
    let mine = caller
        .map(|c| crate::util::comma_ids(&c.team_ids))
        .unwrap_or_default();
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM teams WHERE archived = FALSE
         ORDER BY ($1 LIKE '%,' || CAST(id AS TEXT) || ',%') DESC, (name = 'Support') DESC, id LIMIT 1",
    )
    .bind(mine)
    .fetch_optional(&mut *conn)
    .await?;
    id.ok_or_else(AppError::internal)
}

#[utoipa::path(get, path = "/api/v1/conversations/{id}", operation_id = "getConversation", tag = "conversations", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = Conversation), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<axum::Json<Conversation>> {
    let id = path_id(&id, "Conversation")?;
    let mut conn = state.read().await?;
    match model::load_visible(&mut conn, &caller, id).await {
        Err(gone) if gone.0.code == ErrorCode::NotFound => {
            Err(merge::where_it_went(&mut conn, &caller, id)
                .await?
                .unwrap_or(gone))
        }
        found => Ok(axum::Json(found?)),
    }
}

/// An outgoing conversation needs an address on its channel: a phone number for WhatsApp, SMS
/// and calls, an email address for email, and for the other channels an identifier the customer
/// wrote from before (those channels cannot reach someone first).
async fn reachable_on(
    conn: &mut Conn,
    contact_id: i64,
    contact: &sqlx::any::AnyRow,
    channel: Channel,
) -> AppResult<()> {
    let has = |column: &str| {
        contact
            .get::<Option<String>, _>(column)
            .is_some_and(|v| !v.trim().is_empty())
    };
    let reachable = match channel {
        Channel::Whatsapp | Channel::Sms | Channel::Voice => has("phone"),
        Channel::Email => has("email"),
        _ => sqlx::query_scalar::<_, String>(
            "SELECT identifier FROM contact_channels WHERE contact_id = $1 AND channel = $2 LIMIT 1",
        )
        .bind(contact_id)
        .bind(channel.as_str())
        .fetch_optional(&mut *conn)
        .await?
        .is_some(),
    };
    if reachable {
        return Ok(());
    }
    Err(AppError::field(
        "channel",
        match channel {
            Channel::Whatsapp | Channel::Sms | Channel::Voice => format!(
                "This contact has no phone number for {}: add one to the contact first.",
                channel.label()
            ),
            Channel::Email => {
                "This contact has no email address: add one to the contact first.".to_string()
            }
            _ => format!(
                "{} conversations start when the customer writes first: this contact never has.",
                channel.label()
            ),
        },
    ))
}

/// The business number or address an outgoing conversation writes from when none is given:
/// the one this contact's last conversation on the channel used, else the channel's latest
/// (so the customer sees the number they know). Live chat has none.
async fn last_business_address(
    conn: &mut Conn,
    contact_id: i64,
    channel: Channel,
) -> AppResult<Option<String>> {
    if channel == Channel::LiveChat {
        return Ok(None);
    }
    let contacts_own: Option<String> = sqlx::query_scalar(
        "SELECT business_address FROM conversations
         WHERE contact_id = $1 AND channel = $2 AND business_address IS NOT NULL
         ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(contact_id)
    .bind(channel.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    if contacts_own.is_some() {
        return Ok(contacts_own);
    }
    Ok(sqlx::query_scalar(
        "SELECT business_address FROM conversations
         WHERE channel = $1 AND business_address IS NOT NULL
         ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(channel.as_str())
    .fetch_optional(&mut *conn)
    .await?)
}

#[utoipa::path(post, path = "/api/v1/conversations", operation_id = "createConversation", tag = "conversations", security(("bearer" = [])),
    request_body = CreateConversation, responses((status = 201, body = Conversation),
        (status = 200, body = Conversation, description = "The conversation created earlier with the same `client_id`"),
        (status = 400, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<CreateConversation>,
) -> AppResult<(StatusCode, axum::Json<Conversation>)> {
    let mut w = state.write().await?;
    let contact_id = body_id(&body.contact_id, "contact_id")?;
    let contact =
        sqlx::query("SELECT identifier, phone, email, blocked FROM contacts WHERE id = $1")
            .bind(contact_id)
            .fetch_optional(w.conn())
            .await?
            .ok_or_else(|| AppError::field("contact_id", "contact_id is not a known contact"))?;
    reachable_on(w.conn(), contact_id, &contact, body.channel).await?;
    // Replaying the same client_id returns the conversation it created (200), not a second one.
    if let Some(client_id) = body.client_id.as_deref().filter(|c| !c.is_empty()) {
        let existing: Option<i64> = sqlx::query_scalar(
            "SELECT m.conversation_id FROM messages m JOIN conversations c ON c.id = m.conversation_id
             WHERE m.client_id = $1 AND m.author_id = $2 AND c.contact_id = $3 LIMIT 1",
        )
        .bind(client_id)
        .bind(caller.id)
        .bind(contact_id)
        .fetch_optional(w.conn())
        .await?;
        if let Some(id) = existing {
            let conversation = model::load_visible(w.conn(), &caller, id).await?;
            return Ok((StatusCode::OK, axum::Json(conversation)));
        }
    }
    let team_id = match &body.team_id {
        Some(team) => ensure_team(w.conn(), team, "team_id").await?,
        None => default_team(w.conn(), Some(&caller)).await?,
    };
    let business_address =
        match crate::inbound::business_address("business_address", body.business_address.as_ref())?
        {
            Some(given) => Some(given),
            None => last_business_address(w.conn(), contact_id, body.channel).await?,
        };
    let now = util::now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO conversations (contact_id, channel, team_id, assignee_id, status, priority, direction, business_address, created_at, last_activity_at)
         VALUES ($1, $2, $3, $4, 'open', 'none', 'outgoing', $5, $6, $7) RETURNING id",
    )
    .bind(contact_id)
    .bind(body.channel.as_str())
    .bind(team_id)
    .bind(caller.id)
    .bind(&business_address)
    .bind(&now)
    .bind(&now)
    .fetch_one(w.conn())
    .await?;
    let identifier = match body.channel {
        Channel::Email => contact.get::<Option<String>, _>("email"),
        Channel::Whatsapp | Channel::Sms | Channel::Voice => {
            contact.get::<Option<String>, _>("phone")
        }
        _ => None,
    }
    .unwrap_or_else(|| contact.get("identifier"));
    sqlx::query(
        "INSERT INTO contact_channels (channel, identifier, contact_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(body.channel.as_str())
    .bind(identifier)
    .bind(contact_id)
    .execute(w.conn())
    .await?;
    sqlx::query(
        "INSERT INTO conversation_sessions (conversation_id, number, started_at) VALUES ($1, 1, $2)",
    )
    .bind(id)
    .bind(&now)
    .execute(w.conn())
    .await?;
    w.audit(
        Some(id),
        Some(caller.id),
        "created",
        serde_json::json!({"channel": body.channel}),
    )
    .await?;
    // Who starts a conversation owns it: the ownership timeline says so from the start.
    w.audit(
        Some(id),
        Some(caller.id),
        "assigned",
        serde_json::json!({"from": null, "to": caller.id.to_string()}),
    )
    .await?;
    let text = body.body.as_deref().map(str::trim).unwrap_or("");
    if !text.is_empty() {
        if contact.flag("blocked") {
            return Err(AppError::forbidden(
                "This contact is blocked: unblock them before writing",
            ));
        }
        let (created, _) = messages::insert(
            &mut w,
            NewMessage {
                conversation_id: id,
                kind: MessageKind::Outbound,
                author_id: Some(caller.id),
                body: body.body.clone().unwrap_or_default(),
                attachments: Vec::new(),
                call: None,
                delivery: Some(DeliveryStatus::Sent),
                client_id: body.client_id.clone().filter(|c| !c.is_empty()),
                external_id: None,
            },
        )
        .await?;
        let access = EventAccess {
            conversation_id: Some(id),
            team_ids: vec![team_id],
            agent_ids: vec![caller.id],
            owner_id: None,
        };
        messages::emit_created(&mut w, &created, &access).await?;
    }
    let conversation = changed(&mut w, id, caller.id, None).await?;
    w.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(conversation)))
}
