//! The notification centre (issue #23): mentions in notes notify the agents named who can
//! see the conversation, once per note; assignments and customer messages notify the
//! assignee, one unread notification per conversation and kind; nothing notifies an agent
//! of their own action; switched-off kinds are not recorded; opening the conversation reads
//! them; events reach the agent alone.

use crate::common;

use common::sse::Stream;
use common::{TestApp, assert_error};
use serde_json::{Value, json};
use std::time::Duration;

const LIST: &str = "/api/v1/notifications";

fn kinds(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap().to_string())
        .collect()
}

fn of_type<'a>(events: &'a [Value], kind: &str) -> Vec<&'a Value> {
    events.iter().filter(|e| e["type"] == kind).collect()
}

#[tokio::test]
async fn a_note_notifies_the_agents_it_mentions_who_can_see_the_conversation_once() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let jonas = app.sign_in("jonas").await;
    let aiko = app.sign_in("aiko").await;
    // Support's conversation: Maya (admin) and Jonas see it, Aiko (Sales) does not.
    let id = app.conversation_of_team(&maya, "1", "3").await;
    let notes = format!("/api/v1/conversations/{id}/notes");
    let note = app
        .post(
            &notes,
            &jonas,
            json!({"body": "@maya patel can you check? cc @Aiko Tanaka @Jonas Weber"}),
        )
        .await;
    assert_eq!(note.status, 201, "{:?}", note.body);

    let listed = app.get(LIST, &maya).await.body;
    assert_eq!(kinds(&listed), ["mention"]);
    assert_eq!(listed["unread"], 1);
    let first = &listed["items"][0];
    assert_eq!(first["conversation_id"], id.as_str());
    assert_eq!(first["actor_id"], "2");
    assert_eq!(first["message_id"], note.body["id"]);
    assert_eq!(first["read"], false);
    assert!(
        first["preview"]
            .as_str()
            .unwrap()
            .starts_with("@maya patel")
    );
    // Not Aiko, who cannot see it; not Jonas, who wrote it.
    assert_eq!(app.get(LIST, &aiko).await.body["unread"], 0);
    assert_eq!(app.get(LIST, &jonas).await.body["unread"], 0);

    // Editing the note does not notify again.
    let edited = app
        .patch(
            &format!("/api/v1/notes/{}", note.body["id"].as_str().unwrap()),
            &jonas,
            Some("1"),
            json!({"body": "@Maya Patel can you check this one?"}),
        )
        .await;
    assert_eq!(edited.status, 200, "{:?}", edited.body);
    assert_eq!(app.get(LIST, &maya).await.body["unread"], 1);

    // The Mentions list: unread mentions; opening the conversation reads them.
    let mentions = format!("{LIST}?kind=mention&unread=true");
    assert_eq!(kinds(&app.get(&mentions, &maya).await.body), ["mention"]);
    let read = app
        .post(
            &format!("/api/v1/conversations/{id}/read"),
            &maya,
            Value::Null,
        )
        .await;
    assert_eq!(read.status, 204);
    assert!(kinds(&app.get(&mentions, &maya).await.body).is_empty());
    let after = app.get(LIST, &maya).await.body;
    assert_eq!(after["unread"], 0);
    assert_eq!(after["items"][0]["read"], true);

    // A note from the composer mentions too.
    let composed = app
        .post(
            &format!("/api/v1/conversations/{id}/messages"),
            &jonas,
            json!({"client_id": "n-1", "mode": "note", "body": "Thanks @Maya Patel."}),
        )
        .await;
    assert_eq!(composed.status, 201, "{:?}", composed.body);
    assert_eq!(app.get(LIST, &maya).await.body["unread"], 1);

    // Switched off: not recorded at all.
    let prefs = json!({"assigned": true, "message": true, "mention": false, "waiting": true, "sound": true});
    let saved = app
        .patch(
            "/api/v1/me",
            &maya,
            None,
            json!({"notification_prefs": prefs}),
        )
        .await;
    assert_eq!(saved.status, 200, "{:?}", saved.body);
    assert_eq!(
        app.get("/api/v1/workspace", &maya).await.body["notification_prefs"],
        prefs
    );
    app.post(&notes, &jonas, json!({"body": "@Maya Patel once more"}))
        .await;
    assert_eq!(app.get(LIST, &maya).await.body["unread"], 1);
    // Every other agent still has the defaults: every kind, no sound.
    assert_eq!(
        app.get("/api/v1/workspace", &jonas).await.body["notification_prefs"],
        json!({"assigned": true, "message": true, "mention": true, "waiting": true, "sound": false})
    );
}

#[tokio::test]
async fn the_assignee_hears_of_assignments_and_customer_messages_once_per_conversation() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let jonas = app.sign_in("jonas").await;
    let token = app.inbound_token(&maya, "SMS gateway").await;
    let message = |text: &str| json!({"channel": "sms", "from": "+4915112345678", "name": "Greta Kühn", "body": text, "team_id": "1"});
    let first = app
        .post("/api/v1/inbound", &token, message("Is my order shipped?"))
        .await;
    let id = first.body["conversation_id"].as_str().unwrap().to_string();
    let mut jonas_events = Stream::open(&app, &jonas, None).await;
    let mut maya_events = Stream::open(&app, &maya, None).await;

    let assignee = format!("/api/v1/conversations/{id}/assignee");
    let assigned = app.put(&assignee, &maya, json!({"assignee_id": "2"})).await;
    assert_eq!(assigned.status, 200, "{:?}", assigned.body);
    let listed = app.get(LIST, &jonas).await.body;
    assert_eq!(kinds(&listed), ["assigned"]);
    assert_eq!(listed["items"][0]["actor_id"], "1");
    assert_eq!(listed["items"][0]["preview"], "SMS");
    assert_eq!(listed["items"][0]["contact_name"], "Greta Kühn");

    // Two customer messages: one unread notification, showing the latest.
    for text in ["Hello?", "Anyone there?"] {
        let sent = app.post("/api/v1/inbound", &token, message(text)).await;
        assert_eq!(sent.status, 201, "{:?}", sent.body);
    }
    let listed = app.get(LIST, &jonas).await.body;
    assert_eq!(kinds(&listed), ["message", "assigned"]);
    assert_eq!(listed["unread"], 2);
    assert_eq!(listed["items"][0]["preview"], "Anyone there?");

    let events = jonas_events
        .take_until(Duration::from_secs(3), |e| {
            e["type"] == "notification_created" && e["data"]["preview"] == "Anyone there?"
        })
        .await;
    let created = of_type(&events, "notification_created");
    assert_eq!(created.len(), 3, "{events:?}");
    // The refreshed one keeps its id: the app replaces it rather than counting it twice.
    assert_eq!(created[1]["data"]["id"], created[2]["data"]["id"]);

    // Reading all of them tells Jonas's other tabs which.
    assert_eq!(
        app.post(&format!("{LIST}/read"), &jonas, json!({}))
            .await
            .status,
        204
    );
    assert_eq!(app.get(LIST, &jonas).await.body["unread"], 0);
    let events = jonas_events
        .take_until(Duration::from_secs(3), |e| {
            e["type"] == "notifications_read"
        })
        .await;
    let read = of_type(&events, "notifications_read");
    assert_eq!(read.len(), 1, "{events:?}");
    assert_eq!(read[0]["data"]["ids"].as_array().unwrap().len(), 2);

    // A read notification is not refreshed: the next message is a new one.
    app.post("/api/v1/inbound", &token, message("Hello again"))
        .await;
    assert_eq!(
        app.get(LIST, &jonas).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    // Assigning oneself notifies no one; nor did Maya's stream carry Jonas's notifications.
    app.put(&assignee, &maya, json!({"assignee_id": "1"})).await;
    assert_eq!(app.get(LIST, &maya).await.body["unread"], 0);
    let maya_saw = maya_events.take(50, Duration::from_millis(500)).await;
    assert!(
        of_type(&maya_saw, "notification_created").is_empty(),
        "{maya_saw:?}"
    );
    assert!(of_type(&maya_saw, "notifications_read").is_empty());
}

#[tokio::test]
async fn bad_requests_are_refused_with_the_field() {
    let app = TestApp::new().await;
    let jonas = app.sign_in("jonas").await;
    let refused = app
        .post(&format!("{LIST}/read"), &jonas, json!({"ids": ["x"]}))
        .await;
    assert_error(&refused, 400, "invalid_request");
    assert_eq!(refused.body["error"]["field"], "ids");
    assert_eq!(
        app.get(&format!("{LIST}?kind=bogus"), &jonas).await.status,
        400
    );
    assert_eq!(app.get(LIST, "not-a-token").await.status, 401);
    // Another agent's ids are not touched: nothing of theirs is read.
    assert_eq!(
        app.post(&format!("{LIST}/read"), &jonas, json!({"ids": ["1", "2"]}))
            .await
            .status,
        204
    );
}

#[tokio::test]
async fn a_customer_waiting_past_the_team_threshold_alerts_once_per_wait() {
    use convoroom_server::notifications::waiting::alert_due;
    let in_minutes = |m: i64| time::OffsetDateTime::now_utc() + time::Duration::minutes(m);
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let jonas = app.sign_in("jonas").await;
    let aiko = app.sign_in("aiko").await;
    let refused = app
        .patch(
            "/api/v1/teams/1",
            &maya,
            None,
            json!({"waiting_alert_minutes": 0}),
        )
        .await;
    assert_eq!(refused.body["error"]["field"], "waiting_alert_minutes");
    let team = app
        .patch(
            "/api/v1/teams/1",
            &maya,
            None,
            json!({"waiting_alert_minutes": 10}),
        )
        .await;
    assert_eq!(team.body["waiting_alert_minutes"], 10, "{:?}", team.body);

    let token = app.inbound_token(&maya, "SMS").await;
    let message = |text: &str| json!({"channel": "sms", "from": "+4915112340000", "name": "Ola Nordmann", "body": text, "team_id": "1"});
    let id = app
        .post("/api/v1/inbound", &token, message("Hello?"))
        .await
        .body["conversation_id"]
        .as_str()
        .unwrap()
        .to_string();
    let waiting_for = |list: &Value| {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["kind"] == "waiting" && n["conversation_id"] == id.as_str())
            .count()
    };
    let all = format!("{LIST}?limit=200");
    alert_due(&app.state, in_minutes(9)).await.unwrap();
    assert_eq!(waiting_for(&app.get(&all, &jonas).await.body), 0);
    alert_due(&app.state, in_minutes(11)).await.unwrap();
    // Unassigned: every agent of Support (Maya is in every team), not Aiko (Sales).
    let jonas_list = app.get(&all, &jonas).await.body;
    assert_eq!(waiting_for(&jonas_list), 1);
    assert_eq!(waiting_for(&app.get(&all, &maya).await.body), 1);
    assert_eq!(waiting_for(&app.get(&all, &aiko).await.body), 0);
    let alert = jonas_list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "waiting" && n["conversation_id"] == id.as_str())
        .unwrap()
        .clone();
    assert_eq!(alert["preview"], "Waiting more than 10 min for a reply");
    assert_eq!(alert["contact_name"], "Ola Nordmann");
    // The same wait does not alert again.
    alert_due(&app.state, in_minutes(30)).await.unwrap();
    assert_eq!(waiting_for(&app.get(&all, &jonas).await.body), 1);

    // A reply ends the wait; the customer writing again starts a new one, and now the
    // conversation is Jonas's: only he hears of it.
    app.put(
        &format!("/api/v1/conversations/{id}/assignee"),
        &maya,
        json!({"assignee_id": "2"}),
    )
    .await;
    let replied = app
        .post(
            &format!("/api/v1/conversations/{id}/messages"),
            &jonas,
            json!({"client_id": "w-1", "mode": "reply", "body": "Hi Ola, looking now."}),
        )
        .await;
    assert_eq!(replied.status, 201, "{:?}", replied.body);
    app.post("/api/v1/inbound", &token, message("Still there?"))
        .await;
    app.post(&format!("{LIST}/read"), &jonas, json!({})).await;
    app.post(&format!("{LIST}/read"), &maya, json!({})).await;
    alert_due(&app.state, in_minutes(11)).await.unwrap();
    let unread_waiting = |list: &Value| {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| {
                n["kind"] == "waiting" && n["conversation_id"] == id.as_str() && n["read"] == false
            })
            .count()
    };
    assert_eq!(unread_waiting(&app.get(&all, &jonas).await.body), 1);
    assert_eq!(unread_waiting(&app.get(&all, &maya).await.body), 0);
}
