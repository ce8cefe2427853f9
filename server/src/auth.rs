//! Sign-in, bearer tokens (sessions and API tokens), the caller extractor and rate limiting.

use crate::db::{Conn, RowExt};
use crate::error::{ApiJson, AppError, AppResult};
use crate::state::AppState;
use crate::util;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::Router;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use convoroom_api::{Agent, ErrorCode, Role, Session, SignIn, TokenScope};
use sqlx::Row;
use std::net::SocketAddr;

const SESSION_DAYS: i64 = 7;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/sign-in", axum::routing::post(sign_in))
        .route("/auth/sign-out", axum::routing::post(sign_out))
}

fn argon2() -> Argon2<'static> {
    // OWASP's minimum (m=19 MiB, t=2, p=1): safe and quick enough for debug builds.
    Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(19456, 2, 1, None).expect("valid params"),
    )
}

pub fn hash_password(password: &str) -> String {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("the OS random source is available");
    let salt = SaltString::encode_b64(&salt).expect("16 bytes is a valid salt");
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .expect("hashing works")
        .to_string()
}

pub(crate) fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// The authenticated agent behind a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub id: i64,
    pub role: Role,
    pub team_ids: Vec<i64>,
    /// `Some` for API tokens, `None` for sessions.
    pub scope: Option<TokenScope>,
    /// SHA-256 of the token the request (or its stream ticket) came with.
    pub token_hash: String,
}

impl Caller {
    /// An admin's session or a token acting as them; an embed token is never an admin's (it
    /// only signs agents in).
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin && self.scope != Some(TokenScope::Embed)
    }

    /// Signed in with a session, not an API token.
    pub fn is_session(&self) -> bool {
        self.scope.is_none()
    }

    /// SQL condition (over alias `c` of conversations) for what this caller may see.
    /// Ids are integers from the database, so inlining them is safe.
    pub fn visibility_sql(&self) -> String {
        if self.is_admin() {
            return "1=1".into();
        }
        format!(
            "(c.team_id IN ({teams}) OR c.assignee_id = {me} OR c.id IN (SELECT cc.conversation_id FROM conversation_collaborators cc WHERE cc.agent_id = {me}))",
            teams = util::id_list_sql(&self.team_ids),
            me = self.id
        )
    }
}

/// The caller behind a token's SHA-256, `None` when it is unknown, revoked or expired.
pub async fn caller_from_hash(conn: &mut Conn, hash: &str) -> AppResult<Option<Caller>> {
    // One row per team of the agent (one without a team): every request asks this, so it is
    // one round trip.
    let rows = sqlx::query(
        "SELECT t.agent_id, t.kind, t.scope, t.expires_at, a.role, a.active, m.team_id
         FROM auth_tokens t JOIN agents a ON a.id = t.agent_id
         LEFT JOIN agent_teams m ON m.agent_id = t.agent_id
         WHERE t.token_hash = $1 ORDER BY m.team_id",
    )
    .bind(hash)
    .fetch_all(&mut *conn)
    .await?;
    let Some(row) = rows.first() else {
        return Ok(None);
    };
    if let Some(expires) = row.get::<Option<String>, _>("expires_at")
        && expires < util::now()
    {
        return Ok(None);
    }
    // A deactivated agent's sessions and API tokens stop at once; an integration's token (made
    // by an admin) keeps delivering whoever made it.
    if !row.flag("active") && row.get::<String, _>("kind") != "integration" {
        return Ok(None);
    }
    let id: i64 = row.get("agent_id");
    let role = if row.get::<String, _>("role") == "admin" {
        Role::Admin
    } else {
        Role::Agent
    };
    let scope = match (
        row.get::<String, _>("kind").as_str(),
        row.get::<Option<String>, _>("scope").as_deref(),
    ) {
        ("session", _) => None,
        (_, Some("inbound")) => Some(TokenScope::Inbound),
        (_, Some("embed")) => Some(TokenScope::Embed),
        _ => Some(TokenScope::Agent),
    };
    let team_ids = rows
        .iter()
        .filter_map(|r| r.get::<Option<i64>, _>("team_id"))
        .collect();
    Ok(Some(Caller {
        id,
        role,
        team_ids,
        scope,
        token_hash: hash.to_string(),
    }))
}

fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))?;
    Some(token.trim())
}

/// Any valid token, inbound-scoped ones included (checked by the handlers that allow them).
pub struct AnyCaller(pub Caller);

impl FromRequestParts<AppState> for AnyCaller {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer(parts).ok_or_else(AppError::unauthorized)?;
        let mut conn = state.read().await?;
        let caller = caller_from_hash(&mut conn, &util::sha256_hex(token))
            .await?
            .ok_or_else(AppError::unauthorized)?;
        Ok(AnyCaller(caller))
    }
}

/// No `Authorization` header at all is `None` (the embed exchange also takes a signed JWT
/// instead); a header with a token that is not valid is still 401.
impl axum::extract::OptionalFromRequestParts<AppState> for AnyCaller {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        if parts.headers.get(header::AUTHORIZATION).is_none() {
            return Ok(None);
        }
        <AnyCaller as FromRequestParts<AppState>>::from_request_parts(parts, state)
            .await
            .map(Some)
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let AnyCaller(caller) = AnyCaller::from_request_parts(parts, state).await?;
        match caller.scope {
            Some(TokenScope::Inbound) => Err(AppError::forbidden(
                "This token may only post to /inbound and /deliveries",
            )),
            Some(TokenScope::Embed) => Err(AppError::forbidden(
                "An embed token may only exchange itself for an agent's session (POST /auth/exchange)",
            )),
            _ => Ok(caller),
        }
    }
}

#[utoipa::path(post, path = "/api/v1/auth/sign-in", operation_id = "signIn", tag = "auth", request_body = SignIn,
    responses((status = 200, body = Session), (status = 401, body = convoroom_api::ErrorBody),
        (status = 429, body = convoroom_api::ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until sign-in may be tried again")))))]
pub async fn sign_in(
    State(state): State<AppState>,
    connect: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
    ApiJson(body): ApiJson<SignIn>,
) -> Response {
    let email = body.email.trim().to_lowercase();
    let mut keys = vec![format!("email:{email}")];
    if let Some(axum::Extension(ConnectInfo(addr))) = connect {
        keys.push(format!("ip:{}", addr.ip()));
    }
    let wait = match state.read().await {
        Ok(mut conn) => crate::rate_limit::wait(&mut conn, &keys).await,
        Err(err) => Err(err),
    };
    let wait = match wait {
        Ok(wait) => wait,
        Err(err) => return err.into_response(),
    };
    if let Some(wait) = wait {
        let mut response = AppError::new(
            ErrorCode::RateLimited,
            "Too many failed sign-ins; wait a few minutes",
        )
        .into_response();
        // Whole seconds, rounded up: trying again after that many seconds is allowed.
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
        return response;
    }
    check_password(state, keys, email, body.password)
        .await
        .into_response()
}

async fn check_password(
    state: AppState,
    keys: Vec<String>,
    email: String,
    password: String,
) -> AppResult<axum::Json<Session>> {
    let mut conn = state.read().await?;
    // A deactivated agent's account answers like an unknown one.
    let row =
        sqlx::query("SELECT id, password_hash FROM agents WHERE email = $1 AND active = TRUE")
            .bind(&email)
            .fetch_optional(&mut *conn)
            .await?;
    let hash = row.as_ref().map(|r| r.get::<String, _>("password_hash"));
    // Verify even for unknown emails so timing does not reveal which accounts exist.
    let ok = tokio::task::spawn_blocking(move || match hash {
        Some(hash) => verify_password(&password, &hash),
        None => {
            let _ = verify_password(&password, DUMMY_HASH);
            false
        }
    })
    .await
    .unwrap_or(false);
    drop(conn);
    let Some(row) = row.filter(|_| ok) else {
        crate::rate_limit::fail(&state, &keys).await?;
        return Err(AppError::new(
            ErrorCode::Unauthorized,
            "Wrong email or password",
        ));
    };
    let agent_id: i64 = row.get("id");
    let mut w = state.write().await?;
    let session = new_session(&mut w, agent_id, time::Duration::days(SESSION_DAYS)).await?;
    w.commit().await?;
    tracing::info!(agent_id, "signed in");
    Ok(axum::Json(session))
}

/// A session of `agent_id` valid for `lasting`; only the token's hash is stored.
pub async fn new_session(
    w: &mut crate::state::Writer,
    agent_id: i64,
    lasting: time::Duration,
) -> AppResult<Session> {
    let token = util::random_token();
    let expires_at = util::ts(time::OffsetDateTime::now_utc() + lasting);
    sqlx::query("INSERT INTO auth_tokens (agent_id, kind, token_hash, created_at, expires_at) VALUES ($1, 'session', $2, $3, $4)")
        .bind(agent_id)
        .bind(util::sha256_hex(&token))
        .bind(util::now())
        .bind(&expires_at)
        .execute(w.conn())
        .await?;
    Ok(Session {
        token,
        expires_at,
        agent: load_agent(w.conn(), agent_id).await?,
    })
}

/// A valid argon2 hash of a random string, so unknown emails cost the same as known ones.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Zg7r1kbqCxwJg6o7Cswc9y6o7i5P0Q9TjvvvR0s3lWM";

#[utoipa::path(post, path = "/api/v1/auth/sign-out", operation_id = "signOut", tag = "auth", security(("bearer" = [])),
    responses((status = 204)))]
pub async fn sign_out(
    State(state): State<AppState>,
    AnyCaller(caller): AnyCaller,
) -> AppResult<StatusCode> {
    let mut w = state.write().await?;
    let done = sqlx::query("DELETE FROM auth_tokens WHERE token_hash = $1 AND kind = 'session'")
        .bind(&caller.token_hash)
        .execute(w.conn())
        .await?;
    if done.rows_affected() > 0 {
        w.revoke(&caller.token_hash).await?;
    }
    w.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn load_agents(conn: &mut Conn, only: Option<i64>) -> AppResult<Vec<Agent>> {
    let rows = sqlx::query(
        "SELECT a.id, a.name, a.email, a.role, a.availability, a.avatar_url, a.external_id, a.active
         FROM agents a WHERE ($1 IS NULL OR a.id = $1) ORDER BY a.id",
    )
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    let memberships = sqlx::query(
        "SELECT agent_id, team_id FROM agent_teams WHERE ($1 IS NULL OR agent_id = $1) ORDER BY agent_id, team_id",
    )
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    let teams_of = |agent: i64| -> Vec<String> {
        memberships
            .iter()
            .filter(|m| m.get::<i64, _>("agent_id") == agent)
            .map(|m| m.get::<i64, _>("team_id").to_string())
            .collect()
    };
    Ok(rows
        .into_iter()
        .map(|row| Agent {
            id: row.get::<i64, _>("id").to_string(),
            name: row.get("name"),
            email: row.get("email"),
            role: if row.get::<String, _>("role") == "admin" {
                Role::Admin
            } else {
                Role::Agent
            },
            availability: serde_json::from_value(serde_json::Value::String(
                row.get("availability"),
            ))
            .unwrap_or(convoroom_api::Availability::Offline),
            team_ids: teams_of(row.get("id")),
            avatar_url: row.get("avatar_url"),
            external_id: row.get("external_id"),
            active: row.flag("active"),
        })
        .collect())
}

pub async fn load_agent(conn: &mut Conn, id: i64) -> AppResult<Agent> {
    load_agents(conn, Some(id))
        .await?
        .pop()
        .ok_or_else(|| AppError::not_found("Agent"))
}
