//! Contacts (people profiles and unknown channel identifiers).

use crate::attributes::merge_attributes;
use crate::auth::Caller;
use crate::conversations::model;
use crate::db::{Conn, DbRow, RowExt};
use crate::error::{ApiJson, ApiQuery, AppError, AppResult, path_id, require_if_match};
use crate::events::EventAccess;
use crate::labels::{ensure_catalogue, normalise_labels};
use crate::search::{self, Search};
use crate::state::{AppState, Writer};
use crate::util;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use base64::Engine;
use convoroom_api::validate;
use convoroom_api::*;
use serde::Deserialize;
use sqlx::Row;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/contacts", axum::routing::get(list).post(create))
        .route("/contacts/{id}", axum::routing::get(get).patch(update))
        .route(
            "/contacts/{id}/conversations",
            axum::routing::get(conversations),
        )
}

pub fn from_row(row: &DbRow) -> Contact {
    Contact {
        id: row.get::<i64, _>("id").to_string(),
        name: row.get("name"),
        phone: row.get("phone"),
        email: row.get("email"),
        identifier: row.get("identifier"),
        external_id: row.get("external_id"),
        avatar_url: row.get("avatar_url"),
        gender: row.get("gender"),
        city: row.get("city"),
        country: row.get("country"),
        known: row.flag("known"),
        blocked: row.flag("blocked"),
        labels: serde_json::from_str(&row.get::<String, _>("labels")).unwrap_or_default(),
        attributes: serde_json::from_str(&row.get::<String, _>("attributes")).unwrap_or_default(),
        created_at: row.get("created_at"),
        version: row.get("version"),
    }
}

pub async fn load(conn: &mut Conn, id: i64) -> AppResult<Contact> {
    let row = sqlx::query("SELECT * FROM contacts WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| AppError::not_found("Contact"))?;
    Ok(from_row(&row))
}

/// Rewrites the contact's search index entry (name, identifiers, channel identifiers).
pub async fn refresh_search(conn: &mut Conn, id: i64) -> AppResult<()> {
    let contact = load(conn, id).await?;
    let channel_ids: Vec<String> =
        sqlx::query_scalar("SELECT identifier FROM contact_channels WHERE contact_id = $1")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    let mut parts = vec![
        Some(contact.identifier.as_str()),
        contact.phone.as_deref(),
        contact.email.as_deref(),
    ];
    parts.extend(channel_ids.iter().map(|s| Some(s.as_str())));
    let identifiers = search::index::contact_identifiers(&parts);
    search::index::index_contact(conn, id, &contact.name, &identifiers).await
}

/// A typed phone or email checked by `convoroom_api::validate` (normalised when valid); an
/// empty one is no value.
fn checked(
    field: &str,
    typed: Option<&str>,
    check: fn(&str) -> Result<String, String>,
) -> AppResult<Option<String>> {
    match typed.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(text) => check(text)
            .map(Some)
            .map_err(|why| AppError::field(field, why)),
    }
}

/// The unknown contact that already stands for `identifier`, or a new one: unlinking the same
/// conversation twice must not leave two "unknown" contacts for one number.
pub async fn unknown_for(conn: &mut Conn, identifier: &str) -> AppResult<i64> {
    let existing: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM contacts WHERE known = FALSE AND identifier = $1 ORDER BY id LIMIT 1",
    )
    .bind(identifier)
    .fetch_optional(&mut *conn)
    .await?;
    match existing {
        Some(id) => Ok(id),
        None => create_unknown(conn, identifier).await,
    }
}

/// Removes an unknown contact that no conversation belongs to any more (its conversations were
/// linked to a known contact), so it does not linger in contact searches. Known contacts stay.
pub async fn drop_if_orphaned(conn: &mut Conn, id: i64) -> AppResult<bool> {
    let unknown: Option<i64> =
        sqlx::query_scalar("SELECT id FROM contacts WHERE id = $1 AND known = FALSE")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    if unknown.is_none() {
        return Ok(false);
    }
    let in_use: Option<i64> =
        sqlx::query_scalar("SELECT id FROM conversations WHERE contact_id = $1 LIMIT 1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    if in_use.is_some() {
        return Ok(false);
    }
    sqlx::query("DELETE FROM contact_channels WHERE contact_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    search::index::remove_contact(conn, id).await?;
    sqlx::query("DELETE FROM contacts WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(true)
}

/// A contact known only by a channel identifier.
pub async fn create_unknown(conn: &mut Conn, identifier: &str) -> AppResult<i64> {
    let phone = identifier.starts_with('+').then_some(identifier);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO contacts (name, phone, identifier, known, created_at) VALUES ($1, $2, $3, FALSE, $4) RETURNING id",
    )
    .bind(identifier)
    .bind(phone)
    .bind(identifier)
    .bind(util::now())
    .fetch_one(&mut *conn)
    .await?;
    refresh_search(conn, id).await?;
    Ok(id)
}

pub async fn set_blocked(
    w: &mut Writer,
    contact_id: i64,
    blocked: bool,
    actor: i64,
) -> AppResult<Contact> {
    sqlx::query("UPDATE contacts SET blocked = $1, blocked_changed_by = $2, blocked_changed_at = $3, version = version + 1 WHERE id = $4")
        .bind(blocked)
        .bind(actor)
        .bind(util::now())
        .bind(contact_id)
        .execute(w.conn())
        .await?;
    let contact = load(w.conn(), contact_id).await?;
    w.emit(
        EventPayload::ContactUpdated(Box::new(contact.clone())),
        EventAccess::everyone(),
    )
    .await?;
    Ok(contact)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContactsQuery {
    q: Option<String>,
    cursor: Option<String>,
    /// Page size, default 50; more than 200 counts as 200.
    #[serde(default, deserialize_with = "crate::util::deserialize_limit")]
    #[param(schema_with = crate::util::limit_schema)]
    limit: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/contacts", operation_id = "listContacts", tag = "contacts", security(("bearer" = [])),
    params(ContactsQuery), responses((status = 200, body = Page<Contact>)))]
pub async fn list(
    State(state): State<AppState>,
    _caller: Caller,
    ApiQuery(query): ApiQuery<ContactsQuery>,
) -> AppResult<axum::Json<Page<Contact>>> {
    let limit = query.limit.unwrap_or(50).clamp(1, crate::util::MAX_PAGE) as i64;
    let (after_name, after_id) = match &query.cursor {
        Some(cursor) => base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(cursor)
            .ok()
            .and_then(|b| serde_json::from_slice::<(String, i64)>(&b).ok())
            .ok_or_else(|| AppError::field("cursor", "cursor is not one this server issued"))?,
        None => (String::new(), 0),
    };
    let matching = query
        .q
        .as_deref()
        .and_then(|q| Search::parse(state.backend, q))
        .map(|s| s.names);
    let search = if matching.is_some() {
        format!("id IN ({})", search::contact_ids(state.backend, "$1"))
    } else {
        "$1 IS NULL".into()
    };
    let sql = format!(
        "SELECT * FROM contacts WHERE {search} AND (name, id) > ($2, $3) ORDER BY name, id LIMIT $4"
    );
    let mut conn = state.read().await?;
    let rows = sqlx::query(&sql)
        .bind(matching)
        .bind(after_name)
        .bind(after_id)
        .bind(limit + 1)
        .fetch_all(&mut *conn)
        .await?;
    let mut items: Vec<Contact> = rows.iter().map(from_row).collect();
    let next_cursor = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(|c| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(serde_json::json!([c.name, c.id.parse::<i64>().unwrap_or(0)]).to_string())
        })
    } else {
        None
    };
    Ok(axum::Json(Page { items, next_cursor }))
}

#[utoipa::path(post, path = "/api/v1/contacts", operation_id = "createContact", tag = "contacts", security(("bearer" = [])),
    request_body = CreateContact, responses((status = 201, body = Contact), (status = 400, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    _caller: Caller,
    ApiJson(body): ApiJson<CreateContact>,
) -> AppResult<(StatusCode, axum::Json<Contact>)> {
    let name = body.name.trim();
    if name.is_empty() || validate::too_long(&body.name, validate::CONTACT_NAME_MAX_CHARS) {
        return Err(AppError::field(
            "name",
            format!(
                "A name is 1–{} characters",
                validate::CONTACT_NAME_MAX_CHARS
            ),
        ));
    }
    let phone = checked("phone", body.phone.as_deref(), validate::phone)?;
    let email = checked("email", body.email.as_deref(), validate::email)?;
    let identifier = phone
        .clone()
        .or(email.clone())
        .unwrap_or_else(|| name.to_string());
    let mut w = state.write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO contacts (name, phone, email, identifier, known, created_at) VALUES ($1, $2, $3, $4, TRUE, $5) RETURNING id",
    )
    .bind(name)
    .bind(&phone)
    .bind(&email)
    .bind(&identifier)
    .bind(util::now())
    .fetch_one(w.conn())
    .await?;
    refresh_search(w.conn(), id).await?;
    let contact = load(w.conn(), id).await?;
    w.emit(
        EventPayload::ContactUpdated(Box::new(contact.clone())),
        EventAccess::everyone(),
    )
    .await?;
    w.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(contact)))
}

#[utoipa::path(get, path = "/api/v1/contacts/{id}", operation_id = "getContact", tag = "contacts", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = Contact), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    _caller: Caller,
    Path(id): Path<String>,
) -> AppResult<axum::Json<Contact>> {
    let id = path_id(&id, "Contact")?;
    let mut conn = state.read().await?;
    Ok(axum::Json(load(&mut conn, id).await?))
}

#[utoipa::path(patch, path = "/api/v1/contacts/{id}", operation_id = "updateContact", tag = "contacts", security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = String, Header, pattern = r#"^(W/)?"?[0-9]{1,18}"?$"#, description = "The version you last saw: `7`, `\"7\"` or `W/\"7\"`")), request_body = UpdateContact,
    responses((status = 200, body = Contact), (status = 409, body = ErrorBody), (status = 428, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<UpdateContact>,
) -> AppResult<axum::Json<Contact>> {
    let id = path_id(&id, "Contact")?;
    let mut w = state.write().await?;
    let current = load(w.conn(), id).await?;
    let version = require_if_match(&headers)?;
    if version != current.version {
        return Err(AppError::conflict(&current));
    }
    let mut next = current.clone();
    if let Some(name) = &body.name {
        let raw = name;
        let name = name.trim();
        if name.is_empty() || validate::too_long(raw, validate::CONTACT_NAME_MAX_CHARS) {
            return Err(AppError::field(
                "name",
                format!(
                    "A name is 1–{} characters",
                    validate::CONTACT_NAME_MAX_CHARS
                ),
            ));
        }
        next.name = name.to_string();
        next.known = true;
    }
    for (field, value, target) in [
        ("phone", &body.phone, &mut next.phone),
        ("email", &body.email, &mut next.email),
        ("external_id", &body.external_id, &mut next.external_id),
        ("gender", &body.gender, &mut next.gender),
        ("city", &body.city, &mut next.city),
        ("country", &body.country, &mut next.country),
    ] {
        if let Some(value) = value {
            let max = validate::CONTACT_FIELD_MAX_CHARS;
            if value.as_ref().is_some_and(|v| validate::too_long(v, max)) {
                return Err(AppError::field(
                    field,
                    format!("{field} is longer than {max} characters"),
                ));
            }
            *target = value.clone();
        }
    }
    // The same checks, in the same words, as the app's contact form.
    if let Some(Some(phone)) = &body.phone {
        next.phone = checked("phone", Some(phone), validate::phone)?;
    }
    if let Some(Some(email)) = &body.email {
        next.email = checked("email", Some(email), validate::email)?;
    }
    if let Some(labels) = &body.labels {
        // Priority is a conversation's field (`priority::x` labels set it there), never a contact's.
        if labels.iter().any(|l| Priority::of_label(l).is_some()) {
            return Err(AppError::field(
                "labels",
                "Priority belongs to a conversation: set it on the conversation, not the contact",
            ));
        }
        next.labels = normalise_labels(labels)?;
        ensure_catalogue(&mut w, &next.labels).await?;
    }
    if let Some(changes) = &body.attributes {
        let definitions =
            crate::settings::attributes::load_definitions(w.conn(), Some(AttributeTarget::Contact))
                .await?;
        next.attributes = merge_attributes(&current.attributes, changes, &definitions)?;
    }
    sqlx::query(
        "UPDATE contacts SET name = $1, phone = $2, email = $3, external_id = $4, gender = $5, city = $6, country = $7, known = $8,
            labels = $9, attributes = $10, version = version + 1 WHERE id = $11",
    )
    .bind(&next.name)
    .bind(&next.phone)
    .bind(&next.email)
    .bind(&next.external_id)
    .bind(&next.gender)
    .bind(&next.city)
    .bind(&next.country)
    .bind(next.known)
    .bind(serde_json::to_string(&next.labels)?)
    .bind(serde_json::to_string(&next.attributes)?)
    .bind(id)
    .execute(w.conn())
    .await?;
    if let Some(blocked) = body.blocked
        && blocked != current.blocked
    {
        set_blocked(&mut w, id, blocked, caller.id).await?;
    }
    refresh_search(w.conn(), id).await?;
    w.audit(
        None,
        Some(caller.id),
        "contact_updated",
        serde_json::json!({"contact_id": id.to_string()}),
    )
    .await?;
    let contact = load(w.conn(), id).await?;
    w.emit(
        EventPayload::ContactUpdated(Box::new(contact.clone())),
        EventAccess::everyone(),
    )
    .await?;
    w.commit().await?;
    Ok(axum::Json(contact))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    channel: Option<Channel>,
}

#[utoipa::path(get, path = "/api/v1/contacts/{id}/conversations", operation_id = "listContactConversations", tag = "contacts", security(("bearer" = [])),
    params(("id" = String, Path), HistoryQuery), responses((status = 200, body = Vec<Conversation>), (status = 404, body = ErrorBody)))]
pub async fn conversations(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<HistoryQuery>,
) -> AppResult<axum::Json<Vec<Conversation>>> {
    let id = path_id(&id, "Contact")?;
    let mut conn = state.read().await?;
    load(&mut conn, id).await?;
    let sql = format!(
        "SELECT c.id FROM conversations c WHERE c.contact_id = $1 AND ($2 IS NULL OR c.channel = $3) AND {}
         ORDER BY c.created_at DESC, c.id DESC LIMIT 200",
        caller.visibility_sql()
    );
    let channel = query.channel.map(|c| c.as_str());
    let ids: Vec<i64> = sqlx::query_scalar(&sql)
        .bind(id)
        .bind(channel)
        .bind(channel)
        .fetch_all(&mut *conn)
        .await?;
    Ok(axum::Json(
        model::load_many(&mut conn, &ids, caller.id).await?,
    ))
}
