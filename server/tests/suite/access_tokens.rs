//! Credentials (issue #8): each kind of token is limited to what it was issued for, across every
//! operation of the access matrix; revoking a token ends everything it opened; tokens and
//! tickets are stored only as hashes; sign-in is rate-limited per email and per client IP.

use crate::common;
use crate::matrix;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request};
use common::sse::Stream;
use common::{TestApp, assert_error};
use matrix::{Access, OPERATIONS, Target, assert_unchanged, call, snapshot};
use serde_json::json;
use std::net::SocketAddr;
use std::time::Duration;

/// Something of Maya's for every placeholder: the operations run on her workspace.
async fn target(app: &TestApp, maya: &str) -> Target {
    let conversation = matrix::conversations_of_team(app, maya, "1", "none").await;
    let view = app
        .post(
            "/api/v1/views",
            maya,
            json!({"name": "Mine", "columns": []}),
        )
        .await;
    let token = app
        .post(
            "/api/v1/tokens",
            maya,
            json!({"name": "Spare", "scope": "inbound"}),
        )
        .await;
    let canned = app
        .post(
            "/api/v1/canned-responses",
            maya,
            json!({"short_code": "spare", "body": "Spare", "scope": "shared"}),
        )
        .await;
    let mut target = Target {
        canned: canned.body["id"].as_str().unwrap().into(),
        conversation: conversation[0].clone(),
        into: conversation[1].clone(),
        view: view.body["id"].as_str().unwrap().into(),
        token: token.body["id"].as_str().unwrap().into(),
        disposition: "7".into(),
        team: "2".into(),
        stage: "spam".into(),
        staff: "3".into(),
        agent: "1".into(),
        text: "token-matrix".into(),
        ..Target::default()
    };
    target.note = matrix::prepare(app, maya, &target.conversation, "token-matrix").await;
    target.contact = matrix::contact_of(app, maya, &target.conversation).await;
    let delivery = matrix::delivery(app, maya, &[&target.conversation]).await;
    target.integration = delivery.integration;
    target.integration_token = delivery.token;
    target.free_channel = delivery.free_channel;
    target.message = delivery.failed[0].clone();
    target
}

async fn api_token(app: &TestApp, admin: &str, scope: &str) -> (String, String) {
    let created = app
        .post(
            "/api/v1/tokens",
            admin,
            json!({"name": scope, "scope": scope}),
        )
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    let field = |name: &str| created.body[name].as_str().unwrap().to_string();
    (field("id"), field("token"))
}

#[tokio::test]
async fn an_inbound_token_delivers_messages_and_does_nothing_else() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let t = target(&app, &maya).await;
    let (_, inbound) = api_token(&app, &maya, "inbound").await;
    let before = snapshot(&app).await;
    let others = OPERATIONS
        .iter()
        // It also reads the files of the replies it delivers (uploads::).
        .filter(|op| {
            op.access != Access::Public && op.path != "/inbound" && op.path != "/uploads/{id}"
        });
    for op in others {
        let reply = call(&app, op, &t, Some(&inbound)).await;
        if op.path == "/auth/sign-out" {
            // Accepted, but it revokes sessions only: the token keeps working (below).
            assert_eq!(reply.status, 204, "{op}");
        } else {
            assert_eq!(reply.status, 403, "{op}: {:?}", reply.body);
            assert_error(&reply, 403, "forbidden");
        }
    }
    assert_unchanged(&before, &snapshot(&app).await, "an inbound token");
    let inbound_op = OPERATIONS.iter().find(|op| op.path == "/inbound").unwrap();
    let delivered = call(&app, inbound_op, &t, Some(&inbound)).await;
    assert_eq!(delivered.status, 201, "{:?}", delivered.body);
}

#[tokio::test]
async fn an_embed_token_only_exchanges_and_its_sessions_are_plain_agents() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let t = target(&app, &maya).await;
    let (_, embed) = api_token(&app, &maya, "embed").await;
    let before = snapshot(&app).await;
    let others = OPERATIONS
        .iter()
        .filter(|op| op.access != Access::Public && op.path != "/auth/exchange");
    for op in others {
        let reply = call(&app, op, &t, Some(&embed)).await;
        if op.path == "/auth/sign-out" {
            assert_eq!(reply.status, 204, "{op}");
        } else {
            assert_error(&reply, 403, "forbidden");
        }
    }
    assert_unchanged(&before, &snapshot(&app).await, "an embed token");
    // The session it gets cannot exchange again nor reach what admins do.
    let exchanged = app
        .post(
            "/api/v1/auth/exchange",
            &embed,
            json!({"email": "jonas@example.com"}),
        )
        .await;
    assert_eq!(exchanged.status, 200, "{:?}", exchanged.body);
    let session = exchanged.body["token"].as_str().unwrap();
    let again = app
        .post(
            "/api/v1/auth/exchange",
            session,
            json!({"email": "priya@example.com"}),
        )
        .await;
    assert_error(&again, 403, "forbidden");
    for op in OPERATIONS.iter().filter(|op| {
        matches!(
            op.access,
            Access::AdminSession | Access::AdminSettings | Access::Inbound
        ) && op.method != "GET"
    }) {
        let reply = call(&app, op, &t, Some(session)).await;
        assert_error(&reply, 403, "forbidden");
    }
}

#[tokio::test]
async fn an_embedding_token_acts_as_its_agent_cannot_manage_tokens_and_dies_when_revoked() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let t = target(&app, &maya).await;
    let (id, embed) = api_token(&app, &maya, "agent").await;
    assert_eq!(
        app.get("/api/v1/me", &embed).await.body["email"],
        "maya@example.com"
    );

    // Token management needs Maya's session, never a token: no successors, no revoking others.
    for op in matrix::Op::of(Access::AdminSession) {
        for target in [
            t.clone(),
            Target {
                token: id.clone(),
                ..t.clone()
            },
        ] {
            let before = snapshot(&app).await;
            let refused = call(&app, op, &target, Some(&embed)).await;
            assert_error(&refused, 403, "forbidden");
            assert_unchanged(
                &before,
                &snapshot(&app).await,
                &format!("{op} with an API token"),
            );
        }
        let allowed = call(&app, op, &t, Some(&maya)).await;
        assert!(
            allowed.status.is_success(),
            "{op} with the session: {:?}",
            allowed.body
        );
    }

    // Everything it opened ends with it: a stream by header, one by ticket, an unused ticket.
    let mut by_header = Stream::open_with_header(&app, &embed).await;
    let mut by_ticket = Stream::open(&app, &embed, None).await;
    let unused = app.post("/api/v1/events/ticket", &embed, json!({})).await;
    let unused = unused.body["ticket"].as_str().unwrap().to_string();
    let mut session_stream = Stream::open(&app, &maya, None).await;
    let revoked = app
        .call(
            Method::DELETE,
            &format!("/api/v1/tokens/{id}"),
            Some(&maya),
            None,
            &[],
        )
        .await;
    assert_eq!(revoked.status, 204);
    assert!(
        by_header.ended(Duration::from_secs(2)).await,
        "the header stream ended"
    );
    assert!(
        by_ticket.ended(Duration::from_secs(2)).await,
        "the ticket stream ended"
    );
    assert!(
        !session_stream.ended(Duration::from_millis(300)).await,
        "other streams go on"
    );
    let path = format!("/api/v1/events?ticket={unused}");
    assert_error(
        &app.call(Method::GET, &path, None, None, &[]).await,
        401,
        "unauthorized",
    );
    for op in OPERATIONS.iter().filter(|op| op.access != Access::Public) {
        let reply = call(&app, op, &t, Some(&embed)).await;
        assert_error(&reply, 401, "unauthorized");
    }
}

#[tokio::test]
async fn signing_out_ends_the_sessions_streams_and_tickets() {
    let app = TestApp::new().await;
    let jonas = app.sign_in("jonas").await;
    let other = app.sign_in("jonas").await;
    let mut stream = Stream::open(&app, &jonas, None).await;
    let mut other_stream = Stream::open(&app, &other, None).await;
    let ticket = app.post("/api/v1/events/ticket", &jonas, json!({})).await;
    let ticket = ticket.body["ticket"].as_str().unwrap().to_string();
    // A ticket is for the stream only, never a bearer token.
    assert_error(&app.get("/api/v1/me", &ticket).await, 401, "unauthorized");
    let out = app
        .call(
            Method::POST,
            "/api/v1/auth/sign-out",
            Some(&jonas),
            None,
            &[],
        )
        .await;
    assert_eq!(out.status, 204);
    assert!(stream.ended(Duration::from_secs(2)).await);
    assert!(
        !other_stream.ended(Duration::from_millis(300)).await,
        "his other session goes on"
    );
    let path = format!("/api/v1/events?ticket={ticket}");
    assert_error(
        &app.call(Method::GET, &path, None, None, &[]).await,
        401,
        "unauthorized",
    );
}

#[tokio::test]
async fn every_kind_of_token_is_stored_only_as_its_hash() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let (_, embed) = api_token(&app, &maya, "agent").await;
    let (_, inbound) = api_token(&app, &maya, "inbound").await;
    let ticket = app.post("/api/v1/events/ticket", &embed, json!({})).await;
    let ticket = ticket.body["ticket"].as_str().unwrap().to_string();
    // Use them, so anything recording use would have had the chance.
    app.get("/api/v1/conversations", &embed).await;
    app.post(
        "/api/v1/inbound",
        &inbound,
        json!({"channel": "sms", "from": "+1555", "body": "x"}),
    )
    .await;
    let everything = format!("{:?}", snapshot(&app).await);
    for secret in [&maya, &embed, &inbound, &ticket] {
        assert!(
            !everything.contains(secret.as_str()),
            "a clear token in the database"
        );
        let hash = convoroom_server::util::sha256_hex(secret);
        if secret != &ticket {
            let stored = format!("SELECT COUNT(*) FROM auth_tokens WHERE token_hash = '{hash}'");
            assert_eq!(app.db_scalar_i64(&stored).await, 1);
        }
    }
    // Tickets live in the database (any replica may open the stream), keyed by their hash,
    // holding the token's hash; the snapshot above holds no ticket in clear.
    let for_token: String =
        sqlx::query_scalar("SELECT token_hash FROM stream_tickets WHERE ticket_hash = $1")
            .bind(convoroom_server::util::sha256_hex(&ticket))
            .fetch_one(&app.state.db)
            .await
            .expect("the ticket's row");
    assert_eq!(for_token, convoroom_server::util::sha256_hex(&embed));
}

async fn sign_in_from(app: &TestApp, ip: [u8; 4], email: &str, password: &str) -> common::Reply {
    let body = json!({"email": email, "password": password}).to_string();
    let mut request = Request::post("/api/v1/auth/sign-in")
        .header("content-type", "application/json")
        .body(Body::from(body))
        .unwrap();
    // What `into_make_service_with_connect_info` puts on every request.
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from((ip, 40000))));
    let response = app.raw(request).await;
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    let body = serde_json::from_slice(&bytes).unwrap_or_default();
    common::Reply {
        status,
        headers,
        body,
    }
}

fn retry_after(reply: &common::Reply) -> u64 {
    let value = reply
        .headers
        .get("retry-after")
        .expect("Retry-After on a 429");
    value.to_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn sign_in_is_rate_limited_per_client_ip_and_says_when_to_retry() {
    let app = TestApp::new().await;
    let attacker = [203, 0, 113, 7];
    // Ten wrong passwords from one address, each for another account (no email reaches 10).
    for i in 0..10 {
        let reply = sign_in_from(&app, attacker, &format!("guess{i}@example.com"), "wrong").await;
        assert_error(&reply, 401, "unauthorized");
    }
    let limited = sign_in_from(&app, attacker, "jonas@example.com", "demo1234").await;
    assert_error(&limited, 429, "rate_limited");
    assert!(
        (1..=300).contains(&retry_after(&limited)),
        "{:?}",
        limited.headers
    );
    // The same account from elsewhere is fine: the address is limited, not the account.
    let elsewhere = sign_in_from(&app, [198, 51, 100, 1], "jonas@example.com", "demo1234").await;
    assert_eq!(elsewhere.status, 200, "{:?}", elsewhere.body);

    // Per email (basics.rs) the answer says when to retry too.
    for _ in 0..10 {
        sign_in_from(&app, [198, 51, 100, 2], "aiko@example.com", "wrong").await;
    }
    let limited = sign_in_from(&app, [198, 51, 100, 3], "aiko@example.com", "demo1234").await;
    assert_error(&limited, 429, "rate_limited");
    assert!((1..=300).contains(&retry_after(&limited)));
    assert!(limited.body["token"].is_null());
    // (That the limit lifts once the window has passed: auth::tests in the server crate.)
}
