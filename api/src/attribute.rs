use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AttributeType {
    Text,
    Number,
    /// `YYYY-MM-DD`
    Date,
    Boolean,
    /// One of the definition's `options`.
    List,
    /// An `http` or `https` URL.
    Link,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AttributeTarget {
    Contact,
    Conversation,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttributeDefinition {
    /// Stable key, e.g. `plan`.
    pub key: String,
    pub name: String,
    pub applies_to: AttributeTarget,
    #[serde(rename = "type")]
    pub kind: AttributeType,
    /// Allowed values of a `list` attribute.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// The smallest value a `number` attribute accepts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<f64>,
    /// The largest value a `number` attribute accepts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<f64>,
    /// A required conversation attribute must be set before the conversation is resolved; a
    /// required value (of either kind of record) cannot be cleared once set.
    #[serde(default)]
    pub required: bool,
    /// Where it is listed among the definitions of its kind of record, from 0.
    #[serde(default)]
    pub position: u32,
    #[serde(default)]
    pub version: i64,
}

/// `POST /attribute-definitions`: a new definition, listed last among its kind of record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateAttributeDefinition {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
    /// Made from the name when absent (`Order number` → `order_number`); letters, digits and
    /// `_` only. It never changes afterwards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    pub applies_to: AttributeTarget,
    #[serde(rename = "type")]
    pub kind: AttributeType,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<f64>,
    #[serde(default)]
    pub required: bool,
}

/// `PATCH /attribute-definitions/{applies_to}/{key}` with `If-Match`: absent fields are left
/// alone. The key never changes, so renaming loses no stored value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateAttributeDefinition {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Only while no record holds a value.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<AttributeType>,
    /// The whole new list of a `list` attribute's options. A value no longer on it stays
    /// stored (and shown) until someone changes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<String>>,
    /// Options renamed, old name → new name (which must be on `options`): every stored value
    /// is rewritten.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub renamed_options: BTreeMap<String, String>,
    /// `null` removes the bound.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::double_option"
    )]
    pub minimum: Option<Option<f64>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::double_option"
    )]
    pub maximum: Option<Option<f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    /// Moves it to this place among its kind's definitions (past the end means last).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<u32>,
}

/// `GET /attribute-definitions/{applies_to}/{key}/usage`: what deleting it would remove.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttributeUsage {
    /// Contacts or conversations holding a value.
    pub records: u64,
}

/// The `attribute_definitions_changed` event: the new definitions, and how stored values
/// changed with them, so open apps rewrite what they hold instead of reading it all again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttributeDefinitionsChanged {
    pub definitions: Vec<AttributeDefinition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<AttributeValuesChange>,
}

/// Stored values rewritten by a definition change: options renamed, or the attribute deleted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttributeValuesChange {
    pub applies_to: AttributeTarget,
    pub key: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub renamed_options: BTreeMap<String, String>,
    /// The attribute was deleted: its values are gone from every record.
    #[serde(default)]
    pub removed: bool,
}

impl AttributeValuesChange {
    /// Rewrites one record's attributes the way the server rewrote the stored ones; whether
    /// anything changed.
    pub fn apply(&self, attributes: &mut Attributes) -> bool {
        if self.removed {
            return attributes.remove(&self.key).is_some();
        }
        match attributes.get_mut(&self.key) {
            Some(AttributeValue::List(choice)) => match self.renamed_options.get(choice.as_str()) {
                Some(renamed) => {
                    *choice = renamed.clone();
                    true
                }
                None => false,
            },
            _ => false,
        }
    }
}

/// `attribute=key:value` of the conversation filter, split; `None` when it has no `:`.
pub fn parse_attribute_filter(text: &str) -> Option<(&str, &str)> {
    text.split_once(':')
        .filter(|(key, value)| !key.is_empty() && !value.is_empty())
}

/// A typed attribute value: `{ "type": "number", "value": 42 }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum AttributeValue {
    Text(String),
    Number(f64),
    Date(String),
    Boolean(bool),
    List(String),
    Link(String),
}

pub type Attributes = BTreeMap<String, AttributeValue>;

impl AttributeValue {
    pub fn kind(&self) -> AttributeType {
        match self {
            AttributeValue::Text(_) => AttributeType::Text,
            AttributeValue::Number(_) => AttributeType::Number,
            AttributeValue::Date(_) => AttributeType::Date,
            AttributeValue::Boolean(_) => AttributeType::Boolean,
            AttributeValue::List(_) => AttributeType::List,
            AttributeValue::Link(_) => AttributeType::Link,
        }
    }

    /// Checks the value against its definition; the error is a sentence for the agent.
    pub fn validate(&self, definition: Option<&AttributeDefinition>) -> Result<(), String> {
        if let Some(def) = definition
            && def.kind != self.kind()
        {
            return Err(format!("{} must be a {:?} value", def.name, def.kind).to_lowercase());
        }
        match self {
            AttributeValue::Text(text) if text.chars().count() > 2000 => {
                Err("text is longer than 2000 characters".into())
            }
            AttributeValue::Number(n) if !n.is_finite() => Err("not a finite number".into()),
            AttributeValue::Number(n) => match definition {
                Some(def) if def.minimum.is_some_and(|min| *n < min) => Err(format!(
                    "{} can't be less than {}",
                    def.name,
                    AttributeValue::Number(def.minimum.unwrap_or_default()).display()
                )),
                Some(def) if def.maximum.is_some_and(|max| *n > max) => Err(format!(
                    "{} can't be more than {}",
                    def.name,
                    AttributeValue::Number(def.maximum.unwrap_or_default()).display()
                )),
                _ => Ok(()),
            },
            AttributeValue::Date(date) if !is_iso_date(date) => {
                Err(format!("\"{date}\" is not a date (YYYY-MM-DD)"))
            }
            AttributeValue::List(choice) => match definition {
                Some(def) if !def.options.iter().any(|o| o == choice) => Err(format!(
                    "\"{choice}\" is not one of: {}",
                    def.options.join(", ")
                )),
                _ => Ok(()),
            },
            AttributeValue::Link(url) if !is_http_url(url) => {
                Err(format!("\"{url}\" is not an http(s) link"))
            }
            _ => Ok(()),
        }
    }

    /// The text a filter compares (`attribute=key:value`): booleans as `true`/`false`, the
    /// others as stored. Numbers are not filtered on (`None`).
    pub fn filter_text(&self) -> Option<String> {
        match self {
            AttributeValue::Number(_) => None,
            AttributeValue::Boolean(b) => Some(b.to_string()),
            other => Some(other.display()),
        }
    }

    /// The value as an agent reads it.
    pub fn display(&self) -> String {
        match self {
            AttributeValue::Text(s)
            | AttributeValue::Date(s)
            | AttributeValue::List(s)
            | AttributeValue::Link(s) => s.clone(),
            AttributeValue::Number(n) => {
                if n.fract() == 0.0 && n.abs() < 1e15 {
                    format!("{}", *n as i64)
                } else {
                    n.to_string()
                }
            }
            AttributeValue::Boolean(b) => if *b { "Yes" } else { "No" }.to_string(),
        }
    }
}

/// `YYYY-MM-DD` with a real month and day (leap years included).
pub fn is_iso_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<u32>().ok();
    let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10)) else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// An absolute `http://` or `https://` URL with a host and no whitespace or control characters.
pub fn is_http_url(text: &str) -> bool {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    match rest {
        Some(rest) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && !text.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked_for_real_calendar_days() {
        assert!(is_iso_date("2024-02-29"));
        assert!(!is_iso_date("2023-02-29"));
        assert!(!is_iso_date("2023-13-01"));
        assert!(!is_iso_date("2023-1-01"));
        assert!(!is_iso_date("yesterday"));
    }

    #[test]
    fn links_must_be_http() {
        assert!(is_http_url("https://example.com/a?b"));
        assert!(!is_http_url("javascript:alert(1)"));
        assert!(!is_http_url("https://"));
        assert!(!is_http_url("https://exa mple.com"));
    }

    #[test]
    fn list_values_must_be_an_option() {
        let def = AttributeDefinition {
            key: "plan".into(),
            name: "Plan".into(),
            applies_to: AttributeTarget::Contact,
            kind: AttributeType::List,
            options: vec!["Free".into(), "Pro".into()],
            minimum: None,
            maximum: None,
            required: false,
            position: 0,
            version: 1,
        };
        assert!(
            AttributeValue::List("Pro".into())
                .validate(Some(&def))
                .is_ok()
        );
        let err = AttributeValue::List("Gold".into())
            .validate(Some(&def))
            .unwrap_err();
        assert!(err.contains("Free, Pro"), "{err}");
        assert!(AttributeValue::Number(3.0).validate(Some(&def)).is_err());
    }

    #[test]
    fn numbers_stay_within_their_bounds() {
        let def = AttributeDefinition {
            key: "lifetime_value".into(),
            name: "Lifetime value".into(),
            applies_to: AttributeTarget::Contact,
            kind: AttributeType::Number,
            options: vec![],
            minimum: Some(0.0),
            maximum: Some(1_000_000.0),
            required: false,
            position: 0,
            version: 1,
        };
        assert!(AttributeValue::Number(0.0).validate(Some(&def)).is_ok());
        assert_eq!(
            AttributeValue::Number(-5.0)
                .validate(Some(&def))
                .unwrap_err(),
            "Lifetime value can't be less than 0"
        );
        assert_eq!(
            AttributeValue::Number(2e6)
                .validate(Some(&def))
                .unwrap_err(),
            "Lifetime value can't be more than 1000000"
        );
        assert!(AttributeValue::Number(-5.0).validate(None).is_ok());
    }

    #[test]
    fn renamed_options_and_deletions_rewrite_held_values() {
        let mut held = Attributes::new();
        held.insert("plan".into(), AttributeValue::List("Pro".into()));
        held.insert("city".into(), AttributeValue::Text("Pro".into()));
        let rename = AttributeValuesChange {
            applies_to: AttributeTarget::Contact,
            key: "plan".into(),
            renamed_options: [("Pro".to_string(), "Professional".to_string())].into(),
            removed: false,
        };
        assert!(rename.apply(&mut held));
        assert_eq!(held["plan"], AttributeValue::List("Professional".into()));
        assert!(
            !rename.apply(&mut held),
            "a value not renamed is left alone"
        );
        let removal = AttributeValuesChange {
            key: "city".into(),
            renamed_options: BTreeMap::new(),
            removed: true,
            ..rename
        };
        assert!(removal.apply(&mut held));
        assert!(!held.contains_key("city"));
    }

    #[test]
    fn attribute_filters_split_at_the_first_colon() {
        assert_eq!(
            parse_attribute_filter("reason:Refund: partial"),
            Some(("reason", "Refund: partial"))
        );
        assert_eq!(parse_attribute_filter("reason"), None);
        assert_eq!(parse_attribute_filter(":x"), None);
        assert_eq!(
            AttributeValue::Boolean(true).filter_text().as_deref(),
            Some("true")
        );
        assert_eq!(AttributeValue::Number(2.0).filter_text(), None);
    }

    #[test]
    fn values_serialise_as_tagged_objects() {
        let json = serde_json::to_string(&AttributeValue::Number(42.0)).unwrap();
        assert_eq!(json, r#"{"type":"number","value":42.0}"#);
        let back: AttributeValue =
            serde_json::from_str(r#"{"type":"boolean","value":true}"#).unwrap();
        assert_eq!(back, AttributeValue::Boolean(true));
    }
}
