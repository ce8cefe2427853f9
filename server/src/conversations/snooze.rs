//! Snoozing: a conversation leaves the open list until a time, then reopens by itself, or at
//! once when the customer writes. The time is stored, so a restart loses nothing; every replica
//! sweeps for due snoozes, and the conditional UPDATE under the write lock lets exactly one of
//! them reopen each conversation, with one system message.

use super::{agent_name, begin, changed, model};
use crate::auth::Caller;
use crate::error::{ApiJson, AppError, AppResult, if_match};
use crate::messages::{self, NewMessage};
use crate::state::{AppState, Writer};
use crate::util;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::post;
use convoroom_api::*;
use time::OffsetDateTime;

pub fn router() -> Router<AppState> {
    Router::new().route("/conversations/{id}/snooze", post(snooze))
}

/// Why a snooze ended, for the system message and the audit log.
#[derive(Debug, Clone, Copy)]
pub enum Wake {
    /// Its time came.
    Due,
    /// The customer wrote.
    CustomerWrote,
    /// An agent reopened it early.
    By(i64),
}

/// How the system message names the time: the server knows no agent's time zone, so it says
/// UTC; the app shows the time in the agent's own zone in the header.
fn until_text(at: OffsetDateTime) -> String {
    let format = time::macros::format_description!(
        "[weekday repr:short] [day padding:none] [month repr:short] [year], [hour]:[minute] UTC"
    );
    at.to_offset(time::UtcOffset::UTC)
        .format(format)
        .unwrap_or_default()
}

/// The snooze time as sent, checked: RFC 3339, in the future, at most a year ahead.
fn check_until(text: &str, now: OffsetDateTime) -> AppResult<OffsetDateTime> {
    let until = util::parse_ts(text).ok_or_else(|| {
        AppError::field(
            "until",
            "Give the time as RFC 3339, like 2026-12-08T09:00:00Z",
        )
    })?;
    if until <= now {
        return Err(AppError::field("until", "Pick a time in the future"));
    }
    if until > now + time::Duration::days(SnoozeConversation::MAX_DAYS) {
        return Err(AppError::field("until", "Snooze for a year at most"));
    }
    Ok(until)
}

type ConversationJson = axum::Json<Conversation>;

#[utoipa::path(post, path = "/api/v1/conversations/{id}/snooze", operation_id = "snoozeConversation", tag = "conversations", security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header)), request_body = SnoozeConversation,
    responses((status = 200, description = "Snoozed (again, with the new time, if it already was)", body = Conversation),
        (status = 400, description = "The time is not RFC 3339, not in the future or more than a year ahead (`until`), or the conversation is resolved (`status`)", body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn snooze(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<SnoozeConversation>,
) -> AppResult<ConversationJson> {
    let until = check_until(&body.until, OffsetDateTime::now_utc())?;
    let (mut w, current) = begin(&state, &caller, &id, if_match(&headers)?).await?;
    if current.status == Status::Resolved {
        return Err(AppError::field(
            "status",
            "A resolved conversation can't be snoozed: reopen it first",
        ));
    }
    let cid: i64 = current.id.parse().unwrap_or_default();
    sqlx::query("UPDATE conversations SET status = 'snoozed', snoozed_until = $1 WHERE id = $2")
        .bind(util::ts(until))
        .bind(cid)
        .execute(w.conn())
        .await?;
    let text = format!(
        "Snoozed by {} until {}",
        agent_name(w.conn(), caller.id).await?,
        until_text(until)
    );
    let (created, _) = messages::insert(&mut w, NewMessage::system(cid, text)).await?;
    messages::emit_created(&mut w, &created, &model::access_of(&current)).await?;
    w.audit(
        Some(cid),
        Some(caller.id),
        "snoozed",
        serde_json::json!({"from": current.status, "until": util::ts(until)}),
    )
    .await?;
    let conversation = changed(&mut w, cid, caller.id, None).await?;
    w.commit().await?;
    Ok(axum::Json(conversation))
}

/// Reopens `current` if it is still snoozed, with a system message saying why. False when it
/// was not (another replica, or a request, woke it first). The caller bumps the version.
pub async fn wake(w: &mut Writer, current: &Conversation, why: Wake) -> AppResult<bool> {
    let id: i64 = current.id.parse().unwrap_or_default();
    let woken = sqlx::query(
        "UPDATE conversations SET status = 'open', snoozed_until = NULL WHERE id = $1 AND status = 'snoozed'",
    )
    .bind(id)
    .execute(w.conn())
    .await?
    .rows_affected()
        == 1;
    if !woken {
        return Ok(false);
    }
    let (text, actor, reason) = match why {
        Wake::Due => ("Snooze ended: reopened".to_string(), None, "due"),
        Wake::CustomerWrote => (
            "Snooze ended: the customer wrote".to_string(),
            None,
            "customer",
        ),
        Wake::By(agent) => (
            format!("Snooze ended by {}", agent_name(w.conn(), agent).await?),
            Some(agent),
            "agent",
        ),
    };
    let (created, _) = messages::insert(w, NewMessage::system(id, text)).await?;
    messages::emit_created(w, &created, &model::access_of(current)).await?;
    w.audit(
        Some(id),
        actor,
        "status_changed",
        serde_json::json!({"from": Status::Snoozed, "to": Status::Open, "reason": reason}),
    )
    .await?;
    Ok(true)
}

/// Reopens every conversation whose snooze is due at `now`; returns how many this call woke.
/// The background sweep calls it every few seconds with the clock; tests call it with theirs.
pub async fn wake_due(state: &AppState, now: OffsetDateTime) -> AppResult<usize> {
    let now = util::ts(now);
    let due: Vec<i64> = {
        let mut conn = state.read().await?;
        sqlx::query_scalar(
            "SELECT id FROM conversations WHERE status = 'snoozed' AND snoozed_until <= $1
             ORDER BY snoozed_until LIMIT 200",
        )
        .bind(&now)
        .fetch_all(&mut *conn)
        .await?
    };
    if due.is_empty() {
        return Ok(0);
    }
    let mut w = state.write().await?;
    let mut woken = 0;
    for current in model::load_many(w.conn(), &due, 0).await? {
        // Read again under the write lock: a replica or an agent may have acted since.
        let still_due = current.status == Status::Snoozed
            && current
                .snoozed_until
                .as_deref()
                .is_some_and(|at| at <= now.as_str());
        if still_due && wake(&mut w, &current, Wake::Due).await? {
            let id: i64 = current.id.parse().unwrap_or_default();
            changed(&mut w, id, 0, None).await?;
            woken += 1;
        }
    }
    w.commit().await?;
    Ok(woken)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_must_be_in_the_future_and_within_a_year() {
        let now = util::parse_ts("2026-12-07T10:00:00Z").unwrap();
        assert!(check_until("2026-12-07T11:00:00Z", now).is_ok());
        assert!(check_until("2026-12-07T12:00:00+02:00", now).is_err());
        assert!(check_until("2026-12-07T09:59:59Z", now).is_err());
        assert!(check_until("2027-12-09T10:00:00Z", now).is_err());
        assert!(check_until("tomorrow", now).is_err());
    }

    #[test]
    fn the_system_message_names_the_time_in_utc() {
        let at = util::parse_ts("2026-12-08T09:00:00+07:00").unwrap();
        assert_eq!(until_text(at), "Tue 8 Dec 2026, 02:00 UTC");
    }
}
