//! The bell in the top bar and the panel it opens: every notification or only the Mentions
//! (conversations where someone mentioned the agent, until they open them), Mark all as read,
//! and the switches. Opening a notification opens its conversation, which reads it.

use super::{Notifications, settings::NotificationSettings};
use crate::nav::A;
use crate::ui::icons::icon;
use crate::ui::time;
use convoroom_api as api;
use leptos::prelude::*;

#[derive(Clone, Copy, PartialEq)]
enum Shown {
    All,
    Mentions,
}

#[component]
pub fn Bell(notifications: Notifications) -> impl IntoView {
    let open = RwSignal::new(false);
    let shown = RwSignal::new(Shown::All);
    let wrapper = NodeRef::<leptos::html::Div>::new();
    let unread = move || notifications.inbox.with(|i| i.unread());
    let mention_count = move || notifications.inbox.with(|i| i.mentions().len());
    let label = move || match unread() {
        0 => "Notifications".to_string(),
        1 => "Notifications, 1 unread".to_string(),
        n => format!("Notifications, {n} unread"),
    };
    let items = move || {
        notifications.inbox.with(|inbox| match shown.get() {
            Shown::All => inbox.items().to_vec(),
            Shown::Mentions => inbox.mentions(),
        })
    };
    // A click or tap outside closes the panel. (Focus leaving is not enough: the switches'
    // answer replaces the focused "Turn on" button, and that must not close it.)
    let outside = window_event_listener(leptos::ev::pointerdown, move |ev| {
        let inside = wrapper
            .get_untracked()
            .and_then(|wrapper| crate::ui::holds(&wrapper, ev.target()));
        if inside != Some(true) && open.get_untracked() {
            open.set(false);
        }
    });
    // Esc closes it wherever the focus is (a switch being saved may have dropped it).
    let escape = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" && open.get_untracked() {
            ev.prevent_default();
            open.set(false);
            crate::ui::focus("#notifications-button");
        }
    });
    on_cleanup(move || {
        outside.remove();
        escape.remove();
    });
    let tab = move |this: Shown, name: &'static str| {
        view! {
            <button
                type="button"
                class="bell-panel__tab"
                aria-pressed=move || (shown.get() == this).to_string()
                on:click=move |_| shown.set(this)
            >
                {name}
                {move || (this == Shown::Mentions && mention_count() > 0).then(|| view! {
                    " "<span class="bell-panel__tab-count">{mention_count()}</span>
                })}
            </button>
        }
    };
    view! {
        <div
            class="bell"
            node_ref=wrapper
            on:focusout=move |ev: web_sys::FocusEvent| {
                // Tab past the end closes it; focus dropped with a replaced element does not.
                let inside = wrapper
                    .get()
                    .and_then(|wrapper| crate::ui::holds(&wrapper, ev.related_target()));
                if inside == Some(false) {
                    open.set(false);
                }
            }
        >
            <button
                type="button"
                id="notifications-button"
                class="icon-button bell__button"
                aria-label=label
                title="Notifications"
                aria-haspopup="dialog"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {icon("bell")}
                <Show when=move || unread() != 0>
                    <span class="bell__count" aria-hidden="true">
                        {move || if unread() > 99 { "99+".to_string() } else { unread().to_string() }}
                    </span>
                </Show>
            </button>
            <Show when=move || open.get()>
                <div class="bell-panel" role="dialog" aria-label="Notifications">
                    <div class="bell-panel__head">
                        <div class="bell-panel__tabs" role="group" aria-label="Show">
                            {tab(Shown::All, "All")}
                            {tab(Shown::Mentions, "Mentions")}
                        </div>
                        <button
                            type="button"
                            class="button button--small button--ghost"
                            disabled=move || unread() == 0
                            on:click=move |_| notifications.mark_read(|_| true, true)
                        >
                            "Mark all as read"
                        </button>
                    </div>
                    <Show when=move || notifications.load_error.get().is_some()>
                        <p class="form-error" role="alert">
                            {move || notifications.load_error.get()}" "
                            <button type="button" class="button button--small" on:click=move |_| notifications.load()>
                                "Try again"
                            </button>
                        </p>
                    </Show>
                    <Show
                        when=move || !items().is_empty()
                        fallback=move || view! {
                            <p class="bell-panel__empty">
                                {move || match (notifications.inbox.with(|i| i.loaded()), shown.get()) {
                                    // A failed load says so above, with Try again.
                                    (false, _) if notifications.load_error.get().is_some() => "",
                                    (false, _) => "Loading…",
                                    (true, Shown::All) => "Nothing new. Assignments, customer messages and mentions show up here.",
                                    (true, Shown::Mentions) => "No unread mentions. When someone writes @ and your name in a note, the conversation shows up here.",
                                }}
                            </p>
                        }
                    >
                        <ul class="bell-panel__list" aria-label=move || if shown.get() == Shown::All { "Notifications" } else { "Mentions" }>
                            <For each=items key=|n| (n.id.clone(), n.created_at.clone(), n.read) let(item)>
                                <NotificationItem notifications item on_open=Callback::new(move |_| open.set(false))/>
                            </For>
                        </ul>
                    </Show>
                    <NotificationSettings notifications/>
                </div>
            </Show>
        </div>
    }
}

#[component]
fn NotificationItem(
    notifications: Notifications,
    item: api::Notification,
    on_open: Callback<()>,
) -> impl IntoView {
    let title = notifications.describe(&item);
    let href = format!(
        "/conversations/{}",
        crate::api::encode(&item.conversation_id)
    );
    let at = time::parse_rfc3339(&item.created_at).unwrap_or(0);
    let when = time::relative(at, time::now_ms());
    let id = item.id.clone();
    let unread = !item.read;
    view! {
        <li class="notification" class:notification--unread=unread>
            <A href attr:class="notification__link" on:click=move |_| {
                let id = id.clone();
                notifications.mark_read(move |n| n.id == id, false);
                on_open.run(());
            }>
                <span class="notification__title">
                    {unread.then(|| view! { <span class="sr-only">"Unread: "</span> })}
                    {title}
                </span>" "
                <span class="notification__preview">{item.preview.clone()}</span>" "
                <time class="notification__time" datetime=item.created_at.clone()>{when}</time>
            </A>
        </li>
    }
}
