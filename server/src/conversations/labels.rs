//! Labels on conversations and in the catalogue; scoped labels (`scope::x`) replace each other.

use super::{begin, changed};
use crate::auth::Caller;
use crate::error::{ApiJson, AppError, AppResult, if_match};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use convoroom_api::*;
use sqlx::SqliteConnection;

type ConversationJson = axum::Json<Conversation>;

const PALETTE: [&str; 8] = [
    "#2563eb", "#16a34a", "#dc2626", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777",
];

pub fn label_color(name: &str) -> &'static str {
    let hash = name
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32));
    PALETTE[(hash as usize) % PALETTE.len()]
}

pub fn clean_label(name: &str) -> AppResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::field("label", "A label is 1–100 characters"));
    }
    Ok(name.to_string())
}

/// Keeps the last label of each scope (`priority::high` replaces `priority::low`) and drops repeats.
pub fn normalise_labels(labels: &[String]) -> AppResult<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for label in labels {
        let label = clean_label(label)?;
        if let Some(scope) = label_scope(&label) {
            out.retain(|l| label_scope(l) != Some(scope));
        }
        out.retain(|l| *l != label);
        out.push(label);
    }
    Ok(out)
}

pub async fn ensure_catalogue(conn: &mut SqliteConnection, labels: &[String]) -> AppResult<()> {
    for label in labels {
        sqlx::query("INSERT INTO labels (name, color, description) VALUES (?, ?, '') ON CONFLICT DO NOTHING")
            .bind(label)
            .bind(label_color(label))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn set_labels(conn: &mut SqliteConnection, id: i64, labels: &[String]) -> AppResult<()> {
    ensure_catalogue(conn, labels).await?;
    sqlx::query("DELETE FROM conversation_labels WHERE conversation_id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for label in labels {
        sqlx::query("INSERT INTO conversation_labels (conversation_id, label) VALUES (?, ?)")
            .bind(id)
            .bind(label)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("UPDATE conversations SET labels = ? WHERE id = ?")
        .bind(serde_json::to_string(labels)?)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[utoipa::path(post, path = "/api/v1/conversations/{id}/labels", tag = "conversations", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = AddLabel, responses((status = 200, body = Conversation), (status = 404, body = ErrorBody)))]
pub async fn add_label(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AddLabel>,
) -> AppResult<ConversationJson> {
    let label = clean_label(&body.label)?;
    let (mut w, current) = begin(&state, &caller, &id, if_match(&headers)?).await?;
    let cid: i64 = current.id.parse().unwrap_or_default();
    let mut labels = current.labels.clone();
    labels.push(label.clone());
    let labels = normalise_labels(&labels)?;
    set_labels(w.conn(), cid, &labels).await?;
    w.audit(
        Some(cid),
        Some(caller.id),
        "label_added",
        serde_json::json!({"label": label}),
    )
    .await?;
    let conversation = changed(&mut w, cid, caller.id, None).await?;
    w.commit().await?;
    Ok(axum::Json(conversation))
}

#[utoipa::path(delete, path = "/api/v1/conversations/{id}/labels/{label}", tag = "conversations", security(("bearer" = [])),
    params(("id" = String, Path), ("label" = String, Path)), responses((status = 200, body = Conversation), (status = 404, body = ErrorBody)))]
pub async fn remove_label(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path((id, label)): Path<(String, String)>,
) -> AppResult<ConversationJson> {
    let (mut w, current) = begin(&state, &caller, &id, if_match(&headers)?).await?;
    let cid: i64 = current.id.parse().unwrap_or_default();
    let labels: Vec<String> = current
        .labels
        .iter()
        .filter(|l| **l != label)
        .cloned()
        .collect();
    if labels.len() == current.labels.len() {
        return Err(AppError::not_found("Label on this conversation"));
    }
    set_labels(w.conn(), cid, &labels).await?;
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
