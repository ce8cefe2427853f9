//! Internal notes are one thing: a note written in the composer or in the details panel is the
//! same `kind: note` message of the thread, listed by the Notes endpoints, editable and
//! deletable there, and every change reaches both the thread and the Notes section.

use crate::common;

use axum::http::Method;
use common::sse::Stream;
use common::{TestApp, assert_error};
use serde_json::{Value, json};
use std::time::Duration;

async fn thread(app: &TestApp, token: &str, conversation: &str) -> Vec<Value> {
    app.get(
        &format!("/api/v1/conversations/{conversation}/messages?limit=200"),
        token,
    )
    .await
    .body["items"]
        .as_array()
        .expect("a page")
        .clone()
}

async fn notes(app: &TestApp, token: &str, conversation: &str) -> Vec<Value> {
    app.get(
        &format!("/api/v1/conversations/{conversation}/notes"),
        token,
    )
    .await
    .body
    .as_array()
    .expect("notes")
    .clone()
}

fn types(events: &[Value]) -> Vec<&str> {
    events
        .iter()
        .map(|e| e["type"].as_str().unwrap_or(""))
        .collect()
}

#[tokio::test]
async fn a_note_is_one_thing_wherever_it_was_written() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let mut live = Stream::open(&app, &maya, None).await;

    // Written in the composer: in the thread and in the Notes list, told to both.
    let composed = app
        .post(
            "/api/v1/conversations/4/messages",
            &maya,
            json!({"client_id": "note-1", "mode": "note", "body": "Refund approved by billing"}),
        )
        .await;
    assert_eq!(composed.status, 201);
    let composed_id = composed.body["id"].as_str().unwrap().to_string();
    assert!(
        notes(&app, &maya, "4")
            .await
            .iter()
            .any(|n| n["id"] == composed_id.as_str())
    );
    let told = live.take(3, Duration::from_millis(400)).await;
    let told = types(&told);
    assert!(
        told.contains(&"message_created") && told.contains(&"note_saved"),
        "{told:?}"
    );

    // Written in the panel: a note message of the thread, in the current session.
    let pinned = app
        .post(
            "/api/v1/conversations/4/notes",
            &maya,
            json!({"body": "Customer prefers email"}),
        )
        .await;
    assert_eq!(pinned.status, 201);
    let pinned_id = pinned.body["id"].as_str().unwrap().to_string();
    let in_thread = thread(&app, &maya, "4").await;
    let message = in_thread
        .iter()
        .find(|m| m["id"] == pinned_id.as_str())
        .expect("the panel's note is in the thread");
    assert_eq!(message["kind"], "note");
    assert_eq!(message["body"], "Customer prefers email");
    assert!(
        message["session_id"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
    assert!(message.get("edited_at").is_none());
    let row = app.get("/api/v1/conversations/4", &maya).await.body;
    assert_eq!(row["last_message"]["text"], "Customer prefers email");
    let told = types(&live.take(3, Duration::from_millis(400)).await).join(" ");
    assert!(
        told.contains("message_created") && told.contains("note_saved"),
        "{told}"
    );

    // Edited in the panel: the thread shows the new text, marked edited.
    let path = format!("/api/v1/notes/{composed_id}");
    let edited = app
        .patch(
            &path,
            &maya,
            Some("1"),
            json!({"body": "Refund approved by Luis"}),
        )
        .await;
    assert_eq!(edited.status, 200);
    assert_eq!(edited.body["version"], 2);
    let message = thread(&app, &maya, "4")
        .await
        .into_iter()
        .find(|m| m["id"] == composed_id.as_str())
        .unwrap();
    assert_eq!(message["body"], "Refund approved by Luis");
    assert!(message["edited_at"].as_str().is_some());
    let told = live.take(2, Duration::from_millis(400)).await;
    assert_eq!(types(&told), ["message_updated", "note_saved"]);
    assert_eq!(told[0]["data"]["body"], "Refund approved by Luis");

    // Deleted: gone from both, the list row falls back to the message before it.
    let sessions_before = app
        .get("/api/v1/conversations/4/sessions", &maya)
        .await
        .body;
    let count = |sessions: &Value| -> i64 {
        sessions
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["message_count"].as_i64().unwrap())
            .sum()
    };
    let path = format!("/api/v1/notes/{pinned_id}");
    assert_eq!(
        app.call(Method::DELETE, &path, Some(&maya), None, &[])
            .await
            .status,
        204
    );
    assert!(
        !thread(&app, &maya, "4")
            .await
            .iter()
            .any(|m| m["id"] == pinned_id.as_str())
    );
    assert!(
        !notes(&app, &maya, "4")
            .await
            .iter()
            .any(|n| n["id"] == pinned_id.as_str())
    );
    let sessions_after = app
        .get("/api/v1/conversations/4/sessions", &maya)
        .await
        .body;
    assert_eq!(count(&sessions_after), count(&sessions_before) - 1);
    let row = app.get("/api/v1/conversations/4", &maya).await.body;
    assert_eq!(row["last_message"]["text"], "Refund approved by Luis");
    let told = types(&live.take(3, Duration::from_millis(400)).await).join(" ");
    assert!(
        told.contains("message_deleted") && told.contains("note_deleted"),
        "{told}"
    );

    // Only notes change: a reply is not a note.
    let reply = app
        .post(
            "/api/v1/conversations/4/messages",
            &maya,
            json!({"client_id": "reply-1", "mode": "reply", "body": "On it"}),
        )
        .await;
    let reply_path = format!("/api/v1/notes/{}", reply.body["id"].as_str().unwrap());
    assert_error(
        &app.patch(&reply_path, &maya, Some("1"), json!({"body": "x"}))
            .await,
        404,
        "not_found",
    );
}

#[tokio::test]
async fn a_note_longer_than_the_app_allows_is_refused_in_its_words_either_way() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let long = "x".repeat(convoroom_api::validate::NOTE_MAX_CHARS + 1);
    let words = convoroom_api::validate::note(&long).unwrap_err();
    for refused in [
        app.post(
            "/api/v1/conversations/4/notes",
            &maya,
            json!({"body": long}),
        )
        .await,
        app.post(
            "/api/v1/conversations/4/messages",
            &maya,
            json!({"client_id": "long-note", "mode": "note", "body": long}),
        )
        .await,
    ] {
        assert_error(&refused, 400, "invalid_request");
        assert_eq!(refused.body["error"]["message"], words.as_str());
        assert_eq!(refused.body["error"]["field"], "body");
    }
    // A reply may be longer: only notes have the note limit.
    let reply = app
        .post(
            "/api/v1/conversations/4/messages",
            &maya,
            json!({"client_id": "long-reply", "mode": "reply", "body": long}),
        )
        .await;
    assert_eq!(reply.status, 201);
}
