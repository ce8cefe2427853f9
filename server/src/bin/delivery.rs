//! Delivery latency: an agent's reply from its `POST` (Send) until the integration's webhook
//! receives it, over a running server. Starts a receiver of its own, creates an integration
//! for WhatsApp pointing at it, then sends replies one at a time (each after the previous one
//! arrived, so no reply waits behind another) and reports p50/p95.
//!
//! `convoroom-delivery --server http://127.0.0.1:8080 --messages 200 --out target/bench/delivery.json`

use clap::Parser;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
#[path = "support/http.rs"]
mod http;

use http::request;

#[derive(Parser)]
#[command(about = "Reply delivery latency, Send to the integration's webhook")]
struct Args {
    /// The server's base URL (http://host:port).
    #[arg(long)]
    server: String,
    #[arg(long, default_value_t = 200)]
    messages: usize,
    #[arg(long, default_value = "target/bench/delivery.json")]
    out: String,
    /// Also write the report's table row (against the budget) here.
    #[arg(long)]
    row: Option<String>,
    #[arg(long, default_value = "SQLite, 1 replica")]
    label: String,
    /// p95 from Send until the receiver has the reply.
    #[arg(long, default_value_t = 100.0)]
    budget_ms: f64,
    /// A smoke run: the row gives no verdict.
    #[arg(long)]
    quick: bool,
}

/// Message id → when the receiver had it.
type Arrivals = Arc<Mutex<HashMap<String, Instant>>>;

async fn receiver(arrivals: Arrivals) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port for the receiver");
    let addr = listener.local_addr().expect("its address");
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |body: axum::body::Bytes| {
            let arrivals = arrivals.clone();
            async move {
                let now = Instant::now();
                let value: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                if let Some(id) = value["message"]["id"].as_str() {
                    arrivals
                        .lock()
                        .unwrap()
                        .entry(id.to_string())
                        .or_insert(now);
                }
                axum::http::StatusCode::OK
            }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}/hook")
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let addr = args
        .server
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let sign_in = serde_json::json!({"email": "maya@example.com", "password": "demo1234"});
    let (status, session) = request(&addr, "POST", "/api/v1/auth/sign-in", None, Some(&sign_in))
        .await
        .expect("sign-in");
    assert_eq!(status, 200, "sign-in: {session}");
    let token = session["token"].as_str().expect("token").to_string();
    let arrivals: Arrivals = Arc::default();
    let webhook = receiver(arrivals.clone()).await;
    let integration = serde_json::json!({"name": format!("bench-{}", std::process::id()),
        "channels": ["whatsapp"], "webhook_url": webhook});
    let (status, created) = request(
        &addr,
        "POST",
        "/api/v1/integrations",
        Some(&token),
        Some(&integration),
    )
    .await
    .expect("integration");
    assert_eq!(status, 201, "integration: {created}");
    let customer = serde_json::json!({"channel": "whatsapp", "from": format!("+1555880{}", std::process::id() % 10_000),
        "body": "Is my order on its way?"});
    let (status, accepted) = request(
        &addr,
        "POST",
        "/api/v1/inbound",
        Some(&token),
        Some(&customer),
    )
    .await
    .expect("a conversation");
    assert_eq!(status, 201, "inbound: {accepted}");
    let conversation = accepted["conversation_id"]
        .as_str()
        .expect("id")
        .to_string();

    let mut latencies = Vec::with_capacity(args.messages);
    let mut lost = 0;
    for n in 0..args.messages {
        let reply = serde_json::json!({"client_id": format!("bench-{n}"), "mode": "reply",
            "body": format!("Reply {n}: it ships today")});
        let sent_at = Instant::now();
        let (status, message) = request(
            &addr,
            "POST",
            &format!("/api/v1/conversations/{conversation}/messages"),
            Some(&token),
            Some(&reply),
        )
        .await
        .expect("send");
        assert_eq!(status, 201, "send: {message}");
        let id = message["id"].as_str().expect("message id").to_string();
        let deadline = sent_at + Duration::from_secs(10);
        loop {
            if let Some(at) = arrivals.lock().unwrap().get(&id) {
                latencies.push(at.duration_since(sent_at).as_secs_f64() * 1000.0);
                break;
            }
            if Instant::now() > deadline {
                lost += 1;
                break;
            }
            tokio::time::sleep(Duration::from_micros(200)).await;
        }
    }
    latencies.sort_by(f64::total_cmp);
    let (p50, p95) = (percentile(&latencies, 0.5), percentile(&latencies, 0.95));
    let max = latencies.last().copied().unwrap_or(f64::NAN);
    let report = serde_json::json!({
        "messages": args.messages, "delivered": latencies.len(), "lost": lost,
        "send_to_receiver_ms": {"p50": round(p50), "p95": round(p95), "max": round(max)},
    });
    println!(
        "delivery: {} replies, Send → receiver p50 {} ms, p95 {} ms, max {} ms; {lost} not delivered within 10 s",
        args.messages,
        round(p50),
        round(p95),
        round(max)
    );
    if let Some(parent) = std::path::Path::new(&args.out).parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    std::fs::write(&args.out, serde_json::to_string_pretty(&report).unwrap()).expect("report");
    if let Some(path) = &args.row {
        let verdict = if args.quick {
            "n/a (quick)"
        } else if p95 <= args.budget_ms && lost == 0 {
            "PASS"
        } else {
            "FAIL"
        };
        let row = format!(
            "| Reply delivery, Send → integration's webhook, {} replies ({}) | p95 {} ms (p50 {}, max {}), {lost} lost | p95 ≤ {} ms, 0 lost | {verdict} |\n",
            args.messages,
            args.label,
            round(p95),
            round(p50),
            round(max),
            args.budget_ms
        );
        std::fs::write(path, row).expect("write row");
    }
    std::process::exit(0);
}
