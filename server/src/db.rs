//! Opening, configuring and migrating the SQLite database.

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};
use std::time::Duration;

/// Embedded migrations, applied in order once each.
#[rustfmt::skip]
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/sqlite/0001_init.sql")),
    (2, include_str!("../migrations/sqlite/0002_search_segments_and_counts.sql")),
    (3, include_str!("../migrations/sqlite/0003_narrow_index.sql")),
    (4, include_str!("../migrations/sqlite/0004_team_stage_index.sql")),
    (5, include_str!("../migrations/sqlite/0005_client_id_index.sql")),
    (6, include_str!("../migrations/sqlite/0006_label_counts.sql")),
    (7, include_str!("../migrations/sqlite/0007_activity_visibility_index.sql")),
    (8, include_str!("../migrations/sqlite/0008_search_prefix_indexes.sql")),
    (9, include_str!("../migrations/sqlite/0009_last_recording.sql")),
];

pub async fn open(path: &str) -> Result<SqlitePool, sqlx::Error> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
        .pragma("cache_size", "-65536")
        .pragma("temp_store", "memory")
        .pragma("mmap_size", "268435456");
    // Writes are serialised by AppState's writer lock; the pool mostly serves concurrent reads.
    let pool = SqlitePoolOptions::new()
        .max_connections(6)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(30))
        .connect_with(options)
        .await?;
    migrate(&pool).await?;
    Ok(pool)
}

async fn migrate(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    sqlx::raw_sql("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
        .execute(pool)
        .await?;
    for (version, sql) in MIGRATIONS {
        let done = sqlx::query("SELECT 1 FROM schema_migrations WHERE version = ?")
            .bind(version)
            .fetch_optional(pool)
            .await?
            .is_some();
        if done {
            continue;
        }
        let mut tx = pool.begin().await?;
        sqlx::raw_sql(sql).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)")
            .bind(version)
            .bind(crate::util::now())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        tracing::info!(version, "applied migration");
    }
    Ok(())
}

pub async fn is_empty(pool: &SqlitePool) -> Result<bool, sqlx::Error> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM agents")
        .fetch_one(pool)
        .await?;
    Ok(row.get::<i64, _>("n") == 0)
}
