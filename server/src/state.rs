//! Shared application state and the serialised writer.

use crate::config::Config;
use crate::db::{Backend, Conn, Pool};
use crate::error::AppResult;
use crate::events::{EventAccess, StoredEvent};
use convoroom_api::{Event, EventPayload};
use sqlx::{Any, Transaction};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::{OwnedMutexGuard, broadcast};

#[derive(Clone)]
pub struct AppState(pub Arc<Inner>);

pub struct Inner {
    pub db: Pool,
    pub backend: Backend,
    pub config: Config,
    writer: Arc<tokio::sync::Mutex<()>>,
    pub bus: broadcast::Sender<Arc<StoredEvent>>,
    /// Stream tickets: SHA-256 of the ticket → (SHA-256 of the token it was issued for, expiry).
    pub tickets: Mutex<HashMap<String, (String, Instant)>>,
    pub rate_limiter: Mutex<crate::auth::RateLimiter>,
    /// conversation id → (agent id → last heartbeat).
    pub presence: Mutex<HashMap<i64, HashMap<i64, Instant>>>,
    pub analyzer: Arc<dyn crate::ai::Analyzer>,
    pub csp: crate::assets::Csp,
    /// Flips to true on shutdown so open event streams end and the server can stop.
    pub shutdown: tokio::sync::watch::Sender<bool>,
    /// SHA-256 of each token as it is revoked, so the event streams it opened end.
    pub revoked: broadcast::Sender<String>,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    pub fn new(db: Pool, backend: Backend, config: Config) -> AppState {
        let (bus, _) = broadcast::channel(4096);
        let analyzer = crate::ai::analyzer_for(&config);
        let csp = crate::assets::Csp::new(&config);
        AppState(Arc::new(Inner {
            db,
            backend,
            config,
            writer: Arc::new(tokio::sync::Mutex::new(())),
            bus,
            tickets: Mutex::new(HashMap::new()),
            rate_limiter: Mutex::new(crate::auth::RateLimiter::default()),
            presence: Mutex::new(HashMap::new()),
            analyzer,
            csp,
            shutdown: tokio::sync::watch::channel(false).0,
            revoked: broadcast::channel(256).0,
        }))
    }

    /// Ends the event streams of a token that was just revoked (by its SHA-256).
    pub fn revoke(&self, token_hash: &str) {
        // No open stream is fine.
        let _ = self.revoked.send(token_hash.to_string());
    }

    /// Starts a write. Writes are serialised so event ids reach subscribers in order.
    pub async fn write(&self) -> AppResult<Writer> {
        let guard = self.writer.clone().lock_owned().await;
        let mut tx = self.db.begin().await?;
        self.backend.lock_writes(&mut tx).await?;
        Ok(Writer {
            tx,
            _guard: guard,
            pending: Vec::new(),
            bus: self.bus.clone(),
        })
    }

    pub async fn read(&self) -> AppResult<sqlx::pool::PoolConnection<Any>> {
        Ok(self.db.acquire().await?)
    }
}

pub struct Writer {
    pub tx: Transaction<'static, Any>,
    _guard: OwnedMutexGuard<()>,
    pending: Vec<Arc<StoredEvent>>,
    bus: broadcast::Sender<Arc<StoredEvent>>,
}

impl Writer {
    pub fn conn(&mut self) -> &mut Conn {
        &mut self.tx
    }

    /// Persists an event; it is broadcast once the transaction commits.
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
        self.pending.push(Arc::new(StoredEvent {
            event: Event { id, payload },
            access,
        }));
        Ok(id)
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

    pub async fn commit(self) -> AppResult<()> {
        self.tx.commit().await?;
        for event in self.pending {
            // No subscribers is fine: the log keeps the event for replay.
            let _ = self.bus.send(event);
        }
        Ok(())
    }
}
