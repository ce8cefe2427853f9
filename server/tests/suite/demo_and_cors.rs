//! Demo data (determinism, long conversation, recordings) and CORS.

use crate::common;

use axum::http::Method;
use common::TestApp;

#[tokio::test]
async fn demo_recordings_are_wav_files() {
    let app = TestApp::new().await;
    let response = app
        .raw(
            axum::http::Request::get("/media/recordings/42.wav")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "audio/wav");
    use http_body_util::BodyExt;
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(&bytes[..4], b"RIFF");
    assert!(bytes.len() > 8_000 * 2 * 3);
    assert_eq!(
        app.call(Method::GET, "/media/recordings/x.wav", None, None, &[])
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn demo_data_is_deterministic_and_has_an_optional_long_conversation() {
    let snapshot = |app: &TestApp| {
        let db = app.state.db.clone();
        async move {
            let rows: Vec<(i64, String, String, String)> =
                sqlx::query_as("SELECT id, kind, body, created_at FROM messages ORDER BY id")
                    .fetch_all(&db)
                    .await
                    .unwrap();
            let conversations: Vec<(i64, String, String, Option<i64>)> = sqlx::query_as(
                "SELECT id, status, labels, assignee_id FROM conversations ORDER BY id",
            )
            .fetch_all(&db)
            .await
            .unwrap();
            (rows, conversations)
        }
    };
    let a = TestApp::new().await;
    let b = TestApp::new().await;
    assert_eq!(snapshot(&a).await, snapshot(&b).await);
    let other = TestApp::with(|c| c.seed = 7).await;
    assert_ne!(snapshot(&a).await.0, snapshot(&other).await.0);

    let long = TestApp::with(|c| c.demo_long_conversation = 400).await;
    assert_eq!(
        long.db_scalar_i64("SELECT COUNT(*) FROM conversations")
            .await,
        31
    );
    assert!(
        long.db_scalar_i64("SELECT COUNT(*) FROM messages WHERE conversation_id = 31")
            .await
            >= 400
    );
    let channels = long
        .db_scalar_i64("SELECT COUNT(DISTINCT channel) FROM conversations")
        .await;
    assert!(channels >= 6, "the demo covers the channels");
    assert!(
        long.db_scalar_i64("SELECT COUNT(*) FROM messages WHERE call LIKE '%recording_url%'")
            .await
            > 0
    );
}

#[tokio::test]
async fn cors_allows_configured_origins_only() {
    let app = TestApp::with(|c| c.cors_origins = vec!["https://desk.example.com".into()]).await;
    let preflight = |origin: &'static str| {
        axum::http::Request::builder()
            .method(Method::OPTIONS)
            .uri("/api/v1/conversations")
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .header("access-control-request-headers", "authorization")
            .body(axum::body::Body::empty())
            .unwrap()
    };
    let allowed = app.raw(preflight("https://desk.example.com")).await;
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://desk.example.com"
    );
    let denied = app.raw(preflight("https://evil.example.com")).await;
    assert!(
        denied
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    let reply = app
        .call(Method::GET, "/api/v1/health", None, None, &[])
        .await;
    assert!(
        reply.headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("connect-src 'self' https://desk.example.com")
    );
}
