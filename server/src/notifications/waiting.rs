//! Waiting alerts: a customer waiting for a reply longer than their team's threshold
//! (`Team.waiting_alert_minutes`) notifies the conversation's assignee, or every member of
//! the team while nobody is assigned. Once per wait: the conversation remembers which
//! `waiting_since` it alerted for, set by a conditional update under the write lock, so
//! replicas sweeping at once alert once, and a new wait (after a reply) alerts again.

use super::{Notice, notify};
use crate::error::AppResult;
use crate::state::AppState;
use crate::util;
use convoroom_api::NotificationKind;
use sqlx::Row;
use time::OffsetDateTime;

/// The longest threshold a team may set: a day.
pub const MAX_MINUTES: u32 = 24 * 60;

struct Waiting {
    id: i64,
    since: String,
    minutes: i64,
    assignee: Option<i64>,
    team: i64,
}

/// Alerts for every wait past its team's threshold at `now`; returns how many conversations.
pub async fn alert_due(state: &AppState, now: OffsetDateTime) -> AppResult<usize> {
    let candidates: Vec<Waiting> = {
        let mut conn = state.read().await?;
        sqlx::query(
            "SELECT c.id, c.waiting_since, c.assignee_id, c.team_id, t.waiting_alert_minutes
             FROM conversations c JOIN teams t ON t.id = c.team_id
             WHERE c.status = 'open' AND c.waiting_since IS NOT NULL
               AND t.waiting_alert_minutes IS NOT NULL
               AND (c.waiting_alerted_for IS NULL OR c.waiting_alerted_for <> c.waiting_since)
             ORDER BY c.waiting_since LIMIT 500",
        )
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|row| Waiting {
            id: row.get("id"),
            since: row.get("waiting_since"),
            minutes: row.get("waiting_alert_minutes"),
            assignee: row.get("assignee_id"),
            team: row.get("team_id"),
        })
        .filter(|w| {
            util::parse_ts(&w.since)
                .is_some_and(|since| since + time::Duration::minutes(w.minutes) <= now)
        })
        .collect()
    };
    if candidates.is_empty() {
        return Ok(0);
    }
    let mut w = state.write().await?;
    let mut alerted = 0;
    for wait in candidates {
        let claimed = sqlx::query(
            "UPDATE conversations SET waiting_alerted_for = waiting_since
             WHERE id = $1 AND status = 'open' AND waiting_since = $2",
        )
        .bind(wait.id)
        .bind(&wait.since)
        .execute(w.conn())
        .await?
        .rows_affected();
        if claimed == 0 {
            continue;
        }
        let agents: Vec<i64> = match wait.assignee {
            Some(agent) => vec![agent],
            None => {
                sqlx::query_scalar("SELECT agent_id FROM agent_teams WHERE team_id = $1")
                    .bind(wait.team)
                    .fetch_all(w.conn())
                    .await?
            }
        };
        for agent_id in agents {
            let notice = Notice {
                agent_id,
                kind: NotificationKind::Waiting,
                conversation_id: wait.id,
                actor_id: None,
                message_id: None,
                preview: format!("Waiting more than {} min for a reply", wait.minutes),
            };
            notify(&mut w, notice).await?;
        }
        alerted += 1;
    }
    w.commit().await?;
    Ok(alerted)
}
