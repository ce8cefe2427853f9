//! Internal notes: visible to agents only. A note being written or edited is kept as a
//! draft until the server has it, and a conflicting edit shows both texts.

use super::ConversationSection;
use super::events::PanelEvent;
use super::section::Section;
use crate::record::keep_newer;
use crate::storage;
use crate::ui::time;
use crate::ui::{LengthHint, fits};
use crate::workspace::use_workspace;
use convoroom_api::{self as api, Note};
use leptos::prelude::*;

fn draft_key(conversation_id: &str) -> String {
    format!("convoroom.note-draft.{conversation_id}")
}

#[derive(Clone, Copy)]
struct NotesState {
    conversation_id: StoredValue<String>,
    notes: RwSignal<Vec<Note>>,
    error: RwSignal<Option<String>>,
    auth: crate::auth::Auth,
    events: Option<super::events::PanelEvents>,
}

#[component]
pub fn Notes(conversation: RwSignal<api::Conversation>) -> impl IntoView {
    let id = conversation.with_untracked(|c| c.id.clone());
    let state = NotesState {
        conversation_id: StoredValue::new(id.clone()),
        notes: RwSignal::new(Vec::new()),
        error: RwSignal::new(None),
        auth: crate::auth::use_auth(),
        events: use_context(),
    };
    let load = move || {
        let client = state.auth.client();
        let id = state.conversation_id.get_value();
        leptos::task::spawn_local(async move {
            match client.notes(&id).await {
                Ok(notes) => state.notes.set(notes),
                Err(err) => state.error.set(Some(format!("Couldn't load notes. {err}"))),
            }
        });
    };
    load();
    if let Some(live) = use_context::<crate::live::LiveHub>() {
        let id = id.clone();
        live.subscribe(move |event| match &event.payload {
            api::EventPayload::NoteSaved(note) if note.conversation_id == id => {
                state
                    .notes
                    .update(|notes| match notes.iter_mut().find(|n| n.id == note.id) {
                        Some(existing) => _ = keep_newer(existing, note.clone()),
                        None => notes.push(note.clone()),
                    })
            }
            api::EventPayload::NoteDeleted {
                id: note_id,
                conversation_id,
            } if *conversation_id == id => {
                state
                    .notes
                    .update(|notes| notes.retain(|n| &n.id != note_id));
            }
            _ => {}
        });
    }

    let draft = RwSignal::new(storage::load::<String>(&draft_key(&id)).unwrap_or_default());
    let saving = RwSignal::new(false);
    let save_draft = move |text: String| {
        let key = draft_key(&state.conversation_id.get_value());
        if text.is_empty() {
            storage::remove(&key)
        } else {
            storage::save(&key, &text);
        }
        draft.set(text);
    };
    let create = move || {
        let body = draft.get_untracked();
        if body.trim().is_empty() || saving.get_untracked() {
            return;
        }
        if let Err(problem) = api::validate::note(&body) {
            state.error.set(Some(problem));
            return;
        }
        saving.set(true);
        let client = state.auth.client();
        let id = state.conversation_id.get_value();
        leptos::task::spawn_local(async move {
            match client.create_note(&id, body).await {
                Ok(note) => {
                    if let Some(events) = state.events {
                        events.emit(PanelEvent::NoteSaved, &note);
                    }
                    state.notes.update(|notes| {
                        if !notes.iter().any(|n| n.id == note.id) {
                            notes.push(note);
                        }
                    });
                    save_draft(String::new());
                    state.error.set(None);
                }
                // The draft stays in the box (and in storage) for another try.
                Err(err) => state
                    .error
                    .set(Some(format!("Couldn't save the note. {err}"))),
            }
            saving.set(false);
        });
    };

    view! {
        <Section section=ConversationSection::Notes>
            <Show when=move || state.error.get().is_some()>
                <p class="inline-error" role="alert">{move || state.error.get()}</p>
            </Show>
            <ul class="notes" aria-label="Notes">
                // Keyed by id only: a live update must not reset an edit in progress.
                <For each=move || state.notes.get() key=|note| note.id.clone() let:note>
                    <NoteItem id=note.id state/>
                </For>
            </ul>
            <Show when=move || state.notes.with(Vec::is_empty)>
                <p class="muted">"No notes yet. Notes are visible to agents only."</p>
            </Show>
            <form class="note-form" on:submit=move |ev| { ev.prevent_default(); create(); }>
                <label class="sr-only" for="new-note">"New note"</label>
                <textarea
                    id="new-note"
                    rows="2"
                    placeholder="Add a note for your team…"
                    aria-describedby="new-note-length"
                    prop:value=draft
                    on:input:target=move |ev| save_draft(ev.target().value())
                ></textarea>
                <LengthHint text=draft max=api::validate::NOTE_MAX_CHARS id="new-note-length"/>
                <button
                    type="submit"
                    class="button button--small"
                    disabled=move || saving.get() || draft.with(|d| d.trim().is_empty() || !fits(d, api::validate::NOTE_MAX_CHARS))
                >
                    "Save note"
                </button>
            </form>
        </Section>
    }
}

#[component]
fn NoteItem(id: String, state: NotesState) -> impl IntoView {
    let workspace = use_workspace();
    let note_id = StoredValue::new(id.clone());
    let note = Memo::new(move |_| {
        state
            .notes
            .with(|notes| notes.iter().find(|n| n.id == id).cloned())
    });
    let body = move || note.with(|n| n.as_ref().map(|n| n.body.clone()).unwrap_or_default());
    let meta = move || {
        note.with(|n| {
            let n = n.as_ref()?;
            let author = workspace
                .agent_name(&n.author_id)
                .unwrap_or_else(|| "An agent".into());
            let ms = time::parse_rfc3339(&n.updated_at).unwrap_or(0);
            Some(format!(
                "{author} · {} {}",
                time::short_date(ms, time::now_ms()),
                time::clock(ms)
            ))
        })
    };
    // The text being edited and the version it was based on.
    let editing = RwSignal::new(None::<(String, i64)>);
    let conflict = RwSignal::new(None::<Note>);
    let confirming = RwSignal::new(false);

    let save = move |text: String, version: i64| {
        let client = state.auth.client();
        let id = note_id.get_value();
        leptos::task::spawn_local(async move {
            match client.update_note(&id, version, text).await {
                Ok(saved) => {
                    if let Some(events) = state.events {
                        events.emit(PanelEvent::NoteSaved, &saved);
                    }
                    editing.set(None);
                    conflict.set(None);
                    state.notes.update(|notes| {
                        if let Some(n) = notes.iter_mut().find(|n| n.id == saved.id) {
                            *n = saved;
                        }
                    });
                }
                Err(err) if err.is_conflict() => conflict.set(err.conflict_current::<Note>()),
                Err(err) => state.error.set(Some(format!(
                    "Couldn't save the note; your text is still in the box. {err}"
                ))),
            }
        });
    };
    let delete = move || {
        let client = state.auth.client();
        let id = note_id.get_value();
        leptos::task::spawn_local(async move {
            match client.delete_note(&id).await {
                Ok(()) => {
                    if let Some(events) = state.events {
                        events.emit(PanelEvent::NoteDeleted, &serde_json::json!({ "id": id }));
                    }
                    state.notes.update(|notes| notes.retain(|n| n.id != id));
                }
                Err(err) => state
                    .error
                    .set(Some(format!("Couldn't delete the note. {err}"))),
            }
        });
    };
    let edit_id = move || format!("edit-note-{}", note_id.get_value());
    let edited =
        move || editing.with(|e| e.as_ref().map(|(text, _)| text.clone()).unwrap_or_default());
    // Changes only when editing starts or stops, not on every keystroke.
    let edit_version =
        Memo::new(move |_| editing.with(|e| e.as_ref().map(|(_, version)| *version)));

    view! {
        <li class="note">
            <p class="note__meta">{meta}</p>
            {move || match edit_version.get() {
                None => view! {
                    <NoteBody text=Signal::derive(body)/>
                    <div class="note__actions">
                        <button
                            type="button"
                            class="button button--small button--ghost"
                            on:click=move |_| {
                                let version = note.with_untracked(|n| n.as_ref().map_or(0, |n| n.version));
                                editing.set(Some((body(), version)));
                            }
                        >
                            "Edit"
                        </button>
                        <Show
                            when=move || confirming.get()
                            fallback=move || view! {
                                <button type="button" class="button button--small button--ghost" on:click=move |_| confirming.set(true)>"Delete"</button>
                            }
                        >
                            <span role="alert">"Delete this note?"</span>
                            <button type="button" class="button button--small button--danger" on:click=move |_| delete()>"Yes, delete"</button>
                            <button type="button" class="button button--small" on:click=move |_| confirming.set(false)>"Keep"</button>
                        </Show>
                    </div>
                }
                .into_any(),
                Some(version) => view! {
                    <label class="sr-only" for=edit_id>"Edit note"</label>
                    <textarea
                        id=edit_id
                        rows="3"
                        aria-describedby=move || format!("{}-length", edit_id())
                        prop:value=edited
                        on:input:target=move |ev| editing.update(|e| if let Some((text, _)) = e { *text = ev.target().value() })
                    ></textarea>
                    <LengthHint text=Signal::derive(edited) max=api::validate::NOTE_MAX_CHARS id=format!("{}-length", edit_id())/>
                    {move || conflict.get().map(|newer| {
                        let shown = newer.body.clone();
                        let newer_version = newer.version;
                        view! {
                            <div class="notice notice--error" role="alert">
                                <p>"Someone else changed this note meanwhile. Their version:"</p>
                                <blockquote class="note__body">{shown}</blockquote>
                                <button
                                    type="button"
                                    class="button button--small"
                                    on:click=move |_| save(editing.with_untracked(|e| e.as_ref().map(|(t, _)| t.clone()).unwrap_or_default()), newer_version)
                                >
                                    "Keep mine"
                                </button>
                                <button
                                    type="button"
                                    class="button button--small"
                                    on:click=move |_| {
                                        let newer = newer.clone();
                                        state.notes.update(|notes| {
                                            if let Some(n) = notes.iter_mut().find(|n| n.id == newer.id) {
                                                *n = newer;
                                            }
                                        });
                                        editing.set(None);
                                        conflict.set(None);
                                    }
                                >
                                    "Keep theirs"
                                </button>
                            </div>
                        }
                    })}
                    <div class="note__actions">
                        <button
                            type="button"
                            class="button button--small button--primary"
                            disabled=move || !fits(&edited(), api::validate::NOTE_MAX_CHARS)
                            on:click=move |_| save(editing.with_untracked(|e| e.as_ref().map(|(t, _)| t.clone()).unwrap_or_default()), version)
                        >
                            "Save"
                        </button>
                        <button type="button" class="button button--small button--ghost" on:click=move |_| { editing.set(None); conflict.set(None); }>
                            "Cancel"
                        </button>
                    </div>
                }
                .into_any(),
            }}
        </li>
    }
}

/// Notes longer than this (characters or lines) start folded, with "Show more".
const FOLD_CHARS: usize = 400;
const FOLD_LINES: usize = 6;

pub fn is_long(text: &str) -> bool {
    text.chars().count() > FOLD_CHARS || text.lines().count() > FOLD_LINES
}

/// A note's text, folded to a few lines when it is long.
#[component]
fn NoteBody(text: Signal<String>) -> impl IntoView {
    let expanded = RwSignal::new(false);
    let workspace = crate::workspace::use_workspace();
    let long = move || text.with(|t| is_long(t));
    view! {
        <p class="note__body" class:note__body--folded=move || long() && !expanded.get()>
            {move || workspace.with(|w| crate::ui::text::note_text(&text.get(), &w.agents))}
        </p>
        <Show when=long>
            <button
                type="button"
                class="button button--small button--ghost note__more"
                aria-expanded=move || expanded.get().to_string()
                on:click=move |_| expanded.update(|e| *e = !*e)
            >
                {move || if expanded.get() { "Show less" } else { "Show more" }}
            </button>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn long_notes_fold_by_length_or_by_lines() {
        assert!(!super::is_long("Called back; the refund is on its way."));
        assert!(super::is_long(&"word ".repeat(100)));
        assert!(super::is_long("1\n2\n3\n4\n5\n6\n7"));
    }
}
