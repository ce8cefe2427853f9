use super::{ListContext, ListStateStoreFields};
use crate::ui::icons::icon;
use crate::workspace::use_workspace;
use convoroom_api::{self as api, ConversationFilter};
use leptos::prelude::*;

/// Milliseconds of quiet typing before a search runs: short enough that a keystroke is
/// answered within the 150 ms budget of `cargo xtask bench`, long enough that fast typing
/// sends one request per pause rather than one per letter.
const SEARCH_DEBOUNCE_MS: u32 = 80;

#[component]
pub fn ListToolbar() -> impl IntoView {
    let ctx = expect_context::<ListContext>();
    let workspace = use_workspace();
    let filter = ctx.filter;
    let change = move |edit: &dyn Fn(&mut ConversationFilter)| {
        let mut next = filter.get_untracked();
        edit(&mut next);
        ctx.set_filter.run(next);
    };

    // The box shows what is typed at once; the URL (and so the query) follows after a pause.
    let typed = RwSignal::new(filter.get_untracked().q.unwrap_or_default());
    Effect::new(move |_| {
        let from_url = filter.get().q.unwrap_or_default();
        if typed.get_untracked().trim() != from_url {
            typed.set(from_url);
        }
    });
    let pending = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);
    let on_search = move |value: String| {
        typed.set(value.clone());
        let timeout = gloo_timers::callback::Timeout::new(SEARCH_DEBOUNCE_MS, move || {
            let q = value.trim().to_string();
            change(&|f| {
                *f = super::filters::with_search(f.clone(), (!q.is_empty()).then(|| q.clone()))
            });
        });
        pending.set_value(Some(timeout));
    };

    let counts = ctx.state.counts();
    let tab = move |ownership: api::Ownership| {
        let selected = move || filter.get().ownership.unwrap_or(api::Ownership::All) == ownership;
        let count = move || {
            let c = counts.get();
            let n = match ownership {
                api::Ownership::Mine => c.mine,
                api::Ownership::Unassigned => c.unassigned,
                api::Ownership::All => c.all,
            };
            count_badge(n, c.approximate)
        };
        view! {
            <button
                type="button"
                role="tab"
                class="tab"
                aria-selected=move || selected().to_string()
                aria-controls="conversation-tabpanel"
                tabindex=move || if selected() { "0" } else { "-1" }
                on:click=move |_| change(&|f| f.ownership = Some(ownership))
            >
                {ownership.label()}
                <span class="tab__count">{count}</span>
            </button>
        }
    };

    let select = |label, options, current, apply| {
        super::filters::filter_select(label, options, current, apply, false)
    };

    let super::filters::FilterChoices {
        status: status_options,
        channel: channel_options,
        sort: sort_options,
        team: team_options,
        agent: agent_options,
        stage: stage_options,
        priority: priority_options,
        label: label_options,
        ai_review: ai_options,
        ..
    } = super::filters::choices(&workspace.get_untracked());
    let opt = |s: String| (!s.is_empty()).then_some(s);
    let more_open = RwSignal::new(false);
    let new_open = RwSignal::new(false);
    let active_filters = move || {
        let f = filter.get();
        [
            f.sort.is_some_and(|s| s != api::SortOrder::LastActivity),
            f.channel.is_some(),
            f.team_id.is_some(),
            f.assignee_id.is_some(),
            f.pipeline_stage.is_some(),
            f.priority.is_some(),
            f.label.is_some(),
            f.ai_reviewed.is_some(),
            f.state.is_some(),
        ]
        .iter()
        .filter(|x| **x)
        .count()
    };

    view! {
        <div class="list-toolbar">
            <div class="list-toolbar__search">
                <div class="search">
                    {icon("search")}
                    <input
                        type="search"
                        id="conversation-search"
                        aria-label="Search conversations"
                        placeholder="Search name, phone or message  /"
                        autocomplete="off"
                        prop:value=typed
                        on:input:target=move |ev| on_search(ev.target().value())
                    />
                </div>
                <button
                    type="button"
                    class="icon-button"
                    aria-label="New conversation"
                    title="New conversation"
                    on:click=move |_| new_open.set(true)
                >
                    {icon("compose")}
                </button>
            </div>
            <div class="tabs" role="tablist" aria-label="Ownership">
                {tab(api::Ownership::Mine)}
                {tab(api::Ownership::Unassigned)}
                {tab(api::Ownership::All)}
            </div>
            <div class="filters">
                {select(
                    "Status",
                    status_options,
                    Signal::derive(move || filter.get().status.map_or("any".into(), |s| s.as_str().to_string())),
                    Callback::new(move |v: String| change(&|f| f.status = api::Status::parse(&v))),
                )}
                <button
                    type="button"
                    class="button button--small"
                    aria-pressed=move || ctx.bulk.with(Option::is_some).to_string()
                    on:click=move |_| ctx.bulk.update(|b| *b = if b.is_some() { None } else { Some(Default::default()) })
                >
                    "Select"
                </button>
                <button
                    type="button"
                    class="button button--small"
                    aria-expanded=move || more_open.get().to_string()
                    aria-controls="more-filters"
                    on:click=move |_| more_open.update(|o| *o = !*o)
                >
                    {move || match active_filters() {
                        0 => "More filters".to_string(),
                        n => format!("More filters ({n})"),
                    }}
                </button>
            </div>
            <super::new_conversation::NewConversationDialog open=new_open/>
            <div class="filters filters--more" id="more-filters" hidden=move || !more_open.get()>
                {select(
                    "Sort",
                    sort_options,
                    Signal::derive(move || filter.get().sort.unwrap_or(api::SortOrder::LastActivity).as_str().to_string()),
                    Callback::new(move |v: String| change(&|f| f.sort = api::SortOrder::parse(&v))),
                )}
                {select(
                    "Channel",
                    channel_options,
                    Signal::derive(move || filter.get().channel.map(|c| c.as_str().to_string()).unwrap_or_default()),
                    Callback::new(move |v: String| change(&|f| f.channel = api::Channel::parse(&v))),
                )}
                {select(
                    "Team",
                    team_options,
                    Signal::derive(move || filter.get().team_id.unwrap_or_default()),
                    Callback::new(move |v: String| change(&|f| f.team_id = opt(v.clone()))),
                )}
                {select(
                    "Agent",
                    agent_options,
                    Signal::derive(move || filter.get().assignee_id.unwrap_or_default()),
                    Callback::new(move |v: String| change(&|f| f.assignee_id = opt(v.clone()))),
                )}
                {select(
                    "Pipeline stage",
                    stage_options,
                    Signal::derive(move || filter.get().pipeline_stage.unwrap_or_default()),
                    Callback::new(move |v: String| change(&|f| f.pipeline_stage = opt(v.clone()))),
                )}
                {select(
                    "Priority",
                    priority_options,
                    Signal::derive(move || filter.get().priority.unwrap_or_default()),
                    Callback::new(move |v: String| change(&|f| f.priority = opt(v.clone()))),
                )}
                {select(
                    "Label",
                    label_options,
                    Signal::derive(move || filter.get().label.unwrap_or_default()),
                    Callback::new(move |v: String| change(&|f| f.label = opt(v.clone()))),
                )}
                {select(
                    "AI review",
                    ai_options,
                    Signal::derive(move || filter.get().ai_reviewed.map(|b| b.to_string()).unwrap_or_default()),
                    Callback::new(move |v: String| change(&|f| f.ai_reviewed = v.parse().ok())),
                )}
                {super::filters::state_select(
                    Signal::derive(move || filter.get().state.unwrap_or_default()),
                    Callback::new(move |v: String| change(&|f| f.state = opt(v.clone()))),
                    false,
                )}
            </div>
        </div>
    }
}

/// A tab badge: the server counts a very common search only up to a limit, so its numbers are
/// lower bounds and read "1000+".
pub fn count_badge(n: u64, approximate: bool) -> String {
    if approximate {
        format!("{n}+")
    } else {
        n.to_string()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn approximate_counts_read_as_lower_bounds() {
        assert_eq!(super::count_badge(12, false), "12");
        assert_eq!(super::count_badge(1000, true), "1000+");
    }
}
