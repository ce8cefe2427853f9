//! Teams managed by admins (issue #21): created with members, renamed, restaffed and archived
//! through the API; names unique regardless of case; an archived team takes no new
//! conversations from agents (a customer's message still arrives, at the default team) and
//! keeps those it has; agents cannot change teams; everyone hears of every change.

use crate::common;

use common::sse::Stream;
use common::{TestApp, assert_error};
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn admins_create_rename_staff_and_archive_teams() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let jonas = app.sign_in("jonas").await;
    // Watched by someone who does not join (a joining member's stream restarts: agents.rs).
    let aiko = app.sign_in("aiko").await;
    let mut stream = Stream::open(&app, &aiko, None).await;

    let created = app
        .post(
            "/api/v1/teams",
            &maya,
            json!({"name": "  Returns ", "member_ids": ["2", "5", "2"]}),
        )
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    assert_eq!(created.body["name"], "Returns");
    assert_eq!(created.body["member_ids"], json!(["2", "5"]));
    assert_eq!(created.body["archived"], false);
    let id = created.body["id"].as_str().unwrap().to_string();
    // Its members hear that their teams changed (agent_saved), and everyone of the team.
    let events = stream.take(3, Duration::from_millis(500)).await;
    let team = events
        .iter()
        .find(|e| e["type"] == "team_updated")
        .unwrap_or_else(|| panic!("team_updated: {events:?}"));
    assert_eq!(team["data"]["name"], "Returns");
    // Jonas is a member now: the workspace says so and his new conversations may go there.
    let me = app.get("/api/v1/me", &jonas).await;
    assert!(me.body["team_ids"].as_array().unwrap().contains(&json!(id)));

    for (body, field) in [
        (json!({"name": "support"}), "name"),
        (json!({"name": ""}), "name"),
        (json!({"name": "X", "member_ids": ["999"]}), "member_ids[0]"),
    ] {
        let refused = app.post("/api/v1/teams", &maya, body).await;
        assert_error(&refused, 400, "invalid_request");
        assert_eq!(refused.body["error"]["field"], field);
    }
    let by_agent = app
        .post("/api/v1/teams", &jonas, json!({"name": "Mine"}))
        .await;
    assert_error(&by_agent, 403, "forbidden");

    let stale = app
        .patch(
            &format!("/api/v1/teams/{id}"),
            &maya,
            Some("0"),
            json!({"name": "Returns & refunds"}),
        )
        .await;
    assert_error(&stale, 409, "conflict");
    let renamed = app
        .patch(
            &format!("/api/v1/teams/{id}"),
            &maya,
            Some("1"),
            json!({"name": "Returns & refunds", "member_ids": ["5"]}),
        )
        .await;
    assert_eq!(renamed.status, 200, "{:?}", renamed.body);
    assert_eq!(renamed.body["name"], "Returns & refunds");
    assert_eq!(renamed.body["member_ids"], json!(["5"]));

    // A conversation of the team, then the team is archived.
    let contact = app
        .post("/api/v1/contacts", &maya, json!({"name": "Archive Test", "email": "archive@example.com", "phone": "+15550990002"}))
        .await;
    let conversation = app
        .post(
            "/api/v1/conversations",
            &maya,
            json!({"contact_id": contact.body["id"], "channel": "email", "team_id": id}),
        )
        .await;
    assert_eq!(conversation.status, 201, "{:?}", conversation.body);
    let archived = app
        .patch(
            &format!("/api/v1/teams/{id}"),
            &maya,
            None,
            json!({"archived": true}),
        )
        .await;
    assert_eq!(archived.body["archived"], true);
    let kept = app
        .get(
            &format!(
                "/api/v1/conversations/{}",
                conversation.body["id"].as_str().unwrap()
            ),
            &maya,
        )
        .await;
    assert_eq!(
        kept.body["team_id"],
        id.as_str(),
        "its conversations keep it"
    );
    let refused = app
        .post(
            "/api/v1/conversations",
            &maya,
            json!({"contact_id": contact.body["id"], "channel": "sms", "team_id": id}),
        )
        .await;
    assert_error(&refused, 400, "invalid_request");
    assert_eq!(refused.body["error"]["field"], "team_id");
    let inbound = app
        .post(
            "/api/v1/inbound",
            &maya,
            json!({"channel": "sms", "from": "+15550990001", "body": "Hello?", "team_id": id}),
        )
        .await;
    assert_eq!(inbound.status, 201, "a customer's message is never refused");
    let landed = app
        .get(
            &format!(
                "/api/v1/conversations/{}",
                inbound.body["conversation_id"].as_str().unwrap()
            ),
            &maya,
        )
        .await;
    assert_eq!(landed.body["team_id"], "1", "the default team");
}

#[tokio::test]
async fn the_last_active_team_stays() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let teams = app.get("/api/v1/teams", &maya).await;
    let ids: Vec<String> = teams
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect();
    for id in &ids[1..] {
        let archived = app
            .patch(
                &format!("/api/v1/teams/{id}"),
                &maya,
                None,
                json!({"archived": true}),
            )
            .await;
        assert_eq!(archived.status, 200);
    }
    let last = app
        .patch(
            &format!("/api/v1/teams/{}", ids[0]),
            &maya,
            None,
            json!({"archived": true}),
        )
        .await;
    assert_error(&last, 400, "invalid_request");
    assert_eq!(last.body["error"]["field"], "archived");
}
