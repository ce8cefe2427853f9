//! The access matrix of the `access_*` tests: every operation of the API, taken from the
//! server's own OpenAPI document (and checked against the router's source), classified by who
//! may use it on what. A new endpoint fails `every_operation_is_classified` until it is added
//! here, and then gets exercised by the check of its class.
#![allow(dead_code)]

use crate::common::{Reply, TestApp};
use axum::http::Method;
use http_body_util::BodyExt;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Who may use an operation, on what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No credential: health, this document, sign-in.
    Public,
    /// The caller's own session and profile only (sign-out, `/me`).
    OwnSession,
    /// The caller's own event stream, filtered per event by what the caller can see.
    OwnStream,
    /// The workspace catalogue (agents, teams, labels, stages, attribute definitions): shared by
    /// every agent by design; the pickers of every team need it.
    Catalogue,
    /// Contacts are the workspace's customer directory, shared by contract (docs/api.md, "Access
    /// rules"): a customer may write to any team, and a contact holds no conversation data.
    SharedContacts,
    /// Lists and bulk over conversations: only what the caller can see (absent or `not_found`).
    Filtered,
    /// Creates a new conversation, assigned to the caller; reaches no existing one.
    CreatesOwn,
    /// One conversation, or a sticky note of one: 404 `not_found` unless the caller can see it.
    Conversation,
    /// Saved views: private to their owner, 404 for everyone else.
    OwnerOnly,
    /// API tokens: admins with a signed-in session; 403 for agents and for API tokens.
    AdminSession,
    /// Channel delivery: an `inbound` token or an admin; 403 for agents.
    Inbound,
}

pub struct Op {
    pub method: &'static str,
    /// As in the OpenAPI document, without the `/api/v1` prefix.
    pub path: &'static str,
    pub access: Access,
    /// A body that succeeds on a resource the caller can see (placeholders: see [`fill`]).
    pub body: Option<&'static str>,
}

const fn op(
    method: &'static str,
    path: &'static str,
    access: Access,
    body: Option<&'static str>,
) -> Op {
    Op {
        method,
        path,
        access,
        body,
    }
}

use Access::*;

/// Every operation of the API. Conversation operations are in an order where each one still
/// works on the same conversation after the ones before it (merge deletes it: last).
pub const OPERATIONS: &[Op] = &[
    op("GET", "/health", Public, None),
    op("GET", "/openapi.json", Public, None),
    op(
        "POST",
        "/auth/sign-in",
        Public,
        Some(r#"{"email":"jonas@example.com","password":"demo1234"}"#),
    ),
    op("GET", "/me", OwnSession, None),
    op(
        "PATCH",
        "/me",
        OwnSession,
        Some(r#"{"availability":"away"}"#),
    ),
    op("POST", "/auth/sign-out", OwnSession, None),
    op("POST", "/events/ticket", OwnStream, None),
    op("GET", "/events", OwnStream, None),
    op("GET", "/workspace", Catalogue, None),
    op("GET", "/agents", Catalogue, None),
    op("GET", "/teams", Catalogue, None),
    op("GET", "/labels", Catalogue, None),
    op(
        "POST",
        "/labels",
        Catalogue,
        Some(r#"{"name":"matrix-label"}"#),
    ),
    op("GET", "/pipeline-stages", Catalogue, None),
    op("GET", "/attribute-definitions", Catalogue, None),
    op("GET", "/contacts", SharedContacts, None),
    op(
        "POST",
        "/contacts",
        SharedContacts,
        Some(r#"{"name":"Matrix Contact"}"#),
    ),
    op("GET", "/contacts/{id}", SharedContacts, None),
    op(
        "PATCH",
        "/contacts/{id}",
        SharedContacts,
        Some(r#"{"city":"Porto"}"#),
    ),
    op("GET", "/contacts/{id}/conversations", Filtered, None),
    op("GET", "/conversations", Filtered, None),
    op(
        "POST",
        "/conversations/bulk",
        Filtered,
        Some(r#"{"conversation_ids":["{conversation}"],"status":"pending"}"#),
    ),
    op(
        "POST",
        "/conversations",
        CreatesOwn,
        Some(r#"{"contact_id":"{contact}","channel":"email"}"#),
    ),
    op("GET", "/conversations/{id}", Conversation, None),
    op(
        "PATCH",
        "/conversations/{id}",
        Conversation,
        Some(r#"{"priority":"low"}"#),
    ),
    op(
        "POST",
        "/conversations/{id}/labels",
        Conversation,
        Some(r#"{"label":"matrix::added"}"#),
    ),
    op(
        "DELETE",
        "/conversations/{id}/labels/{label}",
        Conversation,
        None,
    ),
    op(
        "PUT",
        "/conversations/{id}/assignee",
        Conversation,
        Some(r#"{"assignee_id":"{agent}"}"#),
    ),
    op(
        "POST",
        "/conversations/{id}/collaborators",
        Conversation,
        Some(r#"{"agent_id":"{agent}"}"#),
    ),
    op(
        "DELETE",
        "/conversations/{id}/collaborators/{agent_id}",
        Conversation,
        None,
    ),
    op("POST", "/conversations/{id}/resolve", Conversation, None),
    op("POST", "/conversations/{id}/reopen", Conversation, None),
    op("GET", "/conversations/{id}/messages", Conversation, None),
    op(
        "POST",
        "/conversations/{id}/messages",
        Conversation,
        Some(r#"{"client_id":"matrix","mode":"note","body":"{text} message"}"#),
    ),
    op("POST", "/conversations/{id}/read", Conversation, None),
    op("GET", "/conversations/{id}/sessions", Conversation, None),
    op("GET", "/conversations/{id}/audit", Conversation, None),
    op("GET", "/conversations/{id}/notes", Conversation, None),
    op(
        "POST",
        "/conversations/{id}/notes",
        Conversation,
        Some(r#"{"body":"{text} note"}"#),
    ),
    op(
        "PATCH",
        "/notes/{id}",
        Conversation,
        Some(r#"{"body":"{text} edited"}"#),
    ),
    op("DELETE", "/notes/{id}", Conversation, None),
    op("POST", "/conversations/{id}/ai-review", Conversation, None),
    op("POST", "/conversations/{id}/presence", Conversation, None),
    op(
        "POST",
        "/conversations/{id}/link",
        Conversation,
        Some(r#"{"contact_id":"{contact}"}"#),
    ),
    op("POST", "/conversations/{id}/unlink", Conversation, None),
    op(
        "POST",
        "/conversations/{id}/merge",
        Conversation,
        Some(r#"{"into_conversation_id":"{into}"}"#),
    ),
    op("GET", "/views", OwnerOnly, None),
    op(
        "POST",
        "/views",
        OwnerOnly,
        Some(r#"{"name":"Matrix view","columns":[]}"#),
    ),
    op(
        "PATCH",
        "/views/{id}",
        OwnerOnly,
        Some(r#"{"name":"Taken over","columns":[]}"#),
    ),
    op("DELETE", "/views/{id}", OwnerOnly, None),
    op("GET", "/tokens", AdminSession, None),
    op(
        "POST",
        "/tokens",
        AdminSession,
        Some(r#"{"name":"matrix","scope":"agent"}"#),
    ),
    op("DELETE", "/tokens/{id}", AdminSession, None),
    op(
        "POST",
        "/inbound",
        Inbound,
        Some(r#"{"channel":"sms","from":"+15550001234","body":"{text} inbound","team_id":"3"}"#),
    ),
];

/// Routes outside the API (and outside the OpenAPI document), with why they need no check.
pub const OUTSIDE_API: &[(&str, &str, &str)] = &[
    (
        "GET",
        "/media/recordings/{file}",
        "demo media generated from the file name: no stored data",
    ),
    (
        "GET",
        "/media/images/{file}",
        "demo media generated from the file name: no stored data",
    ),
    (
        "GET",
        "/media/files/{file}",
        "demo media generated from the file name: no stored data",
    ),
];

/// The label and collaborator the fixtures put on each conversation, removed by the matrix.
pub const LABEL: &str = "vip";
pub const COLLABORATOR: &str = "3";

impl Op {
    pub fn key(&self) -> (String, String) {
        (self.method.to_string(), self.path.to_string())
    }
    pub fn method(&self) -> Method {
        Method::from_bytes(self.method.as_bytes()).expect("method")
    }
    pub fn of(access: Access) -> impl Iterator<Item = &'static Op> {
        OPERATIONS.iter().filter(move |op| op.access == access)
    }
}

impl std::fmt::Display for Op {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

/// What the placeholders of an operation stand for.
#[derive(Clone, Default)]
pub struct Target {
    pub conversation: String,
    pub note: String,
    pub contact: String,
    pub view: String,
    pub token: String,
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
        _ => &target.conversation,
    };
    let path = op
        .path
        .replace("{id}", id)
        .replace("{label}", LABEL)
        .replace("{agent_id}", COLLABORATOR);
    let body = op.body.map(|text| {
        let text = text
            .replace("{conversation}", &target.conversation)
            .replace("{contact}", &target.contact)
            .replace("{into}", &target.into)
            .replace("{agent}", &target.agent)
            .replace("{text}", &target.text);
        serde_json::from_str(&text).expect("a JSON body")
    });
    (format!("/api/v1{path}"), body)
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
    let (table, id) = match op.path.split('/').nth(1) {
        Some("notes") => ("notes", &target.note),
        Some("contacts") => ("contacts", &target.contact),
        Some("views") => ("views", &target.view),
        Some("conversations") => ("conversations", &target.conversation),
        _ => return "1".into(),
    };
    let version: Option<i64> =
        sqlx::query_scalar(&format!("SELECT version FROM {table} WHERE id = ?"))
            .bind(id.parse::<i64>().unwrap_or(-1))
            .fetch_optional(&app.state.db)
            .await
            .expect("version");
    version.unwrap_or(1).to_string()
}

/// The operations of the server's OpenAPI document, without the `/api/v1` prefix.
pub fn documented_operations() -> BTreeSet<(String, String)> {
    let doc: Value =
        serde_json::from_str(&convoroom_server::openapi::pretty()).expect("OpenAPI JSON");
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let path = path.strip_prefix("/api/v1").expect("under /api/v1");
        for method in item.as_object().expect("path item").keys() {
            if [
                "get", "post", "put", "patch", "delete", "head", "options", "trace",
            ]
            .contains(&method.as_str())
            {
                out.insert((method.to_uppercase(), path.to_string()));
            }
        }
    }
    out
}

/// The routes the router registers, read from `server/src/lib.rs` (paths as written there).
pub fn routed_operations() -> BTreeSet<(String, String)> {
    let source = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/lib.rs"))
        .expect("lib.rs");
    let mut out = BTreeSet::new();
    let mut rest = source.as_str();
    while let Some(start) = rest.find(".route(") {
        let after = &rest[start + ".route(".len()..];
        let mut depth = 1;
        let end = after
            .char_indices()
            .find(|(_, ch)| {
                match ch {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                depth == 0
            })
            .map(|(i, _)| i)
            .expect("a closed .route(…) call");
        let args = &after[..end];
        let path = args.split('"').nth(1).expect("a path literal");
        for method in ["get", "post", "put", "patch", "delete"] {
            for (i, _) in args.match_indices(&format!("{method}(")) {
                let before = args[..i].chars().last();
                if before.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == ':')) {
                    out.insert((method.to_uppercase(), path.to_string()));
                }
            }
        }
        rest = &after[end..];
    }
    out
}

/// Every row of every table (FTS shadow tables included) plus who is present where: what
/// must not change when a call is refused.
pub type Snapshot = BTreeMap<String, Vec<String>>;

pub async fn snapshot(app: &TestApp) -> Snapshot {
    let db = &app.state.db;
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND COALESCE(sql, '') NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name",
    )
    .fetch_all(db)
    .await
    .expect("tables");
    let mut out = Snapshot::new();
    for table in tables {
        let columns: Vec<String> =
            sqlx::query_scalar(&format!("SELECT name FROM pragma_table_info('{table}')"))
                .fetch_all(db)
                .await
                .expect("columns");
        let row = columns
            .iter()
            .map(|c| format!("quote(\"{c}\")"))
            .collect::<Vec<_>>()
            .join(" || ',' || ");
        let mut rows: Vec<String> = sqlx::query_scalar(&format!("SELECT {row} FROM \"{table}\""))
            .fetch_all(db)
            .await
            .expect("rows");
        rows.sort();
        out.insert(table, rows);
    }
    let presence = app.state.presence.lock().expect("lock");
    let mut present: Vec<String> = presence
        .iter()
        .flat_map(|(conversation, agents)| {
            agents
                .keys()
                .map(move |agent| format!("{conversation}:{agent}"))
        })
        .collect();
    present.sort();
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
    let page = app
        .get(
            &format!("/api/v1/conversations?team_id={team}&limit=200"),
            admin,
        )
        .await;
    page.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|c| {
            c["assignee_id"] != outsider
                && c["access"]["ai_enabled"] == true
                && !c["collaborator_ids"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|a| a == outsider)
        })
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
