//! Who is looking at a conversation: heartbeats kept in memory, changes emitted as events.

use crate::auth::Caller;
use crate::conversations::model;
use crate::error::{AppResult, path_id};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use convoroom_api::EventPayload;
use std::time::{Duration, Instant};

pub const PRESENCE_TTL: Duration = Duration::from_secs(45);

#[utoipa::path(post, path = "/api/v1/conversations/{id}/presence", tag = "conversations", security(("bearer" = [])),
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
    let joined = {
        let mut presence = state.presence.lock().expect("lock");
        presence
            .entry(id)
            .or_default()
            .insert(caller.id, Instant::now())
            .is_none()
    };
    if joined {
        emit(&state, id).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

async fn emit(state: &AppState, conversation_id: i64) -> AppResult<()> {
    let mut agent_ids: Vec<i64> = state
        .presence
        .lock()
        .expect("lock")
        .get(&conversation_id)
        .map(|agents| agents.keys().copied().collect())
        .unwrap_or_default();
    agent_ids.sort_unstable();
    let mut w = state.write().await?;
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
    w.commit().await
}

/// Forgets agents whose heartbeat stopped and tells the others.
pub async fn sweep(state: &AppState) -> AppResult<()> {
    let now = Instant::now();
    let changed: Vec<i64> = {
        let mut presence = state.presence.lock().expect("lock");
        let mut changed = Vec::new();
        for (conversation_id, agents) in presence.iter_mut() {
            let before = agents.len();
            agents.retain(|_, seen| now.duration_since(*seen) < PRESENCE_TTL);
            if agents.len() != before {
                changed.push(*conversation_id);
            }
        }
        presence.retain(|_, agents| !agents.is_empty());
        changed
    };
    for conversation_id in changed {
        emit(state, conversation_id).await?;
    }
    Ok(())
}
