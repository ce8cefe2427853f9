//! A conversation's status: `POST /conversations/{id}/resolve` and `…/reopen`, and the status
//! change PATCH and bulk make.

use super::{agent_name, begin, changed, check_len, model};
use crate::auth::Caller;
use crate::error::{AppError, AppResult, if_match};
use crate::messages::{self, NewMessage};
use crate::state::{AppState, Writer};
use crate::util;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::post;
use convoroom_api::*;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/conversations/{id}/resolve", post(resolve))
        .route("/conversations/{id}/reopen", post(reopen))
}

/// Refuses after-conversation work the conversation's team would not accept (a required
/// field missing, a disposition that is not on the list, a wrap-up note too long): 400 naming
/// the field, in the words the app uses before sending.
async fn check_resolution(
    conn: &mut crate::db::Conn,
    current: &Conversation,
    resolution: &ResolveConversation,
) -> AppResult<()> {
    let rules = crate::settings::teams::rules_of(conn, current.team_id.as_deref()).await?;
    let dispositions = if resolution.disposition.is_some() {
        crate::settings::dispositions::load_all(conn).await?
    } else {
        Vec::new()
    };
    if let Some(problem) = resolution.problem(&rules, current.channel, &dispositions) {
        return Err(AppError::field(problem.field, problem.message));
    }
    let definitions =
        crate::settings::attributes::load_definitions(conn, Some(AttributeTarget::Conversation))
            .await?;
    match definitions
        .iter()
        .find(|d| d.required && !current.attributes.contains_key(&d.key))
    {
        Some(missing) => Err(AppError::field(
            &format!("attributes.{}", missing.key),
            format!("Set {} before resolving", missing.name),
        )),
        None => Ok(()),
    }
}

/// Resolves: checks and records the after-conversation work on the session it closes and on
/// the conversation, records who resolved it, adds a system message.
async fn mark_resolved(
    w: &mut Writer,
    current: &Conversation,
    actor: i64,
    resolution: &ResolveConversation,
) -> AppResult<()> {
    let mut resolution = resolution.clone().normalised();
    if !AfterConversationRules::hangup_source_applies(current.channel) {
        resolution.hangup_source = None;
    }
    check_resolution(w.conn(), current, &resolution).await?;
    let id: i64 = current.id.parse().unwrap_or_default();
    let now = util::now();
    let mut text = format!("Resolved by {}", agent_name(w.conn(), actor).await?);
    if let Some(disposition) = &resolution.disposition {
        text.push_str(&format!(" · {disposition}"));
    }
    let (created, _) = messages::insert(w, NewMessage::system(id, text)).await?;
    messages::emit_created(w, &created, &model::access_of(current)).await?;
    let hangup = resolution.hangup_source.map(HangupSource::as_str);
    sqlx::query(
        "UPDATE conversation_sessions SET ended_at = $1, resolved_by = $2, disposition = $3,
            wrap_up_note = $4, hangup_source = $5 WHERE conversation_id = $6 AND ended_at IS NULL",
    )
    .bind(&now)
    .bind(actor)
    .bind(&resolution.disposition)
    .bind(&resolution.wrap_up_note)
    .bind(hangup)
    .bind(id)
    .execute(w.conn())
    .await?;
    sqlx::query(
        "UPDATE conversations SET status = 'resolved', resolved_at = $1, waiting_since = NULL, snoozed_until = NULL,
            disposition = COALESCE($2, disposition), wrap_up_note = COALESCE($3, wrap_up_note),
            hangup_source = COALESCE($4, hangup_source) WHERE id = $5",
    )
    .bind(&now)
    .bind(&resolution.disposition)
    .bind(&resolution.wrap_up_note)
    .bind(hangup)
    .bind(id)
    .execute(w.conn())
    .await?;
    let mut detail = serde_json::json!({"from": current.status, "to": Status::Resolved});
    if resolution != ResolveConversation::default() {
        detail["resolution"] = serde_json::to_value(&resolution)?;
    }
    w.audit(Some(id), Some(actor), "status_changed", detail)
        .await
}

/// Reopens a resolved conversation into a new session; other status changes just set it.
/// `resolution` is what resolving records (and must satisfy the team's requirements).
pub async fn set_status(
    w: &mut Writer,
    current: &Conversation,
    status: Status,
    actor: i64,
    resolution: &ResolveConversation,
) -> AppResult<()> {
    if status == current.status {
        return Ok(());
    }
    if status == Status::Snoozed {
        return Err(AppError::field(
            "status",
            "Snoozing needs a time: use Snooze (POST /conversations/{id}/snooze)",
        ));
    }
    if status == Status::Resolved {
        return mark_resolved(w, current, actor, resolution).await;
    }
    let id: i64 = current.id.parse().unwrap_or_default();
    sqlx::query("UPDATE conversations SET status = $1, resolved_at = NULL, snoozed_until = NULL WHERE id = $2")
        .bind(status.as_str())
        .bind(id)
        .execute(w.conn())
        .await?;
    if current.status == Status::Resolved {
        let (_, created) = messages::open_session(w, id, &util::now()).await?;
        let text = format!("Reopened by {}", agent_name(w.conn(), actor).await?);
        let (more, _) = messages::insert(w, NewMessage::system(id, text)).await?;
        let access = model::access_of(current);
        messages::emit_created(w, &created, &access).await?;
        messages::emit_created(w, &more, &access).await?;
    }
    w.audit(
        Some(id),
        Some(actor),
        "status_changed",
        serde_json::json!({"from": current.status, "to": status}),
    )
    .await
}

type ConversationJson = axum::Json<Conversation>;

#[utoipa::path(post, path = "/api/v1/conversations/{id}/resolve", operation_id = "resolveConversation", tag = "conversations", security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header)), request_body(content = Option<ResolveConversation>, description = "Optional: no body, `null` or `{}` resolve with nothing recorded, unless the team requires something"),
    responses((status = 200, body = Conversation),
        (status = 400, description = "Something the conversation's team requires is missing, or not acceptable (`field` names it)", body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn resolve(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> AppResult<ConversationJson> {
    crate::error::refuse_nul(&body)?;
    // Clients may send no body, `{}` or `null`.
    let body: ResolveConversation =
        if body.iter().all(u8::is_ascii_whitespace) || body.trim_ascii() == b"null" {
            ResolveConversation::default()
        } else {
            serde_json::from_slice(&body).map_err(|e| {
                AppError::bad_request(format!("The body is not a valid resolve request: {e}"))
            })?
        };
    check_len(
        "disposition",
        body.disposition.as_ref(),
        validate::DISPOSITION_MAX_CHARS,
    )?;
    check_len(
        "wrap_up_note",
        body.wrap_up_note.as_ref(),
        validate::WRAP_UP_NOTE_MAX_CHARS,
    )?;
    let (mut w, current) = begin(&state, &caller, &id, if_match(&headers)?).await?;
    let cid: i64 = current.id.parse().unwrap_or_default();
    if current.status != Status::Resolved {
        mark_resolved(&mut w, &current, caller.id, &body).await?;
    }
    let conversation = changed(&mut w, cid, caller.id, None).await?;
    w.commit().await?;
    Ok(axum::Json(conversation))
}

/// Takes no body (one sent is ignored), like resolve without a disposition. Ends a snooze early.
#[utoipa::path(post, path = "/api/v1/conversations/{id}/reopen", operation_id = "reopenConversation", tag = "conversations", security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header)), responses((status = 200, body = Conversation), (status = 404, body = ErrorBody)))]
pub async fn reopen(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> AppResult<ConversationJson> {
    let (mut w, current) = begin(&state, &caller, &id, if_match(&headers)?).await?;
    let cid: i64 = current.id.parse().unwrap_or_default();
    if current.status == Status::Snoozed {
        super::snooze::wake(&mut w, &current, super::snooze::Wake::By(caller.id)).await?;
    } else if current.status == Status::Resolved {
        set_status(
            &mut w,
            &current,
            Status::Open,
            caller.id,
            &ResolveConversation::default(),
        )
        .await?;
    }
    let conversation = changed(&mut w, cid, caller.id, None).await?;
    w.commit().await?;
    Ok(axum::Json(conversation))
}
