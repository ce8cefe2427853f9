//! Agents see their teams' conversations plus those they handle or collaborate on; the rest is 404
//! everywhere and absent from the event stream.

use crate::common;

use axum::http::Method;
use common::{TestApp, assert_error};
use serde_json::json;

#[tokio::test]
async fn jonas_cannot_reach_billing_conversations() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let jonas = app.sign_in("jonas").await;
    let billing = app.conversation_of_team(&maya, "3", "2").await;
    let note = app
        .post(
            &format!("/api/v1/conversations/{billing}/notes"),
            &maya,
            json!({"body": "billing only"}),
        )
        .await;
    let note_id = note.body["id"].as_str().unwrap().to_string();
    let base = format!("/api/v1/conversations/{billing}");
    for path in [
        base.clone(),
        format!("{base}/messages"),
        format!("{base}/notes"),
        format!("{base}/sessions"),
        format!("{base}/audit"),
    ] {
        assert_error(&app.get(&path, &jonas).await, 404, "not_found");
    }
    let writes = [
        (
            Method::PATCH,
            base.clone(),
            Some(json!({"priority": "low"})),
            vec![("if-match", "1")],
        ),
        (
            Method::POST,
            format!("{base}/labels"),
            Some(json!({"label": "x"})),
            vec![],
        ),
        (Method::DELETE, format!("{base}/labels/vip"), None, vec![]),
        (
            Method::PUT,
            format!("{base}/assignee"),
            Some(json!({"assignee_id": "2"})),
            vec![],
        ),
        (
            Method::POST,
            format!("{base}/collaborators"),
            Some(json!({"agent_id": "2"})),
            vec![],
        ),
        (
            Method::POST,
            format!("{base}/messages"),
            Some(json!({"client_id": "j", "mode": "reply", "body": "hi"})),
            vec![],
        ),
        (
            Method::POST,
            format!("{base}/notes"),
            Some(json!({"body": "x"})),
            vec![],
        ),
        (Method::POST, format!("{base}/resolve"), None, vec![]),
        (Method::POST, format!("{base}/reopen"), None, vec![]),
        (Method::POST, format!("{base}/read"), None, vec![]),
        (Method::POST, format!("{base}/presence"), None, vec![]),
        (Method::POST, format!("{base}/ai-review"), None, vec![]),
        (
            Method::POST,
            format!("{base}/link"),
            Some(json!({"contact_id": "1"})),
            vec![],
        ),
        (Method::POST, format!("{base}/unlink"), None, vec![]),
        (
            Method::POST,
            format!("{base}/merge"),
            Some(json!({"into_conversation_id": "1"})),
            vec![],
        ),
        (
            Method::PATCH,
            format!("/api/v1/notes/{note_id}"),
            Some(json!({"body": "x"})),
            vec![("if-match", "1")],
        ),
        (
            Method::DELETE,
            format!("/api/v1/notes/{note_id}"),
            None,
            vec![],
        ),
    ];
    for (method, path, body, headers) in writes {
        let reply = app
            .call(method.clone(), &path, Some(&jonas), body, &headers)
            .await;
        assert_error(&reply, 404, "not_found");
        let _ = (method, path);
    }
    let listed = app.get("/api/v1/conversations?limit=200", &jonas).await;
    assert!(
        !listed.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == billing.as_str())
    );
    let bulk = app
        .post(
            "/api/v1/conversations/bulk",
            &jonas,
            json!({"conversation_ids": [billing], "status": "resolved"}),
        )
        .await;
    assert_eq!(bulk.body["not_found"], json!([billing]));
    let contact = app.get(&base, &maya).await.body["contact"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let history = app
        .get(&format!("/api/v1/contacts/{contact}/conversations"), &jonas)
        .await;
    assert!(
        !history
            .body
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == billing.as_str())
    );
    // Once he collaborates, he can see it.
    app.post(
        &format!("{base}/collaborators"),
        &maya,
        json!({"agent_id": "2"}),
    )
    .await;
    assert_eq!(app.get(&base, &jonas).await.status, 200);
}

#[tokio::test]
async fn agent_lists_only_hold_visible_conversations() {
    let app = TestApp::new().await;
    let aiko = app.sign_in("aiko").await;
    let list = app.get("/api/v1/conversations?limit=200", &aiko).await;
    for c in list.body["items"].as_array().unwrap() {
        let visible = c["team_id"] == "2"
            || c["assignee_id"] == "3"
            || c["collaborator_ids"]
                .as_array()
                .unwrap()
                .contains(&json!("3"));
        assert!(visible, "{c}");
    }
    assert_eq!(
        list.body["counts"]["all"].as_u64().unwrap() as usize,
        list.body["items"].as_array().unwrap().len()
    );
}

#[tokio::test]
async fn counts_match_the_lists_for_every_agent_and_filter() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    // Changes after seeding must keep the precomputed counts right.
    app.post(
        "/api/v1/conversations/bulk",
        &maya,
        json!({"conversation_ids": ["1", "2", "3"], "assignee_id": null, "status": "pending"}),
    )
    .await;
    app.post(
        "/api/v1/conversations/4/collaborators",
        &maya,
        json!({"agent_id": "4"}),
    )
    .await;
    app.post(
        "/api/v1/conversations/5/merge",
        &maya,
        json!({"into_conversation_id": "6"}),
    )
    .await;
    app.post(
        "/api/v1/inbound",
        &maya,
        json!({"channel": "sms", "from": "+100200300", "body": "new one", "team_id": "3"}),
    )
    .await;
    for who in ["maya", "jonas", "aiko", "luis", "priya"] {
        let token = app.sign_in(who).await;
        for filter in [
            "",
            "status=open",
            "channel=whatsapp",
            "status=pending&team_id=1",
            "assignee_id=2",
            "q=order",
            "label=vip",
        ] {
            let all = app
                .get(&format!("/api/v1/conversations?limit=200&{filter}"), &token)
                .await;
            let items = all.body["items"].as_array().unwrap();
            let me = app.get("/api/v1/me", &token).await.body["id"].clone();
            let counts = &all.body["counts"];
            assert_eq!(
                counts["all"].as_u64().unwrap() as usize,
                items.len(),
                "{who} {filter}"
            );
            assert_eq!(
                counts["mine"].as_u64().unwrap() as usize,
                items.iter().filter(|c| c["assignee_id"] == me).count(),
                "{who} {filter}"
            );
            assert_eq!(
                counts["unassigned"].as_u64().unwrap() as usize,
                items
                    .iter()
                    .filter(|c| c.get("assignee_id").is_none())
                    .count(),
                "{who} {filter}"
            );
        }
    }
}
