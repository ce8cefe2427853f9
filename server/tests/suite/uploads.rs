//! Attachments (issue #23): `POST /uploads` keeps a file under the uploads directory by its
//! SHA-256, refuses what is too large, empty, of a type not allowed or not what its type
//! says; `GET /uploads/{id}` serves it with its type, `Content-Disposition` and `nosniff` to
//! agents who can see its conversation; a message refers to uploads of its own conversation.

use crate::common;

use axum::body::Body;
use axum::http::Request;
use common::{TestApp, assert_error};
use http_body_util::BodyExt;
use serde_json::{Value, json};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR-not-really-an-image";

struct Answer {
    status: u16,
    headers: axum::http::HeaderMap,
    bytes: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or(Value::Null)
    }
}

async fn send(app: &TestApp, request: Request<Body>) -> Answer {
    let response = app.raw(request).await;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    Answer {
        status,
        headers,
        bytes,
    }
}

async fn upload(
    app: &TestApp,
    token: &str,
    conversation: &str,
    name: &str,
    mime: &str,
    bytes: Vec<u8>,
) -> Answer {
    let name = name.replace(' ', "%20");
    let request = Request::builder()
        .method("POST")
        .uri(format!(
            "/api/v1/uploads?conversation_id={conversation}&name={name}"
        ))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", mime)
        .body(Body::from(bytes))
        .unwrap();
    send(app, request).await
}

async fn download(app: &TestApp, token: &str, id: &str) -> Answer {
    let request = Request::builder()
        .uri(format!("/api/v1/uploads/{id}"))
        .header("authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    send(app, request).await
}

#[tokio::test]
async fn files_are_stored_once_by_content_and_served_so_that_nothing_runs() {
    let app = TestApp::new().await;
    let jonas = app.sign_in("jonas").await;
    let maya = app.sign_in("maya").await;
    let id = app.conversation_of_team(&maya, "1", "3").await;

    let image = upload(
        &app,
        &jonas,
        &id,
        "screen shot.png",
        "image/png",
        PNG.to_vec(),
    )
    .await;
    assert_eq!(image.status, 201, "{:?}", image.json());
    let body = image.json();
    assert_eq!(body["kind"], "image");
    assert_eq!(body["mime_type"], "image/png");
    assert_eq!(body["size_bytes"], PNG.len());
    assert_eq!(body["name"], "screen shot.png");
    let file_id = body["id"].as_str().unwrap().to_string();
    assert_eq!(file_id.len(), 64);
    // Content-addressed: the same bytes again are the same file, stored once.
    let again = upload(&app, &jonas, &id, "copy.png", "image/png", PNG.to_vec()).await;
    assert_eq!(again.json()["id"], file_id.as_str());
    let stored = app
        .dir
        .path()
        .join("uploads")
        .join(&file_id[..2])
        .join(&file_id);
    assert_eq!(std::fs::read(&stored).unwrap(), PNG);

    let served = download(&app, &jonas, &file_id).await;
    assert_eq!(served.status, 200);
    assert_eq!(served.bytes, PNG);
    assert_eq!(served.headers["content-type"], "image/png");
    assert_eq!(served.headers["x-content-type-options"], "nosniff");
    assert!(
        served.headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("inline; filename=\"screen shot.png\"")
    );
    assert_eq!(
        served.headers["content-security-policy"],
        "default-src 'none'; sandbox"
    );

    let text = upload(
        &app,
        &jonas,
        &id,
        "naïve.txt",
        "text/plain; charset=utf-8",
        "hello".into(),
    )
    .await;
    assert_eq!(text.status, 201);
    let served = download(&app, &jonas, text.json()["id"].as_str().unwrap()).await;
    assert_eq!(served.headers["content-type"], "text/plain");
    assert_eq!(
        served.headers["content-disposition"],
        "attachment; filename=\"na_ve.txt\"; filename*=UTF-8''na%C3%AFve.txt"
    );

    // No token, a bad token, an id that is no digest.
    let request = Request::builder()
        .uri(format!("/api/v1/uploads/{file_id}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&app, request).await.status, 401);
    assert_eq!(
        download(&app, &jonas, "..%2F..%2Fetc%2Fpasswd")
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn what_is_too_large_empty_not_allowed_or_not_what_it_says_is_refused() {
    let app = TestApp::new().await;
    let jonas = app.sign_in("jonas").await;
    let maya = app.sign_in("maya").await;
    let id = app.conversation_of_team(&maya, "1", "3").await;
    let limit = convoroom_api::upload::MAX_UPLOAD_BYTES as usize;

    let mut large = PNG.to_vec();
    large.resize(limit + 1, 0);
    let refused = upload(&app, &jonas, &id, "big.png", "image/png", large).await;
    assert_eq!(refused.status, 413, "{:?}", refused.json());
    assert_eq!(refused.json()["error"]["code"], "payload_too_large");
    assert!(
        refused.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("10 MB")
    );
    // Far beyond the limit: the same answer, not a dropped connection.
    let huge = upload(
        &app,
        &jonas,
        &id,
        "huge.png",
        "image/png",
        vec![0; limit * 2],
    )
    .await;
    assert_eq!(huge.status, 413);
    let mut largest = PNG.to_vec();
    largest.resize(limit, 0);
    assert_eq!(
        upload(&app, &jonas, &id, "max.png", "image/png", largest)
            .await
            .status,
        201
    );

    for (name, mime, bytes, field) in [
        ("empty.txt", "text/plain", Vec::new(), "file"),
        (
            "page.html",
            "text/html",
            b"<script>alert(1)</script>".to_vec(),
            "file",
        ),
        (
            "logo.svg",
            "image/svg+xml",
            b"<svg onload=alert(1)>".to_vec(),
            "file",
        ),
        (
            "fake.png",
            "image/png",
            b"<html><script>x</script>".to_vec(),
            "file",
        ),
        ("fake.pdf", "application/pdf", b"MZ\x90\0".to_vec(), "file"),
        ("binary.txt", "text/plain", b"\xFF\xFE\0\0".to_vec(), "file"),
        ("untyped", "", b"hello".to_vec(), "file"),
        ("%20", "text/plain", b"hello".to_vec(), "name"),
    ] {
        let refused = upload(&app, &jonas, &id, name, mime, bytes).await;
        assert_eq!(refused.status, 400, "{name}: {:?}", refused.json());
        assert_eq!(refused.json()["error"]["field"], field, "{name}");
    }
    let long = "a".repeat(201) + ".txt";
    assert_eq!(
        upload(&app, &jonas, &id, &long, "text/plain", b"x".to_vec())
            .await
            .status,
        400
    );
    // A conversation id that is not one.
    let refused = upload(&app, &jonas, "abc", "a.txt", "text/plain", b"x".to_vec()).await;
    assert_eq!(refused.status, 400);
    assert_eq!(refused.json()["error"]["field"], "conversation_id");
}

#[tokio::test]
async fn a_message_carries_uploads_of_its_own_conversation() {
    let app = TestApp::new().await;
    let jonas = app.sign_in("jonas").await;
    let maya = app.sign_in("maya").await;
    let ids: Vec<String> = app
        .conversations_of_team(&maya, "1", "3")
        .await
        .iter()
        .filter(|c| c["status"] != "resolved")
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    let (id, other) = (&ids[0], &ids[1]);
    let image = upload(&app, &jonas, id, "photo.png", "image/png", PNG.to_vec())
        .await
        .json();
    let text = upload(
        &app,
        &jonas,
        id,
        "steps.txt",
        "text/plain",
        b"1. 2. 3.".to_vec(),
    )
    .await
    .json();
    let elsewhere = upload(
        &app,
        &jonas,
        other,
        "other.txt",
        "text/plain",
        b"other".to_vec(),
    )
    .await
    .json();
    let messages = format!("/api/v1/conversations/{id}/messages");

    // Files alone, no text: a message.
    let sent = app
        .post(
            &messages,
            &jonas,
            json!({"client_id": "files-1", "mode": "reply", "body": "", "attachments": [
                {"upload_id": image["id"], "name": "photo.png"},
                {"upload_id": text["id"], "name": "steps (2).txt"},
            ]}),
        )
        .await;
    assert_eq!(sent.status, 201, "{:?}", sent.body);
    let attachments = sent.body["attachments"].as_array().unwrap();
    assert_eq!(attachments.len(), 2);
    assert_eq!(attachments[0]["kind"], "image");
    assert_eq!(attachments[0]["upload_id"], image["id"]);
    assert_eq!(
        attachments[0]["url"],
        format!("/api/v1/uploads/{}", image["id"].as_str().unwrap())
    );
    assert_eq!(attachments[1]["name"], "steps (2).txt");
    assert_eq!(attachments[1]["size_bytes"], 8);
    // Resending the same client_id (the outbox after a restart) stores one message.
    let again = app
        .post(
            &messages,
            &jonas,
            json!({"client_id": "files-1", "mode": "reply", "body": "", "attachments": [
                {"upload_id": image["id"], "name": "photo.png"},
            ]}),
        )
        .await;
    assert_eq!(again.status, 200);
    assert_eq!(again.body["id"], sent.body["id"]);
    // The list row describes the file.
    let conversation = app
        .get(&format!("/api/v1/conversations/{id}"), &jonas)
        .await
        .body;
    assert!(
        conversation["last_message"]["text"]
            .as_str()
            .unwrap()
            .contains("photo.png"),
        "{conversation}"
    );
    // A note may carry files too.
    let note = app
        .post(
            &messages,
            &jonas,
            json!({"client_id": "files-2", "mode": "note", "body": "see the steps", "attachments": [
                {"upload_id": text["id"], "name": "steps.txt"},
            ]}),
        )
        .await;
    assert_eq!(note.status, 201, "{:?}", note.body);

    for (attachments, why) in [
        (
            json!([{"upload_id": elsewhere["id"], "name": "other.txt"}]),
            "another conversation's upload",
        ),
        (
            json!([{"upload_id": "0".repeat(64), "name": "x.txt"}]),
            "an upload that does not exist",
        ),
        (
            json!([{"upload_id": text["id"], "name": " "}]),
            "an empty name",
        ),
        (
            json!(vec![json!({"upload_id": text["id"], "name": "a.txt"}); 6]),
            "six files",
        ),
    ] {
        let refused = app
            .post(
                &messages,
                &jonas,
                json!({"client_id": format!("bad-{why}"), "mode": "reply", "body": "x", "attachments": attachments}),
            )
            .await;
        assert_error(&refused, 400, "invalid_request");
        assert_eq!(refused.body["error"]["field"], "attachments", "{why}");
    }
    let empty = app
        .post(
            &messages,
            &jonas,
            json!({"client_id": "empty", "mode": "reply", "body": " "}),
        )
        .await;
    assert_eq!(empty.body["error"]["field"], "body");

    // An integration reads the files of the replies it delivers; an embed token reads none.
    let integration = app.inbound_token(&maya, "SMS bridge").await;
    let file_id = image["id"].as_str().unwrap();
    assert_eq!(download(&app, &integration, file_id).await.status, 200);
    let embed = app
        .post(
            "/api/v1/tokens",
            &maya,
            json!({"name": "Host", "scope": "embed"}),
        )
        .await;
    let embed = embed.body["token"].as_str().unwrap();
    assert_eq!(download(&app, embed, file_id).await.status, 403);
}
