//! Labels, ownership, resolve/reopen and sessions, bulk, merge, link/unlink, AI review, presence.

use crate::common;

use axum::http::Method;
use common::{TestApp, assert_error, ids};
use serde_json::json;

#[tokio::test]
async fn labels_assignee_collaborators() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let added = app
        .post(
            "/api/v1/conversations/4/labels",
            &maya,
            json!({"label": "tier::silver"}),
        )
        .await;
    assert_eq!(added.status, 200);
    let high = app
        .post(
            "/api/v1/conversations/4/labels",
            &maya,
            json!({"label": "tier::gold"}),
        )
        .await;
    let labels = high.body["labels"].as_array().unwrap();
    assert!(
        labels.contains(&json!("tier::gold")) && !labels.contains(&json!("tier::silver")),
        "scoped labels replace"
    );
    let fresh = app
        .post(
            "/api/v1/conversations/4/labels",
            &maya,
            json!({"label": "brand new"}),
        )
        .await;
    assert!(
        fresh.body["labels"]
            .as_array()
            .unwrap()
            .contains(&json!("brand new"))
    );
    assert!(
        app.get("/api/v1/labels", &maya)
            .await
            .body
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["name"] == "brand new")
    );
    let removed = app
        .call(
            Method::DELETE,
            "/api/v1/conversations/4/labels/brand%20new",
            Some(&maya),
            None,
            &[],
        )
        .await;
    assert_eq!(removed.status, 200);
    assert!(
        !removed.body["labels"]
            .as_array()
            .unwrap()
            .contains(&json!("brand new"))
    );
    let assigned = app
        .call(
            Method::PUT,
            "/api/v1/conversations/4/assignee",
            Some(&maya),
            Some(json!({"assignee_id": "3"})),
            &[],
        )
        .await;
    assert_eq!(assigned.body["assignee_id"], "3");
    let unassigned = app
        .call(
            Method::PUT,
            "/api/v1/conversations/4/assignee",
            Some(&maya),
            Some(json!({"assignee_id": null})),
            &[],
        )
        .await;
    assert!(unassigned.body.get("assignee_id").is_none());
    let stale = app
        .call(
            Method::PUT,
            "/api/v1/conversations/4/assignee",
            Some(&maya),
            Some(json!({"assignee_id": "2"})),
            &[("if-match", "1")],
        )
        .await;
    assert_error(&stale, 409, "conflict");
    let collab = app
        .post(
            "/api/v1/conversations/4/collaborators",
            &maya,
            json!({"agent_id": "4"}),
        )
        .await;
    assert!(
        collab.body["collaborator_ids"]
            .as_array()
            .unwrap()
            .contains(&json!("4"))
    );
    let gone = app
        .call(
            Method::DELETE,
            "/api/v1/conversations/4/collaborators/4",
            Some(&maya),
            None,
            &[],
        )
        .await;
    assert!(
        !gone.body["collaborator_ids"]
            .as_array()
            .unwrap()
            .contains(&json!("4"))
    );
    assert_error(
        &app.call(
            Method::DELETE,
            "/api/v1/conversations/4/collaborators/4",
            Some(&maya),
            None,
            &[],
        )
        .await,
        404,
        "not_found",
    );
    let thread = app.get("/api/v1/conversations/4/messages", &maya).await;
    assert!(
        thread.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["kind"] == "system" && m["body"] == "Assigned to Aiko Tanaka")
    );
}

#[tokio::test]
async fn resolve_reopen_sessions_and_bulk() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let open = app
        .get("/api/v1/conversations?status=open&limit=1", &maya)
        .await;
    let id = ids(&open.body)[0].clone();
    // The resolve body's limits are PATCH's (api::validate), checked before anything changes.
    let long = "d".repeat(convoroom_api::validate::DISPOSITION_MAX_CHARS + 1);
    let refused = app
        .post(
            &format!("/api/v1/conversations/{id}/resolve"),
            &maya,
            json!({ "disposition": long }),
        )
        .await;
    assert_eq!(refused.status, 400);
    assert_eq!(refused.body["error"]["field"], "disposition");
    let resolved = app
        .post(
            &format!("/api/v1/conversations/{id}/resolve"),
            &maya,
            json!({"disposition": "Issue solved", "wrap_up_note": "Done"}),
        )
        .await;
    assert_eq!(resolved.body["status"], "resolved");
    assert_eq!(resolved.body["disposition"], "Issue solved");
    assert!(resolved.body["lifecycle"]["resolved_at"].is_string());
    let sessions = app
        .get(&format!("/api/v1/conversations/{id}/sessions"), &maya)
        .await;
    let last = sessions.body.as_array().unwrap().last().unwrap().clone();
    assert!(last["ended_at"].is_string());
    assert_eq!(last["resolved_by"], "1");
    let reopened = app
        .call(
            Method::POST,
            &format!("/api/v1/conversations/{id}/reopen"),
            Some(&maya),
            None,
            &[],
        )
        .await;
    assert_eq!(reopened.body["status"], "open");
    let after = app
        .get(&format!("/api/v1/conversations/{id}/sessions"), &maya)
        .await;
    assert_eq!(
        after.body.as_array().unwrap().len(),
        sessions.body.as_array().unwrap().len() + 1
    );
    let bulk = app
        .post("/api/v1/conversations/bulk", &maya, json!({"conversation_ids": ["1", "2", "nope", "424242"], "assignee_id": "2", "add_label": "vip", "status": "pending"}))
        .await;
    assert_eq!(bulk.status, 200);
    assert_eq!(bulk.body["updated"].as_array().unwrap().len(), 2);
    assert_eq!(bulk.body["not_found"], json!(["nope", "424242"]));
    assert!(
        bulk.body["updated"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["assignee_id"] == "2" && c["status"] == "pending")
    );
}

#[tokio::test]
async fn merge_link_unlink_ai_review_and_presence() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let source_messages = app
        .get("/api/v1/conversations/8/messages?limit=200", &maya)
        .await
        .body["items"]
        .as_array()
        .unwrap()
        .len();
    let target_messages = app
        .get("/api/v1/conversations/9/messages?limit=200", &maya)
        .await
        .body["items"]
        .as_array()
        .unwrap()
        .len();
    let merged = app
        .post(
            "/api/v1/conversations/8/merge",
            &maya,
            json!({"into_conversation_id": "9"}),
        )
        .await;
    assert_eq!(merged.status, 200, "{:?}", merged.body);
    assert_eq!(merged.body["id"], "9");
    assert_error(
        &app.get("/api/v1/conversations/8", &maya).await,
        404,
        "not_found",
    );
    let combined = app
        .get("/api/v1/conversations/9/messages?limit=200", &maya)
        .await
        .body["items"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(combined, source_messages + target_messages + 1);
    assert_error(
        &app.post(
            "/api/v1/conversations/9/merge",
            &maya,
            json!({"into_conversation_id": "9"}),
        )
        .await,
        400,
        "invalid_request",
    );

    let linked = app
        .post(
            "/api/v1/conversations/10/link",
            &maya,
            json!({"contact_id": "2"}),
        )
        .await;
    assert_eq!(linked.body["contact"]["id"], "2", "{:?}", linked.body);
    let unlinked = app
        .call(
            Method::POST,
            "/api/v1/conversations/10/unlink",
            Some(&maya),
            None,
            &[],
        )
        .await;
    assert_eq!(unlinked.status, 200);
    assert_ne!(unlinked.body["contact"]["id"], "2");
    assert_eq!(unlinked.body["contact"]["known"], false);

    let all = app.get("/api/v1/conversations?limit=200", &maya).await.body;
    let ai_on = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["access"]["ai_enabled"] == true)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let review = app
        .call(
            Method::POST,
            &format!("/api/v1/conversations/{ai_on}/ai-review"),
            Some(&maya),
            None,
            &[],
        )
        .await;
    assert_eq!(review.status, 200, "{:?}", review.body);
    assert_eq!(review.body["analyzer"], "builtin");
    assert!(review.body["quality_score"].as_u64().unwrap() <= 100);
    assert!(!review.body["summary"].as_str().unwrap().is_empty());
    let current = app
        .get(&format!("/api/v1/conversations/{ai_on}"), &maya)
        .await
        .body;
    assert_eq!(current["ai_review"]["summary"], review.body["summary"]);
    let v = current["version"].to_string();
    let path = format!("/api/v1/conversations/{ai_on}");
    app.patch(&path, &maya, Some(&v), json!({"ai_enabled": false}))
        .await;
    assert_error(
        &app.call(
            Method::POST,
            &format!("{path}/ai-review"),
            Some(&maya),
            None,
            &[],
        )
        .await,
        403,
        "forbidden",
    );

    let presence = app
        .call(
            Method::POST,
            "/api/v1/conversations/11/presence",
            Some(&maya),
            None,
            &[],
        )
        .await;
    assert_eq!(presence.status, 204);
    assert_error(
        &app.call(
            Method::POST,
            "/api/v1/conversations/777/presence",
            Some(&maya),
            None,
            &[],
        )
        .await,
        404,
        "not_found",
    );
}

#[tokio::test]
async fn a_merged_address_says_where_its_thread_went_to_those_who_may_follow() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let jonas = app.sign_in("jonas").await;
    for (from, into) in [("8", "9"), ("9", "10")] {
        let merged = app
            .post(
                &format!("/api/v1/conversations/{from}/merge"),
                &maya,
                json!({"into_conversation_id": into}),
            )
            .await;
        assert_eq!(merged.status, 200, "{:?}", merged.body);
    }
    // Merged twice over: the oldest address leads to where the thread lives now.
    for gone in ["8", "9"] {
        let reply = app
            .get(&format!("/api/v1/conversations/{gone}"), &maya)
            .await;
        assert_error(&reply, 404, "not_found");
        assert_eq!(reply.body["error"]["merged_into"], "10");
        assert_eq!(
            reply.body["error"]["message"],
            format!("Conversation {gone} was merged into conversation 10")
        );
    }
    // Never merged, or never existed: a plain 404.
    let unknown = app.get("/api/v1/conversations/999999", &maya).await;
    assert_error(&unknown, 404, "not_found");
    assert!(unknown.body["error"].get("merged_into").is_none());

    // Merged into a conversation Jonas may not see: his old address tells him nothing more.
    let billing = app.conversation_of_team(&maya, "3", "2").await;
    let his = app.get("/api/v1/conversations?limit=1", &jonas).await.body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let merged = app
        .post(
            &format!("/api/v1/conversations/{his}/merge"),
            &maya,
            json!({"into_conversation_id": billing}),
        )
        .await;
    assert_eq!(merged.status, 200, "{:?}", merged.body);
    let hidden = app
        .get(&format!("/api/v1/conversations/{his}"), &jonas)
        .await;
    assert_error(&hidden, 404, "not_found");
    assert!(
        hidden.body["error"].get("merged_into").is_none(),
        "{:?}",
        hidden.body
    );
    let shown = app
        .get(&format!("/api/v1/conversations/{his}"), &maya)
        .await;
    assert_eq!(shown.body["error"]["merged_into"], billing.as_str());
}

#[tokio::test]
async fn unlinking_and_linking_back_leaves_no_stray_unknown_contact() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    // A conversation of a known contact (every fifth seeded contact is unknown).
    let page = app.get("/api/v1/conversations?limit=50", &maya).await.body;
    let before = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["contact"]["known"] == true)
        .expect("a known contact's conversation")
        .clone();
    let known = before["contact"]["id"].as_str().unwrap().to_string();
    let conversation = before["id"].as_str().unwrap().to_string();
    let unlink_path = format!("/api/v1/conversations/{conversation}/unlink");
    let link_path = format!("/api/v1/conversations/{conversation}/link");
    let contacts_count = || app.db_scalar_i64("SELECT COUNT(*) FROM contacts");
    let count_before = contacts_count().await;

    let unlinked = app
        .call(Method::POST, &unlink_path, Some(&maya), None, &[])
        .await;
    assert_eq!(unlinked.status, 200, "{:?}", unlinked.body);
    let stand_in = unlinked.body["contact"]["id"].as_str().unwrap().to_string();
    assert_eq!(unlinked.body["contact"]["known"], false);
    let identifier = unlinked.body["contact"]["identifier"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        contacts_count().await,
        count_before + 1,
        "{known} → {stand_in} for {identifier}"
    );

    // Undo: linked back to the contact it had; the stand-in is gone, from searches too.
    let linked = app
        .post(&link_path, &maya, json!({"contact_id": known}))
        .await;
    assert_eq!(linked.status, 200, "{:?}", linked.body);
    assert_eq!(linked.body["contact"]["id"], known.as_str());
    assert_eq!(contacts_count().await, count_before);
    assert_error(
        &app.get(&format!("/api/v1/contacts/{stand_in}"), &maya)
            .await,
        404,
        "not_found",
    );
    let found = app
        .get(
            &format!("/api/v1/contacts?q={}", identifier.trim_start_matches('+')),
            &maya,
        )
        .await;
    assert_eq!(found.status, 200, "{:?}", found.body);
    let items = found.body["items"]
        .as_array()
        .or(found.body.as_array())
        .unwrap()
        .clone();
    assert!(
        items.iter().all(|c| c["id"] != stand_in.as_str()),
        "{items:?}"
    );

    // Unlinked once more: one stand-in for the number; a second unlink has nothing to do.
    let again = app
        .call(Method::POST, &unlink_path, Some(&maya), None, &[])
        .await;
    assert_eq!(again.status, 200);
    let nothing = app
        .call(Method::POST, &unlink_path, Some(&maya), None, &[])
        .await;
    assert_error(&nothing, 400, "invalid_request");
    assert!(
        nothing.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("nothing to unlink")
    );
    assert_eq!(contacts_count().await, count_before + 1);
}

#[tokio::test]
async fn spam_turns_off_this_conversations_replies_not_its_notes() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let path = "/api/v1/conversations/12";
    let version = app.get(path, &maya).await.body["version"].to_string();
    let marked = app
        .patch(path, &maya, Some(&version), json!({"spam": true}))
        .await;
    assert_eq!(marked.status, 200, "{:?}", marked.body);
    assert_eq!(marked.body["access"]["spam"], true);
    assert_eq!(marked.body["access"]["blocked"], false);
    let send = |client_id: &'static str, mode: &'static str| {
        app.post(
            "/api/v1/conversations/12/messages",
            &maya,
            json!({"client_id": client_id, "mode": mode, "body": "hello"}),
        )
    };
    let refused = send("spam-reply-1", "reply").await;
    assert_error(&refused, 403, "forbidden");
    assert!(
        refused.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("marked as spam"),
        "{:?}",
        refused.body
    );
    assert_eq!(send("spam-note-1", "note").await.status, 201);
    let version = app.get(path, &maya).await.body["version"].to_string();
    let unmarked = app
        .patch(path, &maya, Some(&version), json!({"spam": false}))
        .await;
    assert_eq!(unmarked.status, 200);
    assert_eq!(send("spam-reply-2", "reply").await.status, 201);
}
