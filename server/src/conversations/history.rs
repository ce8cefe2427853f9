//! Sessions and the audit trail of a conversation.

use super::model;
use crate::auth::Caller;
use crate::error::{AppResult, path_id};
use crate::state::AppState;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use convoroom_api::*;
use sqlx::Row;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/conversations/{id}/sessions", get(sessions))
        .route("/conversations/{id}/audit", get(audit))
}

#[utoipa::path(get, path = "/api/v1/conversations/{id}/sessions", operation_id = "listConversationSessions", tag = "conversations", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = Vec<ConversationSession>), (status = 404, body = ErrorBody)))]
pub async fn sessions(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<axum::Json<Vec<ConversationSession>>> {
    let id = path_id(&id, "Conversation")?;
    let mut conn = state.read().await?;
    model::ensure_visible(&mut conn, &caller, id).await?;
    let rows = sqlx::query(
        "SELECT * FROM conversation_sessions WHERE conversation_id = $1 ORDER BY number",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(axum::Json(
        rows.iter()
            .map(|row| ConversationSession {
                id: row.get::<i64, _>("id").to_string(),
                conversation_id: id.to_string(),
                number: row.get::<i64, _>("number") as u32,
                started_at: row.get("started_at"),
                ended_at: row.get("ended_at"),
                resolved_by: row
                    .get::<Option<i64>, _>("resolved_by")
                    .map(|a| a.to_string()),
                message_count: row.get::<i64, _>("message_count") as u32,
                disposition: row.get("disposition"),
                wrap_up_note: row.get("wrap_up_note"),
                hangup_source: row
                    .get::<Option<String>, _>("hangup_source")
                    .and_then(|h| HangupSource::parse(&h)),
            })
            .collect(),
    ))
}

#[utoipa::path(get, path = "/api/v1/conversations/{id}/audit", operation_id = "listConversationAudit", tag = "conversations", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = Vec<AuditEvent>), (status = 404, body = ErrorBody)))]
pub async fn audit(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<axum::Json<Vec<AuditEvent>>> {
    let id = path_id(&id, "Conversation")?;
    let mut conn = state.read().await?;
    model::ensure_visible(&mut conn, &caller, id).await?;
    let rows = sqlx::query(
        "SELECT * FROM audit_events WHERE conversation_id = $1 ORDER BY id DESC LIMIT 500",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(axum::Json(
        rows.iter()
            .map(|row| AuditEvent {
                id: row.get::<i64, _>("id").to_string(),
                conversation_id: Some(id.to_string()),
                actor_id: row.get::<Option<i64>, _>("actor_id").map(|a| a.to_string()),
                action: row.get("action"),
                detail: serde_json::from_str(&row.get::<String, _>("detail")).unwrap_or_default(),
                at: row.get("at"),
            })
            .collect(),
    ))
}
