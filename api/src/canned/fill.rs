//! Filling in a canned response's variables (`{{contact.first_name}}`) for one conversation,
//! and finding the ones left in a text, so a reply never goes out with a raw `{{…}}`: the
//! composer names each one and refuses to send until the agent edits it away.

/// The variables a canned response may hold, as written between the braces.
pub const CANNED_VARIABLES: &[&str] = &[
    "contact.name",
    "contact.first_name",
    "contact.last_name",
    "contact.email",
    "contact.phone",
    "contact.city",
    "contact.country",
    "agent.name",
    "agent.first_name",
    "agent.email",
    "conversation.id",
];

/// What the variables stand for in one conversation (absent: the contact or agent has none).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CannedValues {
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_city: Option<String>,
    pub contact_country: Option<String>,
    pub agent_name: Option<String>,
    pub agent_email: Option<String>,
    pub conversation_id: Option<String>,
}

/// What a variable's name stands for in one conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Value(String),
    /// A variable with no value here (a contact without an email).
    NoValue,
    /// A name that is no variable at all.
    Unknown,
}

impl CannedValues {
    /// What `variable` (the name between the braces, trimmed) stands for here.
    pub fn lookup(&self, variable: &str) -> Lookup {
        let first_word = |name: &Option<String>| {
            name.as_deref()
                .and_then(|n| n.split_whitespace().next())
                .map(str::to_string)
        };
        let last_words = |name: &Option<String>| {
            name.as_deref()
                .and_then(|n| n.trim().split_once(char::is_whitespace))
                .map(|(_, rest)| rest.trim().to_string())
        };
        let value = match variable {
            "contact.name" => self.contact_name.clone(),
            "contact.first_name" => first_word(&self.contact_name),
            "contact.last_name" => last_words(&self.contact_name),
            "contact.email" => self.contact_email.clone(),
            "contact.phone" => self.contact_phone.clone(),
            "contact.city" => self.contact_city.clone(),
            "contact.country" => self.contact_country.clone(),
            "agent.name" => self.agent_name.clone(),
            "agent.first_name" => first_word(&self.agent_name),
            "agent.email" => self.agent_email.clone(),
            "conversation.id" => self.conversation_id.clone(),
            _ => return Lookup::Unknown,
        };
        match value.filter(|v| !v.trim().is_empty()) {
            Some(value) => Lookup::Value(value),
            None => Lookup::NoValue,
        }
    }
}

/// A `{{…}}` in a text: where it is and the name between the braces, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    /// Byte range of the whole `{{…}}`.
    pub start: usize,
    pub end: usize,
    pub name: String,
}

/// Every `{{…}}` in `text`, in order. Whitespace inside the braces is tolerated
/// (`{{ contact.name }}`); a `{{` never closed, or closed only after a line break, is none.
pub fn placeholders(text: &str) -> Vec<Placeholder> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find("{{").map(|i| from + i) {
        let inner_start = open + 2;
        let Some(close) = text[inner_start..].find("}}").map(|i| inner_start + i) else {
            break;
        };
        let inner = &text[inner_start..close];
        // A `{{` inside the braces starts the placeholder again (`{{ {{x}}`).
        if let Some(again) = inner.rfind("{{") {
            from = inner_start + again;
            continue;
        }
        if inner.contains('\n') {
            from = inner_start;
            continue;
        }
        out.push(Placeholder {
            start: open,
            end: close + 2,
            name: inner.trim().to_string(),
        });
        from = close + 2;
    }
    out
}

/// Why a `{{…}}` left in a text cannot be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unfilled {
    /// A variable with no value in this conversation (the contact has no email).
    NoValue(String),
    /// A name that is no variable (a typo, or a made-up one).
    Unknown(String),
    /// A variable with a value that was typed (or pasted) rather than filled in.
    Raw(String),
}

impl Unfilled {
    /// The sentence the composer shows for it.
    pub fn warning(&self) -> String {
        match self {
            Unfilled::NoValue(name) => {
                let whose = if name.starts_with("agent.") {
                    "your profile"
                } else if name.starts_with("conversation.") {
                    "this conversation"
                } else {
                    "this contact"
                };
                format!("{{{{{name}}}}} has no value for {whose} — edit it before sending.")
            }
            Unfilled::Unknown(name) if name.is_empty() => {
                "{{}} is an empty variable — edit it before sending.".to_string()
            }
            Unfilled::Unknown(name) => {
                format!("{{{{{name}}}}} isn't a variable Convoroom knows — edit it before sending.")
            }
            Unfilled::Raw(name) => format!(
                "{{{{{name}}}}} is a variable, not its value: insert the response again or edit it before sending."
            ),
        }
    }
}

/// `body` with each variable that has a value here replaced by it. Variables without a
/// value and unknown names stay as written, for the agent to edit (see [`unfilled`]).
pub fn fill_variables(body: &str, values: &CannedValues) -> String {
    let mut out = String::with_capacity(body.len());
    let mut at = 0;
    for p in placeholders(body) {
        out.push_str(&body[at..p.start]);
        match values.lookup(&p.name) {
            Lookup::Value(value) => out.push_str(&value),
            Lookup::NoValue | Lookup::Unknown => out.push_str(&body[p.start..p.end]),
        }
        at = p.end;
    }
    out.push_str(&body[at..]);
    out
}

/// Each distinct `{{…}}` left in `text` and why it cannot be sent, in order of appearance.
pub fn unfilled(text: &str, values: &CannedValues) -> Vec<Unfilled> {
    let mut out: Vec<Unfilled> = Vec::new();
    for p in placeholders(text) {
        let why = match values.lookup(&p.name) {
            Lookup::Unknown => Unfilled::Unknown(p.name),
            Lookup::NoValue => Unfilled::NoValue(p.name),
            // Typed by hand with a value at hand: still raw text, still not to be sent.
            Lookup::Value(_) => Unfilled::Raw(p.name),
        };
        if !out.contains(&why) {
            out.push(why);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> CannedValues {
        CannedValues {
            contact_name: Some("Ana María López".into()),
            contact_email: None,
            contact_phone: Some("+34600123456".into()),
            agent_name: Some("Jonas Weber".into()),
            conversation_id: Some("42".into()),
            ..CannedValues::default()
        }
    }

    #[test]
    fn known_variables_are_filled_with_spaces_inside_the_braces_tolerated() {
        assert_eq!(
            fill_variables(
                "Hi {{contact.first_name}}, I'm {{ agent.first_name }} ({{agent.name}}). Ref #{{conversation.id}}",
                &values()
            ),
            "Hi Ana, I'm Jonas (Jonas Weber). Ref #42"
        );
        assert_eq!(
            fill_variables("{{contact.last_name}} / {{contact.phone}}", &values()),
            "María López / +34600123456"
        );
    }

    #[test]
    fn a_variable_without_a_value_and_an_unknown_one_stay_and_are_named() {
        let text = fill_variables(
            "Write to {{contact.email}} or {{contact.fax}}; {{contact.email}} again",
            &values(),
        );
        assert_eq!(
            text,
            "Write to {{contact.email}} or {{contact.fax}}; {{contact.email}} again"
        );
        let left = unfilled(&text, &values());
        assert_eq!(
            left,
            vec![
                Unfilled::NoValue("contact.email".into()),
                Unfilled::Unknown("contact.fax".into())
            ]
        );
        assert_eq!(
            left[0].warning(),
            "{{contact.email}} has no value for this contact — edit it before sending."
        );
        assert_eq!(
            left[1].warning(),
            "{{contact.fax}} isn't a variable Convoroom knows — edit it before sending."
        );
    }

    #[test]
    fn blank_values_count_as_none() {
        let v = CannedValues {
            contact_name: Some("   ".into()),
            ..CannedValues::default()
        };
        assert_eq!(v.lookup("contact.first_name"), Lookup::NoValue);
        assert_eq!(v.lookup("contact.name"), Lookup::NoValue);
        assert_eq!(v.lookup("contact.last_name"), Lookup::NoValue);
        // One word: no last name.
        let one = CannedValues {
            contact_name: Some("Cher".into()),
            ..CannedValues::default()
        };
        assert_eq!(one.lookup("contact.last_name"), Lookup::NoValue);
        assert_eq!(fill_variables("{{contact.name}}!", &v), "{{contact.name}}!");
    }

    #[test]
    fn odd_braces_are_not_placeholders_or_are_found_where_they_close() {
        assert!(placeholders("no braces {here} or {{ not closed").is_empty());
        assert!(placeholders("{{contact.name\n}}").is_empty());
        let nested = placeholders("{{ {{contact.name}} }}");
        assert_eq!(nested.len(), 1);
        assert_eq!(nested[0].name, "contact.name");
        assert_eq!(
            fill_variables("{{ {{contact.name}} }}", &values()),
            "{{ Ana María López }}"
        );
        assert_eq!(
            unfilled("{{}}", &values()),
            vec![Unfilled::Unknown(String::new())]
        );
        assert_eq!(
            unfilled("{{}}", &values())[0].warning(),
            "{{}} is an empty variable — edit it before sending."
        );
    }

    #[test]
    fn a_filled_value_holding_braces_is_not_filled_again() {
        let v = CannedValues {
            contact_name: Some("{{agent.name}}".into()),
            agent_name: Some("Jonas".into()),
            ..CannedValues::default()
        };
        let text = fill_variables("Hi {{contact.name}}", &v);
        assert_eq!(text, "Hi {{agent.name}}");
        // …and is still refused when sent as it is.
        assert_eq!(
            unfilled(&text, &v),
            vec![Unfilled::Raw("agent.name".into())]
        );
    }

    #[test]
    fn every_listed_variable_is_known_and_multibyte_text_around_is_kept() {
        for variable in CANNED_VARIABLES {
            assert_ne!(values().lookup(variable), Lookup::Unknown, "{variable}");
        }
        assert_eq!(
            fill_variables("¡Hola {{contact.first_name}}! 👋", &values()),
            "¡Hola Ana! 👋"
        );
    }
}
