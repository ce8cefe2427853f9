//! A NUL character (U+0000) in a body or a query string is refused with 400 on both
//! databases (PostgreSQL text cannot hold one); a backslash followed by `u0000` is just text.

use crate::common;

use axum::http::Method;
use common::{TestApp, assert_error};
use serde_json::json;

#[tokio::test]
async fn nul_characters_are_refused_the_same_on_both_databases() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let refused = [
        app.post(
            "/api/v1/conversations/1/notes",
            &maya,
            json!({"body": "a\u{0}b"}),
        )
        .await,
        app.post("/api/v1/labels", &maya, json!({"name": "x\u{0}"}))
            .await,
        app.call(
            Method::POST,
            "/api/v1/auth/sign-in",
            None,
            Some(json!({"email": "a\u{0}@example.com", "password": "demo1234"})),
            &[],
        )
        .await,
        app.post(
            "/api/v1/conversations/1/resolve",
            &maya,
            json!({"wrap_up_note": "done\u{0}"}),
        )
        .await,
        app.get("/api/v1/conversations?label=a%00b", &maya).await,
        app.get("/api/v1/contacts?q=%00", &maya).await,
    ];
    for reply in &refused {
        assert_error(reply, 400, "invalid_request");
    }
    // The six characters \u0000 (an escaped backslash in JSON) are ordinary text.
    let note = app
        .post(
            "/api/v1/conversations/1/notes",
            &maya,
            json!({"body": "path C:\\u0000"}),
        )
        .await;
    assert_eq!(note.status, 201, "{:?}", note.body);
    assert_eq!(note.body["body"], "path C:\\u0000");
}
