//! The endpoints of reply delivery: the admins' integrations (Settings → Integrations), their
//! delivery log and test event, and retrying a reply whose delivery failed.

use super::{ApiClient, ApiResult, encode, encode_query};
use convoroom_api as api;
use gloo_net::http::Method;

/// How many delivery-log entries one "Load more" asks for.
pub const ATTEMPTS_PAGE: u32 = 20;

impl ApiClient {
    /// Every integration with its health (admins only).
    pub async fn integrations(&self) -> ApiResult<Vec<api::Integration>> {
        self.get("/integrations").await
    }

    /// Creates one; the answer carries its inbound token and signing secret, this once.
    pub async fn create_integration(
        &self,
        create: &api::CreateIntegration,
    ) -> ApiResult<api::Integration> {
        self.post("/integrations", create).await
    }

    pub async fn update_integration(
        &self,
        id: &str,
        version: i64,
        change: &api::UpdateIntegration,
    ) -> ApiResult<api::Integration> {
        self.send(
            Method::PATCH,
            &format!("/integrations/{}", encode(id)),
            Some(change),
            Some(version),
        )
        .await
    }

    /// Removes it; its queued replies become Failed.
    pub async fn delete_integration(&self, id: &str) -> ApiResult<()> {
        self.delete(&format!("/integrations/{}", encode(id))).await
    }

    /// A new signing secret, in the answer this once; the old one stops working.
    pub async fn rotate_integration_secret(&self, id: &str) -> ApiResult<api::Integration> {
        self.post(&format!("/integrations/{}/rotate-secret", encode(id)), &())
            .await
    }

    /// Sends a signed `test` event to the webhook now: the receiver's answer.
    pub async fn test_integration(&self, id: &str) -> ApiResult<api::DeliveryAttempt> {
        self.post(&format!("/integrations/{}/test", encode(id)), &())
            .await
    }

    /// The delivery log, newest first, a page at a time.
    pub async fn delivery_attempts(
        &self,
        id: &str,
        cursor: Option<&str>,
    ) -> ApiResult<api::Page<api::DeliveryAttempt>> {
        let mut query = vec![("limit".to_string(), ATTEMPTS_PAGE.to_string())];
        if let Some(cursor) = cursor {
            query.push(("cursor".into(), cursor.into()));
        }
        self.get(&format!(
            "/integrations/{}/attempts{}",
            encode(id),
            encode_query(&query)
        ))
        .await
    }

    /// Queues a failed reply again (same idempotency key, so the customer gets it once).
    pub async fn retry_delivery(&self, message_id: &str) -> ApiResult<api::Message> {
        self.post(
            &format!("/messages/{}/retry-delivery", encode(message_id)),
            &(),
        )
        .await
    }
}
