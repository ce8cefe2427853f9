//! Checks of what agents and integrations type, shared by the app (which refuses before
//! sending) and the reference server (which refuses what any client sends). Each error is a
//! sentence in the app's own words.

// The limits the reference server enforces on request bodies, in characters (Unicode code
// points, what JSON Schema's `maxLength` counts) of the text as sent, before any trimming.
// The OpenAPI document declares the same numbers (`maxLength`, `maximum`, …), and
// server/tests/suite/openapi.rs checks that it does, so clients can validate before sending.

/// The longest internal note, in characters.
pub const NOTE_MAX_CHARS: usize = 5_000;
/// The longest message body (sent or inbound).
pub const MESSAGE_MAX_CHARS: usize = 200_000;
/// The longest `client_id` of a sent message (its idempotency key).
pub const CLIENT_ID_MAX_CHARS: usize = 200;
/// The longest contact name.
pub const CONTACT_NAME_MAX_CHARS: usize = 200;
/// The longest value of a contact's other text fields (phone, email, city, …).
pub const CONTACT_FIELD_MAX_CHARS: usize = 500;
/// The longest label.
pub const LABEL_MAX_CHARS: usize = 100;
/// The longest name of a saved view.
pub const VIEW_NAME_MAX_CHARS: usize = 100;
/// The longest name of an API token.
pub const TOKEN_NAME_MAX_CHARS: usize = 100;
/// The longest disposition of a conversation.
pub const DISPOSITION_MAX_CHARS: usize = 200;
/// The longest wrap-up note of a conversation.
pub const WRAP_UP_NOTE_MAX_CHARS: usize = 10_000;
/// The longest ticket id (`Ticket.external_id`).
pub const TICKET_ID_MAX_CHARS: usize = 200;
/// The longest ticket title.
pub const TICKET_TITLE_MAX_CHARS: usize = 300;
/// The longest ticket URL.
pub const TICKET_URL_MAX_CHARS: usize = 2_000;
/// The longest business number or address of a conversation (`to` of an inbound message).
pub const BUSINESS_ADDRESS_MAX_CHARS: usize = 300;
/// The longest sender identifier (`from`) of an inbound message.
pub const INBOUND_FROM_MAX_CHARS: usize = 300;
/// The lowest and highest customer satisfaction score.
pub const CSAT_MIN: u8 = 1;
pub const CSAT_MAX: u8 = 5;
/// The most conversations one bulk update changes.
pub const BULK_MAX_CONVERSATIONS: usize = 500;

/// Whether `url` is an absolute http(s) URL: the only links the app renders as links (a
/// `javascript:` or `data:` URL from an integration stays text).
pub fn is_web_url(url: &str) -> bool {
    let scheme_end = url.find("://").unwrap_or(0);
    let scheme = url[..scheme_end].to_ascii_lowercase();
    let host = url[scheme_end..]
        .trim_start_matches("://")
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("");
    matches!(scheme.as_str(), "http" | "https")
        && !host.is_empty()
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Whether `text` is over `max` characters (code points, as JSON Schema counts them).
pub fn too_long(text: &str, max: usize) -> bool {
    text.chars().count() > max
}

/// A phone number in international (E.164) form, e.g. `+34 600 123 456` → `+34600123456`.
/// Spaces, dots, dashes and brackets are allowed while typing and dropped.
pub fn phone(text: &str) -> Result<String, String> {
    let trimmed = text.trim();
    let compact: String = trimmed
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')' | '\u{a0}'))
        .collect();
    let digits = compact.strip_prefix('+').unwrap_or(&compact);
    let well_formed = compact.starts_with('+')
        && digits.chars().all(|c| c.is_ascii_digit())
        && (7..=15).contains(&digits.len())
        && !digits.starts_with('0');
    if well_formed {
        Ok(compact)
    } else {
        Err(format!(
            "“{trimmed}” isn't a phone number. Use the international form with the country code, like +34 600 123 456."
        ))
    }
}

/// An email address: something before one `@`, a domain with a dot after it, no spaces.
pub fn email(text: &str) -> Result<String, String> {
    let trimmed = text.trim();
    let valid = match trimmed.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains("..")
                && trimmed.len() <= 254
                && !trimmed.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    };
    if valid {
        Ok(trimmed.to_string())
    } else {
        Err(format!(
            "“{trimmed}” isn't an email address. It looks like name@example.com."
        ))
    }
}

/// A note's text: not empty, and at most [`NOTE_MAX_CHARS`] characters.
pub fn note(text: &str) -> Result<(), String> {
    let count = text.chars().count();
    if text.trim().is_empty() {
        Err("A note needs some text.".into())
    } else if count > NOTE_MAX_CHARS {
        Err(format!(
            "A note can be {NOTE_MAX_CHARS} characters at most; this one has {count}. Shorten it, or split it into two notes."
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_international_numbers() {
        assert_eq!(phone("+34 600 123 456").unwrap(), "+34600123456");
        assert_eq!(phone(" +1 (415) 555-0100 ").unwrap(), "+14155550100");
        assert!(phone("600 123 456").is_err(), "no country code");
        assert!(phone("+0 600 123").is_err());
        assert!(phone("+34 600 ABC 456").is_err());
        assert!(phone("+123").is_err(), "too short");
        assert!(phone("+1234567890123456").is_err(), "too long");
        let err = phone("call me").unwrap_err();
        assert!(err.contains("isn't a phone number"), "{err}");
    }

    #[test]
    fn emails_need_a_name_and_a_domain() {
        assert_eq!(email(" ana@example.com ").unwrap(), "ana@example.com");
        assert!(email("ana@example").is_err());
        assert!(email("ana.example.com").is_err());
        assert!(email("@example.com").is_err());
        assert!(email("ana@@example.com").is_err());
        assert!(email("ana @example.com").is_err());
        assert!(email("ana@example..com").is_err());
    }

    #[test]
    fn notes_are_limited_and_say_by_how_much() {
        assert!(note("Called back, fixed.").is_ok());
        assert!(note("   ").is_err());
        let long = "x".repeat(NOTE_MAX_CHARS + 1);
        let err = note(&long).unwrap_err();
        assert!(err.contains("5000 characters at most"), "{err}");
        assert!(note(&"x".repeat(NOTE_MAX_CHARS)).is_ok());
    }

    #[test]
    fn only_http_and_https_urls_are_web_links() {
        assert!(is_web_url("https://desk.example.com/tickets/42"));
        assert!(is_web_url("HTTP://desk.example.com"));
        assert!(!is_web_url("javascript:alert(1)"));
        assert!(!is_web_url("data:text/html,hi"));
        assert!(!is_web_url("https://"));
        assert!(!is_web_url("https:///path"));
        assert!(!is_web_url(" https://desk.example.com"));
        assert!(!is_web_url("https://desk.example.com/a b"));
        assert!(!is_web_url("ftp://files.example.com"));
        assert!(!is_web_url("desk.example.com"));
    }
}
