//! Tickets an integration links to conversations (`PUT`/`DELETE
//! /conversations/{id}/tickets/{external_id}`) and a contact's ticket history
//! (`GET /contacts/{id}/tickets`). A conversation's `ticket_id` is its newest ticket's id.

use super::{begin, changed, model};
use crate::auth::Caller;
use crate::db::{Conn, DbRow};
use crate::error::{ApiJson, AppError, AppResult, path_id};
use crate::state::{AppState, Writer};
use crate::util;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use convoroom_api::*;
use sqlx::Row;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/conversations/{id}/tickets/{external_id}",
            put(link).delete(unlink),
        )
        .route("/contacts/{id}/tickets", get(of_contact))
}

/// Columns of `tickets t JOIN conversations c`.
const SELECT: &str = "SELECT t.external_id, t.conversation_id, c.contact_id, t.title, t.status,
    t.url, t.created_at, t.updated_at FROM tickets t JOIN conversations c ON c.id = t.conversation_id";

fn from_row(row: &DbRow) -> Ticket {
    Ticket {
        external_id: row.get("external_id"),
        conversation_id: row.get::<i64, _>("conversation_id").to_string(),
        contact_id: row.get::<i64, _>("contact_id").to_string(),
        title: row.get("title"),
        status: TicketStatus::parse(&row.get::<String, _>("status")).unwrap_or(TicketStatus::Open),
        url: row.get("url"),
        created_at: row.get("created_at"),
        updated_at: row.get("updated_at"),
    }
}

async fn load(
    conn: &mut Conn,
    conversation_id: i64,
    external_id: &str,
) -> AppResult<Option<Ticket>> {
    let row = sqlx::query(&format!(
        "{SELECT} WHERE t.conversation_id = $1 AND t.external_id = $2"
    ))
    .bind(conversation_id)
    .bind(external_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.as_ref().map(from_row))
}

/// The ticket id from the path: 1–200 characters, not blank.
fn check_external_id(external_id: &str) -> AppResult<()> {
    if external_id.trim().is_empty()
        || validate::too_long(external_id, validate::TICKET_ID_MAX_CHARS)
    {
        return Err(AppError::field(
            "external_id",
            format!(
                "external_id is the ticket's id in the ticketing system, 1–{} characters",
                validate::TICKET_ID_MAX_CHARS
            ),
        ));
    }
    Ok(())
}

fn check(body: &WriteTicket) -> AppResult<()> {
    if body.title.trim().is_empty()
        || validate::too_long(&body.title, validate::TICKET_TITLE_MAX_CHARS)
    {
        return Err(AppError::field(
            "title",
            format!(
                "A ticket title is 1–{} characters",
                validate::TICKET_TITLE_MAX_CHARS
            ),
        ));
    }
    if let Some(url) = &body.url
        && (validate::too_long(url, validate::TICKET_URL_MAX_CHARS) || !validate::is_web_url(url))
    {
        return Err(AppError::field(
            "url",
            format!(
                "url is the ticket's http(s) address, at most {} characters",
                validate::TICKET_URL_MAX_CHARS
            ),
        ));
    }
    Ok(())
}

/// After a ticket changed: the conversation's new version (its `ticket_id` may have moved)
/// and a `tickets_changed` for the contact's ticket history.
async fn announce(w: &mut Writer, conversation: &Conversation, actor: i64) -> AppResult<()> {
    let id: i64 = conversation.id.parse().unwrap_or_default();
    changed(w, id, actor, None).await?;
    w.emit(
        EventPayload::TicketsChanged {
            conversation_id: conversation.id.clone(),
            contact_id: conversation.contact.id.clone(),
        },
        model::access_of(conversation),
    )
    .await?;
    Ok(())
}

#[utoipa::path(put, path = "/api/v1/conversations/{id}/tickets/{external_id}", operation_id = "linkTicket", tag = "tickets", security(("bearer" = [])),
    params(("id" = String, Path), ("external_id" = String, Path, description = "The ticket's id in the ticketing system (1–200 characters)")),
    request_body = WriteTicket,
    responses((status = 201, body = Ticket, description = "Linked"), (status = 200, body = Ticket, description = "Already linked: updated, or unchanged"),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn link(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, external_id)): Path<(String, String)>,
    ApiJson(body): ApiJson<WriteTicket>,
) -> AppResult<(StatusCode, axum::Json<Ticket>)> {
    check_external_id(&external_id)?;
    check(&body)?;
    let (mut w, conversation) = begin(&state, &caller, &id, None).await?;
    let cid: i64 = conversation.id.parse().unwrap_or_default();
    let title = body.title.trim();
    let existing = load(w.conn(), cid, &external_id).await?;
    let unchanged = existing
        .as_ref()
        .is_some_and(|t| t.title == title && t.status == body.status && t.url == body.url);
    if let (true, Some(ticket)) = (unchanged, existing.clone()) {
        // The integration repeated itself: nothing changes, nobody is told.
        return Ok((StatusCode::OK, axum::Json(ticket)));
    }
    let now = util::now();
    if existing.is_some() {
        sqlx::query(
            "UPDATE tickets SET title = $1, status = $2, url = $3, updated_at = $4
             WHERE conversation_id = $5 AND external_id = $6",
        )
        .bind(title)
        .bind(body.status.as_str())
        .bind(&body.url)
        .bind(&now)
        .bind(cid)
        .bind(&external_id)
        .execute(w.conn())
        .await?;
    } else {
        sqlx::query(
            "INSERT INTO tickets (conversation_id, external_id, title, status, url, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(cid)
        .bind(&external_id)
        .bind(title)
        .bind(body.status.as_str())
        .bind(&body.url)
        .bind(&now)
        .bind(&now)
        .execute(w.conn())
        .await?;
    }
    w.audit(
        Some(cid),
        Some(caller.id),
        if existing.is_some() {
            "ticket_updated"
        } else {
            "ticket_linked"
        },
        serde_json::json!({"ticket_id": external_id, "status": body.status}),
    )
    .await?;
    announce(&mut w, &conversation, caller.id).await?;
    let ticket = load(w.conn(), cid, &external_id)
        .await?
        .ok_or_else(AppError::internal)?;
    w.commit().await?;
    let status = if existing.is_some() {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, axum::Json(ticket)))
}

#[utoipa::path(delete, path = "/api/v1/conversations/{id}/tickets/{external_id}", operation_id = "unlinkTicket", tag = "tickets", security(("bearer" = [])),
    params(("id" = String, Path), ("external_id" = String, Path)),
    responses((status = 204, description = "Unlinked"), (status = 404, body = ErrorBody, description = "No such conversation, or no such ticket on it")))]
pub async fn unlink(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, external_id)): Path<(String, String)>,
) -> AppResult<StatusCode> {
    let (mut w, conversation) = begin(&state, &caller, &id, None).await?;
    let cid: i64 = conversation.id.parse().unwrap_or_default();
    let removed =
        sqlx::query("DELETE FROM tickets WHERE conversation_id = $1 AND external_id = $2")
            .bind(cid)
            .bind(&external_id)
            .execute(w.conn())
            .await?
            .rows_affected();
    if removed == 0 {
        return Err(AppError::not_found("Ticket"));
    }
    w.audit(
        Some(cid),
        Some(caller.id),
        "ticket_unlinked",
        serde_json::json!({"ticket_id": external_id}),
    )
    .await?;
    announce(&mut w, &conversation, caller.id).await?;
    w.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/contacts/{id}/tickets", operation_id = "listContactTickets", tag = "tickets", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = Vec<Ticket>, description = "The tickets of the contact's conversations the caller may see, newest first (at most 200)"),
        (status = 404, body = ErrorBody)))]
pub async fn of_contact(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<axum::Json<Vec<Ticket>>> {
    let id = path_id(&id, "Contact")?;
    let mut conn = state.read().await?;
    crate::contacts::load(&mut conn, id).await?;
    let sql = format!(
        "{SELECT} WHERE c.contact_id = $1 AND {} ORDER BY t.created_at DESC, t.id DESC LIMIT 200",
        caller.visibility_sql()
    );
    let rows = sqlx::query(&sql).bind(id).fetch_all(&mut *conn).await?;
    Ok(axum::Json(rows.iter().map(from_row).collect()))
}
