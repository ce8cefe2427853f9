//! Internal notes: the thread's `kind = 'note'` messages, however they were written (the
//! composer's Internal note mode or the details panel's Notes section). These endpoints list
//! them as `Note`s and are the only way a message changes after it was written: a note can be
//! edited (with `If-Match`) or deleted. Every change is told twice, to the thread
//! (`message_created` / `message_updated` / `message_deleted`) and to the Notes section
//! (`note_saved` / `note_deleted`).

use crate::auth::Caller;
use crate::conversations::{self, model};
use crate::db::DbRow;
use crate::error::{ApiJson, AppError, AppResult, path_id, require_if_match};
use crate::messages::{self, NewMessage};
use crate::state::{AppState, Writer};
use crate::util;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, patch};
use convoroom_api::*;
use sqlx::Row;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/conversations/{id}/notes", get(list).post(create))
        .route("/notes/{id}", patch(update).delete(delete))
}

fn from_row(row: &DbRow) -> Note {
    let created_at: String = row.get("created_at");
    Note {
        id: row.get::<i64, _>("id").to_string(),
        conversation_id: row.get::<i64, _>("conversation_id").to_string(),
        author_id: row
            .get::<Option<i64>, _>("author_id")
            .unwrap_or_default()
            .to_string(),
        body: row.get("body"),
        updated_at: row
            .get::<Option<String>, _>("updated_at")
            .unwrap_or_else(|| created_at.clone()),
        created_at,
        version: row.get("version"),
    }
}

/// A note as the Notes section shows it: the same row as the thread's message.
pub fn of_message(message: &Message, version: i64) -> Note {
    Note {
        id: message.id.clone(),
        conversation_id: message.conversation_id.clone(),
        author_id: message.author_id.clone().unwrap_or_default(),
        body: message.body.clone(),
        created_at: message.created_at.clone(),
        updated_at: message
            .edited_at
            .clone()
            .unwrap_or_else(|| message.created_at.clone()),
        version,
    }
}

/// Refuses an empty note or one longer than the app allows, in the app's words.
pub fn check_body(body: &str) -> AppResult<()> {
    validate::note(body).map_err(|problem| AppError::field("body", problem))
}

/// A note (its message row) and its conversation; 404 unless the caller may see it.
async fn load_visible(
    w: &mut Writer,
    caller: &Caller,
    id: &str,
) -> AppResult<(DbRow, Conversation)> {
    let id = path_id(id, "Note")?;
    let row = sqlx::query("SELECT * FROM messages WHERE id = $1 AND kind = 'note'")
        .bind(id)
        .fetch_optional(w.conn())
        .await?
        .ok_or_else(|| AppError::not_found("Note"))?;
    let conversation = model::load_visible(w.conn(), caller, row.get("conversation_id"))
        .await
        .map_err(|_| AppError::not_found("Note"))?;
    Ok((row, conversation))
}

/// Tells both the thread and the Notes section that a note was written or edited.
async fn announce_saved(
    w: &mut Writer,
    message: &Message,
    version: i64,
    conversation: &Conversation,
    created: bool,
) -> AppResult<()> {
    let access = model::access_of(conversation);
    let thread = if created {
        EventPayload::MessageCreated(Box::new(message.clone()))
    } else {
        EventPayload::MessageUpdated(Box::new(message.clone()))
    };
    w.emit(thread, access.clone()).await?;
    w.emit(
        EventPayload::NoteSaved(of_message(message, version)),
        access,
    )
    .await?;
    crate::notifications::notify_mentions(w, message).await
}

#[utoipa::path(get, path = "/api/v1/conversations/{id}/notes", operation_id = "listNotes", tag = "notes", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = Vec<Note>), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<axum::Json<Vec<Note>>> {
    let id = path_id(&id, "Conversation")?;
    let mut conn = state.read().await?;
    model::ensure_visible(&mut conn, &caller, id).await?;
    let rows = sqlx::query(
        "SELECT * FROM messages WHERE conversation_id = $1 AND kind = 'note' ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(axum::Json(rows.iter().map(from_row).collect()))
}

#[utoipa::path(post, path = "/api/v1/conversations/{id}/notes", operation_id = "createNote", tag = "notes", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = WriteNote, responses((status = 201, body = Note), (status = 404, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<WriteNote>,
) -> AppResult<(StatusCode, axum::Json<Note>)> {
    check_body(&body.body)?;
    let id = path_id(&id, "Conversation")?;
    let mut w = state.write().await?;
    let conversation = model::load_visible(w.conn(), &caller, id).await?;
    let before = model::access_of(&conversation);
    let (created, _) = messages::insert(
        &mut w,
        NewMessage {
            author_id: Some(caller.id),
            ..NewMessage::note(id, body.body)
        },
    )
    .await?;
    let message = created.last().cloned().ok_or_else(AppError::internal)?;
    w.audit(
        Some(id),
        Some(caller.id),
        "note_added",
        serde_json::json!({"message_id": message.id}),
    )
    .await?;
    // A note written in a new session opens with that session's system message.
    messages::emit_created(&mut w, &created[..created.len() - 1], &before).await?;
    announce_saved(&mut w, &message, 1, &conversation, true).await?;
    conversations::changed(&mut w, id, caller.id, Some(before)).await?;
    w.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(of_message(&message, 1))))
}

#[utoipa::path(patch, path = "/api/v1/notes/{id}", operation_id = "updateNote", tag = "notes", security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = String, Header, pattern = r#"^(W/)?"?[0-9]{1,18}"?$"#, description = "The version you last saw: `7`, `\"7\"` or `W/\"7\"`")), request_body = WriteNote,
    responses((status = 200, body = Note), (status = 409, body = ErrorBody), (status = 428, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<WriteNote>,
) -> AppResult<axum::Json<Note>> {
    let mut w = state.write().await?;
    let (row, conversation) = load_visible(&mut w, &caller, &id).await?;
    let note = from_row(&row);
    let version = require_if_match(&headers)?;
    check_body(&body.body)?;
    if version != note.version {
        return Err(AppError::conflict(&note));
    }
    let row = sqlx::query(
        "UPDATE messages SET body = $1, updated_at = $2, version = version + 1 WHERE id = $3 RETURNING *",
    )
    .bind(&body.body)
    .bind(util::now())
    .bind(row.get::<i64, _>("id"))
    .fetch_one(w.conn())
    .await?;
    let conversation_id: i64 = row.get("conversation_id");
    let message = messages::from_row(&row);
    let saved = from_row(&row);
    refresh_thread(&mut w, conversation_id).await?;
    w.audit(
        Some(conversation_id),
        Some(caller.id),
        "note_edited",
        serde_json::json!({"message_id": message.id}),
    )
    .await?;
    announce_saved(&mut w, &message, saved.version, &conversation, false).await?;
    w.commit().await?;
    Ok(axum::Json(saved))
}

#[utoipa::path(delete, path = "/api/v1/notes/{id}", operation_id = "deleteNote", tag = "notes", security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header)), responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    let mut w = state.write().await?;
    let (row, conversation) = load_visible(&mut w, &caller, &id).await?;
    let note = from_row(&row);
    if let Some(version) = crate::error::if_match(&headers)?
        && version != note.version
    {
        return Err(AppError::conflict(&note));
    }
    let message_id: i64 = row.get("id");
    let conversation_id: i64 = row.get("conversation_id");
    let before = model::access_of(&conversation);
    sqlx::query("DELETE FROM messages WHERE id = $1")
        .bind(message_id)
        .execute(w.conn())
        .await?;
    sqlx::query("UPDATE conversation_sessions SET message_count = message_count - 1 WHERE id = $1 AND message_count > 0")
        .bind(row.get::<i64, _>("session_id"))
        .execute(w.conn())
        .await?;
    refresh_thread(&mut w, conversation_id).await?;
    w.audit(
        Some(conversation_id),
        Some(caller.id),
        "note_deleted",
        serde_json::json!({"message_id": note.id}),
    )
    .await?;
    w.emit(
        EventPayload::MessageDeleted {
            id: note.id.clone(),
            conversation_id: note.conversation_id.clone(),
        },
        before.clone(),
    )
    .await?;
    w.emit(
        EventPayload::NoteDeleted {
            id: note.id.clone(),
            conversation_id: note.conversation_id.clone(),
        },
        before.clone(),
    )
    .await?;
    conversations::changed(&mut w, conversation_id, caller.id, Some(before)).await?;
    w.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// After a note changed or went: the search index and the list row's last message follow.
async fn refresh_thread(w: &mut Writer, conversation_id: i64) -> AppResult<()> {
    crate::search::index::reindex(w.conn(), conversation_id).await?;
    messages::refresh_last_message(w.conn(), conversation_id).await
}
