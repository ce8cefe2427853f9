//! Component tests of reply delivery in headless Chromium: a failed reply's bubble says why and
//! shows its Retry's own failure, Sending is spelled out, the list row marks failed deliveries,
//! and the secrets of a new integration are shown once and then forgotten.
#![cfg(target_arch = "wasm32")]

use convoroom::chat::message::MessageBubble;
use convoroom::settings::integrations::SecretsOnce;
use convoroom::settings::integrations::state::RevealedSecrets;
use convoroom_api as api;
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod common;
use common::{container, conversation, workspace};

wasm_bindgen_test_configure!(run_in_browser);

/// Signed in against an API nobody listens on: every write fails as unreachable.
fn provide_offline_auth() {
    let client =
        convoroom::api::ApiClient::new("http://127.0.0.1:9/api/v1".into(), Some("t".into()));
    convoroom::auth::Auth::embedded(client, Some(workspace().me));
    convoroom::workspace::Workspace::provide(workspace());
}

fn reply(delivery: api::DeliveryStatus, error: Option<&str>) -> api::Message {
    serde_json::from_value(serde_json::json!({
        "id": "31", "conversation_id": "7", "session_id": "1", "kind": "outbound",
        "body": "Your parcel ships today", "attachments": [], "created_at": "2026-12-07T09:00:00Z",
        "delivery": delivery.as_str(), "delivery_error": error,
    }))
    .expect("a message")
}

fn button(host: &web_sys::HtmlElement, text: &str) -> Option<web_sys::HtmlElement> {
    let buttons = host.query_selector_all("button").unwrap();
    (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .map(|b| b.unchecked_into::<web_sys::HtmlElement>())
        .find(|b| b.text_content().as_deref() == Some(text))
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

#[wasm_bindgen_test]
async fn a_failed_reply_says_why_and_a_failed_retry_says_so() {
    let host = container();
    let _mounted = mount_to(host.clone(), || {
        provide_offline_auth();
        view! { <MessageBubble message=reply(api::DeliveryStatus::Failed, Some("HTTP 500: <b>down</b>"))/> }
    });
    leptos::task::tick().await;
    let text = host.text_content().unwrap();
    assert!(
        text.contains("Not delivered: HTTP 500: <b>down</b>"),
        "{text}"
    );
    assert!(
        host.query_selector("b").unwrap().is_none(),
        "the reason is text"
    );
    let retry = button(&host, "Retry delivery").expect("a Retry delivery button");
    retry.click();
    until("the retry's error", || {
        host.query_selector("[role=alert]")
            .unwrap()
            .and_then(|a| a.text_content())
            .is_some_and(|t| t.starts_with("Couldn't retry the delivery. Can't reach Convoroom"))
    })
    .await;
    // Still failed, still retryable.
    assert!(button(&host, "Retry delivery").is_some());
}

#[wasm_bindgen_test]
async fn sending_is_spelled_out_and_other_ticks_are_named_for_screen_readers() {
    let host = container();
    let _mounted = mount_to(host.clone(), || {
        provide_offline_auth();
        view! {
            <MessageBubble message=reply(api::DeliveryStatus::Pending, None)/>
            <MessageBubble message=reply(api::DeliveryStatus::Read, None)/>
        }
    });
    leptos::task::tick().await;
    let ticks = host.query_selector_all(".delivery").unwrap();
    let pending = ticks.item(0).unwrap().unchecked_into::<web_sys::Element>();
    assert_eq!(pending.text_content().as_deref(), Some("Sending"));
    assert!(pending.query_selector(".sr-only").unwrap().is_none());
    let read = ticks.item(1).unwrap().unchecked_into::<web_sys::Element>();
    assert_eq!(
        read.query_selector(".sr-only")
            .unwrap()
            .unwrap()
            .text_content()
            .as_deref(),
        Some("Read")
    );
    assert!(button(&host, "Retry delivery").is_none());
}

#[wasm_bindgen_test]
async fn a_row_marks_failed_deliveries_with_their_count() {
    let host = container();
    let _mounted = mount_to(host.clone(), || {
        convoroom::workspace::Workspace::provide(workspace());
        let mut two = conversation("Dana", "Where is it?");
        two.failed_deliveries = 2;
        let mut none = conversation("Eve", "Thanks");
        none.id = "43".into();
        view! {
            <convoroom::conversation_list::ConversationRow conversation=two index=0 set_size=2
                selected=Signal::derive(|| false) active=Signal::derive(|| false)
                link="/conversations/42".to_string() on_open=Callback::new(|_| {})/>
            <convoroom::conversation_list::ConversationRow conversation=none index=1 set_size=2
                selected=Signal::derive(|| false) active=Signal::derive(|| false)
                link="/conversations/43".to_string() on_open=Callback::new(|_| {})/>
        }
    });
    leptos::task::tick().await;
    let markers = host.query_selector_all(".row__delivery-failed").unwrap();
    assert_eq!(markers.length(), 1, "only the row with failures is marked");
    let marker = markers
        .item(0)
        .unwrap()
        .unchecked_into::<web_sys::Element>();
    assert_eq!(marker.get_attribute("role").as_deref(), Some("img"));
    assert_eq!(
        marker.get_attribute("aria-label").as_deref(),
        Some("Delivery failed (2 replies)")
    );
}

#[wasm_bindgen_test]
async fn secrets_are_shown_once_then_forgotten() {
    let revealed = RwSignal::new(Some(RevealedSecrets {
        integration_id: "1".into(),
        name: "WhatsApp bridge".into(),
        inbound_token: Some("tok_abc".into()),
        signing_secret: Some("whsec_xyz".into()),
    }));
    let host = container();
    let _mounted = mount_to(host.clone(), move || view! { <SecretsOnce revealed/> });
    leptos::task::tick().await;
    let values: Vec<String> = {
        let inputs = host.query_selector_all("input[readonly]").unwrap();
        (0..inputs.length())
            .map(|i| {
                inputs
                    .item(i)
                    .unwrap()
                    .unchecked_into::<web_sys::HtmlInputElement>()
                    .value()
            })
            .collect()
    };
    assert_eq!(values, ["tok_abc", "whsec_xyz"]);
    assert!(
        host.text_content()
            .unwrap()
            .contains("you will not see these again")
    );
    assert!(
        host.query_selector("[aria-label='Copy signing secret']")
            .unwrap()
            .is_some()
    );

    button(&host, "I've saved them")
        .expect("a way to dismiss")
        .click();
    leptos::task::tick().await;
    assert_eq!(revealed.get_untracked(), None);
    assert!(host.query_selector("input").unwrap().is_none());
    assert!(!host.inner_html().contains("whsec_xyz"));

    // A rotation reveals only the new secret.
    revealed.set(Some(RevealedSecrets {
        integration_id: "1".into(),
        name: "WhatsApp bridge".into(),
        inbound_token: None,
        signing_secret: Some("whsec_new".into()),
    }));
    leptos::task::tick().await;
    assert_eq!(
        host.query_selector_all("input[readonly]").unwrap().length(),
        1
    );
    assert!(
        host.text_content()
            .unwrap()
            .contains("its new signing secret")
    );
}
