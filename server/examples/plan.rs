//! Prints the query plan and timing of SQL statements (one per line on stdin) against a
//! database, with the same bundled SQLite as the server: `cargo run --example plan -- db < queries.sql`.

use sqlx::Row;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use std::io::BufRead;
use std::time::Instant;

#[tokio::main]
async fn main() {
    let path = std::env::args().nth(1).expect("database path");
    let mut conn = SqliteConnectOptions::new()
        .filename(&path)
        .connect()
        .await
        .expect("open");
    for line in std::io::stdin().lock().lines() {
        let sql = line.expect("line");
        if sql.trim().is_empty() {
            continue;
        }
        let plan = sqlx::query(&format!("EXPLAIN QUERY PLAN {sql}"))
            .fetch_all(&mut conn)
            .await;
        let start = Instant::now();
        let mut rows = 0;
        for _ in 0..5 {
            rows = sqlx::query(&sql)
                .fetch_all(&mut conn)
                .await
                .map(|r| r.len())
                .unwrap_or(usize::MAX);
        }
        println!(
            "{:.2} ms, {rows} rows: {}",
            start.elapsed().as_secs_f64() * 200.0,
            &sql[..sql.len().min(140)]
        );
        for row in plan.unwrap_or_default() {
            println!("    {}", row.get::<String, _>("detail"));
        }
    }
    conn.close().await.ok();
}
