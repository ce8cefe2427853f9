//! The access matrix of the `access_*` tests: every operation of the API, taken from the
//! server's own OpenAPI document (and checked against the router's source), classified by who
//! may use it on what. A new endpoint fails `every_operation_is_classified` until it is added
//! here, and then gets exercised by the check of its class.
#![allow(dead_code)]

mod fixture;

pub use fixture::*;

use axum::http::Method;
use serde_json::Value;
use std::collections::BTreeSet;

/// Who may use an operation, on what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No credential: health, this document, sign-in.
    Public,
    /// The caller's own session, profile and notifications only (sign-out, `/me`,
    /// `/notifications`): no id of anyone else's is in the path.
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
    /// The embed exchange: only an `embed` token; 403 for sessions (admins' included) and for
    /// other tokens.
    EmbedExchange,
    /// Delivery receipts: only an integration's own inbound token (for its channels' replies);
    /// 403 for agents, admins and other tokens.
    IntegrationToken,
    /// Canned responses: the caller's own personal ones (404 for another agent's, admins'
    /// included) and the shared ones, which every agent lists but only admins change (403).
    CannedResponses,
    /// Workspace settings (dispositions, teams' after-conversation requirements): everyone
    /// reads them with the catalogue; only admins change them (signed in, or through an API
    /// token acting as an admin, so host helpdesks can provision them); 403 for agents.
    AdminSettings,
    /// Attached files: uploaded for a conversation the caller can see (`conversation_id` in the
    /// query; 404 otherwise), read by callers who can see a conversation the file was uploaded
    /// to and by integrations (404 otherwise). The bodies are files, not JSON: the matrix sends
    /// its own requests (`access_matrix::uploads_keep_to_their_conversations`).
    Uploads,
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
#[rustfmt::skip]
pub const OPERATIONS: &[Op] = &[
    op("GET", "/health", Public, None),
    op("GET", "/openapi.json", Public, None),
    op("POST", "/auth/sign-in", Public, Some(r#"{"email":"jonas@example.com","password":"demo1234"}"#)),
    op("GET", "/me", OwnSession, None),
    op("PATCH", "/me", OwnSession, Some(r#"{"availability":"away"}"#)),
    op("POST", "/auth/sign-out", OwnSession, None),
    op("GET", "/notifications", OwnSession, None),
    op("POST", "/notifications/read", OwnSession, Some(r#"{}"#)),
    op("POST", "/uploads", Uploads, None),
    op("GET", "/uploads/{id}", Uploads, None),
    op("POST", "/auth/exchange", EmbedExchange, Some(r#"{"email":"jonas@example.com"}"#)),
    op("POST", "/events/ticket", OwnStream, None),
    op("GET", "/events", OwnStream, None),
    op("GET", "/workspace", Catalogue, None),
    op("GET", "/agents", Catalogue, None),
    op("GET", "/teams", Catalogue, None),
    op("GET", "/labels", Catalogue, None),
    op("POST", "/labels", Catalogue, Some(r#"{"name":"matrix::a label"}"#)),
    op("GET", "/pipeline-stages", Catalogue, None),
    op("GET", "/attribute-definitions", Catalogue, None),
    op("GET", "/contacts", SharedContacts, None),
    op("POST", "/contacts", SharedContacts, Some(r#"{"name":"Matrix Contact"}"#)),
    op("GET", "/contacts/{id}", SharedContacts, None),
    op("PATCH", "/contacts/{id}", SharedContacts, Some(r#"{"city":"Porto"}"#)),
    op("GET", "/contacts/{id}/conversations", Filtered, None),
    op("GET", "/contacts/{id}/tickets", Filtered, None),
    op("GET", "/conversations", Filtered, None),
    op("POST", "/conversations/bulk", Filtered, Some(r#"{"conversation_ids":["{conversation}"],"status":"pending"}"#)),
    op("POST", "/conversations", CreatesOwn, Some(r#"{"contact_id":"{contact}","channel":"email"}"#)),
    op("GET", "/conversations/{id}", Conversation, None),
    op("PATCH", "/conversations/{id}", Conversation, Some(r#"{"priority":"low"}"#)),
    op("POST", "/conversations/{id}/labels", Conversation, Some(r#"{"label":"matrix::added"}"#)),
    op("DELETE", "/conversations/{id}/labels/{label}", Conversation, None),
    op("PUT", "/conversations/{id}/assignee", Conversation, Some(r#"{"assignee_id":"{agent}"}"#)),
    op("POST", "/conversations/{id}/collaborators", Conversation, Some(r#"{"agent_id":"{agent}"}"#)),
    op("DELETE", "/conversations/{id}/collaborators/{agent_id}", Conversation, None),
    // What the demo's Billing team (team B) requires when resolving (docs/api.md).
    op("POST", "/conversations/{id}/snooze", Conversation, Some(r#"{"until":"{future}"}"#)),
    op("POST", "/conversations/{id}/resolve", Conversation, Some(r#"{"disposition":"Issue solved","wrap_up_note":"{text} wrap-up","hangup_source":"customer"}"#)),
    op("POST", "/conversations/{id}/reopen", Conversation, None),
    op("GET", "/conversations/{id}/messages", Conversation, None),
    op("POST", "/conversations/{id}/messages", Conversation, Some(r#"{"client_id":"matrix","mode":"note","body":"{text} message"}"#)),
    op("POST", "/messages/{id}/retry-delivery", Conversation, None),
    op("POST", "/conversations/{id}/read", Conversation, None),
    op("GET", "/conversations/{id}/sessions", Conversation, None),
    op("GET", "/conversations/{id}/audit", Conversation, None),
    op("GET", "/conversations/{id}/notes", Conversation, None),
    op("POST", "/conversations/{id}/notes", Conversation, Some(r#"{"body":"{text} note"}"#)),
    op("PATCH", "/notes/{id}", Conversation, Some(r#"{"body":"{text} edited"}"#)),
    op("DELETE", "/notes/{id}", Conversation, None),
    op("POST", "/conversations/{id}/ai-review", Conversation, None),
    op("POST", "/conversations/{id}/presence", Conversation, None),
    op("GET", "/conversations/{id}/messages/search", Conversation, None),
    op("POST", "/conversations/{id}/typing", Conversation, None),
    op("DELETE", "/conversations/{id}/typing", Conversation, None),
    op("PUT", "/conversations/{id}/tickets/{external_id}", Conversation, Some(r#"{"title":"{text} ticket","status":"open","url":"https://helpdesk.example.com/tickets/1"}"#)),
    op("DELETE", "/conversations/{id}/tickets/{external_id}", Conversation, None),
    op("POST", "/conversations/{id}/link", Conversation, Some(r#"{"contact_id":"{contact}"}"#)),
    op("POST", "/conversations/{id}/unlink", Conversation, None),
    op("POST", "/conversations/{id}/merge", Conversation, Some(r#"{"into_conversation_id":"{into}"}"#)),
    op("GET", "/views", OwnerOnly, None),
    op("POST", "/views", OwnerOnly, Some(r#"{"name":"Matrix view","columns":[]}"#)),
    op("PATCH", "/views/{id}", OwnerOnly, Some(r#"{"name":"Taken over","columns":[]}"#)),
    op("DELETE", "/views/{id}", OwnerOnly, None),
    op("GET", "/canned-responses", CannedResponses, None),
    op("POST", "/canned-responses", CannedResponses, Some(r#"{"short_code":"matrix","body":"{text} canned"}"#)),
    op("PATCH", "/canned-responses/{id}", CannedResponses, Some(r#"{"body":"{text} canned, changed"}"#)),
    op("DELETE", "/canned-responses/{id}", CannedResponses, None),
    op("GET", "/dispositions", Catalogue, None),
    op("POST", "/dispositions", AdminSettings, Some(r#"{"name":"Matrix outcome"}"#)),
    op("PATCH", "/dispositions/{id}", AdminSettings, Some(r#"{"name":"Matrix renamed","position":0}"#)),
    op("DELETE", "/dispositions/{id}", AdminSettings, None),
    op("POST", "/agents", AdminSettings, Some(r#"{"name":"Matrix Newcomer","email":"matrix.newcomer@example.com","team_ids":["1"]}"#)),
    op("PATCH", "/agents/{id}", AdminSettings, Some(r#"{"name":"Luis Romero-Matrix"}"#)),
    op("POST", "/agents/{id}/reset-password", AdminSettings, None),
    op("PUT", "/agents/by-external-id/{external_id}", AdminSettings, Some(r#"{"name":"Matrix Agent","email":"matrix.agent@example.com","team_ids":["1"]}"#)),
    op("POST", "/teams", AdminSettings, Some(r#"{"name":"Matrix team","member_ids":["2"]}"#)),
    op("PATCH", "/teams/{id}", AdminSettings, Some(r#"{"name":"Billing & invoices"}"#)),
    op("POST", "/pipeline-stages", AdminSettings, Some(r#"{"name":"Matrix stage"}"#)),
    op("PATCH", "/pipeline-stages/{id}", AdminSettings, Some(r#"{"name":"Matrix renamed","position":0}"#)),
    op("POST", "/attribute-definitions", AdminSettings, Some(r#"{"name":"Matrix attribute","applies_to":"conversation","type":"list","options":["One","Two"]}"#)),
    op("PATCH", "/attribute-definitions/{applies_to}/{key}", AdminSettings, Some(r#"{"name":"Matrix attribute renamed","position":0}"#)),
    op("GET", "/attribute-definitions/{applies_to}/{key}/usage", AdminSettings, None),
    op("DELETE", "/attribute-definitions/{applies_to}/{key}", AdminSettings, None),
    op("PATCH", "/labels/{name}", AdminSettings, Some(r##"{"color":"#123456","description":"Matrix"}"##)),
    op("GET", "/labels/{name}/usage", AdminSettings, None),
    op("DELETE", "/labels/{name}", AdminSettings, None),
    op("PUT", "/teams/{id}/after-conversation", AdminSettings, Some(r#"{"disposition_required":true,"wrap_up_note_required":false}"#)),
    op("GET", "/tokens", AdminSession, None),
    op("POST", "/tokens", AdminSession, Some(r#"{"name":"matrix","scope":"agent"}"#)),
    op("DELETE", "/tokens/{id}", AdminSession, None),
    op("GET", "/integrations", AdminSession, None),
    op("POST", "/integrations", AdminSession, Some(r#"{"name":"Matrix bridge","channels":["{free_channel}"],"webhook_url":"http://127.0.0.1:9/hook"}"#)),
    op("PATCH", "/integrations/{id}", AdminSession, Some(r#"{"name":"Matrix renamed","paused":true}"#)),
    op("POST", "/integrations/{id}/rotate-secret", AdminSession, None),
    op("POST", "/integrations/{id}/test", AdminSession, None),
    op("GET", "/integrations/{id}/attempts", AdminSession, None),
    op("POST", "/deliveries", IntegrationToken, Some(r#"{"message_id":"{message}","status":"read"}"#)),
    op("DELETE", "/integrations/{id}", AdminSession, None),
    op("POST", "/inbound", Inbound, Some(r#"{"channel":"sms","from":"+15550001234","body":"{text} inbound","team_id":"3"}"#)),
];

/// Routes outside the API (and outside the OpenAPI document), with why they need no check.
#[rustfmt::skip]
pub const OUTSIDE_API: &[(&str, &str, &str)] = &[
    ("GET", "/media/recordings/{file}", "demo media generated from the file name: no stored data"),
    ("GET", "/media/images/{file}", "demo media generated from the file name: no stored data"),
    ("GET", "/media/files/{file}", "demo media generated from the file name: no stored data"),
];

/// The label and collaborator the fixtures put on each conversation, removed by the matrix.
pub const LABEL: &str = "vip";
/// The catalogue label the matrix adds, changes and deletes (`/labels/{name}`): scoped and
/// with a space, so it goes URL-encoded in the path.
pub const CATALOGUE_LABEL: &str = "matrix::a label";
pub const COLLABORATOR: &str = "3";
/// The ticket the matrix links and unlinks.
pub const TICKET: &str = "TCK-MATRIX";

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

/// The routes the router registers, read from the server's sources (paths as written there).
pub fn routed_operations() -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    // `src/bin` holds the measuring tools, separate programs (one runs a webhook receiver).
    let tools = concat!(env!("CARGO_MANIFEST_DIR"), "/src/bin/");
    for file in source_files(concat!(env!("CARGO_MANIFEST_DIR"), "/src")) {
        if file.starts_with(tools) {
            continue;
        }
        let source = std::fs::read_to_string(&file).expect("a source file");
        routes_in(&source, &mut out);
    }
    out
}

/// Every `.rs` file under `dir`.
pub fn source_files(dir: &str) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(source_files(path.to_str().unwrap()));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path.to_string_lossy().to_string());
        }
    }
    out
}

/// The (method, path) of each `.route("path", get(…).post(…))` call in `source`; a method
/// function may be written `get(` or `routing::get(` (when a handler has the same name).
fn routes_in(source: &str, out: &mut BTreeSet<(String, String)>) {
    let mut rest = source;
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
                let before = &args[..i];
                let by_name = before
                    .chars()
                    .last()
                    .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == ':'));
                if by_name || before.ends_with("routing::") {
                    out.insert((method.to_uppercase(), path.to_string()));
                }
            }
        }
        rest = &after[end..];
    }
}
