//! Conversation history: every conversation of this contact across channels, newest first,
//! each viewable read-only, any other one mergeable into this one after a confirmation.

use super::contact::ContactSection;
use super::edit::Editor;
use super::events::Change;
use super::section::Section;
use crate::auth::use_auth;
use crate::chat::message::MessageBubble;
use crate::ui::{ErrorNotice, icons::ChannelIcon, time};
use convoroom_api::{Channel, Conversation};
use leptos::{html, prelude::*};

/// The conversations shown under a channel filter (`None`: every channel).
pub fn filtered(all: &[Conversation], channel: Option<Channel>) -> Vec<Conversation> {
    all.iter()
        .filter(|c| channel.is_none_or(|ch| c.channel == ch))
        .cloned()
        .collect()
}

/// The channels present, in the order they first appear, for the filter's options.
pub fn channels_of(all: &[Conversation]) -> Vec<Channel> {
    let mut channels = Vec::new();
    for c in all {
        if !channels.contains(&c.channel) {
            channels.push(c.channel);
        }
    }
    channels
}

#[component]
pub fn ConversationHistory(editor: Editor) -> impl IntoView {
    let auth = use_auth();
    let conversation = editor.current;
    // Reloads after a merge or a link changes what belongs to the contact.
    let key = Memo::new(move |_| conversation.with(|c| (c.contact.id.clone(), c.version)));
    let history = LocalResource::new(move || {
        let (contact_id, _) = key.get();
        let client = auth.client();
        async move { client.contact_conversations(&contact_id).await }
    });
    let channel = RwSignal::new(None::<Channel>);
    let confirming = RwSignal::new(None::<Conversation>);
    let viewing = RwSignal::new(None::<Conversation>);

    let merge = move |source: Conversation| {
        confirming.set(None);
        editor.apply(
            Change::Merge,
            |_| {},
            move |client, id| async move { client.merge(&source.id, &id).await },
        );
    };

    view! {
        <Section section=ContactSection::ConversationHistory>
            <Transition fallback=|| view! { <p class="muted">"Loading conversations…"</p> }>
                {move || Suspend::new(async move {
                    let all = match history.await {
                        Ok(all) => all,
                        Err(error) => return view! {
                            <ErrorNotice what="load the conversation history" error retry=move || history.refetch()/>
                        }.into_any(),
                    };
                    let current_id = conversation.with_untracked(|c| c.id.clone());
                    let others = all.iter().filter(|c| c.id != current_id).count();
                    if others == 0 {
                        return view! { <p class="muted">"No conversation history"</p> }.into_any();
                    }
                    let options = channels_of(&all);
                    let list = all.clone();
                    view! {
                        <label class="field">
                            <span class="field__label">"Channel"</span>
                            <select
                                aria-label="Filter history by channel"
                                on:change:target=move |ev| channel.set(Channel::parse(&ev.target().value()))
                                prop:value=move || channel.get().map(|c| c.as_str().to_string()).unwrap_or_default()
                            >
                                <option value="">"All channels"</option>
                                {options.into_iter().map(|c| view! { <option value=c.as_str()>{c.label()}</option> }).collect_view()}
                            </select>
                        </label>
                        <ul class="history-list" aria-label="Conversations of this contact">
                            {move || filtered(&list, channel.get()).into_iter().map(|c| {
                                let is_current = c.id == current_id;
                                let for_view = c.clone();
                                let for_merge = c.clone();
                                let started = time::parse_rfc3339(&c.lifecycle.created_at)
                                    .map(|ms| time::short_date(ms, time::now_ms()))
                                    .unwrap_or_default();
                                view! {
                                    <li class="history-item" class:history-item--current=is_current>
                                        <div class="history-item__head">
                                            <ChannelIcon channel=c.channel/>
                                            {history_title(&c, is_current)}
                                            <span class="chip">{c.status.label()}</span>
                                            // Its failed replies can be retried from View.
                                            {crate::conversation_list::delivery_failed_marker(c.failed_deliveries)}
                                        </div>
                                        <p class="history-item__meta muted">
                                            {format!("Started {started}")}
                                            {is_current.then_some(" · this conversation")}
                                        </p>
                                        {c.disposition.clone().map(|d| view! { <p class="history-item__meta muted">{format!("Disposition: {d}")}</p> })}
                                        {c.last_message.as_ref().map(|m| view! { <p class="history-item__preview">{m.text.clone()}</p> })}
                                        <Show when=move || !is_current>
                                            <div class="inline-controls">
                                                <button type="button" class="button button--small button--ghost"
                                                    aria-label=format!("View conversation #{}", for_view.id)
                                                    on:click={let c = for_view.clone(); move |_| viewing.set(Some(c.clone()))}>"View"</button>
                                                <button type="button" class="button button--small button--ghost"
                                                    aria-label=format!("Merge conversation #{} into this one", for_merge.id)
                                                    on:click={let c = for_merge.clone(); move |_| confirming.set(Some(c.clone()))}>"Merge"</button>
                                            </div>
                                        </Show>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                })}
            </Transition>
            {move || confirming.get().map(|source| {
                let for_merge = source.clone();
                view! {
                    <div class="confirm" role="alertdialog" aria-labelledby="confirm-merge">
                        <p id="confirm-merge">{format!(
                            "Merge conversation #{} ({}) into this one? Its messages, notes and labels move here and #{} is removed. This cannot be undone.",
                            source.id, source.channel.label(), source.id
                        )}</p>
                        <button type="button" class="button button--small button--danger" on:click=move |_| merge(for_merge.clone())>"Yes, merge"</button>
                        <button type="button" class="button button--small" on:click=move |_| confirming.set(None)>"Cancel"</button>
                    </div>
                }
            })}
            <ReadOnlyConversation viewing/>
        </Section>
    }
}

/// A history item's title: in the app a real link to that conversation (opened in place, or
/// in another tab with Ctrl, Shift or the middle button); the current one and an embedded
/// panel's items (no app pages to link to) are plain text.
fn history_title(c: &Conversation, is_current: bool) -> AnyView {
    let title = format!("{} · #{}", c.channel.label(), c.id);
    let href = (!is_current)
        .then(|| crate::nav::href(&format!("/conversations/{}", crate::api::encode(&c.id))))
        .flatten();
    match href {
        Some(href) => view! { <a class="history-item__title" href=href>{title}</a> }.into_any(),
        None => view! { <span class="history-item__title">{title}</span> }.into_any(),
    }
}

/// Another conversation's latest messages in a dialog, to read without leaving this one.
#[component]
fn ReadOnlyConversation(viewing: RwSignal<Option<Conversation>>) -> impl IntoView {
    let auth = use_auth();
    let dialog = NodeRef::<html::Dialog>::new();
    let open = RwSignal::new(false);
    crate::ui::modal_follows(dialog, open);
    Effect::new(move |_| open.set(viewing.with(|v| v.is_some())));
    let messages = LocalResource::new(move || {
        let id = viewing.with(|v| v.as_ref().map(|c| c.id.clone()));
        let client = auth.client();
        async move {
            match id {
                Some(id) => client.messages(&id, None).await.map(|page| {
                    let mut items = page.items;
                    items.reverse();
                    items
                }),
                None => Ok(Vec::new()),
            }
        }
    });
    let title = move || {
        viewing.with(|v| {
            v.as_ref()
                .map(|c| format!("{} · #{} (read-only)", c.channel.label(), c.id))
                .unwrap_or_default()
        })
    };
    view! {
        <dialog node_ref=dialog class="dialog dialog--wide" aria-labelledby="read-only-title" on:close=move |_| viewing.set(None)>
            <h2 id="read-only-title" class="dialog__title">{title}</h2>
            <div class="read-only-log" role="log" aria-label="Messages of the viewed conversation">
                <Transition fallback=|| view! { <p class="muted">"Loading messages…"</p> }>
                    {move || Suspend::new(async move {
                        match messages.await {
                            Ok(items) if items.is_empty() => view! { <p class="muted">"No messages."</p> }.into_any(),
                            Ok(items) => items.into_iter().map(|m| view! { <MessageBubble message=m/> }).collect_view().into_any(),
                            Err(err) => view! { <p class="inline-error" role="alert">{format!("Couldn't load the messages. {err}")}</p> }.into_any(),
                        }
                    })}
                </Transition>
            </div>
            <div class="dialog__actions">
                <button type="button" class="button" on:click=move |_| viewing.set(None)>"Close"</button>
            </div>
        </dialog>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_filter_keeps_order_and_lists_each_channel_once() {
        let json = |id: &str, channel: &str| {
            serde_json::from_value::<Conversation>(serde_json::json!({
                "id": id, "contact": {"id": "1", "name": "A", "identifier": "a", "known": true, "blocked": false},
                "channel": channel, "collaborator_ids": [], "status": "open", "priority": "none",
                "direction": "incoming", "labels": [], "attributes": {}, "session_info": {},
                "access": {"blocked": false, "spam": false, "ai_enabled": true},
                "lifecycle": {"created_at": "2026-11-20T10:00:00Z", "last_activity_at": "2026-11-20T10:00:00Z"},
                "unread_count": 0, "version": 1
            }))
            .expect("a conversation")
        };
        let all = vec![
            json("3", "email"),
            json("2", "whatsapp"),
            json("1", "email"),
        ];
        assert_eq!(channels_of(&all), vec![Channel::Email, Channel::Whatsapp]);
        let emails: Vec<String> = filtered(&all, Some(Channel::Email))
            .into_iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(emails, vec!["3", "1"]);
        assert_eq!(filtered(&all, None).len(), 3);
    }
}
