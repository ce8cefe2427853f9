//! After-conversation work (issue #22, item 14): admins keep the dispositions list and each
//! team's requirements; resolving (one, PATCH or bulk) records what the team asks for on the
//! session and the conversation, and refuses a resolve without it.

use crate::common;

use axum::http::Method;
use common::{TestApp, assert_error};
use serde_json::{Value, json};

fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap().to_string())
        .collect()
}

async fn put(app: &TestApp, path: &str, token: &str, body: Value) -> common::Reply {
    app.call(Method::PUT, path, Some(token), Some(body), &[])
        .await
}

/// An open conversation of `team` (1 Support, 2 Sales, 3 Billing) on `channel`, other than
/// those in `except`.
async fn open_of(app: &TestApp, admin: &str, team: &str, channel: &str) -> Value {
    let page = app
        .get(
            &format!("/api/v1/conversations?team_id={team}&channel={channel}&limit=200"),
            admin,
        )
        .await;
    page.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["status"] != "resolved")
        .cloned()
        .unwrap_or_else(|| {
            panic!(
                "an unresolved {channel} conversation of team {team}: {:?}",
                page.body
            )
        })
}

/// A new conversation from a customer to Support on `channel`.
async fn new_inbound(app: &TestApp, admin: &str, channel: &str, from: &str) -> Value {
    let accepted = app
        .post(
            "/api/v1/inbound",
            admin,
            json!({"channel": channel, "from": from, "name": "Caller", "body": "Please call me back", "team_id": "1"}),
        )
        .await;
    assert_eq!(accepted.status, 201, "{:?}", accepted.body);
    let id = accepted.body["conversation_id"].as_str().unwrap();
    app.get(&format!("/api/v1/conversations/{id}"), admin)
        .await
        .body
}

#[tokio::test]
async fn admins_keep_the_dispositions_list_and_agents_cannot() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let jonas = app.sign_in("jonas").await;
    let seeded = app.get("/api/v1/dispositions", &jonas).await;
    assert_eq!(seeded.status, 200);
    let count = seeded.body.as_array().unwrap().len();
    assert!(count >= 5, "the demo has dispositions: {:?}", seeded.body);

    let refused = app
        .post("/api/v1/dispositions", &jonas, json!({"name": "Mine"}))
        .await;
    assert_error(&refused, 403, "forbidden");

    let added = app
        .post(
            "/api/v1/dispositions",
            &maya,
            json!({"name": "  Call back later "}),
        )
        .await;
    assert_eq!(added.status, 201, "{:?}", added.body);
    assert_eq!(added.body["name"], "Call back later");
    assert_eq!(added.body["position"], count);
    let duplicate = app
        .post(
            "/api/v1/dispositions",
            &maya,
            json!({"name": "call BACK later"}),
        )
        .await;
    assert_error(&duplicate, 400, "invalid_request");
    assert_eq!(duplicate.body["error"]["field"], "name");
    let blank = app
        .post("/api/v1/dispositions", &maya, json!({"name": "  "}))
        .await;
    assert_error(&blank, 400, "invalid_request");

    // Moving it first closes the gap it leaves; the others keep their order.
    let id = added.body["id"].as_str().unwrap().to_string();
    let moved = app
        .patch(
            &format!("/api/v1/dispositions/{id}"),
            &maya,
            None,
            json!({"position": 0, "name": "Callback"}),
        )
        .await;
    assert_eq!(moved.status, 200, "{:?}", moved.body);
    let list = app.get("/api/v1/dispositions", &maya).await.body;
    let mut expected = vec!["Callback".to_string()];
    expected.extend(names(&seeded.body));
    assert_eq!(names(&list), expected);
    let positions: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["position"].as_i64().unwrap())
        .collect();
    assert_eq!(positions, (0..=count as i64).collect::<Vec<_>>());

    // A stale version is a conflict; archiving keeps it listed but marked.
    let stale = app
        .patch(
            &format!("/api/v1/dispositions/{id}"),
            &maya,
            Some("1"),
            json!({"archived": true}),
        )
        .await;
    assert_error(&stale, 409, "conflict");
    let archived = app
        .patch(
            &format!("/api/v1/dispositions/{id}"),
            &maya,
            None,
            json!({"archived": true}),
        )
        .await;
    assert_eq!(archived.body["archived"], true);
    let workspace = app.get("/api/v1/workspace", &jonas).await.body;
    assert_eq!(
        workspace["dispositions"].as_array().unwrap().len(),
        count + 1
    );

    let gone = app
        .call(
            Method::DELETE,
            &format!("/api/v1/dispositions/{id}"),
            Some(&maya),
            None,
            &[],
        )
        .await;
    assert_eq!(gone.status, 204);
    let list = app.get("/api/v1/dispositions", &maya).await.body;
    assert_eq!(names(&list), names(&seeded.body));
}

#[tokio::test]
async fn a_team_that_requires_work_gets_it_on_every_resolve() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let jonas = app.sign_in("jonas").await;
    let rules = json!({"disposition_required": true, "wrap_up_note_required": true, "hangup_source_required": true});
    assert_error(
        &put(
            &app,
            "/api/v1/teams/1/after-conversation",
            &jonas,
            rules.clone(),
        )
        .await,
        403,
        "forbidden",
    );
    let team = put(&app, "/api/v1/teams/1/after-conversation", &maya, rules).await;
    assert_eq!(team.status, 200, "{:?}", team.body);
    assert_eq!(
        team.body["after_conversation"]["wrap_up_note_required"],
        true
    );
    let teams = app.get("/api/v1/teams", &jonas).await.body;
    assert_eq!(teams[0]["after_conversation"]["disposition_required"], true);

    let chat = open_of(&app, &maya, "1", "whatsapp").await;
    let id = chat["id"].as_str().unwrap();
    let resolve = |body: Value| {
        let app = &app;
        let jonas = jonas.clone();
        let path = format!("/api/v1/conversations/{id}/resolve");
        async move { app.post(&path, &jonas, body).await }
    };
    let missing = resolve(json!({})).await;
    assert_error(&missing, 400, "invalid_request");
    assert_eq!(missing.body["error"]["field"], "disposition");
    let unknown = resolve(json!({"disposition": "Made up"})).await;
    assert_eq!(unknown.body["error"]["field"], "disposition");
    let no_note = resolve(json!({"disposition": "Issue solved", "wrap_up_note": "   "})).await;
    assert_eq!(no_note.body["error"]["field"], "wrap_up_note");
    let still_open = app
        .get(&format!("/api/v1/conversations/{id}"), &jonas)
        .await;
    assert_eq!(
        still_open.body["status"], "open",
        "a refused resolve changes nothing"
    );

    // Not a call: no hangup source asked for, and one sent is not kept.
    let done = resolve(json!({"disposition": "Issue solved", "wrap_up_note": " Sent the new card. ", "hangup_source": "agent"})).await;
    assert_eq!(done.status, 200, "{:?}", done.body);
    assert_eq!(done.body["status"], "resolved");
    assert_eq!(done.body["disposition"], "Issue solved");
    assert_eq!(done.body["wrap_up_note"], "Sent the new card.");
    assert_eq!(
        done.body.get("hangup_source"),
        chat.get("hangup_source"),
        "a hangup source is about calls: the one sent on a chat is not kept"
    );
    let sessions = app
        .get(&format!("/api/v1/conversations/{id}/sessions"), &jonas)
        .await
        .body;
    let last = sessions.as_array().unwrap().last().unwrap();
    assert_eq!(last["disposition"], "Issue solved");
    assert_eq!(last["wrap_up_note"], "Sent the new card.");
    assert!(last.get("hangup_source").is_none());
    let thread = app
        .get(
            &format!("/api/v1/conversations/{id}/messages?limit=5"),
            &jonas,
        )
        .await
        .body;
    assert!(
        thread["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["body"].as_str().unwrap_or("").ends_with("· Issue solved")),
        "{thread:?}"
    );

    // A call also needs who ended it.
    let call = new_inbound(&app, &maya, "voice", "+15550001001").await;
    let call_id = call["id"].as_str().unwrap();
    let path = format!("/api/v1/conversations/{call_id}/resolve");
    let body = json!({"disposition": "Issue solved", "wrap_up_note": "Called back"});
    let refused = app.post(&path, &maya, body).await;
    assert_eq!(refused.body["error"]["field"], "hangup_source");
    let body = json!({"disposition": "Issue solved", "wrap_up_note": "Called back", "hangup_source": "customer"});
    let resolved = app.post(&path, &maya, body).await;
    assert_eq!(resolved.status, 200, "{:?}", resolved.body);
    assert_eq!(resolved.body["hangup_source"], "customer");

    // PATCH status follows the same rules.
    let other = new_inbound(&app, &maya, "whatsapp", "+15550001003").await;
    let other_id = other["id"].as_str().unwrap();
    let version = other["version"].to_string();
    let patched = app
        .patch(
            &format!("/api/v1/conversations/{other_id}"),
            &maya,
            Some(&version),
            json!({"status": "resolved"}),
        )
        .await;
    assert_error(&patched, 400, "invalid_request");
    assert_eq!(patched.body["error"]["field"], "disposition");
}

#[tokio::test]
async fn bulk_resolve_is_refused_whole_or_records_the_work_on_each() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let rules = json!({"disposition_required": true, "hangup_source_required": true});
    let team = put(&app, "/api/v1/teams/1/after-conversation", &maya, rules).await;
    assert_eq!(team.status, 200);
    let chat = open_of(&app, &maya, "1", "whatsapp").await["id"].clone();
    let call = new_inbound(&app, &maya, "voice", "+15550001002").await["id"].clone();

    let refused = app
        .post(
            "/api/v1/conversations/bulk",
            &maya,
            json!({"conversation_ids": [chat, call], "status": "resolved", "resolve": {"disposition": "Issue solved"}}),
        )
        .await;
    assert_error(&refused, 400, "invalid_request");
    assert_eq!(refused.body["error"]["field"], "resolve.hangup_source");
    let chat_now = app
        .get(
            &format!("/api/v1/conversations/{}", chat.as_str().unwrap()),
            &maya,
        )
        .await;
    assert_eq!(chat_now.body["status"], "open", "nothing changed");

    let done = app
        .post(
            "/api/v1/conversations/bulk",
            &maya,
            json!({"conversation_ids": [chat, call], "status": "resolved", "resolve": {"disposition": "Duplicate", "hangup_source": "system"}}),
        )
        .await;
    assert_eq!(done.status, 200, "{:?}", done.body);
    let updated = done.body["updated"].as_array().unwrap();
    assert!(
        updated
            .iter()
            .all(|c| c["status"] == "resolved" && c["disposition"] == "Duplicate")
    );
    let by_id = |id: &Value| updated.iter().find(|c| &c["id"] == id).unwrap().clone();
    assert_eq!(by_id(&call)["hangup_source"], "system");
    assert_ne!(
        by_id(&chat)["hangup_source"],
        "system",
        "only calls get a hangup source"
    );
}

#[tokio::test]
async fn every_open_app_hears_of_settings_changes() {
    use common::sse::Stream;
    use std::time::Duration;
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let jonas = app.sign_in("jonas").await;
    let mut agent = Stream::open(&app, &jonas, None).await;

    let added = app
        .post(
            "/api/v1/dispositions",
            &maya,
            json!({"name": "Callback booked"}),
        )
        .await;
    let id = added.body["id"].as_str().unwrap().to_string();
    // Moving it first renumbers every other one: each moved disposition is announced.
    app.patch(
        &format!("/api/v1/dispositions/{id}"),
        &maya,
        None,
        json!({"position": 0}),
    )
    .await;
    put(
        &app,
        "/api/v1/teams/1/after-conversation",
        &maya,
        json!({"wrap_up_note_required": true}),
    )
    .await;
    let events = agent
        .take_until(Duration::from_secs(3), |e| e["type"] == "team_updated")
        .await;
    let saved: Vec<&Value> = events
        .iter()
        .filter(|e| e["type"] == "disposition_saved")
        .collect();
    assert!(
        saved
            .iter()
            .any(|e| e["data"]["id"] == id.as_str() && e["data"]["position"] == 0),
        "{events:?}"
    );
    assert!(saved.len() > 2, "the others moved down too: {events:?}");
    let team = events.last().unwrap();
    assert_eq!(
        team["data"]["after_conversation"]["wrap_up_note_required"],
        true
    );

    app.call(
        Method::DELETE,
        &format!("/api/v1/dispositions/{id}"),
        Some(&maya),
        None,
        &[],
    )
    .await;
    let events = agent
        .take_until(Duration::from_secs(3), |e| {
            e["type"] == "disposition_deleted"
        })
        .await;
    assert_eq!(events.last().unwrap()["data"]["id"], id.as_str());
}
