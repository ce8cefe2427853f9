//! One function per endpoint of the contract, named after what it does.

use super::{ApiClient, ApiResult, encode, encode_query, query_string};
use convoroom_api as api;
use gloo_net::http::Method;

impl ApiClient {
    pub async fn sign_in(&self, email: String, password: String) -> ApiResult<api::Session> {
        self.post("/auth/sign-in", &api::SignIn { email, password })
            .await
    }

    pub async fn sign_out(&self) -> ApiResult<()> {
        self.post("/auth/sign-out", &()).await
    }

    pub async fn workspace(&self) -> ApiResult<api::Workspace> {
        self.get("/workspace").await
    }

    /// Changes the signed-in agent's own profile (name, picture, password, availability).
    pub async fn update_me(&self, change: &api::UpdateMe) -> ApiResult<api::Agent> {
        self.send(Method::PATCH, "/me", Some(change), None).await
    }

    pub async fn set_availability(&self, availability: api::Availability) -> ApiResult<api::Agent> {
        self.send(
            Method::PATCH,
            "/me",
            Some(&api::UpdateMe {
                availability: Some(availability),
                ..Default::default()
            }),
            None,
        )
        .await
    }

    pub async fn conversations(
        &self,
        filter: &api::ConversationFilter,
        cursor: Option<&str>,
    ) -> ApiResult<api::ConversationPage> {
        self.get(&conversations_path(filter, cursor)).await
    }

    pub async fn conversation(&self, id: &str) -> ApiResult<api::Conversation> {
        self.get(&format!("/conversations/{}", encode(id))).await
    }

    pub async fn messages(
        &self,
        id: &str,
        before: Option<&str>,
    ) -> ApiResult<api::Page<api::Message>> {
        let query: Vec<(String, String)> = before
            .map(|b| ("before".to_string(), b.to_string()))
            .into_iter()
            .collect();
        self.get(&format!(
            "/conversations/{}/messages{}",
            encode(id),
            encode_query(&query)
        ))
        .await
    }

    pub async fn send_message(
        &self,
        id: &str,
        message: &api::SendMessage,
    ) -> ApiResult<api::Message> {
        self.post(&format!("/conversations/{}/messages", encode(id)), message)
            .await
    }

    pub async fn mark_read(&self, id: &str) -> ApiResult<()> {
        self.post(&format!("/conversations/{}/read", encode(id)), &())
            .await
    }

    /// Resolves with the after-conversation work the team asks for (`body` may be empty).
    pub async fn resolve(
        &self,
        id: &str,
        body: &api::ResolveConversation,
    ) -> ApiResult<api::Conversation> {
        self.post(&format!("/conversations/{}/resolve", encode(id)), body)
            .await
    }

    /// Snoozes until `body.until`; the server reopens it then, or when the customer writes.
    pub async fn snooze(
        &self,
        id: &str,
        body: &api::SnoozeConversation,
    ) -> ApiResult<api::Conversation> {
        self.post(&format!("/conversations/{}/snooze", encode(id)), body)
            .await
    }

    pub async fn reopen(&self, id: &str) -> ApiResult<api::Conversation> {
        // Reopening takes no body.
        self.send(
            Method::POST,
            &format!("/conversations/{}/reopen", encode(id)),
            None::<&()>,
            None,
        )
        .await
    }

    pub async fn update_conversation(
        &self,
        id: &str,
        version: i64,
        patch: &api::UpdateConversation,
    ) -> ApiResult<api::Conversation> {
        self.send(
            Method::PATCH,
            &format!("/conversations/{}", encode(id)),
            Some(patch),
            Some(version),
        )
        .await
    }

    pub async fn assign(
        &self,
        id: &str,
        assignee_id: Option<&str>,
    ) -> ApiResult<api::Conversation> {
        let body = api::SetAssignee {
            assignee_id: assignee_id.map(str::to_string),
        };
        self.send(
            Method::PUT,
            &format!("/conversations/{}/assignee", encode(id)),
            Some(&body),
            None,
        )
        .await
    }

    pub async fn add_collaborator(&self, id: &str, agent_id: &str) -> ApiResult<api::Conversation> {
        let body = api::AddCollaborator {
            agent_id: agent_id.to_string(),
        };
        self.post(
            &format!("/conversations/{}/collaborators", encode(id)),
            &body,
        )
        .await
    }

    pub async fn remove_collaborator(
        &self,
        id: &str,
        agent_id: &str,
    ) -> ApiResult<api::Conversation> {
        self.delete(&format!(
            "/conversations/{}/collaborators/{}",
            encode(id),
            encode(agent_id)
        ))
        .await
    }

    pub async fn add_label(&self, id: &str, label: &str) -> ApiResult<api::Conversation> {
        let body = api::AddLabel {
            label: label.to_string(),
        };
        self.post(&format!("/conversations/{}/labels", encode(id)), &body)
            .await
    }

    pub async fn remove_label(&self, id: &str, label: &str) -> ApiResult<api::Conversation> {
        self.delete(&format!(
            "/conversations/{}/labels/{}",
            encode(id),
            encode(label)
        ))
        .await
    }

    pub async fn notes(&self, id: &str) -> ApiResult<Vec<api::Note>> {
        self.get(&format!("/conversations/{}/notes", encode(id)))
            .await
    }

    pub async fn create_note(&self, id: &str, body: String) -> ApiResult<api::Note> {
        self.post(
            &format!("/conversations/{}/notes", encode(id)),
            &api::WriteNote { body },
        )
        .await
    }

    pub async fn update_note(
        &self,
        note_id: &str,
        version: i64,
        body: String,
    ) -> ApiResult<api::Note> {
        let body = api::WriteNote { body };
        self.send(
            Method::PATCH,
            &format!("/notes/{}", encode(note_id)),
            Some(&body),
            Some(version),
        )
        .await
    }

    pub async fn delete_note(&self, note_id: &str) -> ApiResult<()> {
        self.delete(&format!("/notes/{}", encode(note_id))).await
    }

    pub async fn regenerate_ai_review(&self, id: &str) -> ApiResult<api::AiReview> {
        self.post(&format!("/conversations/{}/ai-review", encode(id)), &())
            .await
    }

    pub async fn contacts(&self, q: &str) -> ApiResult<api::Page<api::Contact>> {
        let query = vec![
            ("q".to_string(), q.to_string()),
            ("limit".to_string(), "8".to_string()),
        ];
        self.get(&format!("/contacts{}", encode_query(&query)))
            .await
    }

    pub async fn create_contact(&self, contact: &api::CreateContact) -> ApiResult<api::Contact> {
        self.post("/contacts", contact).await
    }

    pub async fn contact(&self, id: &str) -> ApiResult<api::Contact> {
        self.get(&format!("/contacts/{}", encode(id))).await
    }

    pub async fn update_contact(
        &self,
        id: &str,
        version: i64,
        patch: &api::UpdateContact,
    ) -> ApiResult<api::Contact> {
        self.send(
            Method::PATCH,
            &format!("/contacts/{}", encode(id)),
            Some(patch),
            Some(version),
        )
        .await
    }

    /// Every conversation of a contact across channels, newest first.
    pub async fn contact_conversations(&self, id: &str) -> ApiResult<Vec<api::Conversation>> {
        self.get(&format!("/contacts/{}/conversations", encode(id)))
            .await
    }

    /// The tickets of a contact's conversations (that the agent can see), newest first.
    pub async fn contact_tickets(&self, id: &str) -> ApiResult<Vec<api::Ticket>> {
        self.get(&format!("/contacts/{}/tickets", encode(id))).await
    }

    pub async fn link_contact(&self, id: &str, contact_id: &str) -> ApiResult<api::Conversation> {
        let body = api::LinkContact {
            contact_id: contact_id.to_string(),
        };
        self.post(&format!("/conversations/{}/link", encode(id)), &body)
            .await
    }

    pub async fn unlink_contact(&self, id: &str) -> ApiResult<api::Conversation> {
        self.post(&format!("/conversations/{}/unlink", encode(id)), &())
            .await
    }

    /// Moves conversation `id` into `into`; answers with the surviving conversation.
    pub async fn merge(&self, id: &str, into: &str) -> ApiResult<api::Conversation> {
        let body = api::MergeConversations {
            into_conversation_id: into.to_string(),
        };
        self.post(&format!("/conversations/{}/merge", encode(id)), &body)
            .await
    }

    pub async fn sessions(&self, id: &str) -> ApiResult<Vec<api::ConversationSession>> {
        self.get(&format!("/conversations/{}/sessions", encode(id)))
            .await
    }

    pub async fn audit(&self, id: &str) -> ApiResult<Vec<api::AuditEvent>> {
        self.get(&format!("/conversations/{}/audit", encode(id)))
            .await
    }

    pub async fn start_conversation(
        &self,
        request: &api::CreateConversation,
    ) -> ApiResult<api::Conversation> {
        self.post("/conversations", request).await
    }

    /// Tells the server this agent is looking at the conversation (repeat every ~20 s).
    pub async fn presence(&self, id: &str) -> ApiResult<()> {
        self.post(&format!("/conversations/{}/presence", encode(id)), &())
            .await
    }

    /// The ids of the messages whose text holds `query`, in the whole history.
    pub async fn search_messages(&self, id: &str, query: &str) -> ApiResult<api::MessageMatches> {
        let query = [("q".to_string(), query.to_string())];
        self.get(&format!(
            "/conversations/{}/messages/search{}",
            encode(id),
            encode_query(&query)
        ))
        .await
    }

    /// Marks this agent as typing a reply (repeat every few seconds while typing).
    pub async fn typing(&self, id: &str) -> ApiResult<()> {
        self.post(&format!("/conversations/{}/typing", encode(id)), &())
            .await
    }

    pub async fn stop_typing(&self, id: &str) -> ApiResult<()> {
        self.delete(&format!("/conversations/{}/typing", encode(id)))
            .await
    }

    pub async fn bulk_update(&self, update: &api::BulkUpdate) -> ApiResult<api::BulkResult> {
        self.post("/conversations/bulk", update).await
    }

    /// The caller's saved views (table mode).
    pub async fn views(&self) -> ApiResult<Vec<api::View>> {
        self.get("/views").await
    }

    pub async fn create_view(&self, view: &api::WriteView) -> ApiResult<api::View> {
        self.post("/views", view).await
    }

    pub async fn update_view(
        &self,
        id: &str,
        version: i64,
        view: &api::WriteView,
    ) -> ApiResult<api::View> {
        self.send(
            Method::PATCH,
            &format!("/views/{}", encode(id)),
            Some(view),
            Some(version),
        )
        .await
    }

    pub async fn delete_view(&self, id: &str) -> ApiResult<()> {
        self.delete(&format!("/views/{}", encode(id))).await
    }

    pub async fn stream_ticket(&self) -> ApiResult<api::StreamTicket> {
        self.post("/events/ticket", &()).await
    }

    /// The absolute URL of the event stream for a ticket, resuming after `last_event_id`.
    pub fn events_url(&self, ticket: &str, last_event_id: Option<i64>) -> String {
        let mut query = vec![("ticket".to_string(), ticket.to_string())];
        if let Some(id) = last_event_id {
            query.push(("last_event_id".into(), id.to_string()));
        }
        format!("{}/events{}", self.base, encode_query(&query))
    }
}

/// The path of a page of conversations (the boot script in `index.html` requests the first
/// page of the default filter by this path, ahead of the app).
pub fn conversations_path(filter: &api::ConversationFilter, cursor: Option<&str>) -> String {
    let mut query = query_string(filter);
    if let Some(cursor) = cursor {
        query.push(("cursor".into(), cursor.into()));
    }
    format!("/conversations{}", encode_query(&query))
}
