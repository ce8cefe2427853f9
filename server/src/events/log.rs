//! Reading the event log. Rows come back in id order; writes take the write lock, so ids
//! follow commit order and a reader that has seen id `n` has seen every event before it.

use super::{EventAccess, StoredEvent};
use crate::db::Conn;
use crate::error::AppResult;
use crate::state::AppState;
use crate::util;
use convoroom_api::{Event, EventPayload};
use sqlx::Row;

/// A row of the log: an event for clients, or a revoked token (for this replica's streams).
pub enum Entry {
    Event(Box<StoredEvent>),
    Revoked(String),
}

/// Up to `limit` rows after `after`, with their ids.
pub async fn after(conn: &mut Conn, after: i64, limit: i64) -> AppResult<Vec<(i64, Entry)>> {
    let rows = sqlx::query(
        "SELECT id, payload, conversation_id, team_ids, agent_ids, owner_id, revoked_token
         FROM events WHERE id > $1 ORDER BY id LIMIT $2",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let id: i64 = row.get("id");
        if let Some(hash) = row.get::<Option<String>, _>("revoked_token") {
            out.push((id, Entry::Revoked(hash)));
            continue;
        }
        // A payload this build cannot read (written by a newer one) is skipped, not fatal.
        let Ok(payload) = serde_json::from_str::<EventPayload>(&row.get::<String, _>("payload"))
        else {
            continue;
        };
        let access = EventAccess::from_columns(
            row.get("conversation_id"),
            &row.get::<String, _>("team_ids"),
            &row.get::<String, _>("agent_ids"),
            row.get("owner_id"),
        );
        out.push((
            id,
            Entry::Event(Box::new(StoredEvent {
                event: Event { id, payload },
                access,
            })),
        ));
    }
    Ok(out)
}

/// The lowest and highest id in the log (1 and 0 when it is empty). Pruning keeps the newest
/// event, so the highest id is always the last one handed out.
pub async fn bounds(conn: &mut Conn) -> AppResult<(i64, i64)> {
    let row =
        sqlx::query("SELECT COALESCE(MIN(id), 1) AS lo, COALESCE(MAX(id), 0) AS hi FROM events")
            .fetch_one(&mut *conn)
            .await?;
    Ok((row.get("lo"), row.get("hi")))
}

/// Drops events older than the retention window; clients resuming from before it resync.
pub async fn prune(state: &AppState, keep_days: i64) -> AppResult<()> {
    let cutoff = util::ts(time::OffsetDateTime::now_utc() - time::Duration::days(keep_days));
    let mut w = state.write().await?;
    // The newest event stays: it tells resuming clients which ids this log has handed out.
    sqlx::query("DELETE FROM events WHERE created_at < $1 AND id < (SELECT MAX(id) FROM events)")
        .bind(cutoff)
        .execute(w.conn())
        .await?;
    w.commit().await
}
