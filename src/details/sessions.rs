//! Session history (each continuous interaction, newest first, with a way to find it in the
//! chat) and the ownership timeline (who handled the conversation when).

use super::ConversationSection;
use super::edit::Editor;
use super::section::Section;
use crate::auth::use_auth;
use crate::ui::{ErrorNotice, time};
use crate::workspace::use_workspace;
use convoroom_api::{AuditEvent, ConversationSession};
use leptos::prelude::*;

fn when(t: &str) -> String {
    time::parse_rfc3339(t)
        .map(|ms| {
            format!(
                "{} {}",
                time::short_date(ms, time::now_ms()),
                time::clock(ms)
            )
        })
        .unwrap_or_default()
}

#[component]
pub fn SessionHistory(editor: Editor) -> impl IntoView {
    let auth = use_auth();
    let workspace = use_workspace();
    let jump = crate::layout::use_session_jump();
    let conversation = editor.current;
    let key = Memo::new(move |_| conversation.with(|c| (c.id.clone(), c.status, c.version)));
    let sessions = LocalResource::new(move || {
        let (id, _, _) = key.get();
        let client = auth.client();
        async move { client.sessions(&id).await }
    });
    view! {
        <Section section=ConversationSection::SessionHistory>
            <Transition fallback=|| view! { <p class="muted">"Loading sessions…"</p> }>
                {move || Suspend::new(async move {
                    match sessions.await {
                        Ok(list) if list.is_empty() => view! { <p class="muted">"No sessions yet."</p> }.into_any(),
                        Ok(mut list) => {
                            list.sort_by_key(|s| std::cmp::Reverse(s.number));
                            view! {
                                <ol class="session-list" aria-label="Sessions">
                                    {list.into_iter().map(|s| {
                                        let ended = match (&s.ended_at, &s.resolved_by) {
                                            (Some(at), Some(by)) => format!("Resolved {} by {}", when(at), workspace.actor_name(Some(by))),
                                            (Some(at), None) => format!("Ended {}", when(at)),
                                            (None, _) => "Ongoing".to_string(),
                                        };
                                        let session_id = s.id.clone();
                                        let number = s.number;
                                        view! {
                                            <li class="session-item">
                                                <div class="session-item__head">
                                                    <strong>{format!("Session {number}")}</strong>
                                                    <span class="muted">{if s.message_count == 1 { "1 message".to_string() } else { format!("{} messages", s.message_count) }}</span>
                                                </div>
                                                <p class="muted">{format!("Started {}", when(&s.started_at))}</p>
                                                <p class="muted">{ended}</p>
                                                <AfterConversationWork session=s.clone()/>
                                                {jump.map(|jump| view! {
                                                    <button type="button" class="button button--small button--ghost"
                                                        on:click=move |_| jump.0.set(Some(session_id.clone()))>
                                                        "Show"<span class="sr-only">{format!(" session {number}")}</span>" in chat"
                                                    </button>
                                                })}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ol>
                            }.into_any()
                        }
                        Err(error) => view! {
                            <ErrorNotice what="load the sessions" error retry=move || sessions.refetch()/>
                        }.into_any(),
                    }
                })}
            </Transition>
        </Section>
    }
}

/// What was recorded when the session was resolved: disposition, who ended the call, the
/// wrap-up note (collapsed when long, like notes).
#[component]
fn AfterConversationWork(session: ConversationSession) -> impl IntoView {
    let facts: Vec<(&'static str, String)> = [
        ("Disposition", session.disposition),
        (
            "Ended by",
            session.hangup_source.map(|h| h.label().to_string()),
        ),
    ]
    .into_iter()
    .filter_map(|(name, value)| value.map(|v| (name, v)))
    .collect();
    let note = session.wrap_up_note;
    (!facts.is_empty() || note.is_some()).then(|| {
        view! {
            <dl class="session-item__work">
                {facts.into_iter().map(|(name, value)| view! {
                    <dt>{name}</dt><dd>{value}</dd>
                }).collect_view()}
                {note.map(|note| view! {
                    <dt>"Wrap-up note"</dt>
                    <dd class="session-item__note">{note}</dd>
                })}
            </dl>
        }
    })
}

/// One line of the ownership timeline, or `None` for changes that are not about ownership.
pub fn ownership_line(event: &AuditEvent, name: &dyn Fn(Option<&str>) -> String) -> Option<String> {
    let field = |key: &str| event.detail.get(key).and_then(|v| v.as_str());
    let actor = name(event.actor_id.as_deref());
    match event.action.as_str() {
        // Without an actor, routing did it: said the way the thread says it.
        "assigned" => Some(match (field("to"), event.actor_id.is_some()) {
            (Some(to), true) if event.actor_id.as_deref() == Some(to) => format!("{actor} took it"),
            (Some(to), true) => format!("{actor} assigned it to {}", name(Some(to))),
            (Some(to), false) => format!("Assigned to {}", name(Some(to))),
            (None, true) => format!("{actor} unassigned it"),
            (None, false) => "Unassigned".to_string(),
        }),
        "collaborator_added" => Some(format!(
            "{actor} added {} as a collaborator",
            name(field("agent_id"))
        )),
        "collaborator_removed" => Some(format!(
            "{actor} removed collaborator {}",
            name(field("agent_id"))
        )),
        "collaborators_changed" => Some(format!("{actor} changed the collaborators")),
        "team_changed" => Some(format!("{actor} moved it to another team")),
        _ => None,
    }
}

#[component]
pub fn OwnershipTimeline(editor: Editor) -> impl IntoView {
    let auth = use_auth();
    let workspace = use_workspace();
    let conversation = editor.current;
    let key = Memo::new(move |_| conversation.with(|c| (c.id.clone(), c.version)));
    let audit = LocalResource::new(move || {
        let (id, _) = key.get();
        let client = auth.client();
        async move { client.audit(&id).await }
    });
    view! {
        <h4 class="details-section__subtitle" id="ownership-timeline-title">"Ownership over time"</h4>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let name = move |id: Option<&str>| workspace.actor_name(id);
                match audit.await {
                    Ok(events) => {
                        let lines: Vec<(String, String)> = events
                            .iter()
                            .filter_map(|e| ownership_line(e, &name).map(|line| (when(&e.at), line)))
                            .collect();
                        if lines.is_empty() {
                            return view! { <p class="muted">"No ownership changes yet."</p> }.into_any();
                        }
                        view! {
                            <ol class="timeline" aria-labelledby="ownership-timeline-title">
                                {lines.into_iter().map(|(at, line)| view! {
                                    <li><span class="timeline__when muted">{at}</span>" "<span>{line}</span></li>
                                }).collect_view()}
                            </ol>
                        }.into_any()
                    }
                    Err(err) => view! { <p class="inline-error" role="alert">{format!("Couldn't load the timeline. {err}")}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(action: &str, detail: serde_json::Value) -> AuditEvent {
        AuditEvent {
            id: "1".into(),
            conversation_id: Some("4".into()),
            actor_id: Some("1".into()),
            action: action.into(),
            detail,
            at: "2026-11-20T10:00:00Z".into(),
        }
    }

    #[test]
    fn ownership_changes_read_as_sentences_and_others_are_left_out() {
        let name = |id: Option<&str>| match id {
            Some("1") => "Maya".to_string(),
            Some("2") => "Jonas".to_string(),
            _ => "the system".to_string(),
        };
        let assigned = event("assigned", serde_json::json!({"from": null, "to": "2"}));
        assert_eq!(
            ownership_line(&assigned, &name).as_deref(),
            Some("Maya assigned it to Jonas")
        );
        let unassigned = event("assigned", serde_json::json!({"from": "2", "to": null}));
        assert_eq!(
            ownership_line(&unassigned, &name).as_deref(),
            Some("Maya unassigned it")
        );
        let routed = AuditEvent {
            actor_id: None,
            ..event("assigned", serde_json::json!({"from": null, "to": "2"}))
        };
        assert_eq!(
            ownership_line(&routed, &name).as_deref(),
            Some("Assigned to Jonas")
        );
        let took = event("assigned", serde_json::json!({"from": null, "to": "1"}));
        assert_eq!(
            ownership_line(&took, &name).as_deref(),
            Some("Maya took it")
        );
        let added = event("collaborator_added", serde_json::json!({"agent_id": "2"}));
        assert_eq!(
            ownership_line(&added, &name).as_deref(),
            Some("Maya added Jonas as a collaborator")
        );
        assert_eq!(
            ownership_line(&event("label_added", serde_json::json!({})), &name),
            None
        );
    }
}
