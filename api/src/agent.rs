use crate::{Id, Label, Timestamp};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Agent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    Online,
    Away,
    Offline,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Agent {
    pub id: Id,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub availability: Availability,
    pub team_ids: Vec<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar_url: Option<String>,
    /// The agent's id in the host helpdesk (`PUT /agents/by-external-id/{id}`), by which an
    /// embed token exchanges for their session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// A deactivated agent cannot sign in; their conversations stay theirs until reassigned.
    #[serde(default = "active_by_default")]
    pub active: bool,
}

fn active_by_default() -> bool {
    true
}

/// `POST /agents` (admins): a new agent, who signs in with the temporary password once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateAgent {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 3, max_length = 254))]
    pub email: String,
    /// Default: agent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    #[serde(default)]
    pub team_ids: Vec<Id>,
}

/// `PATCH /agents/{id}` (admins): absent fields are left alone. Deactivating (`active: false`)
/// ends the agent's sessions and event streams at once.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateAgent {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_ids: Option<Vec<Id>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
}

/// A password to hand to the agent, shown once (`POST /agents`, `POST /agents/{id}/reset-password`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentWithPassword {
    pub agent: Agent,
    pub temporary_password: String,
}

/// A team is a queue: conversations are routed to one team, and agents see their teams' conversations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Team {
    pub id: Id,
    pub name: String,
    /// What its agents must record when they resolve one of its conversations.
    #[serde(default)]
    pub after_conversation: crate::AfterConversationRules,
    /// An archived team receives no new conversations and is not offered in pickers; its
    /// conversations keep it and stay where they were.
    #[serde(default)]
    pub archived: bool,
    /// Its agents (agents also list their teams in `Agent.team_ids`).
    #[serde(default)]
    pub member_ids: Vec<Id>,
    /// A customer waiting for a reply longer than this (1 to 1 440 minutes) notifies the
    /// conversation's assignee, or the team's agents while it has none. Absent: no alert.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting_alert_minutes: Option<u32>,
    /// Incremented on every change; send it back as `If-Match`.
    #[serde(default)]
    pub version: i64,
}

/// `POST /teams` (admins).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateTeam {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
    #[serde(default)]
    pub member_ids: Vec<Id>,
}

/// `PATCH /teams/{id}` (admins): absent fields are left alone. `member_ids` replaces the
/// team's members.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateTeam {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_ids: Option<Vec<Id>>,
    /// Minutes (1 to 1 440); `null` turns the waiting alert off.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::double_option"
    )]
    pub waiting_alert_minutes: Option<Option<u32>>,
}

/// One stage of the configurable sales/support pipeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PipelineStage {
    /// Stable key stored on conversations, e.g. `quote_request`; renaming keeps it.
    pub id: String,
    /// Display name, e.g. `Quote Request`.
    pub name: String,
    /// Where it is listed, from 0; the list has no gaps.
    #[serde(default)]
    pub position: u32,
    /// Archived stages are not offered any more; conversations in one keep it.
    #[serde(default)]
    pub archived: bool,
    #[serde(default)]
    pub version: i64,
}

/// `POST /pipeline-stages` (admins): a new stage at the end of the list; its `id` is made from
/// the name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatePipelineStage {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
}

/// `PATCH /pipeline-stages/{id}` (admins): absent fields are left alone.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdatePipelineStage {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived: Option<bool>,
    /// Moves it to this place (0 is first; past the end means last).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<u32>,
}

/// The stages a workspace starts with.
pub const DEFAULT_PIPELINE_STAGES: [(&str, &str); 10] = [
    ("in_progress", "In Progress"),
    ("opportunity", "Opportunity"),
    ("potential_customer", "Potential Customer"),
    ("quote_request", "Quote Request"),
    ("follow_up", "Follow-up"),
    ("contacted", "Contacted"),
    ("waiting_response", "Waiting Response"),
    ("info_only", "Info Only"),
    ("not_interested", "Not Interested"),
    ("spam", "Spam"),
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignIn {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Session {
    /// Bearer token for the `Authorization` header. Never put it in a URL.
    pub token: String,
    pub expires_at: Timestamp,
    pub agent: Agent,
}

/// `PATCH /me`: absent fields are left alone.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateMe {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<Availability>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// An `https://` image URL, or a small picture as `data:image/png|jpeg|webp;base64,…`
    /// (see [`avatar_problem`]); `null` removes it.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::double_option"
    )]
    pub avatar_url: Option<Option<String>>,
    /// Changing one's password needs the current one; the agent's other sessions end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<PasswordChange>,
    /// Which notifications the agent receives, and the sound; all switches at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification_prefs: Option<crate::NotificationPrefs>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordChange {
    pub current: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 8, max_length = 200))]
    pub new: String,
}

/// The fewest characters of a password an agent chooses.
pub const PASSWORD_MIN_CHARS: usize = 8;
pub const PASSWORD_MAX_CHARS: usize = 200;
/// An avatar stored inline (a data URL) is at most this long: a 128 px picture.
pub const AVATAR_MAX_CHARS: usize = 100_000;

/// Why a password can't be chosen, if it can't.
pub fn password_problem(password: &str) -> Option<String> {
    let chars = password.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        Some(format!(
            "A password has at least {PASSWORD_MIN_CHARS} characters"
        ))
    } else if chars > PASSWORD_MAX_CHARS {
        Some(format!(
            "A password has at most {PASSWORD_MAX_CHARS} characters"
        ))
    } else {
        None
    }
}

/// Why an avatar URL is refused, if it is: only an `https://` address or an inline PNG, JPEG
/// or WebP picture (never SVG, which can carry script), at most [`AVATAR_MAX_CHARS`].
pub fn avatar_problem(url: &str) -> Option<&'static str> {
    if url.len() > AVATAR_MAX_CHARS {
        return Some("The picture is too large (at most 100 KB)");
    }
    let inline = [
        "data:image/png;base64,",
        "data:image/jpeg;base64,",
        "data:image/webp;base64,",
    ]
    .iter()
    .find_map(|prefix| url.strip_prefix(prefix));
    match inline {
        Some(data)
            if !data.is_empty()
                && data
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')) =>
        {
            None
        }
        Some(_) => Some("The picture is not valid base64"),
        None if url.starts_with("https://") && crate::is_http_url(url) => None,
        None => Some("A picture is an https:// address or a PNG, JPEG or WebP image"),
    }
}

/// Everything a client needs once after sign-in to render pickers and labels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Workspace {
    pub me: Agent,
    pub agents: Vec<Agent>,
    pub teams: Vec<Team>,
    pub labels: Vec<Label>,
    pub pipeline_stages: Vec<PipelineStage>,
    pub attribute_definitions: Vec<crate::AttributeDefinition>,
    /// Every disposition, archived ones included, in list order.
    #[serde(default)]
    pub dispositions: Vec<crate::Disposition>,
    /// Channels with an integration delivering their replies; on the others replies are
    /// stored as sent and reach no one (admins are told so in the chat).
    #[serde(default)]
    pub delivered_channels: Vec<crate::Channel>,
    /// The signed-in agent's own notification switches (`PATCH /me` changes them).
    #[serde(default)]
    pub notification_prefs: crate::NotificationPrefs,
}

/// A short-lived, single-use ticket that authorises one event-stream connection,
/// so the long-lived token never appears in a URL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StreamTicket {
    pub ticket: String,
    pub expires_at: Timestamp,
}

/// A long-lived API token for an embedding host or a channel integration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateApiToken {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
    pub scope: TokenScope,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TokenScope {
    /// Acts as the issuing agent (embedding hosts).
    Agent,
    /// May only post to the inbound endpoint (channel integrations).
    Inbound,
    /// May only exchange itself for a 15-minute session of one agent (`POST /auth/exchange`):
    /// a host helpdesk's backend signs each of its agents in to the embedded panel as
    /// themselves. Never for an admin.
    Embed,
}

/// `POST /auth/exchange` (an `embed` token): the agent to sign in, by the host's id for them
/// or by email. Exactly one of the two.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExchangeSession {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Instead of the embed token and a name: a JWT the host signed with the token's
    /// `jwt_secret` (HS256, header `kid` = the token's id; claims `sub` = the agent's external
    /// id, or `email`, and `exp` at most an hour ahead). Sent without an `Authorization` header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwt: Option<String>,
}

/// `PUT /agents/by-external-id/{external_id}`: a host helpdesk keeps its agents in step with
/// Convoroom's, keyed by its own id. Creates the agent (who cannot sign in with a password
/// until one is set) or updates name, email, role and teams.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncAgent {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 3, max_length = 254))]
    pub email: String,
    /// Default: agent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    #[serde(default)]
    pub team_ids: Vec<Id>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiToken {
    pub id: Id,
    pub name: String,
    pub scope: TokenScope,
    pub created_at: Timestamp,
    /// Only present in the response that creates the token; stored hashed afterwards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// An `embed` token's secret for signing JWTs (HS256, `kid` = this token's id) that the
    /// exchange takes instead of the token: only in the response that creates it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwt_secret: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn avatars_are_https_or_inline_raster_pictures() {
        assert_eq!(avatar_problem("https://cdn.example.com/maya.png"), None);
        assert_eq!(avatar_problem("data:image/png;base64,iVBORw0KGgo="), None);
        assert!(avatar_problem("http://cdn.example.com/maya.png").is_some());
        assert!(avatar_problem("data:image/svg+xml;base64,PHN2Zz4=").is_some());
        assert!(avatar_problem("data:image/png;base64,<script>").is_some());
        assert!(avatar_problem("javascript:alert(1)").is_some());
        let huge = format!("data:image/png;base64,{}", "A".repeat(AVATAR_MAX_CHARS));
        assert!(avatar_problem(&huge).is_some());
    }

    #[test]
    fn passwords_have_a_minimum_and_a_maximum_length() {
        assert!(password_problem("short").is_some());
        assert_eq!(password_problem("long enough"), None);
        assert!(password_problem(&"x".repeat(PASSWORD_MAX_CHARS + 1)).is_some());
    }
}
