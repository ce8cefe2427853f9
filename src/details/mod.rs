//! The right-hand pane: who the customer is and what this conversation is about.

mod access;
mod edit;
mod labels;
mod notes;
mod ownership;

use crate::shell::use_workspace;
use crate::ui::time;
use convoroom_api::{self as api, Conversation};
use leptos::prelude::*;

#[component]
pub fn DetailsPanel(conversation: RwSignal<Conversation>) -> impl IntoView {
    let workspace = use_workspace();
    let editor = edit::Editor::new(conversation);
    // Present in the full app, where the panel can be hidden; absent when embedded.
    let close_panel = use_context::<crate::shell::shortcuts::DetailsVisible>();
    let team_name = move |id: Option<String>| {
        id.and_then(|id| {
            workspace.with(|w| w.teams.iter().find(|t| t.id == id).map(|t| t.name.clone()))
        })
    };
    let when = |t: Option<String>| {
        t.and_then(|t| {
            time::parse_rfc3339(&t).map(|ms| {
                format!(
                    "{} {}",
                    time::short_date(ms, time::now_ms()),
                    time::clock(ms)
                )
            })
        })
    };

    view! {
        <aside class="details-pane" aria-label="Conversation details" tabindex="0">
            {close_panel.map(|panel| view! {
                <div class="details-pane__close">
                    <button type="button" class="button button--small button--ghost" on:click=move |_| panel.set(false)>
                        "Close details"
                    </button>
                </div>
            })}
            <Show when=move || editor.error.get().is_some()>
                <div class="notice notice--error" role="alert">
                    <p>{move || editor.error.get()}</p>
                    <button type="button" class="button button--small" on:click=move |_| editor.error.set(None)>"Dismiss"</button>
                </div>
            </Show>
            {move || {
                let c = conversation.get();
                let rows: Vec<(&str, Option<String>)> = vec![
                    ("Name", Some(c.contact.name.clone())),
                    ("Identifier", Some(c.contact.identifier.clone())),
                    ("Platform", Some(c.channel.label().to_string())),
                    ("Customer", Some(if c.contact.known { "Known" } else { "Unknown" }.to_string())),
                ];
                view! { <Section title="Contact information" rows/> }
            }}
            <PipelineStage editor/>
            <ownership::Ownership editor/>
            <labels::Labels editor/>
            <notes::Notes conversation/>
            <access::AiSummary editor/>
            {move || {
                let c = conversation.get();
                let conversation_rows: Vec<(&str, Option<String>)> = vec![
                    ("Team", team_name(c.team_id.clone())),
                    ("Priority", Some(c.priority.label().to_string())),
                    ("Created", when(Some(c.lifecycle.created_at.clone()))),
                    ("First response", when(c.lifecycle.first_response_at.clone())),
                    ("Waiting since", when(c.lifecycle.waiting_since.clone())),
                    ("Resolved", when(c.lifecycle.resolved_at.clone())),
                    ("Direction", Some(c.direction.label().to_string())),
                    ("Disposition", c.disposition.clone()),
                    ("State", c.state.map(|s| s.label().to_string())),
                    ("Wrap-up note", c.wrap_up_note.clone()),
                    ("CSAT", c.csat.map(|s| format!("{s} / 5"))),
                    ("Ticket ID", c.ticket_id.clone()),
                    ("Hangup source", c.hangup_source.map(|h| h.label().to_string())),
                ];
                let info = &c.session_info;
                let session_rows: Vec<(&str, Option<String>)> = vec![
                    ("Country", info.country.clone()),
                    ("City", info.city.clone()),
                    ("Region", info.region.clone()),
                    ("Device", info.device.clone()),
                    ("OS", info.os.clone()),
                    ("Browser", info.browser.clone()),
                ];
                view! {
                    <Section title="Conversation details" rows=conversation_rows/>
                    <Section title="Session information" rows=session_rows/>
                }
            }}
            <access::ConversationAccess editor/>
            <access::AiAccess editor/>
        </aside>
    }
}

#[component]
fn Section(title: &'static str, rows: Vec<(&'static str, Option<String>)>) -> impl IntoView {
    let id = format!("details-{}", title.to_lowercase().replace(' ', "-"));
    let labelled_by = id.clone();
    view! {
        <section class="details-section" aria-labelledby=labelled_by>
            <h3 id=id class="details-section__title">{title}</h3>
            <dl class="facts">
                {rows
                    .into_iter()
                    .map(|(term, value)| {
                        let missing = value.is_none();
                        view! {
                            <dt>{term}</dt>
                            <dd class:muted=missing>{value.unwrap_or_else(|| "—".into())}</dd>
                        }
                    })
                    .collect_view()}
            </dl>
        </section>
    }
}

#[component]
fn PipelineStage(editor: edit::Editor) -> impl IntoView {
    let workspace = use_workspace();
    let conversation = editor.conversation;
    let change = move |stage: Option<String>| {
        let version = conversation.with_untracked(|c| c.version);
        let optimistic = stage.clone();
        editor.apply(
            "change the pipeline stage",
            move |c| c.pipeline_stage = optimistic,
            move |client, id| async move {
                let patch = api::UpdateConversation {
                    pipeline_stage: Some(stage),
                    ..Default::default()
                };
                client.update_conversation(&id, version, &patch).await
            },
        );
    };
    view! {
        <div class="details-section details-section--control">
            <label class="field">
                <span class="field__label">"Pipeline stage"</span>
                <select
                    prop:value=move || conversation.with(|c| c.pipeline_stage.clone()).unwrap_or_default()
                    on:change:target=move |ev| {
                        let value = ev.target().value();
                        change((!value.is_empty()).then_some(value));
                    }
                >
                    <option value="">"No stage"</option>
                    {move || workspace.with(|w| w.pipeline_stages.iter().map(|s| view! {
                        <option value=s.id.clone()>{s.name.clone()}</option>
                    }).collect_view())}
                </select>
            </label>
        </div>
    }
}
