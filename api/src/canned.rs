//! Canned responses: snippets agents insert into the composer (`/` at the start, or the
//! toolbar button). Personal ones belong to one agent; shared ones are kept by admins, for
//! everyone or for one team. Bodies may hold variables (`{{contact.first_name}}`), filled in
//! when inserted (`fill_variables`).

use crate::Id;
use crate::conversation::string_enum;
use serde::{Deserialize, Serialize};

mod fill;
pub use fill::*;

/// The longest short code (what follows the `/`), in characters.
pub const CANNED_SHORT_CODE_MAX_CHARS: usize = 40;
/// The longest title of a canned response.
pub const CANNED_TITLE_MAX_CHARS: usize = 100;
/// The longest body of a canned response (a reply's worth of text).
pub const CANNED_BODY_MAX_CHARS: usize = 5_000;

string_enum!(
    /// Whose a canned response is.
    CannedScope {
        /// The owner's own: only they see, use and change it.
        Personal = "personal" => "Personal",
        /// Kept by admins, for every agent or the agents of one team.
        Shared = "shared" => "Shared",
    }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CannedResponse {
    pub id: Id,
    /// Typed after `/` in the composer: lower-case letters, digits, `-` and `_`; unique among
    /// the owner's personal ones, or among the shared ones.
    pub short_code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub body: String,
    pub scope: CannedScope,
    /// A shared response for one team only (absent: every agent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<Id>,
    /// The agent a personal response belongs to (absent for shared ones).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<Id>,
    #[serde(default)]
    pub version: i64,
}

impl CannedResponse {
    /// Whether `query` (what follows the `/`, or the search box) picks this response: every
    /// word is in its short code, title or body, regardless of case.
    pub fn matches(&self, query: &str) -> bool {
        let haystack = format!(
            "{} {} {}",
            self.short_code,
            self.title.as_deref().unwrap_or_default(),
            self.body
        )
        .to_lowercase();
        query
            .to_lowercase()
            .split_whitespace()
            .all(|word| haystack.contains(word))
    }
}

/// `POST /canned-responses`. Agents create personal ones only; admins also shared ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCannedResponse {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 40))]
    pub short_code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub title: Option<String>,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 5000))]
    pub body: String,
    /// Personal when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<CannedScope>,
    /// Shared responses only: the team whose agents are offered it (absent: everyone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<Id>,
}

/// `PATCH /canned-responses/{id}`: absent fields stay as they are. `team_id` is `null` for
/// every agent, a team id for one team (shared responses only); the scope never changes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateCannedResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 40))]
    pub short_code: Option<String>,
    /// An empty title removes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 5000))]
    pub body: Option<String>,
    #[serde(
        default,
        with = "crate::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub team_id: Option<Option<Id>>,
}

/// A short code as stored: trimmed, without a leading `/`, lower case; refused (a sentence
/// naming what is wrong) when empty, too long or holding anything but letters, digits, `-`
/// and `_`.
pub fn canned_short_code(text: &str) -> Result<String, String> {
    let code = text.trim().trim_start_matches('/').to_lowercase();
    if code.is_empty() {
        return Err("Give the response a short code, the word typed after “/” to find it.".into());
    }
    if code.chars().count() > CANNED_SHORT_CODE_MAX_CHARS {
        return Err(format!(
            "A short code is at most {CANNED_SHORT_CODE_MAX_CHARS} characters."
        ));
    }
    if !code
        .chars()
        .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        return Err(format!(
            "“{code}” can't be a short code: use letters, digits, “-” and “_” only, no spaces."
        ));
    }
    Ok(code)
}

/// A body as stored: not blank, at most [`CANNED_BODY_MAX_CHARS`] characters.
pub fn canned_body(text: &str) -> Result<String, String> {
    if text.trim().is_empty() {
        return Err("Write the text the response inserts.".into());
    }
    if crate::validate::too_long(text, CANNED_BODY_MAX_CHARS) {
        return Err(format!(
            "A canned response is at most {CANNED_BODY_MAX_CHARS} characters."
        ));
    }
    Ok(text.trim_end().to_string())
}

/// A title as stored: trimmed, `None` when blank, at most [`CANNED_TITLE_MAX_CHARS`].
pub fn canned_title(text: Option<&str>) -> Result<Option<String>, String> {
    let title = text.map(str::trim).filter(|t| !t.is_empty());
    match title {
        Some(t) if crate::validate::too_long(t, CANNED_TITLE_MAX_CHARS) => Err(format!(
            "A title is at most {CANNED_TITLE_MAX_CHARS} characters."
        )),
        other => Ok(other.map(str::to_string)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(short_code: &str, title: Option<&str>, body: &str) -> CannedResponse {
        CannedResponse {
            id: "1".into(),
            short_code: short_code.into(),
            title: title.map(Into::into),
            body: body.into(),
            scope: CannedScope::Personal,
            team_id: None,
            owner_id: Some("2".into()),
            version: 1,
        }
    }

    #[test]
    fn short_codes_are_one_lower_case_word() {
        assert_eq!(
            canned_short_code(" /Refund-Policy "),
            Ok("refund-policy".into())
        );
        assert_eq!(canned_short_code("thanks_2"), Ok("thanks_2".into()));
        assert!(
            canned_short_code("two words")
                .unwrap_err()
                .contains("no spaces")
        );
        assert!(canned_short_code("/").unwrap_err().contains("short code"));
        assert!(canned_short_code(&"a".repeat(41)).is_err());
        assert!(canned_short_code("{{x}}").is_err());
    }

    #[test]
    fn bodies_and_titles_are_bounded() {
        assert!(canned_body("  \n").is_err());
        assert_eq!(canned_body("Hi there \n"), Ok("Hi there".into()));
        assert!(canned_body(&"x".repeat(CANNED_BODY_MAX_CHARS + 1)).is_err());
        assert_eq!(canned_title(Some("  ")), Ok(None));
        assert_eq!(canned_title(Some(" Hello ")), Ok(Some("Hello".into())));
        assert!(canned_title(Some(&"t".repeat(101))).is_err());
    }

    #[test]
    fn a_query_matches_every_word_in_code_title_or_body() {
        let r = response("refund", Some("Refund policy"), "Refunds take 5 days.");
        assert!(r.matches(""));
        assert!(r.matches("REF"));
        assert!(r.matches("policy days"));
        assert!(!r.matches("policy weeks"));
    }

    #[test]
    fn a_null_team_is_told_from_an_absent_one() {
        let absent: UpdateCannedResponse = serde_json::from_str("{}").unwrap();
        assert_eq!(absent.team_id, None);
        let everyone: UpdateCannedResponse = serde_json::from_str(r#"{"team_id":null}"#).unwrap();
        assert_eq!(everyone.team_id, Some(None));
        let team: UpdateCannedResponse = serde_json::from_str(r#"{"team_id":"3"}"#).unwrap();
        assert_eq!(team.team_id, Some(Some("3".into())));
        assert_eq!(serde_json::to_string(&absent).unwrap(), "{}");
    }
}
