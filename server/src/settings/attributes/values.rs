//! The stored values of an attribute across contacts or conversations: found, counted and
//! rewritten (options renamed, the attribute deleted).

use crate::db::Conn;
use crate::error::AppResult;
use crate::state::Writer;
use convoroom_api::{AttributeTarget, AttributeValuesChange, Attributes};
use sqlx::Row;

fn table_of(target: AttributeTarget) -> &'static str {
    match target {
        AttributeTarget::Contact => "contacts",
        AttributeTarget::Conversation => "conversations",
    }
}

/// The records of `target` holding a value for `key`, with their attributes.
pub async fn holders(
    conn: &mut Conn,
    target: AttributeTarget,
    key: &str,
) -> AppResult<Vec<(i64, Attributes)>> {
    // A cheap text match first (a superset: `_` matches any character); the JSON decides.
    let rows = sqlx::query(&format!(
        "SELECT id, attributes FROM {} WHERE attributes LIKE $1",
        table_of(target)
    ))
    .bind(format!("%\"{key}\"%"))
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .iter()
        .filter_map(|row| {
            let attributes: Attributes =
                serde_json::from_str(&row.get::<String, _>("attributes")).ok()?;
            attributes
                .contains_key(key)
                .then(|| (row.get::<i64, _>("id"), attributes))
        })
        .collect())
}

/// Rewrites the stored values `change` names; how many records changed.
pub async fn rewrite_values(w: &mut Writer, change: &AttributeValuesChange) -> AppResult<u64> {
    let mut changed = 0;
    for (id, mut attributes) in holders(w.conn(), change.applies_to, &change.key).await? {
        if change.apply(&mut attributes) {
            sqlx::query(&format!(
                "UPDATE {} SET attributes = $1 WHERE id = $2",
                table_of(change.applies_to)
            ))
            .bind(serde_json::to_string(&attributes)?)
            .bind(id)
            .execute(w.conn())
            .await?;
            changed += 1;
        }
    }
    Ok(changed)
}
