//! Reading conversations from the database into the contract's `Conversation`.

use crate::auth::Caller;
use crate::db::{Conn, DbRow, RowExt};
use crate::error::{AppError, AppResult};
use crate::events::EventAccess;
use convoroom_api::*;
use sqlx::Row;

/// Columns of `conversations c JOIN contacts ct`, plus the unread count of agent `?1` and the
/// newest linked ticket (the one source of `ticket_id`).
pub const SELECT: &str = "SELECT c.*, ct.name AS contact_name, ct.identifier AS contact_identifier,
    ct.avatar_url AS contact_avatar, ct.known AS contact_known, ct.blocked AS contact_blocked,
    ct.blocked_changed_by, ct.blocked_changed_at,
    (SELECT t.external_id FROM tickets t WHERE t.conversation_id = c.id
        ORDER BY t.created_at DESC, t.id DESC LIMIT 1) AS newest_ticket_id,
    (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id AND m.kind = 'inbound'
        AND m.id > COALESCE((SELECT r.last_read_message_id FROM conversation_reads r
                              WHERE r.conversation_id = c.id AND r.agent_id = $1), c.default_read_upto)) AS unread,
    (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id AND m.delivery = 'failed') AS failed_deliveries
    FROM conversations c JOIN contacts ct ON ct.id = c.contact_id";

fn enum_of<T: serde::de::DeserializeOwned>(text: Option<String>) -> Option<T> {
    text.and_then(|t| serde_json::from_value(serde_json::Value::String(t)).ok())
}

fn json_of<T: serde::de::DeserializeOwned + Default>(text: &str) -> T {
    serde_json::from_str(text).unwrap_or_default()
}

pub fn from_row(row: &DbRow) -> Conversation {
    let id: i64 = row.get("id");
    let ai_review = row
        .get::<Option<String>, _>("ai_reviewed_at")
        .map(|reviewed_at| AiReview {
            summary: row
                .get::<Option<String>, _>("ai_summary")
                .unwrap_or_default(),
            quality_score: row
                .get::<Option<i64>, _>("ai_score")
                .unwrap_or(0)
                .clamp(0, 100) as u8,
            reviewed_at,
            analyzer: row
                .get::<Option<String>, _>("ai_analyzer")
                .unwrap_or_default(),
        });
    let last_message = match (
        row.get::<Option<String>, _>("last_message_kind"),
        row.get::<Option<String>, _>("last_message_at"),
    ) {
        (Some(kind), Some(created_at)) => {
            enum_of::<MessageKind>(Some(kind)).map(|kind| MessagePreview {
                kind,
                text: row
                    .get::<Option<String>, _>("last_message_text")
                    .unwrap_or_default(),
                created_at,
            })
        }
        _ => None,
    };
    let collaborators: Vec<i64> = json_of(&row.get::<String, _>("collaborator_ids"));
    Conversation {
        id: id.to_string(),
        contact: ContactSummary {
            id: row.get::<i64, _>("contact_id").to_string(),
            name: row.get("contact_name"),
            identifier: row.get("contact_identifier"),
            avatar_url: row.get("contact_avatar"),
            known: row.flag("contact_known"),
            blocked: row.flag("contact_blocked"),
        },
        channel: enum_of(Some(row.get("channel"))).unwrap_or(Channel::LiveChat),
        recording_url: row.get("last_recording_url"),
        team_id: row.get::<Option<i64>, _>("team_id").map(|v| v.to_string()),
        assignee_id: row
            .get::<Option<i64>, _>("assignee_id")
            .map(|v| v.to_string()),
        collaborator_ids: collaborators.iter().map(|v| v.to_string()).collect(),
        status: enum_of(Some(row.get("status"))).unwrap_or(Status::Open),
        pipeline_stage: row.get("pipeline_stage"),
        priority: enum_of(Some(row.get("priority"))).unwrap_or(Priority::None),
        direction: enum_of(Some(row.get("direction"))).unwrap_or(Direction::Incoming),
        disposition: row.get("disposition"),
        state: enum_of(row.get("state")),
        wrap_up_note: row.get("wrap_up_note"),
        csat: row
            .get::<Option<i64>, _>("csat")
            .map(|v| v.clamp(1, 5) as u8),
        hangup_source: enum_of(row.get("hangup_source")),
        ticket_id: row.get("newest_ticket_id"),
        business_address: row.get("business_address"),
        labels: json_of(&row.get::<String, _>("labels")),
        attributes: json_of(&row.get::<String, _>("attributes")),
        session_info: json_of(&row.get::<String, _>("session_info")),
        access: Access {
            blocked: row.flag("contact_blocked"),
            spam: row.flag("spam"),
            blocked_changed_by: row
                .get::<Option<i64>, _>("blocked_changed_by")
                .map(|v| v.to_string()),
            blocked_changed_at: row.get("blocked_changed_at"),
            ai_enabled: row.flag("ai_enabled"),
            ai_changed_by: row
                .get::<Option<i64>, _>("ai_changed_by")
                .map(|v| v.to_string()),
            ai_changed_at: row.get("ai_changed_at"),
        },
        ai_review,
        lifecycle: Lifecycle {
            created_at: row.get("created_at"),
            first_response_at: row.get("first_response_at"),
            waiting_since: row.get("waiting_since"),
            last_activity_at: row.get("last_activity_at"),
            resolved_at: row.get("resolved_at"),
        },
        unread_count: row.get::<i64, _>("unread").max(0) as u32,
        last_message,
        failed_deliveries: row.get::<i64, _>("failed_deliveries").max(0) as u32,
        snoozed_until: row.get("snoozed_until"),
        version: row.get("version"),
    }
}

/// Loads conversations by id, in the order given, with `viewer`'s unread counts.
pub async fn load_many(conn: &mut Conn, ids: &[i64], viewer: i64) -> AppResult<Vec<Conversation>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("{SELECT} WHERE c.id IN ({})", crate::util::id_list_sql(ids));
    let rows = sqlx::query(&sql).bind(viewer).fetch_all(&mut *conn).await?;
    let mut by_id: std::collections::HashMap<i64, Conversation> = rows
        .iter()
        .map(|row| (row.get::<i64, _>("id"), from_row(row)))
        .collect();
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// Loads one conversation, 404 when it does not exist or the caller may not see it.
pub async fn load_visible(conn: &mut Conn, caller: &Caller, id: i64) -> AppResult<Conversation> {
    let sql = format!("{SELECT} WHERE c.id = $2 AND {}", caller.visibility_sql());
    let row = sqlx::query(&sql)
        .bind(caller.id)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| AppError::not_found("Conversation"))?;
    Ok(from_row(&row))
}

/// 404 unless the conversation exists and the caller may see it.
pub async fn ensure_visible(conn: &mut Conn, caller: &Caller, id: i64) -> AppResult<()> {
    let sql = format!(
        "SELECT 1 FROM conversations c WHERE c.id = $1 AND {}",
        caller.visibility_sql()
    );
    sqlx::query(&sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .map(|_| ())
        .ok_or_else(|| AppError::not_found("Conversation"))
}

pub async fn unread_for(conn: &mut Conn, conversation_id: i64, agent_id: i64) -> AppResult<u32> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id
         WHERE m.conversation_id = $1 AND m.kind = 'inbound'
           AND m.id > COALESCE((SELECT r.last_read_message_id FROM conversation_reads r
                                WHERE r.conversation_id = $1 AND r.agent_id = $2), c.default_read_upto)",
    )
    .bind(conversation_id)
    .bind(agent_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(n.max(0) as u32)
}

/// Who may see a conversation, for the event log.
pub fn access_of(conversation: &Conversation) -> EventAccess {
    let id = |s: &String| s.parse::<i64>().ok();
    let mut agent_ids: Vec<i64> = conversation
        .collaborator_ids
        .iter()
        .filter_map(id)
        .collect();
    agent_ids.extend(conversation.assignee_id.as_ref().and_then(id));
    EventAccess {
        conversation_id: conversation.id.parse().ok(),
        team_ids: conversation
            .team_id
            .as_ref()
            .and_then(id)
            .into_iter()
            .collect(),
        agent_ids,
        owner_id: None,
    }
}
