//! Each agent as themselves in an embedded panel (issue #21): a host's backend syncs its agents
//! by its own ids and exchanges an `embed` token for a 15-minute session of one of them; what
//! that session does is the agent's own, under the agent's team access; admins are never
//! signed in this way.

use crate::common;

use common::{TestApp, assert_error};
use serde_json::json;

async fn embed_token(app: &TestApp, admin: &str) -> String {
    let made = app
        .post(
            "/api/v1/tokens",
            admin,
            json!({"name": "Helpdesk backend", "scope": "embed"}),
        )
        .await;
    assert_eq!(made.status, 201, "{:?}", made.body);
    assert_eq!(made.body["scope"], "embed");
    made.body["token"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn an_embed_token_exchanges_for_an_agents_own_short_session() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let embed = embed_token(&app, &maya).await;
    let exchanged = app
        .post(
            "/api/v1/auth/exchange",
            &embed,
            json!({"email": "Jonas@Example.com"}),
        )
        .await;
    assert_eq!(exchanged.status, 200, "{:?}", exchanged.body);
    assert_eq!(exchanged.body["agent"]["email"], "jonas@example.com");
    let expires = time::OffsetDateTime::parse(
        exchanged.body["expires_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let minutes = (expires - time::OffsetDateTime::now_utc()).whole_minutes();
    assert!((14..=15).contains(&minutes), "{minutes} minutes");
    let jonas = exchanged.body["token"].as_str().unwrap().to_string();
    assert_eq!(
        app.get("/api/v1/me", &jonas).await.body["email"],
        "jonas@example.com"
    );

    // What the session does is Jonas's, within Jonas's teams.
    let support = app.conversation_of_team(&maya, "1", "none").await;
    let note = app
        .post(
            &format!("/api/v1/conversations/{support}/notes"),
            &jonas,
            json!({"body": "Written in the helpdesk"}),
        )
        .await;
    assert_eq!(note.status, 201, "{:?}", note.body);
    assert_eq!(note.body["author_id"], "2");
    let billing = app.conversation_of_team(&maya, "3", "none").await;
    let hidden = app
        .get(&format!("/api/v1/conversations/{billing}"), &jonas)
        .await;
    assert_error(&hidden, 404, "not_found");

    // Never an admin; never without saying whom; never from anything but an embed token.
    let admin = app
        .post(
            "/api/v1/auth/exchange",
            &embed,
            json!({"email": "maya@example.com"}),
        )
        .await;
    assert_error(&admin, 403, "forbidden");
    for body in [
        json!({}),
        json!({"email": "jonas@example.com", "external_id": "7"}),
        json!({"email": "  "}),
    ] {
        let refused = app.post("/api/v1/auth/exchange", &embed, body).await;
        assert_error(&refused, 400, "invalid_request");
    }
    let unknown = app
        .post(
            "/api/v1/auth/exchange",
            &embed,
            json!({"external_id": "nobody"}),
        )
        .await;
    assert_error(&unknown, 404, "not_found");
    let by_session = app
        .post(
            "/api/v1/auth/exchange",
            &maya,
            json!({"email": "jonas@example.com"}),
        )
        .await;
    assert_error(&by_session, 403, "forbidden");
    assert_error(&app.get("/api/v1/me", &embed).await, 403, "forbidden");
}

#[tokio::test]
async fn hosts_sync_agents_by_their_own_ids() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let embed = embed_token(&app, &maya).await;
    // A new agent of the host, in Support.
    let created = app
        .put(
            "/api/v1/agents/by-external-id/acme-17",
            &maya,
            json!({"name": "Rosa Diaz", "email": "rosa@acme.example", "team_ids": ["1"]}),
        )
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    assert_eq!(created.body["external_id"], "acme-17");
    assert_eq!(created.body["role"], "agent");
    assert_eq!(created.body["team_ids"], json!(["1"]));
    // No password signs her in; the exchange does.
    let password = app
        .post(
            "/api/v1/auth/sign-in",
            "",
            json!({"email": "rosa@acme.example", "password": "!no-password"}),
        )
        .await;
    assert_eq!(password.status, 401);
    let exchanged = app
        .post(
            "/api/v1/auth/exchange",
            &embed,
            json!({"external_id": "acme-17"}),
        )
        .await;
    assert_eq!(exchanged.status, 200, "{:?}", exchanged.body);
    let rosa = exchanged.body["token"].as_str().unwrap();
    let list = app.get("/api/v1/conversations?limit=200", rosa).await;
    assert!(
        list.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["team_id"] == "1"),
        "only Support's conversations"
    );
    // Updated in place; an existing agent is linked by email on the first sync.
    let renamed = app
        .put(
            "/api/v1/agents/by-external-id/acme-17",
            &maya,
            json!({"name": "Rosa Díaz", "email": "rosa@acme.example", "team_ids": ["1", "2"]}),
        )
        .await;
    assert_eq!(renamed.status, 200);
    assert_eq!(renamed.body["name"], "Rosa Díaz");
    assert_eq!(renamed.body["team_ids"], json!(["1", "2"]));
    let linked = app
        .put(
            "/api/v1/agents/by-external-id/acme-2",
            &maya,
            json!({"name": "Jonas Weber", "email": "jonas@example.com", "team_ids": ["1"]}),
        )
        .await;
    assert_eq!(linked.status, 200, "{:?}", linked.body);
    assert_eq!(linked.body["id"], "2");
    // Refusals: someone else's email, an unknown team, the last admin demoted, an agent.
    let taken = app
        .put(
            "/api/v1/agents/by-external-id/acme-17",
            &maya,
            json!({"name": "Rosa", "email": "jonas@example.com"}),
        )
        .await;
    assert_error(&taken, 400, "invalid_request");
    assert_eq!(taken.body["error"]["field"], "email");
    let team = app
        .put(
            "/api/v1/agents/by-external-id/acme-18",
            &maya,
            json!({"name": "Sam", "email": "sam@acme.example", "team_ids": ["99"]}),
        )
        .await;
    assert_error(&team, 400, "invalid_request");
    assert_eq!(team.body["error"]["field"], "team_ids[0]");
    let demoted = app
        .put(
            "/api/v1/agents/by-external-id/acme-1",
            &maya,
            json!({"name": "Maya Patel", "email": "maya@example.com", "role": "agent"}),
        )
        .await;
    assert_error(&demoted, 400, "invalid_request");
    assert_eq!(demoted.body["error"]["field"], "role");
    let jonas = app.sign_in("jonas").await;
    let by_agent = app
        .put(
            "/api/v1/agents/by-external-id/acme-19",
            &jonas,
            json!({"name": "Eve", "email": "eve@acme.example"}),
        )
        .await;
    assert_error(&by_agent, 403, "forbidden");
}

/// A JWT as a host signs it: HS256 with the embed token's secret, `kid` = the token's id.
fn host_jwt(kid: &str, claims: serde_json::Value, secret: &str) -> String {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use hmac::{Hmac, Mac};
    let header =
        URL_SAFE_NO_PAD.encode(json!({"alg": "HS256", "typ": "JWT", "kid": kid}).to_string());
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{header}.{payload}").as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{header}.{payload}.{signature}")
}

#[tokio::test]
async fn a_host_signed_jwt_exchanges_without_the_token() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let made = app
        .post(
            "/api/v1/tokens",
            &maya,
            json!({"name": "Helpdesk SSO", "scope": "embed"}),
        )
        .await;
    let kid = made.body["id"].as_str().unwrap().to_string();
    let secret = made.body["jwt_secret"].as_str().unwrap().to_string();
    let listed = app.get("/api/v1/tokens", &maya).await;
    assert!(
        listed
            .body
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t.get("jwt_secret").is_none()),
        "shown once"
    );
    let synced = app
        .put(
            "/api/v1/agents/by-external-id/hd-77",
            &maya,
            json!({"name": "Ana Souza", "email": "ana.souza@example.com", "team_ids": ["1"]}),
        )
        .await;
    assert_eq!(synced.status, 201, "{:?}", synced.body);
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let exchange = |jwt: String| {
        let app = &app;
        async move {
            app.call(
                axum::http::Method::POST,
                "/api/v1/auth/exchange",
                None,
                Some(json!({"jwt": jwt})),
                &[],
            )
            .await
        }
    };

    let session = exchange(host_jwt(
        &kid,
        json!({"sub": "hd-77", "exp": now + 300}),
        &secret,
    ))
    .await;
    assert_eq!(session.status, 200, "{:?}", session.body);
    assert_eq!(session.body["agent"]["name"], "Ana Souza");
    let token = session.body["token"].as_str().unwrap().to_string();
    assert_eq!(
        app.get("/api/v1/me", &token).await.body["name"],
        "Ana Souza"
    );
    // By email as well.
    let by_email = exchange(host_jwt(
        &kid,
        json!({"email": "ana.souza@example.com", "exp": now + 300}),
        &secret,
    ))
    .await;
    assert_eq!(by_email.status, 200, "{:?}", by_email.body);

    for (jwt, why) in [
        (
            host_jwt(
                &kid,
                json!({"sub": "hd-77", "exp": now + 300}),
                "not the secret",
            ),
            "signature",
        ),
        (
            host_jwt(&kid, json!({"sub": "hd-77", "exp": now - 5}), &secret),
            "expired",
        ),
        (
            host_jwt(&kid, json!({"sub": "hd-77", "exp": now + 86_400}), &secret),
            "more than an hour",
        ),
        (
            host_jwt("999", json!({"sub": "hd-77", "exp": now + 300}), &secret),
            "kid",
        ),
        ("not.a.jwt".to_string(), "base64url"),
    ] {
        let refused = exchange(jwt).await;
        assert_error(&refused, 401, "unauthorized");
        assert!(
            refused.body["error"]["message"]
                .as_str()
                .unwrap()
                .contains(why),
            "{why}: {:?}",
            refused.body
        );
    }
    // Never an admin; and a deleted token's JWTs stop working.
    let admin = exchange(host_jwt(
        &kid,
        json!({"email": "maya@example.com", "exp": now + 300}),
        &secret,
    ))
    .await;
    assert_error(&admin, 403, "forbidden");
    let deleted = app.delete(&format!("/api/v1/tokens/{kid}"), &maya).await;
    assert_eq!(deleted.status, 204, "{:?}", deleted.body);
    let after = exchange(host_jwt(
        &kid,
        json!({"sub": "hd-77", "exp": now + 300}),
        &secret,
    ))
    .await;
    assert_error(&after, 401, "unauthorized");
    // No JWT and no token: 401.
    let nothing = app
        .call(
            axum::http::Method::POST,
            "/api/v1/auth/exchange",
            None,
            Some(json!({"sub": "hd-77"})),
            &[],
        )
        .await;
    assert_error(&nothing, 401, "unauthorized");
}
