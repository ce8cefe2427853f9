//! Custom attributes shared by conversations and contacts: changes validated against the
//! workspace's attribute definitions.

use crate::error::{AppError, AppResult};
use convoroom_api::*;
use std::collections::BTreeMap;

/// Merges attribute changes (`null` removes) after validating each value against its definition.
pub fn merge_attributes(
    current: &Attributes,
    changes: &BTreeMap<String, Option<AttributeValue>>,
    definitions: &[AttributeDefinition],
) -> AppResult<Attributes> {
    let mut out = current.clone();
    for (key, value) in changes {
        let field = format!("attributes.{key}");
        if key.trim().is_empty() || key.len() > 100 {
            return Err(AppError::field(
                &field,
                "Attribute keys are 1–100 characters",
            ));
        }
        match value {
            None => {
                if let Some(required) = definitions.iter().find(|d| d.key == *key && d.required)
                    && current.contains_key(key)
                {
                    return Err(AppError::field(
                        &field,
                        format!(
                            "{} is required: it can be changed, not cleared",
                            required.name
                        ),
                    ));
                }
                out.remove(key);
            }
            Some(value) => {
                let definition = definitions.iter().find(|d| d.key == *key);
                value
                    .validate(definition)
                    .map_err(|message| AppError::field(&field, message))?;
                out.insert(key.clone(), value.clone());
            }
        }
    }
    Ok(out)
}
