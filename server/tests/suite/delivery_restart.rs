//! Delivery across crashes and replicas (issue #15), with real server processes: a server
//! killed (SIGKILL) while a reply waits for a retry and again while its webhook request is in
//! flight resumes the queue when it starts again, and the receiver gets the reply under one
//! idempotency key; on PostgreSQL two replicas share one queue and deliver every reply exactly
//! once, in order per conversation.

use crate::common;

use common::TestDb;
use common::process::{Client, Replica};
use common::receiver::{Receiver, Scripted};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

fn wait_for(what: &str, timeout: Duration, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while start.elapsed() < timeout {
        if done() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{what}: not within {timeout:?}");
}

fn create_integration(client: &Client, admin: &str, receiver: &Receiver) -> Value {
    let (status, created) = client.request(
        "POST",
        "/api/v1/integrations",
        Some(admin),
        Some(json!({"name": "Bridge", "channels": ["whatsapp"], "webhook_url": receiver.url})),
    );
    assert_eq!(status, 201, "{created}");
    receiver.set_secret(created["signing_secret"].as_str().unwrap());
    created
}

fn new_conversation(client: &Client, admin: &str, from: &str) -> String {
    let (status, accepted) = client.request(
        "POST",
        "/api/v1/inbound",
        Some(admin),
        Some(json!({"channel": "whatsapp", "from": from, "body": "Hi"})),
    );
    assert_eq!(status, 201, "{accepted}");
    accepted["conversation_id"].as_str().unwrap().to_string()
}

fn reply(client: &Client, admin: &str, conversation: &str, body: &str) -> Value {
    let (status, sent) = client.request(
        "POST",
        &format!("/api/v1/conversations/{conversation}/messages"),
        Some(admin),
        Some(json!({"client_id": body, "mode": "reply", "body": body})),
    );
    assert_eq!(status, 201, "{sent}");
    sent
}

fn delivery_of(client: &Client, admin: &str, conversation: &str, id: &str) -> String {
    let (_, page) = client.request(
        "GET",
        &format!("/api/v1/conversations/{conversation}/messages?limit=50"),
        Some(admin),
        None,
    );
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .map(|m| m["delivery"].as_str().unwrap_or_default().to_string())
        .unwrap_or_default()
}

#[test]
fn a_server_killed_mid_retry_and_mid_request_delivers_once_after_restart() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = rt.block_on(TestDb::create(&dir.path().join("restart.db")));
    let assets = dir.path().join("dist").to_string_lossy().to_string();
    let args = [
        "--database",
        &db.url,
        "--assets",
        &assets,
        "--demo-conversations",
        "20",
        "--delivery-retry-base-ms",
        "1500",
        "--delivery-timeout-ms",
        "1000",
    ];
    let receiver = Receiver::start();
    // The first attempt is refused with 500 (a retry waits 1.2–1.8 s); the second hangs past
    // the server's death.
    receiver.script([
        Scripted::status(500),
        Scripted {
            delay: Duration::from_secs(20),
            ..Scripted::status(200)
        },
    ]);
    let mut server = Replica::start("first", &args);
    let admin = server.sign_in("maya");
    create_integration(&server.client, &admin, &receiver);
    let conversation = new_conversation(&server.client, &admin, "+15551001");
    let sent = reply(&server.client, &admin, &conversation, "Survives crashes");
    let id = sent["id"].as_str().unwrap().to_string();
    wait_for("the first attempt", Duration::from_secs(10), || {
        receiver.received().len() == 1
    });
    // Killed while the reply waits for its retry.
    server.kill();
    let mut server = Replica::start("second", &args);
    wait_for("the second attempt", Duration::from_secs(15), || {
        receiver.received().len() == 2
    });
    // Killed while the second attempt is in flight.
    server.kill();
    let server = Replica::start("third", &args);
    wait_for("the reply delivered", Duration::from_secs(30), || {
        delivery_of(&server.client, &admin, &conversation, &id) == "sent"
    });
    let received = receiver.received();
    assert_eq!(received.len(), 3, "{received:?}");
    assert!(
        received
            .iter()
            .all(|r| r.key == received[0].key && r.signature_ok)
    );
    assert_eq!(receiver.accepted("message.created").len(), 2);
    let answered: Vec<u16> = received.iter().map(|r| r.answered).collect();
    assert_eq!(
        answered,
        [500, 200, 200],
        "the hung one never answered the server"
    );
    drop(server);
}

#[test]
fn two_replicas_share_one_queue_and_deliver_each_reply_once_in_order() {
    if !common::db::on_postgres() {
        eprintln!(
            "delivery replicas: SQLite runs one server process; this test runs on PostgreSQL"
        );
        return;
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = rt.block_on(TestDb::create(&dir.path().join("unused.db")));
    let assets = dir.path().join("dist").to_string_lossy().to_string();
    let args = [
        "--database",
        &db.url,
        "--assets",
        &assets,
        "--demo-conversations",
        "20",
        "--delivery-retry-base-ms",
        "100",
    ];
    let a = Replica::start("A", &args);
    let b = Replica::start("B", &args);
    let receiver = Receiver::start();
    // Some attempts fail, so retries and claims interleave across the replicas.
    receiver.script([500, 200, 503, 200, 500].map(Scripted::status));
    let admin = a.sign_in("maya");
    create_integration(&a.client, &admin, &receiver);
    let conversations: Vec<String> = (0..5)
        .map(|n| new_conversation(&a.client, &admin, &format!("+1555200{n}")))
        .collect();
    let mut expected = 0;
    for round in 0..4 {
        for (n, conversation) in conversations.iter().enumerate() {
            let via = if (round + n) % 2 == 0 { &a } else { &b };
            reply(&via.client, &admin, conversation, &format!("c{n} r{round}"));
            expected += 1;
        }
    }
    wait_for("every reply accepted", Duration::from_secs(60), || {
        receiver.accepted("message.created").len() >= expected
    });
    std::thread::sleep(Duration::from_secs(1));
    let accepted = receiver.accepted("message.created");
    assert_eq!(accepted.len(), expected, "no reply accepted twice");
    let mut by_key: BTreeMap<String, usize> = BTreeMap::new();
    for r in receiver.received() {
        *by_key.entry(r.key.clone()).or_default() += (200..300).contains(&r.answered) as usize;
    }
    assert_eq!(by_key.len(), expected, "one idempotency key per reply");
    assert!(by_key.values().all(|n| *n == 1), "{by_key:?}");
    for n in 0..5 {
        let bodies: Vec<String> = accepted
            .iter()
            .map(|r| r.body["message"]["body"].as_str().unwrap().to_string())
            .filter(|b| b.starts_with(&format!("c{n} ")))
            .collect();
        assert_eq!(
            bodies,
            (0..4).map(|r| format!("c{n} r{r}")).collect::<Vec<_>>(),
            "in order"
        );
    }
}
