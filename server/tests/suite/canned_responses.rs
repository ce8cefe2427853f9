//! Canned responses (issue #23): agents keep their own personal ones, admins the shared ones
//! (for everyone or one team); each agent lists what they may use; short codes are unique in
//! their scope; personal changes reach only their owner's apps, shared ones everyone's.

use crate::common;

use common::sse::Stream;
use common::{TestApp, assert_error};
use serde_json::{Value, json};
use std::time::Duration;

const PATH: &str = "/api/v1/canned-responses";

fn codes(list: &Value) -> Vec<String> {
    let mut out: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["short_code"].as_str().unwrap().to_string())
        .collect();
    out.sort();
    out
}

fn item_path(reply: &Value) -> String {
    format!("{PATH}/{}", reply["id"].as_str().unwrap())
}

#[tokio::test]
async fn each_agent_lists_their_own_and_the_shared_ones_for_everyone_or_their_teams() {
    let app = TestApp::new().await;
    // The demo: Jonas (Support) has `lookup` and `callback`; Maya (admin) has `escalate`;
    // shared: `hello`, `thanks`, `email-confirm` for everyone, `demo` for Sales, `refund` for Billing.
    let jonas = app.sign_in("jonas").await;
    let aiko = app.sign_in("aiko").await;
    let maya = app.sign_in("maya").await;
    let listed = app.get(PATH, &jonas).await;
    assert_eq!(listed.status, 200, "{:?}", listed.body);
    assert_eq!(
        codes(&listed.body),
        ["callback", "email-confirm", "hello", "lookup", "thanks"]
    );
    assert!(listed.body.as_array().unwrap().iter().all(|r| {
        (r["scope"] == "personal" && r["owner_id"] == "2")
            || (r["scope"] == "shared" && r.get("owner_id").is_none())
    }));
    // Aiko is in Sales: Sales' `demo`, and no one's personal ones.
    assert_eq!(
        codes(&app.get(PATH, &aiko).await.body),
        ["demo", "email-confirm", "hello", "thanks"]
    );
    // Admins see every shared one (they keep them) and only their own personal ones.
    assert_eq!(
        codes(&app.get(PATH, &maya).await.body),
        [
            "demo",
            "email-confirm",
            "escalate",
            "hello",
            "refund",
            "thanks"
        ]
    );
}

#[tokio::test]
async fn an_agent_creates_changes_and_deletes_their_own_personal_ones() {
    let app = TestApp::new().await;
    let jonas = app.sign_in("jonas").await;
    let priya = app.sign_in("priya").await;
    let created = app
        .post(
            PATH,
            &jonas,
            json!({"short_code": " /Shipping ", "title": " Shipping times ", "body": "Hi {{contact.first_name}}, parcels take 2 days.\n"}),
        )
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    assert_eq!(created.body["short_code"], "shipping");
    assert_eq!(created.body["title"], "Shipping times");
    assert_eq!(
        created.body["body"],
        "Hi {{contact.first_name}}, parcels take 2 days."
    );
    assert_eq!(created.body["scope"], "personal");
    assert_eq!(created.body["owner_id"], "2");
    assert_eq!(created.body["version"], 1);
    let path = item_path(&created.body);

    // Another agent: as if it did not exist.
    for refused in [
        app.patch(&path, &priya, None, json!({"body": "Mine now"}))
            .await,
        app.delete(&path, &priya).await,
    ] {
        assert_error(&refused, 404, "not_found");
    }
    assert!(!codes(&app.get(PATH, &priya).await.body).contains(&"shipping".to_string()));

    let changed = app
        .patch(
            &path,
            &jonas,
            Some("1"),
            json!({"short_code": "ship", "title": "", "body": "Two days, {{contact.first_name}}."}),
        )
        .await;
    assert_eq!(changed.status, 200, "{:?}", changed.body);
    assert_eq!(changed.body["short_code"], "ship");
    assert!(changed.body.get("title").is_none(), "{:?}", changed.body);
    assert_eq!(changed.body["version"], 2);
    let stale = app
        .patch(&path, &jonas, Some("1"), json!({"body": "Stale"}))
        .await;
    assert_error(&stale, 409, "conflict");
    assert_eq!(stale.body["error"]["current"]["version"], 2);

    let deleted = app.delete(&path, &jonas).await;
    assert_eq!(deleted.status, 204, "{:?}", deleted.body);
    assert_error(&app.delete(&path, &jonas).await, 404, "not_found");
    assert!(!codes(&app.get(PATH, &jonas).await.body).contains(&"ship".to_string()));
}

#[tokio::test]
async fn only_admins_add_change_and_delete_shared_ones() {
    let app = TestApp::new().await;
    let jonas = app.sign_in("jonas").await;
    let maya = app.sign_in("maya").await;
    let refused = app
        .post(
            PATH,
            &jonas,
            json!({"short_code": "policy", "body": "Our policy", "scope": "shared"}),
        )
        .await;
    assert_error(&refused, 403, "forbidden");
    let hello = app
        .get(PATH, &jonas)
        .await
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["short_code"] == "hello")
        .cloned()
        .unwrap();
    let hello_path = item_path(&hello);
    assert_error(
        &app.patch(&hello_path, &jonas, None, json!({"body": "Yo"}))
            .await,
        403,
        "forbidden",
    );
    assert_error(&app.delete(&hello_path, &jonas).await, 403, "forbidden");
    // A shared one for a team Jonas is not in does not exist for him.
    let refund = app
        .get(PATH, &maya)
        .await
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["short_code"] == "refund")
        .cloned()
        .unwrap();
    assert_error(
        &app.delete(&item_path(&refund), &jonas).await,
        404,
        "not_found",
    );
    // An admin's own personal one is not Jonas's either.
    let escalate = app
        .get(PATH, &maya)
        .await
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["short_code"] == "escalate")
        .cloned()
        .unwrap();
    assert_error(
        &app.patch(&item_path(&escalate), &jonas, None, json!({"body": "x"}))
            .await,
        404,
        "not_found",
    );

    let shared = app
        .post(
            PATH,
            &maya,
            json!({"short_code": "policy", "title": "Policy", "body": "See our policy, {{contact.first_name}}.", "scope": "shared", "team_id": "1"}),
        )
        .await;
    assert_eq!(shared.status, 201, "{:?}", shared.body);
    assert_eq!(shared.body["team_id"], "1");
    assert!(shared.body.get("owner_id").is_none());
    assert!(codes(&app.get(PATH, &jonas).await.body).contains(&"policy".to_string()));
    // Moved to Sales: gone from Jonas's list; then for everyone.
    let path = item_path(&shared.body);
    let moved = app.patch(&path, &maya, None, json!({"team_id": "2"})).await;
    assert_eq!(moved.body["team_id"], "2", "{:?}", moved.body);
    assert!(!codes(&app.get(PATH, &jonas).await.body).contains(&"policy".to_string()));
    let everyone = app
        .patch(&path, &maya, None, json!({"team_id": null}))
        .await;
    assert!(
        everyone.body.get("team_id").is_none(),
        "{:?}",
        everyone.body
    );
    assert!(codes(&app.get(PATH, &jonas).await.body).contains(&"policy".to_string()));
    assert_eq!(app.delete(&path, &maya).await.status, 204);
    assert!(!codes(&app.get(PATH, &jonas).await.body).contains(&"policy".to_string()));
}

#[tokio::test]
async fn short_codes_are_unique_in_their_scope_and_bad_input_is_named() {
    let app = TestApp::new().await;
    let jonas = app.sign_in("jonas").await;
    let priya = app.sign_in("priya").await;
    let maya = app.sign_in("maya").await;
    let field_error = |reply: &common::Reply, field: &str| {
        assert_error(reply, 400, "invalid_request");
        assert_eq!(reply.body["error"]["field"], field, "{:?}", reply.body);
    };
    // Jonas has `lookup` already; Priya may have her own `lookup`.
    let taken = app
        .post(PATH, &jonas, json!({"short_code": "LOOKUP", "body": "x"}))
        .await;
    field_error(&taken, "short_code");
    assert!(
        taken.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("/lookup"),
        "{:?}",
        taken.body
    );
    let hers = app
        .post(PATH, &priya, json!({"short_code": "lookup", "body": "x"}))
        .await;
    assert_eq!(hers.status, 201, "{:?}", hers.body);
    // A personal one may share a code with a shared one; two shared ones may not.
    let personal_hello = app
        .post(PATH, &jonas, json!({"short_code": "hello", "body": "Hey"}))
        .await;
    assert_eq!(personal_hello.status, 201, "{:?}", personal_hello.body);
    field_error(
        &app.post(
            PATH,
            &maya,
            json!({"short_code": "hello", "body": "Hi", "scope": "shared"}),
        )
        .await,
        "short_code",
    );
    // Renaming onto one's own other code.
    field_error(
        &app.patch(
            &item_path(&personal_hello.body),
            &jonas,
            None,
            json!({"short_code": "callback"}),
        )
        .await,
        "short_code",
    );
    for (body, field) in [
        (
            json!({"short_code": "two words", "body": "x"}),
            "short_code",
        ),
        (json!({"short_code": "", "body": "x"}), "short_code"),
        (
            json!({"short_code": "a".repeat(41), "body": "x"}),
            "short_code",
        ),
        (json!({"short_code": "ok", "body": "   "}), "body"),
        (
            json!({"short_code": "ok", "body": "x".repeat(5001)}),
            "body",
        ),
        (
            json!({"short_code": "ok", "body": "x", "title": "t".repeat(101)}),
            "title",
        ),
        (
            json!({"short_code": "ok", "body": "x", "team_id": "1"}),
            "team_id",
        ),
    ] {
        field_error(&app.post(PATH, &jonas, body.clone()).await, field);
    }
    for team in ["99", "not-a-team"] {
        field_error(
            &app.post(
                PATH,
                &maya,
                json!({"short_code": "ok", "body": "x", "scope": "shared", "team_id": team}),
            )
            .await,
            "team_id",
        );
    }
    let bad_scope = app
        .post(
            PATH,
            &maya,
            json!({"short_code": "ok", "body": "x", "scope": "public"}),
        )
        .await;
    assert_eq!(bad_scope.status, 400, "{:?}", bad_scope.body);
    assert_error(
        &app.patch(&format!("{PATH}/abc"), &jonas, None, json!({}))
            .await,
        404,
        "not_found",
    );
}

#[tokio::test]
async fn a_personal_change_reaches_its_owner_only_and_a_shared_one_everyone() {
    let app = TestApp::new().await;
    let jonas = app.sign_in("jonas").await;
    let priya = app.sign_in("priya").await;
    let maya = app.sign_in("maya").await;
    let mut jonas_stream = Stream::open(&app, &jonas, None).await;
    let mut priya_stream = Stream::open(&app, &priya, None).await;
    let created = app
        .post(PATH, &jonas, json!({"short_code": "mine", "body": "Mine"}))
        .await;
    assert_eq!(created.status, 201);
    let events = jonas_stream.take(1, Duration::from_millis(500)).await;
    assert_eq!(events[0]["type"], "canned_responses_changed");
    assert_eq!(events[0]["data"]["scope"], "personal");
    let shared = app
        .post(
            PATH,
            &maya,
            json!({"short_code": "all", "body": "For all", "scope": "shared"}),
        )
        .await;
    assert_eq!(shared.status, 201);
    // Priya hears of the shared one and nothing of Jonas's.
    let events = priya_stream.take(2, Duration::from_millis(500)).await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["type"], "canned_responses_changed");
    assert_eq!(events[0]["data"]["scope"], "shared");
    let events = jonas_stream.take(1, Duration::from_millis(500)).await;
    assert_eq!(events[0]["data"]["scope"], "shared");
}
