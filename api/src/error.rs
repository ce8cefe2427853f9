use serde::{Deserialize, Serialize};

/// The body of every non-2xx response: `{ "error": { "code", "message", "field"? } }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ApiError,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    pub code: ErrorCode,
    /// A sentence a person can read.
    pub message: String,
    /// The request field at fault, for validation errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// On `conflict`: the resource as it is now, so the client can show both versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<serde_json::Value>,
    /// On `not_found` for a conversation that was merged: the conversation it lives on in
    /// (when the caller may see it), so an old address can open it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<crate::Id>,
}

/// Machine-readable error codes, each tied to one HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: malformed JSON, wrong types or a failed validation.
    InvalidRequest,
    /// 401: missing, unknown or expired token.
    Unauthorized,
    /// 403: authenticated but the role does not allow the action.
    Forbidden,
    /// 404: unknown id, or a resource this caller may not see.
    NotFound,
    /// 409: the `If-Match` version is stale.
    Conflict,
    /// 413: the body is larger than the server accepts.
    PayloadTooLarge,
    /// 428: a write to a versioned resource without `If-Match`.
    PreconditionRequired,
    /// 429: too many attempts; retry later.
    RateLimited,
    /// 500: the server failed; the request may be retried.
    Internal,
    /// 503: a dependency (e.g. the AI analyzer) is unavailable.
    Unavailable,
}

impl ErrorCode {
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::InvalidRequest => 400,
            ErrorCode::Unauthorized => 401,
            ErrorCode::Forbidden => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::Conflict => 409,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::PreconditionRequired => 428,
            ErrorCode::RateLimited => 429,
            ErrorCode::Internal => 500,
            ErrorCode::Unavailable => 503,
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}
