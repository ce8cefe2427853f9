//! `/settings/canned-responses`: the one Settings page agents open too. Every agent adds,
//! edits and deletes their own personal responses; admins also keep the shared ones (for
//! every agent or one team), which agents see here read-only. The list is the same one the
//! composer offers (`crate::canned`), read again after each write and on live changes.

use super::canned_form::{CannedDraft, CannedForm};
use crate::auth::use_auth;
use crate::canned::{CannedResponses, use_canned};
use crate::ui::ErrorNotice;
use crate::workspace::use_workspace;
use convoroom_api::{self as api, CannedScope};
use leptos::prelude::*;

#[component]
pub fn CannedResponsesPage() -> impl IntoView {
    let Some(canned) = use_canned() else {
        return ().into_any();
    };
    let admin = super::is_admin();
    let resource = canned.resource();
    // Not loaded yet (`None`), loaded (`Some(None)`), or why it failed.
    let load_state = Memo::new(move |_| resource.get().map(|loaded| loaded.err()));
    let status = RwSignal::new(String::new());
    view! {
        <section class="settings-section" aria-labelledby="canned-title">
            <h2 id="canned-title">"Canned responses"</h2>
            <p class="muted">"Type / at the start of the message box, or use its Canned responses button, to insert one into a reply or a note. Variables such as {{contact.first_name}} are filled in for the open conversation; one without a value stays highlighted so you edit it before sending."</p>
            <p class="sr-only" role="status">{move || status.get()}</p>
            // Built once per state (loading, loaded, failed), not once per list: a change read
            // again after someone's edit must not close the form another agent is filling in.
            {move || match load_state.get() {
                None => view! { <p class="muted" role="status">"Loading canned responses…"</p> }.into_any(),
                Some(None) => view! {
                    <ScopeSection canned scope=CannedScope::Personal editable=true status/>
                    <ScopeSection canned scope=CannedScope::Shared editable=admin() status/>
                }
                .into_any(),
                Some(Some(error)) => view! {
                    <ErrorNotice what="load your canned responses" error retry=move || canned.reload()/>
                }
                .into_any(),
            }}
        </section>
    }
    .into_any()
}

/// The personal or the shared responses, with a New button when the caller may add some.
#[component]
fn ScopeSection(
    canned: CannedResponses,
    scope: CannedScope,
    editable: bool,
    status: RwSignal<String>,
) -> impl IntoView {
    let auth = use_auth();
    let adding = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let create = Action::new_local(move |draft: &CannedDraft| {
        let client = auth.client();
        let request = draft.clone().create(scope);
        async move {
            client
                .create_canned_response(&request)
                .await
                .map_err(|err| format!("Couldn't add “/{}”. {err}", request.short_code))
        }
    });
    Effect::new(move |_| match create.value().get() {
        Some(Ok(created)) => {
            error.set(None);
            adding.set(false);
            status.set(format!("Added “/{}”.", created.short_code));
            canned.reload();
        }
        Some(Err(message)) => error.set(Some(message)),
        None => {}
    });
    let (title, intro, new_name) = match scope {
        CannedScope::Personal => (
            "Your responses",
            "Only you see and use these.",
            "New personal response",
        ),
        CannedScope::Shared => (
            "Shared responses",
            if editable {
                "Every agent, or the agents of one team, can use these; only admins change them."
            } else {
                "Kept by your workspace's admins for every agent or your team. Ask one of them to change one."
            },
            "New shared response",
        ),
    };
    let heading_id = format!("canned-{}-title", scope.as_str());
    let (section_label, list_label) = (heading_id.clone(), heading_id.clone());
    let responses = move || {
        canned
            .list()
            .into_iter()
            .filter(|r| r.scope == scope)
            .collect::<Vec<_>>()
    };
    view! {
        <section class="canned-scope" aria-labelledby=section_label>
            <div class="canned-scope__head">
                <h3 id=heading_id>{title}</h3>
                <Show when=move || editable && !adding.get()>
                    <button type="button" class="button button--small button--primary"
                        on:click=move |_| { error.set(None); adding.set(true); }>
                        {new_name}
                    </button>
                </Show>
            </div>
            <p class="muted">{intro}</p>
            <Show when=move || adding.get()>
                <CannedForm current=None scope name=new_name busy=create.pending() error
                    on_save=Callback::new(move |draft| { create.dispatch(draft); })
                    on_cancel=Callback::new(move |()| { error.set(None); adding.set(false); })/>
            </Show>
            <Show when=move || responses().is_empty()>
                <p class="muted canned-scope__empty">{match scope {
                    CannedScope::Personal => "You have no personal responses yet.",
                    CannedScope::Shared => "No shared responses yet.",
                }}</p>
            </Show>
            <ul class="settings-list canned-list" aria-labelledby=list_label>
                <For each=responses key=|r| (r.id.clone(), r.version) let:response>
                    <CannedRow canned response editable status/>
                </For>
            </ul>
        </section>
    }
}

/// One response: its short code, title, scope and text, with Edit and Delete when allowed.
#[component]
fn CannedRow(
    canned: CannedResponses,
    response: api::CannedResponse,
    editable: bool,
    status: RwSignal<String>,
) -> impl IntoView {
    let auth = use_auth();
    let workspace = use_workspace();
    let editing = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let stored = StoredValue::new(response.clone());
    let code = format!("/{}", response.short_code);
    let save = Action::new_local(move |draft: &CannedDraft| {
        let client = auth.client();
        let before = stored.get_value();
        let change = draft.clone().change(&before);
        async move {
            client
                .update_canned_response(&before.id, before.version, &change)
                .await
                .map_err(|err| format!("Couldn't save “/{}”. {err}", before.short_code))
        }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            error.set(None);
            editing.set(false);
            status.set(format!("Saved “/{}”.", saved.short_code));
            canned.reload();
        }
        Some(Err(message)) => error.set(Some(message)),
        None => {}
    });
    let remove = Action::new_local(move |_: &()| {
        let client = auth.client();
        let before = stored.get_value();
        async move {
            client
                .delete_canned_response(&before.id)
                .await
                .map(|()| before.short_code.clone())
                .map_err(|err| format!("Couldn't delete “/{}”. {err}", before.short_code))
        }
    });
    Effect::new(move |_| match remove.value().get() {
        Some(Ok(short_code)) => {
            status.set(format!("Deleted “/{short_code}”."));
            canned.reload();
        }
        Some(Err(message)) => {
            confirming.set(false);
            error.set(Some(message));
        }
        None => {}
    });
    let whose = match (response.scope, response.team_id.as_deref()) {
        (CannedScope::Shared, Some(team)) => format!(
            "Team {}",
            workspace
                .team_name(team)
                .unwrap_or_else(|| format!("#{team}"))
        ),
        (CannedScope::Shared, None) => "Every agent".to_string(),
        (CannedScope::Personal, _) => String::new(),
    };
    // Kept in the reactive arena: the views below are built again each time they show.
    let edit_label = StoredValue::new(format!("Edit {code}"));
    let delete_label = StoredValue::new(format!("Delete {code}"));
    let confirm_text = StoredValue::new(format!("Delete {code}? It can no longer be inserted."));
    view! {
        <li class="settings-row canned-row">
            <Show when=move || !editing.get() fallback=move || view! {
                <CannedForm current=Some(stored.get_value()) scope=stored.with_value(|r| r.scope)
                    name=edit_label.get_value() busy=save.pending() error
                    on_save=Callback::new(move |draft| { save.dispatch(draft); })
                    on_cancel=Callback::new(move |()| { error.set(None); editing.set(false); })/>
            }>
                <div class="canned-row__text">
                    <p class="canned-row__head">
                        <span class="canned-row__code">{code.clone()}</span>
                        {response.title.clone().map(|t| view! { <span class="canned-row__title">{t}</span> })}
                        {(!whose.is_empty()).then(|| view! { <span class="canned-row__scope">{whose.clone()}</span> })}
                    </p>
                    <p class="canned-row__body">{response.body.clone()}</p>
                </div>
                <Show when=move || editable>
                    <div class="canned-row__actions">
                        <Show when=move || confirming.get() fallback=move || view! {
                            <button type="button" class="button button--small" aria-label=edit_label.get_value()
                                on:click=move |_| { error.set(None); editing.set(true); }>"Edit"</button>
                            <button type="button" class="button button--small" aria-label=delete_label.get_value()
                                on:click=move |_| { error.set(None); confirming.set(true); }>"Delete"</button>
                        }>
                            <span class="canned-row__confirm" role="group" aria-label="Confirm delete">
                                <span>{confirm_text.get_value()}</span>
                                <button type="button" class="button button--small button--danger"
                                    disabled=remove.pending() on:click=move |_| { remove.dispatch(()); }>"Delete"</button>
                                <button type="button" class="button button--small" on:click=move |_| confirming.set(false)>"Cancel"</button>
                            </span>
                        </Show>
                    </div>
                </Show>
            </Show>
            <Show when=move || error.get().is_some() && !editing.get()>
                <p class="form-error" role="alert">{move || error.get()}</p>
            </Show>
        </li>
    }
}
