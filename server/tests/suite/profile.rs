//! Every agent's own profile (`PATCH /me`, issue #21): name and picture, told to everyone;
//! a new password only with the current one, ending the agent's other sessions.

use crate::common;

use common::sse::Stream;
use common::{TestApp, assert_error};
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn an_agent_renames_themselves_and_sets_a_picture_and_everyone_hears() {
    let app = TestApp::new().await;
    let jonas = app.sign_in("jonas").await;
    let maya = app.sign_in("maya").await;
    let mut stream = Stream::open(&app, &maya, None).await;
    let picture = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
    let saved = app
        .patch(
            "/api/v1/me",
            &jonas,
            None,
            json!({"name": "  Jonas W. Weber ", "avatar_url": picture}),
        )
        .await;
    assert_eq!(saved.status, 200, "{:?}", saved.body);
    assert_eq!(saved.body["name"], "Jonas W. Weber");
    assert_eq!(saved.body["avatar_url"], picture);
    let events = stream.take(1, Duration::from_millis(500)).await;
    assert_eq!(events[0]["type"], "agent_saved");
    assert_eq!(events[0]["data"]["name"], "Jonas W. Weber");

    for (body, field) in [
        (json!({"name": " "}), "name"),
        (
            json!({"avatar_url": "data:image/svg+xml;base64,PHN2Zz4="}),
            "avatar_url",
        ),
        (json!({"avatar_url": "javascript:alert(1)"}), "avatar_url"),
    ] {
        let refused = app.patch("/api/v1/me", &jonas, None, body).await;
        assert_error(&refused, 400, "invalid_request");
        assert_eq!(refused.body["error"]["field"], field);
    }
    let removed = app
        .patch("/api/v1/me", &jonas, None, json!({"avatar_url": null}))
        .await;
    assert!(
        removed.body.get("avatar_url").is_none(),
        "{:?}",
        removed.body
    );
    let availability = app
        .patch("/api/v1/me", &jonas, None, json!({"availability": "away"}))
        .await;
    assert_eq!(availability.body["availability"], "away");
    assert_eq!(availability.body["name"], "Jonas W. Weber", "left alone");
}

#[tokio::test]
async fn a_new_password_needs_the_current_one_and_signs_out_the_other_sessions() {
    let app = TestApp::new().await;
    let here = app.sign_in("jonas").await;
    let elsewhere = app.sign_in("jonas").await;
    let wrong = app
        .patch(
            "/api/v1/me",
            &here,
            None,
            json!({"password": {"current": "not-it", "new": "a longer secret"}}),
        )
        .await;
    assert_error(&wrong, 400, "invalid_request");
    assert_eq!(wrong.body["error"]["field"], "password.current");
    let short = app
        .patch(
            "/api/v1/me",
            &here,
            None,
            json!({"password": {"current": "demo1234", "new": "short"}}),
        )
        .await;
    assert_eq!(short.body["error"]["field"], "password.new");
    assert_eq!(
        app.get("/api/v1/me", &elsewhere).await.status,
        200,
        "nothing changed yet"
    );

    let changed = app
        .patch(
            "/api/v1/me",
            &here,
            None,
            json!({"password": {"current": "demo1234", "new": "a longer secret"}}),
        )
        .await;
    assert_eq!(changed.status, 200, "{:?}", changed.body);
    assert_eq!(
        app.get("/api/v1/me", &here).await.status,
        200,
        "this session stays"
    );
    assert_eq!(app.get("/api/v1/me", &elsewhere).await.status, 401);
    let old = app
        .post(
            "/api/v1/auth/sign-in",
            "",
            json!({"email": "jonas@example.com", "password": "demo1234"}),
        )
        .await;
    assert_eq!(old.status, 401);
    let new = app
        .post(
            "/api/v1/auth/sign-in",
            "",
            json!({"email": "jonas@example.com", "password": "a longer secret"}),
        )
        .await;
    assert_eq!(new.status, 200, "{:?}", new.body);

    // An API token acting as an admin cannot change the admin's password.
    let maya = app.sign_in("maya").await;
    let token = app
        .post(
            "/api/v1/tokens",
            &maya,
            json!({"name": "profile test", "scope": "agent"}),
        )
        .await;
    let token = token.body["token"].as_str().unwrap().to_string();
    let refused = app
        .patch(
            "/api/v1/me",
            &token,
            None,
            json!({"password": {"current": "demo1234", "new": "another secret"}}),
        )
        .await;
    assert_error(&refused, 403, "forbidden");
}
