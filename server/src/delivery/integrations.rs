//! `/integrations`: channel integrations, managed by admins signed in with a session (an API
//! token cannot mint the tokens and secrets an integration carries). Secrets are returned
//! once: the inbound token when created, the signing secret when created or rotated.

use super::log;

use crate::auth::Caller;
use crate::db::{Conn, DbRow, RowExt};
use crate::error::{ApiJson, AppError, AppResult, if_match, path_id};
use crate::events::EventAccess;
use crate::state::{AppState, Writer};
use crate::util;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use convoroom_api::*;

use sqlx::Row;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/integrations", get(list).post(create))
        .route(
            "/integrations/{id}",
            axum::routing::patch(update).delete(delete),
        )
        .route("/integrations/{id}/rotate-secret", post(rotate_secret))
}

const NAME_MAX_CHARS: usize = 100;
const URL_MAX_CHARS: usize = 2_000;

pub fn require_admin_session(caller: &Caller) -> AppResult<()> {
    if !caller.is_admin() {
        Err(AppError::forbidden("Only admins manage integrations"))
    } else if !caller.is_session() {
        Err(AppError::forbidden(
            "API tokens cannot manage integrations: sign in as an admin",
        ))
    } else {
        Ok(())
    }
}

/// Channels that have an integration delivering their replies, in the contract's order.
pub async fn delivered_channels(conn: &mut Conn) -> AppResult<Vec<Channel>> {
    let names: Vec<String> = sqlx::query_scalar("SELECT channel FROM integration_channels")
        .fetch_all(&mut *conn)
        .await?;
    Ok(in_contract_order(&names))
}

/// The channels named in `names`, in the contract's order.
fn in_contract_order(names: &[String]) -> Vec<Channel> {
    Channel::ALL
        .iter()
        .copied()
        .filter(|c| names.iter().any(|n| n == c.as_str()))
        .collect()
}

async fn from_row(conn: &mut Conn, row: &DbRow) -> AppResult<Integration> {
    let id: i64 = row.get("id");
    let names: Vec<String> =
        sqlx::query_scalar("SELECT channel FROM integration_channels WHERE integration_id = $1")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    Ok(Integration {
        id: id.to_string(),
        name: row.get("name"),
        channels: in_contract_order(&names),
        webhook_url: row.get("webhook_url"),
        paused: row.flag("paused"),
        created_at: row.get("created_at"),
        health: log::health(conn, id).await?,
        version: row.get("version"),
        inbound_token: None,
        signing_secret: None,
    })
}

pub async fn load(conn: &mut Conn, id: i64) -> AppResult<(DbRow, Integration)> {
    let row = sqlx::query("SELECT * FROM integrations WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| AppError::not_found("Integration"))?;
    let integration = from_row(conn, &row).await?;
    Ok((row, integration))
}

fn checked_name(name: &str) -> AppResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > NAME_MAX_CHARS {
        return Err(AppError::field(
            "name",
            format!("An integration's name is 1–{NAME_MAX_CHARS} characters"),
        ));
    }
    Ok(name.to_string())
}

fn checked_url(url: &str) -> AppResult<String> {
    let url = url.trim();
    if url.chars().count() > URL_MAX_CHARS
        || !is_http_url(url)
        || url.parse::<hyper::Uri>().is_err()
    {
        return Err(AppError::field(
            "webhook_url",
            "The webhook URL is an http:// or https:// address with a host",
        ));
    }
    Ok(url.to_string())
}

/// The channels, each once, none delivered by another integration.
async fn checked_channels(
    conn: &mut Conn,
    channels: &[Channel],
    except: Option<i64>,
) -> AppResult<Vec<Channel>> {
    if channels.is_empty() {
        return Err(AppError::field(
            "channels",
            "Pick the channels this integration delivers",
        ));
    }
    let mut unique: Vec<Channel> = channels.to_vec();
    unique.sort();
    unique.dedup();
    for channel in &unique {
        let owner = sqlx::query(
            "SELECT i.name FROM integration_channels ic JOIN integrations i ON i.id = ic.integration_id
             WHERE ic.channel = $1 AND ic.integration_id <> $2",
        )
        .bind(channel.as_str())
        .bind(except.unwrap_or(0))
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(owner) = owner {
            return Err(AppError::field(
                "channels",
                format!(
                    "{} messages are already delivered by “{}”",
                    channel.label(),
                    owner.get::<String, _>("name")
                ),
            ));
        }
    }
    Ok(unique)
}

async fn set_channels(w: &mut Writer, id: i64, channels: &[Channel]) -> AppResult<()> {
    sqlx::query("DELETE FROM integration_channels WHERE integration_id = $1")
        .bind(id)
        .execute(w.conn())
        .await?;
    for channel in channels {
        sqlx::query("INSERT INTO integration_channels (channel, integration_id) VALUES ($1, $2)")
            .bind(channel.as_str())
            .bind(id)
            .execute(w.conn())
            .await?;
    }
    Ok(())
}

/// Tells everyone which channels are delivered now.
async fn announce(w: &mut Writer) -> AppResult<()> {
    let delivered_channels = delivered_channels(w.conn()).await?;
    w.emit(
        EventPayload::IntegrationsChanged { delivered_channels },
        EventAccess::everyone(),
    )
    .await?;
    Ok(())
}

fn new_secret() -> String {
    format!("whsec_{}", util::random_token())
}

#[utoipa::path(get, path = "/api/v1/integrations", operation_id = "listIntegrations", tag = "integrations", security(("bearer" = [])),
    responses((status = 200, body = Vec<Integration>), (status = 403, description = "Not an admin signed in with a session", body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> AppResult<axum::Json<Vec<Integration>>> {
    require_admin_session(&caller)?;
    let mut conn = state.read().await?;
    let rows = sqlx::query("SELECT * FROM integrations ORDER BY id")
        .fetch_all(&mut *conn)
        .await?;
    let mut integrations = Vec::with_capacity(rows.len());
    for row in &rows {
        integrations.push(from_row(&mut conn, row).await?);
    }
    Ok(axum::Json(integrations))
}

#[utoipa::path(post, path = "/api/v1/integrations", operation_id = "createIntegration", tag = "integrations", security(("bearer" = [])), request_body = CreateIntegration,
    responses((status = 201, description = "With its inbound token and signing secret, shown this once", body = Integration),
        (status = 400, description = "A field is invalid, or a channel is delivered by another integration", body = ErrorBody),
        (status = 403, description = "Not an admin signed in with a session", body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<CreateIntegration>,
) -> AppResult<(StatusCode, axum::Json<Integration>)> {
    require_admin_session(&caller)?;
    let name = checked_name(&body.name)?;
    let url = checked_url(&body.webhook_url)?;
    let mut w = state.write().await?;
    let channels = checked_channels(w.conn(), &body.channels, None).await?;
    let token = format!("cvr_{}", util::random_token());
    let now = util::now();
    let token_id: i64 = sqlx::query_scalar(
        "INSERT INTO auth_tokens (agent_id, kind, name, scope, token_hash, created_at)
         VALUES ($1, 'integration', $2, 'inbound', $3, $4) RETURNING id",
    )
    .bind(caller.id)
    .bind(&name)
    .bind(util::sha256_hex(&token))
    .bind(&now)
    .fetch_one(w.conn())
    .await?;
    let secret = new_secret();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO integrations (name, webhook_url, signing_secret, token_id, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(&name)
    .bind(&url)
    .bind(&secret)
    .bind(token_id)
    .bind(&now)
    .fetch_one(w.conn())
    .await?;
    set_channels(&mut w, id, &channels).await?;
    w.audit(
        None,
        Some(caller.id),
        "integration_created",
        serde_json::json!({"integration_id": id.to_string()}),
    )
    .await?;
    announce(&mut w).await?;
    let (_, mut integration) = load(w.conn(), id).await?;
    w.commit().await?;
    integration.inbound_token = Some(token);
    integration.signing_secret = Some(secret);
    Ok((StatusCode::CREATED, axum::Json(integration)))
}

/// The integration a write is about, refused with 409 when `If-Match` is not its version.
async fn load_for_write(
    w: &mut Writer,
    id: &str,
    headers: &HeaderMap,
) -> AppResult<(i64, DbRow, Integration)> {
    let id = path_id(id, "Integration")?;
    let (row, current) = load(w.conn(), id).await?;
    if if_match(headers)?.is_some_and(|v| v != current.version) {
        return Err(AppError::conflict(&current));
    }
    Ok((id, row, current))
}

#[utoipa::path(patch, path = "/api/v1/integrations/{id}", operation_id = "updateIntegration", tag = "integrations", security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "The version last seen")), request_body = UpdateIntegration,
    responses((status = 200, body = Integration), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, description = "Changed by someone else: `current` holds it", body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<UpdateIntegration>,
) -> AppResult<axum::Json<Integration>> {
    require_admin_session(&caller)?;
    let name = body.name.as_deref().map(checked_name).transpose()?;
    let url = body.webhook_url.as_deref().map(checked_url).transpose()?;
    let mut w = state.write().await?;
    let (id, _, current) = load_for_write(&mut w, &id, &headers).await?;
    if let Some(channels) = &body.channels {
        let channels = checked_channels(w.conn(), channels, Some(id)).await?;
        set_channels(&mut w, id, &channels).await?;
    }
    sqlx::query(
        "UPDATE integrations SET name = COALESCE($1, name), webhook_url = COALESCE($2, webhook_url),
            paused = COALESCE($3, paused), version = version + 1 WHERE id = $4",
    )
    .bind(name)
    .bind(url)
    .bind(body.paused)
    .bind(id)
    .execute(w.conn())
    .await?;
    if body.paused == Some(false) && current.paused {
        w.wake_deliveries();
    }
    w.audit(
        None,
        Some(caller.id),
        "integration_updated",
        serde_json::json!({"integration_id": id.to_string(), "paused": body.paused}),
    )
    .await?;
    announce(&mut w).await?;
    let (_, integration) = load(w.conn(), id).await?;
    w.commit().await?;
    Ok(axum::Json(integration))
}

#[utoipa::path(delete, path = "/api/v1/integrations/{id}", operation_id = "deleteIntegration", tag = "integrations", security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "The version last seen")),
    responses((status = 204, description = "Deleted; its inbound token stops working and its queued replies are Failed"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> AppResult<StatusCode> {
    require_admin_session(&caller)?;
    let mut w = state.write().await?;
    let (id, row, _) = load_for_write(&mut w, &id, &headers).await?;
    let queued: Vec<i64> = sqlx::query_scalar(
        "SELECT message_id FROM deliveries WHERE integration_id = $1 AND state = 'queued' ORDER BY id",
    )
    .bind(id)
    .fetch_all(w.conn())
    .await?;
    sqlx::query(
        "UPDATE deliveries SET state = 'failed' WHERE integration_id = $1 AND state = 'queued'",
    )
    .bind(id)
    .execute(w.conn())
    .await?;
    for message_id in queued {
        super::queue::set_status(
            &mut w,
            message_id,
            DeliveryStatus::Failed,
            Some("Its integration was removed before it was delivered".into()),
            super::queue::Change::Forward,
        )
        .await?;
    }
    sqlx::query("DELETE FROM integrations WHERE id = $1")
        .bind(id)
        .execute(w.conn())
        .await?;
    if let Some(token_id) = row.get::<Option<i64>, _>("token_id") {
        let hash: Option<String> =
            sqlx::query_scalar("DELETE FROM auth_tokens WHERE id = $1 RETURNING token_hash")
                .bind(token_id)
                .fetch_optional(w.conn())
                .await?;
        if let Some(hash) = hash {
            w.revoke(&hash).await?;
        }
    }
    w.audit(
        None,
        Some(caller.id),
        "integration_deleted",
        serde_json::json!({"integration_id": id.to_string()}),
    )
    .await?;
    announce(&mut w).await?;
    w.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/integrations/{id}/rotate-secret", operation_id = "rotateIntegrationSecret", tag = "integrations", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, description = "With the new signing secret, shown this once; the old one signs nothing more", body = Integration),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn rotate_secret(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<axum::Json<Integration>> {
    require_admin_session(&caller)?;
    let id = path_id(&id, "Integration")?;
    let secret = new_secret();
    let mut w = state.write().await?;
    let done = sqlx::query(
        "UPDATE integrations SET signing_secret = $1, version = version + 1 WHERE id = $2",
    )
    .bind(&secret)
    .bind(id)
    .execute(w.conn())
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::not_found("Integration"));
    }
    w.audit(
        None,
        Some(caller.id),
        "integration_secret_rotated",
        serde_json::json!({"integration_id": id.to_string()}),
    )
    .await?;
    let (_, mut integration) = load(w.conn(), id).await?;
    w.commit().await?;
    integration.signing_secret = Some(secret);
    Ok(axum::Json(integration))
}
