//! Teams, managed by admins: created, renamed, staffed and archived (`/teams`), and what their
//! agents must record when they resolve one of their conversations
//! (`PUT /teams/{id}/after-conversation`). Changes emit `team_updated` to everyone, so every
//! open app offers and asks for the right things at once.

use super::require_admin;
use crate::auth::Caller;
use crate::conversations::ensure_agent;
use crate::db::{Conn, DbRow, RowExt};
use crate::error::{ApiJson, AppError, AppResult, if_match, path_id};
use crate::events::EventAccess;
use crate::state::{AppState, Writer};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{patch, post, put};
use convoroom_api::*;
use sqlx::Row;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/teams", post(create))
        .route("/teams/{id}", patch(update))
        .route(
            "/teams/{id}/after-conversation",
            put(set_after_conversation),
        )
}

const NAME_MAX_CHARS: usize = 100;

/// A team from a `SELECT * FROM teams` row and its members' ids.
fn from_row(row: &DbRow, member_ids: Vec<Id>) -> Team {
    Team {
        id: row.get::<i64, _>("id").to_string(),
        name: row.get("name"),
        after_conversation: AfterConversationRules {
            disposition_required: row.flag("disposition_required"),
            wrap_up_note_required: row.flag("wrap_up_note_required"),
            hangup_source_required: row.flag("hangup_source_required"),
        },
        archived: row.flag("archived"),
        member_ids,
        waiting_alert_minutes: row
            .get::<Option<i64>, _>("waiting_alert_minutes")
            .and_then(|m| u32::try_from(m).ok()),
        version: row.get("version"),
    }
}

pub async fn load_all(conn: &mut Conn) -> AppResult<Vec<Team>> {
    let rows = sqlx::query("SELECT * FROM teams ORDER BY id")
        .fetch_all(&mut *conn)
        .await?;
    let memberships: Vec<(i64, i64)> =
        sqlx::query_as("SELECT team_id, agent_id FROM agent_teams ORDER BY agent_id")
            .fetch_all(&mut *conn)
            .await?;
    Ok(rows
        .iter()
        .map(|row| {
            let id: i64 = row.get("id");
            let members = memberships
                .iter()
                .filter(|(team, _)| *team == id)
                .map(|(_, agent)| agent.to_string())
                .collect();
            from_row(row, members)
        })
        .collect())
}

async fn load(conn: &mut Conn, id: i64) -> AppResult<Team> {
    load_all(conn)
        .await?
        .into_iter()
        .find(|t| t.id == id.to_string())
        .ok_or_else(|| AppError::not_found("Team"))
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
        .map(|r| from_row(&r, Vec::new()).after_conversation)
        .unwrap_or_default())
}

/// A new or changed team name: trimmed, 1–100 characters, unique regardless of case.
async fn checked_name(conn: &mut Conn, name: &str, except: Option<i64>) -> AppResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > NAME_MAX_CHARS {
        return Err(AppError::field(
            "name",
            format!("A team's name is 1–{NAME_MAX_CHARS} characters"),
        ));
    }
    let taken: Option<i64> =
        sqlx::query_scalar("SELECT id FROM teams WHERE LOWER(name) = LOWER($1) AND id <> $2")
            .bind(name)
            .bind(except.unwrap_or(0))
            .fetch_optional(&mut *conn)
            .await?;
    if taken.is_some() {
        return Err(AppError::field(
            "name",
            format!("There is a team called “{name}” already"),
        ));
    }
    Ok(name.to_string())
}

/// The database's own uniqueness check, for a name the case-insensitive one above missed (the
/// fuzzer found one on PostgreSQL): still a clear 400, never a 500.
fn name_taken(err: sqlx::Error, name: &str) -> AppError {
    match err.as_database_error() {
        Some(db) if db.is_unique_violation() => {
            AppError::field("name", format!("There is a team called “{name}” already"))
        }
        _ => err.into(),
    }
}

/// Replaces the team's members with `agent_ids` (each an existing agent).
async fn set_members(w: &mut Writer, team: i64, agent_ids: &[Id]) -> AppResult<()> {
    let mut ids = Vec::new();
    for (i, agent) in agent_ids.iter().enumerate() {
        ids.push(ensure_agent(w.conn(), agent, &format!("member_ids[{i}]")).await?);
    }
    ids.sort_unstable();
    ids.dedup();
    let before: Vec<i64> =
        sqlx::query_scalar("SELECT agent_id FROM agent_teams WHERE team_id = $1 ORDER BY agent_id")
            .bind(team)
            .fetch_all(w.conn())
            .await?;
    sqlx::query("DELETE FROM agent_teams WHERE team_id = $1")
        .bind(team)
        .execute(w.conn())
        .await?;
    for agent in &ids {
        sqlx::query("INSERT INTO agent_teams (agent_id, team_id) VALUES ($1, $2)")
            .bind(agent)
            .bind(team)
            .execute(w.conn())
            .await?;
    }
    // Who joined or left now sees other conversations: their apps hear of it and their
    // streams are filtered anew.
    let changed = before
        .iter()
        .filter(|a| !ids.contains(a))
        .chain(ids.iter().filter(|a| !before.contains(a)));
    for agent in changed {
        crate::agents::saved(w, *agent).await?;
        crate::agents::restart_streams(w, *agent).await?;
    }
    Ok(())
}

#[utoipa::path(post, path = "/api/v1/teams", operation_id = "createTeam", tag = "settings", security(("bearer" = [])),
    request_body = CreateTeam,
    responses((status = 201, body = Team), (status = 400, body = ErrorBody), (status = 403, description = "Not an admin", body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<CreateTeam>,
) -> AppResult<(StatusCode, axum::Json<Team>)> {
    require_admin(&caller)?;
    let mut w = state.write().await?;
    let name = checked_name(w.conn(), &body.name, None).await?;
    let id: i64 = sqlx::query_scalar("INSERT INTO teams (name) VALUES ($1) RETURNING id")
        .bind(&name)
        .fetch_one(w.conn())
        .await
        .map_err(|err| name_taken(err, &name))?;
    set_members(&mut w, id, &body.member_ids).await?;
    let team = load(w.conn(), id).await?;
    w.emit(
        EventPayload::TeamUpdated(team.clone()),
        EventAccess::everyone(),
    )
    .await?;
    w.audit(
        None,
        Some(caller.id),
        "team_created",
        serde_json::json!({"team_id": team.id, "name": team.name}),
    )
    .await?;
    w.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(team)))
}

#[utoipa::path(patch, path = "/api/v1/teams/{id}", operation_id = "updateTeam", tag = "settings", security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "The version last seen")),
    request_body = UpdateTeam,
    responses((status = 200, body = Team), (status = 400, body = ErrorBody), (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<UpdateTeam>,
) -> AppResult<axum::Json<Team>> {
    require_admin(&caller)?;
    let version = if_match(&headers)?;
    let id = path_id(&id, "Team")?;
    let mut w = state.write().await?;
    let current = load(w.conn(), id).await?;
    if version.is_some_and(|v| v != current.version) {
        return Err(AppError::conflict(&current));
    }
    let name = match &body.name {
        Some(name) => Some(checked_name(w.conn(), name, Some(id)).await?),
        None => None,
    };
    if body.archived == Some(true) && !current.archived {
        let others: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM teams WHERE archived = FALSE AND id <> $1")
                .bind(id)
                .fetch_one(w.conn())
                .await?;
        if others == 0 {
            return Err(AppError::field(
                "archived",
                "The last active team cannot be archived: new conversations need one",
            ));
        }
    }
    if let Some(members) = &body.member_ids {
        set_members(&mut w, id, members).await?;
    }
    if let Some(minutes) = body.waiting_alert_minutes {
        let max = crate::notifications::waiting::MAX_MINUTES;
        if minutes.is_some_and(|m| m == 0 || m > max) {
            return Err(AppError::field(
                "waiting_alert_minutes",
                format!("Between 1 and {max} minutes, or none"),
            ));
        }
        sqlx::query("UPDATE teams SET waiting_alert_minutes = $1 WHERE id = $2")
            .bind(minutes.map(i64::from))
            .bind(id)
            .execute(w.conn())
            .await?;
    }
    sqlx::query(
        "UPDATE teams SET name = COALESCE($1, name), archived = COALESCE($2, archived),
            version = version + 1 WHERE id = $3",
    )
    .bind(&name)
    .bind(body.archived)
    .bind(id)
    .execute(w.conn())
    .await
    .map_err(|err| name_taken(err, name.as_deref().unwrap_or_default()))?;
    let team = load(w.conn(), id).await?;
    w.emit(
        EventPayload::TeamUpdated(team.clone()),
        EventAccess::everyone(),
    )
    .await?;
    w.audit(
        None,
        Some(caller.id),
        "team_updated",
        serde_json::json!({"team_id": team.id, "name": team.name, "archived": team.archived,
            "member_ids": team.member_ids, "waiting_alert_minutes": team.waiting_alert_minutes}),
    )
    .await?;
    w.commit().await?;
    Ok(axum::Json(team))
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
    let current = load(w.conn(), id).await?;
    if version.is_some_and(|v| v != current.version) {
        return Err(AppError::conflict(&current));
    }
    sqlx::query(
        "UPDATE teams SET disposition_required = $1, wrap_up_note_required = $2,
            hangup_source_required = $3, version = version + 1 WHERE id = $4",
    )
    .bind(rules.disposition_required)
    .bind(rules.wrap_up_note_required)
    .bind(rules.hangup_source_required)
    .bind(id)
    .execute(w.conn())
    .await?;
    let team = load(w.conn(), id).await?;
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
