//! The list's filters live in the URL query, so deep links, reload, back and forward work.

use convoroom_api::{self as api, ConversationFilter};

/// The status shown when the address names none: open conversations, but a search looks
/// through every status (a customer whose conversations are all resolved is still found).
fn default_status(searching: bool) -> Option<api::Status> {
    (!searching).then_some(api::Status::Open)
}

/// The filter with a new search text. A status left at its default stays at the default of
/// the new state (searching looks through every status; clearing the search returns to open
/// conversations); a status the agent chose stays chosen.
pub fn with_search(mut filter: ConversationFilter, q: Option<String>) -> ConversationFilter {
    if filter.status == default_status(filter.q.is_some()) {
        filter.status = default_status(q.is_some());
    }
    filter.q = q;
    filter
}

/// Reads the filter from the URL query (`param` looks a key up); unknown values are
/// ignored rather than failing the page.
pub fn from_query(param: impl Fn(&str) -> Option<String>) -> ConversationFilter {
    let text = |key: &str| param(key).filter(|v| !v.trim().is_empty());
    let searching = text("q").is_some();
    ConversationFilter {
        ownership: Some(
            text("ownership")
                .and_then(|v| api::Ownership::parse(&v))
                .unwrap_or(api::Ownership::All),
        ),
        status: match text("status").as_deref() {
            Some("any") => None,
            Some(v) => api::Status::parse(v).or(default_status(searching)),
            None => default_status(searching),
        },
        channel: text("channel").and_then(|v| api::Channel::parse(&v)),
        team_id: text("team_id"),
        label: text("label"),
        pipeline_stage: text("pipeline_stage"),
        attribute: text("attribute").filter(|v| api::parse_attribute_filter(v).is_some()),
        priority: text("priority").filter(|v| api::Priority::parse_list(v).is_some()),
        assignee_id: text("assignee_id"),
        created_from: text("created_from"),
        created_to: text("created_to"),
        ai_reviewed: text("ai_reviewed").and_then(|v| v.parse().ok()),
        state: text("state").filter(|v| api::ConversationState::matching(v).is_some()),
        q: text("q"),
        sort: text("sort").and_then(|v| api::SortOrder::parse(&v)),
    }
}

/// The URL query for a filter; defaults are left out to keep links short.
pub fn to_query(filter: &ConversationFilter) -> String {
    let mut pairs = crate::api::query_string(filter);
    let default_status = default_status(filter.q.is_some());
    pairs.retain(|(key, value)| match key.as_str() {
        "ownership" => value != "all",
        "status" => Some(value.as_str()) != default_status.map(api::Status::as_str),
        _ => true,
    });
    if filter.status.is_none() && default_status.is_some() {
        pairs.push(("status".into(), "any".into()));
    }
    crate::api::encode_query(&pairs)
}

/// A filter's choices as `(value, label)` pairs, the "any" choice (empty value) first.
pub type Choices = Vec<(String, String)>;

/// The choices of every filter, shared by the list toolbar and the view editor.
pub struct FilterChoices {
    pub ownership: Choices,
    pub status: Choices,
    pub channel: Choices,
    pub sort: Choices,
    pub team: Choices,
    pub agent: Choices,
    pub stage: Choices,
    pub priority: Choices,
    pub label: Choices,
    pub ai_review: Choices,
}

pub fn choices(w: &api::Workspace) -> FilterChoices {
    fn with_any(any: &str, rest: impl Iterator<Item = (String, String)>) -> Choices {
        std::iter::once((String::new(), any.to_string()))
            .chain(rest)
            .collect()
    }
    let pairs = |all: &[(&str, &str)]| -> Choices {
        all.iter()
            .map(|(v, l)| (v.to_string(), l.to_string()))
            .collect()
    };
    FilterChoices {
        ownership: pairs(
            &api::Ownership::ALL
                .iter()
                .map(|o| (o.as_str(), o.label()))
                .collect::<Vec<_>>(),
        ),
        status: std::iter::once(("any".to_string(), "Any status".to_string()))
            .chain(
                api::Status::ALL
                    .iter()
                    .map(|s| (s.as_str().to_string(), s.label().to_string())),
            )
            .collect(),
        channel: with_any(
            "All channels",
            api::Channel::ALL
                .iter()
                .map(|c| (c.as_str().to_string(), c.label().to_string())),
        ),
        sort: pairs(
            &api::SortOrder::ALL
                .iter()
                .map(|s| (s.as_str(), s.label()))
                .collect::<Vec<_>>(),
        ),
        team: with_any(
            "All teams",
            w.teams.iter().map(|t| (t.id.clone(), t.name.clone())),
        ),
        agent: with_any(
            "Any agent",
            w.agents
                .iter()
                .map(|a| (a.id.clone(), crate::workspace::owner_label(a))),
        ),
        stage: with_any(
            "Any stage",
            w.pipeline_stages
                .iter()
                .map(|s| (s.id.clone(), s.name.clone())),
        ),
        priority: priority_choices(),
        label: with_any(
            "Any label",
            w.labels.iter().map(|l| (l.name.clone(), l.name.clone())),
        ),
        ai_review: pairs(&[
            ("", "AI review: any"),
            ("true", "AI reviewed"),
            ("false", "Not reviewed"),
        ]),
    }
}

/// Most pressing first, with the triage pair "high or urgent" (a filter takes several values).
fn priority_choices() -> Choices {
    use api::Priority as P;
    let one = |p: P| (p.as_str().to_string(), p.label().to_string());
    vec![
        (String::new(), "Any priority".to_string()),
        one(P::Urgent),
        ("high,urgent".to_string(), "High or urgent".to_string()),
        one(P::High),
        one(P::Medium),
        one(P::Low),
        one(P::None),
    ]
}

/// A filter as a select named `label` with `options` inside: the label shown above it in a
/// form, or only to screen readers (and as a tooltip) in the compact toolbar.
fn labelled_select(
    label: &'static str,
    current: leptos::prelude::Signal<String>,
    apply: leptos::prelude::Callback<String>,
    label_shown: bool,
    options: impl leptos::IntoView + 'static,
) -> impl leptos::IntoView {
    use leptos::prelude::*;
    view! {
        <label class=if label_shown { "field" } else { "filter" }>
            <span class=if label_shown { "field__label" } else { "sr-only" }>{label}</span>
            <select
                title=(!label_shown).then_some(label)
                on:change:target=move |ev| apply.run(ev.target().value())
                prop:value=current
            >
                {options}
            </select>
        </label>
    }
}

/// An option of a filter's select, selected when it is the filter's current value.
fn filter_option(
    value: String,
    text: String,
    current: leptos::prelude::Signal<String>,
) -> impl leptos::IntoView {
    use leptos::prelude::*;
    let is_current = value == current.get_untracked();
    view! { <option value=value selected=is_current>{text}</option> }
}

/// A filter as a select named `label` (see [`labelled_select`]).
pub fn filter_select(
    label: &'static str,
    options: Choices,
    current: leptos::prelude::Signal<String>,
    apply: leptos::prelude::Callback<String>,
    label_shown: bool,
) -> impl leptos::IntoView {
    use leptos::prelude::*;
    let options = options
        .into_iter()
        .map(|(value, text)| filter_option(value, text, current))
        .collect_view();
    labelled_select(label, current, apply, label_shown, options)
}

/// The filter by conversation state as a select whose options are grouped "Answered" and
/// "Unanswered" (the group itself first: every unanswered state at once).
pub fn state_select(
    current: leptos::prelude::Signal<String>,
    apply: leptos::prelude::Callback<String>,
    label_shown: bool,
) -> impl leptos::IntoView {
    use leptos::prelude::*;
    let option = move |value: &str, text: &str| filter_option(value.into(), text.into(), current);
    let options = view! {
        {option("", "Any state")}
        <optgroup label="Answered">
            {option(api::ConversationState::Answered.as_str(), api::ConversationState::Answered.label())}
        </optgroup>
        <optgroup label="Unanswered">
            {option(api::ConversationState::UNANSWERED_GROUP, "Every unanswered state")}
            {api::ConversationState::unanswered()
                .map(|state| option(state.as_str(), state.label()))
                .collect_view()}
        </optgroup>
    };
    labelled_select("Conversation state", current, apply, label_shown, options)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |key| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    }

    #[test]
    fn defaults_to_all_open_conversations() {
        let filter = from_query(params(&[]));
        assert_eq!(filter.ownership, Some(api::Ownership::All));
        assert_eq!(filter.status, Some(api::Status::Open));
        assert_eq!(to_query(&filter), "");
    }

    #[test]
    fn round_trips_through_the_url() {
        let filter = from_query(params(&[
            ("ownership", "mine"),
            ("status", "any"),
            ("channel", "sms"),
            ("q", "refund"),
        ]));
        assert_eq!(filter.status, None);
        assert_eq!(filter.channel, Some(api::Channel::Sms));
        let query = to_query(&filter);
        // With a search, every status is the default and is left out of the link.
        assert_eq!(query, "?channel=sms&ownership=mine&q=refund");
        assert_eq!(
            to_query(&from_query(params(&[
                ("channel", "sms"),
                ("status", "any")
            ]))),
            "?channel=sms&status=any"
        );
    }

    #[test]
    fn a_search_looks_through_every_status_unless_one_is_chosen() {
        let searching = from_query(params(&[("q", "larissa")]));
        assert_eq!(searching.status, None);
        assert_eq!(to_query(&searching), "?q=larissa");
        let resolved = from_query(params(&[("q", "larissa"), ("status", "resolved")]));
        assert_eq!(resolved.status, Some(api::Status::Resolved));
        assert_eq!(to_query(&resolved), "?q=larissa&status=resolved");
        let open = ConversationFilter {
            status: Some(api::Status::Open),
            ..searching.clone()
        };
        assert_eq!(to_query(&open), "?q=larissa&status=open");
        assert_eq!(
            from_query(params(&[("q", "larissa"), ("status", "open")])),
            open
        );
    }

    #[test]
    fn typing_a_search_widens_the_default_status_and_clearing_it_narrows_it_again() {
        let list = from_query(params(&[]));
        let searching = with_search(list.clone(), Some("larissa".into()));
        assert_eq!(searching.status, None);
        assert_eq!(with_search(searching, None), list);
        let resolved = from_query(params(&[("status", "resolved")]));
        let searching = with_search(resolved.clone(), Some("larissa".into()));
        assert_eq!(searching.status, Some(api::Status::Resolved));
    }

    #[test]
    fn keeps_the_priority_filter_in_the_url() {
        let filter = from_query(params(&[("priority", "high,urgent"), ("sort", "priority")]));
        assert_eq!(filter.priority.as_deref(), Some("high,urgent"));
        assert_eq!(filter.sort, Some(api::SortOrder::Priority));
        assert_eq!(from_query(params(&[("priority", "soon")])).priority, None);
        assert_eq!(to_query(&filter), "?priority=high%2Curgent&sort=priority");
        // The router hands the page the decoded value.
        assert_eq!(
            from_query(params(&[("priority", "high,urgent"), ("sort", "priority")])),
            filter
        );
    }

    #[test]
    fn keeps_the_state_filter_in_the_url() {
        let filter = from_query(params(&[("state", "unanswered")]));
        assert_eq!(filter.state.as_deref(), Some("unanswered"));
        assert_eq!(to_query(&filter), "?state=unanswered");
        let one = from_query(params(&[("state", "queue_timeout")]));
        assert_eq!(one.state.as_deref(), Some("queue_timeout"));
    }

    #[test]
    fn ignores_values_it_does_not_know() {
        let filter = from_query(params(&[
            ("channel", "fax"),
            ("ownership", "yours"),
            ("state", "lost"),
        ]));
        assert_eq!(filter.state, None);
        assert_eq!(filter.channel, None);
        assert_eq!(filter.ownership, Some(api::Ownership::All));
    }
}
