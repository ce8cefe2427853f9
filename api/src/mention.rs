//! `@Name` mentions in internal notes. A note stores the names as the agent typed them, so
//! any reader (a host, an export) sees names, never ids; which agents a note mentions is read
//! from its text against the agents who can see the conversation, here, for the server
//! (whom to notify) and the app (what to highlight) alike.

/// An agent a note may mention.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mentionable<'a> {
    pub id: &'a str,
    pub name: &'a str,
}

/// A piece of a note's text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Run<'a> {
    Text(&'a str),
    /// `@Name` as written (the `@` included), and whom it names.
    Mention {
        id: &'a str,
        text: &'a str,
    },
}

/// The longest agent name that `text` starts with, ignoring case, and its length in `text`.
/// A name must end at the text's end or before a character that is not a letter or digit,
/// so "@Ana" does not mention Ana in "@Anabel".
fn name_at<'a>(text: &str, agents: &[Mentionable<'a>]) -> Option<(Mentionable<'a>, usize)> {
    let mut best: Option<(Mentionable<'a>, usize)> = None;
    for agent in agents {
        if agent.name.trim().is_empty() {
            continue;
        }
        let mut rest = text.char_indices();
        let mut matched = 0;
        let mut ok = true;
        for wanted in agent.name.chars() {
            match rest.next() {
                Some((at, got)) if got.to_lowercase().eq(wanted.to_lowercase()) => {
                    matched = at + got.len_utf8();
                }
                _ => {
                    ok = false;
                    break;
                }
            }
        }
        let ends_word = !text[matched..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric);
        if ok && ends_word && best.is_none_or(|(_, len)| matched > len) {
            best = Some((*agent, matched));
        }
    }
    best
}

/// `text` split into plain runs and mentions of `agents`. An `@` counts at the start or after
/// a character that is not a letter or digit (so an e-mail address mentions no one).
pub fn runs<'a>(text: &'a str, agents: &[Mentionable<'a>]) -> Vec<Run<'a>> {
    let mut out = Vec::new();
    let mut plain_from = 0;
    let mut at = 0;
    while let Some(offset) = text[at..].find('@') {
        let start = at + offset;
        let after_word = text[..start]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        let found = (!after_word)
            .then(|| name_at(&text[start + 1..], agents))
            .flatten();
        match found {
            Some((agent, len)) => {
                if plain_from < start {
                    out.push(Run::Text(&text[plain_from..start]));
                }
                let end = start + 1 + len;
                out.push(Run::Mention {
                    id: agent.id,
                    text: &text[start..end],
                });
                plain_from = end;
                at = end;
            }
            None => at = start + 1,
        }
    }
    if plain_from < text.len() {
        out.push(Run::Text(&text[plain_from..]));
    }
    out
}

/// The ids `text` mentions, each once, in the order first mentioned.
pub fn mentioned(text: &str, agents: &[Mentionable<'_>]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for run in runs(text, agents) {
        if let Run::Mention { id, .. } = run
            && !ids.iter().any(|known| known == id)
        {
            ids.push(id.to_string());
        }
    }
    ids
}

/// The longest a name being typed after `@` can be.
const QUERY_MAX_CHARS: usize = 40;

/// While typing: when the text just before `cursor` (a byte offset) is `@` and part of a
/// name, the `@`'s offset and the part typed so far ("" right after the `@`).
pub fn typing_query(text: &str, cursor: usize) -> Option<(usize, &str)> {
    let before = text.get(..cursor)?;
    let start = before.rfind('@')?;
    let query = &before[start + 1..];
    let starts_word = !before[..start]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric);
    let plausible = !query.starts_with(' ')
        && !query.contains(['\n', '@'])
        && !query.ends_with("  ")
        && query.chars().count() <= QUERY_MAX_CHARS;
    (starts_word && plausible).then_some((start, query))
}

/// Whether `name` fits what was typed after `@`: each typed word starts a word of the name,
/// ignoring case ("jo we" fits "Jonas Weber").
pub fn name_fits(name: &str, query: &str) -> bool {
    let name = name.to_lowercase();
    let mut words = name.split_whitespace();
    query
        .to_lowercase()
        .split_whitespace()
        .all(|typed| words.any(|word| word.starts_with(typed)))
}

/// Whether `agent` can see `conversation`, so a note there may mention them: an active
/// admin, a member of its team, its assignee or a collaborator. The server applies the same
/// rule in SQL (`notifications::mentionable`).
pub fn sees(agent: &crate::Agent, conversation: &crate::Conversation) -> bool {
    agent.active
        && (agent.role == crate::Role::Admin
            || conversation
                .team_id
                .as_ref()
                .is_some_and(|team| agent.team_ids.contains(team))
            || conversation.assignee_id.as_deref() == Some(agent.id.as_str())
            || conversation.collaborator_ids.contains(&agent.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    const AGENTS: &[Mentionable<'static>] = &[
        Mentionable {
            id: "1",
            name: "Ana",
        },
        Mentionable {
            id: "2",
            name: "Ana Lima",
        },
        Mentionable {
            id: "3",
            name: "Jonas Weber",
        },
        Mentionable {
            id: "4",
            name: "Zoë Ødegård",
        },
    ];

    #[test]
    fn the_longest_name_wins_and_case_is_ignored() {
        assert_eq!(
            runs("Hi @ana lima, see @Jonas Weber.", AGENTS),
            vec![
                Run::Text("Hi "),
                Run::Mention {
                    id: "2",
                    text: "@ana lima"
                },
                Run::Text(", see "),
                Run::Mention {
                    id: "3",
                    text: "@Jonas Weber"
                },
                Run::Text("."),
            ]
        );
        assert_eq!(mentioned("@Ana and @Ana again", AGENTS), vec!["1"]);
    }

    #[test]
    fn a_name_must_end_a_word_and_start_after_one() {
        assert!(mentioned("@Anabel", AGENTS).is_empty());
        assert!(mentioned("mail ana@Ana.example", AGENTS).is_empty());
        assert!(mentioned("@", AGENTS).is_empty());
        assert_eq!(mentioned("(@zoë ødegård)", AGENTS), vec!["4"]);
        assert_eq!(mentioned("@Ana Limas", AGENTS), vec!["1"]);
    }

    #[test]
    fn runs_keep_every_character() {
        for text in ["", "@", "x@Ana", "@Ana", "é @Ana é", "@@Ana"] {
            let joined: String = runs(text, AGENTS)
                .iter()
                .map(|r| match r {
                    Run::Text(t) | Run::Mention { text: t, .. } => *t,
                })
                .collect();
            assert_eq!(joined, text);
        }
    }

    #[test]
    fn the_query_being_typed() {
        assert_eq!(typing_query("@", 1), Some((0, "")));
        assert_eq!(typing_query("Hi @jo", 6), Some((3, "jo")));
        assert_eq!(typing_query("Hi @jonas we", 12), Some((3, "jonas we")));
        assert_eq!(typing_query("me@x", 4), None);
        assert_eq!(typing_query("@ x", 3), None);
        assert_eq!(typing_query("@jo\nx", 5), None);
        assert_eq!(typing_query("no at", 5), None);
        assert!(name_fits("Jonas Weber", "jo we"));
        assert!(name_fits("Jonas Weber", ""));
        assert!(!name_fits("Jonas Weber", "we jo"));
    }
}
