//! Resolving with the after-conversation work a team asks for: a disposition from the
//! workspace's list, a wrap-up note and, on calls, who ended it. One dialog for every way to
//! resolve (the chat header's Resolve, the composer's Send and resolve, the bulk bar), so the
//! questions and their wording never differ; the server refuses what this dialog would.

use crate::ui::{LengthHint, fits, modal_follows};
use crate::workspace::{Workspace, use_workspace};
use convoroom_api::{self as api, AfterConversationRules, Channel, HangupSource};
use leptos::html;
use leptos::prelude::*;

/// What is being resolved: each conversation's team and channel.
pub type Targets = Vec<(Option<String>, Channel)>;

/// A request to resolve, waiting for the dialog when something must be recorded.
#[derive(Clone)]
pub struct ResolveRequest {
    pub targets: Targets,
    /// The dialog's confirm button: "Resolve", "Send and resolve", "Resolve 4 conversations".
    pub confirm: String,
    pub on_confirm: Callback<api::ResolveConversation>,
}

/// What one team requires (a team the workspace does not know, or none: nothing).
fn team_rules(teams: &[api::Team], team: Option<&String>) -> AfterConversationRules {
    team.and_then(|team| teams.iter().find(|t| &t.id == team))
        .map(|t| t.after_conversation)
        .unwrap_or_default()
}

/// The strictest requirements over the targets' teams: what the dialog marks as required.
pub fn rules_for(teams: &[api::Team], targets: &Targets) -> AfterConversationRules {
    targets
        .iter()
        .map(|(team, _)| team_rules(teams, team.as_ref()))
        .fold(AfterConversationRules::default(), |all, rules| {
            AfterConversationRules {
                disposition_required: all.disposition_required || rules.disposition_required,
                wrap_up_note_required: all.wrap_up_note_required || rules.wrap_up_note_required,
                hangup_source_required: all.hangup_source_required || rules.hangup_source_required,
            }
        })
}

/// Whether resolving the targets must ask first (each by its own team's rules); when it need
/// not, resolve with an empty body.
pub fn asks(teams: &[api::Team], targets: &Targets) -> bool {
    targets
        .iter()
        .any(|(team, channel)| team_rules(teams, team.as_ref()).any_for(*channel))
}

/// Resolves at once when nothing is required, or opens the dialog (`pending`) to ask.
pub fn resolve_or_ask(
    workspace: &Workspace,
    pending: RwSignal<Option<ResolveRequest>>,
    request: ResolveRequest,
) {
    if workspace.with_untracked(|w| asks(&w.teams, &request.targets)) {
        pending.set(Some(request));
    } else {
        request.on_confirm.run(api::ResolveConversation::default());
    }
}

/// The first problem of `body` for any of the targets, as the server would word it.
fn problem(
    workspace: &Workspace,
    targets: &Targets,
    body: &api::ResolveConversation,
) -> Option<api::ResolveProblem> {
    // Each conversation by its own team's rules, as the server checks them.
    workspace.with_untracked(|w| {
        targets.iter().find_map(|(team, channel)| {
            body.problem(
                &team_rules(&w.teams, team.as_ref()),
                *channel,
                &w.dispositions,
            )
        })
    })
}

#[component]
pub fn ResolveDialog(pending: RwSignal<Option<ResolveRequest>>) -> impl IntoView {
    let workspace = use_workspace();
    let dialog = NodeRef::<html::Dialog>::new();
    let open = RwSignal::new(false);
    let disposition = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let hangup = RwSignal::new(None::<HangupSource>);
    let error = RwSignal::new(None::<api::ResolveProblem>);
    modal_follows(dialog, open);
    Effect::new(move |_| {
        let asking = pending.with(Option::is_some);
        if asking {
            disposition.set(String::new());
            note.set(String::new());
            hangup.set(None);
            error.set(None);
        }
        open.set(asking);
    });
    let targets =
        move || pending.with(|p| p.as_ref().map(|p| p.targets.clone()).unwrap_or_default());
    let rules = move || workspace.with(|w| rules_for(&w.teams, &targets()));
    let calls = move || {
        targets()
            .iter()
            .any(|(_, c)| AfterConversationRules::hangup_source_applies(*c))
    };
    let required = |yes: bool| if yes { " (required)" } else { " (optional)" };
    let submit = move || {
        let body = api::ResolveConversation {
            disposition: Some(disposition.get_untracked()),
            wrap_up_note: Some(note.get_untracked()),
            hangup_source: hangup.get_untracked(),
        }
        .normalised();
        let Some(request) = pending.get_untracked() else {
            return;
        };
        if let Some(problem) = problem(&workspace, &request.targets, &body) {
            error.set(Some(problem));
            return;
        }
        pending.set(None);
        request.on_confirm.run(body);
    };
    let field_error = move |field: &'static str| {
        move || {
            error.with(|e| {
                e.as_ref()
                    .filter(|e| e.field == field)
                    .map(|e| e.message.clone())
            })
        }
    };
    let described = move |field: &'static str, id: &'static str| {
        move || error.with(|e| e.as_ref().is_some_and(|e| e.field == field).then_some(id))
    };

    view! {
        <dialog node_ref=dialog class="dialog" aria-labelledby="resolve-title" on:close=move |_| pending.set(None)>
            <form class="dialog__form" novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <h2 id="resolve-title">"Before you resolve"</h2>
                <p class="muted">"This team records how each conversation ended. It is saved on the session and shown in its history."</p>
                <label class="field">
                    <span class="field__label">{move || format!("Disposition{}", required(rules().disposition_required))}</span>
                    <select
                        prop:value=disposition
                        aria-invalid=move || field_error("disposition")().is_some().to_string()
                        aria-describedby=described("disposition", "resolve-disposition-error")
                        on:change:target=move |ev| { disposition.set(ev.target().value()); error.set(None); }
                    >
                        <option value="">"Choose…"</option>
                        {move || workspace.with(|w| w.dispositions.iter().filter(|d| !d.archived).map(|d| {
                            view! { <option value=d.name.clone()>{d.name.clone()}</option> }
                        }).collect_view())}
                    </select>
                </label>
                <Show when=move || field_error("disposition")().is_some()>
                    <p class="form-error" id="resolve-disposition-error" role="alert">{field_error("disposition")}</p>
                </Show>
                <label class="field">
                    <span class="field__label">{move || format!("Wrap-up note{}", required(rules().wrap_up_note_required))}</span>
                    <textarea
                        rows="3"
                        prop:value=note
                        aria-invalid=move || field_error("wrap_up_note")().is_some().to_string()
                        aria-describedby=move || described("wrap_up_note", "resolve-note-error")().unwrap_or("resolve-note-length")
                        on:input:target=move |ev| { note.set(ev.target().value()); error.set(None); }
                    ></textarea>
                </label>
                <LengthHint text=note max=api::validate::WRAP_UP_NOTE_MAX_CHARS id="resolve-note-length"/>
                <Show when=move || field_error("wrap_up_note")().is_some()>
                    <p class="form-error" id="resolve-note-error" role="alert">{field_error("wrap_up_note")}</p>
                </Show>
                <Show when=calls>
                    <fieldset class="field resolve-hangup">
                        <legend class="field__label">{move || format!("Who ended the call{}", required(rules().hangup_source_required))}</legend>
                        {HangupSource::ALL.iter().map(|source| {
                            let source = *source;
                            view! {
                                <label class="radio">
                                    <input
                                        type="radio"
                                        name="hangup-source"
                                        checked=move || hangup.get() == Some(source)
                                        on:change=move |_| { hangup.set(Some(source)); error.set(None); }
                                    />
                                    <span>{source.label()}</span>
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                    <Show when=move || field_error("hangup_source")().is_some()>
                        <p class="form-error" role="alert">{field_error("hangup_source")}</p>
                    </Show>
                </Show>
                <div class="dialog__actions">
                    <button type="button" class="button" on:click=move |_| pending.set(None)>"Cancel"</button>
                    <button
                        type="submit"
                        class="button button--primary"
                        disabled=move || !note.with(|n| fits(n, api::validate::WRAP_UP_NOTE_MAX_CHARS))
                    >
                        {move || pending.with(|p| p.as_ref().map(|p| p.confirm.clone()).unwrap_or_default())}
                    </button>
                </div>
            </form>
        </dialog>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn team(id: &str, rules: AfterConversationRules) -> api::Team {
        api::Team {
            id: id.into(),
            name: id.into(),
            after_conversation: rules,
            archived: false,
            member_ids: vec![],
            waiting_alert_minutes: None,
            version: 1,
        }
    }

    #[test]
    fn resolving_asks_what_the_strictest_team_requires_and_hangup_only_for_calls() {
        let teams = [
            team("1", AfterConversationRules::default()),
            team(
                "2",
                AfterConversationRules {
                    disposition_required: true,
                    ..Default::default()
                },
            ),
            team(
                "3",
                AfterConversationRules {
                    hangup_source_required: true,
                    ..Default::default()
                },
            ),
        ];
        let support = (Some("1".to_string()), Channel::Whatsapp);
        assert!(!asks(&teams, &vec![support.clone()]));
        assert!(!asks(&teams, &vec![(None, Channel::Voice)]));
        let both = vec![support.clone(), (Some("2".into()), Channel::Email)];
        assert!(asks(&teams, &both));
        assert!(rules_for(&teams, &both).disposition_required);
        // Calls only: a chat of a team that requires the hangup source is not asked.
        assert!(!asks(&teams, &vec![(Some("3".into()), Channel::Whatsapp)]));
        assert!(asks(&teams, &vec![(Some("3".into()), Channel::Voice)]));
        // A team the workspace does not know requires nothing.
        assert!(!asks(&teams, &vec![(Some("9".into()), Channel::Voice)]));
        // Mixed: each conversation by its own team (team 3's rule is not asked of team 1's call).
        let mixed = vec![
            (Some("1".into()), Channel::Voice),
            (Some("3".into()), Channel::Email),
        ];
        assert!(!asks(&teams, &mixed));
    }
}
