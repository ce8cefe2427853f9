//! The OpenAPI 3.1 description of the contract, generated from the handlers and api types.

use crate::{
    agents, ai, auth, canned, contacts, conversations as conv, delivery, events, exchange, inbound,
    message_search, messages, notes, notifications, profile, settings, tokens, uploads, views,
    workspace,
};
use convoroom_api::*;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{Content, Ref, Required, ResponseBuilder};
use utoipa::{Modify, OpenApi};

/// The document and a liveness probe.
pub fn router() -> axum::Router<crate::AppState> {
    axum::Router::new()
        .route("/health", axum::routing::get(health))
        .route("/openapi.json", axum::routing::get(document))
}

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

/// The error responses every operation can give through the extractors it uses, added
/// here once instead of in each handler's annotation (docs/api.md, Errors):
/// - a JSON body (`ApiJson`): 400 malformed or invalid, 413 over 1 MiB;
/// - query parameters (`ApiQuery`): 400 for a value of the wrong type or an unknown cursor;
/// - a path id (`path_id`): 404 for an unknown or non-numeric id, or one the caller may not see;
/// - an `If-Match` header (`error::if_match`): 400 when it is not a version, 409 when the
///   current version differs, and 428 when the operation requires it and it is missing;
/// - a bearer token: 401 when it is missing, unknown, expired or revoked, and (`Caller`, so
///   every operation but sign-out, inbound, delivery receipts and the exchange) 403 for an
///   inbound- or embed-scoped API token.
///
/// A response a handler documents itself is kept as it is.
struct SharedErrors;

/// The operations that accept an inbound-scoped token (`AnyCaller`).
const ANY_SCOPE: [&str; 4] = [
    "/api/v1/auth/sign-out",
    "/api/v1/auth/exchange",
    "/api/v1/inbound",
    "/api/v1/deliveries",
];

impl Modify for SharedErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let any_scope = ANY_SCOPE.contains(&path.as_str());
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                add_shared_errors(operation, any_scope);
            }
        }
    }
}

/// `If-Match` as the server reads it (`error::if_match`): a handler's annotation only says
/// whether it takes one (`Option<String>` when optional); the schema and, when the handler
/// gives none, the description are set here, the same for every operation.
const IF_MATCH_PATTERN: &str = r#"^(W/)?"?[0-9]{1,18}"?$"#;

fn describe_if_match(operation: &mut Operation) {
    for param in operation.parameters.iter_mut().flatten() {
        if param.parameter_in != ParameterIn::Header || param.name != "If-Match" {
            continue;
        }
        // A header is never null, even when it is optional.
        param.schema = Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(IF_MATCH_PATTERN))
                .into(),
        );
        if param.description.is_none() {
            param.description = Some(
                "Optional: the version you last saw (`7`, `\"7\"` or `W/\"7\"`); when the \
                 current version differs, 409 with the resource as it is now"
                    .into(),
            );
        }
    }
}

fn add_shared_errors(operation: &mut Operation, any_scope: bool) {
    describe_if_match(operation);
    let params = operation.parameters.as_deref().unwrap_or_default();
    let has = |place: ParameterIn| params.iter().any(|p| p.parameter_in == place);
    let (query, path) = (has(ParameterIn::Query), has(ParameterIn::Path));
    let if_match = params
        .iter()
        .find(|p| p.parameter_in == ParameterIn::Header && p.name == "If-Match")
        .map(|p| p.required == Required::True);
    let body = operation.request_body.is_some();
    let secured = operation
        .security
        .as_ref()
        .is_some_and(|s| s.iter().any(|r| *r != SecurityRequirement::default()));
    let mut add = |status: u16, description: &str| {
        operation
            .responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| {
                ResponseBuilder::new()
                    .description(description)
                    .content(
                        "application/json",
                        Content::new(Some(Ref::from_schema_name("ErrorBody"))),
                    )
                    .build()
                    .into()
            });
    };
    if body || query || if_match.is_some() {
        add(
            400,
            "`invalid_request`: malformed JSON, a wrong type or a failed validation (`field` names it)",
        );
    }
    if let Some(required) = if_match {
        add(
            409,
            "`conflict`: `If-Match` names another version than the current one, which \
             `error.current` holds",
        );
        if required {
            add(428, "`precondition_required`: `If-Match` is missing");
        }
    }
    if body {
        add(413, "`payload_too_large`: the body is over 1 MiB");
    }
    if path {
        add(
            404,
            "`not_found`: an unknown or non-numeric id, or one the caller may not see",
        );
    }
    if secured {
        add(
            401,
            "`unauthorized`: the token is missing, unknown, expired or revoked",
        );
        if !any_scope {
            add(
                403,
                "`forbidden`: an inbound- or embed-scoped API token (inbound tokens may only post to /inbound and /deliveries, embed tokens to /auth/exchange)",
            );
        }
    }
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Health {
    pub status: String,
}

#[utoipa::path(get, path = "/api/v1/health", operation_id = "getHealth", tag = "meta", responses((status = 200, body = Health)))]
pub async fn health() -> axum::Json<Health> {
    axum::Json(Health {
        status: "ok".into(),
    })
}

#[utoipa::path(get, path = "/api/v1/openapi.json", operation_id = "getOpenApiDocument", tag = "meta", responses((status = 200, description = "This document")))]
pub async fn document() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Convoroom API", version = "1", description = "The Convoroom JSON API contract. Conventions: docs/api.md."),
    modifiers(&BearerAuth, &SharedErrors),
    paths(
        health, document,
        auth::sign_in, auth::sign_out, exchange::exchange, exchange::sync_agent,
        agents::create, agents::update, agents::reset_password,
        workspace::me, profile::update_me, workspace::workspace, workspace::agents, workspace::teams, settings::labels::list,
        settings::labels::create, settings::stages::list, settings::attributes::list, settings::attributes::create, settings::attributes::update, settings::attributes::usage, settings::attributes::remove,
        tokens::create, tokens::list, tokens::delete,
        events::stream::ticket, events::stream::stream,
        conv::list::list, conv::create, conv::get, conv::patch::patch, conv::bulk::bulk,
        conv::labels::add_label, conv::labels::remove_label, conv::ownership::put_assignee,
        conv::ownership::add_collaborator, conv::ownership::remove_collaborator,
        conv::status::resolve, conv::status::reopen, conv::snooze::snooze,
        conv::history::sessions, conv::history::audit,
        conv::merge::link, conv::merge::unlink, conv::merge::merge,
        conv::tickets::link, conv::tickets::unlink, conv::tickets::of_contact,
        messages::list, messages::send, messages::mark_read, message_search::search,
        notes::list, notes::create, notes::update, notes::delete,
        ai::review_now, events::presence::heartbeat, events::presence::typing, events::presence::stopped_typing,
        contacts::list, contacts::create, contacts::get, contacts::update, contacts::conversations,
        views::list, views::create, views::update, views::delete,
        canned::list, canned::create, canned::update, canned::delete,
        notifications::list, notifications::read,
        uploads::create, uploads::download,
        settings::dispositions::list, settings::dispositions::create,
        settings::dispositions::update, settings::dispositions::delete,
        settings::teams::set_after_conversation, settings::teams::create, settings::teams::update,
        settings::stages::create, settings::stages::update,
        settings::labels::update, settings::labels::usage, settings::labels::delete,
        inbound::inbound,
        delivery::integrations::list, delivery::integrations::create, delivery::integrations::update,
        delivery::integrations::delete, delivery::integrations::rotate_secret,
        delivery::log::send_test, delivery::log::attempts,
        delivery::receipts::receipt, delivery::receipts::retry,
    ),
    components(schemas(
        ErrorBody, ApiError, ErrorCode, Event, EventPayload, Page<Message>, Page<Contact>, Health,
        SetAssignee, AddCollaborator, ResolveConversation, SnoozeConversation, MessageMatches, Notification, NotificationList, NotificationKind, NotificationPrefs, ReadNotifications, Upload, AttachUpload, Page<DeliveryAttempt>, OutboundDelivery,
        WebhookAnswer,
    ))
)]
pub struct ApiDoc;

pub fn pretty() -> String {
    let mut text = ApiDoc::openapi().to_pretty_json().unwrap_or_default();
    text.push('\n');
    text
}
