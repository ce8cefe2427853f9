//! Creating and changing a saved view: its name, its filters and its columns.

use super::ViewsContext;
use crate::auth::use_auth;
use crate::conversation_list::filters::{self, Choices};
use crate::nav::use_navigate;
use crate::ui::time;
use crate::workspace::use_workspace;
use convoroom_api::{self as api, ConversationFilter, View, ViewColumn, WriteView};
use leptos::html;
use leptos::prelude::*;

const MAX_NAME_CHARS: usize = 100;
const DAY_MS: i64 = 86_400_000;

#[derive(Debug, Clone, PartialEq)]
pub enum ViewEditorTarget {
    New,
    Edit(Box<View>),
}

/// A new view starts like the conversation list: every open conversation, by last activity.
fn blank() -> WriteView {
    WriteView {
        name: String::new(),
        filter: ConversationFilter {
            status: Some(api::Status::Open),
            ..Default::default()
        },
        columns: vec![
            ViewColumn::ConversationId,
            ViewColumn::CustomerName,
            ViewColumn::CreatedAt,
            ViewColumn::Agent,
            ViewColumn::Channel,
        ],
    }
}

/// Why a view name can't be saved, if it can't.
pub fn name_problem(name: &str) -> Option<&'static str> {
    let name = name.trim();
    if name.is_empty() {
        Some("Give the view a name.")
    } else if name.chars().count() > MAX_NAME_CHARS {
        Some("A view name is at most 100 characters.")
    } else {
        None
    }
}

/// The filter's `created_from` as a date input shows it (UTC days, like the rest of the app).
fn from_date(filter: &ConversationFilter) -> String {
    filter
        .created_from
        .as_deref()
        .and_then(time::parse_rfc3339)
        .map(time::iso_date)
        .unwrap_or_default()
}

/// `created_to` is exclusive; the input shows the last day included.
fn to_date(filter: &ConversationFilter) -> String {
    filter
        .created_to
        .as_deref()
        .and_then(time::parse_rfc3339)
        .map(|ms| time::iso_date(ms - 1))
        .unwrap_or_default()
}

/// The start of the day a date input names, shifted by `days`, as RFC 3339.
pub fn day_start(date: &str, days: i64) -> Option<String> {
    let ms = time::parse_rfc3339(&format!("{date}T00:00:00Z"))?;
    Some(format!("{}T00:00:00Z", time::iso_date(ms + days * DAY_MS)))
}

#[component]
pub fn ViewEditor() -> impl IntoView {
    let auth = use_auth();
    let ctx = expect_context::<ViewsContext>();
    let workspace = use_workspace();
    let navigate = use_navigate();
    let dialog = NodeRef::<html::Dialog>::new();
    let open = RwSignal::new(false);
    let draft = RwSignal::new(blank());
    // The stored view being changed, at the version the edit started from.
    let basis = RwSignal::new(None::<View>);
    let error = RwSignal::new(None::<String>);
    let name_error = RwSignal::new(None::<String>);
    crate::ui::modal_follows(dialog, open);

    Effect::new(move |_| match ctx.editor.get() {
        Some(target) => {
            let (start, stored) = match target {
                ViewEditorTarget::New => (blank(), None),
                ViewEditorTarget::Edit(view) => (
                    WriteView {
                        name: view.name.clone(),
                        filter: view.filter.clone(),
                        columns: view.columns.clone(),
                    },
                    Some(*view),
                ),
            };
            draft.set(start);
            basis.set(stored);
            error.set(None);
            name_error.set(None);
            open.set(true);
        }
        None => open.set(false),
    });

    let save = Action::new_local(move |(stored, body): &(Option<View>, WriteView)| {
        let client = auth.client();
        let (stored, body) = (stored.clone(), body.clone());
        async move {
            match stored {
                Some(view) => client.update_view(&view.id, view.version, &body).await,
                None => client.create_view(&body).await,
            }
        }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(view)) => {
            ctx.upsert(view.clone());
            ctx.editor.set(None);
            navigate(
                &format!("/views/{}", crate::api::encode(&view.id)),
                Default::default(),
            );
        }
        Some(Err(err)) if err.is_conflict() => {
            if let Some(current) = err.conflict_current::<View>() {
                ctx.upsert(current.clone());
                basis.set(Some(current));
            }
            error.set(Some(
                "This view was changed in another tab meanwhile. Your changes are still here: save again to keep them.".into(),
            ));
        }
        Some(Err(err)) => {
            let message = format!("Couldn't save the view. {err}");
            match &err {
                crate::api::ClientError::Api { error: body, .. }
                    if body.field.as_deref() == Some("name") =>
                {
                    name_error.set(Some(body.message.clone()))
                }
                _ => error.set(Some(message)),
            }
        }
        None => {}
    });
    let submit = move || {
        let body = draft.get_untracked();
        if let Some(problem) = name_problem(&body.name) {
            name_error.set(Some(problem.to_string()));
            return;
        }
        name_error.set(None);
        error.set(None);
        save.dispatch((basis.get_untracked(), body));
    };

    let choices = filters::choices(&workspace.get_untracked());
    let change =
        move |edit: &dyn Fn(&mut ConversationFilter)| draft.update(|d| edit(&mut d.filter));
    let opt = |s: String| (!s.is_empty()).then_some(s);

    view! {
        <dialog
            node_ref=dialog
            class="dialog dialog--wide"
            aria-labelledby="view-editor-title"
            on:close=move |_| ctx.editor.set(None)
        >
            <form class="dialog__form" novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <h2 id="view-editor-title">
                    {move || if basis.with(Option::is_some) { "Edit view" } else { "New view" }}
                </h2>
                <label class="field">
                    <span class="field__label">"Name"</span>
                    <input
                        type="text"
                        maxlength="200"
                        autocomplete="off"
                        aria-invalid=move || name_error.with(Option::is_some).then_some("true")
                        aria-describedby="view-name-error"
                        prop:value=move || draft.with(|d| d.name.clone())
                        on:input:target=move |ev| draft.update(|d| d.name = ev.target().value())
                    />
                    <span id="view-name-error" class="form-error">{move || name_error.get()}</span>
                </label>
                <fieldset class="view-editor__filters">
                    <legend>"Conversations shown"</legend>
                    {select("Ownership", choices.ownership, Signal::derive(move || draft.with(|d| d.filter.ownership.unwrap_or(api::Ownership::All).as_str().to_string())),
                        Callback::new(move |v: String| change(&|f| f.ownership = api::Ownership::parse(&v))))}
                    {select("Status", choices.status, Signal::derive(move || draft.with(|d| d.filter.status.map_or("any".into(), |s| s.as_str().to_string()))),
                        Callback::new(move |v: String| change(&|f| f.status = api::Status::parse(&v))))}
                    {select("Channel", choices.channel, Signal::derive(move || draft.with(|d| d.filter.channel.map(|c| c.as_str().to_string()).unwrap_or_default())),
                        Callback::new(move |v: String| change(&|f| f.channel = api::Channel::parse(&v))))}
                    {select("Team", choices.team, Signal::derive(move || draft.with(|d| d.filter.team_id.clone().unwrap_or_default())),
                        Callback::new(move |v: String| change(&|f| f.team_id = opt(v.clone()))))}
                    {select("Agent", choices.agent, Signal::derive(move || draft.with(|d| d.filter.assignee_id.clone().unwrap_or_default())),
                        Callback::new(move |v: String| change(&|f| f.assignee_id = opt(v.clone()))))}
                    {select("Priority", choices.priority, Signal::derive(move || draft.with(|d| d.filter.priority.clone().unwrap_or_default())),
                        Callback::new(move |v: String| change(&|f| f.priority = opt(v.clone()))))}
                    {select("Label", choices.label, Signal::derive(move || draft.with(|d| d.filter.label.clone().unwrap_or_default())),
                        Callback::new(move |v: String| change(&|f| f.label = opt(v.clone()))))}
                    {select("Pipeline stage", choices.stage, Signal::derive(move || draft.with(|d| d.filter.pipeline_stage.clone().unwrap_or_default())),
                        Callback::new(move |v: String| change(&|f| f.pipeline_stage = opt(v.clone()))))}
                    <super::attribute_filter::AttributeFilter
                        current=Signal::derive(move || draft.with(|d| d.filter.attribute.clone()))
                        apply=Callback::new(move |attribute: Option<String>| change(&|f| f.attribute = attribute.clone()))
                    />
                    {select("AI review", choices.ai_review, Signal::derive(move || draft.with(|d| d.filter.ai_reviewed.map(|b| b.to_string()).unwrap_or_default())),
                        Callback::new(move |v: String| change(&|f| f.ai_reviewed = v.parse().ok())))}
                    {filters::state_select(Signal::derive(move || draft.with(|d| d.filter.state.clone().unwrap_or_default())),
                        Callback::new(move |v: String| change(&|f| f.state = opt(v.clone()))), true)}
                    {select("Sort", choices.sort, Signal::derive(move || draft.with(|d| d.filter.sort.unwrap_or(api::SortOrder::LastActivity).as_str().to_string())),
                        Callback::new(move |v: String| change(&|f| f.sort = api::SortOrder::parse(&v))))}
                    <label class="field">
                        <span class="field__label">"Created from"</span>
                        <input
                            type="date"
                            prop:value=move || draft.with(|d| from_date(&d.filter))
                            on:change:target=move |ev| {
                                let value = ev.target().value();
                                change(&|f| f.created_from = day_start(&value, 0));
                            }
                        />
                    </label>
                    <label class="field">
                        <span class="field__label">"Created until"</span>
                        <input
                            type="date"
                            prop:value=move || draft.with(|d| to_date(&d.filter))
                            on:change:target=move |ev| {
                                let value = ev.target().value();
                                change(&|f| f.created_to = day_start(&value, 1));
                            }
                        />
                    </label>
                </fieldset>
                <fieldset class="view-editor__columns">
                    <legend>"Columns"</legend>
                    {ViewColumn::ALL
                        .iter()
                        .copied()
                        .map(|column| {
                            let always = column == ViewColumn::ConversationId;
                            view! {
                                <label class="check">
                                    <input
                                        type="checkbox"
                                        disabled=always
                                        prop:checked=move || always || draft.with(|d| d.columns.contains(&column))
                                        on:change:target=move |ev| {
                                            let on = ev.target().checked();
                                            draft.update(|d| {
                                                d.columns.retain(|c| *c != column);
                                                if on {
                                                    d.columns.push(column);
                                                }
                                            });
                                        }
                                    />
                                    <span>{column.label()}</span>
                                    {always.then(|| view! { <span class="muted">" (always shown)"</span> })}
                                </label>
                            }
                        })
                        .collect_view()}
                    <super::column_order::ColumnOrder
                        columns=Signal::derive(move || draft.with(|d| d.columns.clone()))
                        set_columns=Callback::new(move |columns: Vec<ViewColumn>| draft.update(|d| d.columns = columns))
                    />
                </fieldset>
                <Show when=move || error.get().is_some()>
                    <p class="form-error" role="alert">{move || error.get()}</p>
                </Show>
                <div class="dialog__actions">
                    <button type="button" class="button" on:click=move |_| ctx.editor.set(None)>"Cancel"</button>
                    <button type="submit" class="button button--primary" disabled=move || save.pending().get()>
                        "Save view"
                    </button>
                </div>
            </form>
        </dialog>
    }
}

fn select(
    label: &'static str,
    options: Choices,
    current: Signal<String>,
    apply: Callback<String>,
) -> impl IntoView {
    filters::filter_select(label, options, current, apply, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_must_be_short_and_present() {
        assert!(name_problem("  ").is_some());
        assert!(name_problem(&"x".repeat(101)).is_some());
        assert_eq!(name_problem("Calls today"), None);
    }

    #[test]
    fn created_until_includes_the_whole_day() {
        let filter = ConversationFilter {
            created_from: day_start("2026-11-03", 0),
            created_to: day_start("2026-11-30", 1),
            ..Default::default()
        };
        assert_eq!(filter.created_to.as_deref(), Some("2026-12-01T00:00:00Z"));
        assert_eq!(from_date(&filter), "2026-11-03");
        assert_eq!(to_date(&filter), "2026-11-30");
        assert_eq!(day_start("", 0), None);
    }
}
