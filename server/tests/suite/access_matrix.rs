//! The access matrix (issue #8): every operation of the API, from the server's own OpenAPI
//! document and router, is classified (tests/matrix) and exercised by an agent of team A
//! (Jonas, Support) against the resources of team B (Billing): refused without a trace, the
//! same way as for something that does not exist, while the same call on his own team's
//! conversation works.

use crate::common;
use crate::matrix;

use common::{TestApp, assert_error, ids};
use matrix::{Access, OPERATIONS, OUTSIDE_API, Op, Target, assert_unchanged, call, snapshot};
use serde_json::json;
use std::collections::BTreeSet;

const MISSING: &str = "999999";

#[test]
fn every_operation_is_classified() {
    let documented = matrix::documented_operations();
    let classified: BTreeSet<(String, String)> = OPERATIONS.iter().map(Op::key).collect();
    assert_eq!(
        classified.len(),
        OPERATIONS.len(),
        "an operation is listed twice"
    );
    let unclassified: Vec<_> = documented.difference(&classified).collect();
    assert!(
        unclassified.is_empty(),
        "classify these in tests/matrix/mod.rs: {unclassified:?}"
    );
    let stale: Vec<_> = classified.difference(&documented).collect();
    assert!(
        stale.is_empty(),
        "no longer in the OpenAPI document: {stale:?}"
    );

    // The router has no route the document lacks (an endpoint cannot escape by being undocumented).
    let outside: BTreeSet<(String, String)> = OUTSIDE_API
        .iter()
        .map(|(m, p, _)| (m.to_string(), p.to_string()))
        .collect();
    let routed = matrix::routed_operations();
    let api: BTreeSet<_> = routed.difference(&outside).cloned().collect();
    assert_eq!(
        api, documented,
        "router (left) and OpenAPI document (right) differ"
    );
    assert!(outside.is_subset(&routed), "stale OUTSIDE_API entries");
    // …and routes are only added with `.route(` (each resource module routes its own endpoints
    // and lib.rs merges them), under the one nested API router.
    let mut nests = 0;
    for entry in matrix::source_files(concat!(env!("CARGO_MANIFEST_DIR"), "/src")) {
        let text = std::fs::read_to_string(&entry).unwrap();
        for other in [".route_service(", ".nest_service(", ".fallback_service("] {
            assert!(
                !text.contains(other),
                "{entry} uses {other}: extend routed_operations()"
            );
        }
        nests += text.matches(".nest(").count();
        if text.contains(".nest(") {
            assert!(entry.ends_with("/src/lib.rs"), "a nested router in {entry}");
        }
    }
    assert_eq!(nests, 1, "one nested router: the API");
}

struct Teams {
    maya: String,
    jonas: String,
    /// Team B's conversation (Billing), which Jonas cannot see, and its note and contact.
    b: Target,
    /// The same on Jonas's own team's conversation (Support): the control.
    a: Target,
}

async fn teams(app: &TestApp) -> Teams {
    let maya = app.sign_in("maya").await;
    let jonas = app.sign_in("jonas").await;
    let billing = matrix::conversations_of_team(app, &maya, "3", "2").await;
    let support = matrix::conversations_of_team(app, &maya, "1", "none").await;
    let mut b = Target {
        conversation: billing[0].clone(),
        agent: "2".into(),
        text: "team-b-secret".into(),
        into: support[1].clone(),
        ..Target::default()
    };
    b.note = matrix::prepare(app, &maya, &b.conversation, "team-b-secret").await;
    b.contact = matrix::contact_of(app, &maya, &b.conversation).await;
    // A ticket of team B's, which its contact's ticket history must not show Jonas.
    let linked = app
        .put(
            &format!(
                "/api/v1/conversations/{}/tickets/TCK-TEAM-B",
                b.conversation
            ),
            &maya,
            json!({"title": "team-b-secret ticket", "status": "open"}),
        )
        .await;
    assert_eq!(linked.status, 201, "{:?}", linked.body);
    let mut a = Target {
        conversation: support[0].clone(),
        into: support[1].clone(),
        ..b.clone()
    };
    a.note = matrix::prepare(app, &maya, &a.conversation, "team-a").await;
    a.contact = matrix::contact_of(app, &maya, &a.conversation).await;
    let delivery = matrix::delivery(app, &maya, &[&b.conversation, &a.conversation]).await;
    for (target, failed) in [(&mut b, &delivery.failed[0]), (&mut a, &delivery.failed[1])] {
        target.integration = delivery.integration.clone();
        target.integration_token = delivery.token.clone();
        target.free_channel = delivery.free_channel.clone();
        target.message = failed.clone();
    }
    Teams { maya, jonas, b, a }
}

/// What the owner sees of a conversation: itself, its thread, notes, sessions and audit.
async fn owner_view(app: &TestApp, admin: &str, conversation: &str) -> Vec<serde_json::Value> {
    let base = format!("/api/v1/conversations/{conversation}");
    let mut out = Vec::new();
    for path in ["", "/messages?limit=200", "/notes", "/sessions", "/audit"] {
        let reply = app.get(&format!("{base}{path}"), admin).await;
        assert_eq!(reply.status, 200, "{path}");
        out.push(reply.body);
    }
    out
}

#[tokio::test]
async fn team_a_cannot_reach_team_b_through_any_conversation_operation() {
    let app = TestApp::new().await;
    let t = teams(&app).await;
    let owner_before = owner_view(&app, &t.maya, &t.b.conversation).await;
    let missing = Target {
        conversation: MISSING.into(),
        note: MISSING.into(),
        message: MISSING.into(),
        ..t.b.clone()
    };
    let mut checked = 0;
    for op in Op::of(Access::Conversation) {
        let before = snapshot(&app).await;
        let refused = call(&app, op, &t.b, Some(&t.jonas)).await;
        assert_eq!(refused.status, 404, "{op}: {:?}", refused.body);
        assert_error(&refused, 404, "not_found");
        assert_unchanged(
            &before,
            &snapshot(&app).await,
            &format!("{op} by team A on team B"),
        );
        // Indistinguishable from a conversation or note that does not exist.
        let absent = call(&app, op, &missing, Some(&t.jonas)).await;
        assert_eq!(
            (absent.status, &absent.body),
            (refused.status, &refused.body),
            "{op}"
        );
        // The control: the same call on his own team's conversation works.
        let allowed = call(&app, op, &t.a, Some(&t.jonas)).await;
        assert!(
            allowed.status.is_success(),
            "{op} on team A: {:?}",
            allowed.body
        );
        checked += 1;
    }
    assert_eq!(checked, 30);
    // The owner sees exactly what was there: same version, thread, notes, labels and audit.
    assert_eq!(
        owner_view(&app, &t.maya, &t.b.conversation).await,
        owner_before
    );
}

#[tokio::test]
async fn team_b_ids_in_a_body_query_or_list_reach_nothing() {
    let app = TestApp::new().await;
    let t = teams(&app).await;
    let owner_before = owner_view(&app, &t.maya, &t.b.conversation).await;
    // Merging his own conversation into team B's: refused like an unknown target.
    let merge = format!("/api/v1/conversations/{}/merge", t.a.conversation);
    let before = snapshot(&app).await;
    let refused = app
        .post(
            &merge,
            &t.jonas,
            json!({"into_conversation_id": t.b.conversation}),
        )
        .await;
    assert_error(&refused, 400, "invalid_request");
    assert_eq!(refused.body["error"]["field"], "into_conversation_id");
    let absent = app
        .post(&merge, &t.jonas, json!({"into_conversation_id": MISSING}))
        .await;
    assert_eq!(refused.body, absent.body);
    assert_unchanged(&before, &snapshot(&app).await, "merge into team B");

    for op in Op::of(Access::Filtered) {
        match op.path {
            "/conversations/bulk" => {
                let body = json!({"conversation_ids": [t.b.conversation, t.a.conversation], "status": "pending", "add_label": "matrix::bulk"});
                let reply = app.post("/api/v1/conversations/bulk", &t.jonas, body).await;
                assert_eq!(reply.body["not_found"], json!([t.b.conversation]), "{op}");
                assert_eq!(
                    ids(&json!({"items": reply.body["updated"]})),
                    vec![t.a.conversation.clone()],
                    "{op}"
                );
            }
            "/conversations" => {
                // Every filter that could single team B out, and a search for its text.
                for filter in [
                    "",
                    "team_id=3",
                    "label=vip",
                    "assignee_id=4",
                    "q=team-b-secret",
                    "status=pending",
                ] {
                    let path = format!("/api/v1/conversations?limit=200&{filter}");
                    let mine = app.get(&path, &t.jonas).await;
                    assert!(
                        !ids(&mine.body).contains(&t.b.conversation),
                        "{op} {filter}"
                    );
                    assert!(
                        mine.body["items"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .all(|c| c["team_id"] != "3"),
                        "{op} {filter}"
                    );
                    if filter.starts_with("q=") {
                        assert_eq!(mine.body["counts"]["all"], 0, "{op} {filter}");
                        assert!(
                            ids(&app.get(&path, &t.maya).await.body).contains(&t.b.conversation)
                        );
                    }
                }
            }
            "/contacts/{id}/conversations" => {
                let path = format!("/api/v1/contacts/{}/conversations", t.b.contact);
                let listed = |reply: common::Reply| ids(&json!({"items": reply.body}));
                assert!(
                    !listed(app.get(&path, &t.jonas).await).contains(&t.b.conversation),
                    "{op}"
                );
                assert!(
                    listed(app.get(&path, &t.maya).await).contains(&t.b.conversation),
                    "{op}"
                );
            }
            "/contacts/{id}/tickets" => {
                let path = format!("/api/v1/contacts/{}/tickets", t.b.contact);
                let linked = |reply: common::Reply| {
                    reply
                        .body
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|ticket| ticket["conversation_id"] == t.b.conversation.as_str())
                };
                let theirs = app.get(&path, &t.jonas).await;
                assert_eq!(theirs.status, 200, "{op}");
                assert!(!linked(theirs), "{op}");
                assert!(linked(app.get(&path, &t.maya).await), "{op}");
            }
            other => panic!("no check for the filtered operation {other}"),
        }
    }
    assert_eq!(
        owner_view(&app, &t.maya, &t.b.conversation).await,
        owner_before
    );
}

#[tokio::test]
async fn every_other_operation_keeps_to_its_class() {
    let app = TestApp::new().await;
    let t = teams(&app).await;
    let maya_view = app
        .post(
            "/api/v1/views",
            &t.maya,
            json!({"name": "Maya's", "columns": []}),
        )
        .await;
    let maya_token = app
        .post(
            "/api/v1/tokens",
            &t.maya,
            json!({"name": "Host", "scope": "agent"}),
        )
        .await;
    let embed_token = app
        .post(
            "/api/v1/tokens",
            &t.maya,
            json!({"name": "Host backend", "scope": "embed"}),
        )
        .await;
    let theirs = Target {
        embed_token: embed_token.body["token"].as_str().unwrap().into(),
        stage: "spam".into(),
        staff: "3".into(),
        view: maya_view.body["id"].as_str().unwrap().into(),
        token: maya_token.body["id"].as_str().unwrap().into(),
        disposition: "7".into(),
        team: "2".into(),
        ..t.b.clone()
    };
    // Maya's own personal canned response, and a shared one for everyone.
    let maya_canned = app
        .post(
            "/api/v1/canned-responses",
            &t.maya,
            json!({"short_code": "mayas", "body": "Maya's own"}),
        )
        .await;
    let shared_canned = app
        .post(
            "/api/v1/canned-responses",
            &t.maya,
            json!({"short_code": "for-all", "body": "For everyone", "scope": "shared"}),
        )
        .await;
    let theirs = Target {
        canned: maya_canned.body["id"].as_str().unwrap().into(),
        shared_canned: shared_canned.body["id"].as_str().unwrap().into(),
        ..theirs
    };
    let owner_before = owner_view(&app, &t.maya, &t.b.conversation).await;
    let availability = app.get("/api/v1/me", &t.maya).await.body["availability"].clone();
    for op in OPERATIONS {
        let before = snapshot(&app).await;
        match op.access {
            // Exercised by the two tests above, and uploads by the one below.
            Access::Conversation | Access::Filtered | Access::Uploads => {}
            Access::Public => {
                let reply = call(&app, op, &theirs, None).await;
                assert_eq!(
                    reply.status, 200,
                    "{op} without a credential: {:?}",
                    reply.body
                );
            }
            Access::OwnSession
            | Access::OwnStream
            | Access::Catalogue
            | Access::SharedContacts
            | Access::CreatesOwn => {
                // Sign-out on a token of its own, so Jonas stays signed in for the rest.
                let token = if op.path == "/auth/sign-out" {
                    app.sign_in("jonas").await
                } else {
                    t.jonas.clone()
                };
                let reply = call(&app, op, &theirs, Some(&token)).await;
                if op.access == Access::CreatesOwn {
                    assert_ne!(reply.body["id"], t.b.conversation.as_str(), "{op}");
                    assert_eq!(reply.body["assignee_id"], "2", "{op}");
                }
                assert!(
                    reply.status.is_success(),
                    "{op} as an agent: {:?}",
                    reply.body
                );
            }
            Access::OwnerOnly if op.path.contains("{id}") => {
                let refused = call(&app, op, &theirs, Some(&t.jonas)).await;
                assert_error(&refused, 404, "not_found");
                assert_unchanged(
                    &before,
                    &snapshot(&app).await,
                    &format!("{op} on another agent's view"),
                );
                let absent = call(
                    &app,
                    op,
                    &Target {
                        view: MISSING.into(),
                        ..theirs.clone()
                    },
                    Some(&t.jonas),
                )
                .await;
                assert_eq!(absent.body, refused.body, "{op}");
            }
            Access::OwnerOnly => {
                let reply = call(&app, op, &theirs, Some(&t.jonas)).await;
                assert!(reply.status.is_success(), "{op}: {:?}", reply.body);
                let views = app.get("/api/v1/views", &t.jonas).await.body;
                assert!(
                    views
                        .as_array()
                        .unwrap()
                        .iter()
                        .all(|v| v["owner_id"] == "2"),
                    "{op}: {views}"
                );
            }
            Access::CannedResponses if op.path.contains("{id}") => {
                // Maya's personal one: the same answer as for one that does not exist.
                let refused = call(&app, op, &theirs, Some(&t.jonas)).await;
                assert_error(&refused, 404, "not_found");
                assert_unchanged(
                    &before,
                    &snapshot(&app).await,
                    &format!("{op} on another agent's canned response"),
                );
                let absent = call(
                    &app,
                    op,
                    &Target {
                        canned: MISSING.into(),
                        ..theirs.clone()
                    },
                    Some(&t.jonas),
                )
                .await;
                assert_eq!(absent.body, refused.body, "{op}");
                // A shared one: Jonas uses it but changes nothing; Maya keeps it.
                let shared = Target {
                    canned: theirs.shared_canned.clone(),
                    ..theirs.clone()
                };
                let forbidden = call(&app, op, &shared, Some(&t.jonas)).await;
                assert_error(&forbidden, 403, "forbidden");
                assert_unchanged(
                    &before,
                    &snapshot(&app).await,
                    &format!("{op} on a shared canned response by an agent"),
                );
                let admin = call(&app, op, &shared, Some(&t.maya)).await;
                assert!(
                    admin.status.is_success(),
                    "{op} as an admin: {:?}",
                    admin.body
                );
            }
            Access::CannedResponses => {
                let reply = call(&app, op, &theirs, Some(&t.jonas)).await;
                assert!(reply.status.is_success(), "{op}: {:?}", reply.body);
                let listed = app.get("/api/v1/canned-responses", &t.jonas).await.body;
                assert!(
                    listed
                        .as_array()
                        .unwrap()
                        .iter()
                        .all(|r| r["scope"] == "shared" || r["owner_id"] == "2"),
                    "{op}: {listed}"
                );
            }
            Access::EmbedExchange => {
                for who in [&t.jonas, &t.maya] {
                    let refused = call(&app, op, &theirs, Some(who)).await;
                    assert_error(&refused, 403, "forbidden");
                }
                assert_unchanged(&before, &snapshot(&app).await, &format!("{op} by sessions"));
                let reply = call(&app, op, &theirs, Some(&theirs.embed_token)).await;
                assert!(
                    reply.status.is_success(),
                    "{op} with an embed token: {:?}",
                    reply.body
                );
            }
            Access::IntegrationToken => {
                for who in [&t.jonas, &t.maya] {
                    let refused = call(&app, op, &theirs, Some(who)).await;
                    assert_error(&refused, 403, "forbidden");
                }
                assert_unchanged(&before, &snapshot(&app).await, &format!("{op} by agents"));
                // On team A's reply: what team B's owner sees must stay as it was (below).
                let own = Target {
                    message: t.a.message.clone(),
                    ..theirs.clone()
                };
                let reply = call(&app, op, &own, Some(&theirs.integration_token)).await;
                assert!(
                    reply.status.is_success(),
                    "{op} with the integration's token: {:?}",
                    reply.body
                );
            }
            Access::AdminSession | Access::Inbound | Access::AdminSettings => {
                let refused = call(&app, op, &theirs, Some(&t.jonas)).await;
                assert_error(&refused, 403, "forbidden");
                assert_unchanged(&before, &snapshot(&app).await, &format!("{op} by an agent"));
                let admin = call(&app, op, &theirs, Some(&t.maya)).await;
                assert!(
                    admin.status.is_success(),
                    "{op} as an admin: {:?}",
                    admin.body
                );
            }
        }
    }
    // What Jonas changed of his own stays his: Maya is still online and signed in.
    let maya = app.get("/api/v1/me", &t.maya).await;
    assert_eq!(maya.body["availability"], availability, "{:?}", maya.body);
    assert_eq!(
        app.get("/api/v1/me", &t.jonas).await.body["availability"],
        "away"
    );
    assert_eq!(
        owner_view(&app, &t.maya, &t.b.conversation).await,
        owner_before
    );
}

/// `POST /uploads` for team B's conversation and `GET /uploads/{id}` of team B's file are 404
/// for Jonas (team A), exactly as for a conversation or file that does not exist; his own
/// team's work, and Maya (admin) reads team B's file.
#[tokio::test]
async fn uploads_keep_to_their_conversations() {
    use axum::body::Body;
    use axum::http::Request;
    let app = TestApp::new().await;
    let t = teams(&app).await;
    let upload = |token: String, conversation: String| {
        let request = Request::builder()
            .method("POST")
            .uri(format!(
                "/api/v1/uploads?conversation_id={conversation}&name=notes.txt"
            ))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "text/plain")
            .body(Body::from(format!("for {conversation}")))
            .unwrap();
        let app = &app;
        async move {
            let response = app.raw(request).await;
            let status = response.status().as_u16();
            let bytes = http_body_util::BodyExt::collect(response.into_body())
                .await
                .unwrap()
                .to_bytes();
            (
                status,
                serde_json::from_slice::<serde_json::Value>(&bytes).unwrap(),
            )
        }
    };
    let (status, refused) = upload(t.jonas.clone(), t.b.conversation.clone()).await;
    assert_eq!(status, 404, "{refused}");
    let (_, absent) = upload(t.jonas.clone(), MISSING.into()).await;
    assert_eq!(refused, absent);
    let (status, theirs) = upload(t.maya.clone(), t.b.conversation.clone()).await;
    assert_eq!(status, 201, "{theirs}");
    let (status, own) = upload(t.jonas.clone(), t.a.conversation.clone()).await;
    assert_eq!(status, 201, "{own}");

    let file = |id: &serde_json::Value| format!("/api/v1/uploads/{}", id.as_str().unwrap());
    assert_error(
        &app.get(&file(&theirs["id"]), &t.jonas).await,
        404,
        "not_found",
    );
    let missing = format!("/api/v1/uploads/{}", "0".repeat(64));
    assert_error(&app.get(&missing, &t.jonas).await, 404, "not_found");
    assert_eq!(app.get(&file(&own["id"]), &t.jonas).await.status, 200);
    assert_eq!(app.get(&file(&theirs["id"]), &t.maya).await.status, 200);
}
