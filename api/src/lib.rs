//! The Convoroom JSON API contract (version 1).
//!
//! Every type a client or a host helpdesk exchanges with the API lives here, so the
//! browser app and the reference server cannot drift apart. Conventions (auth, errors,
//! pagination, versions, live events) are described in `docs/api.md`.

mod action;
mod after_conversation;
mod agent;
mod attribute;
mod canned;
mod contact;
mod conversation;
mod error;
mod event;
mod integration;
mod label;
pub mod mention;
mod message;
mod note;
mod notification;
mod priority;
pub mod sms;
mod ticket;
pub mod upload;
pub mod validate;
mod view;

pub use action::*;
pub use after_conversation::*;
pub use agent::*;
pub use attribute::*;
pub use canned::*;
pub use contact::*;
pub use conversation::*;
pub use error::*;
pub use event::*;
pub use integration::*;
pub use label::*;
pub use message::*;
pub use note::*;
pub use notification::*;
pub use priority::*;
pub use ticket::*;
pub use upload::{AttachUpload, Upload};
pub use view::*;

/// Path prefix of every endpoint of this contract version.
pub const API_PREFIX: &str = "/api/v1";

/// An RFC 3339 timestamp in UTC, e.g. `2026-11-22T09:30:00.000Z`.
///
/// Kept as text so the browser bundle needs no date library; the fixed
/// format sorts lexicographically in time order.
pub type Timestamp = String;

/// Opaque identifier. Hosts may use any string; the reference server uses decimal integers.
pub type Id = String;

/// One page of a cursor-paginated listing.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Serde's derive also reads a struct from a JSON array (its fields in order), which the
/// contract does not allow: a nested object field that must be an object uses this.
pub(crate) fn object_only<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    use serde::de::Error;
    let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
    if !value.is_object() {
        return Err(D::Error::custom("expected an object"));
    }
    serde_json::from_value(value).map_err(D::Error::custom)
}

/// [`object_only`] for an optional object: `null` is `None`.
pub(crate) fn object_or_null<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    use serde::de::Error;
    match <serde_json::Value as serde::Deserialize>::deserialize(deserializer)? {
        serde_json::Value::Null => Ok(None),
        value if value.is_object() => serde_json::from_value(value)
            .map(Some)
            .map_err(D::Error::custom),
        _ => Err(D::Error::custom("expected an object or null")),
    }
}

/// Serde helper telling "absent" (`None`) from "null" (`Some(None)`) in PATCH bodies.
pub mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(
        value: &Option<Option<T>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(inner) => inner.serialize(serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(deserializer).map(Some)
    }
}
