//! The demo's after-conversation work: its dispositions, what Sales and Billing require when
//! resolving, and the work recorded on the last session of each resolved conversation.

use super::data;
use crate::db::Conn;

/// Seeds the dispositions and the teams' requirements (Support asks for nothing, Sales for a
/// disposition, Billing for a disposition, a wrap-up note and who ended each call).
pub async fn settings(conn: &mut Conn) -> Result<(), sqlx::Error> {
    for (position, name) in data::DISPOSITIONS.iter().enumerate() {
        sqlx::query("INSERT INTO dispositions (name, position) VALUES ($1, $2)")
            .bind(name)
            .bind(position as i64)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("UPDATE teams SET disposition_required = TRUE WHERE name IN ('Sales', 'Billing')")
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE teams SET wrap_up_note_required = TRUE, hangup_source_required = TRUE WHERE name = 'Billing'",
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records the conversation's disposition, wrap-up note and hangup source on the session
/// that resolved it (its last one), once every row is in.
pub async fn resolved_sessions(conn: &mut Conn) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE conversation_sessions SET
            disposition = (SELECT c.disposition FROM conversations c WHERE c.id = conversation_sessions.conversation_id),
            wrap_up_note = (SELECT c.wrap_up_note FROM conversations c WHERE c.id = conversation_sessions.conversation_id),
            hangup_source = (SELECT c.hangup_source FROM conversations c WHERE c.id = conversation_sessions.conversation_id)
         WHERE ended_at IS NOT NULL AND number = (SELECT MAX(s.number) FROM conversation_sessions s
            WHERE s.conversation_id = conversation_sessions.conversation_id)",
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}
