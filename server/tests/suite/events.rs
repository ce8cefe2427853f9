//! The live event stream: tickets, delivery, resume with Last-Event-ID, and access filtering.

use crate::common;

use axum::body::Body;
use axum::http::Request;
use common::sse::Stream;
use common::{TestApp, assert_error};
use serde_json::{Value, json};
use std::time::Duration;

fn max_event_id(events: &[Value]) -> i64 {
    events
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .max()
        .unwrap()
}

#[tokio::test]
async fn tickets_are_single_use() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let ticket = app
        .post("/api/v1/events/ticket", &maya, json!({}))
        .await
        .body["ticket"]
        .as_str()
        .unwrap()
        .to_string();
    let first = app
        .raw(
            Request::get(format!("/api/v1/events?ticket={ticket}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(first.status(), 200);
    let second = app
        .call(
            axum::http::Method::GET,
            &format!("/api/v1/events?ticket={ticket}"),
            None,
            None,
            &[],
        )
        .await;
    assert_error(&second, 401, "unauthorized");
    assert_error(
        &app.call(axum::http::Method::GET, "/api/v1/events", None, None, &[])
            .await,
        401,
        "unauthorized",
    );
}

#[tokio::test]
async fn resume_delivers_exactly_the_missed_events() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let mut stream = Stream::open(&app, &maya, None).await;
    app.post(
        "/api/v1/conversations/1/messages",
        &maya,
        json!({"client_id": "e1", "mode": "reply", "body": "first"}),
    )
    .await;
    let live = stream.take(10, Duration::from_millis(600)).await;
    // A resolved conversation also gets a "Session n started" system message first.
    assert_eq!(live.last().unwrap()["type"], "conversation_updated");
    assert!(
        live.iter()
            .any(|e| e["type"] == "message_created" && e["data"]["body"] == "first")
    );
    let last_seen = max_event_id(&live);
    drop(stream);

    app.post(
        "/api/v1/conversations/2/labels",
        &maya,
        json!({"label": "vip"}),
    )
    .await;
    app.post(
        "/api/v1/conversations/3/notes",
        &maya,
        json!({"body": "while away"}),
    )
    .await;
    app.post(
        "/api/v1/views",
        &maya,
        json!({"name": "Mine", "columns": []}),
    )
    .await;
    let missed: Vec<i64> = sqlx::query_scalar("SELECT id FROM events WHERE id > $1 ORDER BY id")
        .bind(last_seen)
        .fetch_all(&app.state.db)
        .await
        .unwrap();
    assert!(missed.len() >= 3);

    let mut resumed = Stream::open(&app, &maya, Some(last_seen)).await;
    let replayed = resumed
        .take(missed.len() + 1, Duration::from_millis(400))
        .await;
    let ids: Vec<i64> = replayed.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, missed, "exactly the missed events, in order");
    assert!(
        replayed
            .iter()
            .any(|e| e["type"] == "note_saved" && e["data"]["body"] == "while away")
    );
    // Live events continue after the replay without repeats.
    app.post(
        "/api/v1/conversations/4/messages",
        &maya,
        json!({"client_id": "e2", "mode": "note", "body": "live again"}),
    )
    .await;
    let after = resumed.take(2, Duration::from_secs(3)).await;
    assert!(
        after
            .iter()
            .all(|e| e["id"].as_i64().unwrap() > *missed.last().unwrap())
    );
    assert_eq!(after[0]["data"]["body"], "live again");

    // Also via the query parameter (EventSource cannot set headers on a fresh connection).
    let ticket = app
        .post("/api/v1/events/ticket", &maya, json!({}))
        .await
        .body["ticket"]
        .as_str()
        .unwrap()
        .to_string();
    let response = app
        .raw(
            Request::get(format!(
                "/api/v1/events?ticket={ticket}&last_event_id={last_seen}"
            ))
            .body(Body::empty())
            .unwrap(),
        )
        .await;
    let mut by_query = Stream {
        body: response.into_body(),
        buffer: String::new(),
    };
    let again = by_query
        .take(missed.len(), Duration::from_millis(400))
        .await;
    assert_eq!(
        again
            .iter()
            .map(|e| e["id"].as_i64().unwrap())
            .take(missed.len())
            .collect::<Vec<_>>(),
        missed
    );
}

#[tokio::test]
async fn unknown_resume_point_asks_for_resync() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let mut stream = Stream::open(&app, &maya, Some(999_999)).await;
    let events = stream.take(1, Duration::from_secs(2)).await;
    assert_eq!(events[0]["type"], "resync_required");
}

#[tokio::test]
async fn conversation_updates_carry_the_receivers_unread_count() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let jonas = app.sign_in("jonas").await;
    let support = app.conversation_of_team(&maya, "1", "none").await;
    app.call(
        axum::http::Method::POST,
        &format!("/api/v1/conversations/{support}/read"),
        Some(&jonas),
        None,
        &[],
    )
    .await;
    let mut stream = Stream::open(&app, &jonas, None).await;
    let token = app.inbound_token(&maya, "gw").await;
    let conv = app
        .get(&format!("/api/v1/conversations/{support}"), &maya)
        .await
        .body;
    let contact = conv["contact"]["identifier"].as_str().unwrap().to_string();
    let channel = conv["channel"].as_str().unwrap().to_string();
    let identifier: String = sqlx::query_scalar(
        "SELECT identifier FROM contact_channels WHERE contact_id = $1 AND channel = $2",
    )
    .bind(
        conv["contact"]["id"]
            .as_str()
            .unwrap()
            .parse::<i64>()
            .unwrap(),
    )
    .bind(&channel)
    .fetch_optional(&app.state.db)
    .await
    .unwrap()
    .unwrap_or(contact);
    let accepted = app
        .post(
            "/api/v1/inbound",
            &token,
            json!({"channel": channel, "from": identifier, "body": "ping"}),
        )
        .await;
    let id = accepted.body["conversation_id"]
        .as_str()
        .unwrap()
        .to_string();
    let events = stream.take(4, Duration::from_millis(800)).await;
    let update = events
        .iter()
        .rev()
        .find(|e| e["type"] == "conversation_updated" && e["data"]["id"] == id.as_str())
        .expect("update");
    let expected = app
        .get(&format!("/api/v1/conversations/{id}"), &jonas)
        .await
        .body["unread_count"]
        .clone();
    assert_eq!(update["data"]["unread_count"], expected);
}

#[tokio::test]
async fn agents_receive_no_events_of_conversations_they_cannot_see() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let jonas = app.sign_in("jonas").await;
    let billing = app.conversation_of_team(&maya, "3", "2").await;
    let support = app.conversation_of_team(&maya, "1", "none").await;
    let mut stream = Stream::open(&app, &jonas, None).await;
    app.post(
        &format!("/api/v1/conversations/{billing}/messages"),
        &maya,
        json!({"client_id": "b1", "mode": "note", "body": "secret"}),
    )
    .await;
    app.post(
        &format!("/api/v1/conversations/{billing}/notes"),
        &maya,
        json!({"body": "secret note"}),
    )
    .await;
    app.post(
        &format!("/api/v1/conversations/{billing}/labels"),
        &maya,
        json!({"label": "vip"}),
    )
    .await;
    app.post(
        &format!("/api/v1/conversations/{support}/messages"),
        &maya,
        json!({"client_id": "s1", "mode": "note", "body": "visible"}),
    )
    .await;
    let events = stream.take(20, Duration::from_millis(600)).await;
    assert!(!events.is_empty());
    for event in &events {
        let text = event.to_string();
        assert!(!text.contains("secret"), "{text}");
        let conversation = event["data"]["conversation_id"]
            .as_str()
            .or(event["data"]["id"].as_str());
        assert_ne!(conversation, Some(billing.as_str()), "{text}");
    }
    assert!(events.iter().any(|e| e["data"]["body"] == "visible"));
    // Nor on replay.
    let mut replay = Stream::open(&app, &jonas, Some(0)).await;
    let replayed = replay.take(100, Duration::from_millis(600)).await;
    assert!(replayed.iter().all(|e| !e.to_string().contains("secret")));
}

#[tokio::test]
async fn presence_heartbeats_are_announced() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let jonas = app.sign_in("jonas").await;
    let support = app.conversation_of_team(&maya, "1", "none").await;
    let mut stream = Stream::open(&app, &jonas, None).await;
    let path = format!("/api/v1/conversations/{support}/presence");
    assert_eq!(
        app.call(axum::http::Method::POST, &path, Some(&maya), None, &[])
            .await
            .status,
        204
    );
    // A repeated heartbeat changes nothing and emits nothing.
    app.call(axum::http::Method::POST, &path, Some(&maya), None, &[])
        .await;
    app.call(axum::http::Method::POST, &path, Some(&jonas), None, &[])
        .await;
    let events = stream.take(3, Duration::from_millis(600)).await;
    let presence: Vec<&Value> = events.iter().filter(|e| e["type"] == "presence").collect();
    assert_eq!(presence.len(), 2, "{events:?}");
    assert_eq!(
        presence[0]["data"],
        json!({"conversation_id": support, "agent_ids": ["1"]})
    );
    assert_eq!(presence[1]["data"]["agent_ids"], json!(["1", "2"]));
}

#[tokio::test]
async fn typing_is_announced_when_it_starts_stops_and_lapses() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let jonas = app.sign_in("jonas").await;
    let aiko = app.sign_in("aiko").await;
    let support = app.conversation_of_team(&maya, "1", "none").await;
    let mut stream = Stream::open(&app, &jonas, None).await;
    let path = format!("/api/v1/conversations/{support}/typing");
    let post = |token: String| {
        let (app, path) = (&app, path.clone());
        async move {
            app.call(axum::http::Method::POST, &path, Some(&token), None, &[])
                .await
        }
    };
    assert_eq!(post(maya.clone()).await.status, 204);
    // Keystrokes that keep it going emit nothing.
    post(maya.clone()).await;
    post(maya.clone()).await;
    let stop = app
        .call(axum::http::Method::DELETE, &path, Some(&maya), None, &[])
        .await;
    assert_eq!(stop.status, 204);
    // Stopping twice announces nothing the second time.
    app.call(axum::http::Method::DELETE, &path, Some(&maya), None, &[])
        .await;
    let events = stream.take(2, Duration::from_millis(600)).await;
    let presence: Vec<&Value> = events.iter().filter(|e| e["type"] == "presence").collect();
    assert_eq!(presence.len(), 2, "{events:?}");
    assert_eq!(
        presence[0]["data"],
        json!({"conversation_id": support, "agent_ids": ["1"], "typing_ids": ["1"]})
    );
    assert_eq!(
        presence[1]["data"],
        json!({"conversation_id": support, "agent_ids": ["1"]})
    );

    // Marks that stop lapse: the sweep announces it once.
    post(maya.clone()).await;
    sqlx::query("UPDATE presence SET typing_until_ms = 1")
        .execute(&app.state.db)
        .await
        .unwrap();
    convoroom_server::events::presence::sweep(&app.state)
        .await
        .unwrap();
    convoroom_server::events::presence::sweep(&app.state)
        .await
        .unwrap();
    let events = stream.take(2, Duration::from_millis(600)).await;
    let typing: Vec<&Value> = events
        .iter()
        .filter(|e| e["type"] == "presence")
        .map(|e| &e["data"])
        .collect();
    assert_eq!(typing.len(), 2, "{events:?}");
    assert_eq!(typing[0]["typing_ids"], json!(["1"]));
    assert!(typing[1].get("typing_ids").is_none(), "{typing:?}");

    // Another team's agent cannot mark, or learn of, the conversation.
    assert_error(&post(aiko.clone()).await, 404, "not_found");
}
