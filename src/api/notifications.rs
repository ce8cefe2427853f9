//! The signed-in agent's notifications and their switches.

use super::{ApiClient, ApiResult};
use convoroom_api as api;
use gloo_net::http::Method;

impl ApiClient {
    /// The newest `limit` notifications and the unread count.
    pub async fn notifications(&self, limit: usize) -> ApiResult<api::NotificationList> {
        self.get(&format!("/notifications?limit={limit}")).await
    }

    /// Marks the listed ones read, or (`ids: None`) every unread one.
    pub async fn read_notifications(&self, body: &api::ReadNotifications) -> ApiResult<()> {
        self.post("/notifications/read", body).await
    }

    /// Saves which kinds the agent is notified of, and the sound.
    pub async fn save_notification_prefs(
        &self,
        prefs: api::NotificationPrefs,
    ) -> ApiResult<api::Agent> {
        let change = api::UpdateMe {
            notification_prefs: Some(prefs),
            ..Default::default()
        };
        self.send(Method::PATCH, "/me", Some(&change), None).await
    }
}
