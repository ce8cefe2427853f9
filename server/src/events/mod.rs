//! The event log: persisted events with an access snapshot, filtered per agent.

pub mod dispatch;
pub mod log;
pub mod presence;
pub mod stream;

/// The event stream, its tickets, and presence heartbeats.
pub fn router() -> axum::Router<crate::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/events/ticket", post(stream::ticket))
        .route("/events", get(stream::stream))
        .route("/conversations/{id}/presence", post(presence::heartbeat))
        .route(
            "/conversations/{id}/typing",
            post(presence::typing).delete(presence::stopped_typing),
        )
}

use crate::auth::Caller;
use crate::conversations::model;
use crate::db::Conn;
use convoroom_api::{Event, EventPayload};

/// Who may receive an event, captured when it is written.
#[derive(Debug, Clone, Default)]
pub struct EventAccess {
    pub conversation_id: Option<i64>,
    pub team_ids: Vec<i64>,
    pub agent_ids: Vec<i64>,
    /// Private to one agent (saved views).
    pub owner_id: Option<i64>,
}

impl EventAccess {
    pub fn everyone() -> EventAccess {
        EventAccess::default()
    }

    pub fn owner(agent_id: i64) -> EventAccess {
        EventAccess {
            owner_id: Some(agent_id),
            ..EventAccess::default()
        }
    }

    /// Union with an earlier snapshot, so agents who just lost access still see the change
    /// that took it away (the conversation leaving their list).
    pub fn merge(mut self, other: &EventAccess) -> EventAccess {
        for team in &other.team_ids {
            if !self.team_ids.contains(team) {
                self.team_ids.push(*team);
            }
        }
        for agent in &other.agent_ids {
            if !self.agent_ids.contains(agent) {
                self.agent_ids.push(*agent);
            }
        }
        self
    }

    fn parse_ids(text: &str) -> Vec<i64> {
        text.split(',').filter_map(|s| s.parse().ok()).collect()
    }

    pub fn from_columns(
        conversation_id: Option<i64>,
        team_ids: &str,
        agent_ids: &str,
        owner_id: Option<i64>,
    ) -> EventAccess {
        EventAccess {
            conversation_id,
            team_ids: Self::parse_ids(team_ids),
            agent_ids: Self::parse_ids(agent_ids),
            owner_id,
        }
    }
}

#[derive(Debug)]
pub struct StoredEvent {
    pub event: Event,
    pub access: EventAccess,
}

/// The event as `caller` may receive it, or `None` when they may not see it.
/// Access is granted by the snapshot or by the conversation as it is now.
pub async fn deliverable(conn: &mut Conn, caller: &Caller, stored: &StoredEvent) -> Option<Event> {
    let access = &stored.access;
    if let Some(owner) = access.owner_id {
        return (owner == caller.id).then(|| stored.event.clone());
    }
    if let Some(conversation_id) = access.conversation_id {
        let by_snapshot = caller.is_admin()
            || access.agent_ids.contains(&caller.id)
            || access.team_ids.iter().any(|t| caller.team_ids.contains(t));
        if !by_snapshot
            && model::ensure_visible(conn, caller, conversation_id)
                .await
                .is_err()
        {
            return None;
        }
    }
    let mut event = stored.event.clone();
    if let EventPayload::ConversationUpdated(conversation) = &mut event.payload
        && let Ok(id) = conversation.id.parse::<i64>()
        && let Ok(unread) = model::unread_for(conn, id, caller.id).await
    {
        conversation.unread_count = unread;
    }
    Some(event)
}
