use super::use_chat;
use crate::auth::use_auth;
use crate::nav::use_navigate;
use crate::ui::avatar::Avatar;
use crate::ui::icons::{ChannelIcon, icon};
use crate::workspace::use_workspace;
use convoroom_api as api;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn ChatHeader() -> impl IntoView {
    let chat = use_chat();
    let auth = use_auth();
    let workspace = use_workspace();
    let conversation = chat.conversation;
    let details = crate::layout::use_details_visible();
    let navigate = use_navigate();
    let location = use_location();
    let error = chat.status_error;

    let reopen = Action::new_local(move |_: &()| {
        let client = auth.client();
        let id = chat.id();
        async move { client.reopen(&id).await }
    });
    Effect::new(move |_| match reopen.value().get() {
        Some(Ok(updated)) => {
            error.set(None);
            chat.update_conversation(updated);
        }
        Some(Err(err)) => error.set(Some(format!("Couldn't reopen the conversation. {err}"))),
        None => {}
    });
    let change_status = move |resolved: bool| {
        if resolved {
            reopen.dispatch(());
        } else {
            super::resolve::ask(chat, &workspace, "Resolve", move |body| {
                super::resolve::resolve(chat, body)
            });
        }
    };

    let name = move || conversation.with(|c| c.contact.name.clone());
    let status = move || conversation.with(|c| c.status);
    let stage = move || {
        let stage = conversation.with(|c| c.pipeline_stage.clone())?;
        workspace.stage_name(&stage)
    };
    // A snoozed conversation, like a resolved one, is reopened by the main button.
    let resolved = move || matches!(status(), api::Status::Resolved | api::Status::Snoozed);
    let snoozed_until = move || {
        conversation.with(|c| {
            let until = c
                .snoozed_until
                .as_deref()
                .filter(|_| c.status == api::Status::Snoozed)?;
            let ms = crate::ui::time::parse_rfc3339(until)?;
            Some(format!("until {}", super::snooze::local_label(ms as f64)))
        })
    };

    view! {
        <header class="chat-header">
            <button
                type="button"
                class="icon-button chat-header__back"
                aria-label="Back to conversations"
                on:click=move |_| {
                    let back = crate::nav::with_query("/conversations", &location.search.get_untracked());
                    navigate(&back, Default::default());
                }
            >
                {icon("back")}
            </button>
            {move || conversation.with(|c| view! { <Avatar id=c.contact.id.clone() name=c.contact.name.clone()/> })}
            <div class="chat-header__who">
                <h2 class="chat-header__name">{name}</h2>
                <div class="chat-header__meta">
                    {move || view! { <ChannelIcon channel=conversation.with(|c| c.channel)/> }}
                    <span class="chat-header__identifier">{move || conversation.with(|c| c.contact.identifier.clone())}</span>
                    <span class=move || format!("chip chip--status-{}", status().as_str())>{move || status().label()}</span>
                    {move || snoozed_until().map(|until| view! { <span class="chat-header__snoozed" title=until.clone()>{until.clone()}</span> })}
                    {move || stage().map(|s| view! { <span class="chip chip--stage" title=s.clone()>{s.clone()}</span> })}
                    {move || chat.viewers.with(|v| crate::live::presence::describe(v)).map(|text| view! {
                        <span class="viewers" role="status">{text}</span>
                    })}
                    {move || conversation.with(|c| crate::conversation_list::access_chips(&c.access))}
                </div>
            </div>
            <Show when=move || error.get().is_some()>
                <span class="inline-error" role="alert">{move || error.get()}</span>
            </Show>
            <button
                type="button"
                class="icon-button"
                id="find-button"
                aria-label="Find in conversation"
                title="Find in this conversation's whole history (f)"
                aria-keyshortcuts="f"
                aria-pressed=move || chat.found.with(Option::is_some).to_string()
                on:click=move |_| chat.found.update(|f| *f = if f.is_some() { None } else { Some(Default::default()) })
            >
                {icon("search")}
            </button>
            <Show when=move || !resolved()>
                <super::snooze::SnoozeMenu/>
            </Show>
            <button
                type="button"
                class=move || if resolved() { "button" } else { "button button--primary" }
                disabled=move || reopen.pending().get() || chat.status_busy.get()
                on:click=move |_| change_status(resolved())
            >
                {move || if resolved() { "Reopen" } else { "Resolve" }}
            </button>
            {details.map(|details| view! {
                <button
                    type="button"
                    class="icon-button"
                    aria-label="Conversation details"
                    aria-pressed=move || details.get().to_string()
                    title="Show or hide details (i)"
                    on:click=move |_| details.toggle()
                >
                    {icon("panel")}
                </button>
            })}
        </header>
    }
}
