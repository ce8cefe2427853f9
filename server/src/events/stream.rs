//! `GET /events` (server-sent events) with replay from the log, and stream tickets.

use super::{EventAccess, StoredEvent, deliverable};
use crate::auth::{Caller, caller_from_hash};
use crate::error::{ApiQuery, AppError, AppResult};
use crate::state::AppState;
use crate::util;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use convoroom_api::{Event, EventPayload, StreamTicket};
use futures_util::Stream;
use serde::Deserialize;
use sqlx::Row;
use std::convert::Infallible;
use std::time::{Duration, Instant};
use tokio::sync::broadcast::error::RecvError;

const TICKET_TTL: Duration = Duration::from_secs(60);

#[utoipa::path(post, path = "/api/v1/events/ticket", tag = "events", security(("bearer" = [])),
    responses((status = 200, body = StreamTicket)))]
pub async fn ticket(
    State(state): State<AppState>,
    caller: Caller,
) -> AppResult<axum::Json<StreamTicket>> {
    let ticket = util::random_token();
    let mut tickets = state.tickets.lock().expect("lock");
    let now = Instant::now();
    tickets.retain(|_, (_, expires)| *expires > now);
    // The ticket is worth no more than its token: checked again when the stream opens.
    tickets.insert(
        util::sha256_hex(&ticket),
        (caller.token_hash.clone(), now + TICKET_TTL),
    );
    let expires_at = util::ts(time::OffsetDateTime::now_utc() + TICKET_TTL);
    Ok(axum::Json(StreamTicket { ticket, expires_at }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StreamQuery {
    /// A ticket from `POST /events/ticket` (single use, 60 s).
    ticket: Option<String>,
    /// Resume after this event id (alternative to the `Last-Event-ID` header).
    last_event_id: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/events", tag = "events", params(StreamQuery),
    responses((status = 200, description = "text/event-stream of Event", content_type = "text/event-stream", body = Event)))]
pub async fn stream(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<StreamQuery>,
) -> AppResult<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>> {
    // Before authenticating, so a revocation right after it still ends the stream.
    let revoked = state.revoked.subscribe();
    let caller = authenticate(&state, &headers, query.ticket.as_deref()).await?;
    let header_id = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok());
    let resume_from = header_id.or(query.last_event_id);
    // Subscribe before reading the log so nothing committed meanwhile is missed;
    // ids seen during replay are skipped when they also arrive live.
    let rx = state.bus.subscribe();
    // Read the log's bounds now, not when the body is first polled: a fresh connection
    // starts at the events committed before it subscribed.
    let bounds = log_bounds(&state).await?;
    let stream = event_stream(state, caller, resume_from, bounds, rx, revoked);
    Ok(Sse::new(stream).keep_alive(
        KeepAlive::new()
            .interval(Duration::from_secs(15))
            .text("keep-alive"),
    ))
}

async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
    ticket: Option<&str>,
) -> AppResult<Caller> {
    let mut conn = state.read().await?;
    if let Some(ticket) = ticket {
        let entry = state
            .tickets
            .lock()
            .expect("lock")
            .remove(&util::sha256_hex(ticket));
        return match entry {
            Some((token_hash, expires)) if expires > Instant::now() => {
                caller_from_hash(&mut conn, &token_hash)
                    .await?
                    .ok_or_else(AppError::unauthorized)
            }
            _ => Err(AppError::unauthorized()),
        };
    }
    // Non-browser clients may use the Authorization header instead of a ticket.
    let mut parts = axum::http::Request::new(()).into_parts().0;
    parts.headers = headers.clone();
    drop(conn);
    <Caller as axum::extract::FromRequestParts<AppState>>::from_request_parts(&mut parts, state)
        .await
}

fn to_sse(event: &Event) -> SseEvent {
    SseEvent::default()
        .id(event.id.to_string())
        .data(serde_json::to_string(event).unwrap_or_default())
}

fn event_stream(
    state: AppState,
    caller: Caller,
    resume_from: Option<i64>,
    (min_id, max_id): (i64, i64),
    mut rx: tokio::sync::broadcast::Receiver<std::sync::Arc<StoredEvent>>,
    mut revoked: tokio::sync::broadcast::Receiver<String>,
) -> impl Stream<Item = Result<SseEvent, Infallible>> {
    async_stream::stream! {
        let mut last = max_id;
        if let Some(from) = resume_from {
            // Gone from the log (pruned) or from another database: the client must reload.
            if from > max_id || (from < min_id - 1 && from < max_id) {
                yield Ok(to_sse(&Event { id: max_id, payload: EventPayload::ResyncRequired }));
            } else {
                last = from;
                for event in replay(&state, &caller, &mut last).await {
                    yield Ok(to_sse(&event));
                }
            }
        }
        let mut shutdown = state.shutdown.subscribe();
        loop {
            let received = tokio::select! {
                received = rx.recv() => received,
                _ = shutdown.changed() => break,
                hash = revoked.recv() => match hash {
                    Ok(hash) if hash != caller.token_hash => continue,
                    // Its token was revoked (or too many revocations to tell): end the stream.
                    _ => break,
                },
            };
            match received {
                Ok(stored) => {
                    if stored.event.id <= last {
                        continue;
                    }
                    last = stored.event.id;
                    let Ok(mut conn) = state.read().await else { continue };
                    if let Some(event) = deliverable(&mut conn, &caller, &stored).await {
                        yield Ok(to_sse(&event));
                    }
                }
                Err(RecvError::Lagged(_)) => {
                    // Too slow for the live channel: catch up from the log instead.
                    for event in replay(&state, &caller, &mut last).await {
                        yield Ok(to_sse(&event));
                    }
                }
                Err(RecvError::Closed) => break,
            }
        }
    }
}

async fn log_bounds(state: &AppState) -> AppResult<(i64, i64)> {
    let mut conn = state.read().await?;
    // Pruning keeps the newest event, so the highest id is always the last one handed out.
    let row =
        sqlx::query("SELECT COALESCE(MIN(id), 1) AS lo, COALESCE(MAX(id), 0) AS hi FROM events")
            .fetch_one(&mut *conn)
            .await?;
    Ok((row.get("lo"), row.get("hi")))
}

/// Events after `*last` that the caller may see, advancing `*last`.
async fn replay(state: &AppState, caller: &Caller, last: &mut i64) -> Vec<Event> {
    let mut out = Vec::new();
    let Ok(mut conn) = state.read().await else {
        return out;
    };
    loop {
        let rows = match sqlx::query(
            "SELECT id, payload, conversation_id, team_ids, agent_ids, owner_id FROM events WHERE id > $1 ORDER BY id LIMIT 500",
        )
        .bind(*last)
        .fetch_all(&mut *conn)
        .await
        {
            Ok(rows) => rows,
            Err(_) => return out,
        };
        if rows.is_empty() {
            return out;
        }
        for row in rows {
            let id: i64 = row.get("id");
            *last = id;
            let Ok(payload) =
                serde_json::from_str::<EventPayload>(&row.get::<String, _>("payload"))
            else {
                continue;
            };
            let stored = StoredEvent {
                event: Event { id, payload },
                access: EventAccess::from_columns(
                    row.get("conversation_id"),
                    &row.get::<String, _>("team_ids"),
                    &row.get::<String, _>("agent_ids"),
                    row.get("owner_id"),
                ),
            };
            if let Some(event) = deliverable(&mut conn, caller, &stored).await {
                out.push(event);
            }
        }
    }
}

/// Drops events older than the retention window; clients resuming from before it resync.
pub async fn prune(state: &AppState, keep_days: i64) -> AppResult<()> {
    let cutoff = util::ts(time::OffsetDateTime::now_utc() - time::Duration::days(keep_days));
    let mut w = state.write().await?;
    // The newest event stays: it tells resuming clients which ids this log has handed out.
    sqlx::query("DELETE FROM events WHERE created_at < $1 AND id < (SELECT MAX(id) FROM events)")
        .bind(cutoff)
        .execute(w.conn())
        .await?;
    w.commit().await
}
