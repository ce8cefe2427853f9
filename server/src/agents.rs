//! Agents, managed by admins: added with a temporary password shown once, renamed, given a
//! role and teams, deactivated (their sessions, API tokens and event streams end at once; their
//! conversations stay theirs until reassigned) and reactivated, their password reset. The last
//! active admin can be neither demoted nor deactivated. Every change emits `agent_saved`.

use crate::auth::{Caller, hash_password, load_agent};
use crate::conversations::ensure_agent;
use crate::error::{ApiJson, AppError, AppResult, body_id, path_id};
use crate::events::EventAccess;
use crate::state::{AppState, Writer};
use crate::util;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{patch, post};
use convoroom_api::*;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/agents", post(create))
        .route("/agents/{id}", patch(update))
        .route("/agents/{id}/reset-password", post(reset_password))
}

const NAME_MAX_CHARS: usize = 100;

fn require_admin(caller: &Caller) -> AppResult<()> {
    if caller.is_admin() {
        Ok(())
    } else {
        Err(AppError::forbidden("Only admins manage agents"))
    }
}

pub(crate) fn checked_name(name: &str) -> AppResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > NAME_MAX_CHARS {
        return Err(AppError::field(
            "name",
            format!("A name is 1–{NAME_MAX_CHARS} characters"),
        ));
    }
    Ok(name.to_string())
}

pub fn role_name(role: Role) -> &'static str {
    match role {
        Role::Admin => "admin",
        Role::Agent => "agent",
    }
}

/// Twelve characters from a 256-bit random token: easy to type once, then changed.
fn temporary_password() -> String {
    util::random_token().chars().take(12).collect()
}

async fn hashed(password: &str) -> AppResult<String> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|_| AppError::internal())
}

pub(crate) async fn set_teams(w: &mut Writer, agent: i64, team_ids: &[Id]) -> AppResult<()> {
    let mut teams = Vec::new();
    for (i, team) in team_ids.iter().enumerate() {
        let field = format!("team_ids[{i}]");
        let id = body_id(team, &field)?;
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM teams WHERE id = $1")
            .bind(id)
            .fetch_optional(w.conn())
            .await?;
        exists.ok_or_else(|| AppError::field(&field, "No team has this id"))?;
        teams.push(id);
    }
    teams.sort_unstable();
    teams.dedup();
    sqlx::query("DELETE FROM agent_teams WHERE agent_id = $1")
        .bind(agent)
        .execute(w.conn())
        .await?;
    for team in teams {
        sqlx::query("INSERT INTO agent_teams (agent_id, team_id) VALUES ($1, $2)")
            .bind(agent)
            .bind(team)
            .execute(w.conn())
            .await?;
    }
    Ok(())
}

/// Ends everything the agent is signed in with: sessions deleted, API tokens kept but refused
/// while deactivated (`caller_from_hash`), and every event stream they opened closed.
async fn sign_out_everywhere(w: &mut Writer, agent: i64) -> AppResult<()> {
    let hashes: Vec<String> = sqlx::query_scalar(
        "SELECT token_hash FROM auth_tokens WHERE agent_id = $1 AND kind IN ('session', 'api')",
    )
    .bind(agent)
    .fetch_all(w.conn())
    .await?;
    sqlx::query("DELETE FROM auth_tokens WHERE agent_id = $1 AND kind = 'session'")
        .bind(agent)
        .execute(w.conn())
        .await?;
    for hash in hashes {
        w.revoke(&hash).await?;
    }
    Ok(())
}

/// Ends the agent's open event streams without signing them out: a stream filters by the
/// teams it was opened with, so after a change of teams or role the app reconnects and is
/// filtered anew.
pub(crate) async fn restart_streams(w: &mut Writer, agent: i64) -> AppResult<()> {
    let hashes: Vec<String> = sqlx::query_scalar(
        "SELECT token_hash FROM auth_tokens WHERE agent_id = $1 AND kind IN ('session', 'api')",
    )
    .bind(agent)
    .fetch_all(w.conn())
    .await?;
    for hash in hashes {
        w.revoke(&hash).await?;
    }
    Ok(())
}

pub(crate) async fn saved(w: &mut Writer, id: i64) -> AppResult<Agent> {
    let agent = load_agent(w.conn(), id).await?;
    w.emit(
        EventPayload::AgentSaved(agent.clone()),
        EventAccess::everyone(),
    )
    .await?;
    Ok(agent)
}

#[utoipa::path(post, path = "/api/v1/agents", operation_id = "createAgent", tag = "settings", security(("bearer" = [])),
    request_body = CreateAgent,
    responses((status = 201, description = "With a temporary password, shown this once", body = AgentWithPassword),
        (status = 400, description = "A field is invalid, or the email is taken", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<CreateAgent>,
) -> AppResult<(StatusCode, axum::Json<AgentWithPassword>)> {
    require_admin(&caller)?;
    let name = checked_name(&body.name)?;
    let email = validate::email(&body.email)
        .map_err(|message| AppError::field("email", message))?
        .to_lowercase();
    let password = temporary_password();
    let hash = hashed(&password).await?;
    let mut w = state.write().await?;
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM agents WHERE LOWER(email) = $1")
        .bind(&email)
        .fetch_optional(w.conn())
        .await?;
    if taken.is_some() {
        return Err(AppError::field(
            "email",
            "Another agent already has this email",
        ));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO agents (name, email, password_hash, role, availability) VALUES ($1, $2, $3, $4, 'offline') RETURNING id",
    )
    .bind(&name)
    .bind(&email)
    .bind(hash)
    .bind(role_name(body.role.unwrap_or(Role::Agent)))
    .fetch_one(w.conn())
    .await?;
    set_teams(&mut w, id, &body.team_ids).await?;
    let agent = saved(&mut w, id).await?;
    w.audit(
        None,
        Some(caller.id),
        "agent_created",
        serde_json::json!({"agent_id": agent.id}),
    )
    .await?;
    w.commit().await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(AgentWithPassword {
            agent,
            temporary_password: password,
        }),
    ))
}

/// Refuses to leave the workspace without an active admin.
pub(crate) async fn keeps_an_admin(w: &mut Writer, id: i64, field: &str) -> AppResult<()> {
    let others: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM agents WHERE role = 'admin' AND active = TRUE AND id <> $1",
    )
    .bind(id)
    .fetch_one(w.conn())
    .await?;
    if others == 0 {
        return Err(AppError::field(
            field,
            "This is the last active admin: make someone else an admin first",
        ));
    }
    Ok(())
}

#[utoipa::path(patch, path = "/api/v1/agents/{id}", operation_id = "updateAgent", tag = "settings", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = UpdateAgent,
    responses((status = 200, body = Agent), (status = 400, body = ErrorBody), (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<UpdateAgent>,
) -> AppResult<axum::Json<Agent>> {
    require_admin(&caller)?;
    let id = path_id(&id, "Agent")?;
    let name = body.name.as_deref().map(checked_name).transpose()?;
    let mut w = state.write().await?;
    let current = load_agent(w.conn(), id).await?;
    let stays_admin = body.role.unwrap_or(current.role) == Role::Admin;
    let stays_active = body.active.unwrap_or(current.active);
    if current.role == Role::Admin && current.active && !(stays_admin && stays_active) {
        let field = if stays_active { "role" } else { "active" };
        keeps_an_admin(&mut w, id, field).await?;
    }
    if let Some(teams) = &body.team_ids {
        set_teams(&mut w, id, teams).await?;
    }
    sqlx::query(
        "UPDATE agents SET name = COALESCE($1, name), role = COALESCE($2, role),
            active = COALESCE($3, active) WHERE id = $4",
    )
    .bind(name)
    .bind(body.role.map(role_name))
    .bind(body.active)
    .bind(id)
    .execute(w.conn())
    .await?;
    if current.active && !stays_active {
        sign_out_everywhere(&mut w, id).await?;
    }
    let agent = saved(&mut w, id).await?;
    if stays_active && (agent.team_ids != current.team_ids || agent.role != current.role) {
        restart_streams(&mut w, id).await?;
    }
    w.audit(
        None,
        Some(caller.id),
        "agent_updated",
        serde_json::json!({"agent_id": agent.id, "from": current, "to": agent}),
    )
    .await?;
    w.commit().await?;
    Ok(axum::Json(agent))
}

#[utoipa::path(post, path = "/api/v1/agents/{id}/reset-password", operation_id = "resetAgentPassword", tag = "settings", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, description = "A new temporary password, shown this once; the agent's sessions end", body = AgentWithPassword),
        (status = 403, description = "Not an admin", body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn reset_password(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<axum::Json<AgentWithPassword>> {
    require_admin(&caller)?;
    let id = path_id(&id, "Agent")?;
    let password = temporary_password();
    let hash = hashed(&password).await?;
    let mut w = state.write().await?;
    ensure_agent(w.conn(), &id.to_string(), "id").await?;
    sqlx::query("UPDATE agents SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(id)
        .execute(w.conn())
        .await?;
    // Whoever knew the old password is signed out.
    let sessions: Vec<String> = sqlx::query_scalar(
        "DELETE FROM auth_tokens WHERE agent_id = $1 AND kind = 'session' RETURNING token_hash",
    )
    .bind(id)
    .fetch_all(w.conn())
    .await?;
    for hash in sessions {
        w.revoke(&hash).await?;
    }
    w.audit(
        None,
        Some(caller.id),
        "agent_password_reset",
        serde_json::json!({"agent_id": id.to_string()}),
    )
    .await?;
    let agent = load_agent(w.conn(), id).await?;
    w.commit().await?;
    Ok(axum::Json(AgentWithPassword {
        agent,
        temporary_password: password,
    }))
}
