//! Several replicas on one PostgreSQL database (issue #16): three real server processes.
//! A stream client on replica A sees what is written through B and C; A is killed mid-stream
//! (SIGKILL) while writes go on, the client resumes on B with its Last-Event-ID and has then
//! received every event of the log exactly once, in order; every acknowledged write is
//! stored; tickets, the sign-in rate limit and presence hold across replicas; the idle AI
//! review runs once per conversation though every replica runs it.
//!
//! SQLite is one process by design: on SQLite this test has nothing to run.

use crate::common;

use common::TestDb;
use common::process::{Client, Replica, Sse, SseReader};
use serde_json::json;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

async fn pool(url: &str) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    sqlx::AnyPool::connect(url)
        .await
        .expect("the test database")
}

#[test]
fn replicas_share_streams_tickets_limits_presence_and_background_work() {
    if !common::db::on_postgres() {
        eprintln!("replicas: SQLite runs one server process; this test runs on PostgreSQL");
        return;
    }
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    let db = rt.block_on(TestDb::create(&dir.path().join("unused.db")));
    let assets = dir.path().join("dist").to_string_lossy().to_string();
    let args = [
        "--database",
        &db.url,
        "--assets",
        &assets,
        "--demo-conversations",
        "30",
        // Every recently active conversation is due for an idle review at once.
        "--ai-idle-minutes",
        "0",
    ];
    // Started together: one migrates and seeds while the others wait, then all three run
    // their background work at about the same moment.
    let mut replicas: Vec<Replica> = std::thread::scope(|scope| {
        let starting: Vec<_> = ["A", "B", "C"]
            .into_iter()
            .map(|name| scope.spawn(move || Replica::start(name, &args)))
            .collect();
        starting.into_iter().map(|t| t.join().unwrap()).collect()
    });
    let pool = rt.block_on(pool(&db.url));

    idle_review_ran_once_per_conversation(&rt, &pool);
    // (Signed in before the rate limit test below limits this client's address.)
    let maya = replicas[0].sign_in("maya");
    streams_survive_a_killed_replica(&rt, &pool, &mut replicas, &maya);
    tickets_limits_and_presence_are_shared(&replicas[1..], &maya);
}

/// The first round of every replica's idle review has claimed and reviewed each due
/// conversation exactly once.
fn idle_review_ran_once_per_conversation(rt: &tokio::runtime::Runtime, pool: &sqlx::AnyPool) {
    let reviews = || -> Vec<(i64, i64)> {
        rt.block_on(
            sqlx::query_as(
                "SELECT conversation_id, COUNT(*) FROM audit_events WHERE action = 'ai_reviewed'
                 GROUP BY conversation_id ORDER BY conversation_id",
            )
            .fetch_all(pool),
        )
        .unwrap()
    };
    // Until the rounds are over: no claims left and the same result twice, 1 s apart.
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut last = Vec::new();
    loop {
        std::thread::sleep(Duration::from_secs(1));
        let claims: i64 = rt
            .block_on(sqlx::query_scalar("SELECT COUNT(*) FROM ai_review_claims").fetch_one(pool))
            .unwrap();
        let now = reviews();
        if claims == 0 && !now.is_empty() && now == last {
            break;
        }
        assert!(Instant::now() < deadline, "the idle reviews did not settle");
        last = now;
    }
    assert!(last.len() >= 3, "too few conversations were due: {last:?}");
    let twice: Vec<_> = last.iter().filter(|(_, n)| *n != 1).collect();
    assert!(twice.is_empty(), "reviewed more than once: {twice:?}");
    eprintln!(
        "replicas: {} due conversations reviewed once each by 3 replicas",
        last.len()
    );
}

/// On the replicas left (B and C): the session made on A, a ticket from one used on the
/// other, presence, the sign-in rate limit.
fn tickets_limits_and_presence_are_shared(replicas: &[Replica], maya: &str) {
    let (b, c) = (&replicas[0], &replicas[1]);
    let maya = maya.to_string();
    assert_eq!(b.request("GET", "/api/v1/me", Some(&maya), None).0, 200);
    let (_, ticket) = b.request("POST", "/api/v1/events/ticket", Some(&maya), None);
    let ticket = ticket["ticket"].as_str().unwrap().to_string();
    let mut stream = c
        .stream_with_ticket(&ticket, None)
        .expect("B's ticket opens C's stream");
    assert!(
        b.stream_with_ticket(&ticket, None).is_none(),
        "a ticket is single use"
    );

    // Presence reported to B reaches the stream on C.
    let (_, page) = b.request("GET", "/api/v1/conversations?limit=1", Some(&maya), None);
    let conversation = page["items"][0]["id"].as_str().unwrap().to_string();
    let heartbeat = format!("/api/v1/conversations/{conversation}/presence");
    assert_eq!(b.request("POST", &heartbeat, Some(&maya), None).0, 204);
    let present = loop {
        match stream.next(Duration::from_secs(10)) {
            Sse::Event(_, event) if event["type"] == "presence" => break event,
            Sse::Event(..) => continue,
            other => panic!("no presence event on C: {other:?}"),
        }
    };
    assert_eq!(present["data"]["agent_ids"], json!(["1"]), "{present}");
    // A second heartbeat, on C, is the same agent still there.
    assert_eq!(c.request("POST", &heartbeat, Some(&maya), None).0, 204);

    // Ten failed sign-ins spread over the replicas limit the account on each of them.
    for i in 0..10 {
        let replica = &replicas[i % replicas.len()];
        let (status, _) = replica.request(
            "POST",
            "/api/v1/auth/sign-in",
            None,
            Some(json!({"email": "jonas@example.com", "password": "wrong"})),
        );
        assert_eq!(status, 401);
    }
    for replica in replicas {
        let (status, body) = replica.request(
            "POST",
            "/api/v1/auth/sign-in",
            None,
            Some(json!({"email": "jonas@example.com", "password": "demo1234"})),
        );
        assert_eq!(status, 429, "{body}");
    }
}

/// Writers through B and C (and A until it dies); a stream client on A, then on B.
fn streams_survive_a_killed_replica(
    rt: &tokio::runtime::Runtime,
    pool: &sqlx::AnyPool,
    replicas: &mut [Replica],
    maya: &str,
) {
    let maya = maya.to_string();
    let baseline: i64 = rt
        .block_on(sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM events").fetch_one(pool))
        .unwrap();
    let mut stream = replicas[0].stream(&maya, Some(baseline));

    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let addrs: Vec<String> = replicas.iter().map(|r| r.addr.clone()).collect();
    let writers: Vec<_> = (0..3)
        .map(|w| {
            let (stop, acknowledged, addrs, maya) =
                (stop.clone(), acknowledged.clone(), addrs.clone(), maya.clone());
            std::thread::spawn(move || {
                let target = Client::new(&addrs[w]);
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let body = json!({"channel": "sms", "from": format!("+1555000{w}{}", n % 4),
                        "body": format!("replica test {w}-{n}"), "external_id": format!("rt-{w}-{n}")});
                    // A's writer stops getting answers once A is killed; that is all it does.
                    if let Some((201, reply)) =
                        target.try_request("POST", "/api/v1/inbound", Some(&maya), Some(&body))
                    {
                        acknowledged.lock().unwrap().push(reply["message_id"].as_str().unwrap().to_string());
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
            })
        })
        .collect();

    let mut received: Vec<i64> = Vec::new();
    // On A for two seconds of writes, then A dies mid-stream.
    assert!(
        take(
            &mut stream,
            &mut received,
            Instant::now() + Duration::from_secs(2)
        ),
        "A's stream ended early"
    );
    let on_a = received.len();
    replicas[0].kill();
    // The client sees the connection end, and resumes on B from the last id it has.
    let until = Instant::now() + Duration::from_secs(5);
    let ended = !take(&mut stream, &mut received, until);
    assert!(ended, "A's stream did not end when A was killed");
    let resume_from = *received.last().expect("events before the kill");
    let mut stream = replicas[1].stream(&maya, Some(resume_from));
    assert!(take(
        &mut stream,
        &mut received,
        Instant::now() + Duration::from_secs(2)
    ));
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.join().unwrap();
    }
    // Everything written has arrived once it is quiet for a second.
    while let Sse::Event(id, _) = stream.next(Duration::from_secs(3)) {
        received.push(id);
    }

    let logged: Vec<i64> = rt
        .block_on(
            sqlx::query_scalar(
                "SELECT id FROM events WHERE id > $1 AND revoked_token IS NULL
                   AND (owner_id IS NULL OR owner_id = 1) ORDER BY id",
            )
            .bind(baseline)
            .fetch_all(pool),
        )
        .unwrap();
    let unique: BTreeSet<i64> = received.iter().copied().collect();
    let repeated = received.len() - unique.len();
    let missed: Vec<i64> = logged
        .iter()
        .filter(|id| !unique.contains(id))
        .copied()
        .collect();
    let ordered = received.windows(2).all(|w| w[0] < w[1]);
    eprintln!(
        "replicas: {} events ({on_a} on A before it was killed, the rest on B); missed {}, repeated {repeated}, in order: {ordered}",
        received.len(),
        missed.len()
    );
    assert!(on_a > 0 && received.len() > on_a, "events on A and on B");
    assert!(missed.is_empty(), "missed {missed:?}");
    assert_eq!(repeated, 0, "repeated events");
    assert!(ordered, "events out of order");
    assert_eq!(unique.len(), logged.len(), "events no write made");

    // Every write that was acknowledged is stored.
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() > 20,
        "{} writes acknowledged",
        acknowledged.len()
    );
    let stored: i64 = rt
        .block_on(
            sqlx::query_scalar(&format!(
                "SELECT COUNT(*) FROM messages WHERE id IN ({})",
                acknowledged.join(",")
            ))
            .fetch_one(pool),
        )
        .unwrap();
    assert_eq!(
        stored as usize,
        acknowledged.len(),
        "an acknowledged write is lost"
    );
}

/// Event ids from `stream` into `received` until `until`; false when the stream ended first.
fn take(stream: &mut SseReader, received: &mut Vec<i64>, until: Instant) -> bool {
    while Instant::now() < until {
        match stream.next(Duration::from_millis(200)) {
            Sse::Event(id, _) => received.push(id),
            Sse::Quiet => {}
            Sse::Ended => return false,
        }
    }
    true
}
