use super::canned::{self, ComposerCanned};
use super::outbox::Pending;
use super::send::send_pending;
use super::use_chat;
use crate::storage;
use crate::ui::icons::icon;
use crate::ui::time;
use crate::ui::{LengthHint, fits};
use convoroom_api::{self as api, ComposeMode};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

fn draft_key(conversation_id: &str, mode: ComposeMode) -> String {
    format!("convoroom.draft.{conversation_id}.{}", mode.as_str())
}

/// The mode the agent was writing in, so a reload returns to the note they were writing.
fn mode_key(conversation_id: &str) -> String {
    format!("convoroom.compose-mode.{conversation_id}")
}

#[component]
pub fn Composer() -> impl IntoView {
    let chat = use_chat();
    let id = chat.id();
    let initial_mode = storage::load::<ComposeMode>(&mode_key(&id)).unwrap_or(ComposeMode::Reply);
    let mode = RwSignal::new(initial_mode);
    let text =
        RwSignal::new(storage::load::<String>(&draft_key(&id, initial_mode)).unwrap_or_default());
    // Why replies are off, if they are: the contact is blocked, or this conversation is spam.
    let replies_off = move || {
        chat.conversation.with(|c| {
            if c.access.blocked {
                Some("This contact is blocked: their messages are dropped and replies are off. Unblock them under Conversation access, or write an internal note.")
            } else if c.access.spam {
                Some("This conversation is marked as spam, so replies are off. Choose Not spam under Conversation access, or write an internal note.")
            } else {
                None
            }
        })
    };
    let blocked = move || replies_off().is_some();

    // Sends left in flight by a reload or a crash go out again; failed ones wait for Retry.
    for pending in chat.outbox.get_untracked() {
        if pending.failed.is_none() {
            send_pending(chat, pending.client_id);
        }
    }

    let files = super::attachments::Drafts::new(chat);
    let dragging = RwSignal::new(false);
    let typing_marks = super::presence::TypingMarks::new(chat);
    let switch_mode = move |next: ComposeMode| {
        let id = chat.id();
        typing_marks.stopped(chat);
        mode.set(next);
        if next == ComposeMode::Reply {
            storage::remove(&mode_key(&id));
        } else {
            storage::save(&mode_key(&id), &next);
        }
        text.set(storage::load::<String>(&draft_key(&id, next)).unwrap_or_default());
    };
    let on_input = move |value: String| {
        let key = draft_key(&chat.id(), mode.get_untracked());
        if value.is_empty() {
            storage::remove(&key);
        } else {
            storage::save(&key, &value);
        }
        // Other agents see who is answering the customer; notes are not announced.
        if value.trim().is_empty() || mode.get_untracked() != ComposeMode::Reply {
            typing_marks.stopped(chat);
        } else {
            typing_marks.typed(chat, js_sys::Date::now());
        }
        text.set(value);
    };
    let canned = ComposerCanned::new(chat, text, Callback::new(on_input));
    let mentions = super::completion::mentions::completion(
        chat,
        text,
        Callback::new(on_input),
        canned.textarea,
        Signal::derive(move || mode.get() == ComposeMode::Note),
    );
    let emoji = super::completion::emoji::completion(
        text,
        Callback::new(on_input),
        canned.textarea,
        Signal::derive(|| true),
    );
    // The list showing, if one does (the `:` and `@` triggers never overlap).
    let completion = move || [mentions, emoji].into_iter().find(|c| c.open());
    // `resolve_after`: Send and resolve, resolving once the reply is delivered.
    let submit = move |resolve_after: Option<api::ResolveConversation>| {
        let body = text.get_untracked();
        let no_files = files.files.with_untracked(Vec::is_empty);
        if (body.trim().is_empty() && no_files) || canned.blocks_sending() || files.blocks_sending()
        {
            return;
        }
        let mode_now = mode.get_untracked();
        if mode_now == ComposeMode::Reply && blocked() {
            return;
        }
        if mode_now == ComposeMode::Note && !fits(&body, api::validate::NOTE_MAX_CHARS) {
            return;
        }
        let now = time::now_ms();
        let pending = Pending {
            client_id: crate::api::new_client_id(now, js_sys::Math::random()),
            mode: mode_now,
            body,
            failed: None,
            created_at_ms: now,
            resolve_after,
            attachments: files.take(),
        };
        let client_id = pending.client_id.clone();
        chat.outbox.update(|o| o.push(pending));
        chat.save_outbox();
        storage::remove(&draft_key(&chat.id(), mode_now));
        text.set(String::new());
        typing_marks.stopped(chat);
        send_pending(chat, client_id);
    };

    let workspace = crate::workspace::use_workspace();
    // Nothing to send: no text and no file (or a file the server refused is still there).
    let nothing_to_send =
        move || (text.with(|t| t.trim().is_empty()) && files.is_empty()) || files.blocks_sending();
    let send_and_resolve = move || {
        if nothing_to_send() || blocked() || canned.blocks_sending() {
            return;
        }
        super::resolve::ask(chat, &workspace, "Send and resolve", move |body| {
            submit(Some(body))
        });
    };

    let mode_button = move |this: ComposeMode| {
        view! {
            <button
                type="button"
                class="mode"
                class:mode--active=move || mode.get() == this
                aria-pressed=move || (mode.get() == this).to_string()
                on:click=move |_| switch_mode(this)
            >
                {this.label()}
            </button>
        }
    };
    let reply_disabled = move || blocked() && mode.get() == ComposeMode::Reply;
    // SMS replies are split into paid messages: the agent sees what this one costs.
    let sms_reply = move || {
        mode.get() == ComposeMode::Reply
            && !reply_disabled()
            && chat.conversation.with(|c| c.channel == api::Channel::Sms)
    };

    view! {
        <div
            class="composer"
            class:composer--note=move || mode.get() == ComposeMode::Note
            class:composer--dragging=move || dragging.get()
            on:dragover=move |ev| {
                if !reply_disabled() && super::attachments::tray::drags_files(&ev) {
                    ev.prevent_default();
                    dragging.set(true);
                }
            }
            on:dragleave=move |ev| {
                // Only when the pointer leaves the composer, not when it moves onto a child.
                let inside = ev.related_target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
                let composer = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
                if let Some(composer) = composer && !composer.contains(inside.as_ref()) {
                    dragging.set(false);
                }
            }
            on:drop=move |ev| {
                dragging.set(false);
                if !reply_disabled() && super::attachments::tray::drags_files(&ev) {
                    ev.prevent_default();
                    files.add(super::attachments::tray::transferred_files(ev.data_transfer()));
                }
            }
        >
            <super::attachments::DropZone dragging/>
            <div class="composer__top">
                <div class="composer__modes" role="group" aria-label="Message type">
                    {mode_button(ComposeMode::Reply)}
                    {mode_button(ComposeMode::Note)}
                </div>
                <Show when=move || !reply_disabled()>
                    <div class="composer__tools">
                        <super::attachments::AttachButton drafts=files/>
                        <super::emoji::EmojiButton text set_text=Callback::new(on_input) textarea=canned.textarea/>
                        <Show when=move || canned.available()>
                            <canned::CannedButton canned/>
                        </Show>
                    </div>
                </Show>
            </div>
            // Always in the page, so screen readers announce the line when it changes.
            <p
                class="composer__typing"
                // Out of the grid while nobody types, but still in the page for screen readers.
                class:sr-only=move || chat.typing.with(Vec::is_empty)
                role="status"
            >
                {move || chat.typing.with(|names| crate::live::presence::describe_typing(names))}
            </p>
            <Show when=reply_disabled>
                <p class="composer__blocked" id="composer-blocked">
                    {icon("lock")}
                    <span>{replies_off}</span>
                </p>
            </Show>
            <div class="composer__row">
                <canned::SlashList canned/>
                <super::completion::CompletionList completion=mentions/>
                <super::completion::CompletionList completion=emoji/>
                <textarea
                    id="composer-input"
                    node_ref=canned.textarea
                    aria-label="Message"
                    aria-describedby=move || {
                        if reply_disabled() {
                            Some("composer-blocked")
                        } else if canned.blocks_sending() {
                            Some(canned::WARNINGS_ID)
                        } else if sms_reply() {
                            Some("composer-sms")
                        } else {
                            (mode.get() == ComposeMode::Note).then_some("composer-length")
                        }
                    }
                    // The /, @ and : lists: the box keeps the focus and points at the highlighted option.
                    aria-autocomplete="list"
                    aria-controls=move || {
                        match completion() {
                            Some(open) => Some(open.list_id),
                            None => canned.slash_open().then_some(canned::SLASH_LIST_ID),
                        }
                    }
                    aria-activedescendant=move || {
                        completion().and_then(|open| open.active_id()).or_else(|| canned.slash_active_id())
                    }
                    rows="3"
                    placeholder=move || match mode.get() {
                        ComposeMode::Reply => "Reply to the customer… (Enter to send, Shift+Enter for a new line)",
                        ComposeMode::Note => "Write an internal note — only agents see it",
                    }
                    disabled=reply_disabled
                    prop:value=text
                    on:input:target=move |ev| {
                        on_input(ev.target().value());
                        mentions.sync_caret();
                        emoji.sync_caret();
                        // `:tada:` typed out becomes 🎉.
                        if let Some((at, glyph)) = text.with_untracked(|t| super::emoji::closed_code(t, emoji.caret())) {
                            emoji.replace_to_caret(at, glyph);
                        }
                    }
                    on:paste=move |ev: web_sys::ClipboardEvent| {
                        let pasted = super::attachments::tray::transferred_files(ev.clipboard_data());
                        if !pasted.is_empty() {
                            ev.prevent_default();
                            files.add(pasted);
                        }
                    }
                    on:keyup=move |_| { mentions.sync_caret(); emoji.sync_caret(); }
                    on:click=move |_| { mentions.sync_caret(); emoji.sync_caret(); }
                    on:keydown=move |ev| {
                        let completed = mentions.on_keydown(&ev) || emoji.on_keydown(&ev);
                        if completed || canned.on_keydown(&ev) || ev.key() != "Enter" || ev.is_composing() {
                            return;
                        }
                        if ev.shift_key() && (ev.ctrl_key() || ev.meta_key()) {
                            ev.prevent_default();
                            if mode.get_untracked() == ComposeMode::Reply {
                                send_and_resolve();
                            }
                        } else if !ev.shift_key() {
                            ev.prevent_default();
                            submit(None);
                        }
                    }
                ></textarea>
                <button
                    type="button"
                    class="button button--primary composer__send"
                    aria-describedby=move || canned.blocks_sending().then_some(canned::WARNINGS_ID)
                    disabled=move || {
                        reply_disabled()
                            || canned.blocks_sending()
                            || nothing_to_send()
                            || (mode.get() == ComposeMode::Note && !text.with(|t| fits(t, api::validate::NOTE_MAX_CHARS)))
                    }
                    on:click=move |_| submit(None)
                >
                    {icon("send")}
                    {move || if mode.get() == ComposeMode::Note { "Add note" } else { "Send" }}
                </button>
            </div>
            <Show when=move || !reply_disabled()>
                <super::attachments::Tray drafts=files/>
            </Show>
            <canned::VariableWarnings canned/>
            <Show when=move || mode.get() == ComposeMode::Reply && !reply_disabled()>
                <div class="composer__more">
                    <button
                        type="button"
                        class="button button--small"
                        title="Send the reply, then resolve (Ctrl+Shift+Enter)"
                        aria-keyshortcuts="Control+Shift+Enter Meta+Shift+Enter"
                        disabled=move || nothing_to_send() || chat.status_busy.get() || canned.blocks_sending()
                        on:click=move |_| send_and_resolve()
                    >
                        "Send and resolve"
                    </button>
                </div>
            </Show>
            <Show when=move || mode.get() == ComposeMode::Note>
                <LengthHint text=text max=api::validate::NOTE_MAX_CHARS id="composer-length"/>
            </Show>
            <Show when=sms_reply>
                <p class="composer__sms" id="composer-sms">
                    {move || text.with(|t| api::sms::SmsCount::of(t).describe())}
                </p>
            </Show>
        </div>
    }
}
