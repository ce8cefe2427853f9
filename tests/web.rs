//! Component tests in headless Chromium (`cargo xtask test` runs them through
//! wasm-bindgen-test-runner). Native unit tests cover the pure logic beside each module.
#![cfg(target_arch = "wasm32")]

use convoroom::chat::outbox::{self, Pending};
use convoroom::shell::WorkspaceData;
use convoroom_api as api;
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn container() -> web_sys::HtmlElement {
    let element = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&element).unwrap();
    element.unchecked_into()
}

fn workspace() -> api::Workspace {
    let me = api::Agent {
        id: "1".into(),
        name: "Maya Patel".into(),
        email: "maya@example.com".into(),
        role: api::Role::Admin,
        availability: api::Availability::Online,
        team_ids: vec!["1".into()],
        avatar_url: None,
    };
    api::Workspace {
        me: me.clone(),
        agents: vec![me],
        teams: vec![api::Team {
            id: "1".into(),
            name: "Support".into(),
        }],
        labels: vec![],
        pipeline_stages: vec![api::PipelineStage {
            id: "quote_request".into(),
            name: "Quote Request".into(),
        }],
        attribute_definitions: vec![],
    }
}

fn conversation(name: &str, preview: &str) -> api::Conversation {
    let now = "2026-11-22T10:00:00.000Z".to_string();
    api::Conversation {
        id: "42".into(),
        contact: api::ContactSummary {
            id: "7".into(),
            name: name.into(),
            identifier: "+15550100".into(),
            avatar_url: None,
            known: false,
            blocked: false,
        },
        channel: api::Channel::Whatsapp,
        team_id: Some("1".into()),
        assignee_id: Some("1".into()),
        collaborator_ids: vec![],
        status: api::Status::Open,
        pipeline_stage: Some("quote_request".into()),
        priority: api::Priority::None,
        direction: api::Direction::Incoming,
        disposition: None,
        state: None,
        wrap_up_note: None,
        csat: None,
        hangup_source: None,
        ticket_id: None,
        labels: vec!["priority::high".into()],
        attributes: Default::default(),
        session_info: Default::default(),
        access: api::Access {
            blocked: false,
            spam: false,
            blocked_changed_by: None,
            blocked_changed_at: None,
            ai_enabled: true,
            ai_changed_by: None,
            ai_changed_at: None,
        },
        ai_review: None,
        lifecycle: api::Lifecycle {
            created_at: now.clone(),
            first_response_at: None,
            waiting_since: None,
            last_activity_at: now.clone(),
            resolved_at: None,
        },
        unread_count: 3,
        last_message: Some(api::MessagePreview {
            kind: api::MessageKind::Inbound,
            text: preview.into(),
            created_at: now,
        }),
        version: 1,
    }
}

#[wasm_bindgen_test]
async fn a_row_shows_hostile_text_as_text() {
    let hostile_name = "<img src=x onerror=alert(1)>";
    let hostile_preview = "<script>document.title='owned'</script>";
    let opened = RwSignal::new(None::<String>);
    let host = container();
    let _mounted = mount_to(host.clone(), move || {
        provide_context(WorkspaceData(RwSignal::new(workspace())));
        view! {
            <convoroom::conversation_list::ConversationRow
                conversation=conversation(hostile_name, hostile_preview)
                index=0
                set_size=1
                selected=Signal::derive(|| true)
                active=Signal::derive(|| false)
                on_open=Callback::new(move |id| opened.set(Some(id)))
            />
        }
    });
    leptos::task::tick().await;

    let option = host
        .query_selector("[role=option]")
        .unwrap()
        .expect("the row is an option");
    assert_eq!(
        option.get_attribute("aria-selected").as_deref(),
        Some("true")
    );
    let text = option.text_content().unwrap();
    assert!(text.contains(hostile_name), "{text}");
    assert!(text.contains(hostile_preview), "{text}");
    assert!(
        text.contains("Quote Request")
            && text.contains("priority::high")
            && text.contains("Maya Patel")
    );
    assert!(
        host.query_selector("img, script").unwrap().is_none(),
        "markup from the API was interpreted"
    );
    assert_eq!(
        host.query_selector(".badge")
            .unwrap()
            .unwrap()
            .text_content()
            .as_deref(),
        Some("3")
    );

    option.unchecked_ref::<web_sys::HtmlElement>().click();
    assert_eq!(opened.get_untracked().as_deref(), Some("42"));
}

#[wasm_bindgen_test]
fn the_outbox_survives_in_local_storage() {
    let key = outbox::storage_key("test-conversation");
    let pending = vec![Pending {
        client_id: "c1".into(),
        mode: api::ComposeMode::Reply,
        body: "Your refund is on its way".into(),
        failed: Some("Can't reach the server".into()),
        created_at_ms: 1,
    }];
    assert!(convoroom::storage::save(&key, &pending));
    let restored: Vec<Pending> = convoroom::storage::load(&key).expect("stored");
    assert_eq!(restored, pending);
    convoroom::storage::remove(&key);
    assert!(convoroom::storage::load::<Vec<Pending>>(&key).is_none());
}
