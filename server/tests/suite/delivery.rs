//! Replies reach the customer (issue #15), against a real local HTTP receiver: every reply is
//! queued with the message, POSTed signed to the integration's webhook, retried on 500,
//! timeouts, refused connections and 429 (its Retry-After honoured), failed at once on other
//! 4xx and after the retry window; order per conversation; pause and resume; receipts that
//! never move a status backwards; Retry with the same idempotency key.
//!
//! The worker is run by hand (`worker::run`) so each step is deterministic; the process test
//! in `delivery_restart.rs` runs it as the server does.

use crate::common;

use axum::http::Method;
use common::receiver::{Receiver, Scripted};
use common::{TestApp, assert_error};
use convoroom_server::delivery::worker;
use serde_json::{Value, json};
use std::time::Duration;

async fn app() -> TestApp {
    TestApp::with(|config| {
        config.delivery_retry_base_ms = 40;
        config.delivery_timeout_ms = 400;
        config.delivery_max_age_secs = 60;
    })
    .await
}

struct Setup {
    admin: String,
    integration: Value,
    receiver: Receiver,
}

async fn integration(app: &TestApp, channels: &[&str]) -> Setup {
    let admin = app.sign_in("maya").await;
    let receiver = Receiver::start();
    let created = app
        .post(
            "/api/v1/integrations",
            &admin,
            json!({"name": "WhatsApp bridge", "channels": channels, "webhook_url": receiver.url}),
        )
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    receiver.set_secret(created.body["signing_secret"].as_str().unwrap());
    Setup {
        admin,
        integration: created.body,
        receiver,
    }
}

/// A new WhatsApp conversation from `from`; returns its id.
async fn conversation(app: &TestApp, admin: &str, from: &str) -> String {
    let accepted = app
        .post(
            "/api/v1/inbound",
            admin,
            json!({"channel": "whatsapp", "from": from, "name": "Ana", "body": "Hello?"}),
        )
        .await;
    assert_eq!(accepted.status, 201, "{:?}", accepted.body);
    accepted.body["conversation_id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn reply(app: &TestApp, token: &str, conversation: &str, body: &str) -> Value {
    let sent = app
        .post(
            &format!("/api/v1/conversations/{conversation}/messages"),
            token,
            json!({"client_id": format!("c-{body}"), "mode": "reply", "body": body}),
        )
        .await;
    assert_eq!(sent.status, 201, "{:?}", sent.body);
    sent.body
}

async fn message(app: &TestApp, token: &str, conversation: &str, id: &str) -> Value {
    let page = app
        .get(
            &format!("/api/v1/conversations/{conversation}/messages?limit=100"),
            token,
        )
        .await;
    page.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .cloned()
        .unwrap()
}

async fn patch(
    app: &TestApp,
    path: &str,
    token: &str,
    body: Value,
    version: Option<i64>,
) -> common::Reply {
    let version = version.map(|v| v.to_string());
    app.patch(path, token, version.as_deref(), body).await
}

async fn run(app: &TestApp) -> usize {
    worker::run(&app.state).await.expect("a delivery round")
}

/// Runs the worker until `done` or two seconds passed (retries wait their backoff).
async fn run_until(app: &TestApp, mut done: impl AsyncFnMut() -> bool) {
    for _ in 0..100 {
        run(app).await;
        if done().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("not done after two seconds of delivery rounds");
}

#[tokio::test]
async fn replies_are_signed_delivered_and_receipts_only_move_forward() {
    let app = app().await;
    let s = integration(&app, &["whatsapp"]).await;
    let token = s.integration["inbound_token"].as_str().unwrap().to_string();
    // Secrets are shown once.
    let listed = app.get("/api/v1/integrations", &s.admin).await;
    assert_eq!(listed.status, 200);
    assert!(listed.body[0].get("signing_secret").is_none());
    assert!(listed.body[0].get("inbound_token").is_none());
    let workspace = app.get("/api/v1/workspace", &s.admin).await;
    assert_eq!(workspace.body["delivered_channels"], json!(["whatsapp"]));

    let conversation = conversation(&app, &s.admin, "+15550001").await;
    let sent = reply(&app, &s.admin, &conversation, "Your order ships today").await;
    assert_eq!(sent["delivery"], "pending");
    assert_eq!(run(&app).await, 1);
    let received = s.receiver.received();
    assert_eq!(received.len(), 1);
    let hook = &received[0];
    assert!(hook.signature_ok, "the signature verifies with the secret");
    assert_eq!(hook.event, "message.created");
    assert_eq!(hook.body["type"], "message.created");
    assert_eq!(hook.body["idempotency_key"], hook.key.as_str());
    assert_eq!(hook.body["message"]["id"], sent["id"]);
    assert_eq!(hook.body["message"]["body"], "Your order ships today");
    assert_eq!(hook.body["message"]["author_name"], "Maya Patel");
    assert_eq!(hook.body["conversation"]["channel"], "whatsapp");
    assert_eq!(hook.body["contact"]["identifier"], "+15550001");
    let id = sent["id"].as_str().unwrap();
    assert_eq!(
        message(&app, &s.admin, &conversation, id).await["delivery"],
        "sent"
    );

    // The receiver answered external_id "ext-1": receipts may name the reply by it.
    let receipt = |status: &str| json!({"external_id": "ext-1", "status": status});
    let read = app
        .post("/api/v1/deliveries", &token, receipt("read"))
        .await;
    assert_eq!(read.status, 200, "{:?}", read.body);
    assert_eq!(read.body["delivery"], "read");
    let late = app
        .post("/api/v1/deliveries", &token, receipt("delivered"))
        .await;
    assert_eq!(
        late.body["delivery"], "read",
        "a late receipt changes nothing"
    );
    let failed = app
        .post("/api/v1/deliveries", &token, receipt("failed"))
        .await;
    assert_eq!(failed.body["delivery"], "read");
    assert_eq!(
        message(&app, &s.admin, &conversation, id).await["delivery"],
        "read"
    );

    // Only the integration's own token, for its own channels' replies.
    let by_agent = app
        .post("/api/v1/deliveries", &s.admin, receipt("read"))
        .await;
    assert_error(&by_agent, 403, "forbidden");
    let unknown = app
        .post(
            "/api/v1/deliveries",
            &token,
            json!({"external_id": "nope", "status": "read"}),
        )
        .await;
    assert_error(&unknown, 404, "not_found");
    let pending = app
        .post(
            "/api/v1/deliveries",
            &token,
            json!({"message_id": id, "status": "pending"}),
        )
        .await;
    assert_error(&pending, 400, "invalid_request");
    let nameless = app
        .post("/api/v1/deliveries", &token, json!({"status": "read"}))
        .await;
    assert_error(&nameless, 400, "invalid_request");
    // The integration's token posts inbound messages too, and nothing else.
    let other = app.get("/api/v1/conversations", &token).await;
    assert_error(&other, 403, "forbidden");
    let test = app
        .post(
            &format!(
                "/api/v1/integrations/{}/test",
                s.integration["id"].as_str().unwrap()
            ),
            &s.admin,
            json!(null),
        )
        .await;
    assert_eq!(test.status, 200, "{:?}", test.body);
    assert_eq!(test.body["outcome"], "delivered");
    assert_eq!(test.body["http_status"], 200);
    assert!(s.receiver.accepted("test")[0].signature_ok);
}

#[tokio::test]
async fn server_errors_timeouts_refusals_and_throttling_are_retried_with_one_key() {
    let app = app().await;
    let s = integration(&app, &["whatsapp"]).await;
    s.receiver.script([
        Scripted::status(500),
        Scripted {
            delay: Duration::from_millis(800),
            ..Scripted::status(200)
        },
        Scripted::status(503),
    ]);
    let conversation = conversation(&app, &s.admin, "+15550002").await;
    let sent = reply(&app, &s.admin, &conversation, "Retried").await;
    let id = sent["id"].as_str().unwrap().to_string();
    run_until(&app, async || s.receiver.received().len() == 4).await;
    let received = s.receiver.received();
    // 500, a timeout (the receiver saw it, but too late), 503, then 200.
    assert_eq!(
        received.iter().map(|r| r.answered).collect::<Vec<_>>(),
        [500, 200, 503, 200]
    );
    assert!(received.iter().all(|r| r.key == received[0].key));
    assert_eq!(
        message(&app, &s.admin, &conversation, &id).await["delivery"],
        "sent"
    );
    let log = app
        .get(
            &format!(
                "/api/v1/integrations/{}/attempts?limit=2",
                s.integration["id"].as_str().unwrap()
            ),
            &s.admin,
        )
        .await;
    assert_eq!(log.status, 200);
    let items = log.body["items"].as_array().unwrap();
    assert_eq!(items[0]["outcome"], "delivered");
    assert_eq!(items[0]["attempt"], 4);
    assert_eq!(items[1]["outcome"], "retrying");
    assert_eq!(items[1]["http_status"], 503);
    let next = log.body["next_cursor"].as_str().unwrap();
    let older = app
        .get(
            &format!(
                "/api/v1/integrations/{}/attempts?limit=5&cursor={next}",
                s.integration["id"].as_str().unwrap()
            ),
            &s.admin,
        )
        .await;
    let older = older.body["items"].as_array().unwrap().clone();
    assert_eq!(older.len(), 2);
    assert!(
        older[0]["error"]
            .as_str()
            .unwrap()
            .starts_with("No answer within"),
        "{older:?}"
    );
    assert_eq!(older[1]["http_status"], 500);
    let integration = &app.get("/api/v1/integrations", &s.admin).await.body[0];
    assert_eq!(integration["health"]["failures_last_hour"], 3);
    assert_eq!(integration["health"]["queued"], 0);
    assert!(integration["health"]["last_delivered_at"].is_string());
    assert_eq!(integration["health"]["last_failure"]["http_status"], 503);

    // 429 with Retry-After: nothing is attempted before it.
    s.receiver.script([Scripted {
        retry_after: Some("30".into()),
        ..Scripted::status(429)
    }]);
    reply(&app, &s.admin, &conversation, "Throttled").await;
    run(&app).await;
    run(&app).await;
    let throttled = s.receiver.received().len();
    tokio::time::sleep(Duration::from_millis(200)).await;
    run(&app).await;
    assert_eq!(
        s.receiver.received().len(),
        throttled,
        "waits the 30 s it was told"
    );
    let wait_ms = app
        .db_scalar_i64(
            "SELECT next_attempt_ms - queued_at_ms FROM deliveries ORDER BY id DESC LIMIT 1",
        )
        .await;
    assert!(
        wait_ms >= 29_000,
        "next attempt {wait_ms} ms after queueing"
    );
}

#[tokio::test]
async fn refusals_fail_at_once_and_retry_keeps_the_key() {
    let app = app().await;
    let s = integration(&app, &["whatsapp"]).await;
    s.receiver.script([Scripted::status(400)]);
    let conversation = conversation(&app, &s.admin, "+15550003").await;
    let sent = reply(&app, &s.admin, &conversation, "Refused").await;
    let id = sent["id"].as_str().unwrap().to_string();
    run(&app).await;
    let failed = message(&app, &s.admin, &conversation, &id).await;
    assert_eq!(failed["delivery"], "failed");
    assert!(
        failed["delivery_error"]
            .as_str()
            .unwrap()
            .contains("HTTP 400"),
        "{failed}"
    );
    let row = app
        .get(&format!("/api/v1/conversations/{conversation}"), &s.admin)
        .await;
    assert_eq!(row.body["failed_deliveries"], 1);
    run(&app).await;
    assert_eq!(s.receiver.received().len(), 1, "not attempted again");

    let retried = app
        .post(
            &format!("/api/v1/messages/{id}/retry-delivery"),
            &s.admin,
            json!(null),
        )
        .await;
    assert_eq!(retried.status, 200, "{:?}", retried.body);
    assert_eq!(retried.body["delivery"], "pending");
    assert!(retried.body.get("delivery_error").is_none());
    let again = app
        .post(
            &format!("/api/v1/messages/{id}/retry-delivery"),
            &s.admin,
            json!(null),
        )
        .await;
    assert_error(&again, 400, "invalid_request");
    run(&app).await;
    let received = s.receiver.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].key, received[1].key, "the same idempotency key");
    assert_eq!(
        message(&app, &s.admin, &conversation, &id).await["delivery"],
        "sent"
    );
    let row = app
        .get(&format!("/api/v1/conversations/{conversation}"), &s.admin)
        .await;
    assert_eq!(row.body["failed_deliveries"], 0);

    // An agent who cannot see the conversation cannot retry its replies.
    let outsider = app.sign_in("jonas").await;
    let hidden = app
        .post(
            &format!("/api/v1/messages/{id}/retry-delivery"),
            &outsider,
            json!(null),
        )
        .await;
    assert!(
        [400, 404].contains(&hidden.status.as_u16()),
        "{:?}",
        hidden.body
    );
}

#[tokio::test]
async fn unreachable_receivers_are_retried_until_the_window_closes() {
    let app = TestApp::with(|config| {
        config.delivery_retry_base_ms = 20;
        config.delivery_timeout_ms = 300;
        config.delivery_max_age_secs = 1;
    })
    .await;
    let admin = app.sign_in("maya").await;
    // A port nothing listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", closed.local_addr().unwrap());
    drop(closed);
    let created = app
        .post(
            "/api/v1/integrations",
            &admin,
            json!({"name": "Gone", "channels": ["whatsapp"], "webhook_url": url}),
        )
        .await;
    assert_eq!(created.status, 201);
    let conversation = conversation(&app, &admin, "+15550004").await;
    let sent = reply(&app, &admin, &conversation, "Into the void").await;
    let id = sent["id"].as_str().unwrap().to_string();
    for _ in 0..300 {
        run(&app).await;
        if message(&app, &admin, &conversation, &id).await["delivery"] == "failed" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let failed = message(&app, &admin, &conversation, &id).await;
    assert_eq!(failed["delivery"], "failed", "{failed}");
    let reason = failed["delivery_error"].as_str().unwrap();
    assert!(reason.starts_with("Not delivered after"), "{reason}");
    assert!(reason.contains("Could not connect"), "{reason}");
}

#[tokio::test]
async fn order_holds_per_conversation_and_a_paused_integration_queues() {
    let app = app().await;
    let s = integration(&app, &["whatsapp"]).await;
    let id = s.integration["id"].as_str().unwrap();
    let paused = patch(
        &app,
        &format!("/api/v1/integrations/{id}"),
        &s.admin,
        json!({"paused": true}),
        None,
    )
    .await;
    assert_eq!(paused.status, 200, "{:?}", paused.body);
    assert_eq!(paused.body["paused"], true);
    let first = conversation(&app, &s.admin, "+15550005").await;
    let second = conversation(&app, &s.admin, "+15550006").await;
    for n in 1..=3 {
        reply(&app, &s.admin, &first, &format!("first {n}")).await;
        reply(&app, &s.admin, &second, &format!("second {n}")).await;
    }
    assert_eq!(run(&app).await, 0);
    let listed = app.get("/api/v1/integrations", &s.admin).await;
    assert_eq!(listed.body[0]["health"]["queued"], 6);
    // The first reply of the first conversation fails once: the others of that conversation
    // wait for it, the second conversation goes on.
    s.receiver.script([Scripted::status(500)]);
    let resumed = patch(
        &app,
        &format!("/api/v1/integrations/{id}"),
        &s.admin,
        json!({"paused": false}),
        None,
    )
    .await;
    assert_eq!(resumed.status, 200);
    run_until(&app, async || {
        s.receiver.accepted("message.created").len() == 6
    })
    .await;
    let order = |prefix: &str| {
        s.receiver
            .accepted("message.created")
            .iter()
            .map(|r| r.body["message"]["body"].as_str().unwrap().to_string())
            .filter(|b| b.starts_with(prefix))
            .collect::<Vec<_>>()
    };
    assert_eq!(order("first"), ["first 1", "first 2", "first 3"]);
    assert_eq!(order("second"), ["second 1", "second 2", "second 3"]);
    let keys: std::collections::BTreeSet<String> = s
        .receiver
        .accepted("message.created")
        .iter()
        .map(|r| r.key.clone())
        .collect();
    assert_eq!(keys.len(), 6, "each reply once");
}

#[tokio::test]
async fn admins_manage_integrations_and_agents_and_tokens_cannot() {
    let app = app().await;
    let s = integration(&app, &["whatsapp", "sms"]).await;
    let id = s.integration["id"].as_str().unwrap();
    assert_eq!(s.integration["channels"], json!(["whatsapp", "sms"]));
    assert!(
        s.integration["signing_secret"]
            .as_str()
            .unwrap()
            .starts_with("whsec_")
    );
    // A channel belongs to one integration.
    let taken = app
        .post(
            "/api/v1/integrations",
            &s.admin,
            json!({"name": "Other", "channels": ["sms"], "webhook_url": "https://example.com/hook"}),
        )
        .await;
    assert_error(&taken, 400, "invalid_request");
    assert_eq!(taken.body["error"]["field"], "channels");
    for bad in [
        json!({"name": "", "channels": ["email"], "webhook_url": "https://example.com/h"}),
        json!({"name": "X", "channels": [], "webhook_url": "https://example.com/h"}),
        json!({"name": "X", "channels": ["email"], "webhook_url": "ftp://example.com/h"}),
        json!({"name": "X", "channels": ["email"], "webhook_url": "https://exa mple.com"}),
    ] {
        let refused = app
            .post("/api/v1/integrations", &s.admin, bad.clone())
            .await;
        assert_error(&refused, 400, "invalid_request");
    }
    // Stale If-Match.
    let stale = patch(
        &app,
        &format!("/api/v1/integrations/{id}"),
        &s.admin,
        json!({"name": "Renamed"}),
        Some(0),
    )
    .await;
    assert_error(&stale, 409, "conflict");
    let renamed = patch(
        &app,
        &format!("/api/v1/integrations/{id}"),
        &s.admin,
        json!({"name": "Renamed", "channels": ["whatsapp"]}),
        Some(s.integration["version"].as_i64().unwrap()),
    )
    .await;
    assert_eq!(renamed.status, 200, "{:?}", renamed.body);
    assert_eq!(renamed.body["channels"], json!(["whatsapp"]));
    let rotated = app
        .post(
            &format!("/api/v1/integrations/{id}/rotate-secret"),
            &s.admin,
            json!(null),
        )
        .await;
    assert_eq!(rotated.status, 200);
    let secret = rotated.body["signing_secret"].as_str().unwrap();
    assert_ne!(secret, s.integration["signing_secret"].as_str().unwrap());
    // The next request is signed with the new secret.
    s.receiver.set_secret(secret);
    let test = app
        .post(
            &format!("/api/v1/integrations/{id}/test"),
            &s.admin,
            json!(null),
        )
        .await;
    assert_eq!(test.body["outcome"], "delivered");
    assert!(s.receiver.accepted("test").last().unwrap().signature_ok);

    let agent = app.sign_in("jonas").await;
    for reply in [
        app.get("/api/v1/integrations", &agent).await,
        app.post(
            "/api/v1/integrations",
            &agent,
            json!({"name": "Mine", "channels": ["email"], "webhook_url": "https://example.com/h"}),
        )
        .await,
        app.post(
            &format!("/api/v1/integrations/{id}/test"),
            &agent,
            json!(null),
        )
        .await,
    ] {
        assert_error(&reply, 403, "forbidden");
    }
    let api_token = app
        .post(
            "/api/v1/tokens",
            &s.admin,
            json!({"name": "Host", "scope": "agent"}),
        )
        .await;
    let api_token = api_token.body["token"].as_str().unwrap();
    assert_error(
        &app.get("/api/v1/integrations", api_token).await,
        403,
        "forbidden",
    );

    // Deleting fails what is queued, revokes the token and frees the channel.
    let paused = patch(
        &app,
        &format!("/api/v1/integrations/{id}"),
        &s.admin,
        json!({"paused": true}),
        None,
    )
    .await;
    assert_eq!(paused.status, 200);
    let conversation = conversation(&app, &s.admin, "+15550007").await;
    let sent = reply(&app, &s.admin, &conversation, "Held").await;
    let deleted = app
        .call(
            Method::DELETE,
            &format!("/api/v1/integrations/{id}"),
            Some(&s.admin),
            None,
            &[],
        )
        .await;
    assert_eq!(deleted.status, 204);
    let held = message(&app, &s.admin, &conversation, sent["id"].as_str().unwrap()).await;
    assert_eq!(held["delivery"], "failed");
    let token = s.integration["inbound_token"].as_str().unwrap();
    let revoked = app
        .post(
            "/api/v1/deliveries",
            token,
            json!({"message_id": sent["id"], "status": "read"}),
        )
        .await;
    assert_error(&revoked, 401, "unauthorized");
    let workspace = app.get("/api/v1/workspace", &s.admin).await;
    assert_eq!(workspace.body["delivered_channels"], json!([]));
    // Without an integration a reply is Sent and goes nowhere; retrying says why.
    let plain = reply(&app, &s.admin, &conversation, "Nowhere").await;
    assert_eq!(plain["delivery"], "sent");
    let retry = app
        .post(
            &format!(
                "/api/v1/messages/{}/retry-delivery",
                sent["id"].as_str().unwrap()
            ),
            &s.admin,
            json!(null),
        )
        .await;
    assert_error(&retry, 400, "invalid_request");
    assert!(
        retry.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("No integration delivers WhatsApp messages")
    );
}

#[tokio::test]
async fn the_first_message_of_a_new_outgoing_conversation_is_delivered_too() {
    let app = app().await;
    let s = integration(&app, &["sms"]).await;
    let contact = app
        .post(
            "/api/v1/contacts",
            &s.admin,
            json!({"name": "Tomás Silva", "phone": "+351910000001"}),
        )
        .await;
    assert_eq!(contact.status, 201, "{:?}", contact.body);
    let created = app
        .post(
            "/api/v1/conversations",
            &s.admin,
            json!({"contact_id": contact.body["id"], "channel": "sms", "body": "Your table is booked",
                   "business_address": "+1 415 555 0100"}),
        )
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    assert_eq!(run(&app).await, 1);
    let hook = &s.receiver.accepted("message.created")[0];
    assert_eq!(hook.body["message"]["body"], "Your table is booked");
    assert_eq!(hook.body["conversation"]["channel"], "sms");
    assert_eq!(
        hook.body["conversation"]["business_address"],
        "+1 415 555 0100"
    );
    assert_eq!(hook.body["contact"]["name"], "Tomás Silva");
    assert_eq!(hook.body["contact"]["identifier"], "+351910000001");
}
