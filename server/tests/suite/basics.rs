//! Health, auth, workspace catalogue, tokens, static assets and security headers.

use crate::common;

use axum::http::Method;
use common::{TestApp, assert_error};
use serde_json::json;

#[tokio::test]
async fn health_and_openapi_need_no_auth() {
    let app = TestApp::new().await;
    let reply = app
        .call(Method::GET, "/api/v1/health", None, None, &[])
        .await;
    assert_eq!(reply.body, json!({"status": "ok"}));
    let doc = app
        .call(Method::GET, "/api/v1/openapi.json", None, None, &[])
        .await;
    assert_eq!(doc.body["openapi"], "3.1.0");
    assert!(doc.body["paths"]["/api/v1/conversations"].is_object());
}

#[tokio::test]
async fn sign_in_me_and_sign_out() {
    let app = TestApp::new().await;
    let wrong = app
        .call(
            Method::POST,
            "/api/v1/auth/sign-in",
            None,
            Some(json!({"email": "maya@example.com", "password": "nope"})),
            &[],
        )
        .await;
    assert_error(&wrong, 401, "unauthorized");
    let token = app.sign_in("maya").await;
    let me = app.get("/api/v1/me", &token).await;
    assert_eq!(me.body["email"], "maya@example.com");
    assert_eq!(me.body["role"], "admin");
    assert_eq!(me.body["team_ids"], json!(["1", "2", "3"]));
    let away = app
        .patch("/api/v1/me", &token, None, json!({"availability": "away"}))
        .await;
    assert_eq!(away.body["availability"], "away");
    let out = app
        .call(
            Method::POST,
            "/api/v1/auth/sign-out",
            Some(&token),
            None,
            &[],
        )
        .await;
    assert_eq!(out.status, 204);
    assert_error(&app.get("/api/v1/me", &token).await, 401, "unauthorized");
    assert_error(
        &app.call(Method::GET, "/api/v1/me", None, None, &[]).await,
        401,
        "unauthorized",
    );
}

#[tokio::test]
async fn sign_in_is_rate_limited_per_email() {
    let app = TestApp::new().await;
    for _ in 0..10 {
        let reply = app
            .call(
                Method::POST,
                "/api/v1/auth/sign-in",
                None,
                Some(json!({"email": "jonas@example.com", "password": "bad"})),
                &[],
            )
            .await;
        assert_eq!(reply.status, 401);
    }
    let limited = app
        .call(
            Method::POST,
            "/api/v1/auth/sign-in",
            None,
            Some(json!({"email": "jonas@example.com", "password": "demo1234"})),
            &[],
        )
        .await;
    assert_error(&limited, 429, "rate_limited");
    // Other accounts are unaffected.
    app.sign_in("aiko").await;
}

#[tokio::test]
async fn session_tokens_are_stored_hashed() {
    let app = TestApp::new().await;
    let token = app.sign_in("maya").await;
    let clear: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM auth_tokens WHERE token_hash = $1")
        .bind(&token)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(clear, 0);
    let hashed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM auth_tokens WHERE token_hash = $1")
        .bind(convoroom_server::util::sha256_hex(&token))
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(hashed, 1);
}

#[tokio::test]
async fn workspace_and_catalogue() {
    let app = TestApp::new().await;
    let token = app.sign_in("jonas").await;
    let ws = app.get("/api/v1/workspace", &token).await;
    assert_eq!(ws.body["me"]["name"], "Jonas Weber");
    assert_eq!(ws.body["agents"].as_array().unwrap().len(), 5);
    assert_eq!(ws.body["teams"].as_array().unwrap().len(), 3);
    assert_eq!(ws.body["pipeline_stages"].as_array().unwrap().len(), 10);
    assert!(
        ws.body["attribute_definitions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["key"] == "plan" && d["type"] == "list")
    );
    assert_eq!(
        app.get("/api/v1/agents", &token)
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        5
    );
    assert_eq!(
        app.get("/api/v1/teams", &token).await.body[0]["name"],
        "Support"
    );
    assert_eq!(
        app.get("/api/v1/pipeline-stages", &token).await.body[3]["id"],
        "quote_request"
    );
    assert!(
        app.get("/api/v1/attribute-definitions", &token)
            .await
            .body
            .as_array()
            .unwrap()
            .len()
            >= 10
    );
    let labels = app.get("/api/v1/labels", &token).await;
    assert!(
        labels
            .body
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["name"] == "refund request")
    );
    assert!(
        !labels.body.as_array().unwrap().iter().any(|l| l["name"]
            .as_str()
            .is_some_and(|n| n.starts_with("priority::"))),
        "priority is a field, not a label"
    );
    let created = app
        .post(
            "/api/v1/labels",
            &token,
            json!({"name": "callback", "color": "#123abc"}),
        )
        .await;
    assert_eq!(created.status, 201);
    assert_eq!(created.body["color"], "#123abc");
    assert_error(
        &app.post(
            "/api/v1/labels",
            &token,
            json!({"name": "x", "color": "red"}),
        )
        .await,
        400,
        "invalid_request",
    );
}

#[tokio::test]
async fn api_tokens_are_admin_only_hashed_and_scoped() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let jonas = app.sign_in("jonas").await;
    assert_error(
        &app.post(
            "/api/v1/tokens",
            &jonas,
            json!({"name": "x", "scope": "agent"}),
        )
        .await,
        403,
        "forbidden",
    );
    let created = app
        .post(
            "/api/v1/tokens",
            &maya,
            json!({"name": "Host", "scope": "agent"}),
        )
        .await;
    assert_eq!(created.status, 201);
    let token = created.body["token"].as_str().unwrap().to_string();
    // The agent-scoped token acts as Maya.
    assert_eq!(
        app.get("/api/v1/me", &token).await.body["email"],
        "maya@example.com"
    );
    let stored: String =
        sqlx::query_scalar("SELECT token_hash FROM auth_tokens WHERE kind = 'api'")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(stored, convoroom_server::util::sha256_hex(&token));
    let listed = app.get("/api/v1/tokens", &maya).await;
    assert_eq!(listed.body.as_array().unwrap().len(), 1);
    assert!(listed.body[0].get("token").is_none());
    let inbound = app
        .post(
            "/api/v1/tokens",
            &maya,
            json!({"name": "WhatsApp", "scope": "inbound"}),
        )
        .await;
    let inbound_token = inbound.body["token"].as_str().unwrap().to_string();
    assert_error(
        &app.get("/api/v1/conversations", &inbound_token).await,
        403,
        "forbidden",
    );
    let id = created.body["id"].as_str().unwrap();
    let deleted = app
        .call(
            Method::DELETE,
            &format!("/api/v1/tokens/{id}"),
            Some(&maya),
            None,
            &[],
        )
        .await;
    assert_eq!(deleted.status, 204);
    assert_error(&app.get("/api/v1/me", &token).await, 401, "unauthorized");
    assert_error(
        &app.call(Method::DELETE, "/api/v1/tokens/999", Some(&maya), None, &[])
            .await,
        404,
        "not_found",
    );
}

#[tokio::test]
async fn security_headers_and_csp_hashes_inline_scripts() {
    let app = TestApp::new().await;
    let reply = app
        .call(Method::GET, "/api/v1/health", None, None, &[])
        .await;
    let csp = reply.headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert_eq!(reply.headers["x-content-type-options"], "nosniff");
    assert_eq!(reply.headers["referrer-policy"], "no-referrer");
    assert_eq!(reply.headers["x-frame-options"], "DENY");
    // Without a build, `/` explains how to make one.
    let missing = app.call(Method::GET, "/", None, None, &[]).await;
    assert!(missing.body.as_str().unwrap().contains("trunk build"));

    let dist = app.dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    let script = "import init from '/app.js'; init();";
    std::fs::write(
        dist.join("index.html"),
        format!("<html><body><script type=\"module\">{script}</script></body></html>"),
    )
    .unwrap();
    std::fs::write(dist.join("app.js"), "console.log(1)").unwrap();
    let spa = app
        .call(
            Method::GET,
            "/conversations/12",
            None,
            None,
            &[("accept", "text/html")],
        )
        .await;
    assert_eq!(spa.status, 200);
    let csp = spa.headers["content-security-policy"].to_str().unwrap();
    let hash = format!(
        "'sha256-{}'",
        convoroom_server::util::sha256_b64(script.as_bytes())
    );
    assert!(csp.contains(&hash), "{csp}");
    assert!(csp.contains("'wasm-unsafe-eval'"));
    let js = app.call(Method::GET, "/app.js", None, None, &[]).await;
    assert_eq!(js.status, 200);
    assert_eq!(js.headers["x-content-type-options"], "nosniff");
    // A release build's precompressed sibling goes to browsers that accept it, as is.
    std::fs::write(dist.join("app.js.br"), "stand-in brotli bytes").unwrap();
    let compressed = app
        .call(
            Method::GET,
            "/app.js",
            None,
            None,
            &[("accept-encoding", "gzip, deflate, br")],
        )
        .await;
    assert_eq!(compressed.headers["content-encoding"], "br");
    assert_eq!(compressed.body.as_str(), Some("stand-in brotli bytes"));
    let plain = app.call(Method::GET, "/app.js", None, None, &[]).await;
    assert!(!plain.headers.contains_key("content-encoding"));
    assert_eq!(plain.body.as_str(), Some("console.log(1)"));
    assert_eq!(
        app.call(Method::GET, "/missing.js", None, None, &[])
            .await
            .status,
        404
    );
    assert_error(
        &app.call(Method::GET, "/api/v1/nope", None, None, &[]).await,
        404,
        "not_found",
    );
}
