//! The full-text index of conversation text, kept in segments of up to 50 messages
//! (see migrations/sqlite/0002): appending a message rewrites one small segment.

use crate::error::AppResult;
use sqlx::SqliteConnection;

pub const SEGMENT_MESSAGES: i64 = 50;
/// Segment rowids are `conversation_id * ROWID_SHIFT + segment`.
pub const ROWID_SHIFT: i64 = 1 << 20;

const SEARCHABLE: &str = "kind <> 'system' AND body <> ''";

/// Rebuilds the whole index from `messages` (after bulk seeding).
pub const REBUILD_SQL: &str = "INSERT INTO conversation_fts (rowid, body)
    SELECT conversation_id * 1048576 + seg, group_concat(body, ' ')
    FROM (SELECT conversation_id, body, (ROW_NUMBER() OVER (PARTITION BY conversation_id ORDER BY id) - 1) / 50 AS seg
          FROM messages WHERE kind <> 'system' AND body <> '')
    GROUP BY conversation_id, seg";

async fn rebuild_segment(
    conn: &mut SqliteConnection,
    conversation_id: i64,
    segment: i64,
) -> AppResult<()> {
    let text: Option<String> = sqlx::query_scalar(&format!(
        "SELECT group_concat(body, ' ') FROM (SELECT body FROM messages WHERE conversation_id = ? AND {SEARCHABLE}
         ORDER BY id LIMIT {SEGMENT_MESSAGES} OFFSET ?)"
    ))
    .bind(conversation_id)
    .bind(segment * SEGMENT_MESSAGES)
    .fetch_one(&mut *conn)
    .await?;
    let rowid = conversation_id * ROWID_SHIFT + segment;
    sqlx::query("DELETE FROM conversation_fts WHERE rowid = ?")
        .bind(rowid)
        .execute(&mut *conn)
        .await?;
    if let Some(text) = text {
        sqlx::query("INSERT INTO conversation_fts (rowid, body) VALUES (?, ?)")
            .bind(rowid)
            .bind(text)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

async fn searchable_count(conn: &mut SqliteConnection, conversation_id: i64) -> AppResult<i64> {
    Ok(sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM messages WHERE conversation_id = ? AND {SEARCHABLE}"
    ))
    .bind(conversation_id)
    .fetch_one(&mut *conn)
    .await?)
}

/// Indexes the newest message of a conversation (call after inserting it).
pub async fn index_latest(conn: &mut SqliteConnection, conversation_id: i64) -> AppResult<()> {
    let count = searchable_count(conn, conversation_id).await?;
    if count > 0 {
        rebuild_segment(conn, conversation_id, (count - 1) / SEGMENT_MESSAGES).await?;
    }
    Ok(())
}

/// Drops a conversation's segments (merged away).
pub async fn remove(conn: &mut SqliteConnection, conversation_id: i64) -> AppResult<()> {
    sqlx::query("DELETE FROM conversation_fts WHERE rowid >= ? AND rowid < ?")
        .bind(conversation_id * ROWID_SHIFT)
        .bind((conversation_id + 1) * ROWID_SHIFT)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Re-indexes every segment of a conversation (its messages changed wholesale, e.g. a merge).
pub async fn reindex(conn: &mut SqliteConnection, conversation_id: i64) -> AppResult<()> {
    remove(conn, conversation_id).await?;
    let count = searchable_count(conn, conversation_id).await?;
    for segment in 0..(count + SEGMENT_MESSAGES - 1) / SEGMENT_MESSAGES {
        rebuild_segment(conn, conversation_id, segment).await?;
    }
    Ok(())
}
