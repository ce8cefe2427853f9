//! Each server process reads the event log in id order and hands every event, prepared once,
//! to its own event streams. That is how an event written by any replica reaches the streams
//! of every replica.
//!
//! The reader wakes when this process commits an event, when PostgreSQL notifies that another
//! replica did (LISTEN/NOTIFY), and at least once a second (should a notification be lost
//! while the listening connection reconnects). Preparing an event costs one or two queries
//! however many streams receive it: who may see its conversation now, and for a conversation
//! update the unread count of every agent; each stream then only checks its caller in memory
//! and sends bytes rendered once per distinct unread count.

use super::StoredEvent;
use super::log::{self, Entry};
use crate::auth::Caller;
use crate::db::{Backend, Conn, EVENTS_CHANNEL, Pool};
use crate::error::AppResult;
use crate::state::AppState;
use axum::body::Bytes;
use convoroom_api::{Event, EventPayload};
use sqlx::Row;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Notify, broadcast, watch};

/// How often the log is read when nothing woke the reader.
const POLL: Duration = Duration::from_secs(1);
/// Rows read per query.
const BATCH: i64 = 500;

/// The text/event-stream frame of an event.
pub fn frame(event: &Event) -> Bytes {
    let json = serde_json::to_string(event).unwrap_or_default();
    Bytes::from(format!("id: {}\ndata: {json}\n\n", event.id))
}

/// Who may see a conversation as it is now.
struct Visible {
    team_id: Option<i64>,
    assignee_id: Option<i64>,
    collaborators: Vec<i64>,
}

/// Unread inbound messages of a conversation per agent.
struct Unread {
    /// For agents without a read marker.
    default: u32,
    by_agent: HashMap<i64, u32>,
}

/// An event of the log, ready for any stream of this process.
pub struct Prepared {
    pub stored: StoredEvent,
    /// For an event about a conversation: who may see the conversation now (`None` once the
    /// conversation is gone).
    visible: Option<Visible>,
    /// For `conversation_updated`: each agent's unread count.
    unread: Option<Unread>,
    /// Rendered frames by unread count (0 for events without one).
    frames: Mutex<HashMap<u32, Bytes>>,
}

impl Prepared {
    pub async fn load(conn: &mut Conn, stored: StoredEvent) -> AppResult<Prepared> {
        let mut visible = None;
        let mut unread = None;
        if let Some(id) = stored.access.conversation_id {
            let updated = matches!(stored.event.payload, EventPayload::ConversationUpdated(_));
            let row = sqlx::query(if updated {
                "SELECT c.team_id, c.assignee_id, c.collaborator_ids,
                    (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id
                        AND m.kind = 'inbound' AND m.id > c.default_read_upto) AS unread
                 FROM conversations c WHERE c.id = $1"
            } else {
                "SELECT c.team_id, c.assignee_id, c.collaborator_ids, 0 AS unread
                 FROM conversations c WHERE c.id = $1"
            })
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
            if let Some(row) = &row {
                visible = Some(Visible {
                    team_id: row.get("team_id"),
                    assignee_id: row.get("assignee_id"),
                    collaborators: serde_json::from_str(&row.get::<String, _>("collaborator_ids"))
                        .unwrap_or_default(),
                });
            }
            if updated {
                let by_agent = sqlx::query(
                    "SELECT r.agent_id, (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = r.conversation_id
                        AND m.kind = 'inbound' AND m.id > r.last_read_message_id) AS unread
                     FROM conversation_reads r WHERE r.conversation_id = $1",
                )
                .bind(id)
                .fetch_all(&mut *conn)
                .await?
                .iter()
                .map(|r| (r.get::<i64, _>("agent_id"), count(r.get("unread"))))
                .collect();
                unread = Some(Unread {
                    default: row.map(|r| count(r.get("unread"))).unwrap_or(0),
                    by_agent,
                });
            }
        }
        Ok(Prepared {
            stored,
            visible,
            unread,
            frames: Mutex::new(HashMap::new()),
        })
    }

    pub fn id(&self) -> i64 {
        self.stored.event.id
    }

    /// The frame `caller` receives, or `None` when they may not see this event: the same rule
    /// as `events::deliverable`, decided in memory.
    pub fn frame_for(&self, caller: &Caller) -> Option<Bytes> {
        let access = &self.stored.access;
        if let Some(owner) = access.owner_id {
            return (owner == caller.id).then(|| self.render(None));
        }
        if access.conversation_id.is_some() {
            let by_snapshot = caller.is_admin()
                || access.agent_ids.contains(&caller.id)
                || access.team_ids.iter().any(|t| caller.team_ids.contains(t));
            let now = self.visible.as_ref().is_some_and(|v| {
                v.team_id.is_some_and(|t| caller.team_ids.contains(&t))
                    || v.assignee_id == Some(caller.id)
                    || v.collaborators.contains(&caller.id)
            });
            if !by_snapshot && !now {
                return None;
            }
        }
        let unread = self
            .unread
            .as_ref()
            .map(|u| u.by_agent.get(&caller.id).copied().unwrap_or(u.default));
        Some(self.render(unread))
    }

    fn render(&self, unread: Option<u32>) -> Bytes {
        let key = unread.unwrap_or(0);
        let mut frames = self.frames.lock().expect("frames lock");
        frames
            .entry(key)
            .or_insert_with(|| {
                let mut event = self.stored.event.clone();
                if let (EventPayload::ConversationUpdated(conversation), Some(n)) =
                    (&mut event.payload, unread)
                {
                    conversation.unread_count = n;
                }
                frame(&event)
            })
            .clone()
    }
}

fn count(n: i64) -> u32 {
    n.clamp(0, u32::MAX as i64) as u32
}

/// This process's reader of the event log.
pub struct Dispatcher {
    db: Pool,
    bus: broadcast::Sender<Arc<Prepared>>,
    revoked: broadcast::Sender<String>,
    wake: Arc<Notify>,
    shutdown: watch::Receiver<bool>,
    /// The last id handed to this process's streams.
    cursor: i64,
}

impl Dispatcher {
    /// Starts reading after the newest event of the log.
    pub async fn start(state: &AppState) -> AppResult<()> {
        let cursor = {
            let mut conn = state.read().await?;
            log::bounds(&mut conn).await?.1
        };
        let dispatcher = Dispatcher {
            db: state.db.clone(),
            bus: state.bus.clone(),
            revoked: state.revoked.clone(),
            wake: state.written.clone(),
            shutdown: state.shutdown.subscribe(),
            cursor,
        };
        if state.backend == Backend::Postgres {
            tokio::spawn(listen(
                state.config.database.clone(),
                state.written.clone(),
                state.shutdown.subscribe(),
            ));
        }
        tokio::spawn(dispatcher.run());
        Ok(())
    }

    async fn run(mut self) {
        loop {
            tokio::select! {
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(POLL) => {}
                _ = self.shutdown.changed() => return,
            }
            if let Err(err) = self.read_all().await {
                tracing::warn!(error = %err.0.message, "reading the event log failed");
            }
        }
    }

    /// Hands out everything after the cursor, in id order.
    async fn read_all(&mut self) -> AppResult<()> {
        let mut conn = self.db.acquire().await?;
        loop {
            let rows = log::after(&mut conn, self.cursor, BATCH).await?;
            let Some((last, _)) = rows.last() else {
                return Ok(());
            };
            let last = *last;
            for (id, entry) in rows {
                match entry {
                    Entry::Revoked(hash) => {
                        // No open stream is fine.
                        let _ = self.revoked.send(hash);
                    }
                    Entry::Event(stored) => {
                        let prepared = Prepared::load(&mut conn, *stored).await?;
                        // No subscribers is fine: the log keeps the event for replay.
                        let _ = self.bus.send(Arc::new(prepared));
                    }
                }
                self.cursor = id;
            }
            self.cursor = last;
        }
    }
}

/// Wakes the reader whenever another replica announces events (and after the listening
/// connection was re-established, when announcements may have been missed).
async fn listen(url: String, wake: Arc<Notify>, mut shutdown: watch::Receiver<bool>) {
    loop {
        let listening = async {
            let mut listener = sqlx::postgres::PgListener::connect(&url).await?;
            listener.listen(EVENTS_CHANNEL).await?;
            // Connected: anything announced before is read now.
            wake.notify_one();
            loop {
                // `None`: the connection was lost and has been re-established.
                let _ = listener.try_recv().await?;
                wake.notify_one();
            }
            #[allow(unreachable_code)]
            Ok::<(), sqlx::Error>(())
        };
        tokio::select! {
            result = listening => {
                if let Err(err) = result {
                    tracing::warn!(error = %err, "listening for events failed; reading the log every second meanwhile");
                }
            }
            _ = shutdown.changed() => return,
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(2)) => {}
            _ = shutdown.changed() => return,
        }
    }
}
