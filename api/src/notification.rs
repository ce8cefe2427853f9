//! The notification centre: what an agent is told about, and which kinds they want.

use crate::{Id, Timestamp};
use serde::{Deserialize, Serialize};

crate::conversation::string_enum!(
    /// Why an agent is notified. Nothing notifies an agent about their own actions.
    NotificationKind {
        /// Another agent made the agent the conversation's assignee.
        Assigned = "assigned" => "Assigned to you",
        /// The customer wrote in a conversation assigned to the agent.
        Message = "message" => "New message",
        /// Another agent mentioned them (`@Name`) in an internal note.
        Mention = "mention" => "Mention",
        /// The customer has waited for a reply longer than the team's alert threshold.
        Waiting = "waiting" => "Waiting too long",
    }
);

/// One notification of the calling agent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notification {
    pub id: Id,
    pub kind: NotificationKind,
    pub conversation_id: Id,
    /// The conversation's contact, as the conversation list names them.
    pub contact_name: String,
    /// The agent whose action it was; absent for the customer and the system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_id: Option<Id>,
    /// The message it is about (the note that mentions, the customer's message).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<Id>,
    /// A short text to show: the message's start, or the conversation's contact name.
    pub preview: String,
    pub created_at: Timestamp,
    pub read: bool,
}

/// `GET /notifications`: the newest notifications first, and how many are unread in all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationList {
    pub items: Vec<Notification>,
    pub unread: u32,
}

/// `POST /notifications/read`: the listed ids, or every unread one when `ids` is absent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReadNotifications {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ids: Option<Vec<Id>>,
}

/// Which kinds the agent is notified of, and whether the app plays a sound. Saved on the
/// agent (`PATCH /me`), read from `GET /workspace`. A kind switched off is not recorded at
/// all, so it counts nowhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationPrefs {
    #[serde(default = "on")]
    pub assigned: bool,
    #[serde(default = "on")]
    pub message: bool,
    #[serde(default = "on")]
    pub mention: bool,
    #[serde(default = "on")]
    pub waiting: bool,
    /// A short tone with each new notification; off until the agent turns it on.
    #[serde(default)]
    pub sound: bool,
}

fn on() -> bool {
    true
}

impl Default for NotificationPrefs {
    fn default() -> Self {
        NotificationPrefs {
            assigned: true,
            message: true,
            mention: true,
            waiting: true,
            sound: false,
        }
    }
}

impl NotificationPrefs {
    pub fn wants(&self, kind: NotificationKind) -> bool {
        match kind {
            NotificationKind::Assigned => self.assigned,
            NotificationKind::Message => self.message,
            NotificationKind::Mention => self.mention,
            NotificationKind::Waiting => self.waiting,
        }
    }

    pub fn with(mut self, kind: NotificationKind, on: bool) -> Self {
        match kind {
            NotificationKind::Assigned => self.assigned = on,
            NotificationKind::Message => self.message = on,
            NotificationKind::Mention => self.mention = on,
            NotificationKind::Waiting => self.waiting = on,
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefs_default_to_every_kind_and_no_sound() {
        let prefs: NotificationPrefs = serde_json::from_str("{}").unwrap();
        assert_eq!(prefs, NotificationPrefs::default());
        assert!(NotificationKind::ALL.iter().all(|k| prefs.wants(*k)));
        assert!(!prefs.sound);
        let off = prefs.with(NotificationKind::Message, false);
        assert!(!off.wants(NotificationKind::Message));
        assert!(off.wants(NotificationKind::Mention));
    }
}
