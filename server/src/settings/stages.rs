//! `/pipeline-stages`: the stages conversations move through, kept in list order (positions
//! 0..n-1) by admins. A stage's key (`id`) is made once from its first name and never changes,
//! so renaming one rewrites no conversation; archiving hides it from pickers while the
//! conversations in it keep it. Every change emits `pipeline_stage_saved` to everyone.

use super::{place, require_admin};
use crate::auth::Caller;
use crate::db::{Conn, DbRow, RowExt};
use crate::error::{ApiJson, AppError, AppResult, if_match};
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
        .route("/pipeline-stages", get(list).post(create))
        .route("/pipeline-stages/{id}", patch(update))
}

const NAME_MAX_CHARS: usize = 100;

fn from_row(row: &DbRow) -> PipelineStage {
    PipelineStage {
        id: row.get("key"),
        name: row.get("name"),
        position: row.get::<i64, _>("position").max(0) as u32,
        archived: row.flag("archived"),
        version: row.get("version"),
    }
}

/// Every stage, archived ones included, in list order.
pub async fn load_all(conn: &mut Conn) -> AppResult<Vec<PipelineStage>> {
    let rows = sqlx::query("SELECT * FROM pipeline_stages ORDER BY position, key")
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// Whether a conversation may be put in `key` now (it exists and is not archived).
pub async fn offered(conn: &mut Conn, key: &str) -> AppResult<bool> {
    let row = sqlx::query("SELECT archived FROM pipeline_stages WHERE key = $1")
        .bind(key)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.is_some_and(|r| !r.flag("archived")))
}

/// A stage's name: trimmed, 1–100 characters, unique regardless of case.
fn checked_name(name: &str, all: &[PipelineStage], except: Option<&str>) -> AppResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > NAME_MAX_CHARS {
        return Err(AppError::field(
            "name",
            format!("A stage's name is 1–{NAME_MAX_CHARS} characters"),
        ));
    }
    if all
        .iter()
        .any(|s| Some(s.id.as_str()) != except && s.name.to_lowercase() == name.to_lowercase())
    {
        return Err(AppError::field(
            "name",
            format!("There is a stage called “{name}” already"),
        ));
    }
    Ok(name.to_string())
}

/// The key of a new stage: its name in lower case, words joined by `_` ("Quote Request" →
/// `quote_request`), with `_2`, `_3`… when taken.
pub fn key_for(name: &str, all: &[PipelineStage]) -> String {
    let base = super::slug(name, char::is_alphanumeric);
    let base = if base.is_empty() {
        "stage".to_string()
    } else {
        base
    };
    super::unused_key(base, |key| all.iter().any(|s| s.id == key))
}

async fn saved(w: &mut Writer, stage: PipelineStage) -> AppResult<PipelineStage> {
    w.emit(
        EventPayload::PipelineStageSaved(stage.clone()),
        EventAccess::everyone(),
    )
    .await?;
    Ok(stage)
}

#[utoipa::path(get, path = "/api/v1/pipeline-stages", tag = "workspace", operation_id = "listPipelineStages",
    security(("bearer" = [])), responses((status = 200, description = "In list order, archived ones included", body = Vec<PipelineStage>)))]
pub async fn list(
    State(state): State<AppState>,
    _caller: Caller,
) -> AppResult<axum::Json<Vec<PipelineStage>>> {
    let mut conn = state.read().await?;
    Ok(axum::Json(load_all(&mut conn).await?))
}

#[utoipa::path(post, path = "/api/v1/pipeline-stages", tag = "settings", operation_id = "createPipelineStage",
    security(("bearer" = [])), request_body = CreatePipelineStage,
    responses((status = 201, body = PipelineStage), (status = 400, body = ErrorBody), (status = 403, description = "Not an admin", body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<CreatePipelineStage>,
) -> AppResult<(StatusCode, axum::Json<PipelineStage>)> {
    require_admin(&caller)?;
    let mut w = state.write().await?;
    let all = load_all(w.conn()).await?;
    let name = checked_name(&body.name, &all, None)?;
    let key = key_for(&name, &all);
    let row = sqlx::query(
        "INSERT INTO pipeline_stages (key, name, position) VALUES ($1, $2, $3) RETURNING *",
    )
    .bind(&key)
    .bind(&name)
    .bind(all.len() as i64)
    .fetch_one(w.conn())
    .await?;
    let created = saved(&mut w, from_row(&row)).await?;
    w.audit(
        None,
        Some(caller.id),
        "pipeline_stage_created",
        serde_json::json!({"id": created.id, "name": name}),
    )
    .await?;
    w.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(created)))
}

#[utoipa::path(patch, path = "/api/v1/pipeline-stages/{id}", tag = "settings", operation_id = "updatePipelineStage",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "The version last seen")),
    request_body = UpdatePipelineStage,
    responses((status = 200, body = PipelineStage), (status = 400, body = ErrorBody), (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<UpdatePipelineStage>,
) -> AppResult<axum::Json<PipelineStage>> {
    require_admin(&caller)?;
    let version = if_match(&headers)?;
    let mut w = state.write().await?;
    let all = load_all(w.conn()).await?;
    let current = all
        .iter()
        .find(|s| s.id == id)
        .cloned()
        .ok_or_else(|| AppError::not_found("Pipeline stage"))?;
    if version.is_some_and(|v| v != current.version) {
        return Err(AppError::conflict(&current));
    }
    let name = match &body.name {
        Some(name) => checked_name(name, &all, Some(&current.id))?,
        None => current.name.clone(),
    };
    let archived = body.archived.unwrap_or(current.archived);
    let (order, position) = place(all, |s| s.id == current.id, body.position);
    for (at, stage) in order.iter().enumerate() {
        if stage.position as usize == at || stage.id == current.id {
            continue;
        }
        let row = sqlx::query(
            "UPDATE pipeline_stages SET position = $1, version = version + 1 WHERE key = $2 RETURNING *",
        )
        .bind(at as i64)
        .bind(&stage.id)
        .fetch_one(w.conn())
        .await?;
        saved(&mut w, from_row(&row)).await?;
    }
    let row = sqlx::query(
        "UPDATE pipeline_stages SET name = $1, archived = $2, position = $3, version = version + 1
         WHERE key = $4 RETURNING *",
    )
    .bind(&name)
    .bind(archived)
    .bind(position as i64)
    .bind(&current.id)
    .fetch_one(w.conn())
    .await?;
    let updated = saved(&mut w, from_row(&row)).await?;
    w.audit(
        None,
        Some(caller.id),
        "pipeline_stage_changed",
        serde_json::json!({"id": updated.id, "from": current, "to": updated}),
    )
    .await?;
    w.commit().await?;
    Ok(axum::Json(updated))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(id: &str) -> PipelineStage {
        PipelineStage {
            id: id.into(),
            name: id.into(),
            position: 0,
            archived: false,
            version: 1,
        }
    }

    #[test]
    fn keys_are_made_from_names_once_and_never_collide() {
        let all = vec![stage("quote_request"), stage("quote_request_2")];
        assert_eq!(key_for("Site Visit", &all), "site_visit");
        assert_eq!(key_for("  Follow-up (2nd)  ", &all), "follow_up_2nd");
        assert_eq!(key_for("Quote request", &all), "quote_request_3");
        assert_eq!(key_for("¿?", &all), "stage");
        assert_eq!(key_for("Négociation", &all), "négociation");
    }
}
