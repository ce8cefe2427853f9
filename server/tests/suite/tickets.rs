//! Issue #22 items 17 and 18: tickets an integration links to conversations (the newest is the
//! conversation's `ticket_id`), a contact's ticket history, the business number or address a
//! conversation used, and the filter by conversation state (answered / unanswered).

use crate::common;

use common::{TestApp, assert_error, ids};
use serde_json::{Value, json};

fn ticket_path(conversation: &str, ticket: &str) -> String {
    format!("/api/v1/conversations/{conversation}/tickets/{ticket}")
}

/// The types of the newest `n` events, oldest first.
async fn last_events(app: &TestApp, n: i64) -> Vec<String> {
    let rows: Vec<String> =
        sqlx::query_scalar("SELECT payload FROM events ORDER BY id DESC LIMIT $1")
            .bind(n)
            .fetch_all(&app.state.db)
            .await
            .expect("events");
    rows.iter()
        .rev()
        .map(|p| {
            serde_json::from_str::<Value>(p).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[tokio::test]
async fn an_integration_links_updates_and_unlinks_tickets_and_the_newest_is_the_ticket_id() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let conversation = app.get("/api/v1/conversations/4", &maya).await.body;
    let contact = conversation["contact"]["id"].as_str().unwrap().to_string();

    let first = app
        .put(
            &ticket_path("4", "TCK-1"),
            &maya,
            json!({"title": "Refund for the blender", "status": "open", "url": "https://desk.example.com/t/1"}),
        )
        .await;
    assert_eq!(first.status, 201, "{:?}", first.body);
    assert_eq!(first.body["external_id"], "TCK-1");
    assert_eq!(first.body["conversation_id"], "4");
    assert_eq!(first.body["contact_id"], contact.as_str());
    assert_eq!(first.body["status"], "open");
    assert_eq!(
        last_events(&app, 2).await,
        ["conversation_updated", "tickets_changed"]
    );
    let linked = app.get("/api/v1/conversations/4", &maya).await.body;
    assert_eq!(linked["ticket_id"], "TCK-1");
    let version = linked["version"].clone();

    // The same call again changes nothing and tells nobody.
    let events_before = app.db_scalar_i64("SELECT COUNT(*) FROM events").await;
    let again = app
        .put(
            &ticket_path("4", "TCK-1"),
            &maya,
            json!({"title": "Refund for the blender", "status": "open", "url": "https://desk.example.com/t/1"}),
        )
        .await;
    assert_eq!(again.status, 200, "{:?}", again.body);
    assert_eq!(again.body, first.body);
    assert_eq!(
        app.db_scalar_i64("SELECT COUNT(*) FROM events").await,
        events_before
    );
    assert_eq!(
        app.get("/api/v1/conversations/4", &maya).await.body["version"],
        version
    );

    // An update keeps when it was linked.
    let solved = app
        .put(
            &ticket_path("4", "TCK-1"),
            &maya,
            json!({"title": "Refund for the blender", "status": "solved"}),
        )
        .await;
    assert_eq!(solved.status, 200, "{:?}", solved.body);
    assert_eq!(solved.body["status"], "solved");
    assert_eq!(solved.body["created_at"], first.body["created_at"]);
    assert!(solved.body.get("url").is_none(), "the url was cleared");

    // A second ticket is the newest: it becomes the conversation's ticket_id.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let second = app
        .put(
            &ticket_path("4", "TCK-2"),
            &maya,
            json!({"title": "Blender still broken", "status": "pending"}),
        )
        .await;
    assert_eq!(second.status, 201, "{:?}", second.body);
    assert_eq!(
        app.get("/api/v1/conversations/4", &maya).await.body["ticket_id"],
        "TCK-2"
    );
    let history = app
        .get(&format!("/api/v1/contacts/{contact}/tickets"), &maya)
        .await;
    assert_eq!(history.status, 200);
    let listed: Vec<&str> = history
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["conversation_id"] == "4")
        .map(|t| t["external_id"].as_str().unwrap())
        .collect();
    // Newest first: the two just linked, then any the demo linked earlier.
    assert_eq!(listed[..2], ["TCK-2", "TCK-1"], "newest first");

    // Unlinking the newest: the one before is the ticket_id again; twice is 404.
    let gone = app.delete(&ticket_path("4", "TCK-2"), &maya).await;
    assert_eq!(gone.status, 204, "{:?}", gone.body);
    assert_eq!(
        app.get("/api/v1/conversations/4", &maya).await.body["ticket_id"],
        "TCK-1"
    );
    assert_error(
        &app.delete(&ticket_path("4", "TCK-2"), &maya).await,
        404,
        "not_found",
    );
    let audit = app.get("/api/v1/conversations/4/audit", &maya).await.body;
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["action"].as_str())
        .filter(|a| a.starts_with("ticket_"))
        .collect();
    for action in ["ticket_linked", "ticket_updated", "ticket_unlinked"] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
    // ticket_id is derived: PATCH no longer takes it (an unknown field changes nothing).
    let patched = app
        .patch(
            "/api/v1/conversations/4",
            &maya,
            Some(&app.get("/api/v1/conversations/4", &maya).await.body["version"].to_string()),
            json!({"ticket_id": "HAND-EDITED"}),
        )
        .await;
    assert_eq!(patched.body["ticket_id"], "TCK-1", "{:?}", patched.body);
}

#[tokio::test]
async fn bad_tickets_are_refused_with_the_field_named() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let bad = [
        (
            json!({"title": "x", "status": "open", "url": "javascript:alert(1)"}),
            "url",
        ),
        (
            json!({"title": "x", "status": "open", "url": "data:text/html,<b>"}),
            "url",
        ),
        (
            json!({"title": "x", "status": "open", "url": "https://"}),
            "url",
        ),
        (
            json!({"title": "x", "status": "open", "url": format!("https://a.example/{}", "x".repeat(2000))}),
            "url",
        ),
        (json!({"title": "   ", "status": "open"}), "title"),
        (json!({"title": "x".repeat(301), "status": "open"}), "title"),
    ];
    for (body, field) in bad {
        let reply = app
            .put(&ticket_path("4", "TCK-9"), &maya, body.clone())
            .await;
        assert_error(&reply, 400, "invalid_request");
        assert_eq!(reply.body["error"]["field"], field, "{body}");
    }
    let unknown_status = app
        .put(
            &ticket_path("4", "TCK-9"),
            &maya,
            json!({"title": "x", "status": "escalated"}),
        )
        .await;
    assert_error(&unknown_status, 400, "invalid_request");
    let long_id = app
        .put(
            &ticket_path("4", &"T".repeat(201)),
            &maya,
            json!({"title": "x", "status": "open"}),
        )
        .await;
    assert_error(&long_id, 400, "invalid_request");
    assert_eq!(long_id.body["error"]["field"], "external_id");
    let nowhere = app
        .put(
            &ticket_path("999999", "TCK-9"),
            &maya,
            json!({"title": "x", "status": "open"}),
        )
        .await;
    assert_error(&nowhere, 404, "not_found");
    assert_error(
        &app.get("/api/v1/contacts/999999/tickets", &maya).await,
        404,
        "not_found",
    );
    assert_eq!(
        app.db_scalar_i64("SELECT COUNT(*) FROM tickets WHERE external_id = 'TCK-9'")
            .await,
        0
    );
}

#[tokio::test]
async fn merging_moves_the_tickets_with_the_thread() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let contact = app.get("/api/v1/conversations/4", &maya).await.body["contact"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let other = app
        .post(
            "/api/v1/conversations",
            &maya,
            json!({"contact_id": contact, "channel": "email"}),
        )
        .await;
    let other_id = other.body["id"].as_str().unwrap().to_string();
    for (conversation, ticket) in [
        ("4", "TCK-SAME"),
        (other_id.as_str(), "TCK-SAME"),
        (other_id.as_str(), "TCK-OWN"),
    ] {
        let linked = app
            .put(
                &ticket_path(conversation, ticket),
                &maya,
                json!({"title": ticket, "status": "open"}),
            )
            .await;
        assert_eq!(linked.status, 201, "{:?}", linked.body);
    }
    let merged = app
        .post(
            &format!("/api/v1/conversations/{other_id}/merge"),
            &maya,
            json!({"into_conversation_id": "4"}),
        )
        .await;
    assert!(merged.status.is_success(), "{:?}", merged.body);
    let mut moved: Vec<String> = sqlx::query_scalar(
        "SELECT external_id FROM tickets WHERE conversation_id = 4 AND external_id LIKE 'TCK-%'",
    )
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    moved.sort();
    assert!(moved.contains(&"TCK-OWN".to_string()), "{moved:?}");
    assert_eq!(moved.iter().filter(|t| *t == "TCK-SAME").count(), 1);
}

#[tokio::test]
async fn a_conversation_keeps_the_business_number_it_used() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let inbound = app
        .post(
            "/api/v1/inbound",
            &maya,
            json!({"channel": "whatsapp", "from": "+15550009876", "to": " +1 415 555 0100 ", "body": "Hello"}),
        )
        .await;
    assert_eq!(inbound.status, 201, "{:?}", inbound.body);
    let id = inbound.body["conversation_id"].as_str().unwrap();
    let conversation = app
        .get(&format!("/api/v1/conversations/{id}"), &maya)
        .await
        .body;
    assert_eq!(conversation["business_address"], "+1 415 555 0100");
    let contact = conversation["contact"]["id"].as_str().unwrap();

    // Writing first (the contact's phone came with the message): the number this contact's
    // last WhatsApp conversation used…
    let outgoing = app
        .post(
            "/api/v1/conversations",
            &maya,
            json!({"contact_id": contact, "channel": "whatsapp"}),
        )
        .await;
    assert_eq!(outgoing.status, 201, "{:?}", outgoing.body);
    assert_eq!(outgoing.body["business_address"], "+1 415 555 0100");
    // …or the one asked for.
    let chosen = app
        .post(
            "/api/v1/conversations",
            &maya,
            json!({"contact_id": contact, "channel": "sms", "business_address": "+1 415 555 0999"}),
        )
        .await;
    assert_eq!(chosen.body["business_address"], "+1 415 555 0999");

    // Web chat has none; a too long one is refused.
    let chat = app
        .post(
            "/api/v1/inbound",
            &maya,
            json!({"channel": "live_chat", "from": "visitor-77", "body": "Hi"}),
        )
        .await;
    let chat_id = chat.body["conversation_id"].as_str().unwrap();
    let chat = app
        .get(&format!("/api/v1/conversations/{chat_id}"), &maya)
        .await
        .body;
    assert!(chat.get("business_address").is_none(), "{chat:?}");
    let long = app
        .post(
            "/api/v1/inbound",
            &maya,
            json!({"channel": "sms", "from": "+15550001111", "to": "9".repeat(301), "body": "Hi"}),
        )
        .await;
    assert_error(&long, 400, "invalid_request");
    assert_eq!(long.body["error"]["field"], "to");
}

#[tokio::test]
async fn the_state_filter_takes_one_state_or_the_unanswered_group() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let states = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["state"].as_str().unwrap_or("-").to_string())
            .collect()
    };
    let unanswered = app
        .get("/api/v1/conversations?state=unanswered&limit=200", &maya)
        .await;
    assert_eq!(unanswered.status, 200, "{:?}", unanswered.body);
    let found = states(&unanswered.body);
    assert!(!found.is_empty(), "the demo has unanswered conversations");
    assert!(
        found.iter().all(|s| s != "answered" && s != "-"),
        "{found:?}"
    );
    assert_eq!(
        unanswered.body["counts"]["all"].as_u64().unwrap() as usize,
        found.len(),
        "the counts follow the filter"
    );
    let answered = app
        .get("/api/v1/conversations?state=answered&limit=200", &maya)
        .await;
    assert!(states(&answered.body).iter().all(|s| s == "answered"));
    let one = &found[0];
    let single = app
        .get(
            &format!("/api/v1/conversations?state={one}&limit=200"),
            &maya,
        )
        .await;
    assert!(states(&single.body).iter().all(|s| s == one));
    assert!(ids(&single.body).len() <= found.len());

    let bogus = app.get("/api/v1/conversations?state=Answered", &maya).await;
    assert_error(&bogus, 400, "invalid_request");
    assert_eq!(bogus.body["error"]["field"], "state");
    let view = app
        .post(
            "/api/v1/views",
            &maya,
            json!({"name": "Lost", "columns": [], "filter": {"state": "lost"}}),
        )
        .await;
    assert_error(&view, 400, "invalid_request");
    let view = app
        .post(
            "/api/v1/views",
            &maya,
            json!({"name": "Lost", "columns": ["business_address", "state"], "filter": {"state": "unanswered"}}),
        )
        .await;
    assert_eq!(view.status, 201, "{:?}", view.body);
    assert_eq!(
        view.body["columns"],
        json!(["conversation_id", "business_address", "state"])
    );
}

#[tokio::test]
async fn the_demo_has_every_kind_of_outcome_business_numbers_and_tickets() {
    let app = TestApp::new().await;
    // The test seed is small (30 conversations); the demo's 200 have every outcome.
    let unanswered = app
        .db_scalar_i64("SELECT COUNT(*) FROM conversations WHERE state <> 'answered'")
        .await;
    let kinds = app
        .db_scalar_i64("SELECT COUNT(DISTINCT state) FROM conversations WHERE state <> 'answered'")
        .await;
    assert!(
        unanswered >= 3 && kinds >= 2,
        "{unanswered} unanswered conversations, {kinds} states"
    );
    // An unanswered conversation has no agent reply in its thread.
    let replied = app
        .db_scalar_i64(
            "SELECT COUNT(*) FROM conversations c WHERE c.state <> 'answered'
             AND EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.kind = 'outbound')",
        )
        .await;
    assert_eq!(replied, 0);
    assert!(app.db_scalar_i64("SELECT COUNT(*) FROM tickets").await > 0);
    assert_eq!(
        app.db_scalar_i64(
            "SELECT COUNT(*) FROM conversations WHERE channel = 'live_chat' AND business_address IS NOT NULL"
        )
        .await,
        0
    );
    assert_eq!(
        app.db_scalar_i64(
            "SELECT COUNT(*) FROM conversations WHERE channel <> 'live_chat' AND business_address IS NULL"
        )
        .await,
        0
    );
}
