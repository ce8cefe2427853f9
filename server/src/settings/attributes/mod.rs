//! `/attribute-definitions`: the custom attributes of contacts and conversations, defined by
//! admins. A definition's key never changes, so renaming one loses no value; renaming a list
//! option rewrites the stored values; deleting one removes its values everywhere (the usage
//! count is shown before). Stored values are rewritten without bumping the records' versions:
//! attribute changes merge per key, so an agent's next change cannot undo the rewrite, and
//! the `attribute_definitions_changed` event tells open apps to rewrite what they hold.

use super::{place, require_admin};
use crate::auth::Caller;
use crate::db::{Conn, DbRow, RowExt};
use crate::error::{ApiJson, AppError, AppResult, if_match};
use crate::events::EventAccess;
use crate::state::{AppState, Writer};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, patch};
use convoroom_api::*;
use sqlx::Row;

mod rules;
mod values;

pub use rules::is_key;
use rules::{KEY_MAX_CHARS, bound_sql, check, key_for};
use values::{holders, rewrite_values};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/attribute-definitions", get(list).post(create))
        .route(
            "/attribute-definitions/{applies_to}/{key}",
            patch(update).delete(remove),
        )
        .route(
            "/attribute-definitions/{applies_to}/{key}/usage",
            get(usage),
        )
}

fn target_name(target: AttributeTarget) -> &'static str {
    match target {
        AttributeTarget::Contact => "contact",
        AttributeTarget::Conversation => "conversation",
    }
}

fn target_of(text: &str) -> Option<AttributeTarget> {
    match text {
        "contact" => Some(AttributeTarget::Contact),
        "conversation" => Some(AttributeTarget::Conversation),
        _ => None,
    }
}

fn kind_name(kind: AttributeType) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn from_row(row: &DbRow) -> Option<AttributeDefinition> {
    Some(AttributeDefinition {
        key: row.get("key"),
        name: row.get("name"),
        applies_to: target_of(&row.get::<String, _>("applies_to"))?,
        kind: serde_json::from_value(serde_json::Value::String(row.get("kind"))).ok()?,
        options: serde_json::from_str(&row.get::<String, _>("options")).unwrap_or_default(),
        minimum: row.get("minimum"),
        maximum: row.get("maximum"),
        required: row.flag("required"),
        position: row.get::<i64, _>("position").max(0) as u32,
        version: row.get("version"),
    })
}

/// Every definition (of one kind of record, when `target` is given), in list order.
pub async fn load_definitions(
    conn: &mut Conn,
    target: Option<AttributeTarget>,
) -> AppResult<Vec<AttributeDefinition>> {
    let rows =
        sqlx::query("SELECT * FROM attribute_definitions ORDER BY applies_to, position, key")
            .fetch_all(&mut *conn)
            .await?;
    Ok(rows
        .iter()
        .filter_map(from_row)
        .filter(|d| target.is_none_or(|t| t == d.applies_to))
        .collect())
}

async fn write_row(w: &mut Writer, def: &AttributeDefinition, insert: bool) -> AppResult<()> {
    let sql = if insert {
        format!(
            "INSERT INTO attribute_definitions
                 (name, kind, options, required, position, minimum, maximum, applies_to, key, version)
             VALUES ($1, $2, $3, $4, $5, {}, {}, $6, $7, 1)",
            bound_sql(def.minimum),
            bound_sql(def.maximum)
        )
    } else {
        format!(
            "UPDATE attribute_definitions SET name = $1, kind = $2, options = $3, required = $4,
                 position = $5, minimum = {}, maximum = {}, version = version + 1
             WHERE applies_to = $6 AND key = $7",
            bound_sql(def.minimum),
            bound_sql(def.maximum)
        )
    };
    sqlx::query(&sql)
        .bind(&def.name)
        .bind(kind_name(def.kind))
        .bind(serde_json::to_string(&def.options)?)
        .bind(def.required)
        .bind(def.position as i64)
        .bind(target_name(def.applies_to))
        .bind(&def.key)
        .execute(w.conn())
        .await?;
    Ok(())
}

/// Renumbers the definitions of one kind in `order` and tells every open app.
async fn saved(
    w: &mut Writer,
    order: &[AttributeDefinition],
    values: Option<AttributeValuesChange>,
) -> AppResult<()> {
    for (at, def) in order.iter().enumerate() {
        if def.position as usize != at {
            sqlx::query(
                "UPDATE attribute_definitions SET position = $1, version = version + 1
                 WHERE applies_to = $2 AND key = $3",
            )
            .bind(at as i64)
            .bind(target_name(def.applies_to))
            .bind(&def.key)
            .execute(w.conn())
            .await?;
        }
    }
    let definitions = load_definitions(w.conn(), None).await?;
    w.emit(
        EventPayload::AttributeDefinitionsChanged(Box::new(AttributeDefinitionsChanged {
            definitions,
            values,
        })),
        EventAccess::everyone(),
    )
    .await?;
    Ok(())
}

async fn find(
    conn: &mut Conn,
    applies_to: &str,
    key: &str,
) -> AppResult<(AttributeDefinition, Vec<AttributeDefinition>)> {
    let not_found = || AppError::not_found("Attribute definition");
    let target = target_of(applies_to).ok_or_else(not_found)?;
    let all = load_definitions(conn, Some(target)).await?;
    let current = all
        .iter()
        .find(|d| d.key == key)
        .cloned()
        .ok_or_else(not_found)?;
    Ok((current, all))
}

#[utoipa::path(get, path = "/api/v1/attribute-definitions", operation_id = "listAttributeDefinitions", tag = "workspace", security(("bearer" = [])),
    responses((status = 200, description = "Contacts' then conversations', each in list order", body = Vec<AttributeDefinition>)))]
pub async fn list(
    State(state): State<AppState>,
    _caller: Caller,
) -> AppResult<axum::Json<Vec<AttributeDefinition>>> {
    let mut conn = state.read().await?;
    Ok(axum::Json(load_definitions(&mut conn, None).await?))
}

#[utoipa::path(post, path = "/api/v1/attribute-definitions", tag = "settings", operation_id = "createAttributeDefinition",
    security(("bearer" = [])), request_body = CreateAttributeDefinition,
    responses((status = 201, body = AttributeDefinition), (status = 400, body = ErrorBody), (status = 403, description = "Not an admin", body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<CreateAttributeDefinition>,
) -> AppResult<(StatusCode, axum::Json<AttributeDefinition>)> {
    require_admin(&caller)?;
    let mut w = state.write().await?;
    let all = load_definitions(w.conn(), Some(body.applies_to)).await?;
    let key = match body.key.as_deref().map(str::trim) {
        Some(key) if !is_key(key) => {
            return Err(AppError::field(
                "key",
                format!(
                    "A key is 1–{KEY_MAX_CHARS} lower-case letters, digits or _, starting with a letter"
                ),
            ));
        }
        Some(key) if all.iter().any(|d| d.key == key) => {
            return Err(AppError::field("key", format!("The key “{key}” is taken")));
        }
        Some(key) => key.to_string(),
        None => key_for(&body.name, &all),
    };
    let def = AttributeDefinition {
        key,
        name: body.name.trim().to_string(),
        applies_to: body.applies_to,
        kind: body.kind,
        options: body.options,
        minimum: body.minimum,
        maximum: body.maximum,
        required: body.required,
        position: all.len() as u32,
        version: 1,
    };
    check(&def, &all)?;
    write_row(&mut w, &def, true).await?;
    saved(&mut w, &[], None).await?;
    w.audit(
        None,
        Some(caller.id),
        "attribute_definition_created",
        serde_json::json!({"applies_to": target_name(def.applies_to), "key": def.key, "name": def.name}),
    )
    .await?;
    let (created, _) = find(w.conn(), target_name(def.applies_to), &def.key).await?;
    w.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(created)))
}

#[utoipa::path(patch, path = "/api/v1/attribute-definitions/{applies_to}/{key}", tag = "settings", operation_id = "updateAttributeDefinition",
    security(("bearer" = [])),
    params(("applies_to" = AttributeTarget, Path), ("key" = String, Path), ("If-Match" = Option<String>, Header, description = "The version last seen")),
    request_body = UpdateAttributeDefinition,
    responses((status = 200, body = AttributeDefinition), (status = 400, body = ErrorBody), (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path((applies_to, key)): Path<(String, String)>,
    ApiJson(body): ApiJson<UpdateAttributeDefinition>,
) -> AppResult<axum::Json<AttributeDefinition>> {
    require_admin(&caller)?;
    let version = if_match(&headers)?;
    let mut w = state.write().await?;
    let (current, all) = find(w.conn(), &applies_to, &key).await?;
    if version.is_some_and(|v| v != current.version) {
        return Err(AppError::conflict(&current));
    }
    let mut next = current.clone();
    if let Some(name) = &body.name {
        next.name = name.trim().to_string();
    }
    if let Some(kind) = body.kind
        && kind != current.kind
    {
        let held = holders(w.conn(), current.applies_to, &current.key)
            .await?
            .len();
        if held > 0 {
            return Err(AppError::field(
                "type",
                format!("The type can't change while {held} records hold a value"),
            ));
        }
        next.kind = kind;
        if kind != AttributeType::List {
            next.options.clear();
        }
        if kind != AttributeType::Number {
            next.minimum = None;
            next.maximum = None;
        }
    }
    if let Some(options) = &body.options {
        next.options = options.clone();
    }
    for (from, to) in &body.renamed_options {
        if !current.options.contains(from) {
            return Err(AppError::field(
                "renamed_options",
                format!("“{from}” is not an option of {}", current.name),
            ));
        }
        if !next.options.contains(to) {
            return Err(AppError::field(
                "renamed_options",
                format!("“{to}” is not in the new options"),
            ));
        }
    }
    if let Some(minimum) = body.minimum {
        next.minimum = minimum;
    }
    if let Some(maximum) = body.maximum {
        next.maximum = maximum;
    }
    next.required = body.required.unwrap_or(current.required);
    check(&next, &all)?;
    let (order, position) = place(all, |d| d.key == current.key, body.position);
    next.position = position as u32;
    write_row(&mut w, &next, false).await?;
    let values = (!body.renamed_options.is_empty()).then(|| AttributeValuesChange {
        applies_to: current.applies_to,
        key: current.key.clone(),
        renamed_options: body.renamed_options.clone(),
        removed: false,
    });
    let rewritten = match &values {
        Some(change) => rewrite_values(&mut w, change).await?,
        None => 0,
    };
    let order: Vec<_> = order
        .into_iter()
        .map(|d| if d.key == next.key { next.clone() } else { d })
        .collect();
    saved(&mut w, &order, values).await?;
    let (updated, _) = find(w.conn(), &applies_to, &key).await?;
    w.audit(
        None,
        Some(caller.id),
        "attribute_definition_changed",
        serde_json::json!({"from": current, "to": updated, "values_rewritten": rewritten}),
    )
    .await?;
    w.commit().await?;
    Ok(axum::Json(updated))
}

#[utoipa::path(get, path = "/api/v1/attribute-definitions/{applies_to}/{key}/usage", tag = "settings", operation_id = "getAttributeDefinitionUsage",
    security(("bearer" = [])), params(("applies_to" = AttributeTarget, Path), ("key" = String, Path)),
    responses((status = 200, body = AttributeUsage), (status = 403, description = "Not an admin", body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn usage(
    State(state): State<AppState>,
    caller: Caller,
    Path((applies_to, key)): Path<(String, String)>,
) -> AppResult<axum::Json<AttributeUsage>> {
    require_admin(&caller)?;
    let mut conn = state.read().await?;
    let (current, _) = find(&mut conn, &applies_to, &key).await?;
    let records = holders(&mut conn, current.applies_to, &current.key)
        .await?
        .len() as u64;
    Ok(axum::Json(AttributeUsage { records }))
}

#[utoipa::path(delete, path = "/api/v1/attribute-definitions/{applies_to}/{key}", tag = "settings", operation_id = "deleteAttributeDefinition",
    security(("bearer" = [])), params(("applies_to" = AttributeTarget, Path), ("key" = String, Path)),
    responses((status = 204, description = "Deleted, with every stored value"), (status = 403, description = "Not an admin", body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path((applies_to, key)): Path<(String, String)>,
) -> AppResult<StatusCode> {
    require_admin(&caller)?;
    let mut w = state.write().await?;
    let (current, all) = find(w.conn(), &applies_to, &key).await?;
    sqlx::query("DELETE FROM attribute_definitions WHERE applies_to = $1 AND key = $2")
        .bind(target_name(current.applies_to))
        .bind(&current.key)
        .execute(w.conn())
        .await?;
    let change = AttributeValuesChange {
        applies_to: current.applies_to,
        key: current.key.clone(),
        renamed_options: Default::default(),
        removed: true,
    };
    let removed = rewrite_values(&mut w, &change).await?;
    let order: Vec<_> = all.into_iter().filter(|d| d.key != current.key).collect();
    saved(&mut w, &order, Some(change)).await?;
    w.audit(
        None,
        Some(caller.id),
        "attribute_definition_deleted",
        serde_json::json!({"definition": current, "values_removed": removed}),
    )
    .await?;
    w.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
