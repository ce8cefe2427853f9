//! Request bodies of a conversation's one-step actions (assign, collaborate, resolve).
//! Reopening takes no body.

use serde::{Deserialize, Serialize};

use crate::Id;

/// `PUT /conversations/{id}/assignee`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetAssignee {
    /// An agent id, or `null` (or absent) to unassign.
    #[serde(default)]
    pub assignee_id: Option<Id>,
}

/// `POST /conversations/{id}/collaborators`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AddCollaborator {
    pub agent_id: Id,
}

/// `POST /conversations/{id}/resolve`: the after-conversation work, saved on the session that
/// ends and on the conversation. The body is optional (none, `null` and `{}` are the same) and
/// so is every field, unless the conversation's team requires it (`Team::after_conversation`;
/// the checks are `ResolveConversation::problem`). A given value replaces the conversation's;
/// an absent one keeps it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResolveConversation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub disposition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 10000))]
    pub wrap_up_note: Option<String>,
    /// Who ended the call; teams may require it for voice conversations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hangup_source: Option<crate::HangupSource>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_read_as_documented() {
        let unassign: SetAssignee = serde_json::from_str(r#"{"assignee_id":null}"#).unwrap();
        assert_eq!(unassign, SetAssignee::default());
        assert_eq!(
            serde_json::to_string(&SetAssignee::default()).unwrap(),
            r#"{"assignee_id":null}"#,
            "unassigning says so explicitly"
        );
        assert_eq!(
            serde_json::to_string(&ResolveConversation::default()).unwrap(),
            "{}"
        );
        let resolve: ResolveConversation =
            serde_json::from_str(r#"{"disposition":"sold"}"#).unwrap();
        assert_eq!(resolve.disposition.as_deref(), Some("sold"));
        assert_eq!(resolve.wrap_up_note, None);
    }
}
