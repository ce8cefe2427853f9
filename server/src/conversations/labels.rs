//! Labels on a conversation: `POST /conversations/{id}/labels`, `DELETE …/labels/{label}`.
//!
//! `priority::x` labels are an alias of the priority field (`Priority::of_label`): adding one
//! sets the field, removing the current one clears it, and none is ever stored as a label.

use super::{begin, changed};
use crate::auth::Caller;
use crate::error::{ApiJson, AppError, AppResult, if_match};
use crate::labels::{clean_label, ensure_catalogue, normalise_labels};
use crate::state::{AppState, Writer};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::{delete, post};
use convoroom_api::*;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/conversations/{id}/labels", post(add_label))
        .route("/conversations/{id}/labels/{label}", delete(remove_label))
}

type ConversationJson = axum::Json<Conversation>;

/// The priority a label stands for, if it is a `priority::` alias; a 400 if it names none.
pub fn priority_alias(label: &str) -> AppResult<Option<Priority>> {
    match Priority::of_label(label) {
        None => Ok(None),
        Some(Ok(priority)) => Ok(Some(priority)),
        Some(Err(())) => Err(AppError::field(
            "label",
            format!(
                "\"{label}\" is not a priority: use priority::none, low, medium, high or urgent"
            ),
        )),
    }
}

/// Labels less their `priority::` aliases, and the priority the last alias names.
pub fn split_priority(labels: &[String]) -> AppResult<(Vec<String>, Option<Priority>)> {
    let mut rest = Vec::new();
    let mut priority = None;
    for label in labels {
        match priority_alias(label)? {
            Some(p) => priority = Some(p),
            None => rest.push(label.clone()),
        }
    }
    Ok((rest, priority))
}

/// Sets the priority field, audited as `priority_changed`; the same priority changes nothing.
pub async fn set_priority(
    w: &mut Writer,
    current: &Conversation,
    priority: Priority,
    actor: i64,
) -> AppResult<()> {
    if current.priority == priority {
        return Ok(());
    }
    let cid: i64 = current.id.parse().unwrap_or_default();
    sqlx::query("UPDATE conversations SET priority = $1 WHERE id = $2")
        .bind(priority.as_str())
        .bind(cid)
        .execute(w.conn())
        .await?;
    w.audit(
        Some(cid),
        Some(actor),
        "priority_changed",
        serde_json::json!({"from": current.priority, "to": priority}),
    )
    .await?;
    Ok(())
}

/// The conversation's labels, in the link table (filters, counts) and the row (reads).
/// Adds a (cleaned, non-priority) label to `current`'s labels, its scope replacing a sibling,
/// and audits it: the one way a single label is added (the endpoint and bulk).
pub async fn push_label(
    w: &mut Writer,
    current: &Conversation,
    label: &str,
    actor: i64,
) -> AppResult<()> {
    let cid: i64 = current.id.parse().unwrap_or_default();
    let mut labels = current.labels.clone();
    labels.push(label.to_string());
    set_labels(w, cid, &normalise_labels(&labels)?).await?;
    w.audit(
        Some(cid),
        Some(actor),
        "label_added",
        serde_json::json!({"label": label}),
    )
    .await
}

pub async fn set_labels(w: &mut Writer, id: i64, labels: &[String]) -> AppResult<()> {
    ensure_catalogue(w, labels).await?;
    let conn = w.conn();
    sqlx::query("DELETE FROM conversation_labels WHERE conversation_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for label in labels {
        sqlx::query("INSERT INTO conversation_labels (conversation_id, label) VALUES ($1, $2)")
            .bind(id)
            .bind(label)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("UPDATE conversations SET labels = $1 WHERE id = $2")
        .bind(serde_json::to_string(labels)?)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[utoipa::path(post, path = "/api/v1/conversations/{id}/labels", operation_id = "addConversationLabel", tag = "conversations", security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header)), request_body = AddLabel, responses((status = 200, body = Conversation), (status = 404, body = ErrorBody)))]
pub async fn add_label(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AddLabel>,
) -> AppResult<ConversationJson> {
    let label = clean_label(&body.label)?;
    let alias = priority_alias(&label)?;
    let (mut w, current) = begin(&state, &caller, &id, if_match(&headers)?).await?;
    let cid: i64 = current.id.parse().unwrap_or_default();
    if let Some(priority) = alias {
        set_priority(&mut w, &current, priority, caller.id).await?;
        let conversation = changed(&mut w, cid, caller.id, None).await?;
        w.commit().await?;
        return Ok(axum::Json(conversation));
    }
    push_label(&mut w, &current, &label, caller.id).await?;
    let conversation = changed(&mut w, cid, caller.id, None).await?;
    w.commit().await?;
    Ok(axum::Json(conversation))
}

#[utoipa::path(delete, path = "/api/v1/conversations/{id}/labels/{label}", operation_id = "removeConversationLabel", tag = "conversations", security(("bearer" = [])),
    params(("id" = String, Path), ("label" = String, Path), ("If-Match" = Option<String>, Header)), responses((status = 200, body = Conversation), (status = 404, body = ErrorBody)))]
pub async fn remove_label(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path((id, label)): Path<(String, String)>,
) -> AppResult<ConversationJson> {
    let (mut w, current) = begin(&state, &caller, &id, if_match(&headers)?).await?;
    let cid: i64 = current.id.parse().unwrap_or_default();
    if let Some(alias) = Priority::of_label(&label) {
        // Only the conversation's own priority is "on" it; removing it leaves no priority.
        if alias != Ok(current.priority) || current.priority == Priority::None {
            return Err(AppError::not_found("Label on this conversation"));
        }
        set_priority(&mut w, &current, Priority::None, caller.id).await?;
        let conversation = changed(&mut w, cid, caller.id, None).await?;
        w.commit().await?;
        return Ok(axum::Json(conversation));
    }
    let labels: Vec<String> = current
        .labels
        .iter()
        .filter(|l| **l != label)
        .cloned()
        .collect();
    if labels.len() == current.labels.len() {
        return Err(AppError::not_found("Label on this conversation"));
    }
    set_labels(&mut w, cid, &labels).await?;
    w.audit(
        Some(cid),
        Some(caller.id),
        "label_removed",
        serde_json::json!({"label": label}),
    )
    .await?;
    let conversation = changed(&mut w, cid, caller.id, None).await?;
    w.commit().await?;
    Ok(axum::Json(conversation))
}
