//! `GET /events` (server-sent events) with replay from the log, and stream tickets.

use super::deliverable;
use super::dispatch::{Prepared, frame};
use super::log::{self, Entry};
use crate::auth::{Caller, caller_from_hash};
use crate::error::{ApiQuery, AppError, AppResult};
use crate::state::AppState;
use crate::util;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use convoroom_api::{Event, EventPayload, StreamTicket};
use futures_util::Stream;
use serde::Deserialize;
use sqlx::Row;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

const TICKET_TTL: Duration = Duration::from_secs(60);
/// A comment line every so often keeps proxies from closing a quiet stream.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

#[utoipa::path(post, path = "/api/v1/events/ticket", operation_id = "createEventStreamTicket", tag = "events", security(("bearer" = [])),
    responses((status = 200, body = StreamTicket)))]
pub async fn ticket(
    State(state): State<AppState>,
    caller: Caller,
) -> AppResult<axum::Json<StreamTicket>> {
    let ticket = util::random_token();
    let now = util::now_ms();
    // Any replica may be asked to open the stream: the ticket is kept in the database, as its
    // SHA-256 with the SHA-256 of the token it stands for.
    let mut w = state.write().await?;
    sqlx::query("DELETE FROM stream_tickets WHERE expires_ms <= $1")
        .bind(now)
        .execute(w.conn())
        .await?;
    sqlx::query(
        "INSERT INTO stream_tickets (ticket_hash, token_hash, expires_ms) VALUES ($1, $2, $3)",
    )
    .bind(util::sha256_hex(&ticket))
    .bind(&caller.token_hash)
    .bind(now + TICKET_TTL.as_millis() as i64)
    .execute(w.conn())
    .await?;
    w.commit().await?;
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

#[utoipa::path(get, path = "/api/v1/events", operation_id = "streamEvents", tag = "events", params(StreamQuery),
    responses((status = 200, description = "text/event-stream of Event", content_type = "text/event-stream", body = Event)))]
pub async fn stream(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<StreamQuery>,
) -> AppResult<Response> {
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
    let bounds = {
        let mut conn = state.read().await?;
        log::bounds(&mut conn).await?
    };
    let body = Body::from_stream(event_stream(
        state,
        caller,
        resume_from,
        bounds,
        rx,
        revoked,
    ));
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    // Proxies that buffer responses (nginx) pass this one through as it comes.
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    Ok(response)
}

async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
    ticket: Option<&str>,
) -> AppResult<Caller> {
    if let Some(ticket) = ticket {
        // Single use: taken out of the table by whichever replica opens the stream.
        let mut w = state.write().await?;
        let entry = sqlx::query(
            "DELETE FROM stream_tickets WHERE ticket_hash = $1 RETURNING token_hash, expires_ms",
        )
        .bind(util::sha256_hex(ticket))
        .fetch_optional(w.conn())
        .await?;
        w.commit().await?;
        let Some(entry) = entry.filter(|e| e.get::<i64, _>("expires_ms") > util::now_ms()) else {
            return Err(AppError::unauthorized());
        };
        let mut conn = state.read().await?;
        return caller_from_hash(&mut conn, &entry.get::<String, _>("token_hash"))
            .await?
            .ok_or_else(AppError::unauthorized);
    }
    // Non-browser clients may use the Authorization header instead of a ticket.
    let mut parts = axum::http::Request::new(()).into_parts().0;
    parts.headers = headers.clone();
    <Caller as axum::extract::FromRequestParts<AppState>>::from_request_parts(&mut parts, state)
        .await
}

enum Next {
    Live(Result<Arc<Prepared>, RecvError>),
    KeepAlive,
}

fn event_stream(
    state: AppState,
    caller: Caller,
    resume_from: Option<i64>,
    (min_id, max_id): (i64, i64),
    mut rx: tokio::sync::broadcast::Receiver<Arc<Prepared>>,
    mut revoked: tokio::sync::broadcast::Receiver<String>,
) -> impl Stream<Item = Result<Bytes, Infallible>> {
    async_stream::stream! {
        let mut last = max_id;
        if let Some(from) = resume_from {
            // Gone from the log (pruned) or from another database: the client must reload.
            if from > max_id || (from < min_id - 1 && from < max_id) {
                yield Ok(frame(&Event { id: max_id, payload: EventPayload::ResyncRequired }));
            } else {
                last = from;
                for event in replay(&state, &caller, &mut last).await {
                    yield Ok(frame(&event));
                }
            }
        }
        let mut shutdown = state.shutdown.subscribe();
        let mut keep_alive = tokio::time::interval_at(
            tokio::time::Instant::now() + KEEP_ALIVE,
            KEEP_ALIVE,
        );
        loop {
            let next = tokio::select! {
                received = rx.recv() => Next::Live(received),
                _ = keep_alive.tick() => Next::KeepAlive,
                _ = shutdown.changed() => break,
                hash = revoked.recv() => match hash {
                    Ok(hash) if hash != caller.token_hash => continue,
                    // Its token was revoked (or too many revocations to tell): end the stream.
                    _ => break,
                },
            };
            match next {
                Next::KeepAlive => yield Ok(Bytes::from_static(b": keep-alive\n\n")),
                Next::Live(Ok(prepared)) => {
                    if prepared.id() <= last {
                        continue;
                    }
                    last = prepared.id();
                    if let Some(bytes) = prepared.frame_for(&caller) {
                        yield Ok(bytes);
                    }
                }
                Next::Live(Err(RecvError::Lagged(_))) => {
                    // Too slow for the live channel: catch up from the log instead.
                    for event in replay(&state, &caller, &mut last).await {
                        yield Ok(frame(&event));
                    }
                }
                Next::Live(Err(RecvError::Closed)) => break,
            }
        }
    }
}

/// Events after `*last` that the caller may see, advancing `*last`.
async fn replay(state: &AppState, caller: &Caller, last: &mut i64) -> Vec<Event> {
    let mut out = Vec::new();
    let Ok(mut conn) = state.read().await else {
        return out;
    };
    loop {
        let Ok(rows) = log::after(&mut conn, *last, 500).await else {
            return out;
        };
        let Some((newest, _)) = rows.last() else {
            return out;
        };
        let newest = *newest;
        for (_, entry) in rows {
            if let Entry::Event(stored) = entry
                && let Some(event) = deliverable(&mut conn, caller, &stored).await
            {
                out.push(event);
            }
        }
        *last = newest;
    }
}
