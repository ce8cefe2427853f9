//! Calling the matrix's operations on chosen resources, and what must not change.

use super::{CATALOGUE_LABEL, COLLABORATOR, LABEL, Op, TICKET};
use crate::common::{Reply, TestApp};
use http_body_util::BodyExt;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// What the placeholders of an operation stand for.
#[derive(Clone, Default)]
pub struct Target {
    pub conversation: String,
    pub note: String,
    pub contact: String,
    pub view: String,
    pub token: String,
    /// A disposition and a team (settings); attribute operations reach the definition the
    /// matrix creates (`matrix_attribute`), which no conversation holds.
    pub disposition: String,
    pub team: String,
    /// An integration delivering the target conversations' channels, its inbound token, a
    /// channel it does not deliver, and a reply of the conversation whose delivery failed.
    pub integration: String,
    pub integration_token: String,
    /// An `embed` API token (the exchange).
    pub embed_token: String,
    /// A pipeline stage's key.
    pub stage: String,
    /// A canned response (`/canned-responses/{id}`), and a shared one of every agent's.
    pub canned: String,
    pub shared_canned: String,
    /// The agent an admin manages (`/agents/{id}`): someone other than the callers, whose
    /// password reset would sign them out.
    pub staff: String,
    pub free_channel: String,
    pub message: String,
    /// The merge target.
    pub into: String,
    /// The agent assigned or added as a collaborator.
    pub agent: String,
    /// Marks the text the operation writes.
    pub text: String,
}

/// The operation's path and body for `target`.
pub fn fill(op: &Op, target: &Target) -> (String, Option<Value>) {
    let id = match op.path.split('/').nth(1) {
        Some("notes") => &target.note,
        Some("contacts") => &target.contact,
        Some("views") => &target.view,
        Some("tokens") => &target.token,
        Some("dispositions") => &target.disposition,
        Some("teams") => &target.team,
        Some("integrations") => &target.integration,
        Some("messages") => &target.message,
        Some("pipeline-stages") => &target.stage,
        Some("agents") => &target.staff,
        Some("canned-responses") => &target.canned,
        _ => &target.conversation,
    };
    let path = op
        .path
        .replace("{id}", id)
        .replace("{label}", LABEL)
        .replace(
            "{name}",
            &CATALOGUE_LABEL.replace("::", "%3A%3A").replace(' ', "%20"),
        )
        .replace("{agent_id}", COLLABORATOR)
        .replace("{external_id}", TICKET)
        .replace("{applies_to}", "conversation")
        .replace("{key}", "matrix_attribute");
    let body = op.body.map(|text| {
        let text = text
            .replace("{conversation}", &target.conversation)
            .replace("{contact}", &target.contact)
            .replace("{into}", &target.into)
            .replace("{agent}", &target.agent)
            .replace("{message}", &target.message)
            .replace("{free_channel}", &target.free_channel)
            .replace("{text}", &target.text)
            .replace("{future}", &in_a_day());
        serde_json::from_str(&text).expect("a JSON body")
    });
    // The one operation that needs a query to be valid.
    let query = if op.path.ends_with("/messages/search") {
        "?q=order"
    } else {
        ""
    };
    (format!("/api/v1{path}{query}"), body)
}

/// A snooze time the server accepts whenever the matrix runs.
fn in_a_day() -> String {
    (time::OffsetDateTime::now_utc() + time::Duration::days(1))
        .format(&time::format_description::well_known::Rfc3339)
        .expect("a formattable time")
}

/// Calls `op` on `target` with `token`, sending the current version as `If-Match`. The event
/// stream is answered without waiting for its (endless) body.
pub async fn call(app: &TestApp, op: &Op, target: &Target, token: Option<&str>) -> Reply {
    let (path, body) = fill(op, target);
    if op.path == "/events" {
        let mut request = axum::http::Request::get(path);
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let response = app
            .raw(request.body(axum::body::Body::empty()).unwrap())
            .await;
        let (status, headers) = (response.status(), response.headers().clone());
        let body = if status.is_success() {
            Value::Null
        } else {
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            serde_json::from_slice(&bytes).unwrap_or(Value::Null)
        };
        return Reply {
            status,
            headers,
            body,
        };
    }
    let version = current_version(app, op, target).await;
    let headers = [("if-match", version.as_str())];
    app.call(op.method(), &path, token, body, &headers).await
}

async fn current_version(app: &TestApp, op: &Op, target: &Target) -> String {
    if op.path.starts_with("/pipeline-stages/") {
        let version: Option<i64> =
            sqlx::query_scalar("SELECT version FROM pipeline_stages WHERE key = $1")
                .bind(&target.stage)
                .fetch_optional(&app.state.db)
                .await
                .expect("version");
        return version.unwrap_or(1).to_string();
    }
    let (table, id) = match op.path.split('/').nth(1) {
        Some("notes") => ("messages", &target.note),
        Some("contacts") => ("contacts", &target.contact),
        Some("views") => ("views", &target.view),
        Some("conversations") => ("conversations", &target.conversation),
        Some("dispositions") => ("dispositions", &target.disposition),
        Some("teams") => ("teams", &target.team),
        Some("integrations") => ("integrations", &target.integration),
        Some("canned-responses") => ("canned_responses", &target.canned),
        _ => return "1".into(),
    };
    let version: Option<i64> =
        sqlx::query_scalar(&format!("SELECT version FROM {table} WHERE id = $1"))
            .bind(id.parse::<i64>().unwrap_or(-1))
            .fetch_optional(&app.state.db)
            .await
            .expect("version");
    version.unwrap_or(1).to_string()
}

/// Every row of every table (FTS shadow tables included) plus who is present where: what
/// must not change when a call is refused.
pub type Snapshot = BTreeMap<String, Vec<String>>;

pub async fn snapshot(app: &TestApp) -> Snapshot {
    let mut out = Snapshot::new();
    for (table, rows) in crate::common::db::all_rows(&app.state.db).await {
        out.insert(table, rows);
    }
    // Who is present where (the `presence` table above also holds when they were last seen).
    let present: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT conversation_id, agent_id FROM presence ORDER BY conversation_id, agent_id",
    )
    .fetch_all(&app.state.db)
    .await
    .expect("presence");
    let present = present
        .iter()
        .map(|(conversation, agent)| format!("{conversation}:{agent}"))
        .collect();
    out.insert("(presence)".into(), present);
    out
}

pub fn assert_unchanged(before: &Snapshot, after: &Snapshot, what: &str) {
    let changed: BTreeSet<&String> = before
        .keys()
        .chain(after.keys())
        .filter(|table| before.get(*table) != after.get(*table))
        .collect();
    assert!(changed.is_empty(), "{what} changed {changed:?}");
}

/// Conversations of a team with AI access on, no assignee or collaborator outside that team's
/// agents: `outsider` is an agent who must not see them.
pub async fn conversations_of_team(
    app: &TestApp,
    admin: &str,
    team: &str,
    outsider: &str,
) -> Vec<String> {
    app.conversations_of_team(admin, team, outsider)
        .await
        .iter()
        .filter(|c| c["access"]["ai_enabled"] == true)
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

/// Gives a conversation what the matrix operations act on: the label, the collaborator and a
/// sticky note (returned). Done as `admin`.
pub async fn prepare(app: &TestApp, admin: &str, conversation: &str, text: &str) -> String {
    let base = format!("/api/v1/conversations/{conversation}");
    let ok = |reply: Reply| {
        assert!(reply.status.is_success(), "{:?}", reply.body);
        reply.body
    };
    ok(app
        .post(
            &format!("{base}/labels"),
            admin,
            serde_json::json!({"label": LABEL}),
        )
        .await);
    ok(app
        .post(
            &format!("{base}/collaborators"),
            admin,
            serde_json::json!({"agent_id": COLLABORATOR}),
        )
        .await);
    ok(app
        .post(
            &format!("{base}/messages"),
            admin,
            serde_json::json!({"client_id": "prep", "mode": "note", "body": text}),
        )
        .await);
    let note = ok(app
        .post(
            &format!("{base}/notes"),
            admin,
            serde_json::json!({"body": text}),
        )
        .await);
    note["id"].as_str().expect("note id").to_string()
}

pub async fn contact_of(app: &TestApp, admin: &str, conversation: &str) -> String {
    app.get(&format!("/api/v1/conversations/{conversation}"), admin)
        .await
        .body["contact"]["id"]
        .as_str()
        .expect("contact")
        .to_string()
}

/// An integration delivering the channels of `conversations` (to a port nothing listens on:
/// tests run no delivery worker), and in each a reply whose delivery failed.
pub struct Delivery {
    pub integration: String,
    pub token: String,
    pub free_channel: String,
    pub failed: Vec<String>,
}

pub async fn delivery(app: &TestApp, admin: &str, conversations: &[&str]) -> Delivery {
    let mut channels = Vec::new();
    for conversation in conversations {
        let c = app
            .get(&format!("/api/v1/conversations/{conversation}"), admin)
            .await;
        channels.push(c.body["channel"].as_str().expect("a channel").to_string());
    }
    channels.sort();
    channels.dedup();
    let all = [
        "whatsapp",
        "instagram",
        "messenger",
        "telegram",
        "live_chat",
        "sms",
        "email",
        "voice",
    ];
    let free_channel = all
        .iter()
        .find(|c| !channels.iter().any(|taken| taken == *c))
        .expect("a channel left")
        .to_string();
    let created = app
        .post(
            "/api/v1/integrations",
            admin,
            serde_json::json!({"name": "Matrix fixture", "channels": channels, "webhook_url": "http://127.0.0.1:9/hook"}),
        )
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    let mut failed = Vec::new();
    for conversation in conversations {
        let sent = app
            .post(
                &format!("/api/v1/conversations/{conversation}/messages"),
                admin,
                serde_json::json!({"client_id": "matrix-failed", "mode": "reply", "body": "Not delivered"}),
            )
            .await;
        assert!(sent.status.is_success(), "{:?}", sent.body);
        let id: i64 = sent.body["id"].as_str().unwrap().parse().unwrap();
        for sql in [
            "UPDATE messages SET delivery = 'failed', delivery_error = 'refused' WHERE id = $1",
            "UPDATE deliveries SET state = 'failed' WHERE message_id = $1",
        ] {
            sqlx::query(sql)
                .bind(id)
                .execute(&app.state.db)
                .await
                .expect("a failed delivery");
        }
        failed.push(id.to_string());
    }
    Delivery {
        integration: created.body["id"].as_str().unwrap().to_string(),
        token: created.body["inbound_token"].as_str().unwrap().to_string(),
        free_channel,
        failed,
    }
}
