//! The label catalogue kept by admins (issue #21): colour and description, rename (carried to
//! every conversation, contact and saved view, the list's label counts following, the scope
//! rule kept) and delete (gone everywhere, the usage counted first); agents add labels but
//! change none; every open app hears of each change.

use crate::common;

use common::sse::Stream;
use common::{TestApp, assert_error};
use serde_json::{Value, json};
use std::time::Duration;

/// The list's counts agree with its items under a label filter (one page holds the demo).
async fn assert_label_counts(app: &TestApp, token: &str, me: &str, label: &str) -> usize {
    let encoded = urlencoding(label);
    let page = app
        .get(
            &format!("/api/v1/conversations?limit=200&label={encoded}"),
            token,
        )
        .await;
    assert_eq!(page.status, 200, "{:?}", page.body);
    let items = page.body["items"].as_array().unwrap();
    let mine = items.iter().filter(|c| c["assignee_id"] == me).count() as u64;
    let unassigned = items
        .iter()
        .filter(|c| c.get("assignee_id").is_none())
        .count() as u64;
    let counts = &page.body["counts"];
    assert_eq!(
        (
            counts["mine"].as_u64().unwrap(),
            counts["unassigned"].as_u64().unwrap(),
            counts["all"].as_u64().unwrap()
        ),
        (mine, unassigned, items.len() as u64),
        "counts of label {label}"
    );
    items.len()
}

fn urlencoding(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn labels_of(value: &Value) -> Vec<String> {
    value["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .collect()
}

/// A conversation holding `vip` and a contact given `vip` too, as Maya (admin).
async fn vip_conversation_and_contact(app: &TestApp, maya: &str) -> (Value, Value) {
    let page = app
        .get("/api/v1/conversations?limit=200&label=vip", maya)
        .await;
    let conversation = page.body["items"][0].clone();
    let contact_id = conversation["contact"]["id"].as_str().unwrap().to_string();
    let contact = app
        .get(&format!("/api/v1/contacts/{contact_id}"), maya)
        .await;
    let version = contact.body["version"].to_string();
    let mut labels = labels_of(&contact.body);
    labels.push("vip".into());
    let saved = app
        .patch(
            &format!("/api/v1/contacts/{contact_id}"),
            maya,
            Some(&version),
            json!({"labels": labels}),
        )
        .await;
    assert_eq!(saved.status, 200, "{:?}", saved.body);
    (conversation, saved.body)
}

#[tokio::test]
async fn a_rename_reaches_every_conversation_contact_and_view() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let (conversation, contact) = vip_conversation_and_contact(&app, &maya).await;
    let cid = conversation["id"].as_str().unwrap();
    let contact_id = contact["id"].as_str().unwrap();
    let vip_count = assert_label_counts(&app, &maya, "1", "vip").await;
    assert!(vip_count >= 1);
    let view = app
        .post(
            "/api/v1/views",
            &maya,
            json!({"name": "VIPs", "columns": [], "filter": {"label": "vip", "status": "open"}}),
        )
        .await;
    assert_eq!(view.status, 201, "{:?}", view.body);
    let usage = app.get("/api/v1/labels/vip/usage", &maya).await;
    assert_eq!(usage.status, 200, "{:?}", usage.body);
    assert_eq!(usage.body["conversations"], vip_count as u64);
    assert!(usage.body["contacts"].as_u64().unwrap() >= 1);
    assert_eq!(usage.body["views"], 1);

    let jonas = app.sign_in("jonas").await;
    let mut stream = Stream::open(&app, &jonas, None).await;
    let mut own_stream = Stream::open(&app, &maya, None).await;
    let renamed = app
        .patch(
            "/api/v1/labels/vip",
            &maya,
            None,
            json!({"name": "Very important", "color": "#0E7490", "description": "Spends a lot"}),
        )
        .await;
    assert_eq!(renamed.status, 200, "{:?}", renamed.body);
    assert_eq!(
        renamed.body,
        json!({"name": "Very important", "color": "#0e7490", "description": "Spends a lot"})
    );
    let events = stream.take(1, Duration::from_millis(500)).await;
    assert_eq!(events[0]["type"], "label_renamed");
    assert_eq!(events[0]["data"]["from"], "vip");
    assert_eq!(events[0]["data"]["label"]["name"], "Very important");
    let own = own_stream
        .take_until(Duration::from_millis(500), |e| e["type"] == "label_renamed")
        .await;
    assert!(
        own.iter()
            .any(|e| e["type"] == "view_saved" && e["data"]["filter"]["label"] == "Very important"),
        "the view's owner hears of its new filter: {own:?}"
    );

    // The conversation holds the new name at the same place, and its version did not move.
    let after = app
        .get(&format!("/api/v1/conversations/{cid}"), &maya)
        .await;
    let before_labels = labels_of(&conversation);
    let at = before_labels.iter().position(|l| l == "vip").unwrap();
    assert_eq!(labels_of(&after.body)[at], "Very important");
    assert!(!labels_of(&after.body).contains(&"vip".to_string()));
    assert_eq!(after.body["version"], conversation["version"]);
    let contact_after = app
        .get(&format!("/api/v1/contacts/{contact_id}"), &maya)
        .await;
    assert!(labels_of(&contact_after.body).contains(&"Very important".to_string()));
    assert!(!labels_of(&contact_after.body).contains(&"vip".to_string()));
    assert_eq!(contact_after.body["version"], contact["version"]);
    let views = app.get("/api/v1/views", &maya).await;
    let saved_view = views
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == view.body["id"])
        .unwrap();
    assert_eq!(saved_view["filter"]["label"], "Very important");
    assert_eq!(
        saved_view["filter"]["status"], "open",
        "the rest of the filter stays"
    );
    assert_eq!(saved_view["version"], 2);

    // The list filters and counts under the new name; the old one holds nothing.
    assert_eq!(
        assert_label_counts(&app, &maya, "1", "Very important").await,
        vip_count
    );
    assert_eq!(assert_label_counts(&app, &maya, "1", "vip").await, 0);
    assert_label_counts(&app, &jonas, "2", "Very important").await;
    let catalogue = app.get("/api/v1/labels", &jonas).await;
    let names: Vec<&str> = catalogue
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Very important") && !names.contains(&"vip"));

    // An agent's change with the version they had still applies after the rename.
    let patched = app
        .patch(
            &format!("/api/v1/conversations/{cid}"),
            &maya,
            Some(&conversation["version"].to_string()),
            json!({"priority": "low"}),
        )
        .await;
    assert_eq!(patched.status, 200, "{:?}", patched.body);
}

#[tokio::test]
async fn a_renamed_scoped_label_replaces_the_other_of_its_scope() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let page = app
        .get("/api/v1/conversations?limit=200&label=vip", &maya)
        .await;
    let conversation = &page.body["items"][0];
    let cid = conversation["id"].as_str().unwrap();
    let added = app
        .post(
            &format!("/api/v1/conversations/{cid}/labels"),
            &maya,
            json!({"label": "tier::silver"}),
        )
        .await;
    assert_eq!(added.status, 200, "{:?}", added.body);
    assert!(labels_of(&added.body).contains(&"tier::silver".to_string()));

    let renamed = app
        .patch(
            "/api/v1/labels/vip",
            &maya,
            None,
            json!({"name": "tier::gold"}),
        )
        .await;
    assert_eq!(renamed.status, 200, "{:?}", renamed.body);
    let after = app
        .get(&format!("/api/v1/conversations/{cid}"), &maya)
        .await;
    let labels = labels_of(&after.body);
    assert!(labels.contains(&"tier::gold".to_string()), "{labels:?}");
    assert!(!labels.contains(&"tier::silver".to_string()), "{labels:?}");
    assert_eq!(
        assert_label_counts(&app, &maya, "1", "tier::silver").await,
        0
    );
    assert!(assert_label_counts(&app, &maya, "1", "tier::gold").await > 0);

    // Scoped names with spaces work in the path, URL-encoded.
    let recoloured = app
        .patch(
            "/api/v1/labels/tier%3A%3Agold",
            &maya,
            None,
            json!({"name": "tier::gold star", "color": "#ca8a04"}),
        )
        .await;
    assert_eq!(recoloured.status, 200, "{:?}", recoloured.body);
    let usage = app
        .get("/api/v1/labels/tier%3A%3Agold%20star/usage", &maya)
        .await;
    assert_eq!(usage.status, 200, "{:?}", usage.body);
    assert!(usage.body["conversations"].as_u64().unwrap() > 0);
}

#[tokio::test]
async fn a_delete_removes_the_label_everywhere() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let jonas = app.sign_in("jonas").await;
    let (conversation, contact) = vip_conversation_and_contact(&app, &maya).await;
    let cid = conversation["id"].as_str().unwrap();
    let contact_id = contact["id"].as_str().unwrap();
    let view = app
        .post(
            "/api/v1/views",
            &maya,
            json!({"name": "VIPs", "columns": [], "filter": {"label": "vip"}}),
        )
        .await;
    assert_eq!(view.status, 201);

    let by_agent = app.delete("/api/v1/labels/vip", &jonas).await;
    assert_error(&by_agent, 403, "forbidden");
    assert_error(
        &app.get("/api/v1/labels/vip/usage", &jonas).await,
        403,
        "forbidden",
    );

    let mut stream = Stream::open(&app, &jonas, None).await;
    let deleted = app.delete("/api/v1/labels/vip", &maya).await;
    assert_eq!(deleted.status, 204, "{:?}", deleted.body);
    let events = stream.take(1, Duration::from_millis(500)).await;
    assert_eq!(events[0]["type"], "label_deleted");
    assert_eq!(events[0]["data"]["name"], "vip");

    let after = app
        .get(&format!("/api/v1/conversations/{cid}"), &maya)
        .await;
    assert!(!labels_of(&after.body).contains(&"vip".to_string()));
    assert_eq!(after.body["version"], conversation["version"]);
    let contact_after = app
        .get(&format!("/api/v1/contacts/{contact_id}"), &maya)
        .await;
    assert!(!labels_of(&contact_after.body).contains(&"vip".to_string()));
    let views = app.get("/api/v1/views", &maya).await;
    let saved_view = views
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == view.body["id"])
        .unwrap();
    assert!(
        saved_view["filter"].get("label").is_none(),
        "{saved_view:?}"
    );
    assert_eq!(assert_label_counts(&app, &maya, "1", "vip").await, 0);
    assert_eq!(
        app.db_scalar_i64("SELECT COUNT(*) FROM conversation_label_counts WHERE label = 'vip'")
            .await,
        0
    );
    assert_error(
        &app.get("/api/v1/labels/vip/usage", &maya).await,
        404,
        "not_found",
    );
    assert_error(
        &app.delete("/api/v1/labels/vip", &maya).await,
        404,
        "not_found",
    );
    // The other labels' counts are untouched.
    assert!(assert_label_counts(&app, &maya, "1", "refund request").await > 0);
}

#[tokio::test]
async fn bad_changes_are_refused_with_a_reason() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let jonas = app.sign_in("jonas").await;
    for (body, field) in [
        (json!({"name": "  "}), "name"),
        (json!({"name": "x".repeat(101)}), "name"),
        (json!({"name": "priority::high"}), "name"),
        (json!({"name": "refund request"}), "name"),
        (json!({"name": "Refund Request"}), "name"),
        (json!({"color": "blue"}), "color"),
        (json!({"color": "#12345"}), "color"),
        (json!({"description": "d".repeat(501)}), "description"),
    ] {
        let refused = app
            .patch("/api/v1/labels/vip", &maya, None, body.clone())
            .await;
        assert_error(&refused, 400, "invalid_request");
        assert_eq!(refused.body["error"]["field"], field, "{body}");
    }
    let taken = app
        .patch(
            "/api/v1/labels/vip",
            &maya,
            None,
            json!({"name": "refund request"}),
        )
        .await;
    assert_eq!(
        taken.body["error"]["message"],
        "A label named “refund request” already exists"
    );
    assert_error(
        &app.patch(
            "/api/v1/labels/nope",
            &maya,
            None,
            json!({"color": "#000000"}),
        )
        .await,
        404,
        "not_found",
    );
    assert_error(
        &app.patch(
            "/api/v1/labels/vip",
            &jonas,
            None,
            json!({"color": "#000000"}),
        )
        .await,
        403,
        "forbidden",
    );

    // Agents still add labels; an existing one comes back unchanged for them.
    let added = app
        .post("/api/v1/labels", &jonas, json!({"name": "callback"}))
        .await;
    assert_eq!(added.status, 201, "{:?}", added.body);
    let again = app
        .post(
            "/api/v1/labels",
            &jonas,
            json!({"name": "vip", "color": "#000000"}),
        )
        .await;
    assert_eq!(again.status, 200, "{:?}", again.body);
    assert_eq!(again.body["color"], "#9333ea");
    let by_admin = app
        .post(
            "/api/v1/labels",
            &maya,
            json!({"name": "vip", "color": "#000000"}),
        )
        .await;
    assert_eq!(by_admin.body["color"], "#000000");
    // A label typed on a conversation joins the catalogue and every open app hears of it.
    let mut stream = Stream::open(&app, &jonas, None).await;
    let cid = app.conversation_of_team(&maya, "1", "").await;
    app.post(
        &format!("/api/v1/conversations/{cid}/labels"),
        &maya,
        json!({"label": "brand new"}),
    )
    .await;
    let events = stream
        .take_until(Duration::from_millis(500), |e| e["type"] == "label_saved")
        .await;
    assert!(
        events
            .iter()
            .any(|e| e["type"] == "label_saved" && e["data"]["name"] == "brand new"),
        "{events:?}"
    );
}
