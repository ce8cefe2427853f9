//! The ownership counts of the list: exact from the summary tables after every kind of change,
//! and capped (`approximate`) for searches that match more than the large-set threshold.

use crate::common;

use common::TestApp;
use serde_json::{Value, json};

const FILTERS: &[&str] = &[
    "",
    "priority=high",
    "label=vip",
    "label=vip&status=open",
    "priority=high,urgent&channel=whatsapp",
    "label=refund%20request&channel=whatsapp",
    "label=vip&team_id=1",
    "label=vip&assignee_id=2",
    "label=no-such-label",
];

/// Counts of the page's own items (the demo has 30 conversations, so one page holds all).
fn counted(page: &Value, me: &str) -> (u64, u64, u64) {
    let items = page["items"].as_array().unwrap();
    let mine = items.iter().filter(|c| c["assignee_id"] == me).count();
    let unassigned = items
        .iter()
        .filter(|c| c.get("assignee_id").is_none())
        .count();
    (mine as u64, unassigned as u64, items.len() as u64)
}

async fn assert_counts_exact(app: &TestApp, who: &[(&str, &str)], when: &str) {
    for (token, me) in who {
        for filter in FILTERS {
            let page = app
                .get(&format!("/api/v1/conversations?limit=200&{filter}"), token)
                .await;
            assert_eq!(page.status, 200, "{filter}: {:?}", page.body);
            let counts = &page.body["counts"];
            let reported = (
                counts["mine"].as_u64().unwrap(),
                counts["unassigned"].as_u64().unwrap(),
                counts["all"].as_u64().unwrap(),
            );
            assert_eq!(
                reported,
                counted(&page.body, me),
                "{when}: counts for agent {me} with filter {filter:?}"
            );
            assert_eq!(counts["approximate"], false);
        }
    }
}

#[tokio::test]
async fn label_counts_follow_every_change() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let jonas = app.sign_in("jonas").await;
    let who = [(maya.as_str(), "1"), (jonas.as_str(), "2")];
    assert_counts_exact(&app, &who, "after seeding").await;

    for id in ["3", "5", "7"] {
        let added = app
            .post(
                &format!("/api/v1/conversations/{id}/labels"),
                &maya,
                json!({"label": "vip"}),
            )
            .await;
        assert_eq!(added.status, 200, "{:?}", added.body);
    }
    let high = app
        .post(
            "/api/v1/conversations/4/labels",
            &maya,
            json!({"label": "priority::high"}),
        )
        .await;
    assert_eq!(high.status, 200);
    assert_counts_exact(&app, &who, "after adding labels").await;

    let assigned = app
        .call(
            axum::http::Method::PUT,
            "/api/v1/conversations/3/assignee",
            Some(&maya),
            Some(json!({"assignee_id": "2"})),
            &[],
        )
        .await;
    assert_eq!(assigned.status, 200, "{:?}", assigned.body);
    let resolved = app
        .post("/api/v1/conversations/5/resolve", &maya, json!({}))
        .await;
    assert_eq!(resolved.status, 200, "{:?}", resolved.body);
    assert_counts_exact(&app, &who, "after assigning and resolving").await;

    let merged = app
        .post(
            "/api/v1/conversations/7/merge",
            &maya,
            json!({"into_conversation_id": "4"}),
        )
        .await;
    assert_eq!(merged.status, 200, "{:?}", merged.body);
    let removed = app
        .call(
            axum::http::Method::DELETE,
            "/api/v1/conversations/4/labels/priority::high",
            Some(&maya),
            None,
            &[],
        )
        .await;
    assert_eq!(removed.status, 200, "{:?}", removed.body);
    assert_counts_exact(&app, &who, "after merging and removing a label").await;

    let leftover = app
        .db_scalar_i64(
            "SELECT COUNT(*) FROM (SELECT label, SUM(n) AS n FROM conversation_label_counts GROUP BY label)
             l WHERE n <> (SELECT COUNT(*) FROM conversation_labels x WHERE x.label = l.label)",
        )
        .await;
    assert_eq!(leftover, 0, "the summary agrees with the labels table");
}

#[tokio::test]
async fn counts_of_a_very_common_search_are_lower_bounds() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let exact = app
        .get("/api/v1/conversations?limit=200&q=the", &maya)
        .await;
    let total = exact.body["items"].as_array().unwrap().len() as u64;
    assert!(total > 3, "the demo has many conversations with 'the'");
    assert_eq!(exact.body["counts"]["all"], total);
    assert_eq!(exact.body["counts"]["approximate"], false);

    convoroom_server::conversations::list::set_large_set_threshold(2);
    let capped = app
        .get("/api/v1/conversations?limit=200&q=the", &maya)
        .await;
    convoroom_server::conversations::list::set_large_set_threshold(3000);
    assert_eq!(capped.body["counts"]["approximate"], true);
    assert_eq!(capped.body["counts"]["all"], 2);
    assert!(capped.body["counts"]["mine"].as_u64().unwrap() <= 2);
    assert_eq!(
        common::ids(&capped.body),
        common::ids(&exact.body),
        "only the counts are capped, never the results"
    );
}
