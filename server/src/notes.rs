//! Sticky notes of the details panel (separate from `kind: note` messages in the thread).

use crate::auth::Caller;
use crate::conversations::model;
use crate::db::DbRow;
use crate::error::{ApiJson, AppError, AppResult, path_id, require_if_match};
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
    Note {
        id: row.get::<i64, _>("id").to_string(),
        conversation_id: row.get::<i64, _>("conversation_id").to_string(),
        author_id: row.get::<i64, _>("author_id").to_string(),
        body: row.get("body"),
        created_at: row.get("created_at"),
        updated_at: row.get("updated_at"),
        version: row.get("version"),
    }
}

fn check_body(body: &WriteNote) -> AppResult<()> {
    if body.body.trim().is_empty() {
        return Err(AppError::field("body", "The note is empty"));
    }
    if body.body.chars().count() > 20_000 {
        return Err(AppError::field(
            "body",
            "The note is longer than 20000 characters",
        ));
    }
    Ok(())
}

/// A note and its conversation, 404 unless the caller may see the conversation.
async fn load_visible(
    w: &mut Writer,
    caller: &Caller,
    id: &str,
) -> AppResult<(Note, Conversation)> {
    let id = path_id(id, "Note")?;
    let row = sqlx::query("SELECT * FROM notes WHERE id = $1")
        .bind(id)
        .fetch_optional(w.conn())
        .await?
        .ok_or_else(|| AppError::not_found("Note"))?;
    let note = from_row(&row);
    let conversation = model::load_visible(w.conn(), caller, row.get("conversation_id"))
        .await
        .map_err(|_| AppError::not_found("Note"))?;
    Ok((note, conversation))
}

#[utoipa::path(get, path = "/api/v1/conversations/{id}/notes", tag = "notes", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = Vec<Note>), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<axum::Json<Vec<Note>>> {
    let id = path_id(&id, "Conversation")?;
    let mut conn = state.read().await?;
    model::ensure_visible(&mut conn, &caller, id).await?;
    let rows = sqlx::query("SELECT * FROM notes WHERE conversation_id = $1 ORDER BY id")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    Ok(axum::Json(rows.iter().map(from_row).collect()))
}

#[utoipa::path(post, path = "/api/v1/conversations/{id}/notes", tag = "notes", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = WriteNote, responses((status = 201, body = Note), (status = 404, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<WriteNote>,
) -> AppResult<(StatusCode, axum::Json<Note>)> {
    check_body(&body)?;
    let id = path_id(&id, "Conversation")?;
    let mut w = state.write().await?;
    let conversation = model::load_visible(w.conn(), &caller, id).await?;
    let now = util::now();
    let row = sqlx::query(
        "INSERT INTO notes (conversation_id, author_id, body, created_at, updated_at) VALUES ($1, $2, $3, $4, $5) RETURNING *",
    )
    .bind(id)
    .bind(caller.id)
    .bind(&body.body)
    .bind(&now)
    .bind(&now)
    .fetch_one(w.conn())
    .await?;
    let note = from_row(&row);
    w.audit(
        Some(id),
        Some(caller.id),
        "sticky_note_added",
        serde_json::json!({"note_id": note.id}),
    )
    .await?;
    w.emit(
        EventPayload::NoteSaved(note.clone()),
        model::access_of(&conversation),
    )
    .await?;
    w.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(note)))
}

#[utoipa::path(patch, path = "/api/v1/notes/{id}", tag = "notes", security(("bearer" = [])),
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
    let (note, conversation) = load_visible(&mut w, &caller, &id).await?;
    let version = require_if_match(&headers)?;
    check_body(&body)?;
    if version != note.version {
        return Err(AppError::conflict(&note));
    }
    let row = sqlx::query(
        "UPDATE notes SET body = $1, updated_at = $2, version = version + 1 WHERE id = $3 RETURNING *",
    )
    .bind(&body.body)
    .bind(util::now())
    .bind(note.id.parse::<i64>().unwrap_or_default())
    .fetch_one(w.conn())
    .await?;
    let note = from_row(&row);
    w.audit(
        conversation.id.parse().ok(),
        Some(caller.id),
        "sticky_note_edited",
        serde_json::json!({"note_id": note.id}),
    )
    .await?;
    w.emit(
        EventPayload::NoteSaved(note.clone()),
        model::access_of(&conversation),
    )
    .await?;
    w.commit().await?;
    Ok(axum::Json(note))
}

#[utoipa::path(delete, path = "/api/v1/notes/{id}", tag = "notes", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    let mut w = state.write().await?;
    let (note, conversation) = load_visible(&mut w, &caller, &id).await?;
    if let Some(version) = crate::error::if_match(&headers)?
        && version != note.version
    {
        return Err(AppError::conflict(&note));
    }
    sqlx::query("DELETE FROM notes WHERE id = $1")
        .bind(note.id.parse::<i64>().unwrap_or_default())
        .execute(w.conn())
        .await?;
    w.audit(
        conversation.id.parse().ok(),
        Some(caller.id),
        "sticky_note_deleted",
        serde_json::json!({"note_id": note.id}),
    )
    .await?;
    w.emit(
        EventPayload::NoteDeleted {
            id: note.id.clone(),
            conversation_id: note.conversation_id.clone(),
        },
        model::access_of(&conversation),
    )
    .await?;
    w.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
