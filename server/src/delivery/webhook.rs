//! One signed POST to an integration's webhook, and what its answer means for the queue.
//!
//! Signing follows Stripe and GitHub: `Convoroom-Signature: t=<unix seconds>,v1=<hex>` where
//! the hex is HMAC-SHA256 of `"<t>.<body>"` keyed with the integration's secret, so a receiver
//! checks the body is ours and can refuse replays older than five minutes.

use hmac::{Hmac, Mac};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use sha2::Sha256;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Longest excerpt of a receiver's answer kept in the delivery log.
pub const EXCERPT_CHARS: usize = 300;
/// More of an answer than this is not read.
const ANSWER_LIMIT: usize = 64 * 1024;
/// The longest wait between two attempts of one message.
const MAX_BACKOFF: Duration = Duration::from_secs(3600);

type HttpsClient = Client<hyper_rustls::HttpsConnector<HttpConnector>, Full<Bytes>>;

fn client() -> &'static HttpsClient {
    static CLIENT: OnceLock<HttpsClient> = OnceLock::new();
    CLIENT.get_or_init(|| {
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_webpki_roots()
            .https_or_http()
            .enable_http1()
            .build();
        Client::builder(hyper_util::rt::TokioExecutor::new()).build(connector)
    })
}

/// The signature header's value for a body sent at `unix_seconds`.
pub fn signature(secret: &str, unix_seconds: i64, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(unix_seconds.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("t={unix_seconds},v1={hex}")
}

/// What one attempt came to.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// Absent when the receiver could not be reached (or did not answer in time).
    pub status: Option<u16>,
    pub error: Option<String>,
    pub body: String,
    /// `Retry-After` of a 429 or 503.
    pub retry_after: Option<Duration>,
    pub duration_ms: u32,
}

impl Answer {
    pub fn excerpt(&self) -> Option<String> {
        let text = self.body.trim();
        (!text.is_empty()).then(|| text.chars().take(EXCERPT_CHARS).collect())
    }

    /// What the queue does next.
    pub fn verdict(&self) -> Verdict {
        match self.status {
            None => Verdict::Retry,
            Some(200..=299) => Verdict::Delivered,
            Some(408 | 429) | Some(500..=599) => Verdict::Retry,
            Some(_) => Verdict::Fail,
        }
    }

    /// Why it did not succeed, for the log and the message's Failed reason.
    pub fn reason(&self) -> String {
        match (self.status, &self.error) {
            (_, Some(error)) => error.clone(),
            (Some(status), None) => match self.excerpt() {
                Some(excerpt) => format!(
                    "The receiver answered HTTP {status}: {}",
                    excerpt.chars().take(120).collect::<String>()
                ),
                None => format!("The receiver answered HTTP {status}"),
            },
            (None, None) => "No answer".to_string(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Delivered,
    /// Timeouts, connection errors, 408, 429 and 5xx: the receiver may take it later.
    Retry,
    /// Any other answer: sending the same request again will not help.
    Fail,
}

/// POSTs `body` to `url`, signed, within `timeout` (connecting, sending and reading the answer).
pub async fn post(
    url: &str,
    secret: &str,
    event: &str,
    idempotency_key: &str,
    body: Vec<u8>,
    timeout: Duration,
) -> Answer {
    let started = Instant::now();
    let elapsed = |started: Instant| started.elapsed().as_millis().min(u32::MAX as u128) as u32;
    let unix = time::OffsetDateTime::now_utc().unix_timestamp();
    let request = hyper::Request::post(url)
        .header("content-type", "application/json")
        .header("user-agent", "Convoroom-Webhooks/1")
        .header("convoroom-event", event)
        .header("idempotency-key", idempotency_key)
        .header("convoroom-signature", signature(secret, unix, &body))
        .body(Full::new(Bytes::from(body)));
    let request = match request {
        Ok(request) => request,
        Err(err) => {
            return Answer {
                status: None,
                error: Some(format!("The webhook URL cannot be used: {err}")),
                body: String::new(),
                retry_after: None,
                duration_ms: 0,
            };
        }
    };
    let exchange = async {
        let response = client().request(request).await.map_err(describe)?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(retry_after);
        let bytes = Limited::new(response.into_body(), ANSWER_LIMIT)
            .collect()
            .await
            .map(|b| b.to_bytes())
            .unwrap_or_default();
        Ok::<_, String>((status, retry_after, bytes))
    };
    match tokio::time::timeout(timeout, exchange).await {
        Ok(Ok((status, retry_after, bytes))) => Answer {
            status: Some(status),
            error: None,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            retry_after,
            duration_ms: elapsed(started),
        },
        Ok(Err(error)) => Answer {
            status: None,
            error: Some(error),
            body: String::new(),
            retry_after: None,
            duration_ms: elapsed(started),
        },
        Err(_) => Answer {
            status: None,
            error: Some(format!(
                "No answer within {} ms",
                timeout.as_millis().min(u32::MAX as u128)
            )),
            body: String::new(),
            retry_after: None,
            duration_ms: elapsed(started),
        },
    }
}

/// A client error in words an admin can act on (the chain's innermost cause says most).
fn describe(err: hyper_util::client::legacy::Error) -> String {
    let mut source: &dyn std::error::Error = &err;
    while let Some(next) = source.source() {
        source = next;
    }
    let detail = source.to_string();
    if err.is_connect() {
        format!("Could not connect: {detail}")
    } else {
        format!("The request failed: {detail}")
    }
}

/// `Retry-After` in seconds or as an HTTP date.
pub fn retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    let at = time::PrimitiveDateTime::parse(value, format)
        .ok()?
        .assume_utc();
    let wait = at - time::OffsetDateTime::now_utc();
    Some(Duration::from_secs(wait.whole_seconds().max(0) as u64))
}

/// The wait before attempt `attempts + 1`: `base` doubled per attempt made, at most an hour,
/// then spread by ±20 % (`spread` in 0..1) so receivers that come back are not hit by every
/// queued message at the same instant.
pub fn backoff(attempts: u32, base: Duration, spread: f64) -> Duration {
    let doubling = 2u32.saturating_pow(attempts.saturating_sub(1).min(30));
    let wait = base.saturating_mul(doubling).min(MAX_BACKOFF);
    wait.mul_f64(0.8 + 0.4 * spread.clamp(0.0, 1.0))
}

/// A uniform number in 0..1 from the OS.
pub fn random_spread() -> f64 {
    let mut bytes = [0u8; 4];
    getrandom::fill(&mut bytes).expect("the OS random source is available");
    u32::from_le_bytes(bytes) as f64 / u32::MAX as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: Option<u16>) -> Answer {
        Answer {
            status,
            error: None,
            body: String::new(),
            retry_after: None,
            duration_ms: 1,
        }
    }

    #[test]
    fn the_signature_is_hmac_sha256_of_timestamp_dot_body() {
        // Computed independently: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
        assert_eq!(
            signature("whsec_test", 1_700_000_000, br#"{"a":1}"#),
            "t=1700000000,v1=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789"
        );
    }

    #[test]
    fn server_errors_timeouts_and_throttling_are_retried_other_refusals_fail_at_once() {
        assert_eq!(answer(Some(200)).verdict(), Verdict::Delivered);
        assert_eq!(answer(Some(204)).verdict(), Verdict::Delivered);
        assert_eq!(answer(None).verdict(), Verdict::Retry);
        for status in [408, 429, 500, 502, 503, 504] {
            assert_eq!(answer(Some(status)).verdict(), Verdict::Retry, "{status}");
        }
        for status in [301, 400, 401, 403, 404, 410, 422] {
            assert_eq!(answer(Some(status)).verdict(), Verdict::Fail, "{status}");
        }
    }

    #[test]
    fn backoff_doubles_is_capped_and_spread() {
        let base = Duration::from_secs(2);
        assert_eq!(backoff(1, base, 0.5), Duration::from_secs(2));
        assert_eq!(backoff(2, base, 0.5), Duration::from_secs(4));
        assert_eq!(backoff(5, base, 0.5), Duration::from_secs(32));
        assert_eq!(backoff(40, base, 0.5), MAX_BACKOFF);
        assert_eq!(backoff(1, base, 0.0), Duration::from_millis(1600));
        assert_eq!(backoff(1, base, 1.0), Duration::from_millis(2400));
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(retry_after("7"), Some(Duration::from_secs(7)));
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon"), None);
    }

    #[test]
    fn reasons_name_the_status_and_the_start_of_the_answer() {
        let mut refused = answer(Some(400));
        refused.body = "unknown recipient".into();
        assert_eq!(
            refused.reason(),
            "The receiver answered HTTP 400: unknown recipient"
        );
        assert_eq!(answer(Some(503)).reason(), "The receiver answered HTTP 503");
    }
}
