//! Messages, read markers, sticky notes, inbound delivery, contacts and saved views.

mod common;

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
        &app.call(
            Method::PATCH,
            &path,
            Some(&maya),
            Some(json!({"body": "x"})),
            &[],
        )
        .await,
        428,
        "precondition_required",
    );
    let updated = app
        .call(
            Method::PATCH,
            &path,
            Some(&maya),
            Some(json!({"body": "Call back Tuesday"})),
            &[("if-match", "1")],
        )
        .await;
    assert_eq!(updated.body["version"], 2);
    let stale = app
        .call(
            Method::PATCH,
            &path,
            Some(&maya),
            Some(json!({"body": "late"})),
            &[("if-match", "1")],
        )
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
        &app.call(
            Method::PATCH,
            "/api/v1/notes/abc",
            Some(&maya),
            Some(json!({"body": "x"})),
            &[("if-match", "1")],
        )
        .await,
        404,
        "not_found",
    );
}

#[tokio::test]
async fn inbound_creates_dedupes_and_starts_sessions() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let jonas = app.sign_in("jonas").await;
    assert_error(
        &app.post(
            "/api/v1/inbound",
            &jonas,
            json!({"channel": "sms", "from": "+1", "body": "x"}),
        )
        .await,
        403,
        "forbidden",
    );
    let token = app
        .post(
            "/api/v1/tokens",
            &maya,
            json!({"name": "SMS gateway", "scope": "inbound"}),
        )
        .await
        .body["token"]
        .as_str()
        .unwrap()
        .to_string();
    let message = json!({"channel": "sms", "from": "+4915112345678", "name": "Greta Kühn", "body": "Is my order shipped?", "external_id": "sms-1", "team_id": "3"});
    let first = app.post("/api/v1/inbound", &token, message.clone()).await;
    assert_eq!(first.status, 201, "{:?}", first.body);
    assert_eq!(first.body["new_conversation"], true);
    let id = first.body["conversation_id"].as_str().unwrap().to_string();
    let conv = app
        .get(&format!("/api/v1/conversations/{id}"), &maya)
        .await
        .body;
    assert_eq!(conv["contact"]["name"], "Greta Kühn");
    assert_eq!(conv["team_id"], "3");
    assert!(conv["lifecycle"]["waiting_since"].is_string());
    let duplicate = app.post("/api/v1/inbound", &token, message).await;
    assert_eq!(duplicate.status, 200);
    assert_eq!(duplicate.body["message_id"], first.body["message_id"]);
    assert_eq!(
        app.db_scalar_i64("SELECT COUNT(*) FROM messages WHERE external_id = 'sms:sms-1'")
            .await,
        1
    );
    let second = app
        .post(
            "/api/v1/inbound",
            &token,
            json!({"channel": "sms", "from": "+4915112345678", "body": "Hello?"}),
        )
        .await;
    assert_eq!(second.body["conversation_id"], id.as_str());
    assert_eq!(second.body["new_session"], false);

    // Session rule: resolve, then a customer message opens session 2 and reopens.
    let resolved = app
        .post(
            &format!("/api/v1/conversations/{id}/resolve"),
            &maya,
            json!({}),
        )
        .await;
    assert_eq!(resolved.body["status"], "resolved");
    let third = app
        .post(
            "/api/v1/inbound",
            &token,
            json!({"channel": "sms", "from": "+4915112345678", "body": "One more thing"}),
        )
        .await;
    assert_eq!(third.body["new_session"], true);
    assert_eq!(third.body["conversation_id"], id.as_str());
    assert_ne!(third.body["session_id"], first.body["session_id"]);
    let conv = app
        .get(&format!("/api/v1/conversations/{id}"), &maya)
        .await
        .body;
    assert_eq!(conv["status"], "open");
    let sessions = app
        .get(&format!("/api/v1/conversations/{id}/sessions"), &maya)
        .await
        .body;
    assert_eq!(sessions.as_array().unwrap().len(), 2);
    assert!(sessions[0]["ended_at"].is_string() && sessions[1].get("ended_at").is_none());
    let thread = app
        .get(&format!("/api/v1/conversations/{id}/messages"), &maya)
        .await
        .body;
    assert!(thread["items"].as_array().unwrap().iter().any(
        |m| m["kind"] == "system" && m["body"].as_str().unwrap().contains("Session 2 started")
    ));

    // Blocked contacts: dropped with 403, nothing stored.
    let before = app.db_scalar_i64("SELECT COUNT(*) FROM messages").await;
    let blocked_phone: String =
        sqlx::query_scalar("SELECT identifier FROM contact_channels WHERE contact_id = 3 LIMIT 1")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    let channel: String =
        sqlx::query_scalar("SELECT channel FROM contact_channels WHERE contact_id = 3 LIMIT 1")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    let dropped = app
        .post(
            "/api/v1/inbound",
            &token,
            json!({"channel": channel, "from": blocked_phone, "body": "spam spam"}),
        )
        .await;
    assert_error(&dropped, 403, "forbidden");
    assert_eq!(
        app.db_scalar_i64("SELECT COUNT(*) FROM messages").await,
        before
    );
    assert_error(
        &app.post(
            "/api/v1/inbound",
            &token,
            json!({"channel": "fax", "from": "1", "body": "x"}),
        )
        .await,
        400,
        "invalid_request",
    );
    let evil = app
        .post("/api/v1/inbound", &token, json!({"channel": "sms", "from": "+1", "body": "", "attachments": [{"kind": "file", "url": "javascript:alert(1)", "name": "x"}]}))
        .await;
    assert_error(&evil, 400, "invalid_request");
    assert_eq!(evil.body["error"]["field"], "attachments[0].url");
    let pasted = "word ".repeat(500);
    assert_eq!(
        app.get(
            &format!("/api/v1/conversations?q={}", pasted.replace(' ', "%20")),
            &maya
        )
        .await
        .status,
        200
    );
}

#[tokio::test]
async fn contacts_crud_history_and_attributes() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let page = app.get("/api/v1/contacts?limit=5", &maya).await;
    assert_eq!(page.body["items"].as_array().unwrap().len(), 5);
    let next = page.body["next_cursor"].as_str().unwrap();
    let page2 = app
        .get(&format!("/api/v1/contacts?limit=5&cursor={next}"), &maya)
        .await;
    assert_ne!(page2.body["items"][0]["id"], page.body["items"][0]["id"]);
    let created = app
        .post(
            "/api/v1/contacts",
            &maya,
            json!({"name": "Nora Lind", "phone": "+46701234567"}),
        )
        .await;
    assert_eq!(created.status, 201);
    let id = created.body["id"].as_str().unwrap().to_string();
    assert_eq!(
        app.get(&format!("/api/v1/contacts/{id}"), &maya).await.body["name"],
        "Nora Lind"
    );
    let path = format!("/api/v1/contacts/{id}");
    assert_error(
        &app.call(
            Method::PATCH,
            &path,
            Some(&maya),
            Some(json!({"city": "Malmö"})),
            &[],
        )
        .await,
        428,
        "precondition_required",
    );
    let updated = app
        .call(
            Method::PATCH,
            &path,
            Some(&maya),
            Some(
                json!({"city": "Malmö", "attributes": {"plan": {"type": "list", "value": "Pro"}}}),
            ),
            &[("if-match", "1")],
        )
        .await;
    assert_eq!(updated.status, 200, "{:?}", updated.body);
    assert_eq!(updated.body["attributes"]["plan"]["value"], "Pro");
    let bad = app
        .call(
            Method::PATCH,
            &path,
            Some(&maya),
            Some(json!({"attributes": {"signup_date": {"type": "date", "value": "2023-02-30"}}})),
            &[("if-match", "2")],
        )
        .await;
    assert_error(&bad, 400, "invalid_request");
    assert_eq!(bad.body["error"]["field"], "attributes.signup_date");
    let stale = app
        .call(
            Method::PATCH,
            &path,
            Some(&maya),
            Some(json!({"city": "Oslo"})),
            &[("if-match", "1")],
        )
        .await;
    assert_error(&stale, 409, "conflict");
    assert_eq!(stale.body["error"]["current"]["city"], "Malmö");
    assert_error(
        &app.get("/api/v1/contacts/abc", &maya).await,
        404,
        "not_found",
    );
    let history = app.get("/api/v1/contacts/1/conversations", &maya).await;
    assert!(
        history
            .body
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["contact"]["id"] == "1")
    );
    assert!(!history.body.as_array().unwrap().is_empty());
    let channel = history.body[0]["channel"].as_str().unwrap();
    let filtered = app
        .get(
            &format!("/api/v1/contacts/1/conversations?channel={channel}"),
            &maya,
        )
        .await;
    assert!(
        filtered
            .body
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["channel"] == channel)
    );
}

#[tokio::test]
async fn saved_views_are_private() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let jonas = app.sign_in("jonas").await;
    let created = app
        .post("/api/v1/views", &maya, json!({"name": "Urgent voice", "filter": {"channel": "voice", "status": "open"}, "columns": ["csat", "agent", "csat"]}))
        .await;
    assert_eq!(created.status, 201);
    assert_eq!(
        created.body["columns"],
        json!(["conversation_id", "csat", "agent"])
    );
    let id = created.body["id"].as_str().unwrap().to_string();
    assert_eq!(
        app.get("/api/v1/views", &maya)
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        app.get("/api/v1/views", &jonas)
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let path = format!("/api/v1/views/{id}");
    let body = json!({"name": "Voice", "filter": {}, "columns": []});
    assert_error(
        &app.call(
            Method::PATCH,
            &path,
            Some(&jonas),
            Some(body.clone()),
            &[("if-match", "1")],
        )
        .await,
        404,
        "not_found",
    );
    assert_error(
        &app.call(Method::PATCH, &path, Some(&maya), Some(body.clone()), &[])
            .await,
        428,
        "precondition_required",
    );
    assert_eq!(
        app.call(
            Method::PATCH,
            &path,
            Some(&maya),
            Some(body.clone()),
            &[("if-match", "1")]
        )
        .await
        .body["version"],
        2
    );
    assert_error(
        &app.call(
            Method::PATCH,
            &path,
            Some(&maya),
            Some(body),
            &[("if-match", "1")],
        )
        .await,
        409,
        "conflict",
    );
    assert_eq!(
        app.call(Method::DELETE, &path, Some(&maya), None, &[])
            .await
            .status,
        204
    );
}
