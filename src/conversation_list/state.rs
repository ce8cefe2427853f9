//! The loaded conversations: first page on filter change, more pages on scroll, and live
//! changes merged in place.

use crate::api::ApiClient;
use convoroom_api::{self as api, Conversation, ConversationFilter};
use leptos::prelude::*;
use reactive_stores::Store;

#[derive(Debug, Clone, Default, Store)]
pub struct ListState {
    pub items: Vec<Conversation>,
    pub next_cursor: Option<String>,
    pub counts: api::OwnershipCounts,
    pub loading: bool,
    pub error: Option<String>,
    /// Bumped on each new filter so late answers to an older filter are dropped.
    pub generation: u64,
    /// The first page for the current filter has arrived.
    pub loaded: bool,
}

/// Places a changed conversation where the list's sort puts it, or drops it when it no
/// longer matches the filter.
pub fn apply_update(
    items: &mut Vec<Conversation>,
    changed: Conversation,
    filter: &ConversationFilter,
    me: &str,
) {
    items.retain(|c| c.id != changed.id);
    if !matches(&changed, filter, me) {
        return;
    }
    let position = items
        .iter()
        .position(|c| list_order(&changed, c, filter).is_lt())
        .unwrap_or(items.len());
    // Appending past the loaded end would show a row out of order; the next page brings it.
    if position < items.len() || items.is_empty() {
        items.insert(position, changed);
    }
}

/// The client-side mirror of the server's filter, used only for live updates.
/// Full-text search is left to the server: a live change never adds rows to a search.
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
        && filter
            .pipeline_stage
            .as_ref()
            .is_none_or(|s| c.pipeline_stage.as_ref() == Some(s))
        && filter
            .assignee_id
            .as_ref()
            .is_none_or(|a| c.assignee_id.as_ref() == Some(a))
        && filter
            .ai_reviewed
            .is_none_or(|r| r == c.ai_review.is_some())
        && filter.q.is_none()
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
            Err(err) => state.error().set(Some(err.to_string())),
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
            Err(err) => state.error().set(Some(err.to_string())),
        }
    });
}
