//! A real HTTP receiver for integration webhooks, on its own thread and runtime (so both the
//! in-process and the process tests can use it): it answers from a script, then 200 with an
//! `external_id`, and records every request with whether its signature checked out.

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One scripted answer.
#[derive(Clone, Debug)]
pub struct Scripted {
    pub status: u16,
    pub delay: Duration,
    pub retry_after: Option<String>,
}

impl Scripted {
    pub fn status(status: u16) -> Scripted {
        Scripted {
            status,
            delay: Duration::ZERO,
            retry_after: None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Received {
    pub event: String,
    pub key: String,
    pub body: Value,
    pub signature_ok: bool,
    pub answered: u16,
}

#[derive(Default)]
struct Inner {
    secret: String,
    script: VecDeque<Scripted>,
    received: Vec<Received>,
}

#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    inner: Arc<Mutex<Inner>>,
}

impl Receiver {
    pub fn start() -> Receiver {
        let inner = Arc::new(Mutex::new(Inner::default()));
        let (tx, rx) = std::sync::mpsc::channel();
        let shared = inner.clone();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                tx.send(listener.local_addr().unwrap()).unwrap();
                let app = axum::Router::new().route(
                    "/hook",
                    axum::routing::post(move |headers: HeaderMap, body: Bytes| {
                        answer(shared.clone(), headers, body)
                    }),
                );
                axum::serve(listener, app).await.unwrap();
            });
        });
        let addr = rx.recv().unwrap();
        Receiver {
            url: format!("http://{addr}/hook"),
            inner,
        }
    }

    pub fn set_secret(&self, secret: &str) {
        self.inner.lock().unwrap().secret = secret.to_string();
    }

    pub fn script(&self, answers: impl IntoIterator<Item = Scripted>) {
        self.inner.lock().unwrap().script.extend(answers);
    }

    pub fn received(&self) -> Vec<Received> {
        self.inner.lock().unwrap().received.clone()
    }

    /// Requests the receiver accepted (2xx), by event type.
    pub fn accepted(&self, event: &str) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(|r| r.event == event && (200..300).contains(&r.answered))
            .collect()
    }
}

async fn answer(inner: Arc<Mutex<Inner>>, headers: HeaderMap, body: Bytes) -> impl IntoResponse {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let (scripted, secret) = {
        let mut inner = inner.lock().unwrap();
        (inner.script.pop_front(), inner.secret.clone())
    };
    let scripted = scripted.unwrap_or(Scripted::status(200));
    let signature_ok = verify(&secret, &header("convoroom-signature"), &body);
    let n = {
        let mut inner = inner.lock().unwrap();
        inner.received.push(Received {
            event: header("convoroom-event"),
            key: header("idempotency-key"),
            body: serde_json::from_slice(&body).unwrap_or(Value::Null),
            signature_ok,
            answered: scripted.status,
        });
        inner.received.len()
    };
    // Recorded first: a sender that gives up mid-wait drops this handler.
    if !scripted.delay.is_zero() {
        tokio::time::sleep(scripted.delay).await;
    }
    let mut response = (
        StatusCode::from_u16(scripted.status).unwrap(),
        axum::Json(serde_json::json!({"external_id": format!("ext-{n}")})),
    )
        .into_response();
    if let Some(after) = scripted.retry_after {
        response
            .headers_mut()
            .insert("retry-after", after.parse().unwrap());
    }
    response
}

/// Checks `t=<unix>,v1=<hex>` as a receiver would: HMAC-SHA256 of "<t>.<body>", fresh.
pub fn verify(secret: &str, header: &str, body: &[u8]) -> bool {
    let mut t = None;
    let mut v1 = None;
    for part in header.split(',') {
        match part.split_once('=') {
            Some(("t", value)) => t = value.parse::<i64>().ok(),
            Some(("v1", value)) => v1 = Some(value.to_string()),
            _ => {}
        }
    }
    let (Some(t), Some(v1)) = (t, v1) else {
        return false;
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    if (now - t).abs() > 300 {
        return false;
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.").as_bytes());
    mac.update(body);
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    expected == v1
}
