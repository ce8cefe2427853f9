//! Fixtures shared by the component tests.
#![allow(dead_code)]

use convoroom_api as api;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

pub fn container() -> web_sys::HtmlElement {
    let element = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&element).unwrap();
    element.unchecked_into()
}

pub fn workspace() -> api::Workspace {
    let me = api::Agent {
        id: "1".into(),
        name: "Maya Patel".into(),
        email: "maya@example.com".into(),
        role: api::Role::Admin,
        availability: api::Availability::Online,
        team_ids: vec!["1".into()],
        avatar_url: None,
        external_id: None,
        active: true,
    };
    api::Workspace {
        me: me.clone(),
        agents: vec![me],
        teams: vec![api::Team {
            id: "1".into(),
            name: "Support".into(),
            after_conversation: Default::default(),
            archived: false,
            member_ids: vec![],
            waiting_alert_minutes: None,
            version: 1,
        }],
        labels: vec![],
        pipeline_stages: vec![api::PipelineStage {
            id: "quote_request".into(),
            name: "Quote Request".into(),
            position: 0,
            archived: false,
            version: 1,
        }],
        attribute_definitions: vec![],
        dispositions: vec![],
        delivered_channels: vec![],
        notification_prefs: Default::default(),
    }
}

pub fn conversation(name: &str, preview: &str) -> api::Conversation {
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
        business_address: None,
        labels: vec!["tier::gold".into()],
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
        recording_url: None,
        last_message: Some(api::MessagePreview {
            kind: api::MessageKind::Inbound,
            text: preview.into(),
            created_at: now,
        }),
        failed_deliveries: 0,
        snoozed_until: None,
        version: 1,
    }
}
