//! `/settings/pipeline-stages`: the stages conversations move through. Admins add, rename,
//! reorder and archive them; every open app follows through the workspace's live events.
//! A stage keeps its key when renamed, so conversations in it are not rewritten; an archived
//! stage is no longer offered, and conversations in it keep it.

use super::ordered_list::{AddForm, Edit, Entry, EntryRow};
use crate::auth::use_auth;
use crate::workspace::use_workspace;
use convoroom_api::{PipelineStage, UpdatePipelineStage};
use leptos::prelude::*;

const NAME_MAX_CHARS: usize = 100;

#[derive(Clone)]
enum Change {
    Add(String),
    Update(PipelineStage, UpdatePipelineStage),
}

#[component]
pub fn StagesPage() -> impl IntoView {
    let auth = use_auth();
    let workspace = use_workspace();
    let new_name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let status = RwSignal::new(String::new());
    // The write, then the whole list again: a move renumbers its neighbours too.
    let change = Action::new_local(move |change: &Change| {
        let client = auth.client();
        let change = change.clone();
        async move {
            let done = match &change {
                Change::Add(name) => client
                    .create_pipeline_stage(name.clone())
                    .await
                    .map(|s| format!("Added “{}”.", s.name))
                    .map_err(|err| format!("Couldn't add “{name}”. {err}")),
                Change::Update(stage, update) => client
                    .update_pipeline_stage(&stage.id, stage.version, update)
                    .await
                    .map(|s| format!("Saved “{}”.", s.name))
                    .map_err(|err| format!("Couldn't change “{}”. {err}", stage.name)),
            }?;
            let all = client
                .pipeline_stages()
                .await
                .map_err(|err| format!("{done} Couldn't reload the list. {err}"))?;
            Ok::<_, String>((done, all, matches!(change, Change::Add(_))))
        }
    });
    Effect::new(move |_| match change.value().get() {
        Some(Ok((done, all, added))) => {
            error.set(None);
            status.set(done);
            workspace.set_stages(all);
            if added {
                new_name.set(String::new());
            }
        }
        Some(Err(message)) => error.set(Some(message)),
        None => {}
    });
    let add = move || {
        let name = new_name.get_untracked().trim().to_string();
        let taken = workspace.with_untracked(|w| {
            w.pipeline_stages
                .iter()
                .find(|s| s.name.to_lowercase() == name.to_lowercase())
                .map(|s| s.name.clone())
        });
        if let Some(existing) = taken {
            error.set(Some(format!(
                "There is a stage called “{existing}” already."
            )));
        } else if !name.is_empty() {
            change.dispatch(Change::Add(name));
        }
    };
    let rows = move || workspace.with(|w| w.pipeline_stages.clone());

    view! {
        <section class="settings-section" aria-labelledby="stages-title">
            <h2 id="stages-title">"Pipeline stages"</h2>
            <p class="muted">"The stages agents move conversations through, in the order they are offered. Renaming one keeps the conversations in it; an archived stage is no longer offered, and conversations in it keep it."</p>
            <AddForm
                label="New stage"
                placeholder="e.g. Site visit"
                maxlength=NAME_MAX_CHARS
                value=new_name
                busy=change.pending()
                on_add=Callback::new(move |()| add())
            />
            <Show when=move || error.get().is_some()>
                <p class="form-error" role="alert">{move || error.get()}</p>
            </Show>
            <p class="sr-only" role="status">{move || status.get()}</p>
            <Show when=move || !rows().is_empty() fallback=|| view! { <p class="muted">"No stages yet: add the first one above."</p> }>
                <ol class="settings-list" aria-label="Pipeline stages, in the order agents see them">
                    <For each=rows key=|s| (s.id.clone(), s.version) let:stage>
                        <StageRow stage count=Signal::derive(move || rows().len()) busy=change.pending() on_change=Callback::new(move |c| { change.dispatch(c); })/>
                    </For>
                </ol>
            </Show>
        </section>
    }
}

#[component]
fn StageRow(
    stage: PipelineStage,
    #[prop(into)] count: Signal<usize>,
    #[prop(into)] busy: Signal<bool>,
    on_change: Callback<Change>,
) -> impl IntoView {
    let entry = Entry {
        name: stage.name.clone(),
        position: stage.position,
        archived: stage.archived,
    };
    let on_edit = Callback::new(move |edit: Edit| {
        let update = match edit {
            Edit::Rename(name) => UpdatePipelineStage {
                name: Some(name),
                ..Default::default()
            },
            Edit::Move(position) => UpdatePipelineStage {
                position: Some(position),
                ..Default::default()
            },
            Edit::Archive(archived) => UpdatePipelineStage {
                archived: Some(archived),
                ..Default::default()
            },
            // Stages are archived, never deleted: conversations refer to them.
            Edit::Delete => return,
        };
        on_change.run(Change::Update(stage.clone(), update));
    });
    view! { <EntryRow entry maxlength=NAME_MAX_CHARS count busy on_edit/> }
}
