//! The search index follows the text as it changes: a new message's words are found, a
//! segment rewritten by the next message keeps the earlier words, a merge moves the words to
//! the target, diacritics and case do not matter, and a renamed contact is found by the new
//! name. (On PostgreSQL every change writes the words under a new version.)

use crate::common;

use common::{TestApp, ids};
use serde_json::json;

async fn search(app: &TestApp, token: &str, q: &str) -> Vec<String> {
    let reply = app
        .get(&format!("/api/v1/conversations?q={q}&limit=200"), token)
        .await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    ids(&reply.body)
}

async fn send(app: &TestApp, token: &str, conversation: &str, client_id: &str, body: &str) {
    let sent = app
        .post(
            &format!("/api/v1/conversations/{conversation}/messages"),
            token,
            json!({"client_id": client_id, "mode": "reply", "body": body}),
        )
        .await;
    assert_eq!(sent.status, 201, "{:?}", sent.body);
}

#[tokio::test]
async fn the_index_follows_messages_merges_and_renames() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    send(&app, &maya, "4", "w1", "The Quokkafrage arrived").await;
    assert_eq!(search(&app, &maya, "quokkaf").await, vec!["4"]);
    // The next message rewrites the same segment: both words are found.
    send(&app, &maya, "4", "w2", "and the wombatseal too").await;
    assert_eq!(search(&app, &maya, "wombatse").await, vec!["4"]);
    assert_eq!(search(&app, &maya, "quokkafrage").await, vec!["4"]);
    // Case and diacritics do not matter, on either side.
    send(&app, &maya, "5", "w3", "Crème BRÛLÉE for everyone").await;
    assert_eq!(search(&app, &maya, "creme%20brul").await, vec!["5"]);
    assert_eq!(search(&app, &maya, "CR%C3%88ME").await, vec!["5"]);
    // Merged: the words are the target's now, and the source is gone from the index.
    let merged = app
        .post(
            "/api/v1/conversations/4/merge",
            &maya,
            json!({"into_conversation_id": "5"}),
        )
        .await;
    assert_eq!(merged.status, 200, "{:?}", merged.body);
    assert_eq!(search(&app, &maya, "quokkafrage").await, vec!["5"]);
    assert_eq!(search(&app, &maya, "wombatseal").await, vec!["5"]);
    // A renamed contact is found by the new name.
    let conversation = app.get("/api/v1/conversations/6", &maya).await.body;
    let contact = conversation["contact"]["id"].as_str().unwrap().to_string();
    let version = app
        .get(&format!("/api/v1/contacts/{contact}"), &maya)
        .await
        .body["version"]
        .to_string();
    let renamed = app
        .patch(
            &format!("/api/v1/contacts/{contact}"),
            &maya,
            Some(&version),
            json!({"name": "Zyxwa Quillfeather"}),
        )
        .await;
    assert_eq!(renamed.status, 200, "{:?}", renamed.body);
    assert!(
        search(&app, &maya, "quillfea")
            .await
            .contains(&"6".to_string())
    );
    let found = app.get("/api/v1/contacts?q=zyxwa", &maya).await.body;
    assert_eq!(found["items"][0]["id"], contact);
}
