//! The database of one test: a SQLite file in the test's directory, or a fresh database on
//! the PostgreSQL server named by `CONVOROOM_TEST_DATABASE`, dropped when the test ends.

use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};

pub struct TestDb {
    /// What the server's `--database` gets.
    pub url: String,
    /// PostgreSQL: the server's maintenance URL and this test's database name.
    postgres: Option<(String, String)>,
}

/// The PostgreSQL server the suites run against, when they do.
pub fn postgres_server() -> Option<String> {
    std::env::var("CONVOROOM_TEST_DATABASE")
        .ok()
        .filter(|url| url.starts_with("postgres"))
}

pub fn on_postgres() -> bool {
    postgres_server().is_some()
}

static NEXT: AtomicU32 = AtomicU32::new(0);

impl TestDb {
    /// `sqlite_file` is used when the suites run on SQLite.
    pub async fn create(sqlite_file: &Path) -> TestDb {
        let Some(server) = postgres_server() else {
            return TestDb {
                url: sqlite_file.to_string_lossy().to_string(),
                postgres: None,
            };
        };
        let mut random = [0u8; 4];
        getrandom::fill(&mut random).expect("random");
        let name = format!(
            "test_{}_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed),
            u32::from_le_bytes(random)
        );
        admin(&server, &format!("CREATE DATABASE {name}")).await;
        TestDb {
            url: with_database(&server, &name),
            postgres: Some((server, name)),
        }
    }
}

/// `url` (…/postgres, possibly with `?params`) pointed at database `name`.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, params) = url.split_once('?').unwrap_or((url, ""));
    let base = base.rsplit_once('/').map(|(b, _)| b).unwrap_or(base);
    if params.is_empty() {
        format!("{base}/{name}")
    } else {
        format!("{base}/{name}?{params}")
    }
}

async fn admin(server: &str, sql: &str) {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(server)
        .await
        .expect("the test PostgreSQL server answers");
    sqlx::raw_sql(sql)
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    let _ = conn.close().await;
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((server, name)) = self.postgres.take() else {
            return;
        };
        // Its own thread and runtime: this may run inside the test's (single-threaded) one.
        let dropped = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime")
                .block_on(admin(
                    &server,
                    &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                ));
        });
        let _ = dropped.join();
    }
}

/// Every row of every table (SQLite's FTS shadow tables and PostgreSQL's search tables
/// included), each as text, sorted: what must not change when a call is refused, and where
/// no secret may appear in clear.
pub async fn all_rows(db: &sqlx::AnyPool) -> Vec<(String, Vec<String>)> {
    let postgres = db
        .connect_options()
        .database_url
        .scheme()
        .starts_with("postgres");
    let tables: Vec<String> = if postgres {
        sqlx::query_scalar(
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables
             WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
        )
    } else {
        sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND COALESCE(sql, '') NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name",
        )
    }
    .fetch_all(db)
    .await
    .expect("tables");
    let mut out = Vec::new();
    for table in tables {
        let row = if postgres {
            "CAST(row_to_json(t) AS TEXT)".to_string()
        } else {
            let columns: Vec<String> =
                sqlx::query_scalar(&format!("SELECT name FROM pragma_table_info('{table}')"))
                    .fetch_all(db)
                    .await
                    .expect("columns");
            columns
                .iter()
                .map(|c| format!("quote(\"{c}\")"))
                .collect::<Vec<_>>()
                .join(" || ',' || ")
        };
        let mut rows: Vec<String> = sqlx::query_scalar(&format!("SELECT {row} FROM \"{table}\" t"))
            .fetch_all(db)
            .await
            .expect("rows");
        rows.sort();
        out.push((table, rows));
    }
    out
}
