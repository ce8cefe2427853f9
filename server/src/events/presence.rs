//! Who is looking at a conversation, and who is typing a reply in it: heartbeats and keystroke
//! marks kept in the database (any replica may get the next one), changes emitted as events.

use crate::auth::Caller;
use crate::conversations::model;
use crate::error::{AppResult, path_id};
use crate::state::{AppState, Writer};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use convoroom_api::EventPayload;
use std::time::Duration;

pub const PRESENCE_TTL: Duration = Duration::from_secs(45);

/// How long a keystroke mark counts: apps send one every few seconds while the agent types.
pub const TYPING_TTL: Duration = Duration::from_secs(6);

#[utoipa::path(post, path = "/api/v1/conversations/{id}/presence", operation_id = "sendPresenceHeartbeat", tag = "conversations", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 204), (status = 404, body = convoroom_api::ErrorBody)))]
pub async fn heartbeat(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    let id = visible_id(&state, &caller, &id).await?;
    let mut w = state.write().await?;
    let updated = sqlx::query(
        "UPDATE presence SET seen_ms = $1 WHERE conversation_id = $2 AND agent_id = $3",
    )
    .bind(crate::util::now_ms())
    .bind(id)
    .bind(caller.id)
    .execute(w.conn())
    .await?;
    if updated.rows_affected() == 0 {
        // Joined (writes are serialised, so nobody else inserts this row meanwhile).
        sqlx::query(
            "INSERT INTO presence (conversation_id, agent_id, seen_ms) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(caller.id)
        .bind(crate::util::now_ms())
        .execute(w.conn())
        .await?;
        emit(&mut w, id).await?;
    }
    w.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/conversations/{id}/typing", operation_id = "markTyping", tag = "conversations", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 204, description = "The caller counts as typing a reply for the next 6 seconds; other agents get a `presence` event with `typing_ids` when that starts"),
        (status = 404, body = convoroom_api::ErrorBody)))]
pub async fn typing(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    let id = visible_id(&state, &caller, &id).await?;
    let now = crate::util::now_ms();
    let until = now + TYPING_TTL.as_millis() as i64;
    let mut w = state.write().await?;
    let was_typing: Option<Option<i64>> = sqlx::query_scalar(
        "SELECT typing_until_ms FROM presence WHERE conversation_id = $1 AND agent_id = $2",
    )
    .bind(id)
    .bind(caller.id)
    .fetch_optional(w.conn())
    .await?;
    match was_typing {
        Some(_) => {
            sqlx::query(
                "UPDATE presence SET seen_ms = $1, typing_until_ms = $2 WHERE conversation_id = $3 AND agent_id = $4",
            )
            .bind(now)
            .bind(until)
            .bind(id)
            .bind(caller.id)
            .execute(w.conn())
            .await?;
        }
        None => {
            sqlx::query(
                "INSERT INTO presence (conversation_id, agent_id, seen_ms, typing_until_ms) VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(caller.id)
            .bind(now)
            .bind(until)
            .execute(w.conn())
            .await?;
        }
    }
    // Only a start is news: the marks that keep it going change nothing others see.
    if was_typing.flatten().is_none_or(|at| at < now) {
        emit(&mut w, id).await?;
    }
    w.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/api/v1/conversations/{id}/typing", operation_id = "stopTyping", tag = "conversations", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 204, description = "The caller no longer counts as typing (sent, cleared the draft, left)"),
        (status = 404, body = convoroom_api::ErrorBody)))]
pub async fn stopped_typing(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    let id = visible_id(&state, &caller, &id).await?;
    let mut w = state.write().await?;
    let stopped = sqlx::query(
        "UPDATE presence SET typing_until_ms = NULL WHERE conversation_id = $1 AND agent_id = $2 AND typing_until_ms IS NOT NULL",
    )
    .bind(id)
    .bind(caller.id)
    .execute(w.conn())
    .await?
    .rows_affected();
    if stopped > 0 {
        emit(&mut w, id).await?;
    }
    w.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The conversation's id from the path, 404 unless the caller may see it (checked on a read
/// connection, before the write lock is taken).
async fn visible_id(state: &AppState, caller: &Caller, id: &str) -> AppResult<i64> {
    let id = path_id(id, "Conversation")?;
    let mut conn = state.read().await?;
    model::ensure_visible(&mut conn, caller, id).await?;
    Ok(id)
}

/// Emits who is present in a conversation now, and which of them are typing a reply.
async fn emit(w: &mut Writer, conversation_id: i64) -> AppResult<()> {
    let rows: Vec<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT agent_id, typing_until_ms FROM presence WHERE conversation_id = $1 ORDER BY agent_id",
    )
    .bind(conversation_id)
    .fetch_all(w.conn())
    .await?;
    let now = crate::util::now_ms();
    let agent_ids: Vec<i64> = rows.iter().map(|(agent, _)| *agent).collect();
    let typing_ids: Vec<String> = rows
        .iter()
        .filter(|(_, until)| until.is_some_and(|at| at >= now))
        .map(|(agent, _)| agent.to_string())
        .collect();
    let Some(conversation) = model::load_many(w.conn(), &[conversation_id], 0)
        .await?
        .pop()
    else {
        return Ok(());
    };
    let payload = EventPayload::Presence {
        conversation_id: conversation_id.to_string(),
        agent_ids: agent_ids.iter().map(|a| a.to_string()).collect(),
        typing_ids,
    };
    w.emit(payload, model::access_of(&conversation)).await?;
    Ok(())
}

/// Forgets agents whose heartbeat stopped, and typing whose marks stopped, and tells the
/// others. Every replica sweeps; under the write lock each expiry is removed, and announced,
/// once.
pub async fn sweep(state: &AppState) -> AppResult<()> {
    let now = crate::util::now_ms();
    let cutoff = now - PRESENCE_TTL.as_millis() as i64;
    // Most sweeps find nothing: look before taking the write lock.
    let expired = {
        let mut conn = state.read().await?;
        sqlx::query("SELECT 1 FROM presence WHERE seen_ms < $1 OR typing_until_ms < $2 LIMIT 1")
            .bind(cutoff)
            .bind(now)
            .fetch_optional(&mut *conn)
            .await?
    };
    if expired.is_none() {
        return Ok(());
    }
    let mut w = state.write().await?;
    let mut changed: Vec<i64> =
        sqlx::query_scalar("DELETE FROM presence WHERE seen_ms < $1 RETURNING conversation_id")
            .bind(cutoff)
            .fetch_all(w.conn())
            .await?;
    changed.extend(
        sqlx::query_scalar::<_, i64>(
            "UPDATE presence SET typing_until_ms = NULL WHERE typing_until_ms < $1 RETURNING conversation_id",
        )
        .bind(now)
        .fetch_all(w.conn())
        .await?,
    );
    changed.sort_unstable();
    changed.dedup();
    for conversation_id in changed {
        emit(&mut w, conversation_id).await?;
    }
    w.commit().await
}
