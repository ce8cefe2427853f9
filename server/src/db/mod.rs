//! The database: SQLite (embedded, one server process) or PostgreSQL (any number of replicas),
//! both through sqlx's `Any` driver.
//!
//! SQL is written once, in what both dialects read: `$1` placeholders (sqlx binds them by
//! number on SQLite too), `TRUE`/`FALSE`, `ON CONFLICT`, `RETURNING`, row values, `CAST`.
//! What differs sits behind [`Backend`] (`dialect.rs`): the migrations of each backend, the
//! full-text index and its queries (`search.rs` asks the backend), planner hints, the write
//! lock and the wake-up of other replicas. Rows are read as `AnyRow`; booleans through
//! [`RowExt::flag`] (SQLite stores them as integers).

mod dialect;
mod migrate;

pub use dialect::{Backend, EVENTS_CHANNEL};
pub use migrate::{StartupLock, migrate};

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Executor, Row};
use std::str::FromStr;
use std::time::Duration;

pub type Pool = sqlx::AnyPool;
pub type Conn = sqlx::AnyConnection;
pub type DbRow = sqlx::any::AnyRow;

/// Where the data lives, from `--database`: a `postgres://` (or `postgresql://`) URL, or a
/// SQLite file path (optionally written `sqlite:PATH`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Sqlite(String),
    Postgres(String),
}

impl Location {
    pub fn parse(database: &str) -> Location {
        let database = database.trim();
        if database.starts_with("postgres://") || database.starts_with("postgresql://") {
            Location::Postgres(database.to_string())
        } else {
            let path = database
                .strip_prefix("sqlite://")
                .or_else(|| database.strip_prefix("sqlite:"))
                .unwrap_or(database);
            Location::Sqlite(path.to_string())
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Location::Sqlite(_) => Backend::Sqlite,
            Location::Postgres(_) => Backend::Postgres,
        }
    }

    /// The URL sqlx connects to. A SQLite path is percent-encoded (spaces, `?` and `#` are
    /// legal in file names) and created when missing.
    fn url(&self) -> String {
        match self {
            Location::Postgres(url) => url.clone(),
            Location::Sqlite(path) => {
                let mut encoded = String::from("sqlite:");
                for byte in path.bytes() {
                    match byte {
                        b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'/' | b'.' | b'-' | b'_' => {
                            encoded.push(byte as char)
                        }
                        other => encoded.push_str(&format!("%{other:02X}")),
                    }
                }
                encoded.push_str("?mode=rwc");
                encoded
            }
        }
    }
}

/// Opens the pool (the schema is brought up to date by [`migrate`]).
pub async fn connect(database: &str) -> Result<(Pool, Backend), sqlx::Error> {
    sqlx::any::install_default_drivers();
    let location = Location::parse(database);
    let backend = location.backend();
    let options = AnyConnectOptions::from_str(&location.url())?;
    let pool = match backend {
        // Writes are serialised (AppState::write); the pool mostly serves concurrent reads.
        Backend::Sqlite => AnyPoolOptions::new()
            .max_connections(6)
            .min_connections(1)
            .after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                         PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
                         PRAGMA cache_size = -65536; PRAGMA temp_store = memory; \
                         PRAGMA mmap_size = 268435456;",
                    )
                    .await?;
                    Ok(())
                })
            }),
        Backend::Postgres => AnyPoolOptions::new()
            .max_connections(postgres_pool_size())
            .min_connections(1),
    }
    .acquire_timeout(Duration::from_secs(30))
    .connect_with(options)
    .await?;
    Ok((pool, backend))
}

/// Connections per replica to PostgreSQL (`CONVOROOM_DB_CONNECTIONS`, default 16): the
/// database's `max_connections` (100 by default) must cover every replica's pool.
fn postgres_pool_size() -> u32 {
    std::env::var("CONVOROOM_DB_CONNECTIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(16)
}

pub async fn is_empty(pool: &Pool) -> Result<bool, sqlx::Error> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM agents")
        .fetch_one(pool)
        .await?;
    Ok(row.get::<i64, _>("n") == 0)
}

/// Reading what the two backends store differently.
pub trait RowExt {
    /// A boolean column: `BOOLEAN` on PostgreSQL, an integer 0/1 on SQLite.
    fn flag(&self, column: &str) -> bool;
}

impl RowExt for DbRow {
    fn flag(&self, column: &str) -> bool {
        self.try_get::<bool, _>(column)
            .or_else(|_| self.try_get::<i64, _>(column).map(|n| n != 0))
            .unwrap_or(false)
    }
}
