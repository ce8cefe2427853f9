//! Real server processes (the `convoroom-server` binary) and a plain HTTP/1 client over TCP,
//! for tests that need several replicas or a process to kill.

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

pub struct Replica {
    pub child: Child,
    pub client: Client,
    pub output: Arc<Mutex<String>>,
}

/// Requests to one server address.
#[derive(Clone)]
pub struct Client {
    pub addr: String,
}

impl std::ops::Deref for Replica {
    type Target = Client;
    fn deref(&self) -> &Client {
        &self.client
    }
}

impl Replica {
    /// Starts the binary on a free port with `args` (plus `--bind`); waits until it listens.
    pub fn start(name: &str, args: &[&str]) -> Replica {
        let mut child = Command::new(env!("CARGO_BIN_EXE_convoroom-server"))
            .args(["--bind", "127.0.0.1:0"])
            .args(args)
            .env("RUST_LOG", "convoroom_server=info")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server binary starts");
        let output = Arc::new(Mutex::new(String::new()));
        let (found, address) = mpsc::channel();
        collect(child.stdout.take().unwrap(), output.clone(), Some(found));
        collect(child.stderr.take().unwrap(), output.clone(), None);
        let addr = address
            .recv_timeout(Duration::from_secs(120))
            .unwrap_or_else(|_| {
                let _ = child.kill();
                panic!("{name} did not start: {}", output.lock().unwrap())
            });
        Replica {
            child,
            client: Client { addr },
            output,
        }
    }

    /// SIGKILL: no shutdown, no goodbye.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Client {
    pub fn new(addr: &str) -> Client {
        Client {
            addr: addr.to_string(),
        }
    }

    /// A request → (status, JSON body); `None` when the connection failed.
    pub fn try_request(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Option<(u16, Value)> {
        let mut stream = TcpStream::connect(&self.addr).ok()?;
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .ok()?;
        let body = body.map(Value::to_string).unwrap_or_default();
        let auth = token
            .map(|t| format!("Authorization: Bearer {t}\r\n"))
            .unwrap_or_default();
        // HTTP/1.0: the response ends with the connection (no chunked encoding to undo).
        let request = format!(
            "{method} {path} HTTP/1.0\r\nHost: {}\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            self.addr,
            body.len()
        );
        stream.write_all(request.as_bytes()).ok()?;
        let mut response = Vec::new();
        stream.read_to_end(&mut response).ok()?;
        let response = String::from_utf8_lossy(&response).to_string();
        let (head, body) = response.split_once("\r\n\r\n")?;
        let status = head.get(9..12)?.parse().ok()?;
        Some((status, serde_json::from_str(body).unwrap_or(Value::Null)))
    }

    pub fn request(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        self.try_request(method, path, token, body.as_ref())
            .unwrap_or_else(|| panic!("{method} {path} on {}: no answer", self.addr))
    }

    pub fn sign_in(&self, who: &str) -> String {
        let (status, body) = self.request(
            "POST",
            "/api/v1/auth/sign-in",
            None,
            Some(
                serde_json::json!({"email": format!("{who}@example.com"), "password": "demo1234"}),
            ),
        );
        assert_eq!(status, 200, "{body}");
        body["token"].as_str().unwrap().to_string()
    }

    /// Opens the event stream with a ticket from this replica, resuming after `last_event_id`.
    pub fn stream(&self, token: &str, last_event_id: Option<i64>) -> SseReader {
        let (status, ticket) = self.request("POST", "/api/v1/events/ticket", Some(token), None);
        assert_eq!(status, 200, "{ticket}");
        self.stream_with_ticket(ticket["ticket"].as_str().unwrap(), last_event_id)
            .expect("the stream opens")
    }

    pub fn stream_with_ticket(
        &self,
        ticket: &str,
        last_event_id: Option<i64>,
    ) -> Option<SseReader> {
        let mut stream = TcpStream::connect(&self.addr).ok()?;
        let resume = last_event_id
            .map(|id| format!("Last-Event-ID: {id}\r\n"))
            .unwrap_or_default();
        let request = format!(
            "GET /api/v1/events?ticket={ticket} HTTP/1.0\r\nHost: {}\r\nAccept: text/event-stream\r\n{resume}\r\n",
            self.addr
        );
        stream.write_all(request.as_bytes()).ok()?;
        let mut reader = BufReader::new(stream);
        let mut status = String::new();
        reader.read_line(&mut status).ok()?;
        if !status.starts_with("HTTP/1.1 200") && !status.starts_with("HTTP/1.0 200") {
            return None;
        }
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).ok()?;
            if line == "\r\n" || line.is_empty() {
                break;
            }
        }
        Some(SseReader::spawn(reader))
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
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

/// What a stream gave.
#[derive(Debug)]
pub enum Sse {
    Event(i64, Value),
    /// The connection ended (the server stopped or was killed).
    Ended,
    /// Nothing within the time asked for.
    Quiet,
}

/// Server-sent events from a raw connection, read on a thread of their own.
pub struct SseReader {
    events: mpsc::Receiver<Option<(i64, Value)>>,
}

impl SseReader {
    fn spawn(mut reader: BufReader<TcpStream>) -> SseReader {
        let (tx, events) = mpsc::channel();
        std::thread::spawn(move || {
            let (mut id, mut data) = (None, String::new());
            loop {
                let mut line = String::new();
                match reader.read_line(&mut line) {
                    Ok(0) | Err(_) => {
                        let _ = tx.send(None);
                        return;
                    }
                    Ok(_) => {}
                }
                let line = line.trim_end_matches(['\r', '\n']);
                if line.is_empty() {
                    if let Some(id) = id.take()
                        && !data.is_empty()
                    {
                        let event = serde_json::from_str(&data).expect("event JSON");
                        if tx.send(Some((id, event))).is_err() {
                            return;
                        }
                    }
                    data.clear();
                } else if let Some(value) = line.strip_prefix("id:") {
                    id = value.trim().parse().ok();
                } else if let Some(value) = line.strip_prefix("data:") {
                    data.push_str(value.trim());
                }
            }
        });
        SseReader { events }
    }

    pub fn next(&mut self, timeout: Duration) -> Sse {
        match self.events.recv_timeout(timeout) {
            Ok(Some((id, event))) => Sse::Event(id, event),
            Ok(None) | Err(mpsc::RecvTimeoutError::Disconnected) => Sse::Ended,
            Err(mpsc::RecvTimeoutError::Timeout) => Sse::Quiet,
        }
    }
}
