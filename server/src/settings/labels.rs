//! `/labels`: the label catalogue. Anyone lists labels, and agents add new ones (by typing them
//! on a conversation or with `POST /labels`); admins change a label's colour and description,
//! rename it and delete it. A rename or a delete reaches every place holding the name, in one
//! transaction: the conversations' link rows (whose triggers keep the list's label counts) and
//! their JSON copy, the contacts' labels and the saved views' `filter.label`. Conversations and
//! contacts keep their versions (an agent's next `If-Match` must not fail over a change they
//! did not make); open apps rewrite what they hold from the `label_renamed` and
//! `label_deleted` events. Saved views get a new version and a `view_saved` to their owner.

use super::require_admin;
use crate::auth::Caller;
use crate::db::{Conn, DbRow};
use crate::error::{ApiJson, AppError, AppResult};
use crate::events::EventAccess;
use crate::labels::{
    clean_label, contacts_holding, label_color, rewrite_holders, views_filtering_on,
};
use crate::state::{AppState, Writer};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use convoroom_api::*;
use sqlx::Row;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/labels", get(list).post(create))
        .route(
            "/labels/{name}",
            axum::routing::patch(update).delete(delete),
        )
        .route("/labels/{name}/usage", get(usage))
}

fn from_row(row: &DbRow) -> Label {
    Label {
        name: row.get("name"),
        color: row.get("color"),
        description: row.get("description"),
    }
}

/// The catalogue, by name.
pub async fn load_all(conn: &mut Conn) -> AppResult<Vec<Label>> {
    let rows = sqlx::query("SELECT name, color, description FROM labels ORDER BY name")
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.iter().map(from_row).collect())
}

async fn find(conn: &mut Conn, name: &str) -> AppResult<Label> {
    let row = sqlx::query("SELECT name, color, description FROM labels WHERE name = $1")
        .bind(name)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| AppError::not_found("Label"))?;
    Ok(from_row(&row))
}

/// A catalogue label's name: 1–100 characters, trimmed, and not a `priority::` alias.
fn checked_name(raw: &str) -> AppResult<String> {
    let name = clean_label(raw).map_err(|_| {
        AppError::field(
            "name",
            format!("A label is 1–{} characters", validate::LABEL_MAX_CHARS),
        )
    })?;
    if Priority::of_label(&name).is_some() {
        return Err(AppError::field(
            "name",
            "priority:: labels are the conversation's priority field, not catalogue labels",
        ));
    }
    Ok(name)
}

fn checked_color(raw: &str) -> AppResult<String> {
    if is_hex_color(raw) {
        Ok(raw.to_lowercase())
    } else {
        Err(AppError::field(
            "color",
            "A colour looks like #rrggbb (e.g. #2563eb)",
        ))
    }
}

fn checked_description(raw: &str) -> AppResult<String> {
    if validate::too_long(raw, LABEL_DESCRIPTION_MAX_CHARS) {
        return Err(AppError::field(
            "description",
            format!("A description is at most {LABEL_DESCRIPTION_MAX_CHARS} characters"),
        ));
    }
    Ok(raw.trim().to_string())
}

/// Refuses a new name another label has, in any case ("VIP" next to "vip" would be two
/// labels agents could not tell apart when typing one).
fn refuse_taken(name: &str, all: &[Label], except: &str) -> AppResult<()> {
    match all
        .iter()
        .find(|l| l.name != except && l.name.to_lowercase() == name.to_lowercase())
    {
        Some(taken) => Err(AppError::field(
            "name",
            format!("A label named “{}” already exists", taken.name),
        )),
        None => Ok(()),
    }
}

#[utoipa::path(get, path = "/api/v1/labels", operation_id = "listLabels", tag = "workspace", security(("bearer" = [])), responses((status = 200, body = Vec<Label>)))]
pub async fn list(
    State(state): State<AppState>,
    _caller: Caller,
) -> AppResult<axum::Json<Vec<Label>>> {
    let mut conn = state.read().await?;
    Ok(axum::Json(load_all(&mut conn).await?))
}

#[utoipa::path(post, path = "/api/v1/labels", operation_id = "createLabel", tag = "workspace", security(("bearer" = [])), request_body = CreateLabel,
    responses((status = 201, description = "Added", body = Label),
        (status = 200, description = "The label existed: an admin's colour and description are saved, anyone else gets it unchanged", body = Label),
        (status = 400, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<CreateLabel>,
) -> AppResult<(StatusCode, axum::Json<Label>)> {
    let name = checked_name(&body.name)?;
    let color = body.color.as_deref().map(checked_color).transpose()?;
    let description = body
        .description
        .as_deref()
        .map(checked_description)
        .transpose()?;
    let mut w = state.write().await?;
    let existing = find(w.conn(), &name).await.ok();
    if let Some(existing) = existing {
        // Agents add labels; their colour and description are the admins' to change.
        if !caller.is_admin() || (color.is_none() && description.is_none()) {
            return Ok((StatusCode::OK, axum::Json(existing)));
        }
        let label = Label {
            color: color.unwrap_or(existing.color),
            description: description.unwrap_or(existing.description),
            name,
        };
        save(&mut w, &label, &caller, "label_changed").await?;
        w.commit().await?;
        return Ok((StatusCode::OK, axum::Json(label)));
    }
    refuse_taken(&name, &load_all(w.conn()).await?, "")?;
    let label = Label {
        color: color.unwrap_or_else(|| label_color(&name).to_string()),
        description: description.unwrap_or_default(),
        name,
    };
    sqlx::query("INSERT INTO labels (name, color, description) VALUES ($1, $2, $3)")
        .bind(&label.name)
        .bind(&label.color)
        .bind(&label.description)
        .execute(w.conn())
        .await?;
    w.emit(
        EventPayload::LabelSaved(label.clone()),
        EventAccess::everyone(),
    )
    .await?;
    w.audit(
        None,
        Some(caller.id),
        "label_created",
        serde_json::json!({"label": label.name}),
    )
    .await?;
    w.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(label)))
}

/// Stores a label's colour and description and tells every open app.
async fn save(w: &mut Writer, label: &Label, caller: &Caller, action: &str) -> AppResult<()> {
    sqlx::query("UPDATE labels SET color = $1, description = $2 WHERE name = $3")
        .bind(&label.color)
        .bind(&label.description)
        .bind(&label.name)
        .execute(w.conn())
        .await?;
    w.emit(
        EventPayload::LabelSaved(label.clone()),
        EventAccess::everyone(),
    )
    .await?;
    w.audit(
        None,
        Some(caller.id),
        action,
        serde_json::json!({"label": label}),
    )
    .await
}

#[utoipa::path(patch, path = "/api/v1/labels/{name}", operation_id = "updateLabel", tag = "settings", security(("bearer" = [])),
    params(("name" = String, Path, description = "The label's name, URL-encoded (`tier%3A%3Agold`)")),
    request_body = UpdateLabel,
    responses((status = 200, body = Label), (status = 400, description = "A bad name, a name another label has, or a bad colour", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
    ApiJson(body): ApiJson<UpdateLabel>,
) -> AppResult<axum::Json<Label>> {
    require_admin(&caller)?;
    let new_name = body.name.as_deref().map(checked_name).transpose()?;
    let color = body.color.as_deref().map(checked_color).transpose()?;
    let description = body
        .description
        .as_deref()
        .map(checked_description)
        .transpose()?;
    let mut w = state.write().await?;
    let current = find(w.conn(), &name).await?;
    let label = Label {
        name: new_name.unwrap_or_else(|| current.name.clone()),
        color: color.unwrap_or_else(|| current.color.clone()),
        description: description.unwrap_or_else(|| current.description.clone()),
    };
    if label.name == current.name {
        save(&mut w, &label, &caller, "label_changed").await?;
        w.commit().await?;
        return Ok(axum::Json(label));
    }
    refuse_taken(&label.name, &load_all(w.conn()).await?, &current.name)?;
    sqlx::query("UPDATE labels SET name = $1, color = $2, description = $3 WHERE name = $4")
        .bind(&label.name)
        .bind(&label.color)
        .bind(&label.description)
        .bind(&current.name)
        .execute(w.conn())
        .await?;
    rewrite_holders(&mut w, &current.name, Some(&label.name)).await?;
    w.emit(
        EventPayload::LabelRenamed {
            from: current.name.clone(),
            label: label.clone(),
        },
        EventAccess::everyone(),
    )
    .await?;
    w.audit(
        None,
        Some(caller.id),
        "label_renamed",
        serde_json::json!({"from": current, "to": label}),
    )
    .await?;
    w.commit().await?;
    Ok(axum::Json(label))
}

#[utoipa::path(get, path = "/api/v1/labels/{name}/usage", operation_id = "getLabelUsage", tag = "settings", security(("bearer" = [])),
    params(("name" = String, Path, description = "The label's name, URL-encoded")),
    responses((status = 200, description = "What deleting the label would remove it from", body = LabelUsage),
        (status = 403, description = "Not an admin", body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn usage(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> AppResult<axum::Json<LabelUsage>> {
    // Counts across every team: more than an agent may see.
    require_admin(&caller)?;
    let mut conn = state.read().await?;
    let label = find(&mut conn, &name).await?;
    let conversations: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM conversation_labels WHERE label = $1")
            .bind(&label.name)
            .fetch_one(&mut *conn)
            .await?;
    Ok(axum::Json(LabelUsage {
        conversations: conversations.max(0) as u64,
        contacts: contacts_holding(&mut conn, &label.name).await?.len() as u64,
        views: views_filtering_on(&mut conn, &label.name).await?.len() as u64,
    }))
}

#[utoipa::path(delete, path = "/api/v1/labels/{name}", operation_id = "deleteLabel", tag = "settings", security(("bearer" = [])),
    params(("name" = String, Path, description = "The label's name, URL-encoded")),
    responses((status = 204, description = "Gone from the catalogue and from every conversation, contact and saved view"),
        (status = 403, description = "Not an admin", body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> AppResult<StatusCode> {
    require_admin(&caller)?;
    let mut w = state.write().await?;
    let label = find(w.conn(), &name).await?;
    rewrite_holders(&mut w, &label.name, None).await?;
    sqlx::query("DELETE FROM labels WHERE name = $1")
        .bind(&label.name)
        .execute(w.conn())
        .await?;
    w.emit(
        EventPayload::LabelDeleted {
            name: label.name.clone(),
        },
        EventAccess::everyone(),
    )
    .await?;
    w.audit(
        None,
        Some(caller.id),
        "label_deleted",
        serde_json::json!({"label": label}),
    )
    .await?;
    w.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
