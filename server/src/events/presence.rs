//! Who is looking at a conversation: heartbeats kept in the database (any replica may get the
//! next one), changes emitted as events.

use crate::auth::Caller;
use crate::conversations::model;
use crate::error::{AppResult, path_id};
use crate::state::{AppState, Writer};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use convoroom_api::EventPayload;
use std::time::Duration;

pub const PRESENCE_TTL: Duration = Duration::from_secs(45);

#[utoipa::path(post, path = "/api/v1/conversations/{id}/presence", operation_id = "sendPresenceHeartbeat", tag = "conversations", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 204), (status = 404, body = convoroom_api::ErrorBody)))]
pub async fn heartbeat(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    let id = path_id(&id, "Conversation")?;
    {
        let mut conn = state.read().await?;
        model::ensure_visible(&mut conn, &caller, id).await?;
    }
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

/// Emits who is present in a conversation now.
async fn emit(w: &mut Writer, conversation_id: i64) -> AppResult<()> {
    let agent_ids: Vec<i64> = sqlx::query_scalar(
        "SELECT agent_id FROM presence WHERE conversation_id = $1 ORDER BY agent_id",
    )
    .bind(conversation_id)
    .fetch_all(w.conn())
    .await?;
    let Some(conversation) = model::load_many(w.conn(), &[conversation_id], 0)
        .await?
        .pop()
    else {
        return Ok(());
    };
    let payload = EventPayload::Presence {
        conversation_id: conversation_id.to_string(),
        agent_ids: agent_ids.iter().map(|a| a.to_string()).collect(),
    };
    w.emit(payload, model::access_of(&conversation)).await?;
    Ok(())
}

/// Forgets agents whose heartbeat stopped and tells the others. Every replica sweeps; under
/// the write lock each expiry is removed, and announced, once.
pub async fn sweep(state: &AppState) -> AppResult<()> {
    let cutoff = crate::util::now_ms() - PRESENCE_TTL.as_millis() as i64;
    // Most sweeps find nothing: look before taking the write lock.
    let expired = {
        let mut conn = state.read().await?;
        sqlx::query("SELECT 1 FROM presence WHERE seen_ms < $1 LIMIT 1")
            .bind(cutoff)
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
    changed.sort_unstable();
    changed.dedup();
    for conversation_id in changed {
        emit(&mut w, conversation_id).await?;
    }
    w.commit().await
}
