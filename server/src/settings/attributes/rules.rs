//! What an attribute definition may be: its key, name, options and bounds.

use crate::error::{AppError, AppResult};
use convoroom_api::{AttributeDefinition, AttributeType};

pub const NAME_MAX_CHARS: usize = 100;
pub const KEY_MAX_CHARS: usize = 64;
const OPTION_MAX_CHARS: usize = 100;
const OPTIONS_MAX: usize = 100;

/// Lower-case ASCII letters, digits and `_`, starting with a letter: safe in a JSON path.
pub fn is_key(key: &str) -> bool {
    key.len() <= KEY_MAX_CHARS
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The key of a new definition: its name in lower case ASCII, words joined by `_`.
pub fn key_for(name: &str, all: &[AttributeDefinition]) -> String {
    let mut base: String = crate::settings::slug(name, |c| c.is_ascii_alphanumeric())
        .chars()
        .take(56)
        .collect();
    if !base.starts_with(|c: char| c.is_ascii_lowercase()) {
        base.insert_str(0, "attr_");
    }
    crate::settings::unused_key(base, |key| all.iter().any(|d| d.key == key))
}

/// Checks a definition as it would be stored; `all` are the other definitions of its kind.
pub fn check(def: &AttributeDefinition, all: &[AttributeDefinition]) -> AppResult<()> {
    let name = def.name.trim();
    if name.is_empty() || name.chars().count() > NAME_MAX_CHARS {
        return Err(AppError::field(
            "name",
            format!("An attribute's name is 1–{NAME_MAX_CHARS} characters"),
        ));
    }
    if all
        .iter()
        .any(|d| d.key != def.key && d.name.to_lowercase() == name.to_lowercase())
    {
        return Err(AppError::field(
            "name",
            format!("There is an attribute called “{name}” already"),
        ));
    }
    if def.kind == AttributeType::List {
        if def.options.is_empty() || def.options.len() > OPTIONS_MAX {
            return Err(AppError::field(
                "options",
                format!("A list attribute has 1–{OPTIONS_MAX} options"),
            ));
        }
        for (at, option) in def.options.iter().enumerate() {
            if option.trim() != option
                || option.is_empty()
                || option.chars().count() > OPTION_MAX_CHARS
            {
                return Err(AppError::field(
                    "options",
                    format!(
                        "Each option is 1–{OPTION_MAX_CHARS} characters, without spaces around it"
                    ),
                ));
            }
            if def.options[..at].contains(option) {
                return Err(AppError::field(
                    "options",
                    format!("“{option}” is listed twice"),
                ));
            }
        }
    } else if !def.options.is_empty() {
        return Err(AppError::field(
            "options",
            "Only list attributes have options",
        ));
    }
    if def.kind != AttributeType::Number && (def.minimum.is_some() || def.maximum.is_some()) {
        return Err(AppError::field(
            "minimum",
            "Only number attributes have a minimum and maximum",
        ));
    }
    for (field, bound) in [("minimum", def.minimum), ("maximum", def.maximum)] {
        if bound.is_some_and(|b| !b.is_finite()) {
            return Err(AppError::field(field, "Not a finite number"));
        }
    }
    if let (Some(min), Some(max)) = (def.minimum, def.maximum)
        && min > max
    {
        return Err(AppError::field(
            "maximum",
            "The maximum can't be less than the minimum",
        ));
    }
    Ok(())
}

/// A bound as SQL: a literal, because an optional float bound through the Any driver is
/// refused by PostgreSQL (22P03). Finite floats print as valid SQL numbers.
pub fn bound_sql(bound: Option<f64>) -> String {
    bound.map_or("NULL".into(), |b| format!("{b:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use convoroom_api::AttributeTarget;

    fn def(key: &str, kind: AttributeType) -> AttributeDefinition {
        AttributeDefinition {
            key: key.into(),
            name: key.into(),
            applies_to: AttributeTarget::Conversation,
            kind,
            options: vec![],
            minimum: None,
            maximum: None,
            required: false,
            position: 0,
            version: 1,
        }
    }

    #[test]
    fn keys_are_ascii_snake_case_and_never_collide() {
        let all = vec![def("order_number", AttributeType::Text)];
        assert_eq!(key_for("Order number", &all), "order_number_2");
        assert_eq!(key_for("Négociation (2nd)", &all), "n_gociation_2nd");
        assert_eq!(key_for("2nd reason", &all), "attr_2nd_reason");
        assert!(is_key("order_number") && !is_key("Order") && !is_key("a\"b") && !is_key(""));
    }

    #[test]
    fn lists_need_distinct_options_and_only_numbers_have_bounds() {
        let mut list = def("plan", AttributeType::List);
        assert!(check(&list, &[]).is_err(), "no options");
        list.options = vec!["Pro".into(), "Pro".into()];
        assert!(check(&list, &[]).is_err(), "twice");
        list.options = vec!["Free".into(), "Pro".into()];
        assert!(check(&list, &[]).is_ok());
        list.minimum = Some(1.0);
        assert!(check(&list, &[]).is_err());
        let mut number = def("score", AttributeType::Number);
        number.minimum = Some(5.0);
        number.maximum = Some(1.0);
        assert!(check(&number, &[]).is_err());
        let mut other = def("other", AttributeType::Text);
        other.name = "SCORE".into();
        assert!(
            check(&number_named("score"), &[other]).is_err(),
            "same name"
        );
    }

    fn number_named(name: &str) -> AttributeDefinition {
        let mut d = def("x", AttributeType::Number);
        d.name = name.into();
        d
    }

    #[test]
    fn bounds_are_written_as_sql_numbers() {
        assert_eq!(bound_sql(None), "NULL");
        assert_eq!(bound_sql(Some(0.0)), "0.0");
        assert_eq!(bound_sql(Some(-2.5)), "-2.5");
        assert_eq!(bound_sql(Some(1e21)), "1e21");
    }
}
