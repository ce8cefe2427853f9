//! The OpenAPI 3.1 description of the contract, generated from the handlers and api types.

use crate::{
    ai, auth, contacts, conversations as conv, events, inbound, messages, notes, tokens, views,
    workspace,
};
use convoroom_api::*;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("Session token from sign-in, or an API token"))
                    .build(),
            ),
        );
    }
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Health {
    pub status: String,
}

#[utoipa::path(get, path = "/api/v1/health", tag = "meta", responses((status = 200, body = Health)))]
pub async fn health() -> axum::Json<Health> {
    axum::Json(Health {
        status: "ok".into(),
    })
}

#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta", responses((status = 200, description = "This document")))]
pub async fn document() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Convoroom API", version = "1", description = "The Convoroom JSON API contract. Conventions: docs/api.md."),
    modifiers(&BearerAuth),
    paths(
        health, document,
        auth::sign_in, auth::sign_out,
        workspace::me, workspace::update_me, workspace::workspace, workspace::agents, workspace::teams, workspace::labels,
        workspace::create_label, workspace::pipeline_stages, workspace::attribute_definitions,
        tokens::create, tokens::list, tokens::delete,
        events::stream::ticket, events::stream::stream,
        conv::list::list, conv::create, conv::get, conv::patch::patch, conv::actions::bulk,
        conv::actions::add_label, conv::actions::remove_label, conv::actions::put_assignee,
        conv::actions::add_collaborator, conv::actions::remove_collaborator,
        conv::actions::resolve_handler, conv::actions::reopen,
        conv::history::sessions, conv::history::audit,
        conv::merge::link, conv::merge::unlink, conv::merge::merge,
        messages::list, messages::send, messages::mark_read,
        notes::list, notes::create, notes::update, notes::delete,
        ai::review_now, events::presence::heartbeat,
        contacts::list, contacts::create, contacts::get, contacts::update, contacts::conversations,
        views::list, views::create, views::update, views::delete,
        inbound::inbound,
    ),
    components(schemas(
        ErrorBody, ApiError, ErrorCode, Event, EventPayload, Page<Message>, Page<Contact>, Health,
        conv::actions::SetAssignee, conv::actions::AddCollaborator, conv::actions::Resolve,
    ))
)]
pub struct ApiDoc;

pub fn pretty() -> String {
    let mut text = ApiDoc::openapi().to_pretty_json().unwrap_or_default();
    text.push('\n');
    text
}
