//! A test server on its own database, driven in-process through the real router: a SQLite
//! file, or with `CONVOROOM_TEST_DATABASE` (a PostgreSQL server URL, as `cargo xtask test`
//! sets it for the second run of these suites) a database of its own on that server.
#![allow(dead_code)]

pub mod db;
pub mod process;
pub mod receiver;
pub mod sse;

pub use db::TestDb;

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

pub struct TestApp {
    pub router: axum::Router,
    pub state: convoroom_server::AppState,
    pub dir: tempfile::TempDir,
    /// Dropped last: a PostgreSQL test database goes away with it.
    pub db: TestDb,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl TestApp {
    pub async fn new() -> TestApp {
        TestApp::with(|_| {}).await
    }

    pub async fn with(adjust: impl FnOnce(&mut convoroom_server::Config)) -> TestApp {
        // Server errors (a failing query, say) show in the output of a failing test.
        let _ = tracing_subscriber::fmt()
            .with_env_filter(
                tracing_subscriber::EnvFilter::try_from_default_env()
                    .unwrap_or_else(|_| "convoroom_server=warn".into()),
            )
            .with_test_writer()
            .try_init();
        let dir = tempfile::tempdir().expect("temp dir");
        let db = TestDb::create(&dir.path().join("test.db")).await;
        let mut config = convoroom_server::Config::for_database(db.url.clone());
        config.demo_conversations = 30;
        config.demo_messages = Some(300);
        config.demo_anchor = Some("2026-11-20T12:00:00Z".into());
        config.assets = dir.path().join("dist").to_string_lossy().to_string();
        config.uploads = Some(dir.path().join("uploads").to_string_lossy().to_string());
        // Independent of the environment the tests run in.
        config.cors_origins = Vec::new();
        config.ai_endpoint = None;
        config.ai_api_key = None;
        config.ai_idle_minutes = 10;
        config.demo_long_conversation = 0;
        config.seed = 42;
        adjust(&mut config);
        let state = convoroom_server::build_state(config)
            .await
            .expect("server state");
        let router = convoroom_server::router(state.clone());
        TestApp {
            router,
            state,
            dir,
            db,
        }
    }

    pub async fn raw(&self, request: Request<Body>) -> axum::response::Response {
        self.router
            .clone()
            .oneshot(request)
            .await
            .expect("router answers")
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            builder = builder.header("authorization", format!("Bearer {token}"));
        }
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let request = match body {
            Some(body) => builder
                .header("content-type", "application/json")
                .body(Body::from(body.to_string())),
            None => builder.body(Body::empty()),
        }
        .expect("request");
        let response = self.raw(request).await;
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or(Value::String(String::from_utf8_lossy(&bytes).to_string()))
        };
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.call(Method::GET, path, Some(token), None, &[]).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Reply {
        self.call(Method::POST, path, Some(token), Some(body), &[])
            .await
    }

    pub async fn put(&self, path: &str, token: &str, body: Value) -> Reply {
        self.call(Method::PUT, path, Some(token), Some(body), &[])
            .await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Reply {
        self.call(Method::DELETE, path, Some(token), None, &[])
            .await
    }

    /// A PATCH with an optional `If-Match` version.
    pub async fn patch(
        &self,
        path: &str,
        token: &str,
        if_match: Option<&str>,
        body: Value,
    ) -> Reply {
        let headers: Vec<(&str, &str)> = if_match.map(|v| ("if-match", v)).into_iter().collect();
        self.call(Method::PATCH, path, Some(token), Some(body), &headers)
            .await
    }

    pub async fn sign_in(&self, who: &str) -> String {
        let reply = self
            .call(Method::POST, "/api/v1/auth/sign-in", None, Some(serde_json::json!({"email": format!("{who}@example.com"), "password": "demo1234"})), &[])
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        reply.body["token"].as_str().expect("token").to_string()
    }

    /// The conversations of a team (1 Support, 2 Sales, 3 Billing) with no assignee or
    /// collaborator outside that team's agents, so visibility follows the team alone.
    pub async fn conversations_of_team(
        &self,
        admin: &str,
        team: &str,
        outsider: &str,
    ) -> Vec<serde_json::Value> {
        let page = self
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
                    && !c["collaborator_ids"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|a| a == outsider)
            })
            .cloned()
            .collect()
    }

    /// The first of [`TestApp::conversations_of_team`].
    pub async fn conversation_of_team(&self, admin: &str, team: &str, outsider: &str) -> String {
        self.conversations_of_team(admin, team, outsider)
            .await
            .first()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .expect("a conversation of that team")
    }

    /// A new `inbound` API token (a channel's), created by `admin`.
    pub async fn inbound_token(&self, admin: &str, name: &str) -> String {
        let created = self
            .post(
                "/api/v1/tokens",
                admin,
                serde_json::json!({"name": name, "scope": "inbound"}),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
        created.body["token"].as_str().expect("token").to_string()
    }

    pub async fn db_scalar_i64(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(&self.state.db)
            .await
            .expect("query")
    }
}

/// The ids of a page's items, in order.
pub fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

pub fn assert_error(reply: &Reply, status: u16, code: &str) {
    assert_eq!(reply.status.as_u16(), status, "{:?}", reply.body);
    assert_eq!(reply.body["error"]["code"], code, "{:?}", reply.body);
    assert!(
        reply.body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
}
