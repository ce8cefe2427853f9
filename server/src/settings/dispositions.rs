//! `/dispositions`: the outcomes agents pick from when they resolve. Kept in list order
//! (positions 0..n-1); every change emits `disposition_saved` (or `disposition_deleted`) to
//! everyone, once per disposition whose name, state or place changed.

use super::{place, require_admin};
use crate::auth::Caller;
use crate::db::{Conn, DbRow, RowExt};
use crate::error::{ApiJson, AppError, AppResult, if_match, path_id};
use crate::events::EventAccess;
use crate::state::{AppState, Writer};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, patch};
use convoroom_api::*;
use sqlx::Row;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dispositions", get(list).post(create))
        .route("/dispositions/{id}", patch(update).delete(delete))
}

fn from_row(row: &DbRow) -> Disposition {
    Disposition {
        id: row.get::<i64, _>("id").to_string(),
        name: row.get("name"),
        position: row.get::<i64, _>("position").max(0) as u32,
        archived: row.flag("archived"),
        version: row.get("version"),
    }
}

/// Every disposition, archived ones included, in list order.
pub async fn load_all(conn: &mut Conn) -> AppResult<Vec<Disposition>> {
    let rows = sqlx::query("SELECT * FROM dispositions ORDER BY position, id")
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// Every disposition and the one a write is about, refused with 409 when the caller's
/// `If-Match` `version` is not its current one.
async fn load_for_write(
    conn: &mut Conn,
    id: &str,
    version: Option<i64>,
) -> AppResult<(Vec<Disposition>, Disposition)> {
    let id = path_id(id, "Disposition")?.to_string();
    let all = load_all(conn).await?;
    let current = all
        .iter()
        .find(|d| d.id == id)
        .cloned()
        .ok_or_else(|| AppError::not_found("Disposition"))?;
    if version.is_some_and(|v| v != current.version) {
        return Err(AppError::conflict(&current));
    }
    Ok((all, current))
}

/// Checks a new name against the other dispositions' names.
fn checked_name(name: &str, all: &[Disposition], except: Option<&str>) -> AppResult<String> {
    let others = all
        .iter()
        .filter(|d| Some(d.id.as_str()) != except)
        .map(|d| d.name.as_str());
    disposition_name(name, others).map_err(|message| AppError::field("name", message))
}

/// Writes the position of each disposition in `order` whose place changed, and tells everyone.
async fn renumber(w: &mut Writer, order: &[Disposition], except: Option<&str>) -> AppResult<()> {
    for (position, d) in order.iter().enumerate() {
        if d.position as usize == position || Some(d.id.as_str()) == except {
            continue;
        }
        let row = sqlx::query(
            "UPDATE dispositions SET position = $1, version = version + 1 WHERE id = $2 RETURNING *",
        )
        .bind(position as i64)
        .bind(d.id.parse::<i64>().unwrap_or_default())
        .fetch_one(w.conn())
        .await?;
        saved(w, from_row(&row)).await?;
    }
    Ok(())
}

async fn saved(w: &mut Writer, disposition: Disposition) -> AppResult<Disposition> {
    w.emit(
        EventPayload::DispositionSaved(disposition.clone()),
        EventAccess::everyone(),
    )
    .await?;
    Ok(disposition)
}

#[utoipa::path(get, path = "/api/v1/dispositions", tag = "settings", operation_id = "listDispositions",
    security(("bearer" = [])), responses((status = 200, body = Vec<Disposition>)))]
pub async fn list(
    State(state): State<AppState>,
    _caller: Caller,
) -> AppResult<axum::Json<Vec<Disposition>>> {
    let mut conn = state.read().await?;
    Ok(axum::Json(load_all(&mut conn).await?))
}

#[utoipa::path(post, path = "/api/v1/dispositions", tag = "settings", operation_id = "createDisposition",
    security(("bearer" = [])), request_body = CreateDisposition,
    responses((status = 201, body = Disposition), (status = 403, description = "Not an admin", body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<CreateDisposition>,
) -> AppResult<(StatusCode, axum::Json<Disposition>)> {
    require_admin(&caller)?;
    let mut w = state.write().await?;
    let all = load_all(w.conn()).await?;
    let name = checked_name(&body.name, &all, None)?;
    let row = sqlx::query("INSERT INTO dispositions (name, position) VALUES ($1, $2) RETURNING *")
        .bind(&name)
        .bind(all.len() as i64)
        .fetch_one(w.conn())
        .await?;
    let created = saved(&mut w, from_row(&row)).await?;
    w.audit(
        None,
        Some(caller.id),
        "disposition_created",
        serde_json::json!({"id": created.id, "name": name}),
    )
    .await?;
    w.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(created)))
}

#[utoipa::path(patch, path = "/api/v1/dispositions/{id}", tag = "settings", operation_id = "updateDisposition",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, pattern = r#"^(W/)?"?[0-9]{1,18}"?$"#, description = "Optional: the version you last saw")),
    request_body = UpdateDisposition,
    responses((status = 200, body = Disposition), (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<UpdateDisposition>,
) -> AppResult<axum::Json<Disposition>> {
    require_admin(&caller)?;
    let version = if_match(&headers)?;
    let mut w = state.write().await?;
    let (all, current) = load_for_write(w.conn(), &id, version).await?;
    let name = match &body.name {
        Some(name) => checked_name(name, &all, Some(&current.id))?,
        None => current.name.clone(),
    };
    let archived = body.archived.unwrap_or(current.archived);
    let (order, position) = place(all, |d| d.id == current.id, body.position);
    renumber(&mut w, &order, Some(&current.id)).await?;
    let row = sqlx::query(
        "UPDATE dispositions SET name = $1, archived = $2, position = $3, version = version + 1
         WHERE id = $4 RETURNING *",
    )
    .bind(&name)
    .bind(archived)
    .bind(position as i64)
    .bind(current.id.parse::<i64>().unwrap_or_default())
    .fetch_one(w.conn())
    .await?;
    let updated = saved(&mut w, from_row(&row)).await?;
    w.audit(
        None,
        Some(caller.id),
        "disposition_changed",
        serde_json::json!({"id": updated.id, "from": current, "to": updated}),
    )
    .await?;
    w.commit().await?;
    Ok(axum::Json(updated))
}

#[utoipa::path(delete, path = "/api/v1/dispositions/{id}", tag = "settings", operation_id = "deleteDisposition",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, pattern = r#"^(W/)?"?[0-9]{1,18}"?$"#, description = "Optional: the version you last saw")),
    responses((status = 204), (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    require_admin(&caller)?;
    let version = if_match(&headers)?;
    let mut w = state.write().await?;
    let (all, current) = load_for_write(w.conn(), &id, version).await?;
    sqlx::query("DELETE FROM dispositions WHERE id = $1")
        .bind(current.id.parse::<i64>().unwrap_or_default())
        .execute(w.conn())
        .await?;
    w.emit(
        EventPayload::DispositionDeleted {
            id: current.id.clone(),
        },
        EventAccess::everyone(),
    )
    .await?;
    let rest: Vec<Disposition> = all.into_iter().filter(|d| d.id != current.id).collect();
    renumber(&mut w, &rest, None).await?;
    w.audit(
        None,
        Some(caller.id),
        "disposition_deleted",
        serde_json::json!({"id": current.id, "name": current.name}),
    )
    .await?;
    w.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
