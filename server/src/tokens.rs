//! Long-lived API tokens for embedding hosts and channel integrations: managed by admins,
//! signed in with a session (an API token cannot mint, list or revoke tokens).

use crate::auth::Caller;
use crate::db::DbRow;
use crate::error::{ApiJson, AppError, AppResult, path_id};
use crate::state::AppState;
use crate::util;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use convoroom_api::*;
use sqlx::Row;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/tokens", get(list).post(create))
        .route("/tokens/{id}", axum::routing::delete(delete))
}

fn require_admin(caller: &Caller) -> AppResult<()> {
    if !caller.is_admin() {
        Err(AppError::forbidden("Only admins manage API tokens"))
    } else if !caller.is_session() {
        // A leaked token must not be able to outlive its revocation through tokens it made.
        Err(AppError::forbidden(
            "API tokens cannot manage API tokens: sign in as an admin",
        ))
    } else {
        Ok(())
    }
}

fn from_row(row: &DbRow) -> ApiToken {
    ApiToken {
        id: row.get::<i64, _>("id").to_string(),
        name: row.get::<Option<String>, _>("name").unwrap_or_default(),
        scope: match row.get::<Option<String>, _>("scope").as_deref() {
            Some("inbound") => TokenScope::Inbound,
            Some("embed") => TokenScope::Embed,
            _ => TokenScope::Agent,
        },
        created_at: row.get("created_at"),
        token: None,
        jwt_secret: None,
    }
}

#[utoipa::path(post, path = "/api/v1/tokens", operation_id = "createApiToken", tag = "tokens", security(("bearer" = [])), request_body = CreateApiToken,
    responses((status = 201, description = "The token in clear, shown once", body = ApiToken), (status = 403, description = "Not an admin, or an API token", body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<CreateApiToken>,
) -> AppResult<(StatusCode, axum::Json<ApiToken>)> {
    require_admin(&caller)?;
    let name = body.name.trim();
    if name.is_empty() || validate::too_long(&body.name, validate::TOKEN_NAME_MAX_CHARS) {
        return Err(AppError::field(
            "name",
            format!(
                "A token name is 1–{} characters",
                validate::TOKEN_NAME_MAX_CHARS
            ),
        ));
    }
    let token = format!("cvr_{}", util::random_token());
    let scope = match body.scope {
        TokenScope::Inbound => "inbound",
        TokenScope::Embed => "embed",
        TokenScope::Agent => "agent",
    };
    let jwt_secret = (body.scope == TokenScope::Embed).then(util::random_token);
    let mut w = state.write().await?;
    let row = sqlx::query(
        "INSERT INTO auth_tokens (agent_id, kind, name, scope, token_hash, created_at, jwt_secret)
         VALUES ($1, 'api', $2, $3, $4, $5, $6) RETURNING *",
    )
    .bind(caller.id)
    .bind(name)
    .bind(scope)
    .bind(util::sha256_hex(&token))
    .bind(util::now())
    .bind(&jwt_secret)
    .fetch_one(w.conn())
    .await?;
    w.audit(
        None,
        Some(caller.id),
        "token_created",
        serde_json::json!({"name": name, "scope": scope}),
    )
    .await?;
    w.commit().await?;
    let mut api_token = from_row(&row);
    api_token.token = Some(token);
    api_token.jwt_secret = jwt_secret;
    Ok((StatusCode::CREATED, axum::Json(api_token)))
}

#[utoipa::path(get, path = "/api/v1/tokens", operation_id = "listApiTokens", tag = "tokens", security(("bearer" = [])),
    responses((status = 200, body = Vec<ApiToken>), (status = 403, description = "Not an admin, or an API token", body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> AppResult<axum::Json<Vec<ApiToken>>> {
    require_admin(&caller)?;
    let mut conn = state.read().await?;
    let rows = sqlx::query("SELECT * FROM auth_tokens WHERE kind = 'api' ORDER BY id")
        .fetch_all(&mut *conn)
        .await?;
    Ok(axum::Json(rows.iter().map(from_row).collect()))
}

#[utoipa::path(delete, path = "/api/v1/tokens/{id}", operation_id = "revokeApiToken", tag = "tokens", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 204), (status = 403, description = "Not an admin, or an API token", body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    require_admin(&caller)?;
    let id = path_id(&id, "Token")?;
    let mut w = state.write().await?;
    let hash: String = sqlx::query_scalar(
        "DELETE FROM auth_tokens WHERE id = $1 AND kind = 'api' RETURNING token_hash",
    )
    .bind(id)
    .fetch_optional(w.conn())
    .await?
    .ok_or_else(|| AppError::not_found("Token"))?;
    w.audit(
        None,
        Some(caller.id),
        "token_revoked",
        serde_json::json!({"token_id": id.to_string()}),
    )
    .await?;
    w.revoke(&hash).await?;
    w.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
