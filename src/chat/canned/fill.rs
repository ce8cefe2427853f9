//! The pure part of the composer's canned responses: what the variables stand for in the open
//! conversation, which `{{…}}` left in a draft block sending and why, the `/query` typed at
//! the start of the composer, the order of the matches, and where an insertion goes in the
//! text (the browser counts the cursor in UTF-16 units). Natively tested.

use convoroom_api::{self as api, CannedValues, Unfilled};

/// The variables' values: the conversation's id, its contact (the full record once loaded,
/// else what the conversation says of them) and the signed-in agent. A customer who never
/// gave a name is "named" by their phone number or handle: that counts as no name.
pub fn values(
    conversation_id: &str,
    summary: &api::ContactSummary,
    contact: Option<&api::Contact>,
    agent: Option<&api::Agent>,
) -> CannedValues {
    let contact = contact.filter(|c| c.id == summary.id);
    let name = contact.map_or(&summary.name, |c| &c.name).trim();
    let identifier = contact
        .map_or(&summary.identifier, |c| &c.identifier)
        .trim();
    CannedValues {
        contact_name: (name != identifier).then(|| name.to_string()),
        contact_email: contact.and_then(|c| c.email.clone()),
        contact_phone: contact.and_then(|c| c.phone.clone()),
        contact_city: contact.and_then(|c| c.city.clone()),
        contact_country: contact.and_then(|c| c.country.clone()),
        agent_name: agent.map(|a| a.name.clone()),
        agent_email: agent.map(|a| a.email.clone()),
        conversation_id: Some(conversation_id.to_string()),
    }
}

/// Whether filling `body` needs the contact's full record (more than their name).
pub fn needs_contact(body: &str) -> bool {
    api::placeholders(body).iter().any(|p| {
        p.name.starts_with("contact.")
            && !matches!(
                p.name.as_str(),
                "contact.name" | "contact.first_name" | "contact.last_name"
            )
    })
}

/// The `{{…}}` left in a draft, each with the sentence the composer shows. Before the
/// contact's record is loaded, a contact field is not yet known to have no value.
pub fn warnings(text: &str, values: &CannedValues, contact_loaded: bool) -> Vec<String> {
    if !text.contains("{{") {
        return Vec::new();
    }
    api::unfilled(text, values)
        .into_iter()
        .map(|left| match left {
            Unfilled::NoValue(name)
                if !contact_loaded && needs_contact(&format!("{{{{{name}}}}}")) =>
            {
                Unfilled::Raw(name)
            }
            other => other,
        })
        .map(|left| left.warning())
        .collect()
}

/// What follows a `/` typed as the first character, while it is one word (the list closes at
/// the first space or line break: the agent is writing, not searching).
pub fn slash_query(text: &str) -> Option<&str> {
    let rest = text.strip_prefix('/')?;
    (!rest.chars().any(char::is_whitespace)).then_some(rest)
}

/// The responses `query` matches, best first: a short code starting with it, then one
/// containing it, then the others that match (title or body), each group by short code.
pub fn ranked(all: &[api::CannedResponse], query: &str) -> Vec<api::CannedResponse> {
    let query = query.trim().to_lowercase();
    let rank = |r: &api::CannedResponse| {
        if r.short_code.starts_with(&query) {
            0
        } else if r.short_code.contains(&query) {
            1
        } else {
            2
        }
    };
    let mut found: Vec<api::CannedResponse> =
        all.iter().filter(|r| r.matches(&query)).cloned().collect();
    found.sort_by(|a, b| (rank(a), &a.short_code, a.scope).cmp(&(rank(b), &b.short_code, b.scope)));
    found
}

/// `text` with `inserted` put in place of the selection `start..end` (UTF-16 offsets, as the
/// browser gives them), and the UTF-16 offset just after it, where the cursor goes.
pub fn insert_at(text: &str, start: u32, end: u32, inserted: &str) -> (String, u32) {
    let units: Vec<u16> = text.encode_utf16().collect();
    let clamp = |at: u32| (at as usize).min(units.len());
    let (start, end) = (clamp(start), clamp(end.max(start)));
    let before = String::from_utf16_lossy(&units[..start]);
    let after = String::from_utf16_lossy(&units[end..]);
    let cursor = (start + inserted.encode_utf16().count()) as u32;
    (format!("{before}{inserted}{after}"), cursor)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(code: &str, title: &str, body: &str) -> api::CannedResponse {
        api::CannedResponse {
            id: code.into(),
            short_code: code.into(),
            title: Some(title.into()),
            body: body.into(),
            scope: api::CannedScope::Shared,
            team_id: None,
            owner_id: None,
            version: 1,
        }
    }

    /// A contact named Ana, or (`named: false`) one known only by their number.
    fn summary(named: bool) -> api::ContactSummary {
        api::ContactSummary {
            id: "7".into(),
            name: if named { "Ana López" } else { "+34600123456" }.into(),
            identifier: "+34600123456".into(),
            avatar_url: None,
            known: false,
            blocked: false,
        }
    }

    #[test]
    fn the_slash_query_is_one_word_after_a_leading_slash() {
        assert_eq!(slash_query("/"), Some(""));
        assert_eq!(slash_query("/ref"), Some("ref"));
        assert_eq!(slash_query("/ref "), None);
        assert_eq!(slash_query("/ref\nmore"), None);
        assert_eq!(slash_query("hello /ref"), None);
        assert_eq!(slash_query(""), None);
    }

    #[test]
    fn short_codes_starting_with_the_query_come_first() {
        let all = [
            response("thanks", "Thanks", "Bye"),
            response("refund", "Refund timeline", "Money back"),
            response("hello", "Greeting", "Refunds are quick"),
            response("prerefund", "Before", "x"),
        ];
        let codes = |query: &str| -> Vec<String> {
            ranked(&all, query)
                .into_iter()
                .map(|r| r.short_code)
                .collect()
        };
        assert_eq!(codes("ref"), ["refund", "prerefund", "hello"]);
        assert_eq!(codes(""), ["hello", "prerefund", "refund", "thanks"]);
        assert!(codes("nothing").is_empty());
    }

    #[test]
    fn insertion_replaces_the_selection_counting_in_utf16_units() {
        assert_eq!(insert_at("Hi !", 3, 3, "Ana"), ("Hi Ana!".into(), 6));
        // "👋" is two UTF-16 units: the cursor after it is at 3.
        assert_eq!(insert_at("👋 x", 3, 4, "Ana"), ("👋 Ana".into(), 6));
        assert_eq!(insert_at("abc", 1, 2, ""), ("ac".into(), 1));
        assert_eq!(insert_at("abc", 10, 10, "!"), ("abc!".into(), 4));
        assert_eq!(insert_at("abc", 2, 1, "-"), ("ab-c".into(), 3));
    }

    #[test]
    fn values_come_from_the_contact_record_once_loaded_and_a_number_is_no_name() {
        let agent: api::Agent = serde_json::from_value(serde_json::json!({
            "id": "2", "name": "Jonas Weber", "email": "jonas@example.com", "role": "agent",
            "availability": "online", "team_ids": ["1"]
        }))
        .unwrap();
        let summary_only = values("42", &summary(true), None, Some(&agent));
        assert_eq!(summary_only.contact_name.as_deref(), Some("Ana López"));
        assert_eq!(summary_only.contact_email, None);
        assert_eq!(summary_only.agent_name.as_deref(), Some("Jonas Weber"));
        assert_eq!(summary_only.conversation_id.as_deref(), Some("42"));
        assert_eq!(values("42", &summary(false), None, None).contact_name, None);

        let mut contact: api::Contact = serde_json::from_value(serde_json::json!({
            "id": "7", "name": "Ana María López", "identifier": "+34600123456", "known": true,
            "blocked": false, "labels": [], "attributes": {}, "created_at": "2026-11-20T10:00:00.000Z",
            "version": 3, "email": "ana@example.com"
        }))
        .unwrap();
        let full = values("42", &summary(true), Some(&contact), None);
        assert_eq!(full.contact_name.as_deref(), Some("Ana María López"));
        assert_eq!(full.contact_email.as_deref(), Some("ana@example.com"));
        // Another contact's record (the conversation was linked elsewhere) is not used.
        contact.id = "8".into();
        assert_eq!(
            values("42", &summary(true), Some(&contact), None).contact_email,
            None
        );
    }

    #[test]
    fn a_contact_field_is_not_called_empty_before_the_contact_is_loaded() {
        let v = values("42", &summary(true), None, None);
        let text = "Mail {{contact.email}}, {{agent.name}} and {{nope}}";
        assert_eq!(
            warnings(text, &v, true),
            [
                "{{contact.email}} has no value for this contact — edit it before sending.",
                "{{agent.name}} has no value for your profile — edit it before sending.",
                "{{nope}} isn't a variable Convoroom knows — edit it before sending.",
            ]
        );
        assert!(warnings(text, &v, false)[0].starts_with("{{contact.email}} is a variable"));
        assert!(warnings("No braces", &v, true).is_empty());
        assert!(needs_contact("{{ contact.phone }}"));
        assert!(!needs_contact("{{contact.first_name}} {{agent.name}}"));
    }
}
