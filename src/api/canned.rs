//! The canned responses the signed-in agent may use, and their writes (an agent's own personal
//! ones; admins' shared ones).

use super::{ApiClient, ApiResult, encode};
use convoroom_api as api;
use gloo_net::http::Method;

impl ApiClient {
    /// The caller's personal responses and the shared ones for everyone or their teams.
    pub async fn canned_responses(&self) -> ApiResult<Vec<api::CannedResponse>> {
        self.get("/canned-responses").await
    }

    pub async fn create_canned_response(
        &self,
        response: &api::NewCannedResponse,
    ) -> ApiResult<api::CannedResponse> {
        self.post("/canned-responses", response).await
    }

    /// Changes a response the caller has seen at `version` (409 when someone changed it since).
    pub async fn update_canned_response(
        &self,
        id: &str,
        version: i64,
        change: &api::UpdateCannedResponse,
    ) -> ApiResult<api::CannedResponse> {
        self.send(
            Method::PATCH,
            &format!("/canned-responses/{}", encode(id)),
            Some(change),
            Some(version),
        )
        .await
    }

    pub async fn delete_canned_response(&self, id: &str) -> ApiResult<()> {
        self.delete(&format!("/canned-responses/{}", encode(id)))
            .await
    }
}
