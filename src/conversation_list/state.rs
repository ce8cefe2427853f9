//! The loaded conversations: first page on filter change, more pages on scroll, and live
//! changes merged in place.

use crate::api::ApiClient;
use crate::record::Versioned;
use convoroom_api::{self as api, Conversation, ConversationFilter};
use leptos::prelude::*;
use reactive_stores::Store;

#[derive(Debug, Clone, Default, Store)]
pub struct ListState {
    pub items: Vec<Conversation>,
    pub next_cursor: Option<String>,
    pub counts: api::OwnershipCounts,
    pub loading: bool,
    pub error: Option<crate::api::ClientError>,
    /// Bumped on each new filter so late answers to an older filter are dropped.
    pub generation: u64,
    /// The first page for the current filter has arrived.
    pub loaded: bool,
}

/// Places a changed conversation where the list's sort puts it, or drops it when it no
/// longer matches the filter. A version older than the row shown changes nothing.
pub fn apply_update(
    items: &mut Vec<Conversation>,
    changed: Conversation,
    filter: &ConversationFilter,
    me: &str,
    all_loaded: bool,
) {
    let shown = items.iter().find(|c| c.id == changed.id);
    if shown.is_some_and(|c| c.version() > changed.version) {
        return;
    }
    let was_shown = shown.is_some();
    items.retain(|c| c.id != changed.id);
    if !matches(&changed, filter, me) {
        return;
    }
    // Search relevance is the server's to judge: a search result stays when it changes,
    // but a live change never adds one.
    if filter.q.is_some() && !was_shown {
        return;
    }
    let position = items
        .iter()
        .position(|c| list_order(&changed, c, filter).is_lt())
        .unwrap_or(items.len());
    // Past the loaded end a new row may belong to a page not loaded yet: that page brings it.
    if position < items.len() || was_shown || all_loaded {
        items.insert(position, changed);
    }
}

/// The client-side mirror of the server's filter (all but the text search), used only
/// for live updates.
pub fn matches(c: &Conversation, filter: &ConversationFilter, me: &str) -> bool {
    let ownership_ok = match filter.ownership.unwrap_or(api::Ownership::All) {
        api::Ownership::Mine => c.assignee_id.as_deref() == Some(me),
        api::Ownership::Unassigned => c.assignee_id.is_none(),
        api::Ownership::All => true,
    };
    ownership_ok
        && filter.status.is_none_or(|s| s == c.status)
        && filter.channel.is_none_or(|ch| ch == c.channel)
        && filter
            .team_id
            .as_ref()
            .is_none_or(|t| c.team_id.as_ref() == Some(t))
        && filter.label.as_ref().is_none_or(|l| c.labels.contains(l))
        && filter.priority.as_deref().is_none_or(|p| {
            api::Priority::parse_list(p).is_none_or(|wanted| wanted.contains(&c.priority))
        })
        && filter
            .pipeline_stage
            .as_ref()
            .is_none_or(|s| c.pipeline_stage.as_ref() == Some(s))
        && filter
            .assignee_id
            .as_ref()
            .is_none_or(|a| c.assignee_id.as_ref() == Some(a))
        && filter
            .attribute
            .as_deref()
            .and_then(api::parse_attribute_filter)
            .is_none_or(|(key, value)| {
                c.attributes
                    .get(key)
                    .and_then(api::AttributeValue::filter_text)
                    .is_some_and(|held| held == value)
            })
        && filter
            .ai_reviewed
            .is_none_or(|r| r == c.ai_review.is_some())
        && filter.state.as_deref().is_none_or(|wanted| {
            api::ConversationState::matching(wanted)
                .is_none_or(|states| c.state.is_some_and(|state| states.contains(&state)))
        })
}

/// How two rows compare under the list's sort (`Less` = shown first), as the server sorts.
pub fn list_order(
    a: &Conversation,
    b: &Conversation,
    filter: &ConversationFilter,
) -> std::cmp::Ordering {
    let (la, lb) = (&a.lifecycle, &b.lifecycle);
    let primary = match filter.sort.unwrap_or(api::SortOrder::LastActivity) {
        api::SortOrder::LastActivity => lb.last_activity_at.cmp(&la.last_activity_at),
        api::SortOrder::Newest => lb.created_at.cmp(&la.created_at),
        api::SortOrder::WaitingLongest => match (&la.waiting_since, &lb.waiting_since) {
            (Some(x), Some(y)) => x.cmp(y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => lb.last_activity_at.cmp(&la.last_activity_at),
        },
        api::SortOrder::Priority => b
            .priority
            .rank()
            .cmp(&a.priority.rank())
            .then_with(|| lb.last_activity_at.cmp(&la.last_activity_at)),
    };
    let numeric = |c: &Conversation| c.id.parse::<i64>().unwrap_or(0);
    primary.then_with(|| numeric(b).cmp(&numeric(a)))
}

pub fn load_first_page(state: Store<ListState>, client: ApiClient, filter: ConversationFilter) {
    let generation = state.generation().get_untracked() + 1;
    state.generation().set(generation);
    state.loading().set(true);
    state.error().set(None);
    leptos::task::spawn_local(async move {
        let result = client.conversations(&filter, None).await;
        if state.generation().get_untracked() != generation {
            return;
        }
        state.loading().set(false);
        match result {
            Ok(page) => {
                state.items().set(page.items);
                state.next_cursor().set(page.next_cursor);
                state.counts().set(page.counts);
                state.loaded().set(true);
            }
            Err(err) => state.error().set(Some(err)),
        }
    });
}

pub fn load_next_page(state: Store<ListState>, client: ApiClient, filter: ConversationFilter) {
    let Some(cursor) = state.next_cursor().get_untracked() else {
        return;
    };
    if state.loading().get_untracked() {
        return;
    }
    let generation = state.generation().get_untracked();
    state.loading().set(true);
    leptos::task::spawn_local(async move {
        let result = client.conversations(&filter, Some(&cursor)).await;
        if state.generation().get_untracked() != generation {
            return;
        }
        state.loading().set(false);
        match result {
            Ok(page) => {
                state.items().update(|items| {
                    for item in page.items {
                        if !items.iter().any(|c| c.id == item.id) {
                            items.push(item);
                        }
                    }
                });
                state.next_cursor().set(page.next_cursor);
                state.counts().set(page.counts);
            }
            Err(err) => state.error().set(Some(err)),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conversation(id: &str, last_activity: &str, assignee: Option<&str>) -> Conversation {
        serde_json::from_value(serde_json::json!({
            "id": id,
            "contact": {"id": "1", "name": "A", "identifier": "a", "known": true, "blocked": false},
            "channel": "sms", "collaborator_ids": [], "status": "open", "priority": "none",
            "direction": "incoming", "labels": [], "attributes": {}, "session_info": {},
            "access": {"blocked": false, "spam": false, "ai_enabled": true},
            "lifecycle": {"created_at": last_activity, "last_activity_at": last_activity},
            "unread_count": 0, "version": 1, "assignee_id": assignee,
        }))
        .unwrap()
    }

    fn ids(items: &[Conversation]) -> Vec<&str> {
        items.iter().map(|c| c.id.as_str()).collect()
    }

    #[test]
    fn a_changed_conversation_moves_to_its_place() {
        let filter = ConversationFilter {
            status: Some(api::Status::Open),
            ..Default::default()
        };
        let mut items = vec![
            conversation("3", "2026-01-03T00:00:00Z", None),
            conversation("2", "2026-01-02T00:00:00Z", None),
            conversation("1", "2026-01-01T00:00:00Z", None),
        ];
        apply_update(
            &mut items,
            conversation("1", "2026-01-04T00:00:00Z", None),
            &filter,
            "9",
            true,
        );
        assert_eq!(ids(&items), ["1", "3", "2"]);
        let mut resolved = conversation("3", "2026-01-05T00:00:00Z", None);
        resolved.status = api::Status::Resolved;
        apply_update(&mut items, resolved, &filter, "9", true);
        assert_eq!(ids(&items), ["1", "2"]);
    }

    #[test]
    fn an_older_version_never_replaces_a_newer_row() {
        let filter = ConversationFilter::default();
        let mut newer = conversation("1", "2026-01-02T00:00:00Z", Some("9"));
        newer.version = 5;
        let mut items = vec![newer];
        let mut older = conversation("1", "2026-01-01T00:00:00Z", None);
        older.version = 4;
        apply_update(&mut items, older, &filter, "9", true);
        assert_eq!(items[0].version, 5);
        assert_eq!(items[0].assignee_id.as_deref(), Some("9"));
    }

    #[test]
    fn mine_keeps_only_my_conversations() {
        let filter = ConversationFilter {
            ownership: Some(api::Ownership::Mine),
            ..Default::default()
        };
        let mut items = vec![conversation("1", "2026-01-01T00:00:00Z", Some("9"))];
        apply_update(
            &mut items,
            conversation("1", "2026-01-02T00:00:00Z", Some("8")),
            &filter,
            "9",
            true,
        );
        assert!(items.is_empty());
    }

    #[test]
    fn searches_keep_their_rows_but_gain_none_live() {
        let filter = ConversationFilter {
            q: Some("refund".into()),
            ..Default::default()
        };
        let mut items = vec![conversation("1", "2026-01-01T00:00:00Z", None)];
        apply_update(
            &mut items,
            conversation("1", "2026-01-02T00:00:00Z", Some("9")),
            &filter,
            "9",
            true,
        );
        assert_eq!(ids(&items), ["1"]);
        assert_eq!(items[0].assignee_id.as_deref(), Some("9"));
        apply_update(
            &mut items,
            conversation("2", "2026-01-03T00:00:00Z", None),
            &filter,
            "9",
            true,
        );
        assert_eq!(ids(&items), ["1"]);
    }
}
