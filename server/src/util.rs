//! Small helpers shared by the handlers: time, ids, tokens, hashing.

use base64::Engine;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

const TS_FORMAT: &[time::format_description::BorrowedFormatItem<'static>] = time::macros::format_description!(
    "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
);

/// Formats as the contract's timestamp: RFC 3339, UTC, milliseconds, so text order is time order.
pub fn ts(at: OffsetDateTime) -> String {
    at.to_offset(time::UtcOffset::UTC)
        .format(TS_FORMAT)
        .unwrap_or_default()
}

pub fn now() -> String {
    ts(OffsetDateTime::now_utc())
}

/// Now, in milliseconds since the Unix epoch (leases, tickets, presence, rate limits).
pub fn now_ms() -> i64 {
    (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

pub fn parse_ts(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &Rfc3339).ok()
}

/// Ids travel as decimal strings; anything else names nothing.
pub fn parse_id(text: &str) -> Option<i64> {
    if text.is_empty() || text.len() > 18 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// A random 256-bit token, URL-safe.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the OS random source is available");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn sha256_hex(bytes: impl AsRef<[u8]>) -> String {
    let digest = Sha256::digest(bytes.as_ref());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn sha256_b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(bytes))
}

/// Encodes id lists for the comma-wrapped columns of the event log (`,1,3,`).
pub fn comma_ids(ids: &[i64]) -> String {
    let mut out = String::from(",");
    for id in ids {
        out.push_str(&id.to_string());
        out.push(',');
    }
    out
}

pub fn id_list_sql(ids: &[i64]) -> String {
    if ids.is_empty() {
        return "NULL".into();
    }
    ids.iter()
        .map(|id| id.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// The most items one page holds; a larger `limit` counts as this.
pub const MAX_PAGE: u32 = 200;

/// `limit` of a paged listing: any non-negative integer (decimal digits). It is capped,
/// not refused, so a number beyond `u32` becomes `u32::MAX` (and then [`MAX_PAGE`]).
pub fn deserialize_limit<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<u32>, D::Error> {
    use serde::Deserialize;
    let Some(text) = Option::<String>::deserialize(deserializer)? else {
        return Ok(None);
    };
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(serde::de::Error::custom(format!(
            "limit must be a non-negative integer, not {text:?}"
        )));
    }
    Ok(Some(text.parse().unwrap_or(u32::MAX)))
}

/// The OpenAPI schema of `limit`: an integer >= 0 without an upper bound (it is capped).
pub fn limit_schema() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::Integer)
        .minimum(Some(0))
        .description(Some("Page size, default 50; more than 200 counts as 200."))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Query {
        #[serde(default, deserialize_with = "deserialize_limit")]
        limit: Option<u32>,
    }

    /// Through axum's query extractor, as the handlers get it.
    fn limit(query: &str) -> Result<Option<u32>, String> {
        let uri: axum::http::Uri = format!("/x?{query}").parse().map_err(|e| format!("{e}"))?;
        axum::extract::Query::<Query>::try_from_uri(&uri)
            .map(|q| q.0.limit)
            .map_err(|e| e.body_text())
    }

    #[test]
    fn a_limit_is_capped_not_refused() {
        assert_eq!(limit("").unwrap(), None);
        assert_eq!(limit("limit=7").unwrap(), Some(7));
        assert_eq!(limit("limit=2147483648").unwrap(), Some(2147483648));
        assert_eq!(limit("limit=99999999999999999999").unwrap(), Some(u32::MAX));
        for bad in ["limit=", "limit=-1", "limit=1.5", "limit=lots", "limit=+3"] {
            assert!(limit(bad).is_err(), "{bad}");
        }
    }
}
