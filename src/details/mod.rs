//! The right-hand pane: who the customer is and what this conversation is about.

use crate::shell::use_workspace;
use crate::ui::time;
use convoroom_api::{self as api, Conversation};
use leptos::prelude::*;

#[component]
pub fn DetailsPanel(conversation: RwSignal<Conversation>) -> impl IntoView {
    let workspace = use_workspace();
    // Present in the full app, where the panel can be hidden; absent when embedded.
    let close_panel = use_context::<crate::shell::shortcuts::DetailsVisible>();
    let agent_name = move |id: Option<String>| {
        id.and_then(|id| {
            workspace.with(|w| w.agents.iter().find(|a| a.id == id).map(|a| a.name.clone()))
        })
    };
    let team_name = move |id: Option<String>| {
        id.and_then(|id| {
            workspace.with(|w| w.teams.iter().find(|t| t.id == id).map(|t| t.name.clone()))
        })
    };
    let stage_name = move |id: Option<String>| {
        id.and_then(|id| {
            workspace.with(|w| {
                w.pipeline_stages
                    .iter()
                    .find(|s| s.id == id)
                    .map(|s| s.name.clone())
            })
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
            {move || {
                let c = conversation.get();
                let rows: Vec<(&str, Option<String>)> = vec![
                    ("Name", Some(c.contact.name.clone())),
                    ("Identifier", Some(c.contact.identifier.clone())),
                    ("Platform", Some(c.channel.label().to_string())),
                    ("Pipeline", stage_name(c.pipeline_stage.clone())),
                    ("Customer", Some(if c.contact.known { "Known" } else { "Unknown" }.to_string())),
                ];
                let conversation_rows: Vec<(&str, Option<String>)> = vec![
                    ("Handled by", agent_name(c.assignee_id.clone()).or(Some("Unassigned".into()))),
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
                    <Section title="Contact information" rows/>
                    <section class="details-section" aria-labelledby="details-labels">
                        <h2 id="details-labels" class="details-section__title">"Labels"</h2>
                        {if c.labels.is_empty() {
                            view! { <p class="muted">"No labels"</p> }.into_any()
                        } else {
                            view! {
                                <ul class="label-list">
                                    {c.labels.iter().map(|l| {
                                        let scoped = api::label_scope(l).is_some();
                                        view! { <li class="label-pill" class:label-pill--scoped=scoped>{l.clone()}</li> }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    </section>
                    <Section title="Conversation details" rows=conversation_rows/>
                    <Section title="Session information" rows=session_rows/>
                }
            }}
        </aside>
    }
}

#[component]
fn Section(title: &'static str, rows: Vec<(&'static str, Option<String>)>) -> impl IntoView {
    let id = format!("details-{}", title.to_lowercase().replace(' ', "-"));
    let labelled_by = id.clone();
    view! {
        <section class="details-section" aria-labelledby=labelled_by>
            <h2 id=id class="details-section__title">{title}</h2>
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
