//! Custom attribute definitions kept by admins (issue #21): defined with a key made from the
//! name, renamed without losing values, list options renamed with every stored value
//! rewritten, deleted with every value (counted first), required ones enforced; conversations
//! filtered by a value; agents only read them; everyone hears of every change.

use crate::common;

use common::sse::Stream;
use common::{TestApp, assert_error};
use serde_json::{Value, json};
use std::time::Duration;

const DEFINITIONS: &str = "/api/v1/attribute-definitions";

async fn first_conversation(app: &TestApp, token: &str) -> Value {
    let page = app.get("/api/v1/conversations?limit=1", token).await;
    page.body["items"][0].clone()
}

async fn set_attribute(app: &TestApp, token: &str, id: &str, key: &str, value: Value) -> Value {
    let current = app.get(&format!("/api/v1/conversations/{id}"), token).await;
    let version = current.body["version"].as_i64().unwrap().to_string();
    let reply = app
        .patch(
            &format!("/api/v1/conversations/{id}"),
            token,
            Some(&version),
            json!({"attributes": {key: value}}),
        )
        .await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    reply.body
}

#[tokio::test]
async fn a_list_attribute_is_defined_set_renamed_filtered_and_deleted() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let jonas = app.sign_in("jonas").await;
    let mut stream = Stream::open(&app, &jonas, None).await;

    let created = app
        .post(
            DEFINITIONS,
            &maya,
            json!({"name": " Shipping speed ", "applies_to": "conversation", "type": "list",
                   "options": ["Standard", "Express"]}),
        )
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    assert_eq!(created.body["key"], "shipping_speed");
    assert_eq!(created.body["name"], "Shipping speed");
    let events = stream.take(1, Duration::from_millis(500)).await;
    assert_eq!(events[0]["type"], "attribute_definitions_changed");
    assert!(
        events[0]["data"]["definitions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["key"] == "shipping_speed")
    );

    let conversation = first_conversation(&app, &jonas).await;
    let id = conversation["id"].as_str().unwrap().to_string();
    let set = set_attribute(
        &app,
        &jonas,
        &id,
        "shipping_speed",
        json!({"type": "list", "value": "Express"}),
    )
    .await;
    let version_after_set = set["version"].as_i64().unwrap();
    let filtered = app
        .get(
            "/api/v1/conversations?attribute=shipping_speed:Express",
            &jonas,
        )
        .await;
    assert_eq!(filtered.status, 200, "{:?}", filtered.body);
    let found: Vec<&str> = filtered.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(found, vec![id.as_str()]);

    // Renaming the definition and an option: the stored value follows, the version stays.
    let renamed = app
        .patch(
            &format!("{DEFINITIONS}/conversation/shipping_speed"),
            &maya,
            Some("1"),
            json!({"name": "Delivery speed", "options": ["Standard", "Next day"],
                   "renamed_options": {"Express": "Next day"}}),
        )
        .await;
    assert_eq!(renamed.status, 200, "{:?}", renamed.body);
    assert_eq!(renamed.body["key"], "shipping_speed");
    assert_eq!(renamed.body["name"], "Delivery speed");
    let stored = app
        .get(&format!("/api/v1/conversations/{id}"), &jonas)
        .await;
    assert_eq!(
        stored.body["attributes"]["shipping_speed"],
        json!({"type": "list", "value": "Next day"})
    );
    assert_eq!(stored.body["version"].as_i64().unwrap(), version_after_set);
    let events = stream.take(4, Duration::from_millis(500)).await;
    let changed = events
        .iter()
        .find(|e| e["type"] == "attribute_definitions_changed")
        .expect("attribute_definitions_changed");
    assert_eq!(
        changed["data"]["values"],
        json!({"applies_to": "conversation", "key": "shipping_speed",
               "renamed_options": {"Express": "Next day"}, "removed": false})
    );
    let by_new_name = app
        .get(
            "/api/v1/conversations?attribute=shipping_speed:Next%20day",
            &jonas,
        )
        .await;
    assert_eq!(by_new_name.body["items"].as_array().unwrap().len(), 1);

    // The type cannot change under stored values; deleting counts them first.
    let retyped = app
        .patch(
            &format!("{DEFINITIONS}/conversation/shipping_speed"),
            &maya,
            None,
            json!({"type": "text"}),
        )
        .await;
    assert_error(&retyped, 400, "invalid_request");
    let usage = app
        .get(
            &format!("{DEFINITIONS}/conversation/shipping_speed/usage"),
            &maya,
        )
        .await;
    assert_eq!(usage.body, json!({"records": 1}));
    let deleted = app
        .delete(&format!("{DEFINITIONS}/conversation/shipping_speed"), &maya)
        .await;
    assert_eq!(deleted.status, 204, "{:?}", deleted.body);
    let stored = app
        .get(&format!("/api/v1/conversations/{id}"), &jonas)
        .await;
    assert!(stored.body["attributes"].get("shipping_speed").is_none());
    let gone = app
        .get(
            &format!("{DEFINITIONS}/conversation/shipping_speed/usage"),
            &maya,
        )
        .await;
    assert_error(&gone, 404, "not_found");
}

#[tokio::test]
async fn definitions_refuse_what_would_not_make_sense() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let jonas = app.sign_in("jonas").await;
    for body in [
        json!({"name": "", "applies_to": "contact", "type": "text"}),
        json!({"name": "Plan", "applies_to": "contact", "type": "text"}),
        json!({"name": "Tier", "applies_to": "contact", "type": "list"}),
        json!({"name": "Tier", "applies_to": "contact", "type": "list", "options": ["A", "A"]}),
        json!({"name": "Notes", "applies_to": "contact", "type": "text", "options": ["A"]}),
        json!({"name": "Score", "applies_to": "contact", "type": "number", "minimum": 5, "maximum": 1}),
        json!({"name": "Code", "key": "Bad Key", "applies_to": "contact", "type": "text"}),
        json!({"name": "Plan two", "key": "plan", "applies_to": "contact", "type": "text"}),
    ] {
        let refused = app.post(DEFINITIONS, &maya, body.clone()).await;
        assert_error(&refused, 400, "invalid_request");
        assert!(
            refused.body["error"]["field"].is_string(),
            "{body}: {:?}",
            refused.body
        );
    }
    // Each kind of record lists its definitions from position 0.
    let all = app.get(DEFINITIONS, &jonas).await;
    for kind in ["contact", "conversation"] {
        let positions: Vec<u64> = all
            .body
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["applies_to"] == kind)
            .map(|d| d["position"].as_u64().unwrap())
            .collect();
        assert_eq!(
            positions,
            (0..positions.len() as u64).collect::<Vec<_>>(),
            "{kind}"
        );
    }
    let bounded = app
        .post(
            DEFINITIONS,
            &maya,
            json!({"name": "Score", "applies_to": "contact", "type": "number", "minimum": -1.5}),
        )
        .await;
    assert_eq!(bounded.status, 201, "{:?}", bounded.body);
    assert_eq!(bounded.body["minimum"], -1.5);
    let unbounded = app
        .patch(
            &format!("{DEFINITIONS}/contact/score"),
            &maya,
            None,
            json!({"minimum": null, "position": 0}),
        )
        .await;
    assert_eq!(unbounded.status, 200, "{:?}", unbounded.body);
    assert!(unbounded.body.get("minimum").is_none());
    assert_eq!(unbounded.body["position"], 0);
    let unknown_option = app
        .patch(
            &format!("{DEFINITIONS}/contact/plan"),
            &maya,
            None,
            json!({"renamed_options": {"Nope": "Free"}}),
        )
        .await;
    assert_error(&unknown_option, 400, "invalid_request");
    let by_agent = app
        .post(
            DEFINITIONS,
            &jonas,
            json!({"name": "Mine", "applies_to": "contact", "type": "text"}),
        )
        .await;
    assert_error(&by_agent, 403, "forbidden");
    let missing = app
        .patch(
            &format!("{DEFINITIONS}/ticket/plan"),
            &maya,
            None,
            json!({}),
        )
        .await;
    assert_error(&missing, 404, "not_found");
    let bad_filter = app
        .get("/api/v1/conversations?attribute=no-colon", &jonas)
        .await;
    assert_error(&bad_filter, 400, "invalid_request");
}

#[tokio::test]
async fn a_required_conversation_attribute_is_set_before_resolving_and_never_cleared() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let created = app
        .post(
            DEFINITIONS,
            &maya,
            json!({"name": "Root cause", "applies_to": "conversation", "type": "text", "required": true}),
        )
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    let page = app
        .get("/api/v1/conversations?status=open&team_id=1&limit=1", &maya)
        .await;
    let conversation = &page.body["items"][0];
    let id = conversation["id"].as_str().unwrap().to_string();
    let resolve = |version: String| {
        let app = &app;
        let maya = &maya;
        let id = id.clone();
        async move {
            app.call(
                axum::http::Method::POST,
                &format!("/api/v1/conversations/{id}/resolve"),
                Some(maya),
                None,
                &[("if-match", version.as_str())],
            )
            .await
        }
    };
    let refused = resolve(conversation["version"].to_string()).await;
    assert_error(&refused, 400, "invalid_request");
    assert_eq!(refused.body["error"]["field"], "attributes.root_cause");
    assert_eq!(
        refused.body["error"]["message"],
        "Set Root cause before resolving"
    );
    let set = set_attribute(
        &app,
        &maya,
        &id,
        "root_cause",
        json!({"type": "text", "value": "Courier lost the parcel"}),
    )
    .await;
    let cleared = app
        .patch(
            &format!("/api/v1/conversations/{id}"),
            &maya,
            Some(&set["version"].to_string()),
            json!({"attributes": {"root_cause": null}}),
        )
        .await;
    assert_error(&cleared, 400, "invalid_request");
    let resolved = resolve(set["version"].to_string()).await;
    assert_eq!(resolved.status, 200, "{:?}", resolved.body);
}
