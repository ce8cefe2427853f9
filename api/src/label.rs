//! The label catalogue: names, scopes (`scope::x`), colours and descriptions, and what a
//! rename or a delete does to the labels a conversation or contact holds (one rule for the
//! server, which rewrites stored labels, and the app, which rewrites the ones it holds).

use serde::{Deserialize, Serialize};

/// The longest description of a catalogue label, in characters.
pub const LABEL_DESCRIPTION_MAX_CHARS: usize = 500;

/// A label in the catalogue. Names containing `::` are scoped (`tier::gold`): a conversation
/// holds at most one label per scope. The `priority` scope is no label at all but the
/// conversation's priority field (`Priority::of_label`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Label {
    pub name: String,
    /// `#rrggbb`
    pub color: String,
    #[serde(default)]
    pub description: String,
}

/// The scope of a scoped label (`tier` of `tier::gold`), if any.
pub fn label_scope(name: &str) -> Option<&str> {
    name.split_once("::").map(|(scope, _)| scope)
}

/// Whether `text` is a colour as labels store it: `#rrggbb`.
pub fn is_hex_color(text: &str) -> bool {
    text.len() == 7 && text.starts_with('#') && text[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateLabel {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
    #[serde(default)]
    pub color: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub description: Option<String>,
}

/// An admin's change to a catalogue label; absent fields stay as they are. A new `name`
/// renames the label on every conversation, contact and saved view holding it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateLabel {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: Option<String>,
    /// `#rrggbb`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub description: Option<String>,
}

/// How many conversations, contacts and saved views hold a label: what deleting it would
/// remove it from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LabelUsage {
    pub conversations: u64,
    pub contacts: u64,
    /// Saved views (anyone's) filtering on the label.
    pub views: u64,
}

/// `labels` after the label `from` was renamed `to`: `to` takes `from`'s place, and as when a
/// scoped label is added, it replaces any other label of its scope (a conversation holding
/// `gold` and `tier::silver` holds `tier::gold` alone once `gold` is renamed `tier::gold`).
/// Labels without `from` come back as they were.
pub fn renamed_labels(labels: &[String], from: &str, to: &str) -> Vec<String> {
    if !labels.iter().any(|l| l == from) {
        return labels.to_vec();
    }
    let scope = label_scope(to);
    let mut out = Vec::with_capacity(labels.len());
    for label in labels {
        if label == from {
            if !out.iter().any(|l: &String| l == to) {
                out.push(to.to_string());
            }
        } else if label != to && (scope.is_none() || label_scope(label) != scope) {
            out.push(label.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn a_rename_keeps_the_place_and_leaves_other_labels_alone() {
        assert_eq!(
            renamed_labels(&labels(&["vip", "refund", "late"]), "refund", "refunds"),
            labels(&["vip", "refunds", "late"])
        );
        assert_eq!(
            renamed_labels(&labels(&["vip"]), "refund", "refunds"),
            labels(&["vip"])
        );
    }

    #[test]
    fn a_renamed_scoped_label_replaces_the_other_label_of_its_scope() {
        assert_eq!(
            renamed_labels(
                &labels(&["tier::silver", "gold", "vip"]),
                "gold",
                "tier::gold"
            ),
            labels(&["tier::gold", "vip"])
        );
        assert_eq!(
            renamed_labels(
                &labels(&["tier::gold", "x"]),
                "tier::gold",
                "tier::platinum"
            ),
            labels(&["tier::platinum", "x"])
        );
        // A label already held under the new name is held once.
        assert_eq!(
            renamed_labels(&labels(&["a", "b"]), "a", "b"),
            labels(&["b"])
        );
    }

    #[test]
    fn colours_are_hash_and_six_hex_digits() {
        assert!(is_hex_color("#1a2B3c"));
        assert!(!is_hex_color("1a2b3c"));
        assert!(!is_hex_color("#1a2b3"));
        assert!(!is_hex_color("#1a2b3g"));
        assert!(!is_hex_color("#ééé"));
    }
}
