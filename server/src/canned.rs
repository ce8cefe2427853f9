//! `/canned-responses`: snippets agents insert into the composer. Each agent keeps their own
//! personal ones, which nobody else sees (404 to anyone else, admins included); admins keep
//! the shared ones, for every agent or one team's (403 to agents who may use but not change
//! them). Every change emits `canned_responses_changed`: a personal one's to its owner only,
//! a shared one's to everyone, whose apps read the list again.

use crate::auth::Caller;
use crate::db::{Conn, DbRow};
use crate::error::{ApiJson, AppError, AppResult, body_id, if_match, path_id};
use crate::events::EventAccess;
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
        .route("/canned-responses", get(list).post(create))
        .route("/canned-responses/{id}", patch(update).delete(delete))
}

fn from_row(row: &DbRow) -> CannedResponse {
    CannedResponse {
        id: row.get::<i64, _>("id").to_string(),
        short_code: row.get("short_code"),
        title: row.get("title"),
        body: row.get("body"),
        scope: CannedScope::parse(&row.get::<String, _>("scope")).unwrap_or(CannedScope::Shared),
        team_id: row
            .get::<Option<i64>, _>("team_id")
            .map(|id| id.to_string()),
        owner_id: row
            .get::<Option<i64>, _>("owner_id")
            .map(|id| id.to_string()),
        version: row.get("version"),
    }
}

/// The SQL condition for the responses `caller` may use: their personal ones, and the shared
/// ones for everyone or their teams (admins: every shared one, which they keep).
fn usable_sql(caller: &Caller) -> String {
    let me = caller.id;
    if caller.is_admin() {
        format!("((scope = 'personal' AND owner_id = {me}) OR scope = 'shared')")
    } else {
        format!(
            "((scope = 'personal' AND owner_id = {me}) OR (scope = 'shared' AND (team_id IS NULL OR team_id IN ({teams}))))",
            teams = util::id_list_sql(&caller.team_ids)
        )
    }
}

/// The response a write is about: 404 when the caller may not even see it (another agent's
/// personal one), 403 when they see it but may not change it (a shared one, for an agent),
/// 409 when their `If-Match` version is not the current one.
async fn load_for_write(
    conn: &mut Conn,
    caller: &Caller,
    id: &str,
    version: Option<i64>,
) -> AppResult<CannedResponse> {
    let id = path_id(id, "Canned response")?;
    let row = sqlx::query(&format!(
        "SELECT * FROM canned_responses WHERE id = $1 AND {}",
        usable_sql(caller)
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| AppError::not_found("Canned response"))?;
    let current = from_row(&row);
    if current.scope == CannedScope::Shared && !caller.is_admin() {
        return Err(AppError::forbidden(
            "Only admins change shared canned responses; add a personal one of your own instead",
        ));
    }
    if version.is_some_and(|v| v != current.version) {
        return Err(AppError::conflict(&current));
    }
    Ok(current)
}

/// A short code checked and not yet used in its scope (the owner's personal ones, or the
/// shared ones): 400 naming `short_code` otherwise.
async fn free_short_code(
    conn: &mut Conn,
    text: &str,
    scope: CannedScope,
    owner_id: Option<i64>,
    except: Option<i64>,
) -> AppResult<String> {
    let code = canned_short_code(text).map_err(|m| AppError::field("short_code", m))?;
    let taken = sqlx::query(
        "SELECT id FROM canned_responses WHERE short_code = $1 AND scope = $2
         AND ($3 IS NULL OR owner_id = $3) AND ($4 IS NULL OR id <> $4)",
    )
    .bind(&code)
    .bind(scope.as_str())
    .bind(owner_id)
    .bind(except)
    .fetch_optional(&mut *conn)
    .await?
    .is_some();
    if taken {
        let whose = match scope {
            CannedScope::Personal => "You already have a canned response",
            CannedScope::Shared => "There is already a shared canned response",
        };
        return Err(AppError::field(
            "short_code",
            format!("{whose} with the short code “/{code}”: choose another."),
        ));
    }
    Ok(code)
}

/// A shared response's team: an existing team's id (400 naming `team_id` otherwise).
async fn checked_team(conn: &mut Conn, team_id: &str) -> AppResult<i64> {
    let id = body_id(team_id, "team_id")?;
    let exists = sqlx::query("SELECT id FROM teams WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .is_some();
    if !exists {
        return Err(AppError::field(
            "team_id",
            "team_id is not a team of this workspace",
        ));
    }
    Ok(id)
}

/// Tells the apps that may use `response` to read their list again.
async fn changed(w: &mut Writer, response: &CannedResponse) -> AppResult<()> {
    let access = match response.owner_id.as_deref().and_then(util::parse_id) {
        Some(owner) if response.scope == CannedScope::Personal => EventAccess::owner(owner),
        _ => EventAccess::everyone(),
    };
    w.emit(
        EventPayload::CannedResponsesChanged {
            scope: response.scope,
        },
        access,
    )
    .await?;
    Ok(())
}

#[utoipa::path(get, path = "/api/v1/canned-responses", tag = "canned-responses", operation_id = "listCannedResponses",
    security(("bearer" = [])),
    responses((status = 200, description = "What the caller may use: their personal ones, then the shared ones for everyone or their teams (admins: every shared one), each by short code", body = Vec<CannedResponse>)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> AppResult<axum::Json<Vec<CannedResponse>>> {
    let mut conn = state.read().await?;
    let rows = sqlx::query(&format!(
        "SELECT * FROM canned_responses WHERE {} ORDER BY scope, short_code, id",
        usable_sql(&caller)
    ))
    .fetch_all(&mut *conn)
    .await?;
    Ok(axum::Json(rows.iter().map(from_row).collect()))
}

#[utoipa::path(post, path = "/api/v1/canned-responses", tag = "canned-responses", operation_id = "createCannedResponse",
    security(("bearer" = [])), request_body = NewCannedResponse,
    responses((status = 201, body = CannedResponse), (status = 400, body = ErrorBody),
        (status = 403, description = "A shared response, by an agent", body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<NewCannedResponse>,
) -> AppResult<(StatusCode, axum::Json<CannedResponse>)> {
    let scope = body.scope.unwrap_or(CannedScope::Personal);
    if scope == CannedScope::Shared && !caller.is_admin() {
        return Err(AppError::forbidden(
            "Only admins add shared canned responses; add a personal one instead",
        ));
    }
    if scope == CannedScope::Personal && body.team_id.is_some() {
        return Err(AppError::field(
            "team_id",
            "A personal canned response is yours alone: only shared ones are for a team",
        ));
    }
    let title = canned_title(body.title.as_deref()).map_err(|m| AppError::field("title", m))?;
    let text = canned_body(&body.body).map_err(|m| AppError::field("body", m))?;
    let owner_id = (scope == CannedScope::Personal).then_some(caller.id);
    let mut w = state.write().await?;
    let team_id = match &body.team_id {
        Some(team) => Some(checked_team(w.conn(), team).await?),
        None => None,
    };
    let short_code = free_short_code(w.conn(), &body.short_code, scope, owner_id, None).await?;
    let row = sqlx::query(
        "INSERT INTO canned_responses (short_code, title, body, scope, team_id, owner_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *",
    )
    .bind(&short_code)
    .bind(&title)
    .bind(&text)
    .bind(scope.as_str())
    .bind(team_id)
    .bind(owner_id)
    .bind(util::now())
    .fetch_one(w.conn())
    .await?;
    let created = from_row(&row);
    changed(&mut w, &created).await?;
    w.audit(
        None,
        Some(caller.id),
        "canned_response_created",
        serde_json::json!({"id": created.id, "short_code": created.short_code, "scope": scope}),
    )
    .await?;
    w.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(created)))
}

#[utoipa::path(patch, path = "/api/v1/canned-responses/{id}", tag = "canned-responses", operation_id = "updateCannedResponse",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "The version last seen")),
    request_body = UpdateCannedResponse,
    responses((status = 200, body = CannedResponse), (status = 400, body = ErrorBody),
        (status = 403, description = "A shared response, by an agent", body = ErrorBody),
        (status = 404, description = "Unknown, or another agent's personal response", body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<UpdateCannedResponse>,
) -> AppResult<axum::Json<CannedResponse>> {
    let version = if_match(&headers)?;
    let mut w = state.write().await?;
    let current = load_for_write(w.conn(), &caller, &id, version).await?;
    let id = path_id(&current.id, "Canned response")?;
    let owner_id = current.owner_id.as_deref().and_then(util::parse_id);
    let short_code = match &body.short_code {
        Some(code) => free_short_code(w.conn(), code, current.scope, owner_id, Some(id)).await?,
        None => current.short_code.clone(),
    };
    let title = match &body.title {
        Some(title) => canned_title(Some(title)).map_err(|m| AppError::field("title", m))?,
        None => current.title.clone(),
    };
    let text = match &body.body {
        Some(text) => canned_body(text).map_err(|m| AppError::field("body", m))?,
        None => current.body.clone(),
    };
    let team_id = match &body.team_id {
        Some(Some(_)) if current.scope == CannedScope::Personal => {
            return Err(AppError::field(
                "team_id",
                "A personal canned response is yours alone: only shared ones are for a team",
            ));
        }
        Some(Some(team)) => Some(checked_team(w.conn(), team).await?),
        Some(None) => None,
        None => current.team_id.as_deref().and_then(util::parse_id),
    };
    let row = sqlx::query(
        "UPDATE canned_responses SET short_code = $1, title = $2, body = $3, team_id = $4,
         version = version + 1 WHERE id = $5 RETURNING *",
    )
    .bind(&short_code)
    .bind(&title)
    .bind(&text)
    .bind(team_id)
    .bind(id)
    .fetch_one(w.conn())
    .await?;
    let updated = from_row(&row);
    changed(&mut w, &updated).await?;
    // A shared response moved to another team also leaves the first team's lists: `changed`
    // tells everyone, so both read theirs again.
    w.audit(
        None,
        Some(caller.id),
        "canned_response_changed",
        serde_json::json!({"id": updated.id, "from": current, "to": updated}),
    )
    .await?;
    w.commit().await?;
    Ok(axum::Json(updated))
}

#[utoipa::path(delete, path = "/api/v1/canned-responses/{id}", tag = "canned-responses", operation_id = "deleteCannedResponse",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "The version last seen")),
    responses((status = 204, description = "Deleted"),
        (status = 403, description = "A shared response, by an agent", body = ErrorBody),
        (status = 404, description = "Unknown, or another agent's personal response", body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    let version = if_match(&headers)?;
    let mut w = state.write().await?;
    let current = load_for_write(w.conn(), &caller, &id, version).await?;
    sqlx::query("DELETE FROM canned_responses WHERE id = $1")
        .bind(path_id(&current.id, "Canned response")?)
        .execute(w.conn())
        .await?;
    changed(&mut w, &current).await?;
    w.audit(
        None,
        Some(caller.id),
        "canned_response_deleted",
        serde_json::json!({"id": current.id, "short_code": current.short_code, "scope": current.scope}),
    )
    .await?;
    w.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
