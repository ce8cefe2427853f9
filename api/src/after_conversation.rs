//! After-conversation work: the dispositions an agent picks when resolving, what each team
//! requires then, and the resolve request that carries it. The checks live here so that the
//! app (which asks before sending) and the server (which refuses what any client sends) say
//! the same thing in the same words.

use crate::validate::{DISPOSITION_MAX_CHARS, WRAP_UP_NOTE_MAX_CHARS};
use crate::{Channel, Id, ResolveConversation};
use serde::{Deserialize, Serialize};

/// One outcome an agent records when resolving ("Refund issued"), from the workspace's list.
/// Conversations keep the name they were resolved with: renaming or deleting a disposition
/// changes what agents can pick from now on, not what was recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Disposition {
    pub id: Id,
    pub name: String,
    /// Where it is listed, from 0; the list has no gaps.
    pub position: u32,
    /// Archived dispositions are kept but no longer offered when resolving.
    pub archived: bool,
    pub version: i64,
}

/// `POST /dispositions`: a new disposition, added at the end of the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateDisposition {
    pub name: String,
}

/// `PATCH /dispositions/{id}`: absent fields are left alone.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateDisposition {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived: Option<bool>,
    /// Moves it to this place in the list (0 is first; past the end means last); the others
    /// close up around it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<u32>,
}

/// What a team's agents must record when they resolve one of its conversations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AfterConversationRules {
    #[serde(default)]
    pub disposition_required: bool,
    #[serde(default)]
    pub wrap_up_note_required: bool,
    /// Applies to calls (`voice` conversations) only.
    #[serde(default)]
    pub hangup_source_required: bool,
}

impl AfterConversationRules {
    /// Whether the hangup source is asked for on a conversation of this channel.
    pub fn hangup_source_applies(channel: Channel) -> bool {
        channel == Channel::Voice
    }

    /// Whether resolving a conversation of this channel asks for anything.
    pub fn any_for(&self, channel: Channel) -> bool {
        self.disposition_required
            || self.wrap_up_note_required
            || (self.hangup_source_required && Self::hangup_source_applies(channel))
    }
}

/// What is wrong with a resolve request: the field to name and a sentence for the agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveProblem {
    pub field: &'static str,
    pub message: String,
}

impl ResolveConversation {
    /// Text trimmed, and blank text counted as absent.
    pub fn normalised(mut self) -> ResolveConversation {
        let clean =
            |text: Option<String>| text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
        self.disposition = clean(self.disposition);
        self.wrap_up_note = clean(self.wrap_up_note);
        self
    }

    /// The first problem of this (normalised) request for a conversation of `channel` under
    /// `rules`, given the workspace's `dispositions`; `None` when it can be saved.
    pub fn problem(
        &self,
        rules: &AfterConversationRules,
        channel: Channel,
        dispositions: &[Disposition],
    ) -> Option<ResolveProblem> {
        let problem =
            |field: &'static str, message: String| Some(ResolveProblem { field, message });
        match &self.disposition {
            None if rules.disposition_required => {
                return problem(
                    "disposition",
                    "Choose a disposition: this team records one for every conversation it resolves.".into(),
                );
            }
            Some(name) if !dispositions.iter().any(|d| !d.archived && d.name == *name) => {
                return problem(
                    "disposition",
                    format!("“{name}” isn't one of the dispositions. Choose one from the list."),
                );
            }
            _ => {}
        }
        match &self.wrap_up_note {
            None if rules.wrap_up_note_required => {
                return problem(
                    "wrap_up_note",
                    "Write a wrap-up note: this team asks for one when resolving.".into(),
                );
            }
            Some(note) if note.chars().count() > WRAP_UP_NOTE_MAX_CHARS => {
                let count = note.chars().count();
                return problem(
                    "wrap_up_note",
                    format!(
                        "A wrap-up note can be {WRAP_UP_NOTE_MAX_CHARS} characters at most; this one has {count}."
                    ),
                );
            }
            _ => {}
        }
        if self.hangup_source.is_none()
            && rules.hangup_source_required
            && AfterConversationRules::hangup_source_applies(channel)
        {
            return problem(
                "hangup_source",
                "Say who ended the call: this team records it for every call.".into(),
            );
        }
        None
    }
}

/// A disposition's name as it is stored: trimmed, 1–100 characters, unlike any other's
/// (letter case aside). `others` are the names of the other dispositions.
pub fn disposition_name<'a>(
    text: &str,
    others: impl IntoIterator<Item = &'a str>,
) -> Result<String, String> {
    let name = text.trim();
    let count = name.chars().count();
    if count == 0 {
        return Err("Give the disposition a name.".into());
    }
    if count > DISPOSITION_MAX_CHARS {
        return Err(format!(
            "A disposition name can be {DISPOSITION_MAX_CHARS} characters at most; this one has {count}."
        ));
    }
    if others
        .into_iter()
        .any(|other| other.trim().to_lowercase() == name.to_lowercase())
    {
        return Err(format!("There is already a disposition called “{name}”."));
    }
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::HangupSource;

    fn dispositions() -> Vec<Disposition> {
        ["Issue solved", "Old outcome"]
            .iter()
            .enumerate()
            .map(|(i, name)| Disposition {
                id: i.to_string(),
                name: name.to_string(),
                position: i as u32,
                archived: i == 1,
                version: 1,
            })
            .collect()
    }

    const EVERYTHING: AfterConversationRules = AfterConversationRules {
        disposition_required: true,
        wrap_up_note_required: true,
        hangup_source_required: true,
    };

    #[test]
    fn required_fields_are_asked_for_in_order_and_hangup_only_for_calls() {
        let all = dispositions();
        let field = |r: &ResolveConversation, channel| {
            r.clone()
                .normalised()
                .problem(&EVERYTHING, channel, &all)
                .map(|p| p.field)
        };
        let mut request = ResolveConversation {
            disposition: Some("  ".into()),
            ..Default::default()
        };
        assert_eq!(field(&request, Channel::Voice), Some("disposition"));
        request.disposition = Some(" Issue solved ".into());
        assert_eq!(field(&request, Channel::Voice), Some("wrap_up_note"));
        request.wrap_up_note = Some("Fixed it".into());
        assert_eq!(field(&request, Channel::Voice), Some("hangup_source"));
        assert_eq!(field(&request, Channel::Whatsapp), None);
        request.hangup_source = Some(HangupSource::Customer);
        assert_eq!(field(&request, Channel::Voice), None);
        // Nothing required: nothing asked.
        let empty = ResolveConversation::default();
        assert_eq!(
            empty.problem(&AfterConversationRules::default(), Channel::Voice, &all),
            None
        );
        assert!(!AfterConversationRules::default().any_for(Channel::Voice));
        let calls_only = AfterConversationRules {
            hangup_source_required: true,
            ..Default::default()
        };
        assert!(calls_only.any_for(Channel::Voice));
        assert!(!calls_only.any_for(Channel::Email));
    }

    #[test]
    fn only_listed_active_dispositions_and_short_notes_are_saved() {
        let all = dispositions();
        let none = AfterConversationRules::default();
        let archived = ResolveConversation {
            disposition: Some("Old outcome".into()),
            ..Default::default()
        };
        let problem = archived.problem(&none, Channel::Email, &all).unwrap();
        assert_eq!(problem.field, "disposition");
        assert!(problem.message.contains("isn't one of the dispositions"));
        let long = ResolveConversation {
            wrap_up_note: Some("x".repeat(WRAP_UP_NOTE_MAX_CHARS + 1)),
            ..Default::default()
        };
        let problem = long.problem(&none, Channel::Email, &all).unwrap();
        assert!(
            problem.message.contains("10000 characters at most"),
            "{problem:?}"
        );
    }

    #[test]
    fn disposition_names_are_present_short_and_unique() {
        assert_eq!(
            disposition_name("  Call back later ", ["Issue solved"]).unwrap(),
            "Call back later"
        );
        assert!(disposition_name("   ", []).is_err());
        assert!(disposition_name(&"x".repeat(DISPOSITION_MAX_CHARS + 1), []).is_err());
        let taken = disposition_name("issue SOLVED", ["Issue solved"]).unwrap_err();
        assert!(taken.contains("already a disposition"), "{taken}");
    }
}
