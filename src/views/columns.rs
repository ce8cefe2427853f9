//! What each table-mode column shows for a conversation: plain text, looked up in the workspace
//! where the conversation holds an id.

use crate::ui::time;
use convoroom_api::{Conversation, ViewColumn, Workspace};

/// The text of one cell; empty when the conversation has no value for the column.
pub fn cell_text(column: ViewColumn, c: &Conversation, w: &Workspace) -> String {
    let name_of_agent = |id: &Option<String>| {
        id.as_ref()
            .and_then(|id| w.agents.iter().find(|a| &a.id == id))
            .map(crate::workspace::owner_label)
            .unwrap_or_default()
    };
    match column {
        ViewColumn::ConversationId => c.id.clone(),
        ViewColumn::CustomerName => {
            if c.contact.name.trim().is_empty() {
                c.contact.identifier.clone()
            } else {
                c.contact.name.clone()
            }
        }
        ViewColumn::CreatedAt => time::parse_rfc3339(&c.lifecycle.created_at)
            .map(time::date_time)
            .unwrap_or_else(|| c.lifecycle.created_at.clone()),
        ViewColumn::Agent => name_of_agent(&c.assignee_id),
        ViewColumn::Team => c
            .team_id
            .as_ref()
            .and_then(|id| w.teams.iter().find(|t| &t.id == id))
            .map(|t| t.name.clone())
            .unwrap_or_default(),
        ViewColumn::Priority => c.priority.label().to_string(),
        ViewColumn::Direction => c.direction.label().to_string(),
        ViewColumn::Disposition => c.disposition.clone().unwrap_or_default(),
        ViewColumn::State => c.state.map(|s| s.label().to_string()).unwrap_or_default(),
        ViewColumn::WrapUpNote => c.wrap_up_note.clone().unwrap_or_default(),
        ViewColumn::Channel => c.channel.label().to_string(),
        ViewColumn::Contact => c.contact.identifier.clone(),
        ViewColumn::TicketId => c.ticket_id.clone().unwrap_or_default(),
        ViewColumn::BusinessAddress => c.business_address.clone().unwrap_or_default(),
        ViewColumn::Csat => c.csat.map(|n| format!("{n} / 5")).unwrap_or_default(),
        ViewColumn::HangupSource => c
            .hangup_source
            .map(|s| s.label().to_string())
            .unwrap_or_default(),
    }
}

/// The columns a view shows, in the view's order, with the conversation id first even if a
/// stored view lacks it (or has it elsewhere).
pub fn shown(columns: &[ViewColumn]) -> Vec<ViewColumn> {
    let mut out = vec![ViewColumn::ConversationId];
    for column in columns {
        if !out.contains(column) {
            out.push(*column);
        }
    }
    out
}

/// `columns` with the one at `from` moved to `to` (both clamped to the movable range): the
/// conversation id stays first whatever is asked.
pub fn moved(columns: &[ViewColumn], from: usize, to: usize) -> Vec<ViewColumn> {
    let mut out = shown(columns);
    let last = out.len() - 1;
    if from == 0 || from > last {
        return out;
    }
    let column = out.remove(from);
    out.insert(to.clamp(1, last), column);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use convoroom_api as api;

    fn conversation() -> Conversation {
        serde_json::from_value(serde_json::json!({
            "id": "42",
            "contact": {"id": "1", "name": "", "identifier": "+15550100", "known": false, "blocked": false},
            "channel": "voice", "team_id": "2", "assignee_id": "3", "collaborator_ids": [],
            "status": "resolved", "priority": "none", "direction": "outgoing",
            "state": "queue_timeout", "csat": 4, "hangup_source": "customer",
            "business_address": "+1 800 555 0199",
            "labels": [], "attributes": {}, "session_info": {},
            "access": {"blocked": false, "spam": false, "ai_enabled": true},
            "lifecycle": {"created_at": "2026-11-03T14:05:00Z", "last_activity_at": "2026-11-03T14:05:00Z"},
            "unread_count": 0, "version": 1,
        }))
        .unwrap()
    }

    fn workspace() -> Workspace {
        let mut w: Workspace = serde_json::from_value(serde_json::json!({
            "me": {"id": "3", "name": "Aiko Tanaka", "email": "a@x", "role": "agent", "availability": "online", "team_ids": []},
            "agents": [], "teams": [], "labels": [], "pipeline_stages": [], "attribute_definitions": []
        }))
        .unwrap();
        w.agents.push(w.me.clone());
        w.teams.push(api::Team {
            id: "2".into(),
            name: "Sales".into(),
            after_conversation: Default::default(),
            archived: false,
            member_ids: vec![],
            waiting_alert_minutes: None,
            version: 1,
        });
        w
    }

    #[test]
    fn cells_read_like_the_column_says() {
        let (c, w) = (conversation(), workspace());
        let text = |column| cell_text(column, &c, &w);
        assert_eq!(text(ViewColumn::ConversationId), "42");
        assert_eq!(text(ViewColumn::CustomerName), "+15550100");
        assert_eq!(text(ViewColumn::CreatedAt), "Nov 3, 2026 14:05");
        assert_eq!(text(ViewColumn::Agent), "Aiko Tanaka");
        assert_eq!(text(ViewColumn::Team), "Sales");
        assert_eq!(text(ViewColumn::Direction), "Outgoing");
        assert_eq!(text(ViewColumn::State), "Queue timeout");
        assert_eq!(text(ViewColumn::Channel), "Voice call");
        assert_eq!(text(ViewColumn::Csat), "4 / 5");
        assert_eq!(text(ViewColumn::HangupSource), "Customer");
        assert_eq!(text(ViewColumn::Disposition), "");
        assert_eq!(text(ViewColumn::TicketId), "");
        assert_eq!(text(ViewColumn::BusinessAddress), "+1 800 555 0199");
    }

    #[test]
    fn the_conversation_id_always_leads_and_the_rest_keep_the_views_order() {
        use ViewColumn::*;
        assert_eq!(
            shown(&[Csat, CustomerName]),
            [ConversationId, Csat, CustomerName]
        );
        assert_eq!(shown(&[Csat, ConversationId, Csat]), [ConversationId, Csat]);
    }

    #[test]
    fn moving_a_column_never_displaces_the_conversation_id() {
        use ViewColumn::*;
        let columns = [ConversationId, CustomerName, Agent, Channel];
        assert_eq!(
            moved(&columns, 3, 1),
            [ConversationId, Channel, CustomerName, Agent]
        );
        assert_eq!(
            moved(&columns, 1, 2),
            [ConversationId, Agent, CustomerName, Channel]
        );
        assert_eq!(moved(&columns, 1, 0), columns, "not before the id");
        assert_eq!(moved(&columns, 0, 2), columns, "the id stays");
        assert_eq!(moved(&columns, 3, 9), columns, "past the end");
    }
}
