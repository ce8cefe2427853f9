//! The JSON error envelope and extractors whose rejections use it
//! (axum's own rejections are plain text).

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use convoroom_api::{ApiError, ErrorBody, ErrorCode};
use serde::de::DeserializeOwned;

#[derive(Debug)]
pub struct AppError(pub ApiError);

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> AppError {
        AppError(ApiError {
            code,
            message: message.into(),
            field: None,
            current: None,
            merged_into: None,
        })
    }
    pub fn bad_request(message: impl Into<String>) -> AppError {
        AppError::new(ErrorCode::InvalidRequest, message)
    }
    pub fn field(field: &str, message: impl Into<String>) -> AppError {
        let mut err = AppError::bad_request(message);
        err.0.field = Some(field.to_string());
        err
    }
    pub fn not_found(what: &str) -> AppError {
        AppError::new(ErrorCode::NotFound, format!("{what} not found"))
    }
    pub fn unauthorized() -> AppError {
        AppError::new(
            ErrorCode::Unauthorized,
            "Sign in first: the token is missing, unknown or expired",
        )
    }
    pub fn forbidden(message: impl Into<String>) -> AppError {
        AppError::new(ErrorCode::Forbidden, message)
    }
    pub fn conflict(current: impl serde::Serialize) -> AppError {
        let mut err = AppError::new(
            ErrorCode::Conflict,
            "Someone else changed this in the meantime; reload and try again",
        );
        err.0.current = serde_json::to_value(current).ok();
        err
    }
    pub fn precondition_required() -> AppError {
        AppError::new(
            ErrorCode::PreconditionRequired,
            "Send If-Match with the version you last saw",
        )
    }
    pub fn internal() -> AppError {
        AppError::new(ErrorCode::Internal, "The server failed; try again")
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.code.http_status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, axum::Json(ErrorBody { error: self.0 })).into_response()
    }
}

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> AppError {
        // Text PostgreSQL cannot store (a NUL character) is the client's input, not a failure;
        // the extractors refuse it first, on both databases (see `refuse_nul`).
        if let sqlx::Error::Database(db) = &err
            && db.code().as_deref() == Some("22021")
        {
            return AppError::bad_request(NUL_REFUSED);
        }
        tracing::error!(error = %err, "database error");
        AppError::internal()
    }
}

const NUL_REFUSED: &str = "Text may not contain the NUL character (U+0000)";

/// Refuses a JSON body holding a NUL character (`\u0000`): PostgreSQL text cannot store one,
/// and both databases take the same input.
pub fn refuse_nul(json: &[u8]) -> AppResult<()> {
    let mut backslashes = 0;
    for (i, byte) in json.iter().enumerate() {
        if *byte == b'\\' {
            backslashes += 1;
            continue;
        }
        // `\u0000` escapes NUL unless its backslash is itself escaped (`\\u0000` is text).
        if backslashes % 2 == 1 && json[i..].starts_with(b"u0000") {
            return Err(AppError::bad_request(NUL_REFUSED));
        }
        backslashes = 0;
    }
    Ok(())
}

impl From<serde_json::Error> for AppError {
    fn from(err: serde_json::Error) -> AppError {
        tracing::error!(error = %err, "json error");
        AppError::internal()
    }
}

/// `Json<T>` whose rejections are the contract's JSON errors.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !json_content_type(req.headers()) {
            return Err(AppError::bad_request(
                "Send the body as JSON with Content-Type: application/json",
            ));
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::new(
                        ErrorCode::PayloadTooLarge,
                        "The body is larger than the server accepts (1 MiB)",
                    )
                } else {
                    AppError::bad_request(rejection.body_text())
                }
            })?;
        refuse_nul(&bytes)?;
        // Serde's derive also reads a struct from an array of its fields in order; every body
        // of the contract is an object (or, where documented, null), never an array.
        if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
            return Err(AppError::bad_request(
                "The body is a JSON object, not an array",
            ));
        }
        match axum::Json::<T>::from_bytes(&bytes) {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

/// `application/json` or any `…+json` type, as axum's `Json` accepts.
fn json_content_type(headers: &axum::http::HeaderMap) -> bool {
    let Some(value) = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let mime = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let Some((kind, subtype)) = mime.split_once('/') else {
        return false;
    };
    kind == "application" && (subtype == "json" || subtype.ends_with("+json"))
}

fn json_rejection(rejection: JsonRejection) -> AppError {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => {
            AppError::bad_request("Send the body as JSON with Content-Type: application/json")
        }
        JsonRejection::JsonSyntaxError(err) => {
            AppError::bad_request(format!("The body is not valid JSON: {}", err.body_text()))
        }
        JsonRejection::JsonDataError(err) => {
            let text = err.body_text();
            let mut error = AppError::bad_request(text.clone());
            // serde reports "field: message" for nested paths; surface the field.
            if let Some((field, _)) = text
                .strip_prefix("Failed to deserialize the JSON body into the target type: ")
                .and_then(|rest| rest.split_once(": "))
                && !field.contains(' ')
            {
                error.0.field = Some(field.to_string());
            }
            error
        }
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => AppError::new(
            ErrorCode::PayloadTooLarge,
            "The body is larger than the server accepts (1 MiB)",
        ),
        other => AppError::bad_request(other.body_text()),
    }
}

/// `Query<T>` whose rejections are the contract's JSON errors.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        // `%00` is the only way to put NUL into a query string.
        if parts.uri.query().is_some_and(|q| q.contains("%00")) {
            return Err(AppError::bad_request(NUL_REFUSED));
        }
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(ApiQuery(value)),
            Err(QueryRejection::FailedToDeserializeQueryString(err)) => {
                Err(AppError::bad_request(err.body_text()))
            }
            Err(other) => Err(AppError::bad_request(other.body_text())),
        }
    }
}

/// Path ids are decimal integers; anything else is an unknown id (404), never a 400/500.
pub fn path_id(text: &str, what: &str) -> AppResult<i64> {
    crate::util::parse_id(text).ok_or_else(|| AppError::not_found(what))
}

/// Ids inside bodies: a non-numeric id names nothing the caller can reach.
pub fn body_id(text: &str, field: &str) -> AppResult<i64> {
    crate::util::parse_id(text)
        .ok_or_else(|| AppError::field(field, format!("{field} is not a known id")))
}

/// The `If-Match` version, when sent. Accepts `7`, `"7"` and `W/"7"`: exactly what the
/// document's pattern for the header says (openapi.rs), so a client that checks the pattern
/// and the server agree (no sign, no repeated quotes, at most 18 digits).
pub fn if_match(headers: &axum::http::HeaderMap) -> AppResult<Option<i64>> {
    let Some(value) = headers.get(axum::http::header::IF_MATCH) else {
        return Ok(None);
    };
    let text = value.to_str().unwrap_or("").trim();
    let text = text.strip_prefix("W/").unwrap_or(text);
    let text = text.strip_prefix('"').unwrap_or(text);
    let text = text.strip_suffix('"').unwrap_or(text);
    crate::util::parse_id(text).map(Some).ok_or_else(|| {
        AppError::field("If-Match", "If-Match must be the resource's version number")
    })
}

pub fn require_if_match(headers: &axum::http::HeaderMap) -> AppResult<i64> {
    if_match(headers)?.ok_or_else(AppError::precondition_required)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(value: &str) -> AppResult<Option<i64>> {
        let mut headers = axum::http::HeaderMap::new();
        headers.insert(
            axum::http::header::IF_MATCH,
            value.parse().expect("a header value"),
        );
        if_match(&headers)
    }

    #[test]
    fn if_match_takes_what_the_documented_pattern_allows() {
        for ok in ["7", "\"7\"", "W/\"7\"", "W/7", "123456789012345678"] {
            assert!(matches!(version(ok), Ok(Some(_))), "{ok} is a version");
        }
        for bad in [
            "",
            "+7",
            "-7",
            "\"\"7\"\"",
            "7.0",
            "W/",
            "1234567890123456789",
            "seven",
        ] {
            assert!(version(bad).is_err(), "{bad} is refused");
        }
        assert_eq!(if_match(&axum::http::HeaderMap::new()).ok(), Some(None));
    }
}
