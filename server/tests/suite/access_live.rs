//! Live events (issue #8): while an agent of team B runs every write operation of the access
//! matrix on team B's conversations (plus bulk, a new inbound conversation and a saved view),
//! an agent of team A receives nothing about them — live with a ticket, live with the
//! `Authorization` header, or replayed — and does receive his own team's event sent after
//! them. (events.rs covers the basics: a note, a sticky note and a label.)

use crate::common;
use crate::matrix;

use common::TestApp;
use common::sse::Stream;
use matrix::{Access, Op, Target};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::time::Duration;

const SECRET: &str = "team-b-secret";
const MARKER: &str = "team-a-marker";

/// The conversation an event is about, if any.
fn conversation_of(event: &Value) -> Vec<String> {
    let data = &event["data"];
    let mut out: Vec<&Value> = vec![&data["conversation_id"], &data["into_conversation_id"]];
    if ["conversation_updated", "conversation_merged"]
        .contains(&event["type"].as_str().unwrap_or(""))
    {
        out.push(&data["id"]);
    }
    out.into_iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

fn is_marker(event: &Value) -> bool {
    event["type"] == "message_created" && event["data"]["body"] == MARKER
}

#[tokio::test]
async fn team_a_hears_nothing_of_team_b_while_every_operation_runs_on_it() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let jonas = app.sign_in("jonas").await;
    let luis = app.sign_in("luis").await;
    let priya = app.sign_in("priya").await;
    let billing = matrix::conversations_of_team(&app, &maya, "3", "2").await;
    let support = matrix::conversations_of_team(&app, &maya, "1", "none").await;
    let mut b = Target {
        conversation: billing[0].clone(),
        into: billing[1].clone(),
        // Assigned within team B: Luis himself.
        agent: "4".into(),
        text: SECRET.into(),
        ..Target::default()
    };
    b.note = matrix::prepare(&app, &maya, &b.conversation, SECRET).await;
    b.contact = matrix::contact_of(&app, &maya, &b.into).await;
    let delivery = matrix::delivery(&app, &maya, &[&b.conversation]).await;
    b.integration = delivery.integration;
    b.integration_token = delivery.token;
    b.message = delivery.failed[0].clone();
    let mut team_b: BTreeSet<String> = billing[..2].iter().cloned().collect();
    let resume_from: i64 = app
        .db_scalar_i64("SELECT COALESCE(MAX(id), 0) FROM events")
        .await;

    let mut by_ticket = Stream::open(&app, &jonas, None).await;
    let mut by_header = Stream::open_with_header(&app, &jonas).await;
    let mut admin = Stream::open(&app, &maya, None).await;

    // Team B at work: every write of the matrix on its conversation, by its own agent.
    for op in Op::of(Access::Conversation).filter(|op| op.method != "GET") {
        let reply = matrix::call(&app, op, &b, Some(&luis)).await;
        assert!(
            reply.status.is_success(),
            "{op} by team B: {:?}",
            reply.body
        );
    }
    let bulk =
        json!({"conversation_ids": [b.into], "status": "pending", "add_label": "matrix::bulk"});
    let bulk = app.post("/api/v1/conversations/bulk", &luis, bulk).await;
    assert_eq!(bulk.body["not_found"], json!([]));
    let inbound = json!({"channel": "sms", "from": "+15550009876", "body": SECRET, "team_id": "3"});
    let inbound = app.post("/api/v1/inbound", &maya, inbound).await;
    assert_eq!(inbound.status, 201, "{:?}", inbound.body);
    team_b.insert(
        inbound.body["conversation_id"]
            .as_str()
            .unwrap()
            .to_string(),
    );
    let view = app
        .post(
            "/api/v1/views",
            &luis,
            json!({"name": SECRET, "columns": []}),
        )
        .await;
    assert_eq!(view.status, 201);

    // Then team A: Priya writes in a Support conversation.
    let path = format!("/api/v1/conversations/{}/messages", support[0]);
    let marker = app
        .post(
            &path,
            &priya,
            json!({"client_id": "m", "mode": "note", "body": MARKER}),
        )
        .await;
    assert_eq!(marker.status, 201);

    let quiet = Duration::from_secs(3);
    let mut replay = Stream::open(&app, &jonas, Some(resume_from)).await;
    for (how, stream) in [
        ("ticket", &mut by_ticket),
        ("header", &mut by_header),
        ("replay", &mut replay),
    ] {
        let events = stream.take_until(quiet, is_marker).await;
        assert!(
            events.iter().any(is_marker),
            "{how}: team A's own event arrives: {events:?}"
        );
        for event in &events {
            let text = event.to_string();
            assert!(!text.contains(SECRET), "{how}: {text}");
            assert!(
                !event["type"].as_str().unwrap().starts_with("view_"),
                "{how}: {text}"
            );
            let about = conversation_of(event);
            assert!(about.iter().all(|id| !team_b.contains(id)), "{how}: {text}");
        }
    }

    // The admin saw all of it happen, so the events above existed to be leaked.
    let seen = admin.take_until(quiet, is_marker).await;
    let kinds: BTreeSet<&str> = seen
        .iter()
        .filter(|e| conversation_of(e).iter().any(|id| team_b.contains(id)))
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    let expected = [
        "conversation_updated",
        "message_created",
        "note_saved",
        "note_deleted",
        "message_updated",
        "message_deleted",
        "ai_reviewed",
        "presence",
        "conversation_merged",
        "tickets_changed",
    ];
    assert_eq!(kinds, expected.into_iter().collect(), "{seen:?}");
}
