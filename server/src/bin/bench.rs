//! Latency benchmark of list, filter and search through the real router, as an agent and an admin.
//!
//! `cargo run --release -p convoroom-server --bin convoroom-bench -- --conversations 100000 --messages 2000000 --out target/bench/server.json`

use axum::body::Body;
use axum::http::Request;
use clap::Parser;
use http_body_util::BodyExt;
use std::time::{Duration, Instant};
use tower::ServiceExt;

#[derive(Parser)]
#[command(about = "Seeds a temporary database and measures API query latency")]
struct Args {
    #[arg(long, default_value_t = 20_000)]
    conversations: u32,
    #[arg(long, default_value_t = 400_000)]
    messages: u64,
    /// Requests per query type and role.
    #[arg(long, default_value_t = 100)]
    iterations: usize,
    /// Reuse (or keep) this database instead of a temporary one.
    #[arg(long)]
    database: Option<String>,
    #[arg(long, default_value = "target/bench/server.json")]
    out: String,
    /// Also write the report's table row (worst list/search p95 against its budget) here.
    #[arg(long)]
    row: Option<String>,
    /// Names the database in that row, e.g. "PostgreSQL".
    #[arg(long, default_value = "SQLite")]
    label: String,
    /// A smoke run: the row gives no verdict.
    #[arg(long)]
    quick: bool,
    /// Only the query types whose name starts with this (e.g. `search`), for profiling.
    #[arg(long)]
    only: Option<String>,
}

/// The list/search budget of docs/api.md ("Performance").
const BUDGET_P95_MS: f64 = 20.0;

struct Stats {
    name: String,
    role: &'static str,
    samples: Vec<Duration>,
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1000.0 * 100.0).round() / 100.0
}

impl Stats {
    fn percentile(&self, p: f64) -> Duration {
        let mut sorted = self.samples.clone();
        sorted.sort();
        let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
        sorted[index]
    }
    fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "query": self.name, "role": self.role, "n": self.samples.len(),
            "p50_ms": ms(self.percentile(0.5)), "p95_ms": ms(self.percentile(0.95)),
            "max_ms": ms(*self.samples.iter().max().unwrap_or(&Duration::ZERO)),
        })
    }
}

async fn request(router: &axum::Router, path: &str, token: &str) -> (u16, serde_json::Value) {
    let request = Request::get(path)
        .header("authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .expect("request");
    let response = router.clone().oneshot(request).await.expect("response");
    let status = response.status().as_u16();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
    )
}

async fn sign_in(router: &axum::Router, email: &str) -> String {
    let body = serde_json::json!({"email": email, "password": "demo1234"}).to_string();
    let request = Request::post("/api/v1/auth/sign-in")
        .header("content-type", "application/json")
        .body(Body::from(body))
        .expect("request");
    let response = router.clone().oneshot(request).await.expect("response");
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let value: serde_json::Value = serde_json::from_slice(&bytes).expect("session");
    value["token"].as_str().expect("token").to_string()
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let dir = tempfile::tempdir().expect("temp dir");
    let database = args
        .database
        .clone()
        .unwrap_or_else(|| dir.path().join("bench.db").to_string_lossy().to_string());
    let mut config = convoroom_server::Config::for_database(database.clone());
    config.demo_conversations = args.conversations;
    config.demo_messages = Some(args.messages);
    config.demo_anchor = Some("2026-11-20T12:00:00Z".into());
    let started = Instant::now();
    let state = convoroom_server::build_state(config)
        .await
        .expect("database");
    let seed_seconds = started.elapsed().as_secs_f64();
    println!("database ready in {seed_seconds:.1} s ({database})");
    let router = convoroom_server::router(state.clone());
    let admin = sign_in(&router, "maya@example.com").await;
    let agent = sign_in(&router, "jonas@example.com").await;

    // Search terms drawn from the data: names, phone prefixes, message words.
    let names: Vec<String> =
        sqlx::query_scalar("SELECT name FROM contacts WHERE known = TRUE ORDER BY id LIMIT 40")
            .fetch_all(&state.db)
            .await
            .expect("names");
    let phones: Vec<String> =
        sqlx::query_scalar("SELECT phone FROM contacts ORDER BY id DESC LIMIT 40")
            .fetch_all(&state.db)
            .await
            .expect("phones");
    let (_, first_page) = request(&router, "/api/v1/conversations?limit=50", &admin).await;
    let cursor = first_page["next_cursor"].as_str().unwrap_or("").to_string();

    let mut queries: Vec<(String, Vec<String>)> = vec![
        (
            "list_default".into(),
            vec!["/api/v1/conversations?limit=50".into()],
        ),
        (
            "list_open".into(),
            vec!["/api/v1/conversations?status=open&limit=50".into()],
        ),
        (
            "list_mine_open".into(),
            vec!["/api/v1/conversations?ownership=mine&status=open&limit=50".into()],
        ),
        (
            "list_unassigned".into(),
            vec!["/api/v1/conversations?ownership=unassigned&limit=50".into()],
        ),
        (
            "list_page_2".into(),
            vec![format!("/api/v1/conversations?limit=50&cursor={cursor}")],
        ),
        (
            "filter_channel_label".into(),
            vec!["/api/v1/conversations?channel=whatsapp&label=vip&limit=50".into()],
        ),
        (
            "filter_team_stage".into(),
            vec!["/api/v1/conversations?team_id=2&pipeline_stage=quote_request&limit=50".into()],
        ),
        (
            "sort_waiting_longest".into(),
            vec!["/api/v1/conversations?sort=waiting_longest&status=open&limit=50".into()],
        ),
        (
            "sort_newest".into(),
            vec!["/api/v1/conversations?sort=newest&limit=50".into()],
        ),
    ];
    let name_queries = names.iter().map(|n| {
        let last = n.split_whitespace().last().unwrap_or(n);
        format!(
            "/api/v1/conversations?q={}&limit=50",
            urlencode(&format!(
                "{} {}",
                n.split_whitespace().next().unwrap_or(""),
                &last[..last.len().min(3)]
            ))
        )
    });
    queries.push(("search_name_prefix".into(), name_queries.collect()));
    queries.push((
        "search_phone".into(),
        phones
            .iter()
            .map(|p| format!("/api/v1/conversations?q={}&limit=50", &p[1..p.len().min(9)]))
            .collect(),
    ));
    queries.push((
        "search_message_word".into(),
        [
            "warehouse",
            "firmware",
            "installation",
            "duplicate",
            "replacement",
            "invoice",
            "tracking",
            "cancel",
        ]
        .iter()
        .map(|w| format!("/api/v1/conversations?q={w}&limit=50"))
        .collect(),
    ));
    queries.push((
        "search_typing_prefix".into(),
        ["re", "ref", "refu", "refun", "refund"]
            .iter()
            .map(|w| format!("/api/v1/conversations?q={w}&limit=50"))
            .collect(),
    ));
    queries.push((
        "conversation_detail".into(),
        (1..=50)
            .map(|i| {
                format!(
                    "/api/v1/conversations/{}",
                    i * (args.conversations as usize / 50).max(1)
                )
            })
            .collect(),
    ));
    queries.push((
        "messages_page".into(),
        (1..=50)
            .map(|i| {
                format!(
                    "/api/v1/conversations/{}/messages?limit=50",
                    i * (args.conversations as usize / 50).max(1)
                )
            })
            .collect(),
    ));

    if let Some(only) = &args.only {
        queries.retain(|(name, _)| name.starts_with(only.as_str()));
    }
    let mut results = Vec::new();
    for (name, paths) in &queries {
        for (role, token) in [("agent", &agent), ("admin", &admin)] {
            // Warm-up, then measure.
            for path in paths.iter().take(3) {
                request(&router, path, token).await;
            }
            let mut stats = Stats {
                name: name.clone(),
                role,
                samples: Vec::with_capacity(args.iterations),
            };
            for i in 0..args.iterations {
                let path = &paths[i % paths.len()];
                let start = Instant::now();
                let (status, _) = request(&router, path, token).await;
                stats.samples.push(start.elapsed());
                assert!(status == 200 || status == 404, "{path}: {status}");
            }
            println!(
                "{:<24} {:<6} p50 {:>7.2} ms  p95 {:>7.2} ms  max {:>7.2} ms",
                name,
                role,
                ms(stats.percentile(0.5)),
                ms(stats.percentile(0.95)),
                ms(*stats.samples.iter().max().unwrap())
            );
            results.push(stats.json());
        }
    }
    let report = serde_json::json!({
        "conversations": args.conversations, "messages": args.messages, "iterations": args.iterations,
        "seed_seconds": (seed_seconds * 10.0).round() / 10.0, "results": results,
    });
    if let Some(parent) = std::path::Path::new(&args.out).parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    std::fs::write(
        &args.out,
        serde_json::to_string_pretty(&report).expect("json"),
    )
    .expect("write report");
    println!("report written to {}", args.out);
    if let Some(path) = &args.row {
        let (worst, name) = report["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| {
                let q = r["query"].as_str().unwrap_or("");
                ["list", "filter", "sort", "search"]
                    .iter()
                    .any(|p| q.starts_with(p))
            })
            .map(|r| {
                (
                    r["p95_ms"].as_f64().unwrap_or(f64::NAN),
                    format!(
                        "{} as {}",
                        r["query"].as_str().unwrap_or(""),
                        r["role"].as_str().unwrap_or("")
                    ),
                )
            })
            .fold((0.0, String::new()), |a, b| if b.0 > a.0 { b } else { a });
        let verdict = if args.quick {
            "n/a (quick)"
        } else if worst <= BUDGET_P95_MS {
            "PASS"
        } else {
            "FAIL"
        };
        let row = format!(
            "| Server list/search p95 ({}, {} / {}) | {worst} ms (worst: {name}) | ≤ {BUDGET_P95_MS} ms | {verdict} |\n",
            args.label, args.conversations, args.messages
        );
        std::fs::write(path, row).expect("write row");
    }
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
