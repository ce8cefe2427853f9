//! Listing, search, detail, PATCH with If-Match, labels, ownership, resolve/reopen, bulk, merge.

use crate::common;

use common::{TestApp, assert_error, ids};
use serde_json::json;

#[tokio::test]
async fn list_sorts_pages_filters_and_counts() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let all = app.get("/api/v1/conversations?limit=200", &maya).await;
    assert_eq!(all.body["counts"]["all"], 30);
    let items = all.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 30);
    let times: Vec<&str> = items
        .iter()
        .map(|c| c["lifecycle"]["last_activity_at"].as_str().unwrap())
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] >= w[1]),
        "last activity, newest first"
    );
    // Cursor pages cover the same items without repeats.
    let mut paged = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/conversations?limit=7&cursor={c}"),
            None => "/api/v1/conversations?limit=7".to_string(),
        };
        let page = app.get(&path, &maya).await;
        paged.extend(ids(&page.body));
        match page.body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    assert_eq!(paged, ids(&all.body));
    let counts = &all.body["counts"];
    let mine = app
        .get("/api/v1/conversations?ownership=mine&limit=200", &maya)
        .await;
    assert_eq!(
        mine.body["items"].as_array().unwrap().len() as u64,
        counts["mine"].as_u64().unwrap()
    );
    assert!(
        mine.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["assignee_id"] == "1")
    );
    let unassigned = app
        .get(
            "/api/v1/conversations?ownership=unassigned&limit=200",
            &maya,
        )
        .await;
    assert!(
        unassigned.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c.get("assignee_id").is_none())
    );
    assert_eq!(
        unassigned.body["counts"], *counts,
        "counts ignore the ownership tab"
    );
    let open = app
        .get(
            "/api/v1/conversations?status=open&channel=whatsapp&limit=200",
            &maya,
        )
        .await;
    assert!(
        open.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["status"] == "open" && c["channel"] == "whatsapp")
    );
    assert!(open.body["counts"]["all"].as_u64().unwrap() < 30);
    let newest = app
        .get("/api/v1/conversations?sort=newest&limit=200", &maya)
        .await;
    let created: Vec<&str> = newest.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["lifecycle"]["created_at"].as_str().unwrap())
        .collect();
    assert!(created.windows(2).all(|w| w[0] >= w[1]));
    let waiting = app
        .get(
            "/api/v1/conversations?sort=waiting_longest&limit=200",
            &maya,
        )
        .await;
    let waits: Vec<Option<&str>> = waiting.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["lifecycle"]["waiting_since"].as_str())
        .collect();
    let known: Vec<&str> = waits.iter().map_while(|w| *w).collect();
    assert!(known.windows(2).all(|w| w[0] <= w[1]));
    assert!(
        waits[known.len()..].iter().all(Option::is_none),
        "nulls last"
    );
    let reviewed = app
        .get("/api/v1/conversations?ai_reviewed=true&limit=200", &maya)
        .await;
    assert!(
        reviewed.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["ai_review"].is_object())
    );
    let labelled = app
        .get(
            "/api/v1/conversations?label=refund%20request&limit=200",
            &maya,
        )
        .await;
    assert!(labelled.body["items"].as_array().unwrap().iter().all(|c| {
        c["labels"]
            .as_array()
            .unwrap()
            .contains(&json!("refund request"))
    }));
    let dated = app.get("/api/v1/conversations?created_from=2026-11-19&created_to=2026-11-21T00:00:00Z&limit=200", &maya).await;
    assert!(
        dated.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["lifecycle"]["created_at"].as_str().unwrap() >= "2026-11-19")
    );
    assert_error(
        &app.get("/api/v1/conversations?created_from=yesterday", &maya)
            .await,
        400,
        "invalid_request",
    );
    assert_error(
        &app.get("/api/v1/conversations?cursor=garbage", &maya).await,
        400,
        "invalid_request",
    );
    assert_error(
        &app.get("/api/v1/conversations?sort=random", &maya).await,
        400,
        "invalid_request",
    );
    assert_error(
        &app.get("/api/v1/conversations?limit=lots", &maya).await,
        400,
        "invalid_request",
    );
}

#[tokio::test]
async fn search_matches_names_phones_and_messages_and_survives_syntax() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let first = app.get("/api/v1/conversations/1", &maya).await.body;
    let name = first["contact"]["name"].as_str().unwrap().to_string();
    let prefix: String = name.chars().take(3).collect();
    let by_prefix = app
        .get(
            &format!("/api/v1/conversations?q={prefix}&limit=200"),
            &maya,
        )
        .await;
    assert!(
        ids(&by_prefix.body).contains(&"1".to_string()),
        "prefix of {name}"
    );
    let phone = first["contact"]["identifier"]
        .as_str()
        .unwrap()
        .trim_start_matches('+')
        .to_string();
    let by_phone = app
        .get(
            &format!("/api/v1/conversations?q={}&limit=200", &phone[..6]),
            &maya,
        )
        .await;
    assert!(ids(&by_phone.body).contains(&"1".to_string()));
    let sent = app
        .post(
            "/api/v1/conversations/2/messages",
            &maya,
            json!({"client_id": "s1", "mode": "reply", "body": "Your zebracode is QX77"}),
        )
        .await;
    assert_eq!(sent.status, 201);
    let by_body = app.get("/api/v1/conversations?q=zebrac", &maya).await;
    assert_eq!(ids(&by_body.body), vec!["2"]);
    assert_eq!(by_body.body["counts"]["all"], 1);
    for q in [
        "%22",
        "AND(",
        "NEAR%28",
        "*",
        "%22%22%22",
        "a%20OR%20",
        "-",
        "%5E",
        "col%3Avalue",
    ] {
        let reply = app
            .get(&format!("/api/v1/conversations?q={q}"), &maya)
            .await;
        assert_eq!(reply.status, 200, "q={q}: {:?}", reply.body);
    }
    let contacts = app
        .get(&format!("/api/v1/contacts?q={prefix}"), &maya)
        .await;
    assert!(
        contacts.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["name"] == name.as_str())
    );
}

#[tokio::test]
async fn detail_create_and_patch_with_if_match() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let detail = app.get("/api/v1/conversations/5", &maya).await;
    assert_eq!(detail.status, 200);
    let version = detail.body["version"].as_i64().unwrap();
    assert_error(
        &app.get("/api/v1/conversations/99999", &maya).await,
        404,
        "not_found",
    );
    assert_error(
        &app.get("/api/v1/conversations/abc", &maya).await,
        404,
        "not_found",
    );
    assert_error(
        &app.get("/api/v1/conversations/-1", &maya).await,
        404,
        "not_found",
    );

    let patch = json!({"priority": "urgent", "pipeline_stage": "quote_request", "ticket_id": "T-1", "csat": 4,
        "attributes": {"product": {"type": "text", "value": "<script>alert(1)</script>"}}});
    let without = app
        .patch("/api/v1/conversations/5", &maya, None, patch.clone())
        .await;
    assert_error(&without, 428, "precondition_required");
    let v = version.to_string();
    let ok = app
        .patch("/api/v1/conversations/5", &maya, Some(&v), patch.clone())
        .await;
    assert_eq!(ok.status, 200, "{:?}", ok.body);
    assert_eq!(ok.body["priority"], "urgent");
    assert_eq!(
        ok.body["attributes"]["product"]["value"], "<script>alert(1)</script>",
        "stored exactly as sent"
    );
    assert_eq!(ok.body["version"], version + 1);
    let stale = app
        .patch(
            "/api/v1/conversations/5",
            &maya,
            Some(&v),
            json!({"priority": "low"}),
        )
        .await;
    assert_error(&stale, 409, "conflict");
    assert_eq!(stale.body["error"]["current"]["version"], version + 1);
    assert_eq!(stale.body["error"]["current"]["priority"], "urgent");
    let v2 = (version + 1).to_string();
    for (bad, field) in [
        (json!({"pipeline_stage": "nowhere"}), "pipeline_stage"),
        (json!({"csat": 9}), "csat"),
        (
            json!({"attributes": {"reason": {"type": "list", "value": "Gold"}}}),
            "attributes.reason",
        ),
        (
            json!({"attributes": {"reason": {"type": "number", "value": 3}}}),
            "attributes.reason",
        ),
        (json!({"assignee_id": "abc"}), "assignee_id"),
    ] {
        let reply = app
            .patch("/api/v1/conversations/5", &maya, Some(&v2), bad)
            .await;
        assert_error(&reply, 400, "invalid_request");
        assert_eq!(reply.body["error"]["field"], field);
    }
    let bad_enum = app
        .patch(
            "/api/v1/conversations/5",
            &maya,
            Some(&v2),
            json!({"priority": "whenever"}),
        )
        .await;
    assert_error(&bad_enum, 400, "invalid_request");
    let wrong_type = app
        .patch(
            "/api/v1/conversations/5",
            &maya,
            Some(&v2),
            json!({"spam": "yes"}),
        )
        .await;
    assert_error(&wrong_type, 400, "invalid_request");
    let audit = app.get("/api/v1/conversations/5/audit", &maya).await;
    assert!(
        audit
            .body
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["action"] == "priority_changed" && a["actor_id"] == "1")
    );

    let created = app.post("/api/v1/conversations", &maya, json!({"contact_id": "7", "channel": "email", "body": "Hello from us", "client_id": "c-1"})).await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    assert_eq!(created.body["direction"], "outgoing");
    assert_eq!(created.body["assignee_id"], "1");
    assert_eq!(created.body["last_message"]["text"], "Hello from us");
    let replay = app.post("/api/v1/conversations", &maya, json!({"contact_id": "7", "channel": "email", "body": "Hello from us", "client_id": "c-1"})).await;
    assert_eq!(replay.status, 200);
    assert_eq!(replay.body["id"], created.body["id"]);
    assert_error(
        &app.post(
            "/api/v1/conversations",
            &maya,
            json!({"contact_id": "999999", "channel": "email"}),
        )
        .await,
        400,
        "invalid_request",
    );
}
