//! Agents managed by admins (issue #21): added with a temporary password shown once,
//! deactivated (sessions, API tokens and event streams end at once; an integration they made
//! keeps delivering), reactivated, their password reset; the last active admin stays one.

use crate::common;

use common::sse::Stream;
use common::{TestApp, assert_error};
use serde_json::json;
use std::time::Duration;

async fn sign_in_with(app: &TestApp, email: &str, password: &str) -> common::Reply {
    app.post(
        "/api/v1/auth/sign-in",
        "",
        json!({"email": email, "password": password}),
    )
    .await
}

#[tokio::test]
async fn admins_add_deactivate_reactivate_and_reset_agents() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let created = app
        .post(
            "/api/v1/agents",
            &maya,
            json!({"name": "Rosa Diaz", "email": "Rosa@Example.com", "role": "admin", "team_ids": ["1"]}),
        )
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    assert_eq!(created.body["agent"]["email"], "rosa@example.com");
    assert_eq!(created.body["agent"]["active"], true);
    let id = created.body["agent"]["id"].as_str().unwrap().to_string();
    let password = created.body["temporary_password"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(password.len(), 12);
    let session = sign_in_with(&app, "rosa@example.com", &password).await;
    assert_eq!(session.status, 200, "{:?}", session.body);
    let rosa = session.body["token"].as_str().unwrap().to_string();
    let taken = app
        .post(
            "/api/v1/agents",
            &maya,
            json!({"name": "Other", "email": "rosa@example.com"}),
        )
        .await;
    assert_error(&taken, 400, "invalid_request");
    assert_eq!(taken.body["error"]["field"], "email");

    // Rosa's API token and an integration she made.
    let api_token = app
        .post(
            "/api/v1/tokens",
            &rosa,
            json!({"name": "Rosa's host", "scope": "agent"}),
        )
        .await;
    let api_token = api_token.body["token"].as_str().unwrap().to_string();
    let integration = app
        .post(
            "/api/v1/integrations",
            &rosa,
            json!({"name": "Rosa's bridge", "channels": ["telegram"], "webhook_url": "http://127.0.0.1:9/hook"}),
        )
        .await;
    assert_eq!(integration.status, 201, "{:?}", integration.body);
    let inbound = integration.body["inbound_token"]
        .as_str()
        .unwrap()
        .to_string();

    // Deactivated: everything she is signed in with stops at once.
    let mut stream = Stream::open(&app, &rosa, None).await;
    let mut watching = Stream::open(&app, &maya, None).await;
    let off = app
        .patch(
            &format!("/api/v1/agents/{id}"),
            &maya,
            None,
            json!({"active": false}),
        )
        .await;
    assert_eq!(off.status, 200, "{:?}", off.body);
    assert_eq!(off.body["active"], false);
    assert!(
        stream.ended(Duration::from_secs(2)).await,
        "her stream ended"
    );
    let events = watching.take(1, Duration::from_millis(500)).await;
    assert_eq!(events[0]["type"], "agent_saved", "{events:?}");
    assert_error(&app.get("/api/v1/me", &rosa).await, 401, "unauthorized");
    assert_error(
        &app.get("/api/v1/me", &api_token).await,
        401,
        "unauthorized",
    );
    assert_eq!(
        sign_in_with(&app, "rosa@example.com", &password)
            .await
            .status,
        401
    );
    let delivered = app
        .post(
            "/api/v1/inbound",
            &inbound,
            json!({"channel": "telegram", "from": "tg-1", "body": "Still here?"}),
        )
        .await;
    assert_eq!(delivered.status, 201, "the integration keeps delivering");
    let listed = app.get("/api/v1/agents", &maya).await;
    let rosa_listed = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id.as_str())
        .cloned()
        .unwrap();
    assert_eq!(rosa_listed["active"], false);

    // Reactivated, then her password reset: the old one and its sessions stop.
    let on = app
        .patch(
            &format!("/api/v1/agents/{id}"),
            &maya,
            None,
            json!({"active": true}),
        )
        .await;
    assert_eq!(on.body["active"], true);
    assert_eq!(app.get("/api/v1/me", &api_token).await.status, 200);
    let again = sign_in_with(&app, "rosa@example.com", &password).await;
    assert_eq!(again.status, 200);
    let old_session = again.body["token"].as_str().unwrap().to_string();
    let reset = app
        .post(
            &format!("/api/v1/agents/{id}/reset-password"),
            &maya,
            json!(null),
        )
        .await;
    assert_eq!(reset.status, 200, "{:?}", reset.body);
    let fresh = reset.body["temporary_password"].as_str().unwrap();
    assert_error(
        &app.get("/api/v1/me", &old_session).await,
        401,
        "unauthorized",
    );
    assert_eq!(
        sign_in_with(&app, "rosa@example.com", &password)
            .await
            .status,
        401
    );
    assert_eq!(
        sign_in_with(&app, "rosa@example.com", fresh).await.status,
        200
    );

    // Agents manage no one.
    let jonas = app.sign_in("jonas").await;
    let refused = app
        .patch(
            &format!("/api/v1/agents/{id}"),
            &jonas,
            None,
            json!({"name": "Nope"}),
        )
        .await;
    assert_error(&refused, 403, "forbidden");
}

#[tokio::test]
async fn the_last_active_admin_stays_an_active_admin() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    for (body, field) in [
        (json!({"role": "agent"}), "role"),
        (json!({"active": false}), "active"),
    ] {
        let refused = app.patch("/api/v1/agents/1", &maya, None, body).await;
        assert_error(&refused, 400, "invalid_request");
        assert_eq!(refused.body["error"]["field"], field);
    }
    let jonas = app
        .patch("/api/v1/agents/2", &maya, None, json!({"role": "admin"}))
        .await;
    assert_eq!(jonas.body["role"], "admin");
    let demoted = app
        .patch("/api/v1/agents/1", &maya, None, json!({"role": "agent"}))
        .await;
    assert_eq!(demoted.status, 200, "{:?}", demoted.body);
    assert_eq!(demoted.body["role"], "agent");
}

#[tokio::test]
async fn nothing_new_goes_to_a_deactivated_agent_and_team_changes_refilter_open_streams() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let jonas = app.sign_in("jonas").await;
    let me = app.get("/api/v1/me", &jonas).await;
    let jonas_id = me.body["id"].as_str().unwrap().to_string();

    // Leaving a team: his stream ends (his app reconnects, filtered by his new teams) and he
    // hears that his teams changed; his session stays.
    let mut stream = Stream::open(&app, &jonas, None).await;
    let before = app
        .db_scalar_i64("SELECT COALESCE(MAX(id), 0) FROM events")
        .await;
    let moved = app
        .patch(
            &format!("/api/v1/agents/{jonas_id}"),
            &maya,
            None,
            json!({"team_ids": ["2"]}),
        )
        .await;
    assert_eq!(moved.status, 200, "{:?}", moved.body);
    assert!(
        stream.ended(Duration::from_secs(2)).await,
        "his stream restarts"
    );
    let mut reconnected = Stream::open(&app, &jonas, Some(before)).await;
    let events = reconnected.take(1, Duration::from_millis(500)).await;
    assert_eq!(events[0]["type"], "agent_saved", "{events:?}");
    assert_eq!(events[0]["data"]["team_ids"], json!(["2"]));
    assert_eq!(app.get("/api/v1/me", &jonas).await.status, 200);
    // The same through the team's members.
    let mut stream = Stream::open(&app, &jonas, None).await;
    let joined = app
        .patch(
            "/api/v1/teams/1",
            &maya,
            None,
            json!({"member_ids": ["2", jonas_id]}),
        )
        .await;
    assert_eq!(joined.status, 200, "{:?}", joined.body);
    assert!(stream.ended(Duration::from_secs(2)).await, "again");

    // Deactivated: conversations can't be handed to him any more.
    let off = app
        .patch(
            &format!("/api/v1/agents/{jonas_id}"),
            &maya,
            None,
            json!({"active": false}),
        )
        .await;
    assert_eq!(off.status, 200);
    let page = app.get("/api/v1/conversations?limit=1", &maya).await;
    let conversation = page.body["items"][0].clone();
    let id = conversation["id"].as_str().unwrap();
    let assigned = app
        .put(
            &format!("/api/v1/conversations/{id}/assignee"),
            &maya,
            json!({"assignee_id": jonas_id}),
        )
        .await;
    assert_error(&assigned, 400, "invalid_request");
    assert_eq!(assigned.body["error"]["field"], "assignee_id");
    assert!(
        assigned.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("deactivated")
    );
    let bulk = app
        .post(
            "/api/v1/conversations/bulk",
            &maya,
            json!({"conversation_ids": [id], "assignee_id": jonas_id}),
        )
        .await;
    assert_error(&bulk, 400, "invalid_request");
}
