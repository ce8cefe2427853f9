//! Messages, read markers, sticky notes, inbound delivery, contacts and saved views.

use crate::common;

use axum::http::Method;
use common::{TestApp, assert_error};
use serde_json::json;

#[tokio::test]
async fn messages_page_send_idempotently_and_read() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let first = app
        .get("/api/v1/conversations/6/messages?limit=3", &maya)
        .await;
    assert_eq!(first.body["items"].as_array().unwrap().len(), 3);
    let cursor = first.body["next_cursor"].as_str().unwrap();
    let second = app
        .get(
            &format!("/api/v1/conversations/6/messages?limit=3&before={cursor}"),
            &maya,
        )
        .await;
    let a: i64 = first.body["items"][2]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let b: i64 = second.body["items"][0]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(b < a, "newest first, older on the next page");
    assert_error(
        &app.get("/api/v1/conversations/6/messages?before=xyz", &maya)
            .await,
        400,
        "invalid_request",
    );

    let body = json!({"client_id": "abc-1", "mode": "reply", "body": "<img src=x onerror=alert(1)> hello"});
    let sent = app
        .post("/api/v1/conversations/6/messages", &maya, body.clone())
        .await;
    assert_eq!(sent.status, 201);
    assert_eq!(sent.body["body"], "<img src=x onerror=alert(1)> hello");
    assert_eq!(sent.body["client_id"], "abc-1");
    let again = app
        .post("/api/v1/conversations/6/messages", &maya, body)
        .await;
    assert_eq!(again.status, 200);
    assert_eq!(again.body["id"], sent.body["id"]);
    let count = app
        .db_scalar_i64("SELECT COUNT(*) FROM messages WHERE client_id = 'abc-1'")
        .await;
    assert_eq!(count, 1);
    let note = app
        .post(
            "/api/v1/conversations/6/messages",
            &maya,
            json!({"client_id": "n-1", "mode": "note", "body": "internal"}),
        )
        .await;
    assert_eq!(note.body["kind"], "note");
    let big = "x".repeat(100 * 1024);
    let large = app
        .post(
            "/api/v1/conversations/6/messages",
            &maya,
            json!({"client_id": "big", "mode": "reply", "body": big}),
        )
        .await;
    assert_eq!(large.status, 201, "100 KB messages are accepted");
    let huge = "y".repeat(1024 * 1024 + 10);
    let too_big = app
        .post(
            "/api/v1/conversations/6/messages",
            &maya,
            json!({"client_id": "huge", "mode": "reply", "body": huge}),
        )
        .await;
    assert_error(&too_big, 413, "payload_too_large");
    assert_error(
        &app.post(
            "/api/v1/conversations/6/messages",
            &maya,
            json!({"client_id": "e", "mode": "reply", "body": "  "}),
        )
        .await,
        400,
        "invalid_request",
    );
    assert_error(
        &app.post(
            "/api/v1/conversations/6/messages",
            &maya,
            json!({"client_id": "e", "mode": "shout", "body": "hi"}),
        )
        .await,
        400,
        "invalid_request",
    );
    let malformed = app
        .raw(
            axum::http::Request::post("/api/v1/conversations/6/messages")
                .header("authorization", format!("Bearer {maya}"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from("{\"client_id\": "))
                .unwrap(),
        )
        .await;
    assert_eq!(malformed.status(), 400);
    assert_eq!(malformed.headers()["content-type"], "application/json");

    app.post(
        "/api/v1/inbound",
        &maya,
        json!({"channel": "whatsapp", "from": "+15550001111", "body": "first"}),
    )
    .await;
    let conv = app
        .get("/api/v1/conversations?q=15550001111", &maya)
        .await
        .body["items"][0]
        .clone();
    assert_eq!(conv["unread_count"], 1);
    let id = conv["id"].as_str().unwrap();
    let read = app
        .call(
            Method::POST,
            &format!("/api/v1/conversations/{id}/read"),
            Some(&maya),
            None,
            &[],
        )
        .await;
    assert_eq!(read.status, 204);
    assert_eq!(
        app.get(&format!("/api/v1/conversations/{id}"), &maya)
            .await
            .body["unread_count"],
        0
    );
}

#[tokio::test]
async fn replies_to_blocked_contacts_are_refused() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    // Contact 3 is the demo's blocked contact; conversation 3 belongs to it.
    let conv = app.get("/api/v1/conversations/3", &maya).await;
    assert_eq!(conv.body["access"]["blocked"], true);
    let reply = app
        .post(
            "/api/v1/conversations/3/messages",
            &maya,
            json!({"client_id": "b", "mode": "reply", "body": "hi"}),
        )
        .await;
    assert_error(&reply, 403, "forbidden");
    assert!(
        reply.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("blocked")
    );
    let note = app
        .post(
            "/api/v1/conversations/3/messages",
            &maya,
            json!({"client_id": "b2", "mode": "note", "body": "fyi"}),
        )
        .await;
    assert_eq!(note.status, 201, "notes stay possible");
}

#[tokio::test]
async fn sticky_notes_crud_with_if_match() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let created = app
        .post(
            "/api/v1/conversations/2/notes",
            &maya,
            json!({"body": "Call back Monday"}),
        )
        .await;
    assert_eq!(created.status, 201);
    let id = created.body["id"].as_str().unwrap().to_string();
    assert!(
        app.get("/api/v1/conversations/2/notes", &maya)
            .await
            .body
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["id"] == id.as_str())
    );
    let path = format!("/api/v1/notes/{id}");
    assert_error(
        &app.patch(&path, &maya, None, json!({"body": "x"})).await,
        428,
        "precondition_required",
    );
    let updated = app
        .patch(
            &path,
            &maya,
            Some("1"),
            json!({"body": "Call back Tuesday"}),
        )
        .await;
    assert_eq!(updated.body["version"], 2);
    let stale = app
        .patch(&path, &maya, Some("1"), json!({"body": "late"}))
        .await;
    assert_error(&stale, 409, "conflict");
    assert_eq!(stale.body["error"]["current"]["body"], "Call back Tuesday");
    assert_eq!(
        app.call(Method::DELETE, &path, Some(&maya), None, &[])
            .await
            .status,
        204
    );
    assert_error(
        &app.call(Method::DELETE, &path, Some(&maya), None, &[])
            .await,
        404,
        "not_found",
    );
    assert_error(
        &app.patch("/api/v1/notes/abc", &maya, Some("1"), json!({"body": "x"}))
            .await,
        404,
        "not_found",
    );
}

#[tokio::test]
async fn search_finds_text_in_the_whole_history_whatever_its_case() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let aiko = app.sign_in("aiko").await;
    let id = app.conversation_of_team(&maya, "1", "none").await;
    let send = |body: &'static str, mode: &'static str, n: u32| {
        let (app, maya, id) = (&app, maya.clone(), id.clone());
        async move {
            app.post(
                &format!("/api/v1/conversations/{id}/messages"),
                &maya,
                json!({"client_id": format!("search-{n}"), "mode": mode, "body": body}),
            )
            .await
            .body["id"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let first = send("Die Lieferung kommt ÜBERMORGEN", "reply", 1).await;
    let second = send("note: übermorgen passt", "note", 2).await;
    send("Something else entirely", "reply", 3).await;
    let path = format!("/api/v1/conversations/{id}/messages/search?q=%C3%BCbermorgen");
    let found = app.get(&path, &maya).await;
    assert_eq!(found.status, 200, "{:?}", found.body);
    assert_eq!(found.body, json!({"ids": [first, second], "total": 2}));

    // Resolving adds a system message with "Resolved by": system text is not searched.
    app.post(
        &format!("/api/v1/conversations/{id}/resolve"),
        &maya,
        serde_json::Value::Null,
    )
    .await;
    let system = app
        .get(
            &format!("/api/v1/conversations/{id}/messages/search?q=resolved%20by"),
            &maya,
        )
        .await;
    assert_eq!(system.body["total"], 0, "{:?}", system.body);

    let empty = app
        .get(
            &format!("/api/v1/conversations/{id}/messages/search?q=%20"),
            &maya,
        )
        .await;
    assert_eq!(empty.status, 400);
    assert_eq!(empty.body["error"]["field"], "q");
    assert_error(&app.get(&path, &aiko).await, 404, "not_found");
}
