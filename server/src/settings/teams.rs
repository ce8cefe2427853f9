//! A team's settings: so far, what its agents must record when they resolve one of its
//! conversations (`PUT /teams/{id}/after-conversation`). Changes emit `team_updated` to
//! everyone, so every open app asks for the right things at once.

use super::require_admin;
use crate::auth::Caller;
use crate::db::{Conn, DbRow, RowExt};
use crate::error::{ApiJson, AppError, AppResult, if_match, path_id};
use crate::events::EventAccess;
use crate::state::AppState;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::put;
use convoroom_api::*;
use sqlx::Row;

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/teams/{id}/after-conversation",
        put(set_after_conversation),
    )
}

/// A team from a `SELECT * FROM teams` row.
pub fn from_row(row: &DbRow) -> Team {
    Team {
        id: row.get::<i64, _>("id").to_string(),
        name: row.get("name"),
        after_conversation: AfterConversationRules {
            disposition_required: row.flag("disposition_required"),
            wrap_up_note_required: row.flag("wrap_up_note_required"),
            hangup_source_required: row.flag("hangup_source_required"),
        },
        version: row.get("version"),
    }
}

pub async fn load_all(conn: &mut Conn) -> AppResult<Vec<Team>> {
    let rows = sqlx::query("SELECT * FROM teams ORDER BY id")
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// What resolving a conversation of this team requires (nothing for no team).
pub async fn rules_of(conn: &mut Conn, team_id: Option<&str>) -> AppResult<AfterConversationRules> {
    let Some(id) = team_id.and_then(crate::util::parse_id) else {
        return Ok(AfterConversationRules::default());
    };
    let row = sqlx::query("SELECT * FROM teams WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row
        .map(|r| from_row(&r).after_conversation)
        .unwrap_or_default())
}

#[utoipa::path(put, path = "/api/v1/teams/{id}/after-conversation", tag = "settings",
    operation_id = "setTeamAfterConversationRules", security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, pattern = r#"^(W/)?"?[0-9]{1,18}"?$"#, description = "Optional: the version you last saw")),
    request_body = AfterConversationRules,
    responses((status = 200, body = Team), (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn set_after_conversation(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(rules): ApiJson<AfterConversationRules>,
) -> AppResult<axum::Json<Team>> {
    require_admin(&caller)?;
    let version = if_match(&headers)?;
    let id = path_id(&id, "Team")?;
    let mut w = state.write().await?;
    let current = sqlx::query("SELECT * FROM teams WHERE id = $1")
        .bind(id)
        .fetch_optional(w.conn())
        .await?
        .map(|row| from_row(&row))
        .ok_or_else(|| AppError::not_found("Team"))?;
    if version.is_some_and(|v| v != current.version) {
        return Err(AppError::conflict(&current));
    }
    let row = sqlx::query(
        "UPDATE teams SET disposition_required = $1, wrap_up_note_required = $2,
            hangup_source_required = $3, version = version + 1 WHERE id = $4 RETURNING *",
    )
    .bind(rules.disposition_required)
    .bind(rules.wrap_up_note_required)
    .bind(rules.hangup_source_required)
    .bind(id)
    .fetch_one(w.conn())
    .await?;
    let team = from_row(&row);
    w.emit(
        EventPayload::TeamUpdated(team.clone()),
        EventAccess::everyone(),
    )
    .await?;
    w.audit(
        None,
        Some(caller.id),
        "team_after_conversation_changed",
        serde_json::json!({"team_id": team.id, "from": current.after_conversation, "to": rules}),
    )
    .await?;
    w.commit().await?;
    Ok(axum::Json(team))
}
