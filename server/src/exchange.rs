//! Each agent as themselves in an embedded panel: a host helpdesk's backend holds an `embed`
//! API token, keeps its agents in step (`PUT /agents/by-external-id/{id}`) and exchanges the
//! token for a 15-minute session of the agent at the keyboard (`POST /auth/exchange`), which it
//! hands to the panel's `getToken`. Or the host signs a short JWT with the token's secret and
//! the panel (or anyone holding it) exchanges that instead (`jwt.rs`). Everything done in the
//! panel is then that agent's: notes, assignments, audit, presence and team access.

use crate::agents::{checked_name, keeps_an_admin, role_name, saved, set_teams};
use crate::auth::{AnyCaller, Caller, new_session};
use crate::error::{ApiJson, AppError, AppResult};
use crate::state::AppState;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{post, put};
use convoroom_api::*;
use sqlx::Row;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/exchange", post(exchange))
        .route("/agents/by-external-id/{external_id}", put(sync_agent))
}

/// How long an exchanged session lasts: the panel asks its host for a new one before then.
pub const EXCHANGED_SESSION_MINUTES: i64 = 15;
const EXTERNAL_ID_MAX_CHARS: usize = 200;
/// The password "hash" of agents created by a sync: no password matches it.
const NO_PASSWORD: &str = "!no-password";

fn trimmed(text: Option<&String>) -> Option<&str> {
    text.map(|t| t.trim()).filter(|t| !t.is_empty())
}

#[utoipa::path(post, path = "/api/v1/auth/exchange", operation_id = "exchangeEmbedToken", tag = "auth", security(("bearer" = []), ()), request_body = ExchangeSession,
    responses(
        (status = 200, description = "A session of the agent, valid 15 minutes", body = Session),
        (status = 401, description = "No embed token, or a JWT that is not valid (the message says why)", body = ErrorBody),
        (status = 403, description = "Not an embed token, or the agent is an admin", body = ErrorBody),
        (status = 404, description = "No agent has this external id or email", body = ErrorBody)))]
pub async fn exchange(
    State(state): State<AppState>,
    caller: Option<AnyCaller>,
    ApiJson(body): ApiJson<ExchangeSession>,
) -> AppResult<axum::Json<Session>> {
    let (external_id, email) = match (&body.jwt, caller) {
        (Some(jwt), _) => {
            let claims = verified_jwt(&state, jwt).await?;
            (claims.sub, claims.email)
        }
        (None, Some(AnyCaller(caller))) if caller.scope == Some(TokenScope::Embed) => {
            (body.external_id.clone(), body.email.clone())
        }
        (None, Some(_)) => {
            return Err(AppError::forbidden(
                "Only an embed token exchanges for an agent's session (POST /tokens with scope embed)",
            ));
        }
        (None, None) => return Err(AppError::unauthorized()),
    };
    let (column, value) = match (trimmed(external_id.as_ref()), trimmed(email.as_ref())) {
        (Some(id), None) => ("external_id", id.to_string()),
        (None, Some(email)) => ("email", email.to_lowercase()),
        _ => {
            return Err(AppError::field(
                "external_id",
                "Name the agent by external_id or by email (one of them)",
            ));
        }
    };
    let mut w = state.write().await?;
    let sql = if column == "email" {
        "SELECT id, role FROM agents WHERE LOWER(email) = $1 AND active = TRUE"
    } else {
        "SELECT id, role FROM agents WHERE external_id = $1 AND active = TRUE"
    };
    let row = sqlx::query(sql)
        .bind(&value)
        .fetch_optional(w.conn())
        .await?
        .ok_or_else(|| AppError::not_found("Agent"))?;
    if row.get::<String, _>("role") == "admin" {
        return Err(AppError::forbidden(
            "An embed token signs in agents, never admins",
        ));
    }
    let agent_id: i64 = row.get("id");
    let session = new_session(
        &mut w,
        agent_id,
        time::Duration::minutes(EXCHANGED_SESSION_MINUTES),
    )
    .await?;
    w.commit().await?;
    tracing::info!(agent_id, "embed token exchanged for a session");
    Ok(axum::Json(session))
}

/// The claims of a host-signed JWT, checked against the embed token its `kid` names (which
/// must still exist, issued by an active admin).
async fn verified_jwt(state: &AppState, jwt: &str) -> AppResult<crate::jwt::Claims> {
    let kid = crate::jwt::key_id(jwt)?;
    let unknown = || {
        AppError::new(
            ErrorCode::Unauthorized,
            "The JWT is not valid: its kid names no embed token",
        )
    };
    let id: i64 = kid.parse().map_err(|_| unknown())?;
    let mut conn = state.read().await?;
    let secret: Option<String> = sqlx::query_scalar(
        "SELECT t.jwt_secret FROM auth_tokens t JOIN agents a ON a.id = t.agent_id
         WHERE t.id = $1 AND t.kind = 'api' AND t.scope = 'embed' AND a.active = TRUE
           AND a.role = 'admin'",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .flatten();
    let secret = secret.ok_or_else(unknown)?;
    crate::jwt::verify(
        jwt,
        &secret,
        time::OffsetDateTime::now_utc().unix_timestamp(),
    )
}

#[utoipa::path(put, path = "/api/v1/agents/by-external-id/{external_id}", operation_id = "syncAgentByExternalId", tag = "workspace", security(("bearer" = [])),
    params(("external_id" = String, Path, description = "The host helpdesk's id for the agent")), request_body = SyncAgent,
    responses(
        (status = 201, description = "Created (no password: they sign in through the exchange until one is set)", body = Agent),
        (status = 200, description = "Updated, or linked to the agent who already had this email", body = Agent),
        (status = 400, body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody)))]
pub async fn sync_agent(
    State(state): State<AppState>,
    caller: Caller,
    Path(external_id): Path<String>,
    ApiJson(body): ApiJson<SyncAgent>,
) -> AppResult<(StatusCode, axum::Json<Agent>)> {
    if !caller.is_admin() {
        return Err(AppError::forbidden("Only admins manage agents"));
    }
    let external_id = external_id.trim().to_string();
    if external_id.is_empty() || external_id.chars().count() > EXTERNAL_ID_MAX_CHARS {
        return Err(AppError::field(
            "external_id",
            format!("An external id is 1–{EXTERNAL_ID_MAX_CHARS} characters"),
        ));
    }
    let name = checked_name(&body.name)?;
    let email = validate::email(&body.email)
        .map_err(|message| AppError::field("email", message))?
        .to_lowercase();
    let role = body.role.unwrap_or(Role::Agent);
    let mut w = state.write().await?;
    let by_id = sqlx::query("SELECT id, role FROM agents WHERE external_id = $1")
        .bind(&external_id)
        .fetch_optional(w.conn())
        .await?;
    let by_email = sqlx::query("SELECT id, role, external_id FROM agents WHERE LOWER(email) = $1")
        .bind(&email)
        .fetch_optional(w.conn())
        .await?;
    let existing = match (&by_id, &by_email) {
        (Some(row), Some(other)) if other.get::<i64, _>("id") != row.get::<i64, _>("id") => {
            return Err(AppError::field(
                "email",
                "Another agent already has this email",
            ));
        }
        (Some(row), _) => Some(row),
        // First sync of an agent who exists already: linked by email.
        (None, Some(row)) if row.get::<Option<String>, _>("external_id").is_none() => Some(row),
        (None, Some(_)) => {
            return Err(AppError::field(
                "email",
                "Another agent already has this email",
            ));
        }
        (None, None) => None,
    };
    let existing_role: Option<String> = existing.map(|row| row.get("role"));
    let (id, status) = match existing {
        Some(row) => {
            let id: i64 = row.get("id");
            if row.get::<String, _>("role") == "admin" && role != Role::Admin {
                keeps_an_admin(&mut w, id, "role").await?;
            }
            sqlx::query(
                "UPDATE agents SET name = $1, email = $2, role = $3, external_id = $4 WHERE id = $5",
            )
            .bind(&name)
            .bind(&email)
            .bind(role_name(role))
            .bind(&external_id)
            .bind(id)
            .execute(w.conn())
            .await?;
            (id, StatusCode::OK)
        }
        None => {
            // Not a hash of anything (sign-in refuses it): they sign in through the exchange
            // until a password is set.
            let password_hash = NO_PASSWORD;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO agents (name, email, password_hash, role, availability, external_id)
                 VALUES ($1, $2, $3, $4, 'offline', $5) RETURNING id",
            )
            .bind(&name)
            .bind(&email)
            .bind(password_hash)
            .bind(role_name(role))
            .bind(&external_id)
            .fetch_one(w.conn())
            .await?;
            (id, StatusCode::CREATED)
        }
    };
    let before = match status {
        StatusCode::OK => Some(crate::auth::load_agent(w.conn(), id).await?),
        _ => None,
    };
    set_teams(&mut w, id, &body.team_ids).await?;
    // Every open app learns of the agent, as for the other changes to agents.
    let agent = saved(&mut w, id).await?;
    let old_role = existing_role.as_deref().unwrap_or("agent");
    if before.is_some_and(|b| b.team_ids != agent.team_ids) || old_role != role_name(role) {
        crate::agents::restart_streams(&mut w, id).await?;
    }
    w.audit(
        None,
        Some(caller.id),
        "agent_synced",
        serde_json::json!({"agent_id": id.to_string(), "external_id": external_id}),
    )
    .await?;
    w.commit().await?;
    Ok((status, axum::Json(agent)))
}
