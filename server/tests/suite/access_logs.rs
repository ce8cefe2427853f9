//! Secrets never reach the logs or the database file (issue #8). The real server binary runs
//! at the most verbose log level (`RUST_LOG=trace`, every crate) over real TCP; a session is
//! signed in, used on good and failing requests, API tokens of both scopes are made and used,
//! a stream ticket opens the event stream and is then replayed, the AI endpoint fails, the
//! session signs out and sign-in gets rate-limited. Then the server stops and neither its
//! output nor its database files (on PostgreSQL: any row of any table) hold any of the
//! secrets in clear.

#![cfg(unix)]

use crate::common;

use common::TestDb;

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

const AI_KEY: &str = "sk-ai-key-never-logged-5d1f";
const WRONG_PASSWORD: &str = "wrong-Pa55word-never-logged";
const BOGUS_TOKEN: &str = "bogus-token-never-logged-9c2e";
const DEMO_PASSWORD: &str = "demo1234";

struct Server {
    child: Child,
    addr: String,
    output: Arc<Mutex<String>>,
    dir: tempfile::TempDir,
    db: TestDb,
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn collect(
    pipe: impl Read + Send + 'static,
    output: Arc<Mutex<String>>,
    found: Option<mpsc::Sender<String>>,
) {
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            if let (Some(found), Some(addr)) =
                (&found, line.strip_prefix("Convoroom listening on http://"))
            {
                let _ = found.send(addr.trim().to_string());
            }
            let mut output = output.lock().unwrap();
            output.push_str(&line);
            output.push('\n');
        }
    });
}

fn start() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_string_lossy().to_string();
    let db = runtime().block_on(TestDb::create(&dir.path().join("test.db")));
    let mut child = Command::new(env!("CARGO_BIN_EXE_convoroom-server"))
        .args([
            "--bind",
            "127.0.0.1:0",
            "--database",
            &db.url,
            "--assets",
            &path("dist"),
        ])
        .args([
            "--demo-conversations",
            "20",
            "--demo-anchor",
            "2026-11-20T12:00:00Z",
        ])
        // Nothing listens on port 9: every AI review fails, with the key in its request.
        .args([
            "--ai-endpoint",
            "http://127.0.0.1:9/v1",
            "--ai-idle-minutes",
            "100000",
        ])
        .env_clear()
        .env("RUST_LOG", "trace")
        .env("CONVOROOM_AI_API_KEY", AI_KEY)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server binary starts");
    let output = Arc::new(Mutex::new(String::new()));
    let (found, address) = mpsc::channel();
    collect(child.stdout.take().unwrap(), output.clone(), Some(found));
    collect(child.stderr.take().unwrap(), output.clone(), None);
    let addr = address
        .recv_timeout(Duration::from_secs(60))
        .unwrap_or_else(|_| {
            let _ = child.kill();
            panic!("the server did not start: {}", output.lock().unwrap())
        });
    Server {
        child,
        addr,
        output,
        dir,
        db,
    }
}

impl Server {
    fn connect(&self, head: &str, body: Option<&Value>) -> TcpStream {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let body = body.map(Value::to_string).unwrap_or_default();
        let request = format!(
            "{head}\r\nHost: {}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            self.addr,
            body.len()
        );
        stream.write_all(request.as_bytes()).unwrap();
        stream
    }

    /// A request → (status, response head, JSON body).
    fn request(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, String, Value) {
        let auth = token
            .map(|t| format!("\r\nAuthorization: Bearer {t}"))
            .unwrap_or_default();
        let mut stream = self.connect(&format!("{method} {path} HTTP/1.1{auth}"), body.as_ref());
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let response = String::from_utf8_lossy(&response).to_string();
        let (head, body) = response.split_once("\r\n\r\n").expect("an HTTP response");
        let status = head[9..12].parse().unwrap();
        let body = if head.to_lowercase().contains("transfer-encoding: chunked") {
            dechunk(body)
        } else {
            body.to_string()
        };
        (
            status,
            head.to_string(),
            serde_json::from_str(&body).unwrap_or(Value::Null),
        )
    }

    /// Opens the event stream and reads until `until` has arrived in it.
    fn stream_until(&self, path: &str, token: Option<&str>, until: &str, meanwhile: impl FnOnce()) {
        let auth = token
            .map(|t| format!("\r\nAuthorization: Bearer {t}"))
            .unwrap_or_default();
        let mut stream = self.connect(&format!("GET {path} HTTP/1.1{auth}"), None);
        let mut seen = String::new();
        let mut buffer = [0u8; 8192];
        let mut meanwhile = Some(meanwhile);
        while !seen.contains(until) {
            let n = stream.read(&mut buffer).expect("the stream answers");
            assert!(n > 0, "the stream closed: {seen}");
            seen.push_str(&String::from_utf8_lossy(&buffer[..n]));
            if seen.contains("\r\n\r\n") {
                assert!(seen.starts_with("HTTP/1.1 200"), "{seen}");
                if let Some(meanwhile) = meanwhile.take() {
                    meanwhile();
                }
            }
        }
    }

    /// SIGTERM, as a service manager would; then everything it wrote.
    fn stop(mut self) -> (String, tempfile::TempDir, TestDb) {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.child.try_wait().unwrap().is_none() {
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the server did not stop on SIGTERM");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // The reader threads finish once the pipes close.
        std::thread::sleep(Duration::from_millis(300));
        let output = self.output.lock().unwrap().clone();
        (output, self.dir, self.db)
    }
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 || rest.len() < size {
            break;
        }
        out.push_str(&rest[..size]);
        body = rest[size..].trim_start_matches("\r\n");
    }
    out
}

fn sign_in(server: &Server, email: &str, password: &str) -> (u16, String, Value) {
    let body = json!({"email": email, "password": password});
    server.request("POST", "/api/v1/auth/sign-in", None, Some(body))
}

#[test]
fn no_token_password_ticket_or_key_reaches_the_logs_or_the_database_file() {
    let server = start();
    assert_eq!(sign_in(&server, "maya@example.com", WRONG_PASSWORD).0, 401);
    let (status, _, session) = sign_in(&server, "maya@example.com", DEMO_PASSWORD);
    assert_eq!(status, 200);
    let session = session["token"].as_str().unwrap().to_string();
    let s = Some(session.as_str());

    // The session on good and failing requests.
    let list = server
        .request("GET", "/api/v1/conversations?limit=50", s, None)
        .2;
    let items = list["items"].as_array().unwrap();
    let ai_on = items
        .iter()
        .find(|c| c["access"]["ai_enabled"] == true)
        .unwrap()["id"]
        .as_str()
        .unwrap();
    let id = items[0]["id"].as_str().unwrap();
    assert_eq!(server.request("GET", "/api/v1/me", s, None).0, 200);
    assert_eq!(
        server
            .request("GET", "/api/v1/conversations/999999", s, None)
            .0,
        404
    );
    assert_eq!(
        server
            .request(
                "PATCH",
                &format!("/api/v1/conversations/{id}"),
                s,
                Some(json!({}))
            )
            .0,
        428
    );
    assert_eq!(
        server
            .request("POST", "/api/v1/labels", s, Some(json!({"name": 5})))
            .0,
        400
    );
    assert_eq!(
        server
            .request("GET", "/api/v1/me", Some(BOGUS_TOKEN), None)
            .0,
        401
    );
    assert_eq!(
        server
            .request(
                "POST",
                &format!("/api/v1/conversations/{ai_on}/ai-review"),
                s,
                None
            )
            .0,
        503
    );

    // API tokens of both scopes, made and used.
    let token = |scope: &str| {
        let made = server.request(
            "POST",
            "/api/v1/tokens",
            s,
            Some(json!({"name": scope, "scope": scope})),
        );
        assert_eq!(made.0, 201);
        made.2["token"].as_str().unwrap().to_string()
    };
    let (embed, inbound) = (token("agent"), token("inbound"));
    assert_eq!(
        server.request("GET", "/api/v1/me", Some(&embed), None).0,
        200
    );
    assert_eq!(
        server
            .request(
                "POST",
                "/api/v1/tokens",
                Some(&embed),
                Some(json!({"name": "x", "scope": "agent"}))
            )
            .0,
        403
    );
    let message = json!({"channel": "sms", "from": "+15550001", "body": "hello"});
    assert_eq!(
        server
            .request("POST", "/api/v1/inbound", Some(&inbound), Some(message))
            .0,
        201
    );
    assert_eq!(
        server.request("GET", "/api/v1/me", Some(&inbound), None).0,
        403
    );

    // An integration: its inbound token posts a message and a receipt; a reply is signed with
    // its secret and attempted (nothing listens on its webhook's port); the secret rotates.
    let created = server.request(
        "POST",
        "/api/v1/integrations",
        s,
        Some(json!({"name": "Bridge", "channels": ["telegram"], "webhook_url": "http://127.0.0.1:9/hook"})),
    );
    assert_eq!(created.0, 201, "{}", created.2);
    let integration_token = created.2["inbound_token"].as_str().unwrap().to_string();
    let first_secret = created.2["signing_secret"].as_str().unwrap().to_string();
    let from_telegram = json!({"channel": "telegram", "from": "tg-77", "body": "hi"});
    let accepted = server.request(
        "POST",
        "/api/v1/inbound",
        Some(&integration_token),
        Some(from_telegram),
    );
    assert_eq!(accepted.0, 201);
    let telegram = accepted.2["conversation_id"].as_str().unwrap().to_string();
    let reply = json!({"client_id": "tg", "mode": "reply", "body": "signed reply"});
    let replied = server.request(
        "POST",
        &format!("/api/v1/conversations/{telegram}/messages"),
        s,
        Some(reply),
    );
    assert_eq!(replied.0, 201);
    let receipt = json!({"message_id": replied.2["id"], "status": "delivered"});
    assert_eq!(
        server
            .request(
                "POST",
                "/api/v1/deliveries",
                Some(&integration_token),
                Some(receipt)
            )
            .0,
        200
    );
    let id_of_integration = created.2["id"].as_str().unwrap();
    let rotated = server.request(
        "POST",
        &format!("/api/v1/integrations/{id_of_integration}/rotate-secret"),
        s,
        None,
    );
    let second_secret = rotated.2["signing_secret"].as_str().unwrap().to_string();
    let tested = server.request(
        "POST",
        &format!("/api/v1/integrations/{id_of_integration}/test"),
        s,
        None,
    );
    assert_eq!(tested.2["outcome"], "failed", "{}", tested.2);

    // A ticket in the URL opens the stream, an event arrives, the replayed ticket is refused.
    let ticket = server.request("POST", "/api/v1/events/ticket", s, None).2["ticket"]
        .as_str()
        .unwrap()
        .to_string();
    let with_ticket = format!("/api/v1/events?ticket={ticket}&last_event_id=1");
    let note = json!({"client_id": "log", "mode": "note", "body": "stream-check"});
    server.stream_until(&with_ticket, None, "stream-check", || {
        let posted = server.request(
            "POST",
            &format!("/api/v1/conversations/{id}/messages"),
            s,
            Some(note),
        );
        assert_eq!(posted.0, 201);
    });
    assert_eq!(server.request("GET", &with_ticket, None, None).0, 401);
    server.stream_until("/api/v1/events", s, "\r\n\r\n", || {});

    assert_eq!(
        server.request("POST", "/api/v1/auth/sign-out", s, None).0,
        204
    );
    assert_eq!(server.request("GET", "/api/v1/me", s, None).0, 401);
    // Rate limiting by client address over real TCP: nine more failures from 127.0.0.1 (ten
    // with the first), each for another account, and then even the right password is refused.
    for i in 0..9 {
        let (status, _, _) = sign_in(&server, &format!("nobody{i}@example.com"), WRONG_PASSWORD);
        assert_eq!(status, 401);
    }
    let (status, head, _) = sign_in(&server, "jonas@example.com", DEMO_PASSWORD);
    assert_eq!(status, 429);
    assert!(head.to_lowercase().contains("\r\nretry-after: "), "{head}");

    let (output, dir, db) = server.stop();
    // The logs are there and verbose (so the test could fail): requests by path, sign-ins.
    assert!(
        output.contains("signed in") && output.contains("/api/v1/events"),
        "{output}"
    );
    assert!(
        output.contains("AI analyzer failed"),
        "the AI failure is logged"
    );
    for (what, secret) in [
        ("session token", session.as_str()),
        ("embedding token", &embed),
        ("inbound token", &inbound),
        ("integration's inbound token", &integration_token),
        ("integration's signing secret", &first_secret),
        ("integration's rotated secret", &second_secret),
        ("stream ticket", &ticket),
        ("unknown token", BOGUS_TOKEN),
        ("wrong password", WRONG_PASSWORD),
        ("AI key", AI_KEY),
    ] {
        assert!(
            !output.contains(secret),
            "the {what} is in the server's output"
        );
    }
    // The demo password only in the startup banner that announces it.
    assert_eq!(output.matches(DEMO_PASSWORD).count(), 1, "{output}");
    assert!(output.contains(&format!("Demo sign-in: maya@example.com / {DEMO_PASSWORD}")));

    // The signing secret is stored (every webhook request is signed with it) and never read
    // back through the API, so it is not among these.
    let secrets = [
        &session,
        &embed,
        &inbound,
        &integration_token,
        &ticket,
        WRONG_PASSWORD,
        DEMO_PASSWORD,
        AI_KEY,
    ];
    if common::db::on_postgres() {
        // Nor in any row of any table on PostgreSQL: only hashes are stored.
        let rows = runtime().block_on(async {
            sqlx::any::install_default_drivers();
            let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
            common::db::all_rows(&pool).await
        });
        assert!(rows.iter().any(|(table, _)| table == "auth_tokens"));
        let everything = format!("{rows:?}");
        for secret in secrets {
            assert!(!everything.contains(secret), "{secret} in the database");
        }
        return;
    }
    // Nor in the database, its WAL or shared memory: only hashes are stored.
    let mut files = 0;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if !path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("test.db")
        {
            continue;
        }
        files += 1;
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for secret in secrets {
            assert!(!text.contains(secret), "{secret} in {}", path.display());
        }
    }
    assert!(files >= 1);
}
