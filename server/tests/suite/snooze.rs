//! Snooze (issue #23): a conversation leaves the open list until a time and reopens by itself
//! once, with a system message; the customer writing or an agent reopening ends it early; a
//! restart keeps it; two replicas sweeping at once reopen it once. The sweep is called with a
//! clock the test sets (`snooze::wake_due`), never by waiting.

use crate::common;

use common::{TestApp, ids};
use convoroom_server::conversations::snooze::wake_due;
use serde_json::{Value, json};
use time::OffsetDateTime;

fn in_minutes(minutes: i64) -> OffsetDateTime {
    OffsetDateTime::now_utc() + time::Duration::minutes(minutes)
}

fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

/// An open conversation of team 1 with no snooze.
async fn open_conversation(app: &TestApp, token: &str) -> String {
    let page = app
        .get("/api/v1/conversations?status=open&team_id=1&limit=5", token)
        .await;
    ids(&page.body)
        .first()
        .cloned()
        .expect("an open conversation")
}

async fn system_messages(app: &TestApp, token: &str, id: &str) -> Vec<String> {
    let page = app
        .get(
            &format!("/api/v1/conversations/{id}/messages?limit=50"),
            token,
        )
        .await;
    page.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["kind"] == "system")
        .map(|m| m["body"].as_str().unwrap().to_string())
        .collect()
}

async fn listed(app: &TestApp, token: &str, status: &str, id: &str) -> bool {
    let page = app
        .get(
            &format!("/api/v1/conversations?status={status}&limit=200"),
            token,
        )
        .await;
    ids(&page.body).iter().any(|listed| listed == id)
}

#[tokio::test]
async fn a_snooze_leaves_the_open_list_and_ends_once_at_its_time() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let id = open_conversation(&app, &maya).await;
    let path = format!("/api/v1/conversations/{id}/snooze");

    for (until, why) in [
        (json!("tomorrow"), "RFC 3339"),
        (json!(rfc3339(in_minutes(-5))), "in the future"),
        (json!(rfc3339(in_minutes(60 * 24 * 400))), "a year"),
    ] {
        let refused = app.post(&path, &maya, json!({ "until": until })).await;
        assert_eq!(refused.status, 400, "{until}: {:?}", refused.body);
        assert_eq!(refused.body["error"]["field"], "until");
        let message = refused.body["error"]["message"].as_str().unwrap();
        assert!(message.contains(why), "{message}");
    }
    let version = app
        .get(&format!("/api/v1/conversations/{id}"), &maya)
        .await
        .body["version"]
        .to_string();
    let by_patch = app
        .patch(
            &format!("/api/v1/conversations/{id}"),
            &maya,
            Some(&version),
            json!({"status": "snoozed"}),
        )
        .await;
    assert_eq!(by_patch.status, 400, "{:?}", by_patch.body);
    assert_eq!(by_patch.body["error"]["field"], "status");

    let until = in_minutes(60);
    let snoozed = app
        .post(&path, &maya, json!({"until": rfc3339(until)}))
        .await;
    assert_eq!(snoozed.status, 200, "{:?}", snoozed.body);
    assert_eq!(snoozed.body["status"], "snoozed");
    assert!(snoozed.body["snoozed_until"].is_string());
    assert!(!listed(&app, &maya, "open", &id).await);
    assert!(listed(&app, &maya, "snoozed", &id).await);
    let notes = system_messages(&app, &maya, &id).await;
    assert!(
        notes
            .iter()
            .any(|m| m.starts_with("Snoozed by Maya") && m.ends_with("UTC")),
        "{notes:?}"
    );

    assert_eq!(wake_due(&app.state, in_minutes(59)).await.unwrap(), 0);
    assert_eq!(wake_due(&app.state, in_minutes(61)).await.unwrap(), 1);
    assert_eq!(wake_due(&app.state, in_minutes(62)).await.unwrap(), 0);
    let reopened = app
        .get(&format!("/api/v1/conversations/{id}"), &maya)
        .await
        .body;
    assert_eq!(reopened["status"], "open");
    assert!(reopened.get("snoozed_until").is_none(), "{reopened}");
    assert!(reopened["version"].as_i64() > snoozed.body["version"].as_i64());
    let ended = system_messages(&app, &maya, &id).await;
    assert_eq!(
        ended
            .iter()
            .filter(|m| *m == "Snooze ended: reopened")
            .count(),
        1,
        "{ended:?}"
    );
    assert!(listed(&app, &maya, "open", &id).await);

    // A resolved conversation is not snoozed; resolving a snoozed one clears its time.
    app.post(&path, &maya, json!({"until": rfc3339(in_minutes(30))}))
        .await;
    let resolved = app
        .post(
            &format!("/api/v1/conversations/{id}/resolve"),
            &maya,
            Value::Null,
        )
        .await;
    assert_eq!(resolved.body["status"], "resolved", "{:?}", resolved.body);
    assert!(resolved.body.get("snoozed_until").is_none());
    let refused = app
        .post(&path, &maya, json!({"until": rfc3339(in_minutes(30))}))
        .await;
    assert_eq!(refused.status, 400);
    assert_eq!(refused.body["error"]["field"], "status");
    assert_eq!(wake_due(&app.state, in_minutes(45)).await.unwrap(), 0);
}

#[tokio::test]
async fn the_customer_writing_or_an_agent_reopening_ends_a_snooze_early() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let token = app.inbound_token(&maya, "SMS gateway").await;
    let message = |text: &str| json!({"channel": "sms", "from": "+4915112345678", "name": "Greta Kühn", "body": text, "team_id": "1"});
    let first = app
        .post("/api/v1/inbound", &token, message("Is my order shipped?"))
        .await;
    let id = first.body["conversation_id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/conversations/{id}/snooze");
    let snoozed = app
        .post(&path, &maya, json!({"until": rfc3339(in_minutes(600))}))
        .await;
    assert_eq!(snoozed.body["status"], "snoozed", "{:?}", snoozed.body);

    let again = app
        .post("/api/v1/inbound", &token, message("Hello? Anyone?"))
        .await;
    assert_eq!(again.status, 201, "{:?}", again.body);
    let woken = app
        .get(&format!("/api/v1/conversations/{id}"), &maya)
        .await
        .body;
    assert_eq!(woken["status"], "open");
    assert!(woken.get("snoozed_until").is_none());
    assert!(
        system_messages(&app, &maya, &id)
            .await
            .contains(&"Snooze ended: the customer wrote".to_string())
    );
    assert_eq!(wake_due(&app.state, in_minutes(601)).await.unwrap(), 0);

    app.post(&path, &maya, json!({"until": rfc3339(in_minutes(600))}))
        .await;
    let reopened = app
        .post(
            &format!("/api/v1/conversations/{id}/reopen"),
            &maya,
            Value::Null,
        )
        .await;
    assert_eq!(reopened.body["status"], "open", "{:?}", reopened.body);
    let ended = system_messages(&app, &maya, &id).await;
    assert!(
        ended.iter().any(|m| m.starts_with("Snooze ended by Maya")),
        "{ended:?}"
    );
}

#[tokio::test]
async fn a_snooze_survives_a_restart_and_two_replicas_end_it_once() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let id = open_conversation(&app, &maya).await;
    app.post(
        &format!("/api/v1/conversations/{id}/snooze"),
        &maya,
        json!({"until": rfc3339(in_minutes(60))}),
    )
    .await;

    // Two more servers on the same database: a restarted one, and its replica.
    let replica = || async {
        let mut config = convoroom_server::Config::for_database(app.db.url.clone());
        config.seed = 42;
        convoroom_server::build_state(config).await.expect("state")
    };
    let (first, second) = (replica().await, replica().await);
    let later = in_minutes(90);
    let woken = if common::db::on_postgres() {
        let (a, b) = tokio::join!(wake_due(&first, later), wake_due(&second, later));
        a.unwrap() + b.unwrap()
    } else {
        // One process owns a SQLite file: the restarted server sweeps, then its successor.
        wake_due(&first, later).await.unwrap() + wake_due(&second, later).await.unwrap()
    };
    assert_eq!(woken, 1);
    let ended = system_messages(&app, &maya, &id).await;
    assert_eq!(
        ended
            .iter()
            .filter(|m| *m == "Snooze ended: reopened")
            .count(),
        1,
        "{ended:?}"
    );
}
