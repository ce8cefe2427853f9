//! Inbound delivery, contacts and saved views.

use crate::common;

use axum::http::Method;
use common::{TestApp, assert_error};
use serde_json::json;

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
    let token = app.inbound_token(&maya, "SMS gateway").await;
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

    // Session rule: resolve, then a customer message opens session 2 and reopens. (The
    // conversation went to the token's admin's first team, Billing, which asks for both.)
    let resolved = app
        .post(
            &format!("/api/v1/conversations/{id}/resolve"),
            &maya,
            json!({"disposition": "Information provided", "wrap_up_note": "Answered by SMS"}),
        )
        .await;
    assert_eq!(resolved.body["status"], "resolved", "{:?}", resolved.body);
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
        &app.patch(&path, &maya, None, json!({"city": "Malmö"}))
            .await,
        428,
        "precondition_required",
    );
    let updated = app
        .patch(
            &path,
            &maya,
            Some("1"),
            json!({"city": "Malmö", "attributes": {"plan": {"type": "list", "value": "Pro"}}}),
        )
        .await;
    assert_eq!(updated.status, 200, "{:?}", updated.body);
    assert_eq!(updated.body["attributes"]["plan"]["value"], "Pro");
    let bad = app
        .patch(
            &path,
            &maya,
            Some("2"),
            json!({"attributes": {"signup_date": {"type": "date", "value": "2023-02-30"}}}),
        )
        .await;
    assert_error(&bad, 400, "invalid_request");
    assert_eq!(bad.body["error"]["field"], "attributes.signup_date");
    let stale = app
        .patch(&path, &maya, Some("1"), json!({"city": "Oslo"}))
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
    let ids_of = |body: &serde_json::Value| -> Vec<String> {
        body.as_array()
            .unwrap()
            .iter()
            .map(|v| v["id"].as_str().unwrap().to_string())
            .collect()
    };
    // Every demo agent has seeded views of their own; the new one is Maya's only.
    assert!(ids_of(&app.get("/api/v1/views", &maya).await.body).contains(&id));
    let jonas_views = ids_of(&app.get("/api/v1/views", &jonas).await.body);
    assert!(!jonas_views.is_empty() && !jonas_views.contains(&id));
    let path = format!("/api/v1/views/{id}");
    let body = json!({"name": "Voice", "filter": {}, "columns": []});
    assert_error(
        &app.patch(&path, &jonas, Some("1"), body.clone()).await,
        404,
        "not_found",
    );
    assert_error(
        &app.patch(&path, &maya, None, body.clone()).await,
        428,
        "precondition_required",
    );
    assert_eq!(
        app.patch(&path, &maya, Some("1"), body.clone()).await.body["version"],
        2
    );
    assert_error(
        &app.patch(&path, &maya, Some("1"), body).await,
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

#[tokio::test]
async fn contact_input_is_refused_in_the_apps_own_words() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    for (body, field, words) in [
        (
            json!({"name": "Ana", "phone": "call me maybe"}),
            "phone",
            "isn't a phone number",
        ),
        (
            json!({"name": "Ana", "email": "ana@example"}),
            "email",
            "isn't an email address",
        ),
    ] {
        let refused = app.post("/api/v1/contacts", &maya, body).await;
        assert_error(&refused, 400, "invalid_request");
        assert_eq!(refused.body["error"]["field"], field);
        let message = refused.body["error"]["message"].as_str().unwrap();
        assert!(message.contains(words), "{message}");
    }
    // Accepted as typed, stored in international form.
    let created = app
        .post(
            "/api/v1/contacts",
            &maya,
            json!({"name": "Ana", "phone": "+34 600 123 456", "email": " ana@example.com "}),
        )
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    assert_eq!(created.body["phone"], "+34600123456");
    assert_eq!(created.body["email"], "ana@example.com");
    let path = format!("/api/v1/contacts/{}", created.body["id"].as_str().unwrap());
    let bad_phone = app
        .patch(&path, &maya, Some("1"), json!({"phone": "12"}))
        .await;
    assert_error(&bad_phone, 400, "invalid_request");
    assert_eq!(bad_phone.body["error"]["field"], "phone");

    // Priority is a conversation's, not a contact's label.
    let priority_label = app
        .patch(
            &path,
            &maya,
            Some("1"),
            json!({"labels": ["priority::high"]}),
        )
        .await;
    assert_error(&priority_label, 400, "invalid_request");
    assert_eq!(priority_label.body["error"]["field"], "labels");

    // The seeded lifetime value may not be negative: the definition says so, the server checks it.
    let definitions = app.get("/api/v1/attribute-definitions", &maya).await.body;
    let lifetime = definitions
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["key"] == "lifetime_value")
        .expect("the seeded definition")
        .clone();
    assert_eq!(lifetime["minimum"], 0.0);
    let negative = app
        .patch(
            &path,
            &maya,
            Some("1"),
            json!({"attributes": {"lifetime_value": {"type": "number", "value": -5}}}),
        )
        .await;
    assert_error(&negative, 400, "invalid_request");
    assert_eq!(negative.body["error"]["field"], "attributes.lifetime_value");
    assert!(
        negative.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("can't be less than 0"),
        "{:?}",
        negative.body
    );
}
