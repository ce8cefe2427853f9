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
    fn values_serialise_as_tagged_objects() {
        let json = serde_json::to_string(&AttributeValue::Number(42.0)).unwrap();
        assert_eq!(json, r#"{"type":"number","value":42.0}"#);
        let back: AttributeValue =
            serde_json::from_str(r#"{"type":"boolean","value":true}"#).unwrap();
        assert_eq!(back, AttributeValue::Boolean(true));
    }
}
