//! Sustained event load: N event streams spread over one or more server replicas while inbound
//! messages arrive at a steady rate; reports, per message, the time from its POST until every
//! stream had it, and how many (message, stream) deliveries never came.
//!
//! `convoroom-load --server http://127.0.0.1:8080 [--server http://127.0.0.1:8081] --streams 500 --rate 20 --seconds 60 --out target/bench/load.json`

use clap::Parser;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
#[path = "support/http.rs"]
mod http;

use http::request;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

#[derive(Parser)]
#[command(about = "Event streams under a steady inbound message rate")]
struct Args {
    /// A replica's base URL (http://host:port); streams and posts go round-robin.
    #[arg(long = "server", required = true)]
    servers: Vec<String>,
    #[arg(long, default_value_t = 500)]
    streams: usize,
    /// Inbound messages per second.
    #[arg(long, default_value_t = 20.0)]
    rate: f64,
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    /// How long deliveries may take after the last message before they count as missed.
    #[arg(long, default_value_t = 5)]
    settle: u64,
    #[arg(long, default_value = "target/bench/load.json")]
    out: String,
    /// Also write the report's table row (against the budget) here.
    #[arg(long)]
    row: Option<String>,
    /// Names the setup in that row, e.g. "PostgreSQL, 2 replicas".
    #[arg(long, default_value = "SQLite, 1 replica")]
    label: String,
    /// p95 from a message's POST until every stream has it.
    #[arg(long, default_value_t = 200.0)]
    budget_ms: f64,
    /// A smoke run: the row gives no verdict.
    #[arg(long)]
    quick: bool,
}

/// `host:port` of a base URL.
fn host(url: &str) -> String {
    url.trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string()
}

/// Arrivals: message number → (stream index → when).
type Arrivals = Arc<Mutex<HashMap<u64, HashMap<usize, Instant>>>>;

/// Opens a stream and records when each `load-<n>` message arrives in it.
async fn stream(
    addr: String,
    token: String,
    index: usize,
    arrivals: Arrivals,
    connected: tokio::sync::mpsc::Sender<()>,
) {
    let ticket = match request(&addr, "POST", "/api/v1/events/ticket", Some(&token), None).await {
        Ok((200, body)) => body["ticket"].as_str().unwrap_or_default().to_string(),
        other => panic!("stream {index}: no ticket: {other:?}"),
    };
    let mut socket = TcpStream::connect(&addr).await.expect("connect");
    let head = format!(
        "GET /api/v1/events?ticket={ticket} HTTP/1.0\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
    );
    socket.write_all(head.as_bytes()).await.expect("request");
    let mut reader = BufReader::new(socket);
    let mut line = String::new();
    // Status line and headers.
    loop {
        line.clear();
        if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
            panic!("stream {index}: closed before its headers");
        }
        if line == "\r\n" {
            break;
        }
    }
    let _ = connected.send(()).await;
    loop {
        line.clear();
        match reader.read_line(&mut line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        // Only the message itself counts (its conversation update quotes it too).
        if !line.starts_with("data:") || !line.contains("\"type\":\"message_created\"") {
            continue;
        }
        let Some(at) = line.find("\"body\":\"load-") else {
            continue;
        };
        let digits: String = line[at + 13..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if let Ok(n) = digits.parse::<u64>() {
            let now = Instant::now();
            arrivals
                .lock()
                .unwrap()
                .entry(n)
                .or_default()
                .entry(index)
                .or_insert(now);
        }
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let addrs: Vec<String> = args.servers.iter().map(|s| host(s)).collect();
    let sign_in = serde_json::json!({"email": "maya@example.com", "password": "demo1234"});
    let (status, session) = request(
        &addrs[0],
        "POST",
        "/api/v1/auth/sign-in",
        None,
        Some(&sign_in),
    )
    .await
    .expect("sign-in");
    assert_eq!(status, 200, "sign-in: {session}");
    let token = session["token"].as_str().expect("token").to_string();
    let name =
        serde_json::json!({"name": format!("load-{}", std::process::id()), "scope": "inbound"});
    let (status, inbound) = request(
        &addrs[0],
        "POST",
        "/api/v1/tokens",
        Some(&token),
        Some(&name),
    )
    .await
    .expect("inbound token");
    assert_eq!(status, 201, "inbound token: {inbound}");
    let inbound = inbound["token"].as_str().expect("token").to_string();

    let arrivals: Arrivals = Arc::default();
    let (connected_tx, mut connected) = tokio::sync::mpsc::channel(args.streams.max(1));
    for index in 0..args.streams {
        tokio::spawn(stream(
            addrs[index % addrs.len()].clone(),
            token.clone(),
            index,
            arrivals.clone(),
            connected_tx.clone(),
        ));
    }
    for _ in 0..args.streams {
        connected.recv().await;
    }
    println!(
        "load: {} streams open on {} replica(s); posting {} inbound messages/s for {} s",
        args.streams,
        addrs.len(),
        args.rate,
        args.seconds
    );
    tokio::time::sleep(Duration::from_millis(500)).await;

    let total = (args.rate * args.seconds as f64).round() as u64;
    let interval = Duration::from_secs_f64(1.0 / args.rate);
    let started = Instant::now();
    let posted: Arc<Mutex<HashMap<u64, Instant>>> = Arc::default();
    let failed = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let mut posts = Vec::new();
    for n in 0..total {
        tokio::time::sleep_until((started + interval * n as u32).into()).await;
        let (addr, inbound, posted, failed) = (
            addrs[n as usize % addrs.len()].clone(),
            inbound.clone(),
            posted.clone(),
            failed.clone(),
        );
        posts.push(tokio::spawn(async move {
            // Fifty customers, so messages land in a few conversations, as in a busy inbox.
            let body = serde_json::json!({"channel": "sms", "from": format!("+1555770{:04}", n % 50),
                "body": format!("load-{n} where is my order?")});
            posted.lock().unwrap().insert(n, Instant::now());
            match request(&addr, "POST", "/api/v1/inbound", Some(&inbound), Some(&body)).await {
                Ok((201, _)) => {}
                other => {
                    failed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    eprintln!("load: message {n} not accepted: {other:?}");
                }
            }
        }));
    }
    for post in posts {
        let _ = post.await;
    }
    let posting = started.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs(args.settle)).await;

    let posted = posted.lock().unwrap().clone();
    let arrivals = arrivals.lock().unwrap().clone();
    let mut all_ms = Vec::new();
    let mut each_ms = Vec::new();
    let mut missed = 0u64;
    for (n, at) in &posted {
        let got = arrivals.get(n);
        let count = got.map_or(0, |g| g.len());
        missed += (args.streams - count) as u64;
        if let Some(got) = got {
            for when in got.values() {
                each_ms.push(when.duration_since(*at).as_secs_f64() * 1000.0);
            }
            if count == args.streams
                && let Some(last) = got.values().max()
            {
                all_ms.push(last.duration_since(*at).as_secs_f64() * 1000.0);
            }
        }
    }
    all_ms.sort_by(f64::total_cmp);
    each_ms.sort_by(f64::total_cmp);
    let report = serde_json::json!({
        "replicas": addrs.len(), "streams": args.streams, "rate": args.rate, "seconds": args.seconds,
        "messages": total, "posting_seconds": round(posting),
        "rejected": failed.load(std::sync::atomic::Ordering::Relaxed),
        "missed_deliveries": missed,
        "all_streams_ms": {"p50": round(percentile(&all_ms, 0.5)), "p95": round(percentile(&all_ms, 0.95)),
            "max": round(all_ms.last().copied().unwrap_or(f64::NAN)), "n": all_ms.len()},
        "each_delivery_ms": {"p50": round(percentile(&each_ms, 0.5)), "p95": round(percentile(&each_ms, 0.95))},
    });
    println!(
        "load: {} messages to {} streams: post → every stream p50 {} ms, p95 {} ms, max {} ms; missed deliveries {missed}",
        total,
        args.streams,
        report["all_streams_ms"]["p50"],
        report["all_streams_ms"]["p95"],
        report["all_streams_ms"]["max"]
    );
    if let Some(parent) = std::path::Path::new(&args.out).parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    std::fs::write(&args.out, serde_json::to_string_pretty(&report).unwrap()).expect("report");
    println!("load: report written to {}", args.out);
    if let Some(path) = &args.row {
        let p95 = percentile(&all_ms, 0.95);
        let pass = p95 <= args.budget_ms && missed == 0;
        let verdict = if args.quick {
            "n/a (quick)"
        } else if pass {
            "PASS"
        } else {
            "FAIL"
        };
        let what = if total == 1 {
            format!("Event fan-out to {} streams ({})", args.streams, args.label)
        } else {
            format!(
                "Sustained load: {} streams, {} inbound/s for {} s ({})",
                args.streams, args.rate, args.seconds, args.label
            )
        };
        let row = format!(
            "| {what} | p95 {} ms (p50 {}, max {}), {missed} missed | p95 ≤ {} ms, 0 missed | {verdict} |\n",
            round(p95),
            round(percentile(&all_ms, 0.5)),
            round(all_ms.last().copied().unwrap_or(f64::NAN)),
            args.budget_ms
        );
        std::fs::write(path, row).expect("write row");
    }
    std::process::exit(0);
}
