//! Component tests of the notification centre in headless Chromium: live events counted once
//! however often a notification arrives (refreshed, replayed), the bell's name and the tab
//! title following the count, and reads from elsewhere taking it down.
#![cfg(target_arch = "wasm32")]

use convoroom::live::LiveHub;
use convoroom::notifications::{Bell, Notifications};
use convoroom_api as api;
use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos_router::components::Router;
use wasm_bindgen_test::*;

mod common;
use common::{container, workspace};

wasm_bindgen_test_configure!(run_in_browser);

fn created(event_id: i64, id: &str, at: &str, preview: &str) -> api::Event {
    api::Event {
        id: event_id,
        payload: api::EventPayload::NotificationCreated(Box::new(api::Notification {
            id: id.into(),
            kind: api::NotificationKind::Message,
            conversation_id: "42".into(),
            contact_name: "Greta Kühn".into(),
            actor_id: None,
            message_id: Some("9".into()),
            preview: preview.into(),
            created_at: format!("2026-12-07T10:00:{at}.000Z"),
            read: false,
        })),
    }
}

async fn until(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..100 {
        if done() {
            return;
        }
        gloo_timers::future::TimeoutFuture::new(50).await;
    }
    panic!("never happened: {what}");
}

fn bell_name(host: &web_sys::HtmlElement) -> String {
    host.query_selector("#notifications-button")
        .unwrap()
        .and_then(|b| b.get_attribute("aria-label"))
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn a_notification_counts_once_however_often_it_arrives() {
    let host = container();
    let hub = StoredValue::new_local(None::<LiveHub>);
    let _mounted = mount_to(host.clone(), move || {
        view! {
            <Router>
                {move || {
                    // Signed in against an API nobody listens on: the list load fails quietly
                    // in the panel, and only the events below arrive.
                    let client = convoroom::api::ApiClient::new(
                        "http://127.0.0.1:9/api/v1".into(),
                        Some("t".into()),
                    );
                    convoroom::auth::Auth::embedded(client.clone(), Some(workspace().me));
                    let workspace = convoroom::workspace::Workspace::provide(workspace());
                    let live = LiveHub::provide(client);
                    hub.set_value(Some(live));
                    let notifications = Notifications::provide(live, workspace);
                    view! { <Bell notifications/> }
                }}
            </Router>
        }
    });
    let hub = hub.get_value().expect("the hub");
    assert_eq!(bell_name(&host), "Notifications");

    hub.dispatch(created(1, "5", "01", "Hello?"));
    until("one unread", || {
        bell_name(&host) == "Notifications, 1 unread"
    })
    .await;
    assert_eq!(document().title(), "(1) Convoroom");

    // Refreshed by a second customer message: the same notification, still one.
    hub.dispatch(created(2, "5", "09", "Anyone there?"));
    // Replayed after a reconnect with an old event id: ignored.
    hub.dispatch(created(1, "5", "01", "Hello?"));
    hub.dispatch(created(3, "6", "10", "Another one"));
    until("two unread", || {
        bell_name(&host) == "Notifications, 2 unread"
    })
    .await;
    assert_eq!(document().title(), "(2) Convoroom");
    let badge = host
        .query_selector(".bell__count")
        .unwrap()
        .expect("the badge");
    assert_eq!(badge.text_content().as_deref(), Some("2"));

    // Read in another tab.
    hub.dispatch(api::Event {
        id: 4,
        payload: api::EventPayload::NotificationsRead {
            ids: vec!["5".into(), "6".into()],
        },
    });
    until("none unread", || bell_name(&host) == "Notifications").await;
    assert_eq!(document().title(), "Convoroom");
    assert!(host.query_selector(".bell__count").unwrap().is_none());
}
