//! The left pane: ownership tabs, search and filters, and the windowed list of conversations.

pub mod bulk;
pub mod filters;
mod live;
mod new_conversation;
pub mod resolve;
mod row;
pub mod state;
mod toolbar;
pub mod window;

pub use live::{follow_live, list_upserter};
pub use row::{ConversationRow, access_chips, delivery_failed_marker};
pub use state::{ListState, ListStateStoreFields};
pub use toolbar::count_badge;

use crate::auth::use_auth;
use crate::ui::ErrorNotice;
use convoroom_api::{self as api, ConversationFilter};
use leptos::prelude::*;
use reactive_stores::Store;
use row::ROW_HEIGHT;

/// What the workspace shares with the list: its data, the filter in the URL, and the
/// keyboard cursor (the row `j`/`k` move).
#[derive(Clone, Copy)]
pub struct ListContext {
    pub state: Store<ListState>,
    pub filter: Memo<ConversationFilter>,
    pub active: RwSignal<Option<usize>>,
    pub selected_id: Memo<Option<String>>,
    pub open: Callback<String>,
    pub set_filter: Callback<ConversationFilter>,
    pub bulk: bulk::BulkSelection,
}

#[component]
pub fn ConversationList() -> impl IntoView {
    let ctx = expect_context::<ListContext>();
    let auth = use_auth();
    let state = ctx.state;

    Effect::new(move |_| {
        let filter = ctx.filter.get();
        state::load_first_page(state, auth.client(), filter);
    });

    let list_viewport = window::Viewport::follow(800.0);
    let viewport = list_viewport.node;
    let count = move || state.items().with(Vec::len);
    let range = Memo::new(move |_| list_viewport.range(ROW_HEIGHT, count()));

    // Fetch the next page when the window nears the end of what is loaded.
    Effect::new(move |_| {
        let (_, end) = range.get();
        if state.loaded().get()
            && window::near_end(end, count())
            && state.next_cursor().with(Option::is_some)
        {
            state::load_next_page(state, auth.client(), ctx.filter.get_untracked());
        }
    });

    // Keep the keyboard cursor in view.
    Effect::new(move |_| {
        if let (Some(index), Some(el)) = (ctx.active.get(), viewport.get()) {
            let height = f64::from(el.client_height());
            if let Some(top) =
                window::scroll_to_reveal(index, el.scroll_top() as f64, height, ROW_HEIGHT)
            {
                el.set_scroll_top(top as i32);
            }
        }
    });

    // In selection mode a row toggles its selection; otherwise it opens the conversation.
    let on_row = Callback::new(move |id: String| {
        if ctx.bulk.with_untracked(Option::is_some) {
            bulk::toggle(ctx.bulk, &id);
        } else {
            ctx.open.run(id);
        }
    });
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let len = count();
        if len == 0 {
            return;
        }
        let current = ctx.active.get_untracked();
        let next = match ev.key().as_str() {
            "ArrowDown" => Some(current.map_or(0, |i| (i + 1).min(len - 1))),
            "ArrowUp" => Some(current.map_or(0, |i| i.saturating_sub(1))),
            "Home" => Some(0),
            "End" => Some(len - 1),
            "Enter" | " " => {
                if let Some(c) = current
                    .and_then(|i| state.items().with_untracked(|items| items.get(i).cloned()))
                {
                    on_row.run(c.id);
                }
                None
            }
            _ => return,
        };
        ev.prevent_default();
        if next.is_some() {
            ctx.active.set(next);
        }
    };

    let active_descendant = move || {
        ctx.active.get().and_then(|i| {
            state.items().with(|items| {
                items
                    .get(i)
                    .map(|c| format!("conversation-option-{}", c.id))
            })
        })
    };

    view! {
        <section class="list-pane" aria-label="Conversation list">
            <toolbar::ListToolbar/>
            <Show when=move || ctx.bulk.with(Option::is_some)>
                <bulk::BulkBar/>
            </Show>
            <div class="list-status" role="status" aria-live="polite">
                {move || {
                    if let Some(error) = state.error().get() {
                        view! {
                            <ErrorNotice
                                what="load conversations"
                                error
                                retry=move || state::load_first_page(state, auth.client(), ctx.filter.get_untracked())
                            />
                        }
                        .into_any()
                    } else if state.loaded().get() && count() == 0 && !state.loading().get() {
                        empty_state(ctx.filter.get(), ctx.set_filter).into_any()
                    } else if state.loading().get() && count() == 0 {
                        view! { <p class="muted">"Loading conversations…"</p> }.into_any()
                    } else {
                        ().into_any()
                    }
                }}
            </div>
            <div
                class="list-viewport"
                node_ref=viewport
                role="tabpanel"
                id="conversation-tabpanel"
                on:scroll=move |_| list_viewport.measure()
            >
                <div
                    class="list-canvas"
                    role="listbox"
                    aria-label="Conversations"
                    tabindex="0"
                    aria-activedescendant=active_descendant
                    aria-multiselectable=move || ctx.bulk.with(Option::is_some).then_some("true")
                    style:height=move || format!("{}px", count() as f64 * ROW_HEIGHT)
                    on:keydown=on_key
                    on:focus=move |_| {
                        if ctx.active.get_untracked().is_none() && count() > 0 {
                            ctx.active.set(Some(0));
                        }
                    }
                >
                    {move || {
                        let (start, end) = range.get();
                        let total = count();
                        state.items().with(|items| {
                            items[start.min(items.len())..end.min(items.len())]
                                .iter()
                                .enumerate()
                                .map(|(offset, conversation)| {
                                    let index = start + offset;
                                    let id = conversation.id.clone();
                                    let link = format!(
                                        "/conversations/{}{}",
                                        crate::api::encode(&id),
                                        filters::to_query(&ctx.filter.get_untracked())
                                    );
                                    view! {
                                        <ConversationRow
                                            conversation=conversation.clone()
                                            index
                                            set_size=total
                                            selected=Signal::derive(move || match ctx.bulk.get() {
                                                Some(set) => set.contains(&id),
                                                None => ctx.selected_id.get().as_deref() == Some(id.as_str()),
                                            })
                                            active=Signal::derive(move || ctx.active.get() == Some(index))
                                            link
                                            on_open=on_row
                                        />
                                    }
                                })
                                .collect_view()
                        })
                    }}
                </div>
                <Show when=move || { state.loading().get() && count() > 0 }>
                    <p class="list-more muted">"Loading more…"</p>
                </Show>
            </div>
        </section>
    }
}

fn empty_state(filter: ConversationFilter, set_filter: Callback<ConversationFilter>) -> AnyView {
    if let (Some(q), Some(status)) = (filter.q.clone(), filter.status) {
        // The search was narrowed to one status: offer the others rather than a dead end.
        let everywhere = ConversationFilter {
            status: None,
            ..filter
        };
        return view! {
            <div class="empty">
                <p class="empty__title">{format!("No {} conversations match “{q}”", status.label().to_lowercase())}</p>
                <button type="button" class="button button--small" on:click=move |_| set_filter.run(everywhere.clone())>
                    "Search every status"
                </button>
            </div>
        }
        .into_any();
    }
    let (title, hint) = if let Some(q) = filter.q.clone() {
        (
            format!("No conversations match “{q}”"),
            "Check the spelling, or search for a phone number or a word from the messages.",
        )
    } else if filter.ownership == Some(api::Ownership::Mine) {
        (
            "Nothing assigned to you".to_string(),
            "Conversations you handle show up here. Pick one from Unassigned to take it.",
        )
    } else {
        (
            "No conversations here".to_string(),
            "Try another status or clear the filters.",
        )
    };
    view! {
        <div class="empty">
            <p class="empty__title">{title}</p>
            <p class="muted">{hint}</p>
        </div>
    }
    .into_any()
}
