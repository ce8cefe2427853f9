//! Embedded migrations, one list per backend, applied in order once each when the server
//! starts. On PostgreSQL several replicas may start at once: a session advisory lock lets one
//! of them migrate (and seed) while the others wait.

use super::dialect::STARTUP_LOCK;
use super::{Backend, Pool};
use sqlx::pool::PoolConnection;

#[rustfmt::skip]
const SQLITE: &[(i64, &str)] = &[
    (1, include_str!("../../migrations/sqlite/0001_init.sql")),
    (2, include_str!("../../migrations/sqlite/0002_search_segments_and_counts.sql")),
    (3, include_str!("../../migrations/sqlite/0003_narrow_index.sql")),
    (4, include_str!("../../migrations/sqlite/0004_team_stage_index.sql")),
    (5, include_str!("../../migrations/sqlite/0005_client_id_index.sql")),
    (6, include_str!("../../migrations/sqlite/0006_label_counts.sql")),
    (7, include_str!("../../migrations/sqlite/0007_activity_visibility_index.sql")),
    (8, include_str!("../../migrations/sqlite/0008_search_prefix_indexes.sql")),
    (9, include_str!("../../migrations/sqlite/0009_last_recording.sql")),
    (10, include_str!("../../migrations/sqlite/0010_shared_state.sql")),
    (11, include_str!("../../migrations/sqlite/0011_notes_in_the_thread.sql")),
    (12, include_str!("../../migrations/sqlite/0012_attribute_bounds.sql")),
    (13, include_str!("../../migrations/sqlite/0013_priority_field.sql")),
    (14, include_str!("../../migrations/sqlite/0014_tickets_and_business_address.sql")),
    (15, include_str!("../../migrations/sqlite/0015_after_conversation.sql")),
    (16, include_str!("../../migrations/sqlite/0016_delivery.sql")),
    (17, include_str!("../../migrations/sqlite/0017_agent_external_id.sql")),
    (18, include_str!("../../migrations/sqlite/0018_team_archive.sql")),
    (19, include_str!("../../migrations/sqlite/0019_pipeline_stages.sql")),
    (20, include_str!("../../migrations/sqlite/0020_agent_active.sql")),
    (21, include_str!("../../migrations/sqlite/0021_attribute_settings.sql")),
    (22, include_str!("../../migrations/sqlite/0022_embed_jwt.sql")),
    (23, include_str!("../../migrations/sqlite/0023_canned_responses.sql")),
    (24, include_str!("../../migrations/sqlite/0024_snooze.sql")),
    (25, include_str!("../../migrations/sqlite/0025_typing.sql")),
    (26, include_str!("../../migrations/sqlite/0026_notifications.sql")),
    (27, include_str!("../../migrations/sqlite/0027_uploads.sql")),
];

#[rustfmt::skip]
const POSTGRES: &[(i64, &str)] = &[
    (1, include_str!("../../migrations/postgres/0001_init.sql")),
    (2, include_str!("../../migrations/postgres/0002_shared_state.sql")),
    (3, include_str!("../../migrations/postgres/0003_search.sql")),
    (4, include_str!("../../migrations/postgres/0004_notes_in_the_thread.sql")),
    (5, include_str!("../../migrations/postgres/0005_attribute_bounds.sql")),
    (6, include_str!("../../migrations/postgres/0006_priority_field.sql")),
    (7, include_str!("../../migrations/postgres/0007_tickets_and_business_address.sql")),
    (8, include_str!("../../migrations/postgres/0008_after_conversation.sql")),
    (9, include_str!("../../migrations/postgres/0009_search_matches.sql")),
    (10, include_str!("../../migrations/postgres/0010_delivery.sql")),
    (11, include_str!("../../migrations/postgres/0011_agent_external_id.sql")),
    (12, include_str!("../../migrations/postgres/0012_team_archive.sql")),
    (13, include_str!("../../migrations/postgres/0013_pipeline_stages.sql")),
    (14, include_str!("../../migrations/postgres/0014_agent_active.sql")),
    (15, include_str!("../../migrations/postgres/0015_attribute_settings.sql")),
    (16, include_str!("../../migrations/postgres/0016_embed_jwt.sql")),
    (17, include_str!("../../migrations/postgres/0017_canned_responses.sql")),
    (18, include_str!("../../migrations/postgres/0018_snooze.sql")),
    (19, include_str!("../../migrations/postgres/0019_typing.sql")),
    (20, include_str!("../../migrations/postgres/0020_notifications.sql")),
    (21, include_str!("../../migrations/postgres/0021_uploads.sql")),
];

pub async fn migrate(pool: &Pool, backend: Backend) -> Result<(), sqlx::Error> {
    let migrations = match backend {
        Backend::Sqlite => SQLITE,
        Backend::Postgres => POSTGRES,
    };
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)",
    )
    .execute(pool)
    .await?;
    for (version, sql) in migrations {
        let done = sqlx::query("SELECT 1 FROM schema_migrations WHERE version = $1")
            .bind(version)
            .fetch_optional(pool)
            .await?
            .is_some();
        if done {
            continue;
        }
        let mut tx = pool.begin().await?;
        sqlx::raw_sql(sql).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)")
            .bind(version)
            .bind(crate::util::now())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        tracing::info!(version, "applied migration");
    }
    Ok(())
}

/// Held while one replica migrates and seeds an empty database (PostgreSQL: a session
/// advisory lock on a connection of its own; SQLite: nothing, one process opens the file).
pub struct StartupLock(Option<PoolConnection<sqlx::Any>>);

impl StartupLock {
    pub async fn take(pool: &Pool, backend: Backend) -> Result<StartupLock, sqlx::Error> {
        if backend == Backend::Sqlite {
            return Ok(StartupLock(None));
        }
        let mut conn = pool.acquire().await?;
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(STARTUP_LOCK)
            .execute(&mut *conn)
            .await?;
        Ok(StartupLock(Some(conn)))
    }

    pub async fn release(mut self) -> Result<(), sqlx::Error> {
        if let Some(mut conn) = self.0.take() {
            sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(STARTUP_LOCK)
                .execute(&mut *conn)
                .await?;
        }
        Ok(())
    }
}

impl Drop for StartupLock {
    /// Not released (startup failed): closing the connection ends the session and its lock.
    fn drop(&mut self) {
        if let Some(conn) = self.0.take() {
            drop(conn.detach());
        }
    }
}
