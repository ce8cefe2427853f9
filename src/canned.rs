//! The canned responses the signed-in agent may use: one list, loaded when the workspace opens,
//! read again when the event stream says one changed (`canned_responses_changed`, or a
//! resync), and shared through context by the composer's picker and Settings → Canned
//! responses, so both always show the same responses.

use crate::api::ClientError;
use crate::live::LiveHub;
use convoroom_api as api;
use leptos::prelude::*;

type Loaded = Result<Vec<api::CannedResponse>, ClientError>;

#[derive(Clone, Copy)]
pub struct CannedResponses(LocalResource<Loaded>);

impl CannedResponses {
    /// Loads the list for everything rendered below the caller and keeps it current.
    pub fn provide(hub: LiveHub) -> CannedResponses {
        let auth = crate::auth::use_auth();
        let resource = LocalResource::new(move || {
            let client = auth.client();
            async move { client.canned_responses().await }
        });
        let canned = CannedResponses(resource);
        hub.subscribe(move |event| {
            if matches!(
                event.payload,
                api::EventPayload::CannedResponsesChanged { .. }
                    | api::EventPayload::ResyncRequired
            ) {
                canned.reload();
            }
        });
        provide_context(canned);
        canned
    }

    /// Reads the list again (after a write here, or a failed load's Try again). What was
    /// shown stays until the new list arrives.
    pub fn reload(&self) {
        self.0.refetch();
    }

    /// The load itself, for a page that shows its progress and its failure.
    pub fn resource(&self) -> LocalResource<Loaded> {
        self.0
    }

    /// The responses as last loaded (tracked); none while the first load runs or after it failed.
    pub fn list(&self) -> Vec<api::CannedResponse> {
        self.0
            .get()
            .and_then(|loaded| loaded.ok())
            .unwrap_or_default()
    }
}

/// The list, where the signed-in shell provides it (not in the embedded panel).
pub fn use_canned() -> Option<CannedResponses> {
    use_context::<CannedResponses>()
}
