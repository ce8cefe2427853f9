//! Single-purpose conversation changes shared by PATCH, bulk and the dedicated endpoints.

use super::{agent_name, begin, changed, ensure_agent, model};
use crate::auth::Caller;
use crate::error::{ApiJson, AppError, AppResult, body_id, if_match, path_id};
use crate::messages::{self, NewMessage};
use crate::state::{AppState, Writer};
use crate::util;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use convoroom_api::*;
use serde::Deserialize;
use sqlx::SqliteConnection;

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

pub async fn set_collaborators(
    conn: &mut SqliteConnection,
    id: i64,
    agents: &[i64],
) -> AppResult<()> {
    sqlx::query("DELETE FROM conversation_collaborators WHERE conversation_id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for agent in agents {
        sqlx::query(
            "INSERT INTO conversation_collaborators (conversation_id, agent_id) VALUES (?, ?)",
        )
        .bind(id)
        .bind(agent)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("UPDATE conversations SET collaborator_ids = ? WHERE id = ?")
        .bind(serde_json::to_string(agents)?)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub fn ids_of(ids: &[String]) -> Vec<i64> {
    ids.iter().filter_map(|i| i.parse().ok()).collect()
}

pub async fn set_assignee(
    w: &mut Writer,
    current: &Conversation,
    assignee: Option<i64>,
    actor: i64,
) -> AppResult<()> {
    let id: i64 = current.id.parse().unwrap_or_default();
    sqlx::query("UPDATE conversations SET assignee_id = ? WHERE id = ?")
        .bind(assignee)
        .bind(id)
        .execute(w.conn())
        .await?;
    let text = match assignee {
        Some(agent) => format!("Assigned to {}", agent_name(w.conn(), agent).await?),
        None => "Unassigned".to_string(),
    };
    let (created, _) = messages::insert(w, NewMessage::system(id, text)).await?;
    messages::emit_created(w, &created, &model::access_of(current)).await?;
    w.audit(
        Some(id),
        Some(actor),
        "assigned",
        serde_json::json!({"from": current.assignee_id, "to": assignee.map(|a| a.to_string())}),
    )
    .await
}

/// Resolves: closes the open session, records who resolved it, adds a system message.
pub async fn resolve(
    w: &mut Writer,
    current: &Conversation,
    actor: i64,
    disposition: Option<String>,
    wrap_up_note: Option<String>,
) -> AppResult<()> {
    let id: i64 = current.id.parse().unwrap_or_default();
    let now = util::now();
    let text = format!("Resolved by {}", agent_name(w.conn(), actor).await?);
    let (created, _) = messages::insert(w, NewMessage::system(id, text)).await?;
    messages::emit_created(w, &created, &model::access_of(current)).await?;
    sqlx::query("UPDATE conversation_sessions SET ended_at = ?, resolved_by = ? WHERE conversation_id = ? AND ended_at IS NULL")
        .bind(&now)
        .bind(actor)
        .bind(id)
        .execute(w.conn())
        .await?;
    sqlx::query(
        "UPDATE conversations SET status = 'resolved', resolved_at = ?, waiting_since = NULL,
            disposition = COALESCE(?, disposition), wrap_up_note = COALESCE(?, wrap_up_note) WHERE id = ?",
    )
    .bind(&now)
    .bind(disposition)
    .bind(wrap_up_note)
    .bind(id)
    .execute(w.conn())
    .await?;
    w.audit(
        Some(id),
        Some(actor),
        "status_changed",
        serde_json::json!({"from": current.status, "to": Status::Resolved}),
    )
    .await
}

/// Reopens a resolved conversation into a new session; other status changes just set it.
pub async fn set_status(
    w: &mut Writer,
    current: &Conversation,
    status: Status,
    actor: i64,
) -> AppResult<()> {
    if status == current.status {
        return Ok(());
    }
    if status == Status::Resolved {
        return resolve(w, current, actor, None, None).await;
    }
    let id: i64 = current.id.parse().unwrap_or_default();
    sqlx::query("UPDATE conversations SET status = ?, resolved_at = NULL WHERE id = ?")
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

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct SetAssignee {
    /// An agent id, or `null` to unassign.
    pub assignee_id: Option<String>,
}

#[utoipa::path(put, path = "/api/v1/conversations/{id}/assignee", tag = "conversations", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = SetAssignee, responses((status = 200, body = Conversation), (status = 404, body = ErrorBody)))]
pub async fn put_assignee(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<SetAssignee>,
) -> AppResult<ConversationJson> {
    let (mut w, current) = begin(&state, &caller, &id, if_match(&headers)?).await?;
    let assignee = match &body.assignee_id {
        Some(agent) => Some(ensure_agent(w.conn(), agent, "assignee_id").await?),
        None => None,
    };
    let before = model::access_of(&current);
    if assignee.map(|a| a.to_string()) != current.assignee_id {
        set_assignee(&mut w, &current, assignee, caller.id).await?;
    }
    let conversation = changed(
        &mut w,
        current.id.parse().unwrap_or_default(),
        caller.id,
        Some(before),
    )
    .await?;
    w.commit().await?;
    Ok(axum::Json(conversation))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct AddCollaborator {
    pub agent_id: String,
}

#[utoipa::path(post, path = "/api/v1/conversations/{id}/collaborators", tag = "conversations", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = AddCollaborator, responses((status = 200, body = Conversation), (status = 404, body = ErrorBody)))]
pub async fn add_collaborator(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AddCollaborator>,
) -> AppResult<ConversationJson> {
    let (mut w, current) = begin(&state, &caller, &id, if_match(&headers)?).await?;
    let agent = ensure_agent(w.conn(), &body.agent_id, "agent_id").await?;
    let cid: i64 = current.id.parse().unwrap_or_default();
    let mut ids = ids_of(&current.collaborator_ids);
    if !ids.contains(&agent) {
        ids.push(agent);
        set_collaborators(w.conn(), cid, &ids).await?;
        w.audit(
            Some(cid),
            Some(caller.id),
            "collaborator_added",
            serde_json::json!({"agent_id": agent.to_string()}),
        )
        .await?;
    }
    let conversation = changed(&mut w, cid, caller.id, Some(model::access_of(&current))).await?;
    w.commit().await?;
    Ok(axum::Json(conversation))
}

#[utoipa::path(delete, path = "/api/v1/conversations/{id}/collaborators/{agent_id}", tag = "conversations", security(("bearer" = [])),
    params(("id" = String, Path), ("agent_id" = String, Path)), responses((status = 200, body = Conversation), (status = 404, body = ErrorBody)))]
pub async fn remove_collaborator(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path((id, agent)): Path<(String, String)>,
) -> AppResult<ConversationJson> {
    let (mut w, current) = begin(&state, &caller, &id, if_match(&headers)?).await?;
    let agent = path_id(&agent, "Collaborator")?;
    let cid: i64 = current.id.parse().unwrap_or_default();
    let mut ids = ids_of(&current.collaborator_ids);
    if !ids.contains(&agent) {
        return Err(AppError::not_found("Collaborator"));
    }
    ids.retain(|a| *a != agent);
    set_collaborators(w.conn(), cid, &ids).await?;
    w.audit(
        Some(cid),
        Some(caller.id),
        "collaborator_removed",
        serde_json::json!({"agent_id": agent.to_string()}),
    )
    .await?;
    let conversation = changed(&mut w, cid, caller.id, Some(model::access_of(&current))).await?;
    w.commit().await?;
    Ok(axum::Json(conversation))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct Resolve {
    pub disposition: Option<String>,
    pub wrap_up_note: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/conversations/{id}/resolve", tag = "conversations", security(("bearer" = [])),
    params(("id" = String, Path)), request_body(content = Resolve, description = "Optional"), responses((status = 200, body = Conversation), (status = 404, body = ErrorBody)))]
pub async fn resolve_handler(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> AppResult<ConversationJson> {
    // Clients may send no body, `{}` or `null`.
    let body: Resolve = if body.iter().all(u8::is_ascii_whitespace) || body.trim_ascii() == b"null"
    {
        Resolve::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            AppError::bad_request(format!("The body is not a valid resolve request: {e}"))
        })?
    };
    let (mut w, current) = begin(&state, &caller, &id, if_match(&headers)?).await?;
    let cid: i64 = current.id.parse().unwrap_or_default();
    if current.status != Status::Resolved {
        resolve(
            &mut w,
            &current,
            caller.id,
            body.disposition,
            body.wrap_up_note,
        )
        .await?;
    }
    let conversation = changed(&mut w, cid, caller.id, None).await?;
    w.commit().await?;
    Ok(axum::Json(conversation))
}

#[utoipa::path(post, path = "/api/v1/conversations/{id}/reopen", tag = "conversations", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = Conversation), (status = 404, body = ErrorBody)))]
pub async fn reopen(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> AppResult<ConversationJson> {
    let (mut w, current) = begin(&state, &caller, &id, if_match(&headers)?).await?;
    let cid: i64 = current.id.parse().unwrap_or_default();
    if current.status == Status::Resolved {
        set_status(&mut w, &current, Status::Open, caller.id).await?;
    }
    let conversation = changed(&mut w, cid, caller.id, None).await?;
    w.commit().await?;
    Ok(axum::Json(conversation))
}

#[utoipa::path(post, path = "/api/v1/conversations/bulk", tag = "conversations", security(("bearer" = [])),
    request_body = BulkUpdate, responses((status = 200, body = BulkResult), (status = 400, body = ErrorBody)))]
pub async fn bulk(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<BulkUpdate>,
) -> AppResult<axum::Json<BulkResult>> {
    if body.conversation_ids.len() > 500 {
        return Err(AppError::field(
            "conversation_ids",
            "At most 500 conversations at once",
        ));
    }
    let label = body.add_label.as_deref().map(clean_label).transpose()?;
    let mut w = state.write().await?;
    let assignee = match &body.assignee_id {
        Some(Some(agent)) => Some(Some(ensure_agent(w.conn(), agent, "assignee_id").await?)),
        Some(None) => Some(None),
        None => None,
    };
    let mut result = BulkResult {
        updated: Vec::new(),
        not_found: Vec::new(),
    };
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
        if let Some(label) = &label {
            let mut labels = current.labels.clone();
            labels.push(label.clone());
            set_labels(w.conn(), cid, &normalise_labels(&labels)?).await?;
            w.audit(
                Some(cid),
                Some(caller.id),
                "label_added",
                serde_json::json!({"label": label}),
            )
            .await?;
        }
        if let Some(status) = body.status {
            set_status(&mut w, &current, status, caller.id).await?;
        }
        result
            .updated
            .push(changed(&mut w, cid, caller.id, Some(before)).await?);
    }
    w.commit().await?;
    Ok(axum::Json(result))
}
