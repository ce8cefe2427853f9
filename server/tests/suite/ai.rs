//! The OpenAI-compatible analyzer against a local stub, and automatic idle reviews.

use crate::common;

use axum::Router;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::routing::post;
use common::{TestApp, assert_error};
use serde_json::json;
use std::sync::{Arc, Mutex};

/// A chat-completions stub answering `status` with a fenced JSON review; records auth headers.
async fn stub(status: StatusCode) -> (String, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let recorder = seen.clone();
    let app = Router::new().route(
        "/v1/chat/completions",
        post(move |headers: HeaderMap, body: String| {
            let recorder = recorder.clone();
            async move {
                let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
                recorder.lock().unwrap().push(auth);
                let request: serde_json::Value = serde_json::from_str(&body).unwrap();
                assert_eq!(request["model"], "stub-model");
                let content = "```json\n{\"summary\": \"Customer wants a refund; agent issued it.\", \"quality_score\": 77}\n```";
                (status, axum::Json(json!({"choices": [{"message": {"role": "assistant", "content": content}}]})))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/v1"), seen)
}

async fn ai_enabled_conversation(app: &TestApp, token: &str) -> String {
    let all = app.get("/api/v1/conversations?limit=200", token).await.body;
    all["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["access"]["ai_enabled"] == true)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn openai_compatible_endpoint_reviews_conversations() {
    let (endpoint, seen) = stub(StatusCode::OK).await;
    let app = TestApp::with(|c| {
        c.ai_endpoint = Some(endpoint);
        c.ai_model = "stub-model".into();
        c.ai_api_key = Some("sk-test".into());
    })
    .await;
    let maya = app.sign_in("maya").await;
    let id = ai_enabled_conversation(&app, &maya).await;
    let review = app
        .call(
            Method::POST,
            &format!("/api/v1/conversations/{id}/ai-review"),
            Some(&maya),
            None,
            &[],
        )
        .await;
    assert_eq!(review.status, 200, "{:?}", review.body);
    assert_eq!(review.body["analyzer"], "stub-model");
    assert_eq!(review.body["quality_score"], 77);
    assert_eq!(
        review.body["summary"],
        "Customer wants a refund; agent issued it."
    );
    assert_eq!(seen.lock().unwrap().as_slice(), ["Bearer sk-test"]);
}

#[tokio::test]
async fn a_failing_endpoint_is_503() {
    let (endpoint, _) = stub(StatusCode::INTERNAL_SERVER_ERROR).await;
    let app = TestApp::with(|c| {
        c.ai_endpoint = Some(endpoint);
        c.ai_model = "stub-model".into();
    })
    .await;
    let maya = app.sign_in("maya").await;
    let id = ai_enabled_conversation(&app, &maya).await;
    let review = app
        .call(
            Method::POST,
            &format!("/api/v1/conversations/{id}/ai-review"),
            Some(&maya),
            None,
            &[],
        )
        .await;
    assert_error(&review, 503, "unavailable");
}

#[tokio::test]
async fn idle_conversations_are_reviewed_automatically() {
    let app = TestApp::with(|c| c.ai_idle_minutes = 0).await;
    let maya = app.sign_in("maya").await;
    let accepted = app.post("/api/v1/inbound", &maya, json!({"channel": "telegram", "from": "@newbie", "body": "Can I return the lamp? It flickers."})).await;
    let id = accepted.body["conversation_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        app.get(&format!("/api/v1/conversations/{id}"), &maya)
            .await
            .body
            .get("ai_review")
            .is_none()
    );
    while convoroom_server::ai::review_idle(&app.state).await.unwrap() > 0 {}
    let reviewed = app
        .get(&format!("/api/v1/conversations/{id}"), &maya)
        .await
        .body;
    assert_eq!(reviewed["ai_review"]["analyzer"], "builtin");
    assert!(
        reviewed["ai_review"]["summary"]
            .as_str()
            .unwrap()
            .contains("flickers")
    );
    assert_eq!(
        convoroom_server::ai::review_idle(&app.state).await.unwrap(),
        0,
        "no review without new activity"
    );
}
