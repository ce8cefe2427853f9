//! The one HTTP client of the app: every call to the JSON API goes through [`ApiClient`].

use convoroom_api as api;
use gloo_net::http::{Method, RequestBuilder};
use leptos::prelude::*;
use serde::{Serialize, de::DeserializeOwned};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

mod canned;
mod delivery;
mod endpoints;
mod media;
mod notifications;
pub mod prefetch;
mod settings;

pub use delivery::ATTEMPTS_PAGE;
pub use endpoints::conversations_path;
pub use media::{resolve_media_url, safe_media_url};

/// A request that takes longer than this is abandoned with a clear error rather than hanging.
pub const REQUEST_TIMEOUT_MS: u32 = 20_000;

/// What went wrong with a request. Its `Display` is a sentence for the agent (never the
/// browser's own error text, which goes to the console instead).
#[derive(Debug, Clone, PartialEq)]
pub enum ClientError {
    /// The server could not be reached (offline, refused, cut off).
    Network(String),
    /// The server did not answer within [`REQUEST_TIMEOUT_MS`].
    Timeout,
    /// The server answered with an error body.
    Api { status: u16, error: api::ApiError },
    /// The server answered something this client does not understand.
    Decode(String),
}

impl ClientError {
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub fn is_conflict(&self) -> bool {
        self.status() == Some(409)
    }

    /// The request may never have reached the server: trying again later can succeed.
    pub fn is_unreachable(&self) -> bool {
        matches!(self, ClientError::Network(_) | ClientError::Timeout)
    }

    /// A conversation's 404 that says where its thread went (it was merged into another).
    pub fn merged_into(&self) -> Option<&str> {
        match self {
            ClientError::Api { error, .. } => error.merged_into.as_deref(),
            _ => None,
        }
    }

    /// The server's current version of a resource sent with a 409.
    pub fn conflict_current<T: DeserializeOwned>(&self) -> Option<T> {
        match self {
            // Through text rather than `from_value`: that would add a second decoder of `T`
            // to the bundle, beside the one every response already uses.
            ClientError::Api { error, .. } => {
                serde_json::from_str(&error.current.as_ref()?.to_string()).ok()
            }
            _ => None,
        }
    }
}

impl std::fmt::Display for ClientError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClientError::Network(_) => f.write_str(
                "Can't reach Convoroom. Check your connection; the app keeps trying.",
            ),
            ClientError::Timeout => {
                f.write_str("Convoroom took too long to answer. Try again in a moment.")
            }
            ClientError::Api { error, .. } => f.write_str(&error.message),
            ClientError::Decode(_) => f.write_str(
                "Convoroom sent an answer this app doesn't understand. Reload the page; if it keeps happening, tell your admin.",
            ),
        }
    }
}

impl std::error::Error for ClientError {}

pub type ApiResult<T> = Result<T, ClientError>;

/// One request in flight: the response's status and body text.
type Exchange = Pin<Box<dyn Future<Output = ApiResult<(u16, String)>>>>;

#[derive(Clone)]
pub struct ApiClient {
    base: Arc<str>,
    /// The bearer token; `None` when signed out.
    pub token: RwSignal<Option<String>>,
}

impl ApiClient {
    pub fn new(base: String, token: Option<String>) -> Self {
        Self {
            base: base.into(),
            token: RwSignal::new(token),
        }
    }

    /// Where to load a media URL this API returned (an attachment, a call recording) from:
    /// site paths are on the API's origin, not necessarily the page's; `None` for a URL that
    /// must not be loaded (`javascript:` and the like). See [`resolve_media_url`].
    pub fn media_url(&self, url: &str, allow_data_image: bool) -> Option<String> {
        resolve_media_url(&self.base, url, allow_data_image)
    }

    /// The full URL of an endpoint, for requests made outside [`ApiClient::send`] (uploads,
    /// which report progress, and files, which are not JSON).
    pub fn endpoint(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> ApiResult<T> {
        self.send(Method::GET, path, None::<&()>, None).await
    }

    pub async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> ApiResult<T> {
        self.send(Method::POST, path, Some(body), None).await
    }

    pub async fn delete<T: DeserializeOwned>(&self, path: &str) -> ApiResult<T> {
        self.send(Method::DELETE, path, None::<&()>, None).await
    }

    pub async fn send<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
        if_match: Option<i64>,
    ) -> ApiResult<T> {
        let body = body
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| ClientError::Decode(e.to_string()))?;
        let (status, text) = self.exchange(method, path, body, if_match).await?;
        if (200..300).contains(&status) {
            let text = if text.trim().is_empty() {
                "null"
            } else {
                &text
            };
            return serde_json::from_str(text).map_err(|e| {
                leptos::logging::warn!("unexpected answer to {path}: {e}");
                ClientError::Decode(e.to_string())
            });
        }
        Err(self.error_reply(status, &text))
    }

    /// The request itself, the same for every endpoint. Boxed, so that its state machine is
    /// compiled once rather than inlined into every endpoint's and every caller's future
    /// (30 KB less wasm, measured).
    fn exchange(
        &self,
        method: Method,
        path: &str,
        body: Option<String>,
        if_match: Option<i64>,
    ) -> Exchange {
        let url = format!("{}{path}", self.base);
        let token = self.token.get_untracked();
        Box::pin(async move {
            if body.is_none()
                && method == Method::GET
                && let Some(reply) = prefetch::reply(&url, token.as_deref()).await
            {
                return Ok(reply);
            }
            fetch(method, &url, token, body, if_match).await
        })
    }

    pub fn error_reply(&self, status: u16, text: &str) -> ClientError {
        if status == 401 {
            self.token.set(None);
        }
        match serde_json::from_str::<api::ErrorBody>(text) {
            Ok(body) => ClientError::Api {
                status,
                error: body.error,
            },
            Err(_) => ClientError::Api {
                status,
                error: api::ApiError {
                    code: api::ErrorCode::Internal,
                    message: match status {
                        502..=504 => format!(
                            "Convoroom is not answering right now (HTTP {status}). Try again in a moment."
                        ),
                        _ => format!(
                            "Convoroom answered with an error (HTTP {status}). Try again in a moment."
                        ),
                    },
                    field: None,
                    current: None,
                    merged_into: None,
                },
            },
        }
    }
}

async fn fetch(
    method: Method,
    url: &str,
    token: Option<String>,
    body: Option<String>,
    if_match: Option<i64>,
) -> ApiResult<(u16, String)> {
    let controller = web_sys::AbortController::new().ok();
    let signal = controller.as_ref().map(|c| c.signal());
    let _timeout = controller.clone().map(|controller| {
        gloo_timers::callback::Timeout::new(REQUEST_TIMEOUT_MS, move || controller.abort())
    });
    let mut builder = RequestBuilder::new(url)
        .method(method)
        .header("Accept", "application/json")
        .abort_signal(signal.as_ref());
    if let Some(token) = token {
        builder = builder.header("Authorization", &format!("Bearer {token}"));
    }
    if let Some(version) = if_match {
        builder = builder.header("If-Match", &version.to_string());
    }
    let request = match body {
        Some(body) => builder
            .header("Content-Type", "application/json")
            .body(body),
        None => builder.build(),
    }
    .map_err(|e| ClientError::Decode(e.to_string()))?;
    let response = request.send().await.map_err(|e| {
        if signal.as_ref().is_some_and(|s| s.aborted()) {
            ClientError::Timeout
        } else {
            leptos::logging::warn!("request to {url} failed: {e}");
            ClientError::Network(e.to_string())
        }
    })?;
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|e| ClientError::Network(e.to_string()))?;
    Ok((status, text))
}

/// A unique `client_id` for a create the server deduplicates (a send, a new conversation), so
/// that repeating the request after a failure cannot make a second one.
pub fn new_client_id(now_ms: i64, random: f64) -> String {
    format!("c{now_ms:x}{:08x}", (random * f64::from(u32::MAX)) as u32)
}

/// The filter as `key=value` pairs, in the field order of the contract.
pub fn query_string<T: Serialize>(value: &T) -> Vec<(String, String)> {
    let Ok(serde_json::Value::Object(map)) = serde_json::to_value(value) else {
        return Vec::new();
    };
    map.into_iter()
        .filter_map(|(key, value)| match value {
            serde_json::Value::String(s) => Some((key, s)),
            serde_json::Value::Bool(b) => Some((key, b.to_string())),
            serde_json::Value::Number(n) => Some((key, n.to_string())),
            _ => None,
        })
        .collect()
}

pub fn encode_query(pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        return String::new();
    }
    let joined: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    format!("?{}", joined.join("&"))
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_become_an_encoded_query() {
        let filter = api::ConversationFilter {
            status: Some(api::Status::Open),
            q: Some("café & co".into()),
            ai_reviewed: Some(true),
            ..Default::default()
        };
        let query = encode_query(&query_string(&filter));
        assert_eq!(
            query,
            "?ai_reviewed=true&q=caf%C3%A9%20%26%20co&status=open"
        );
    }

    #[test]
    fn ids_cannot_escape_their_path_segment() {
        assert_eq!(encode("../admin?x"), "..%2Fadmin%3Fx");
    }
}
