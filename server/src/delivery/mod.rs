//! Replies reach the customer: channel integrations (`integrations.rs`), the durable queue
//! every reply is written to with the message (`queue.rs`), the worker that POSTs it, signed,
//! to the integration's webhook and retries (`worker.rs`, `webhook.rs`), the log of every
//! attempt (`log.rs`), and the receipts the integration sends back (`receipts.rs`).

pub mod integrations;
pub mod log;
pub mod queue;
pub mod receipts;
pub mod webhook;
pub mod worker;

use crate::state::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(integrations::router())
        .merge(log::router())
        .merge(receipts::router())
}
