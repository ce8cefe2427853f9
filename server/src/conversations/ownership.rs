//! Who handles a conversation (assignee) and who helps (collaborators).

use super::{agent_name, begin, changed, ensure_assignable, model};
use crate::auth::Caller;
use crate::db::Conn;
use crate::error::{ApiJson, AppError, AppResult, if_match, path_id};
use crate::messages::{self, NewMessage};
use crate::state::{AppState, Writer};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::{delete, post, put};
use convoroom_api::*;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/conversations/{id}/assignee", put(put_assignee))
        .route("/conversations/{id}/collaborators", post(add_collaborator))
        .route(
            "/conversations/{id}/collaborators/{agent_id}",
            delete(remove_collaborator),
        )
}

type ConversationJson = axum::Json<Conversation>;

pub async fn set_collaborators(conn: &mut Conn, id: i64, agents: &[i64]) -> AppResult<()> {
    sqlx::query("DELETE FROM conversation_collaborators WHERE conversation_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for agent in agents {
        sqlx::query(
            "INSERT INTO conversation_collaborators (conversation_id, agent_id) VALUES ($1, $2)",
        )
        .bind(id)
        .bind(agent)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("UPDATE conversations SET collaborator_ids = $1 WHERE id = $2")
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
    sqlx::query("UPDATE conversations SET assignee_id = $1 WHERE id = $2")
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
    if let Some(agent_id) = assignee {
        let preview = current.channel.label().to_string();
        let notice = crate::notifications::Notice {
            agent_id,
            kind: NotificationKind::Assigned,
            conversation_id: id,
            actor_id: Some(actor),
            message_id: None,
            preview,
        };
        crate::notifications::notify(w, notice).await?;
    }
    w.audit(
        Some(id),
        Some(actor),
        "assigned",
        serde_json::json!({"from": current.assignee_id, "to": assignee.map(|a| a.to_string())}),
    )
    .await
}

#[utoipa::path(put, path = "/api/v1/conversations/{id}/assignee", operation_id = "setAssignee", tag = "conversations", security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header)), request_body = SetAssignee, responses((status = 200, body = Conversation), (status = 404, body = ErrorBody)))]
pub async fn put_assignee(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<SetAssignee>,
) -> AppResult<ConversationJson> {
    let (mut w, current) = begin(&state, &caller, &id, if_match(&headers)?).await?;
    let assignee = match &body.assignee_id {
        Some(agent) => Some(ensure_assignable(w.conn(), agent, "assignee_id").await?),
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

#[utoipa::path(post, path = "/api/v1/conversations/{id}/collaborators", operation_id = "addCollaborator", tag = "conversations", security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header)), request_body = AddCollaborator, responses((status = 200, body = Conversation), (status = 404, body = ErrorBody)))]
pub async fn add_collaborator(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AddCollaborator>,
) -> AppResult<ConversationJson> {
    let (mut w, current) = begin(&state, &caller, &id, if_match(&headers)?).await?;
    let agent = ensure_assignable(w.conn(), &body.agent_id, "agent_id").await?;
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

#[utoipa::path(delete, path = "/api/v1/conversations/{id}/collaborators/{agent_id}", operation_id = "removeCollaborator", tag = "conversations", security(("bearer" = [])),
    params(("id" = String, Path), ("agent_id" = String, Path), ("If-Match" = Option<String>, Header)), responses((status = 200, body = Conversation), (status = 404, body = ErrorBody)))]
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
