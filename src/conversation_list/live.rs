//! Keeping a loaded set of conversations (the list, a view's table) in step with the event
//! stream: rows change and move in place, merged conversations disappear, renamed or deleted
//! labels follow, a resync reloads, and the counts refresh shortly after a burst of changes.

use super::ListContext;
use super::state::{self, ListState, ListStateStoreFields};
use crate::auth::use_auth;
use crate::live::LiveHub;
use convoroom_api::{self as api, Conversation, ConversationFilter};
use leptos::prelude::*;
use reactive_stores::Store;

/// How long after the last change the counts are asked for again.
const RECOUNT_AFTER_MS: u32 = 1_500;

/// Follows `hub` for `rows`, loaded under `filter`, until the calling component is cleaned up.
pub fn follow_live(rows: Store<ListState>, filter: Signal<ConversationFilter>, hub: LiveHub) {
    let auth = use_auth();
    let recount = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);
    let recount_soon = move || {
        let timeout = gloo_timers::callback::Timeout::new(RECOUNT_AFTER_MS, move || {
            let client = auth.client();
            let filter = filter.get_untracked();
            leptos::task::spawn_local(async move {
                if let Ok(page) = client.conversations(&filter, None).await {
                    rows.counts().set(page.counts);
                }
            });
        });
        recount.set_value(Some(timeout));
    };
    // What the list was loaded as: an admin changing these changes what the agent may see.
    let seen_as = StoredValue::new(auth.agent.with_untracked(|a| {
        a.as_ref()
            .map(|a| (a.id.clone(), a.role, a.team_ids.clone()))
    }));
    hub.subscribe(move |event| match &event.payload {
        api::EventPayload::AgentSaved(agent)
            if seen_as.with_value(|s| {
                s.as_ref().is_some_and(|(id, role, teams)| {
                    *id == agent.id && (*role != agent.role || *teams != agent.team_ids)
                })
            }) =>
        {
            seen_as.set_value(Some((agent.id.clone(), agent.role, agent.team_ids.clone())));
            state::load_first_page(rows, auth.client(), filter.get_untracked());
        }
        api::EventPayload::ConversationUpdated(conversation) => {
            upsert(
                rows,
                &filter.get_untracked(),
                (**conversation).clone(),
                auth,
            );
            recount_soon();
        }
        api::EventPayload::ConversationMerged { id, .. } => {
            rows.items().update(|items| items.retain(|c| &c.id != id));
            recount_soon();
        }
        api::EventPayload::ResyncRequired => {
            state::load_first_page(rows, auth.client(), filter.get_untracked());
        }
        // An admin renamed or deleted a label: rows show what their conversations hold now
        // (their versions stay, so no conversation_updated comes).
        payload @ (api::EventPayload::LabelRenamed { .. }
        | api::EventPayload::LabelDeleted { .. }) => {
            rows.items().update(|items| {
                for conversation in items.iter_mut() {
                    if let Some(labels) = payload.relabelled(&conversation.labels) {
                        conversation.labels = labels;
                    }
                }
            });
            recount_soon();
        }
        _ => {}
    });
}

/// Puts a changed conversation where `filter`'s sort places it among `rows` (or drops it when
/// it no longer matches), unless they already hold a newer version of it.
pub fn upsert(
    rows: Store<ListState>,
    filter: &ConversationFilter,
    conversation: Conversation,
    auth: crate::auth::Auth,
) {
    let Some(me) = auth
        .agent
        .with_untracked(|a| a.as_ref().map(|a| a.id.clone()))
    else {
        return;
    };
    let all_loaded = rows.next_cursor().with_untracked(Option::is_none);
    rows.items()
        .update(|items| state::apply_update(items, conversation, filter, &me, all_loaded));
}

/// A callback that puts a conversation the agent changed into the workspace's list, or `None`
/// where there is no list (the embedded panel). Made during setup so that handlers, which run
/// outside the component tree, can call it.
pub fn list_upserter() -> Option<Callback<Conversation>> {
    let ctx = use_context::<ListContext>()?;
    let auth = use_auth();
    Some(Callback::new(move |conversation: Conversation| {
        upsert(ctx.state, &ctx.filter.get_untracked(), conversation, auth);
    }))
}
