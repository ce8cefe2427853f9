//! `POST /conversations/bulk`: one assignee, label or status change applied to many conversations.

use super::labels::{priority_alias, push_label, set_priority};
use super::ownership::set_assignee;
use super::status::set_status;
use super::{changed, check_len, ensure_assignable, model};
use crate::auth::Caller;
use crate::error::{ApiJson, AppError, AppResult, body_id};
use crate::labels::clean_label;
use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::routing::post;
use convoroom_api::*;

pub fn router() -> Router<AppState> {
    Router::new().route("/conversations/bulk", post(bulk))
}

#[utoipa::path(post, path = "/api/v1/conversations/bulk", operation_id = "bulkUpdateConversations", tag = "conversations", security(("bearer" = [])),
    request_body = BulkUpdate, responses((status = 200, body = BulkResult), (status = 400, body = ErrorBody)))]
pub async fn bulk(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<BulkUpdate>,
) -> AppResult<axum::Json<BulkResult>> {
    if body.conversation_ids.len() > validate::BULK_MAX_CONVERSATIONS {
        return Err(AppError::field(
            "conversation_ids",
            format!(
                "At most {} conversations at once",
                validate::BULK_MAX_CONVERSATIONS
            ),
        ));
    }
    if let Some(resolve) = &body.resolve {
        // The limits the schema states, checked before anything changes (as the one-by-one
        // resolve does), whether or not this request resolves.
        check_len(
            "resolve.disposition",
            resolve.disposition.as_ref(),
            validate::DISPOSITION_MAX_CHARS,
        )?;
        check_len(
            "resolve.wrap_up_note",
            resolve.wrap_up_note.as_ref(),
            validate::WRAP_UP_NOTE_MAX_CHARS,
        )?;
    }
    let label = body.add_label.as_deref().map(clean_label).transpose()?;
    // `priority::x` sets the priority field instead (see `labels.rs`).
    let priority = label.as_deref().map(priority_alias).transpose()?.flatten();
    let mut w = state.write().await?;
    let assignee = match &body.assignee_id {
        Some(Some(agent)) => Some(Some(
            ensure_assignable(w.conn(), agent, "assignee_id").await?,
        )),
        Some(None) => Some(None),
        None => None,
    };
    let mut result = BulkResult {
        updated: Vec::new(),
        not_found: Vec::new(),
    };
    let resolve = body.resolve.clone().unwrap_or_default();
    for raw in &body.conversation_ids {
        let current = match body_id(raw, "conversation_ids") {
            Ok(id) => model::load_visible(w.conn(), &caller, id).await.ok(),
            Err(_) => None,
        };
        let Some(current) = current else {
            result.not_found.push(raw.clone());
            continue;
        };
        let cid: i64 = current.id.parse().unwrap_or_default();
        let before = model::access_of(&current);
        if let Some(assignee) = assignee
            && assignee.map(|a| a.to_string()) != current.assignee_id
        {
            set_assignee(&mut w, &current, assignee, caller.id).await?;
        }
        if let Some(priority) = priority {
            set_priority(&mut w, &current, priority, caller.id).await?;
        } else if let Some(label) = &label {
            push_label(&mut w, &current, label, caller.id).await?;
        }
        if let Some(status) = body.status {
            // Resolving checks the work against this conversation's team (the hangup source
            // only on calls: `status::mark_resolved`). A refusal returns before the commit, so
            // the whole request changes nothing; it names the conversation.
            set_status(&mut w, &current, status, caller.id, &resolve)
                .await
                .map_err(|mut err| {
                    if let Some(field) = err.0.field.take() {
                        err.0.field = Some(format!("resolve.{field}"));
                        err.0.message = format!("Conversation #{}: {}", current.id, err.0.message);
                    }
                    err
                })?;
        }
        result
            .updated
            .push(changed(&mut w, cid, caller.id, Some(before)).await?);
    }
    w.commit().await?;
    Ok(axum::Json(result))
}
