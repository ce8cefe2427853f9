//! The delivery log: every POST to a webhook, the health figures read from it, the admins'
//! view of it (`GET /integrations/{id}/attempts`) and the test event that adds to it
//! (`POST /integrations/{id}/test`).

use super::integrations::{load, require_admin_session};
use super::webhook::{self, Answer};
use crate::auth::Caller;
use crate::db::{Conn, DbRow};
use crate::error::AppResult;
use crate::error::{ApiQuery, AppError, path_id};
use crate::state::AppState;
use crate::state::Writer;
use crate::util;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use convoroom_api::*;
use serde::Deserialize;
use sqlx::Row;
use std::time::Duration;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/integrations/{id}/test", post(send_test))
        .route("/integrations/{id}/attempts", get(attempts))
}

pub async fn record(
    w: &mut Writer,
    integration_id: i64,
    sent: &OutboundDelivery,
    attempt: u32,
    outcome: AttemptOutcome,
    answer: &Answer,
) -> AppResult<DeliveryAttempt> {
    let id_of = |id: Option<&String>| id.and_then(|id| id.parse::<i64>().ok());
    let error = (outcome != AttemptOutcome::Delivered).then(|| answer.reason());
    let row = sqlx::query(
        "INSERT INTO delivery_attempts (integration_id, event, message_id, conversation_id, attempt, outcome,
            http_status, error, response_excerpt, duration_ms, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *",
    )
    .bind(integration_id)
    .bind(sent.event.as_str())
    .bind(id_of(sent.message.as_ref().map(|m| &m.id)))
    .bind(id_of(sent.conversation.as_ref().map(|c| &c.id)))
    .bind(attempt as i64)
    .bind(outcome.as_str())
    .bind(answer.status.map(i64::from))
    .bind(error)
    .bind(answer.excerpt())
    .bind(answer.duration_ms as i64)
    .bind(util::now())
    .fetch_one(w.conn())
    .await?;
    Ok(from_row(&row))
}

pub fn from_row(row: &DbRow) -> DeliveryAttempt {
    DeliveryAttempt {
        id: row.get::<i64, _>("id").to_string(),
        event: WebhookEventType::parse(&row.get::<String, _>("event"))
            .unwrap_or(WebhookEventType::MessageCreated),
        message_id: row
            .get::<Option<i64>, _>("message_id")
            .map(|v| v.to_string()),
        conversation_id: row
            .get::<Option<i64>, _>("conversation_id")
            .map(|v| v.to_string()),
        at: row.get("at"),
        attempt: row.get::<i64, _>("attempt").max(0) as u32,
        outcome: AttemptOutcome::parse(&row.get::<String, _>("outcome"))
            .unwrap_or(AttemptOutcome::Failed),
        http_status: row
            .get::<Option<i64>, _>("http_status")
            .and_then(|s| u16::try_from(s).ok()),
        error: row.get("error"),
        response_excerpt: row.get("response_excerpt"),
        duration_ms: row.get::<i64, _>("duration_ms").clamp(0, u32::MAX as i64) as u32,
    }
}

/// One page of an integration's log, newest first; the cursor is the last id shown.
pub async fn page(
    conn: &mut Conn,
    integration_id: i64,
    before: Option<i64>,
    limit: u32,
) -> AppResult<Page<DeliveryAttempt>> {
    let rows = sqlx::query(
        "SELECT * FROM delivery_attempts WHERE integration_id = $1 AND id < $2
         ORDER BY id DESC LIMIT $3",
    )
    .bind(integration_id)
    .bind(before.unwrap_or(i64::MAX))
    .bind(limit as i64 + 1)
    .fetch_all(&mut *conn)
    .await?;
    let mut items: Vec<DeliveryAttempt> = rows.iter().map(from_row).collect();
    let next_cursor = if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().map(|a| a.id.clone())
    } else {
        None
    };
    Ok(Page { items, next_cursor })
}

/// Forgets attempts older than `days` (the log is for diagnosing, not an archive).
pub async fn prune(state: &crate::state::AppState, days: i64) -> AppResult<u64> {
    let before = util::ts(time::OffsetDateTime::now_utc() - time::Duration::days(days));
    let mut w = state.write().await?;
    let done = sqlx::query("DELETE FROM delivery_attempts WHERE at < $1")
        .bind(before)
        .execute(w.conn())
        .await?;
    w.commit().await?;
    Ok(done.rows_affected())
}

pub async fn health(conn: &mut Conn, integration_id: i64) -> AppResult<IntegrationHealth> {
    let hour_ago = util::ts(time::OffsetDateTime::now_utc() - time::Duration::hours(1));
    let row = sqlx::query(
        "SELECT
            (SELECT MAX(at) FROM delivery_attempts
              WHERE integration_id = $1 AND outcome = 'delivered' AND event = 'message.created') AS last_delivered_at,
            (SELECT COUNT(*) FROM delivery_attempts
              WHERE integration_id = $1 AND outcome <> 'delivered' AND at >= $2) AS failures,
            (SELECT COUNT(*) FROM deliveries WHERE integration_id = $1 AND state = 'queued') AS queued",
    )
    .bind(integration_id)
    .bind(hour_ago)
    .fetch_one(&mut *conn)
    .await?;
    let last_failure = sqlx::query(
        "SELECT * FROM delivery_attempts WHERE integration_id = $1 AND outcome <> 'delivered'
         ORDER BY id DESC LIMIT 1",
    )
    .bind(integration_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(IntegrationHealth {
        last_delivered_at: row.get("last_delivered_at"),
        failures_last_hour: row.get::<i64, _>("failures").max(0) as u32,
        last_failure: last_failure.as_ref().map(from_row),
        queued: row.get::<i64, _>("queued").max(0) as u32,
    })
}

#[utoipa::path(post, path = "/api/v1/integrations/{id}/test", operation_id = "sendIntegrationTestEvent", tag = "integrations", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, description = "The receiver's answer (also in the delivery log)", body = DeliveryAttempt),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn send_test(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<axum::Json<DeliveryAttempt>> {
    require_admin_session(&caller)?;
    let id = path_id(&id, "Integration")?;
    let (url, secret) = {
        let mut conn = state.read().await?;
        let (row, _) = load(&mut conn, id).await?;
        (
            row.get::<String, _>("webhook_url"),
            row.get::<String, _>("signing_secret"),
        )
    };
    let event = OutboundDelivery {
        event: WebhookEventType::Test,
        idempotency_key: format!("test_{}", util::random_token()),
        created_at: util::now(),
        message: None,
        conversation: None,
        contact: None,
    };
    let answer = webhook::post(
        &url,
        &secret,
        event.event.as_str(),
        &event.idempotency_key,
        serde_json::to_vec(&event)?,
        Duration::from_millis(state.config.delivery_timeout_ms),
    )
    .await;
    let outcome = if answer.verdict() == webhook::Verdict::Delivered {
        AttemptOutcome::Delivered
    } else {
        AttemptOutcome::Failed
    };
    let mut w = state.write().await?;
    let attempt = record(&mut w, id, &event, 1, outcome, &answer).await?;
    w.commit().await?;
    Ok(axum::Json(attempt))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AttemptsQuery {
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// 1–100, default 25.
    pub limit: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/integrations/{id}/attempts", operation_id = "listIntegrationAttempts", tag = "integrations", security(("bearer" = [])),
    params(("id" = String, Path), AttemptsQuery),
    responses((status = 200, description = "The delivery log, newest first", body = Page<DeliveryAttempt>),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn attempts(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<AttemptsQuery>,
) -> AppResult<axum::Json<Page<DeliveryAttempt>>> {
    require_admin_session(&caller)?;
    let id = path_id(&id, "Integration")?;
    let limit = query.limit.unwrap_or(25);
    if !(1..=100).contains(&limit) {
        return Err(AppError::field("limit", "limit is 1–100"));
    }
    let before = match query.cursor.as_deref() {
        Some(cursor) => Some(
            cursor
                .parse::<i64>()
                .map_err(|_| AppError::field("cursor", "Not a cursor this endpoint gave out"))?,
        ),
        None => None,
    };
    let mut conn = state.read().await?;
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM integrations WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    exists.ok_or_else(|| AppError::not_found("Integration"))?;
    Ok(axum::Json(page(&mut conn, id, before, limit).await?))
}
