//! Shared application state and the serialised writer.
//!
//! Nothing here is state another replica would need: tickets, sign-in failures, presence and
//! background-work claims live in the database; events reach every replica through the event
//! log (`events::dispatch`). What stays in memory is per process: the pool, the broadcast of
//! prepared events to this process's streams, and shutdown.

use crate::config::Config;
use crate::db::{Backend, Conn, Pool};
use crate::error::AppResult;
use crate::events::EventAccess;
use crate::events::dispatch::{Dispatcher, Prepared};
use convoroom_api::EventPayload;
use sqlx::{Any, Transaction};
use std::sync::Arc;
use tokio::sync::{Notify, OwnedMutexGuard, broadcast};

#[derive(Clone)]
pub struct AppState(pub Arc<Inner>);

pub struct Inner {
    pub db: Pool,
    pub backend: Backend,
    pub config: Config,
    writer: Arc<tokio::sync::Mutex<()>>,
    /// Events of the log, prepared once, for this process's event streams (events::dispatch).
    pub bus: broadcast::Sender<Arc<Prepared>>,
    /// Wakes this process's event-log reader after a local commit.
    pub written: Arc<Notify>,
    /// Wakes this process's delivery worker after a commit that queued a reply.
    pub deliveries_queued: Arc<Notify>,
    pub analyzer: Arc<dyn crate::ai::Analyzer>,
    pub csp: crate::assets::Csp,
    /// Flips to true on shutdown so open event streams end and the server can stop.
    pub shutdown: tokio::sync::watch::Sender<bool>,
    /// SHA-256 of each token as it is revoked (read from the event log), so the event streams
    /// it opened end on every replica.
    pub revoked: broadcast::Sender<String>,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// The state, and this process's reader of the event log (a task on the current runtime).
    pub async fn new(db: Pool, backend: Backend, config: Config) -> AppResult<AppState> {
        let analyzer = crate::ai::analyzer_for(&config);
        let csp = crate::assets::Csp::new(&config);
        let state = AppState(Arc::new(Inner {
            db,
            backend,
            config,
            writer: Arc::new(tokio::sync::Mutex::new(())),
            bus: broadcast::channel(4096).0,
            written: Arc::new(Notify::new()),
            deliveries_queued: Arc::new(Notify::new()),
            analyzer,
            csp,
            shutdown: tokio::sync::watch::channel(false).0,
            revoked: broadcast::channel(256).0,
        }));
        Dispatcher::start(&state).await?;
        Ok(state)
    }

    /// Starts a write. Writes are serialised — within this process by a mutex, across
    /// replicas by the database's write lock — so event ids follow commit order.
    pub async fn write(&self) -> AppResult<Writer> {
        let guard = self.writer.clone().lock_owned().await;
        let mut tx = self.db.begin().await?;
        self.backend.lock_writes(&mut tx).await?;
        Ok(Writer {
            tx,
            _guard: guard,
            events: 0,
            backend: self.backend,
            written: self.written.clone(),
            deliveries: self.deliveries_queued.clone(),
            queued: false,
        })
    }

    pub async fn read(&self) -> AppResult<sqlx::pool::PoolConnection<Any>> {
        Ok(self.db.acquire().await?)
    }
}

pub struct Writer {
    pub tx: Transaction<'static, Any>,
    _guard: OwnedMutexGuard<()>,
    /// Rows added to the event log by this transaction.
    events: usize,
    backend: Backend,
    written: Arc<Notify>,
    deliveries: Arc<Notify>,
    /// Set when this transaction queued a delivery: the worker is woken after the commit.
    queued: bool,
}

impl Writer {
    pub fn conn(&mut self) -> &mut Conn {
        &mut self.tx
    }

    /// Appends an event to the log; every replica's streams get it once the transaction commits.
    pub async fn emit(&mut self, payload: EventPayload, access: EventAccess) -> AppResult<i64> {
        let json = serde_json::to_string(&payload)?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO events (payload, conversation_id, team_ids, agent_ids, owner_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(&json)
        .bind(access.conversation_id)
        .bind(crate::util::comma_ids(&access.team_ids))
        .bind(crate::util::comma_ids(&access.agent_ids))
        .bind(access.owner_id)
        .bind(crate::util::now())
        .fetch_one(&mut *self.tx)
        .await?;
        self.events += 1;
        Ok(id)
    }

    /// Ends, on every replica, the event streams of a token this transaction revokes (by the
    /// token's SHA-256): a row of the event log that no client receives.
    pub async fn revoke(&mut self, token_hash: &str) -> AppResult<()> {
        sqlx::query(
            "INSERT INTO events (payload, revoked_token, created_at) VALUES ('null', $1, $2)",
        )
        .bind(token_hash)
        .bind(crate::util::now())
        .execute(&mut *self.tx)
        .await?;
        self.events += 1;
        Ok(())
    }

    /// Wakes this process's delivery worker once this transaction commits.
    pub fn wake_deliveries(&mut self) {
        self.queued = true;
    }

    pub async fn audit(
        &mut self,
        conversation_id: Option<i64>,
        actor_id: Option<i64>,
        action: &str,
        detail: serde_json::Value,
    ) -> AppResult<()> {
        sqlx::query(
            "INSERT INTO audit_events (conversation_id, actor_id, action, detail, at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(conversation_id)
        .bind(actor_id)
        .bind(action)
        .bind(detail.to_string())
        .bind(crate::util::now())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    pub async fn commit(mut self) -> AppResult<()> {
        if self.events > 0 {
            self.backend.announce_events(&mut self.tx).await?;
        }
        self.tx.commit().await?;
        if self.events > 0 {
            self.written.notify_one();
        }
        if self.queued {
            self.deliveries.notify_one();
        }
        Ok(())
    }
}
