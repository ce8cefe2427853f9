//! The notification centre: `GET /notifications`, `POST /notifications/read`, and [`notify`],
//! which the writes that concern another agent call inside their transaction. Each new or
//! refreshed notification is `notification_created` to its agent alone.
//!
//! One unread notification per agent, kind and conversation for assignments, messages and
//! waiting alerts: a second customer message refreshes the unread one (its preview, message
//! and time) instead of piling up. Mentions are one per note, never repeated when the note
//! is edited.

use crate::auth::Caller;
use crate::db::{Conn, DbRow};
use crate::error::{ApiJson, ApiQuery, AppError, AppResult};
use crate::events::EventAccess;
use crate::state::{AppState, Writer};
use crate::util;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use convoroom_api::*;
use serde::Deserialize;
use sqlx::Row;

pub mod waiting;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/notifications", get(list))
        .route("/notifications/read", post(read))
}

/// What happened, for whom.
pub struct Notice {
    pub agent_id: i64,
    pub kind: NotificationKind,
    pub conversation_id: i64,
    pub actor_id: Option<i64>,
    pub message_id: Option<i64>,
    pub preview: String,
}

const PREVIEW_CHARS: usize = 140;

/// Notifications with their contact's name (`from_row` reads both).
const SELECT: &str = "SELECT n.*, ct.name AS contact_name FROM notifications n
     JOIN conversations c ON c.id = n.conversation_id JOIN contacts ct ON ct.id = c.contact_id";

fn from_row(row: &DbRow) -> Notification {
    Notification {
        id: row.get::<i64, _>("id").to_string(),
        kind: NotificationKind::parse(&row.get::<String, _>("kind"))
            .unwrap_or(NotificationKind::Message),
        conversation_id: row.get::<i64, _>("conversation_id").to_string(),
        contact_name: row.get("contact_name"),
        actor_id: row
            .get::<Option<i64>, _>("actor_id")
            .map(|id| id.to_string()),
        message_id: row
            .get::<Option<i64>, _>("message_id")
            .map(|id| id.to_string()),
        preview: row.get("preview"),
        created_at: row.get("created_at"),
        read: row.get::<Option<String>, _>("read_at").is_some(),
    }
}

/// The agent's switches; every kind on and no sound until they change them.
pub async fn prefs_of(conn: &mut Conn, agent_id: i64) -> AppResult<NotificationPrefs> {
    Ok(stored_prefs(conn, agent_id, false)
        .await?
        .unwrap_or_default())
}

/// The switches as stored (`None` for an unknown agent, or with `only_active` a deactivated
/// one), in one read.
async fn stored_prefs(
    conn: &mut Conn,
    agent_id: i64,
    only_active: bool,
) -> AppResult<Option<NotificationPrefs>> {
    let sql = if only_active {
        "SELECT notification_prefs FROM agents WHERE id = $1 AND active = TRUE"
    } else {
        "SELECT notification_prefs FROM agents WHERE id = $1"
    };
    let stored: Option<Option<String>> = sqlx::query_scalar(sql)
        .bind(agent_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(stored.map(|json| {
        json.and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default()
    }))
}

pub async fn save_prefs(
    conn: &mut Conn,
    agent_id: i64,
    prefs: &NotificationPrefs,
) -> AppResult<()> {
    sqlx::query("UPDATE agents SET notification_prefs = $1 WHERE id = $2")
        .bind(serde_json::to_string(prefs)?)
        .bind(agent_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Records `notice` unless it is the agent's own action, the agent is deactivated or has
/// switched its kind off. Returns whether anything was recorded.
pub async fn notify(w: &mut Writer, notice: Notice) -> AppResult<bool> {
    if notice.actor_id == Some(notice.agent_id) {
        return Ok(false);
    }
    let wanted = stored_prefs(w.conn(), notice.agent_id, true)
        .await?
        .is_some_and(|prefs| prefs.wants(notice.kind));
    if !wanted {
        return Ok(false);
    }
    let preview: String = notice.preview.chars().take(PREVIEW_CHARS).collect();
    let now = util::now();
    let refreshed = if notice.kind == NotificationKind::Mention {
        let already: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM notifications WHERE agent_id = $1 AND kind = 'mention' AND message_id = $2",
        )
        .bind(notice.agent_id)
        .bind(notice.message_id)
        .fetch_optional(w.conn())
        .await?;
        if already.is_some() {
            return Ok(false);
        }
        None
    } else {
        sqlx::query(
            "UPDATE notifications SET actor_id = $1, message_id = $2, preview = $3, created_at = $4
             WHERE agent_id = $5 AND kind = $6 AND conversation_id = $7 AND read_at IS NULL
             RETURNING id",
        )
        .bind(notice.actor_id)
        .bind(notice.message_id)
        .bind(&preview)
        .bind(&now)
        .bind(notice.agent_id)
        .bind(notice.kind.as_str())
        .bind(notice.conversation_id)
        .fetch_optional(w.conn())
        .await?
    };
    let row = match refreshed {
        Some(row) => row,
        None => {
            sqlx::query(
                "INSERT INTO notifications (agent_id, kind, conversation_id, actor_id, message_id, preview, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(notice.agent_id)
            .bind(notice.kind.as_str())
            .bind(notice.conversation_id)
            .bind(notice.actor_id)
            .bind(notice.message_id)
            .bind(&preview)
            .bind(&now)
            .fetch_one(w.conn())
            .await?
        }
    };
    let id: i64 = row.get("id");
    let row = sqlx::query(&format!("{SELECT} WHERE n.id = $1"))
        .bind(id)
        .fetch_one(w.conn())
        .await?;
    w.emit(
        EventPayload::NotificationCreated(Box::new(from_row(&row))),
        EventAccess::owner(notice.agent_id),
    )
    .await?;
    Ok(true)
}

/// The agents who can see `conversation_id` (active ones), as a note may mention them.
pub async fn mentionable(
    conn: &mut Conn,
    conversation_id: i64,
) -> AppResult<Vec<(String, String)>> {
    let rows = sqlx::query(
        "SELECT a.id, a.name FROM agents a JOIN conversations c ON c.id = $1
         WHERE a.active = TRUE AND (a.role = 'admin' OR a.id = c.assignee_id
            OR a.id IN (SELECT m.agent_id FROM agent_teams m WHERE m.team_id = c.team_id)
            OR a.id IN (SELECT cc.agent_id FROM conversation_collaborators cc WHERE cc.conversation_id = c.id))
         ORDER BY a.name",
    )
    .bind(conversation_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .iter()
        .map(|row| (row.get::<i64, _>("id").to_string(), row.get("name")))
        .collect())
}

/// Notifies every agent a note mentions who can see its conversation (not its author).
pub async fn notify_mentions(w: &mut Writer, note: &Message) -> AppResult<()> {
    let Ok(conversation_id) = note.conversation_id.parse::<i64>() else {
        return Ok(());
    };
    if !note.body.contains('@') {
        return Ok(());
    }
    let agents = mentionable(w.conn(), conversation_id).await?;
    let candidates: Vec<mention::Mentionable> = agents
        .iter()
        .map(|(id, name)| mention::Mentionable { id, name })
        .collect();
    let author = note.author_id.as_ref().and_then(|id| id.parse().ok());
    for id in mention::mentioned(&note.body, &candidates) {
        let Ok(agent_id) = id.parse() else { continue };
        notify(
            w,
            Notice {
                agent_id,
                kind: NotificationKind::Mention,
                conversation_id,
                actor_id: author,
                message_id: note.id.parse().ok(),
                preview: note.body.clone(),
            },
        )
        .await?;
    }
    Ok(())
}

/// Marks `ids` (of `agent_id`) read, or every unread one of the agent (`None`), or of one
/// conversation, and tells the agent's other tabs.
async fn mark_read(w: &mut Writer, agent_id: i64, which: Which<'_>) -> AppResult<Vec<String>> {
    let now = util::now();
    let rows = match which {
        Which::All => sqlx::query(
            "UPDATE notifications SET read_at = $1 WHERE agent_id = $2 AND read_at IS NULL RETURNING id",
        )
        .bind(&now)
        .bind(agent_id)
        .fetch_all(w.conn())
        .await?,
        Which::Conversation(id) => sqlx::query(
            "UPDATE notifications SET read_at = $1
             WHERE agent_id = $2 AND conversation_id = $3 AND read_at IS NULL RETURNING id",
        )
        .bind(&now)
        .bind(agent_id)
        .bind(id)
        .fetch_all(w.conn())
        .await?,
        Which::Ids(ids) => {
            let sql = format!(
                "UPDATE notifications SET read_at = $1
                 WHERE agent_id = $2 AND read_at IS NULL AND id IN ({}) RETURNING id",
                util::id_list_sql(ids)
            );
            sqlx::query(&sql)
                .bind(&now)
                .bind(agent_id)
                .fetch_all(w.conn())
                .await?
        }
    };
    let ids: Vec<String> = rows
        .iter()
        .map(|row| row.get::<i64, _>("id").to_string())
        .collect();
    if !ids.is_empty() {
        w.emit(
            EventPayload::NotificationsRead { ids: ids.clone() },
            EventAccess::owner(agent_id),
        )
        .await?;
    }
    Ok(ids)
}

enum Which<'a> {
    All,
    Conversation(i64),
    Ids(&'a [i64]),
}

/// Opening a conversation reads its notifications (`POST /conversations/{id}/read`).
pub async fn read_conversation(
    w: &mut Writer,
    agent_id: i64,
    conversation_id: i64,
) -> AppResult<()> {
    mark_read(w, agent_id, Which::Conversation(conversation_id)).await?;
    Ok(())
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationsQuery {
    /// Only unread ones.
    #[serde(default)]
    pub unread: Option<bool>,
    /// Only this kind (`mention` lists the Mentions).
    pub kind: Option<NotificationKind>,
    /// At most this many, newest first; default 50, at most 200.
    #[serde(default, deserialize_with = "crate::util::deserialize_limit")]
    #[param(schema_with = crate::util::limit_schema)]
    pub limit: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/notifications", operation_id = "listNotifications", tag = "notifications", security(("bearer" = [])),
    params(NotificationsQuery), responses((status = 200, body = NotificationList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<NotificationsQuery>,
) -> AppResult<axum::Json<NotificationList>> {
    let limit = i64::from(query.limit.unwrap_or(50).min(200));
    let mut conn = state.read().await?;
    // Only conversations the agent still sees: access lost since takes them out.
    let visible = format!(
        "n.conversation_id IN (SELECT c.id FROM conversations c WHERE {})",
        caller.visibility_sql()
    );
    let mut sql = format!("{SELECT} WHERE n.agent_id = $1 AND {visible}");
    if query.unread == Some(true) {
        sql.push_str(" AND n.read_at IS NULL");
    }
    if query.kind.is_some() {
        sql.push_str(" AND n.kind = $3");
    }
    sql.push_str(" ORDER BY n.created_at DESC, n.id DESC LIMIT $2");
    let mut rows = sqlx::query(&sql).bind(caller.id).bind(limit);
    if let Some(kind) = query.kind {
        rows = rows.bind(kind.as_str());
    }
    let items = rows
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(from_row)
        .collect();
    let unread: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM notifications n WHERE n.agent_id = $1 AND n.read_at IS NULL AND {visible}"
    ))
    .bind(caller.id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(axum::Json(NotificationList {
        items,
        unread: u32::try_from(unread).unwrap_or(u32::MAX),
    }))
}

#[utoipa::path(post, path = "/api/v1/notifications/read", operation_id = "readNotifications", tag = "notifications", security(("bearer" = [])),
    request_body = ReadNotifications, responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn read(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<ReadNotifications>,
) -> AppResult<StatusCode> {
    let ids: Option<Vec<i64>> = match &body.ids {
        None => None,
        Some(ids) if ids.len() > 500 => {
            return Err(AppError::field("ids", "At most 500 notifications at once"));
        }
        Some(ids) => Some(
            ids.iter()
                .map(|id| {
                    id.parse()
                        .map_err(|_| AppError::field("ids", "Not a notification id"))
                })
                .collect::<AppResult<_>>()?,
        ),
    };
    let mut w = state.write().await?;
    match &ids {
        None => mark_read(&mut w, caller.id, Which::All).await?,
        Some(ids) if ids.is_empty() => Vec::new(),
        Some(ids) => mark_read(&mut w, caller.id, Which::Ids(ids)).await?,
    };
    w.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
