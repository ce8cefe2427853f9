//! Priority has one source, the conversation's `priority` field: `priority::x` labels are an
//! alias that sets it (never stored as labels), the list filters and sorts on it, and the
//! migration moves old `priority::` labels into it.

use crate::common;

use axum::http::Method;
use common::{TestApp, assert_error, ids};
use serde_json::{Value, json};

fn labels(conversation: &Value) -> Vec<String> {
    conversation["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .collect()
}

fn no_priority_labels(conversation: &Value) -> bool {
    labels(conversation)
        .iter()
        .all(|l| !l.to_lowercase().starts_with("priority::"))
}

async fn delete(app: &TestApp, path: &str, token: &str) -> common::Reply {
    app.call(Method::DELETE, path, Some(token), None, &[]).await
}

#[tokio::test]
async fn priority_labels_set_the_field_and_are_never_stored() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let start = app.get("/api/v1/conversations/4", &maya).await.body;

    let high = app
        .post(
            "/api/v1/conversations/4/labels",
            &maya,
            json!({"label": "priority::high"}),
        )
        .await;
    assert_eq!(high.status, 200, "{:?}", high.body);
    assert_eq!(high.body["priority"], "high");
    assert_eq!(labels(&high.body), labels(&start), "no label was added");
    let audit = app.get("/api/v1/conversations/4/audit", &maya).await.body;
    assert!(
        audit
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["action"] == "priority_changed" && a["detail"]["to"] == "high"),
        "{audit:?}"
    );

    // Any case; a scope value that is no priority is refused, not stored.
    let low = app
        .post(
            "/api/v1/conversations/4/labels",
            &maya,
            json!({"label": "Priority::Low"}),
        )
        .await;
    assert_eq!(low.body["priority"], "low");
    let bogus = app
        .post(
            "/api/v1/conversations/4/labels",
            &maya,
            json!({"label": "priority::whenever"}),
        )
        .await;
    assert_error(&bogus, 400, "invalid_request");

    // Removing the alias of another priority finds nothing; removing the current one clears it.
    let other = delete(&app, "/api/v1/conversations/4/labels/priority::high", &maya).await;
    assert_error(&other, 404, "not_found");
    let cleared = delete(&app, "/api/v1/conversations/4/labels/priority::low", &maya).await;
    assert_eq!(cleared.status, 200, "{:?}", cleared.body);
    assert_eq!(cleared.body["priority"], "none");

    // PATCH labels: the alias sets the field and leaves the list; `priority` itself wins.
    let version = cleared.body["version"].to_string();
    let patched = app
        .patch(
            "/api/v1/conversations/4",
            &maya,
            Some(&version),
            json!({"labels": ["vip", "priority::medium"]}),
        )
        .await;
    assert_eq!(patched.status, 200, "{:?}", patched.body);
    assert_eq!(patched.body["priority"], "medium");
    assert_eq!(labels(&patched.body), ["vip"]);
    let version = patched.body["version"].to_string();
    let both = app
        .patch(
            "/api/v1/conversations/4",
            &maya,
            Some(&version),
            json!({"labels": ["priority::low"], "priority": "urgent"}),
        )
        .await;
    assert_eq!(both.body["priority"], "urgent");
    assert!(labels(&both.body).is_empty());

    // Bulk: every conversation gets the priority, none the label.
    let bulk = app
        .post(
            "/api/v1/conversations/bulk",
            &maya,
            json!({"conversation_ids": ["5", "6"], "add_label": "priority::high"}),
        )
        .await;
    assert_eq!(bulk.status, 200, "{:?}", bulk.body);
    for c in bulk.body["updated"].as_array().unwrap() {
        assert_eq!(c["priority"], "high");
        assert!(no_priority_labels(c));
    }

    // The catalogue has none and takes none; the label filter finds none.
    let catalogue = app.get("/api/v1/labels", &maya).await.body;
    assert!(
        catalogue
            .as_array()
            .unwrap()
            .iter()
            .all(|l| !l["name"].as_str().unwrap().starts_with("priority::"))
    );
    let created = app
        .post("/api/v1/labels", &maya, json!({"name": "priority::soon"}))
        .await;
    assert_error(&created, 400, "invalid_request");
    let stored = app
        .db_scalar_i64("SELECT COUNT(*) FROM conversation_labels WHERE label LIKE 'priority::%'")
        .await;
    assert_eq!(stored, 0);
}

fn rank(priority: &Value) -> u8 {
    ["none", "low", "medium", "high", "urgent"]
        .iter()
        .position(|p| priority == p)
        .expect("a priority") as u8
}

#[tokio::test]
async fn the_list_filters_and_sorts_by_priority() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    // Every priority present, whatever the demo drew.
    for (ids, label) in [
        (json!(["1", "2"]), "priority::urgent"),
        (json!(["3"]), "priority::none"),
    ] {
        let set = app
            .post(
                "/api/v1/conversations/bulk",
                &maya,
                json!({"conversation_ids": ids, "add_label": label}),
            )
            .await;
        assert_eq!(set.status, 200, "{:?}", set.body);
    }
    let all = app.get("/api/v1/conversations?limit=200", &maya).await.body;
    let every: Vec<Value> = all["items"].as_array().unwrap().clone();
    let with = |p: &[&str]| {
        every
            .iter()
            .filter(|c| p.contains(&c["priority"].as_str().unwrap()))
            .count()
    };
    // The filter takes one priority or several.
    for (query, wanted) in [
        ("urgent", vec!["urgent"]),
        ("high,urgent", vec!["high", "urgent"]),
        ("none", vec!["none"]),
    ] {
        let page = app
            .get(
                &format!("/api/v1/conversations?limit=200&priority={query}"),
                &maya,
            )
            .await;
        assert_eq!(page.status, 200, "{:?}", page.body);
        let items = page.body["items"].as_array().unwrap();
        assert!(!items.is_empty(), "there are {query} conversations");
        assert!(
            items
                .iter()
                .all(|c| wanted.contains(&c["priority"].as_str().unwrap()))
        );
        assert_eq!(items.len(), with(&wanted), "{query}");
        assert_eq!(page.body["counts"]["all"], items.len() as u64, "{query}");
    }
    let bad = app
        .get("/api/v1/conversations?priority=high,soon", &maya)
        .await;
    assert_error(&bad, 400, "invalid_request");

    // Urgent first down to none, most recent activity first within each, across pages.
    let sorted = app
        .get("/api/v1/conversations?sort=priority&limit=200", &maya)
        .await
        .body;
    let items = sorted["items"].as_array().unwrap();
    assert_eq!(items.len(), every.len());
    for pair in items.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        assert!(rank(&a["priority"]) >= rank(&b["priority"]), "{a:?} {b:?}");
        if a["priority"] == b["priority"] {
            let (ta, tb) = (
                a["lifecycle"]["last_activity_at"].as_str().unwrap(),
                b["lifecycle"]["last_activity_at"].as_str().unwrap(),
            );
            assert!(ta >= tb, "{ta} {tb}");
        }
    }
    let mut paged = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = "/api/v1/conversations?sort=priority&limit=7".to_string();
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let page = app.get(&path, &maya).await.body;
        paged.extend(ids(&page));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    assert_eq!(paged, ids(&sorted));

    // A saved view keeps the filter; a bad one is refused.
    let view = app
        .post(
            "/api/v1/views",
            &maya,
            json!({"name": "Pressing", "filter": {"priority": "high,urgent", "sort": "priority"}, "columns": ["priority"]}),
        )
        .await;
    assert_eq!(view.status, 201, "{:?}", view.body);
    assert_eq!(view.body["filter"]["priority"], "high,urgent");
    assert_eq!(view.body["columns"], json!(["conversation_id", "priority"]));
    let bad_view = app
        .post(
            "/api/v1/views",
            &maya,
            json!({"name": "Bad", "filter": {"priority": "soon"}, "columns": []}),
        )
        .await;
    assert_error(&bad_view, 400, "invalid_request");
}

/// The migration, run again over a database holding labels from before it.
#[tokio::test]
async fn the_migration_moves_priority_labels_into_the_field() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let db = &app.state.db;
    let exec = |sql: &'static str| async move {
        sqlx::raw_sql(sql).execute(db).await.expect(sql);
    };
    // (id, priority before, labels before, priority after, labels after)
    let cases = [
        (
            "1",
            "none",
            vec!["priority::high", "vip"],
            "high",
            vec!["vip"],
        ),
        ("2", "urgent", vec!["priority::low"], "urgent", vec![]),
        (
            "3",
            "low",
            vec!["bug", "Priority::Medium"],
            "medium",
            vec!["bug"],
        ),
    ];
    for (id, priority, labels, _, _) in &cases {
        let id: i64 = id.parse().unwrap();
        sqlx::query("UPDATE conversations SET priority = $1, labels = $2 WHERE id = $3")
            .bind(*priority)
            .bind(serde_json::to_string(labels).unwrap())
            .bind(id)
            .execute(db)
            .await
            .unwrap();
        sqlx::query("DELETE FROM conversation_labels WHERE conversation_id = $1")
            .bind(id)
            .execute(db)
            .await
            .unwrap();
        for label in labels {
            sqlx::query("INSERT INTO conversation_labels (conversation_id, label) VALUES ($1, $2)")
                .bind(id)
                .bind(*label)
                .execute(db)
                .await
                .unwrap();
        }
    }
    exec("INSERT INTO labels (name, color, description) VALUES ('priority::high', '#dc2626', ''), ('priority::low', '#16a34a', '')").await;
    sqlx::query("INSERT INTO views (owner_id, name, filter, columns, created_at) VALUES (1, 'Old', $1, '[\"conversation_id\"]', '2026-11-20T12:00:00.000Z')")
        .bind(r#"{"label":"priority::high","status":"open"}"#)
        .execute(db)
        .await
        .unwrap();
    let version_before: i64 = app
        .db_scalar_i64("SELECT version FROM conversations WHERE id = 1")
        .await;

    let migration = match app.state.backend {
        convoroom_server::db::Backend::Sqlite => 13,
        convoroom_server::db::Backend::Postgres => 6,
    };
    exec("DROP INDEX conversations_priority").await;
    exec("DROP INDEX conversations_status_priority").await;
    sqlx::query("DELETE FROM schema_migrations WHERE version = $1")
        .bind(migration)
        .execute(db)
        .await
        .unwrap();
    convoroom_server::db::migrate(db, app.state.backend)
        .await
        .expect("migrate");

    for (id, _, _, priority, labels_after) in &cases {
        let c = app
            .get(&format!("/api/v1/conversations/{id}"), &maya)
            .await
            .body;
        assert_eq!(c["priority"], *priority, "conversation {id}");
        assert_eq!(labels(&c), *labels_after, "conversation {id}");
    }
    assert!(
        app.db_scalar_i64("SELECT version FROM conversations WHERE id = 1")
            .await
            > version_before
    );
    for sql in [
        "SELECT COUNT(*) FROM conversation_labels WHERE label LIKE '%riority::%'",
        "SELECT COUNT(*) FROM conversation_label_counts WHERE label LIKE '%riority::%'",
        "SELECT COUNT(*) FROM labels WHERE name LIKE '%riority::%'",
    ] {
        assert_eq!(app.db_scalar_i64(sql).await, 0, "{sql}");
    }
    // The label counts still agree with the rows they count.
    let vip = app
        .get("/api/v1/conversations?label=vip&limit=200", &maya)
        .await
        .body;
    assert_eq!(
        vip["counts"]["all"],
        vip["items"].as_array().unwrap().len() as u64
    );
    let views = app.get("/api/v1/views", &maya).await.body;
    let old = views
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "Old")
        .expect("the old view");
    assert_eq!(old["filter"], json!({"priority": "high", "status": "open"}));
}
