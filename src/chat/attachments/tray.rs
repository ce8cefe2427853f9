//! The composer's part of attachments: the Attach button (with the limits stated before
//! anything is picked), the files with their progress, cancel and thumbnails, and the drop
//! target.

use super::Drafts;
use crate::ui::icons::icon;
use convoroom_api::upload::{self, LIMITS_TEXT, format_size};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

pub const LIMITS_ID: &str = "attach-limits";

fn files_of(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else {
        return Vec::new();
    };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// The files a drop or a paste carries.
pub fn transferred_files(data: Option<web_sys::DataTransfer>) -> Vec<web_sys::File> {
    files_of(data.and_then(|d| d.files()))
}

/// Whether a drag carries files (not text being moved inside the page).
pub fn drags_files(event: &web_sys::DragEvent) -> bool {
    event
        .data_transfer()
        .map(|d| {
            d.types()
                .iter()
                .any(|t| t.as_string().as_deref() == Some("Files"))
        })
        .unwrap_or(false)
}

#[component]
pub fn AttachButton(drafts: Drafts) -> impl IntoView {
    let input = NodeRef::<leptos::html::Input>::new();
    view! {
        <button
            type="button"
            class="button button--small button--ghost"
            aria-describedby=LIMITS_ID
            title=LIMITS_TEXT
            on:click=move |_| {
                if let Some(input) = input.get() {
                    input.click();
                }
            }
        >
            {icon("paperclip")}
            <span>"Attach"</span>
        </button>
        <input
            node_ref=input
            type="file"
            multiple=true
            class="sr-only"
            tabindex="-1"
            aria-hidden="true"
            accept=upload::accept_attribute()
            on:change=move |ev| {
                let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
                    return;
                };
                drafts.add(files_of(input.files()));
                // The same file may be picked again after it was removed.
                input.set_value("");
            }
        />
    }
}

/// The files in the composer, the refusals of the last pick, and the limits.
#[component]
pub fn Tray(drafts: Drafts) -> impl IntoView {
    view! {
        <div class="attachments-tray">
            <Show when=move || !drafts.is_empty()>
                <ul class="attachments-tray__files" aria-label="Attached files">
                    <For
                        each=move || drafts.files.get()
                        key=|d| (d.file.local_id.clone(), d.file.upload_id.clone(), d.progress.map(|p| (p * 100.0) as u32), d.refused.clone(), d.waiting.clone(), d.preview.clone())
                        let:draft
                    >
                        {
                            let name = draft.file.name.clone();
                            let local_id = draft.file.local_id.clone();
                            let uploading = draft.progress.is_some();
                            let remove_label = if uploading { format!("Cancel upload of {name}") } else { format!("Remove {name}") };
                            view! {
                                <li class="attachment-draft" class:attachment-draft--refused=draft.refused.is_some()>
                                    {match draft.preview.clone() {
                                        Some(url) => view! { <img class="attachment-draft__thumb" src=url alt=""/> }.into_any(),
                                        None => view! { <span class="attachment-draft__thumb">{icon("file")}</span> }.into_any(),
                                    }}
                                    <span class="attachment-draft__name">{name.clone()}</span>
                                    <span class="attachment-draft__size">{format_size(draft.file.size_bytes)}</span>
                                    {draft.progress.map(|fraction| view! {
                                        <progress max="100" value=(fraction * 100.0).round().to_string() aria-label=format!("Uploading {name}")></progress>
                                    })}
                                    {draft.refused.clone().map(|why| view! { <span class="attachment-draft__error" role="alert">{why}</span> })}
                                    {draft.waiting.clone().map(|why| view! { <span class="attachment-draft__note">{why}</span> })}
                                    <button
                                        type="button"
                                        class="icon-button attachment-draft__remove"
                                        aria-label=remove_label
                                        on:click=move |_| drafts.remove(&local_id)
                                    >
                                        {icon("close")}
                                    </button>
                                </li>
                            }
                        }
                    </For>
                </ul>
            </Show>
            <For each=move || drafts.refusals.get() key=|why| why.clone() let:why>
                <p class="attachments-tray__refused" role="alert">{why}</p>
            </For>
            <p
                id=LIMITS_ID
                class="attachments-tray__limits"
                class:sr-only=move || drafts.is_empty()
            >
                {LIMITS_TEXT}
            </p>
        </div>
    }
}

/// Shown over the composer while files are dragged over it.
#[component]
pub fn DropZone(dragging: RwSignal<bool>) -> impl IntoView {
    view! {
        <Show when=move || dragging.get()>
            <div class="composer__drop" aria-hidden="true">
                {icon("paperclip")}
                <p><strong>"Drop to attach"</strong></p>
                <p>{LIMITS_TEXT}</p>
            </div>
        </Show>
    }
}
