//! Saved views: private to their owner.

use crate::auth::Caller;
use crate::db::{Conn, DbRow};
use crate::error::{ApiJson, AppError, AppResult, if_match, path_id, require_if_match};
use crate::events::EventAccess;
use crate::state::AppState;
use crate::util;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, patch};
use convoroom_api::*;
use sqlx::Row;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/views", get(list).post(create))
        .route("/views/{id}", patch(update).delete(delete))
}

pub(crate) fn from_row(row: &DbRow) -> View {
    View {
        id: row.get::<i64, _>("id").to_string(),
        name: row.get("name"),
        owner_id: row.get::<i64, _>("owner_id").to_string(),
        filter: serde_json::from_str(&row.get::<String, _>("filter")).unwrap_or_default(),
        columns: serde_json::from_str(&row.get::<String, _>("columns")).unwrap_or_default(),
        created_at: row.get("created_at"),
        version: row.get("version"),
    }
}

fn check(body: &WriteView) -> AppResult<()> {
    let name = body.name.trim();
    if name.is_empty() || validate::too_long(&body.name, validate::VIEW_NAME_MAX_CHARS) {
        return Err(AppError::field(
            "name",
            format!(
                "A view name is 1–{} characters",
                validate::VIEW_NAME_MAX_CHARS
            ),
        ));
    }
    if let Some(priority) = &body.filter.priority {
        crate::conversations::list::parse_priority_filter(priority)?;
    }
    if let Some(state) = &body.filter.state {
        crate::conversations::list::parse_state_filter(state)?;
    }
    Ok(())
}

async fn load_own(conn: &mut Conn, caller: &Caller, id: &str) -> AppResult<View> {
    let id = path_id(id, "View")?;
    let row = sqlx::query("SELECT * FROM views WHERE id = $1 AND owner_id = $2")
        .bind(id)
        .bind(caller.id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| AppError::not_found("View"))?;
    Ok(from_row(&row))
}

#[utoipa::path(get, path = "/api/v1/views", operation_id = "listViews", tag = "views", security(("bearer" = [])), responses((status = 200, body = Vec<View>)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> AppResult<axum::Json<Vec<View>>> {
    let mut conn = state.read().await?;
    let rows = sqlx::query("SELECT * FROM views WHERE owner_id = $1 ORDER BY id")
        .bind(caller.id)
        .fetch_all(&mut *conn)
        .await?;
    Ok(axum::Json(rows.iter().map(from_row).collect()))
}

#[utoipa::path(post, path = "/api/v1/views", operation_id = "createView", tag = "views", security(("bearer" = [])), request_body = WriteView,
    responses((status = 201, body = View), (status = 400, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<WriteView>,
) -> AppResult<(StatusCode, axum::Json<View>)> {
    check(&body)?;
    let mut w = state.write().await?;
    let row = sqlx::query("INSERT INTO views (owner_id, name, filter, columns, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING *")
        .bind(caller.id)
        .bind(body.name.trim())
        .bind(serde_json::to_string(&body.filter)?)
        .bind(serde_json::to_string(&body.normalised_columns())?)
        .bind(util::now())
        .fetch_one(w.conn())
        .await?;
    let view = from_row(&row);
    w.emit(
        EventPayload::ViewSaved(Box::new(view.clone())),
        EventAccess::owner(caller.id),
    )
    .await?;
    w.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(view)))
}

#[utoipa::path(patch, path = "/api/v1/views/{id}", operation_id = "updateView", tag = "views", security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = String, Header, pattern = r#"^(W/)?"?[0-9]{1,18}"?$"#, description = "The version you last saw: `7`, `\"7\"` or `W/\"7\"`")), request_body = WriteView,
    responses((status = 200, body = View), (status = 409, body = ErrorBody), (status = 428, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<WriteView>,
) -> AppResult<axum::Json<View>> {
    let mut w = state.write().await?;
    let current = load_own(w.conn(), &caller, &id).await?;
    let version = require_if_match(&headers)?;
    check(&body)?;
    if version != current.version {
        return Err(AppError::conflict(&current));
    }
    let row = sqlx::query("UPDATE views SET name = $1, filter = $2, columns = $3, version = version + 1 WHERE id = $4 RETURNING *")
        .bind(body.name.trim())
        .bind(serde_json::to_string(&body.filter)?)
        .bind(serde_json::to_string(&body.normalised_columns())?)
        .bind(current.id.parse::<i64>().unwrap_or_default())
        .fetch_one(w.conn())
        .await?;
    let view = from_row(&row);
    w.emit(
        EventPayload::ViewSaved(Box::new(view.clone())),
        EventAccess::owner(caller.id),
    )
    .await?;
    w.commit().await?;
    Ok(axum::Json(view))
}

#[utoipa::path(delete, path = "/api/v1/views/{id}", operation_id = "deleteView", tag = "views", security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header)), responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    let mut w = state.write().await?;
    let current = load_own(w.conn(), &caller, &id).await?;
    if let Some(version) = if_match(&headers)?
        && version != current.version
    {
        return Err(AppError::conflict(&current));
    }
    sqlx::query("DELETE FROM views WHERE id = $1")
        .bind(current.id.parse::<i64>().unwrap_or_default())
        .execute(w.conn())
        .await?;
    w.emit(
        EventPayload::ViewDeleted {
            id: current.id.clone(),
        },
        EventAccess::owner(caller.id),
    )
    .await?;
    w.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
