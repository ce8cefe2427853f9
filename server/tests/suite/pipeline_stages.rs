//! Pipeline stages kept by admins (issue #21): added at the end with a key made from the name,
//! renamed (conversations keep the key, so nothing is rewritten), moved, archived (a
//! conversation in an archived stage keeps it; none is moved into one); agents only read them;
//! everyone hears of every change.

use crate::common;

use common::sse::Stream;
use common::{TestApp, assert_error};
use serde_json::{Value, json};
use std::time::Duration;

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn admins_add_rename_move_and_archive_stages() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let jonas = app.sign_in("jonas").await;
    let before = app.get("/api/v1/pipeline-stages", &jonas).await;
    assert_eq!(ids(&before.body)[0], "in_progress");
    assert_eq!(before.body.as_array().unwrap().len(), 10);

    let mut stream = Stream::open(&app, &jonas, None).await;
    let added = app
        .post(
            "/api/v1/pipeline-stages",
            &maya,
            json!({"name": " Site Visit "}),
        )
        .await;
    assert_eq!(added.status, 201, "{:?}", added.body);
    assert_eq!(added.body["id"], "site_visit");
    assert_eq!(added.body["position"], 10);
    let events = stream.take(1, Duration::from_millis(500)).await;
    assert_eq!(events[0]["type"], "pipeline_stage_saved");
    for (body, status) in [
        (json!({"name": "quote request"}), 400),
        (json!({"name": ""}), 400),
    ] {
        let refused = app.post("/api/v1/pipeline-stages", &maya, body).await;
        assert_error(&refused, status, "invalid_request");
    }
    let by_agent = app
        .post("/api/v1/pipeline-stages", &jonas, json!({"name": "Mine"}))
        .await;
    assert_error(&by_agent, 403, "forbidden");

    // Moved to the front: the others close up and each one that moved is announced.
    let moved = app
        .patch(
            "/api/v1/pipeline-stages/site_visit",
            &maya,
            Some("1"),
            json!({"position": 0, "name": "On-site visit"}),
        )
        .await;
    assert_eq!(moved.status, 200, "{:?}", moved.body);
    assert_eq!(moved.body["name"], "On-site visit");
    assert_eq!(moved.body["id"], "site_visit", "the key stays");
    let after = app.get("/api/v1/pipeline-stages", &maya).await;
    let order = ids(&after.body);
    assert_eq!(order[0], "site_visit");
    assert_eq!(order[1], "in_progress");
    let positions: Vec<u64> = after
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["position"].as_u64().unwrap())
        .collect();
    assert_eq!(positions, (0..11).collect::<Vec<u64>>());
    let stale = app
        .patch(
            "/api/v1/pipeline-stages/site_visit",
            &maya,
            Some("1"),
            json!({"name": "Visit"}),
        )
        .await;
    assert_error(&stale, 409, "conflict");

    // A conversation in the stage keeps it once it is archived; none moves into it.
    let (conversation, other) = {
        let page = app.get("/api/v1/conversations?limit=2", &maya).await;
        let list = ids(&json!(page.body["items"]));
        (list[0].clone(), list[1].clone())
    };
    let version = |c: &Value| c["version"].as_i64().unwrap().to_string();
    let current = app
        .get(&format!("/api/v1/conversations/{conversation}"), &maya)
        .await;
    let put = app
        .patch(
            &format!("/api/v1/conversations/{conversation}"),
            &maya,
            Some(&version(&current.body)),
            json!({"pipeline_stage": "site_visit"}),
        )
        .await;
    assert_eq!(put.status, 200, "{:?}", put.body);
    let archived = app
        .patch(
            "/api/v1/pipeline-stages/site_visit",
            &maya,
            None,
            json!({"archived": true}),
        )
        .await;
    assert_eq!(archived.body["archived"], true);
    let kept = app
        .get(&format!("/api/v1/conversations/{conversation}"), &maya)
        .await;
    assert_eq!(kept.body["pipeline_stage"], "site_visit");
    // Another field of it still saves, its stage unchanged.
    let still = app
        .patch(
            &format!("/api/v1/conversations/{conversation}"),
            &maya,
            Some(&version(&kept.body)),
            json!({"pipeline_stage": "site_visit", "priority": "high"}),
        )
        .await;
    assert_eq!(still.status, 200, "{:?}", still.body);
    let other_now = app
        .get(&format!("/api/v1/conversations/{other}"), &maya)
        .await;
    let into = app
        .patch(
            &format!("/api/v1/conversations/{other}"),
            &maya,
            Some(&version(&other_now.body)),
            json!({"pipeline_stage": "site_visit"}),
        )
        .await;
    assert_error(&into, 400, "invalid_request");
    assert_eq!(into.body["error"]["field"], "pipeline_stage");
    let unknown = app
        .patch(
            "/api/v1/pipeline-stages/nope",
            &maya,
            None,
            json!({"name": "X"}),
        )
        .await;
    assert_error(&unknown, 404, "not_found");
}
