//! Channel integrations, managed by admins in Settings → Integrations.

use crate::db::Conn;
use crate::error::AppResult;
use convoroom_api::*;

/// Channels that have an integration delivering their replies, in the contract's order.
pub async fn delivered_channels(conn: &mut Conn) -> AppResult<Vec<Channel>> {
    let names: Vec<String> = sqlx::query_scalar("SELECT channel FROM integration_channels")
        .fetch_all(&mut *conn)
        .await?;
    Ok(Channel::ALL
        .iter()
        .copied()
        .filter(|c| names.iter().any(|n| n == c.as_str()))
        .collect())
}
