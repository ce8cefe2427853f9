//! Who is signed in. The session (token and agent) is kept in `localStorage` so a reload
//! keeps the agent signed in; a 401 from any request signs them out.

mod sign_in;

pub use sign_in::SignInPage;

use crate::api::ApiClient;
use crate::storage;
use convoroom_api as api;
use leptos::prelude::*;

/// Where the signed-in session is kept (the boot script in `index.html` reads it too).
pub const SESSION_KEY: &str = "convoroom.session";

#[derive(Clone, Copy)]
pub struct Auth {
    pub agent: RwSignal<Option<api::Agent>>,
    client: StoredValue<ApiClient>,
}

impl Auth {
    /// Restores the stored session and keeps storage in step with the client's token.
    pub fn provide(client: ApiClient) -> Auth {
        let stored: Option<api::Session> = storage::load(SESSION_KEY);
        client.token.set(stored.as_ref().map(|s| s.token.clone()));
        let auth = Auth {
            agent: RwSignal::new(stored.map(|s| s.agent)),
            client: StoredValue::new(client.clone()),
        };
        let token = client.token;
        Effect::new(move |_| {
            if token.get().is_none() {
                storage::remove(SESSION_KEY);
                auth.agent.set(None);
            }
        });
        provide_context(auth);
        auth
    }

    /// For a panel embedded in another product: the host supplies the token, and nothing
    /// about the session is kept in this origin's storage.
    pub fn embedded(client: ApiClient, agent: Option<api::Agent>) -> Auth {
        let auth = Auth {
            agent: RwSignal::new(agent),
            client: StoredValue::new(client),
        };
        provide_context(auth);
        auth
    }

    pub fn signed_in(&self) -> bool {
        self.agent.with(Option::is_some)
    }

    pub fn client(&self) -> ApiClient {
        self.client.get_value()
    }

    pub fn start(&self, session: api::Session) {
        storage::save(SESSION_KEY, &session);
        self.client
            .with_value(|c| c.token.set(Some(session.token.clone())));
        self.agent.set(Some(session.agent));
    }

    pub fn sign_out(&self) {
        let client = self.client();
        leptos::task::spawn_local(async move {
            // Best effort: the token is forgotten locally either way.
            let _ = client.sign_out().await;
            client.token.set(None);
        });
    }
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}
