//! What an admin types into the attribute form, and the request it becomes. Options are edited
//! in place: a changed option is a rename (stored values follow), a removed one stays on the
//! records that hold it, a new one is added.

use convoroom_api::{
    AttributeDefinition, AttributeTarget, AttributeType, CreateAttributeDefinition,
    UpdateAttributeDefinition,
};
use std::collections::BTreeMap;

pub const TYPES: [(AttributeType, &str); 6] = [
    (AttributeType::Text, "Text"),
    (AttributeType::Number, "Number"),
    (AttributeType::Date, "Date"),
    (AttributeType::Boolean, "Yes / no"),
    (AttributeType::List, "List"),
    (AttributeType::Link, "Link"),
];

pub fn type_label(kind: AttributeType) -> &'static str {
    TYPES
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("Text", |(_, label)| label)
}

/// The value of a type in the form's select.
pub fn type_value(kind: AttributeType) -> &'static str {
    match kind {
        AttributeType::Text => "text",
        AttributeType::Number => "number",
        AttributeType::Date => "date",
        AttributeType::Boolean => "boolean",
        AttributeType::List => "list",
        AttributeType::Link => "link",
    }
}

pub fn type_of(value: &str) -> AttributeType {
    TYPES
        .iter()
        .map(|(k, _)| *k)
        .find(|k| type_value(*k) == value)
        .unwrap_or(AttributeType::Text)
}

/// One option as edited: what it was (none for a new one) and what it says now.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OptionRow {
    pub original: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub name: String,
    pub kind: AttributeType,
    pub options: Vec<OptionRow>,
    pub minimum: String,
    pub maximum: String,
    pub required: bool,
}

impl Default for Draft {
    fn default() -> Self {
        Draft {
            name: String::new(),
            kind: AttributeType::Text,
            options: vec![OptionRow::default()],
            minimum: String::new(),
            maximum: String::new(),
            required: false,
        }
    }
}

fn bound_text(bound: Option<f64>) -> String {
    bound.map(|b| b.to_string()).unwrap_or_default()
}

fn bound(label: &str, text: &str) -> Result<Option<f64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<f64>() {
        Ok(n) if n.is_finite() => Ok(Some(n)),
        _ => Err(format!("The {label} “{text}” is not a number.")),
    }
}

impl Draft {
    pub fn of(def: &AttributeDefinition) -> Draft {
        Draft {
            name: def.name.clone(),
            kind: def.kind,
            options: def
                .options
                .iter()
                .map(|o| OptionRow {
                    original: Some(o.clone()),
                    text: o.clone(),
                })
                .collect(),
            minimum: bound_text(def.minimum),
            maximum: bound_text(def.maximum),
            required: def.required,
        }
    }

    /// The options as they will be stored, and which of the old ones were renamed to what.
    pub fn options(&self) -> Result<(Vec<String>, BTreeMap<String, String>), String> {
        if self.kind != AttributeType::List {
            return Ok((Vec::new(), BTreeMap::new()));
        }
        let mut options: Vec<String> = Vec::new();
        let mut renamed = BTreeMap::new();
        for row in &self.options {
            let text = row.text.trim().to_string();
            if text.is_empty() {
                continue;
            }
            if options.contains(&text) {
                return Err(format!("“{text}” is listed twice."));
            }
            if let Some(original) = &row.original
                && *original != text
            {
                renamed.insert(original.clone(), text.clone());
            }
            options.push(text);
        }
        if options.is_empty() {
            return Err("A list needs at least one option.".into());
        }
        Ok((options, renamed))
    }

    fn bounds(&self) -> Result<(Option<f64>, Option<f64>), String> {
        if self.kind != AttributeType::Number {
            return Ok((None, None));
        }
        Ok((
            bound("minimum", &self.minimum)?,
            bound("maximum", &self.maximum)?,
        ))
    }

    fn name(&self) -> Result<String, String> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err("Give the attribute a name.".into());
        }
        Ok(name.to_string())
    }

    pub fn create(&self, applies_to: AttributeTarget) -> Result<CreateAttributeDefinition, String> {
        let (options, _) = self.options()?;
        let (minimum, maximum) = self.bounds()?;
        Ok(CreateAttributeDefinition {
            name: self.name()?,
            key: None,
            applies_to,
            kind: self.kind,
            options,
            minimum,
            maximum,
            required: self.required,
        })
    }

    /// Only what changed, so an unchanged type is never sent (it is refused while values exist).
    pub fn update(&self, def: &AttributeDefinition) -> Result<UpdateAttributeDefinition, String> {
        let name = self.name()?;
        let (options, renamed_options) = self.options()?;
        let (minimum, maximum) = self.bounds()?;
        Ok(UpdateAttributeDefinition {
            name: (name != def.name).then_some(name),
            kind: (self.kind != def.kind).then_some(self.kind),
            options: (self.kind == AttributeType::List && options != def.options)
                .then_some(options),
            renamed_options,
            minimum: (minimum != def.minimum).then_some(minimum),
            maximum: (maximum != def.maximum).then_some(maximum),
            required: (self.required != def.required).then_some(self.required),
            position: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason() -> AttributeDefinition {
        AttributeDefinition {
            key: "reason".into(),
            name: "Reason".into(),
            applies_to: AttributeTarget::Conversation,
            kind: AttributeType::List,
            options: vec!["Refund".into(), "Delivery".into(), "Other".into()],
            minimum: None,
            maximum: None,
            required: false,
            position: 0,
            version: 3,
        }
    }

    #[test]
    fn an_option_edited_in_place_is_a_rename_and_a_removed_one_is_just_dropped() {
        let mut draft = Draft::of(&reason());
        draft.options[0].text = " Refund request ".into();
        draft.options.remove(1);
        draft.options.push(OptionRow {
            original: None,
            text: "Billing".into(),
        });
        let update = draft.update(&reason()).unwrap();
        assert_eq!(
            update.options,
            Some(vec![
                "Refund request".to_string(),
                "Other".into(),
                "Billing".into()
            ])
        );
        assert_eq!(
            update.renamed_options,
            BTreeMap::from([("Refund".to_string(), "Refund request".to_string())])
        );
        assert_eq!(update.name, None);
        assert_eq!(update.kind, None, "an unchanged type is not sent");
    }

    #[test]
    fn an_unchanged_form_sends_nothing_and_mistakes_are_named() {
        let draft = Draft::of(&reason());
        assert_eq!(
            draft.update(&reason()).unwrap(),
            UpdateAttributeDefinition::default()
        );
        let mut twice = draft.clone();
        twice.options[1].text = "Refund".into();
        assert_eq!(twice.options().unwrap_err(), "“Refund” is listed twice.");
        let mut empty = draft.clone();
        empty.options.iter_mut().for_each(|o| o.text.clear());
        assert!(empty.options().is_err());
        let number = Draft {
            name: "Score".into(),
            kind: AttributeType::Number,
            minimum: "ten".into(),
            ..Draft::default()
        };
        assert_eq!(
            number.create(AttributeTarget::Contact).unwrap_err(),
            "The minimum “ten” is not a number."
        );
        let unnamed = Draft::default();
        assert!(unnamed.create(AttributeTarget::Contact).is_err());
    }

    #[test]
    fn a_bound_cleared_in_the_form_is_removed() {
        let mut score = reason();
        score.kind = AttributeType::Number;
        score.options.clear();
        score.minimum = Some(0.0);
        let mut draft = Draft::of(&score);
        assert_eq!(draft.minimum, "0");
        draft.minimum.clear();
        assert_eq!(draft.update(&score).unwrap().minimum, Some(None));
    }
}
