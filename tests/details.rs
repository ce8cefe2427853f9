//! Component tests of the details panel in headless Chromium: every section in place with
//! what it shows, folding that is remembered, typed attributes refused inline before anything
//! is sent, and an optimistic change rolled back when the server cannot be reached.
#![cfg(target_arch = "wasm32")]

use convoroom::details::ConversationSection;
use convoroom::details::attribute_conflict::AttributeConflict;
use convoroom::details::attributes::AttributeSection;
use convoroom::details::contact::ContactSection;
use convoroom::details::section::{Section, SectionPrefs, storage_key};
use convoroom_api as api;
use leptos::mount::mount_to;
use leptos::prelude::*;
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod common;
use common::container;

wasm_bindgen_test_configure!(run_in_browser);

fn find(host: &web_sys::HtmlElement, selector: &str) -> web_sys::HtmlElement {
    host.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .unchecked_into()
}

fn set_value(input: &web_sys::HtmlElement, value: &str, event: &str) {
    input
        .unchecked_ref::<web_sys::HtmlInputElement>()
        .set_value(value);
    input
        .dispatch_event(&web_sys::Event::new(event).unwrap())
        .unwrap();
}

#[wasm_bindgen_test]
async fn a_folded_section_stays_folded_for_that_agent() {
    convoroom::storage::remove(&storage_key("agent-7"));
    let mount = |host: web_sys::HtmlElement| {
        mount_to(host, || {
            SectionPrefs::provide("agent-7");
            view! { <Section section=ConversationSection::Notes><p class="inside">"Body"</p></Section> }
        })
    };
    let host = container();
    let first = mount(host.clone());
    leptos::task::tick().await;
    let toggle = find(&host, ".section-toggle");
    assert_eq!(
        toggle.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    toggle.click();
    leptos::task::tick().await;
    assert_eq!(
        toggle.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    assert!(find(&host, ".details-section__body").has_attribute("hidden"));
    drop(first);

    // A fresh mount (a reload) reads the choice back.
    let again = container();
    let _second = mount(again.clone());
    leptos::task::tick().await;
    let toggle = find(&again, ".section-toggle");
    assert_eq!(
        toggle.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    convoroom::storage::remove(&storage_key("agent-7"));
}

#[wasm_bindgen_test]
async fn an_attribute_that_does_not_fit_its_type_is_refused_inline() {
    let definitions = vec![api::AttributeDefinition {
        key: "lifetime_value".into(),
        name: "Lifetime value".into(),
        applies_to: api::AttributeTarget::Contact,
        kind: api::AttributeType::Number,
        options: Vec::new(),
        minimum: None,
        maximum: None,
        required: false,
        position: 0,
        version: 1,
    }];
    let values = RwSignal::new(BTreeMap::from([(
        "lifetime_value".to_string(),
        api::AttributeValue::Number(10.0),
    )]));
    type Save = (
        String,
        Option<api::AttributeValue>,
        Option<api::AttributeValue>,
    );
    let saved = RwSignal::new(Vec::<Save>::new());
    let conflict = RwSignal::new(None::<AttributeConflict>);
    let host = container();
    let _mounted = mount_to(host.clone(), move || {
        view! {
            <AttributeSection
                section=ContactSection::ContactAttributes
                definitions=Signal::stored(definitions.clone())
                values=values.into()
                save=Callback::new(move |change| saved.update(|s| s.push(change)))
                conflict
            />
        }
    });
    leptos::task::tick().await;
    assert!(host.text_content().unwrap().contains("10"));

    find(&host, "button[aria-label='Edit Lifetime value']").click();
    leptos::task::tick().await;
    let input = find(&host, "input[aria-label='Lifetime value']");
    set_value(&input, "ten", "input");
    find(&host, ".attribute-edit button[type=submit]").click();
    leptos::task::tick().await;
    let alert = find(&host, "[role=alert]");
    assert_eq!(
        alert.text_content().as_deref(),
        Some("\"ten\" is not a number")
    );
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(saved.get_untracked().is_empty(), "nothing is sent");

    set_value(&input, "12.5", "input");
    find(&host, ".attribute-edit button[type=submit]").click();
    leptos::task::tick().await;
    assert_eq!(
        saved.get_untracked(),
        vec![(
            "lifetime_value".to_string(),
            Some(api::AttributeValue::Number(12.5)),
            Some(api::AttributeValue::Number(10.0)),
        )]
    );
    assert!(host.query_selector("[role=alert]").unwrap().is_none());

    find(&host, "button[aria-label='Remove Lifetime value']").click();
    assert_eq!(
        saved.get_untracked().last(),
        Some(&(
            "lifetime_value".to_string(),
            None,
            Some(api::AttributeValue::Number(10.0))
        ))
    );

    // Another agent's change met ours: both values are shown, and "Keep mine" saves ours on
    // top of theirs.
    conflict.set(Some(AttributeConflict {
        key: "lifetime_value".into(),
        mine: Some(api::AttributeValue::Number(12.5)),
        theirs: Some(api::AttributeValue::Number(99.0)),
    }));
    leptos::task::tick().await;
    let notice = find(&host, "[role=alert]").text_content().unwrap();
    assert!(
        notice.contains("Someone else changed “Lifetime value”"),
        "{notice}"
    );
    assert!(
        notice.contains("Theirs99") && notice.contains("Yours12.5"),
        "{notice}"
    );
    let keep_mine = host
        .query_selector_all("[role=alert] button")
        .unwrap()
        .get(0)
        .unwrap()
        .dyn_into::<web_sys::HtmlElement>()
        .unwrap();
    assert_eq!(keep_mine.text_content().as_deref(), Some("Keep mine"));
    keep_mine.click();
    assert_eq!(
        saved.get_untracked().last(),
        Some(&(
            "lifetime_value".to_string(),
            Some(api::AttributeValue::Number(12.5)),
            Some(api::AttributeValue::Number(99.0))
        ))
    );
}

async fn until(what: &str, check: impl Fn() -> bool) {
    for _ in 0..100 {
        if check() {
            return;
        }
        gloo_timers::future::TimeoutFuture::new(50).await;
    }
    panic!("timed out waiting for {what}");
}

fn texts(host: &web_sys::HtmlElement, selector: &str) -> Vec<String> {
    let nodes = host.query_selector_all(selector).unwrap();
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .map(|n| n.text_content().unwrap_or_default().trim().to_string())
        .collect()
}

#[wasm_bindgen_test]
async fn every_section_shows_its_part_and_a_refused_change_is_rolled_back() {
    let mut fixture = common::conversation("Ana Souza", "Hello");
    fixture.labels = vec!["tier::gold".into(), "vip".into()];
    fixture.access.blocked = true;
    fixture.access.ai_enabled = false;
    fixture.session_info.city = Some("Lisbon".into());
    let host = container();
    let _mounted = mount_to(host.clone(), move || {
        convoroom::workspace::Workspace::provide(common::workspace());
        // Nothing listens there: every request fails like a server that is down.
        let client =
            convoroom::api::ApiClient::new("http://127.0.0.1:9/api/v1".into(), Some("t".into()));
        convoroom::auth::Auth::embedded(client, None);
        let conversation = RwSignal::new(fixture.clone());
        view! { <convoroom::details::DetailsPanel conversation/> }
    });
    leptos::task::tick().await;

    assert_eq!(texts(&host, "[role=tab]"), ["Contact", "Conversation"]);
    assert_eq!(
        texts(&host, "#details-panel-conversation h3"),
        [
            "Handled by",
            "Collaborators",
            "Labels",
            "Notes",
            "AI summary",
            "Conversation attributes",
            "Session history",
            "Conversation details",
            "Session information",
            "Conversation access",
            "AI access"
        ]
    );
    assert_eq!(texts(&host, ".label-pill--scoped span"), ["tier::gold"]);
    let text = host.text_content().unwrap();
    assert!(
        text.contains("AI access is off for this conversation"),
        "{text}"
    );
    assert!(
        text.contains("Blocked"),
        "the access section says the contact is blocked"
    );
    assert!(text.contains("Lisbon"), "session information");
    assert!(
        text.contains("WhatsApp"),
        "the channel in the conversation details"
    );

    // Sections that load their own data say so when the server is unreachable.
    until("the notes' error", || {
        host.text_content().unwrap().contains("Couldn't load notes")
    })
    .await;

    // Removing a label shows at once, then comes back with the reason.
    find(&host, "button[aria-label='Remove label vip']").click();
    leptos::task::tick().await;
    assert_eq!(texts(&host, ".label-list li span"), ["tier::gold"]);
    until("the rollback", || {
        texts(&host, ".label-list li span").len() == 2
    })
    .await;
    let alert = texts(
        &host,
        ".details-pane > .notice [role=alert], .details-pane > [role=alert]",
    );
    let notice = host
        .query_selector(".details-pane > .notice--error")
        .unwrap()
        .expect("an error notice");
    assert!(
        notice
            .text_content()
            .unwrap()
            .starts_with("Couldn't remove the label."),
        "{alert:?}"
    );
}
