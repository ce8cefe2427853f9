//! The committed docs/openapi.json must match the document the server generates.

#[test]
fn openapi_document_is_committed_and_current() {
    let generated = convoroom_server::openapi::pretty();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/openapi.json");
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &generated).expect("write docs/openapi.json");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/openapi.json is out of date with the server's handlers and the api types.\n\
         Regenerate it with: UPDATE_OPENAPI=1 cargo test -p convoroom-server --test suite openapi"
    );
}

/// Every (method, path, operation) of the generated document.
fn operations() -> Vec<(String, String, serde_json::Value)> {
    let document: serde_json::Value =
        serde_json::from_str(&convoroom_server::openapi::pretty()).expect("the document is JSON");
    let paths = document["paths"].as_object().expect("paths");
    let mut out = Vec::new();
    for (path, item) in paths {
        for method in ["get", "put", "post", "patch", "delete"] {
            if let Some(operation) = item.get(method) {
                out.push((method.to_string(), path.clone(), operation.clone()));
            }
        }
    }
    out
}

/// OpenAPI requires operationIds to be unique; generators name methods and types after them
/// (openapi-typescript's `operations` map keeps only the last of two equal ids).
#[test]
fn every_operation_has_a_unique_camel_case_operation_id() {
    let mut seen = std::collections::BTreeMap::new();
    let mut problems = Vec::new();
    for (method, path, operation) in operations() {
        let at = format!("{} {path}", method.to_uppercase());
        let Some(id) = operation["operationId"].as_str() else {
            problems.push(format!("{at}: no operationId"));
            continue;
        };
        let camel = id.starts_with(|c: char| c.is_ascii_lowercase())
            && id.chars().all(|c| c.is_ascii_alphanumeric());
        if !camel {
            problems.push(format!("{at}: operationId {id:?} is not camelCase"));
        }
        if let Some(other) = seen.insert(id.to_string(), at.clone()) {
            problems.push(format!("{at}: operationId {id:?} is also {other}'s"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// An operation that takes `If-Match` documents what it answers to a stale one (409), and
/// one that requires it what it answers without (428).
#[test]
fn if_match_operations_document_their_answers() {
    let mut problems = Vec::new();
    let mut optional = 0;
    for (method, path, operation) in operations() {
        let at = format!("{} {path}", method.to_uppercase());
        let params = operation["parameters"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let Some(if_match) = params
            .iter()
            .find(|p| p["in"] == "header" && p["name"] == "If-Match")
        else {
            continue;
        };
        let responses = &operation["responses"];
        if responses.get("409").is_none() {
            problems.push(format!("{at}: takes If-Match but does not document 409"));
        }
        let required = if_match["required"] == true;
        if required && responses.get("428").is_none() {
            problems.push(format!("{at}: requires If-Match but does not document 428"));
        }
        if !required {
            optional += 1;
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(
        optional > 0,
        "no operation documents an optional If-Match, but many honour one"
    );
}

/// The limits the document declares are the ones the server enforces: both read the
/// constants of `convoroom_api::validate`.
#[test]
fn declared_limits_are_the_servers() {
    use convoroom_api::validate::*;
    let document: serde_json::Value =
        serde_json::from_str(&convoroom_server::openapi::pretty()).expect("the document is JSON");
    let schemas = &document["components"]["schemas"];
    let n = |v: usize| v as u64;
    let limits: &[(&str, &str, &str, u64)] = &[
        ("WriteNote", "body", "maxLength", n(NOTE_MAX_CHARS)),
        ("SendMessage", "body", "maxLength", n(MESSAGE_MAX_CHARS)),
        (
            "SendMessage",
            "client_id",
            "maxLength",
            n(CLIENT_ID_MAX_CHARS),
        ),
        (
            "InboundMessage",
            "from",
            "maxLength",
            n(INBOUND_FROM_MAX_CHARS),
        ),
        (
            "CreateContact",
            "name",
            "maxLength",
            n(CONTACT_NAME_MAX_CHARS),
        ),
        (
            "UpdateContact",
            "name",
            "maxLength",
            n(CONTACT_NAME_MAX_CHARS),
        ),
        (
            "UpdateContact",
            "phone",
            "maxLength",
            n(CONTACT_FIELD_MAX_CHARS),
        ),
        (
            "UpdateContact",
            "email",
            "maxLength",
            n(CONTACT_FIELD_MAX_CHARS),
        ),
        (
            "UpdateContact",
            "external_id",
            "maxLength",
            n(CONTACT_FIELD_MAX_CHARS),
        ),
        (
            "UpdateContact",
            "gender",
            "maxLength",
            n(CONTACT_FIELD_MAX_CHARS),
        ),
        (
            "UpdateContact",
            "city",
            "maxLength",
            n(CONTACT_FIELD_MAX_CHARS),
        ),
        (
            "UpdateContact",
            "country",
            "maxLength",
            n(CONTACT_FIELD_MAX_CHARS),
        ),
        ("AddLabel", "label", "maxLength", n(LABEL_MAX_CHARS)),
        ("BulkUpdate", "add_label", "maxLength", n(LABEL_MAX_CHARS)),
        (
            "BulkUpdate",
            "conversation_ids",
            "maxItems",
            n(BULK_MAX_CONVERSATIONS),
        ),
        ("CreateLabel", "name", "maxLength", n(LABEL_MAX_CHARS)),
        ("WriteView", "name", "maxLength", n(VIEW_NAME_MAX_CHARS)),
        (
            "CreateApiToken",
            "name",
            "maxLength",
            n(TOKEN_NAME_MAX_CHARS),
        ),
        (
            "UpdateConversation",
            "disposition",
            "maxLength",
            n(DISPOSITION_MAX_CHARS),
        ),
        (
            "UpdateConversation",
            "wrap_up_note",
            "maxLength",
            n(WRAP_UP_NOTE_MAX_CHARS),
        ),
        (
            "WriteTicket",
            "title",
            "maxLength",
            n(TICKET_TITLE_MAX_CHARS),
        ),
        ("WriteTicket", "title", "minLength", 1),
        ("WriteTicket", "url", "maxLength", n(TICKET_URL_MAX_CHARS)),
        (
            "InboundMessage",
            "to",
            "maxLength",
            n(BUSINESS_ADDRESS_MAX_CHARS),
        ),
        (
            "CreateConversation",
            "business_address",
            "maxLength",
            n(BUSINESS_ADDRESS_MAX_CHARS),
        ),
        ("UpdateConversation", "csat", "minimum", u64::from(CSAT_MIN)),
        ("UpdateConversation", "csat", "maximum", u64::from(CSAT_MAX)),
        (
            "ResolveConversation",
            "disposition",
            "maxLength",
            n(DISPOSITION_MAX_CHARS),
        ),
        (
            "ResolveConversation",
            "wrap_up_note",
            "maxLength",
            n(WRAP_UP_NOTE_MAX_CHARS),
        ),
    ];
    let mut problems = Vec::new();
    for &(schema, property, keyword, want) in limits {
        let declared = &schemas[schema]["properties"][property];
        // A nullable property may wrap its schema in `oneOf: [{type: null}, {…}]`.
        let candidates = std::iter::once(declared).chain(
            declared["oneOf"]
                .as_array()
                .into_iter()
                .flatten()
                .chain(declared["anyOf"].as_array().into_iter().flatten()),
        );
        let found = candidates.filter_map(|c| c[keyword].as_u64()).next();
        if found != Some(want) {
            problems.push(format!(
                "{schema}.{property}: {keyword} is {found:?} in the document, {want} in api::validate"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
