//! Linking a conversation to another contact, unlinking it, and merging conversations.

use super::{begin, changed, model};
use crate::auth::Caller;
use crate::contacts;
use crate::error::{ApiJson, AppError, AppResult, body_id, if_match};
use crate::events::EventAccess;
use crate::labels::normalise_labels;
use crate::messages::{self, NewMessage};
use crate::state::AppState;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::post;
use convoroom_api::*;
use sqlx::Row;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/conversations/{id}/link", post(link))
        .route("/conversations/{id}/unlink", post(unlink))
        .route("/conversations/{id}/merge", post(merge))
}

#[utoipa::path(post, path = "/api/v1/conversations/{id}/link", operation_id = "linkContact", tag = "contacts", security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header)), request_body = LinkContact, responses((status = 200, body = Conversation), (status = 404, body = ErrorBody)))]
pub async fn link(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<LinkContact>,
) -> AppResult<axum::Json<Conversation>> {
    let (mut w, current) = begin(&state, &caller, &id, if_match(&headers)?).await?;
    let cid: i64 = current.id.parse().unwrap_or_default();
    let contact_id = body_id(&body.contact_id, "contact_id")?;
    let name: String = sqlx::query_scalar("SELECT name FROM contacts WHERE id = $1")
        .bind(contact_id)
        .fetch_optional(w.conn())
        .await?
        .ok_or_else(|| AppError::field("contact_id", "contact_id is not a known contact"))?;
    sqlx::query("UPDATE conversations SET contact_id = $1 WHERE id = $2")
        .bind(contact_id)
        .bind(cid)
        .execute(w.conn())
        .await?;
    // The channel identifier now leads to the linked contact for future inbound messages.
    sqlx::query(
        "UPDATE contact_channels SET contact_id = $1 WHERE channel = $2 AND identifier = $3",
    )
    .bind(contact_id)
    .bind(current.channel.as_str())
    .bind(&current.contact.identifier)
    .execute(w.conn())
    .await?;
    // Linked back after an unlink (the app's Undo): the stand-in unknown contact goes away.
    let previous: i64 = current.contact.id.parse().unwrap_or_default();
    if previous != contact_id {
        contacts::drop_if_orphaned(w.conn(), previous).await?;
    }
    let (created, _) = messages::insert(
        &mut w,
        NewMessage::system(cid, format!("Linked to contact {name}")),
    )
    .await?;
    messages::emit_created(&mut w, &created, &model::access_of(&current)).await?;
    w.audit(
        Some(cid),
        Some(caller.id),
        "contact_linked",
        serde_json::json!({"from": current.contact.id, "to": contact_id.to_string()}),
    )
    .await?;
    let conversation = changed(&mut w, cid, caller.id, None).await?;
    w.commit().await?;
    Ok(axum::Json(conversation))
}

#[utoipa::path(post, path = "/api/v1/conversations/{id}/unlink", operation_id = "unlinkContact", tag = "contacts", security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header)), responses((status = 200, body = Conversation),
        (status = 400, description = "Already the unknown contact of its identifier: nothing to unlink", body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn unlink(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> AppResult<axum::Json<Conversation>> {
    let (mut w, current) = begin(&state, &caller, &id, if_match(&headers)?).await?;
    let cid: i64 = current.id.parse().unwrap_or_default();
    // The channel identifier this conversation arrived on becomes an unknown contact.
    let identifier: String = sqlx::query_scalar(
        "SELECT identifier FROM contact_channels WHERE contact_id = $1 AND channel = $2 ORDER BY identifier LIMIT 1",
    )
    .bind(current.contact.id.parse::<i64>().unwrap_or_default())
    .bind(current.channel.as_str())
    .fetch_optional(w.conn())
    .await?
    .unwrap_or_else(|| current.contact.identifier.clone());
    let unknown = contacts::unknown_for(w.conn(), &identifier).await?;
    if unknown.to_string() == current.contact.id {
        return Err(AppError::bad_request(format!(
            "This conversation already belongs to the unknown contact of {identifier}: there is nothing to unlink"
        )));
    }
    sqlx::query("UPDATE conversations SET contact_id = $1 WHERE id = $2")
        .bind(unknown)
        .bind(cid)
        .execute(w.conn())
        .await?;
    sqlx::query(
        "INSERT INTO contact_channels (channel, identifier, contact_id) VALUES ($1, $2, $3)
                 ON CONFLICT (channel, identifier) DO UPDATE SET contact_id = excluded.contact_id",
    )
    .bind(current.channel.as_str())
    .bind(&identifier)
    .bind(unknown)
    .execute(w.conn())
    .await?;
    let (created, _) = messages::insert(
        &mut w,
        NewMessage::system(
            cid,
            format!("Unlinked from contact {}", current.contact.name),
        ),
    )
    .await?;
    messages::emit_created(&mut w, &created, &model::access_of(&current)).await?;
    w.audit(
        Some(cid),
        Some(caller.id),
        "contact_unlinked",
        serde_json::json!({"from": current.contact.id, "to": unknown.to_string()}),
    )
    .await?;
    let conversation = changed(&mut w, cid, caller.id, None).await?;
    w.commit().await?;
    Ok(axum::Json(conversation))
}

#[utoipa::path(post, path = "/api/v1/conversations/{id}/merge", operation_id = "mergeConversation", tag = "conversations", security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header)), request_body = MergeConversations,
    responses((status = 200, description = "The target conversation", body = Conversation), (status = 404, body = ErrorBody)))]
pub async fn merge(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MergeConversations>,
) -> AppResult<axum::Json<Conversation>> {
    let (mut w, source) = begin(&state, &caller, &id, if_match(&headers)?).await?;
    let source_id: i64 = source.id.parse().unwrap_or_default();
    let target_id = body_id(&body.into_conversation_id, "into_conversation_id")?;
    if target_id == source_id {
        return Err(AppError::field(
            "into_conversation_id",
            "A conversation cannot be merged into itself",
        ));
    }
    let target = model::load_visible(w.conn(), &caller, target_id)
        .await
        .map_err(|_| {
            AppError::field(
                "into_conversation_id",
                "into_conversation_id is not a conversation you can see",
            )
        })?;
    let target_session: i64 = sqlx::query_scalar(
        "SELECT id FROM conversation_sessions WHERE conversation_id = $1 ORDER BY number DESC LIMIT 1",
    )
    .bind(target_id)
    .fetch_one(w.conn())
    .await?;
    // Messages keep their order by id; their sessions go to the target's latest session.
    sqlx::query(
        "UPDATE messages SET conversation_id = $1, session_id = $2 WHERE conversation_id = $3",
    )
    .bind(target_id)
    .bind(target_session)
    .bind(source_id)
    .execute(w.conn())
    .await?;
    sqlx::query(
        "UPDATE conversation_sessions SET message_count = (SELECT COUNT(*) FROM messages WHERE session_id = $1) WHERE id = $1",
    )
    .bind(target_session)
    .execute(w.conn())
    .await?;
    crate::search::index::remove(w.conn(), source_id).await?;
    crate::search::index::reindex(w.conn(), target_id).await?;
    let mut labels = target.labels.clone();
    labels.extend(source.labels.iter().cloned());
    let labels = normalise_labels(&labels)?;
    super::labels::set_labels(&mut w, target_id, &labels).await?;
    // Recompute the target's activity and preview from the combined thread.
    let last = sqlx::query(
        "SELECT kind, body, created_at FROM messages WHERE conversation_id = $1 AND kind <> 'system' ORDER BY id DESC LIMIT 1",
    )
    .bind(target_id)
    .fetch_optional(w.conn())
    .await?;
    if let Some(last) = last {
        let at: String = last.get("created_at");
        // Timestamps share one format, so text order is time order.
        let activity = at.clone().max(target.lifecycle.last_activity_at.clone());
        sqlx::query(
            "UPDATE conversations SET last_message_kind = $1, last_message_text = $2, last_message_at = $3,
                last_activity_at = $4 WHERE id = $5",
        )
        .bind(last.get::<String, _>("kind"))
        .bind(preview_text(&last.get::<String, _>("body"), 140))
        .bind(&at)
        .bind(activity)
        .bind(target_id)
        .execute(w.conn())
        .await?;
    }
    // The latest recording of the combined thread (calls are few: read them newest first).
    let calls: Vec<String> = sqlx::query_scalar(
        "SELECT call FROM messages WHERE conversation_id = $1 AND call IS NOT NULL ORDER BY id DESC",
    )
    .bind(target_id)
    .fetch_all(w.conn())
    .await?;
    let recording = calls.iter().find_map(|call| {
        serde_json::from_str::<CallEvent>(call)
            .ok()
            .and_then(|call| call.recording_url)
    });
    sqlx::query("UPDATE conversations SET last_recording_url = $1 WHERE id = $2")
        .bind(recording)
        .bind(target_id)
        .execute(w.conn())
        .await?;
    // Linked tickets follow their thread; one the target already has keeps the target's.
    sqlx::query(
        "DELETE FROM tickets WHERE conversation_id = $1
         AND external_id IN (SELECT external_id FROM tickets WHERE conversation_id = $2)",
    )
    .bind(source_id)
    .bind(target_id)
    .execute(w.conn())
    .await?;
    sqlx::query("UPDATE tickets SET conversation_id = $1 WHERE conversation_id = $2")
        .bind(target_id)
        .bind(source_id)
        .execute(w.conn())
        .await?;
    let source_access: EventAccess = model::access_of(&source);
    sqlx::query("DELETE FROM conversations WHERE id = $1")
        .bind(source_id)
        .execute(w.conn())
        .await?;
    let (created, _) = messages::insert(
        &mut w,
        NewMessage::system(
            target_id,
            format!("Conversation {source_id} merged into this one"),
        ),
    )
    .await?;
    messages::emit_created(&mut w, &created, &model::access_of(&target)).await?;
    w.audit(
        Some(target_id),
        Some(caller.id),
        "merged",
        serde_json::json!({"from": source_id.to_string()}),
    )
    .await?;
    w.audit(
        Some(source_id),
        Some(caller.id),
        "merged_into",
        serde_json::json!({"into": target_id.to_string()}),
    )
    .await?;
    w.emit(
        EventPayload::ConversationMerged {
            id: source_id.to_string(),
            into_conversation_id: target_id.to_string(),
        },
        source_access,
    )
    .await?;
    let conversation = changed(&mut w, target_id, caller.id, None).await?;
    w.commit().await?;
    Ok(axum::Json(conversation))
}

/// How many merges an old address may follow (A into B, B into C…) before it is only "not found".
const MERGE_HOPS: usize = 8;

/// A conversation that no longer exists because it was merged: the 404 that names the
/// conversation its thread lives on now, if the caller may see that one (otherwise `None`, and
/// the caller gets the plain 404 — a merge does not reveal a conversation they cannot open).
pub async fn where_it_went(
    conn: &mut crate::db::Conn,
    caller: &Caller,
    gone: i64,
) -> AppResult<Option<AppError>> {
    let mut at = gone;
    for _ in 0..MERGE_HOPS {
        let detail: Option<String> = sqlx::query_scalar(
            "SELECT detail FROM audit_events WHERE conversation_id = $1 AND action = 'merged_into'
             ORDER BY id DESC LIMIT 1",
        )
        .bind(at)
        .fetch_optional(&mut *conn)
        .await?;
        let Some(into) = detail
            .and_then(|d| serde_json::from_str::<serde_json::Value>(&d).ok())
            .and_then(|d| d["into"].as_str().and_then(|i| i.parse::<i64>().ok()))
        else {
            return Ok(None);
        };
        match model::load_visible(&mut *conn, caller, into).await {
            Ok(target) => {
                let mut err = AppError::not_found("Conversation");
                err.0.message = format!(
                    "Conversation {gone} was merged into conversation {}",
                    target.id
                );
                err.0.merged_into = Some(target.id);
                return Ok(Some(err));
            }
            Err(e) if e.0.code == ErrorCode::NotFound => at = into,
            Err(e) => return Err(e),
        }
    }
    Ok(None)
}
