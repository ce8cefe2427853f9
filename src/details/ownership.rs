use super::ConversationSection;
use super::edit::Editor;
use super::events::Change;
use super::section::Section;
use crate::ui::avatar::Avatar;
use crate::workspace::use_workspace;
use leptos::prelude::*;

/// "Handled by" and "Collaborators": who owns the conversation and who helps.
#[component]
pub fn Ownership(editor: Editor) -> impl IntoView {
    let workspace = use_workspace();
    let conversation = editor.current;
    let me = move || workspace.me();
    let assignee = move || conversation.with(|c| c.assignee_id.clone());
    let agents = move || workspace.with(|w| w.agents.clone());

    let assign = move |agent: Option<String>| {
        let optimistic = agent.clone();
        editor.apply(
            Change::Assign,
            move |c| c.assignee_id = optimistic,
            move |client, id| async move { client.assign(&id, agent.as_deref()).await },
        );
    };
    let add_collaborator = move |agent: String| {
        let optimistic = agent.clone();
        editor.apply(
            Change::AddCollaborator,
            move |c| {
                if !c.collaborator_ids.contains(&optimistic) {
                    c.collaborator_ids.push(optimistic);
                }
            },
            move |client, id| async move { client.add_collaborator(&id, &agent).await },
        );
    };
    let remove_collaborator = move |agent: String| {
        let optimistic = agent.clone();
        editor.apply(
            Change::RemoveCollaborator,
            move |c| c.collaborator_ids.retain(|a| a != &optimistic),
            move |client, id| async move { client.remove_collaborator(&id, &agent).await },
        );
    };

    let viewers = RwSignal::new(Vec::<String>::new());
    crate::live::presence::follow_viewers(editor.id(), viewers);

    view! {
        <Section section=ConversationSection::HandledBy>
            {move || viewers.with(|names| crate::live::presence::describe(names)).map(|text| view! {
                <p class="viewers" role="status">{text}</p>
            })}
            <div class="inline-controls">
                <label class="grow">
                    <span class="sr-only">"Handled by"</span>
                    <select
                        title="Handled by"
                        prop:value=move || assignee().unwrap_or_default()
                        on:change:target=move |ev| {
                            let value = ev.target().value();
                            assign((!value.is_empty()).then_some(value));
                        }
                    >
                        <option value="">"Unassigned"</option>
                        {move || {
                            // A deactivated agent is offered only as who handles it now.
                            let current = assignee();
                            agents()
                                .into_iter()
                                .filter(|a| a.active || current.as_ref() == Some(&a.id))
                                .map(|a| view! { <option value=a.id.clone()>{crate::workspace::owner_label(&a)}</option> })
                                .collect_view()
                        }}
                    </select>
                </label>
                <Show when=move || assignee() != Some(me())>
                    <button type="button" class="button button--small" on:click=move |_| assign(Some(me()))>
                        {move || if assignee().is_some() { "Take over" } else { "Assign to me" }}
                    </button>
                </Show>
            </div>
            <h3 class="details-section__title details-section__title--sub" id="details-collaborators">"Collaborators"</h3>
            <ul class="people" aria-labelledby="details-collaborators">
                {move || conversation.with(|c| c.collaborator_ids.clone()).into_iter().map(|agent| {
                    let name = workspace.owner_label(&agent).unwrap_or_else(|| format!("Agent {agent}"));
                    let remove_id = agent.clone();
                    view! {
                        <li class="people__item">
                            <Avatar id=agent.clone() name=name.clone() small=true picture=workspace.agent_picture(&agent)/>
                            <span class="grow">{name.clone()}</span>
                            <button
                                type="button"
                                class="button button--small button--ghost"
                                aria-label=format!("Remove collaborator {name}")
                                on:click=move |_| remove_collaborator(remove_id.clone())
                            >
                                "Remove"
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <label>
                <span class="sr-only">"Add collaborator"</span>
                <select
                    title="Add collaborator"
                    prop:value=""
                    on:change:target=move |ev| {
                        let value = ev.target().value();
                        if !value.is_empty() {
                            add_collaborator(value);
                        }
                        ev.target().set_value("");
                    }
                >
                    <option value="">"Add collaborator…"</option>
                    {move || {
                        let taken = conversation.with(|c| (c.assignee_id.clone(), c.collaborator_ids.clone()));
                        agents()
                            .into_iter()
                            .filter(|a| a.active && taken.0.as_ref() != Some(&a.id) && !taken.1.contains(&a.id))
                            .map(|a| view! { <option value=a.id.clone()>{a.name.clone()}</option> })
                            .collect_view()
                    }}
                </select>
            </label>
        </Section>
    }
}
