//! The delivery worker: every replica runs one. It claims due replies under the write lock
//! (so each is attempted by one replica at a time), POSTs them outside any transaction, then
//! records the answer. A claim is a lease: a replica that dies mid-attempt leaves the reply
//! to whichever replica looks next once the lease ran out — after a restart, its own.
//!
//! Order per conversation: only the oldest queued reply of a conversation is ever claimed, so
//! a reply waiting for a retry holds back the ones written after it.

use super::queue::{self, Change};
use super::webhook::{self, Verdict};
use crate::error::AppResult;
use crate::state::AppState;
use crate::util;
use convoroom_api::*;
use sqlx::Row;
use std::time::Duration;

/// Replies attempted at once by one replica (each of a different conversation).
const BATCH: i64 = 16;
/// How often a replica looks for replies due without being woken (retries, other replicas'
/// writes, resumed integrations).
const POLL: Duration = Duration::from_millis(500);
/// A claim lasts the attempt's timeout and this much more: past it, the replica that made it
/// is taken to be gone and another (or the restarted one) attempts the reply again, with the
/// same idempotency key.
const LEASE_MARGIN_MS: i64 = 5_000;

pub fn spawn(state: &AppState) {
    let state = state.clone();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = state.deliveries_queued.notified() => {}
                _ = tokio::time::sleep(POLL) => {}
            }
            if let Err(err) = run(&state).await {
                tracing::warn!(error = %err.0.message, "delivery round failed");
            }
        }
    });
}

/// Attempts every reply due now, batch after batch, until none is left.
pub async fn run(state: &AppState) -> AppResult<usize> {
    let mut attempted = 0;
    loop {
        let jobs = claim(state).await?;
        if jobs.is_empty() {
            return Ok(attempted);
        }
        attempted += jobs.len();
        let results =
            futures_util::future::join_all(jobs.into_iter().map(|job| attempt(state, job))).await;
        for result in results {
            result?;
        }
    }
}

struct Job {
    delivery_id: i64,
    /// The claim's expiry, which also identifies the claim when the answer is recorded.
    lease: i64,
}

/// Whether anything is due: a read, so idle replicas do not take the write lock every poll.
async fn anything_due(state: &AppState, now: i64) -> AppResult<bool> {
    let mut conn = state.read().await?;
    let due: Option<i64> = sqlx::query_scalar(
        "SELECT d.id FROM deliveries d JOIN integrations i ON i.id = d.integration_id
         WHERE d.state = 'queued' AND d.next_attempt_ms <= $1 AND d.claimed_until_ms <= $1
           AND i.paused = FALSE LIMIT 1",
    )
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(due.is_some())
}

async fn claim(state: &AppState) -> AppResult<Vec<Job>> {
    let now = util::now_ms();
    if !anything_due(state, now).await? {
        return Ok(Vec::new());
    }
    let mut w = state.write().await?;
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT d.id FROM deliveries d
         JOIN messages m ON m.id = d.message_id
         JOIN integrations i ON i.id = d.integration_id
         WHERE d.state = 'queued' AND d.next_attempt_ms <= $1 AND d.claimed_until_ms <= $1
           AND i.paused = FALSE
           AND NOT EXISTS (SELECT 1 FROM deliveries e JOIN messages em ON em.id = e.message_id
                           WHERE e.state = 'queued' AND e.id < d.id
                             AND em.conversation_id = m.conversation_id)
         ORDER BY d.id LIMIT $2",
    )
    .bind(now)
    .bind(BATCH)
    .fetch_all(w.conn())
    .await?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let lease = now + state.config.delivery_timeout_ms as i64 + LEASE_MARGIN_MS;
    sqlx::query(&format!(
        "UPDATE deliveries SET claimed_until_ms = $1 WHERE id IN ({})",
        util::id_list_sql(&ids)
    ))
    .bind(lease)
    .execute(w.conn())
    .await?;
    w.commit().await?;
    Ok(ids
        .into_iter()
        .map(|delivery_id| Job { delivery_id, lease })
        .collect())
}

/// What a claimed reply is sent with.
async fn payload(state: &AppState, delivery_id: i64) -> AppResult<Option<Outgoing>> {
    let mut conn = state.read().await?;
    let row = sqlx::query(
        "SELECT d.message_id, d.integration_id, d.idempotency_key, d.attempts, d.queued_at_ms,
                m.body, m.attachments, m.created_at AS message_created_at, m.conversation_id,
                a.name AS author_name, c.channel, c.business_address, c.contact_id,
                ct.name AS contact_name, ct.identifier AS contact_identifier,
                (SELECT cc.identifier FROM contact_channels cc
                  WHERE cc.contact_id = c.contact_id AND cc.channel = c.channel
                  ORDER BY cc.identifier LIMIT 1) AS channel_identifier,
                i.webhook_url, i.signing_secret
         FROM deliveries d
         JOIN messages m ON m.id = d.message_id
         JOIN conversations c ON c.id = m.conversation_id
         JOIN contacts ct ON ct.id = c.contact_id
         JOIN integrations i ON i.id = d.integration_id
         LEFT JOIN agents a ON a.id = m.author_id
         WHERE d.id = $1",
    )
    .bind(delivery_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let channel = Channel::parse(&row.get::<String, _>("channel")).unwrap_or(Channel::LiveChat);
    let queued_at_ms: i64 = row.get("queued_at_ms");
    let body = OutboundDelivery {
        event: WebhookEventType::MessageCreated,
        idempotency_key: row.get("idempotency_key"),
        created_at: time::OffsetDateTime::from_unix_timestamp_nanos(
            queued_at_ms as i128 * 1_000_000,
        )
        .map(util::ts)
        .unwrap_or_else(|_| util::now()),
        message: Some(OutboundMessage {
            id: row.get::<i64, _>("message_id").to_string(),
            body: row.get("body"),
            attachments: row
                .get::<Option<String>, _>("attachments")
                .and_then(|a| serde_json::from_str(&a).ok())
                .unwrap_or_default(),
            author_name: row.get("author_name"),
            created_at: row.get("message_created_at"),
        }),
        conversation: Some(OutboundConversation {
            id: row.get::<i64, _>("conversation_id").to_string(),
            channel,
            business_address: row.get("business_address"),
        }),
        contact: Some(OutboundContact {
            id: row.get::<i64, _>("contact_id").to_string(),
            name: row.get("contact_name"),
            identifier: row
                .get::<Option<String>, _>("channel_identifier")
                .or_else(|| row.get("contact_identifier")),
        }),
    };
    Ok(Some(Outgoing {
        message_id: row.get("message_id"),
        integration_id: row.get("integration_id"),
        channel,
        attempts: row.get::<i64, _>("attempts").max(0) as u32,
        queued_at_ms,
        url: row.get("webhook_url"),
        secret: row.get("signing_secret"),
        body,
    }))
}

struct Outgoing {
    message_id: i64,
    integration_id: i64,
    channel: Channel,
    attempts: u32,
    queued_at_ms: i64,
    url: String,
    secret: String,
    body: OutboundDelivery,
}

async fn attempt(state: &AppState, job: Job) -> AppResult<()> {
    let Some(out) = payload(state, job.delivery_id).await? else {
        return Ok(());
    };
    let json = serde_json::to_vec(&out.body)?;
    let timeout = Duration::from_millis(state.config.delivery_timeout_ms);
    let answer = webhook::post(
        &out.url,
        &out.secret,
        out.body.event.as_str(),
        &out.body.idempotency_key,
        json,
        timeout,
    )
    .await;
    let attempts = out.attempts + 1;
    let now = util::now_ms();
    let deadline = out.queued_at_ms + state.config.delivery_max_age_secs as i64 * 1000;
    let (outcome, next_attempt_ms) = match answer.verdict() {
        Verdict::Delivered => (AttemptOutcome::Delivered, None),
        Verdict::Fail => (AttemptOutcome::Failed, None),
        Verdict::Retry => {
            let base = Duration::from_millis(state.config.delivery_retry_base_ms);
            let wait = webhook::backoff(attempts, base, webhook::random_spread())
                .max(answer.retry_after.unwrap_or_default());
            let next = now + wait.as_millis() as i64;
            if next > deadline {
                (AttemptOutcome::Failed, None)
            } else {
                (AttemptOutcome::Retrying, Some(next))
            }
        }
    };
    let mut w = state.write().await?;
    // Recorded only under the claim it was made with: had the lease run out and another
    // replica taken the reply, its own result counts.
    let ours: Option<String> =
        sqlx::query_scalar("SELECT state FROM deliveries WHERE id = $1 AND claimed_until_ms = $2")
            .bind(job.delivery_id)
            .bind(job.lease)
            .fetch_optional(w.conn())
            .await?;
    if ours.as_deref() != Some("queued") {
        return Ok(());
    }
    let state_now = match outcome {
        AttemptOutcome::Delivered => "done",
        AttemptOutcome::Failed => "failed",
        AttemptOutcome::Retrying => "queued",
    };
    sqlx::query(
        "UPDATE deliveries SET state = $1, attempts = $2, claimed_until_ms = 0,
            next_attempt_ms = COALESCE($3, next_attempt_ms) WHERE id = $4",
    )
    .bind(state_now)
    .bind(attempts as i64)
    .bind(next_attempt_ms)
    .bind(job.delivery_id)
    .execute(w.conn())
    .await?;
    let error = (outcome != AttemptOutcome::Delivered).then(|| answer.reason());
    super::log::record(
        &mut w,
        out.integration_id,
        &out.body,
        attempts,
        outcome,
        &answer,
    )
    .await?;
    match outcome {
        AttemptOutcome::Delivered => {
            if let Some(external_id) = serde_json::from_str::<WebhookAnswer>(&answer.body)
                .ok()
                .and_then(|a| a.external_id)
            {
                super::receipts::remember_external_id(
                    &mut w,
                    out.message_id,
                    out.channel,
                    &external_id,
                )
                .await?;
            }
            queue::set_status(
                &mut w,
                out.message_id,
                DeliveryStatus::Sent,
                None,
                Change::Forward,
            )
            .await?;
        }
        AttemptOutcome::Failed => {
            let reason = if answer.verdict() == Verdict::Retry {
                format!(
                    "Not delivered after {attempts} attempts: {}",
                    error.unwrap_or_default()
                )
            } else {
                error.unwrap_or_default()
            };
            queue::set_status(
                &mut w,
                out.message_id,
                DeliveryStatus::Failed,
                Some(reason),
                Change::Forward,
            )
            .await?;
        }
        AttemptOutcome::Retrying => {}
    }
    w.commit().await?;
    Ok(())
}
