//! Full-text search: what the user typed, turned into a query of the backend's own index
//! (SQLite FTS5, PostgreSQL tsvector + GIN), and the SQL that finds the matches.
//!
//! The escaping rule is the same on both: user input is split into words by the server and
//! each word becomes a literal term (quoted for FTS5; for PostgreSQL only letters and digits
//! remain of a word, which `to_tsquery` cannot read as syntax). Every word is required; the
//! last one is a prefix while it is still being typed (search-as-you-type).

pub mod index;

use crate::db::{Backend, Conn};
use crate::error::AppResult;
use sqlx::Row;
use unicode_normalization::UnicodeNormalization;

const MAX_SEARCH_TOKENS: usize = 16;

/// What to look for: in contacts (names and identifiers, from the first character) and in
/// conversation text (from the third), each in the backend's query syntax.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    pub names: String,
    pub text: Option<String>,
}

impl Search {
    /// `None` when `q` holds no word at all.
    pub fn parse(backend: Backend, q: &str) -> Option<Search> {
        let names = Words::parse(q, 1)?;
        // One or two letters match a word in most conversations: until then only names and
        // identifiers are searched.
        let text = (q.chars().filter(|c| c.is_alphanumeric()).count() >= 3)
            .then(|| Words::parse(q, 3))
            .flatten();
        Some(Search {
            names: names.render(backend),
            text: text.map(|t| t.render(backend)),
        })
    }
}

/// The conversations a search matches, looked up once per request: `ids` is the set as one
/// text value (the backend's array syntax, see `Backend::id_array`), bound as a parameter by
/// the list and its counts, so the full-text index is read once, not for each of them.
#[derive(Clone)]
pub struct Matches {
    pub ids: String,
    /// How many ids `ids` holds (a conversation may count more than once: see `matches`).
    pub count: i64,
}

impl Matches {
    /// The ids themselves (both array syntaxes are numbers between punctuation).
    pub fn id_list(&self) -> Vec<i64> {
        self.ids
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|n| n.parse().ok())
            .collect()
    }
}

pub async fn matches(conn: &mut Conn, search: &Search) -> AppResult<Matches> {
    let backend = Backend::of(conn);
    if backend == Backend::Postgres {
        // The same set, aggregated inside one function (migration 0009: cheaper than handing
        // every match out of the lookups of 0003 first).
        let row = sqlx::query("SELECT ids, n FROM search_matches($1, $2)")
            .bind(&search.names)
            .bind(&search.text)
            .fetch_one(&mut *conn)
            .await?;
        return Ok(Matches {
            ids: row.get("ids"),
            count: row.get("n"),
        });
    }
    let by_contact = format!(
        "SELECT c2.id FROM conversations c2 WHERE c2.contact_id IN ({})",
        contact_ids(backend, "$1")
    );
    let set = match search.text {
        // UNION ALL: an id twice (two matching segments, or text and contact) does no harm
        // to `IN`, and removing the repeats cost as much as the lookup of a common word.
        Some(_) => format!("{} UNION ALL {by_contact}", conversation_ids(backend, "$2")),
        None => by_contact,
    };
    let sql = format!(
        "SELECT {} AS ids, COUNT(*) AS n FROM ({set}) AS m",
        backend.id_array_agg("m.id")
    );
    let mut query = sqlx::query(&sql).bind(&search.names);
    if let Some(text) = &search.text {
        query = query.bind(text);
    }
    let row = query.fetch_one(&mut *conn).await?;
    Ok(Matches {
        ids: row.get("ids"),
        count: row.get("n"),
    })
}

/// Ids of contacts matching the query bound as `param`.
pub fn contact_ids(backend: Backend, param: &str) -> String {
    match backend {
        Backend::Sqlite => {
            format!("SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH {param}")
        }
        Backend::Postgres => format!("SELECT id FROM matching_contacts({param}) AS id"),
    }
}

/// Ids of conversations whose text matches the query bound as `param` (one row per matching
/// segment of 50 messages, so an id may repeat).
pub fn conversation_ids(backend: Backend, param: &str) -> String {
    match backend {
        Backend::Sqlite => format!(
            "SELECT rowid / {} AS id FROM conversation_fts WHERE conversation_fts MATCH {param}",
            index::ROWID_SHIFT
        ),
        Backend::Postgres => format!("SELECT id FROM matching_conversations({param}) AS id"),
    }
}

/// Text as the PostgreSQL index holds it: letters and digits in lower case without diacritics
/// (what FTS5's `unicode61 remove_diacritics 2` tokenizer does), everything else a space.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.nfd() {
        if ch.is_alphanumeric() {
            out.extend(ch.to_lowercase());
        } else if !unicode_normalization::char::is_combining_mark(ch) {
            out.push(' ');
        }
    }
    out
}

/// The words of a query, and whether the last one is a prefix.
struct Words<'a> {
    words: Vec<&'a str>,
    prefix: bool,
    /// Typed like a phone number (digits with spaces, dashes, brackets): also matched as one
    /// run of digits, which is how identifiers are indexed.
    phone: bool,
}

impl<'a> Words<'a> {
    /// The last word counts as a prefix from `min_prefix` characters on.
    fn parse(q: &'a str, min_prefix: usize) -> Option<Words<'a>> {
        let mut words: Vec<&str> = q
            .split(|c: char| !c.is_alphanumeric())
            .filter(|t| !t.is_empty())
            .collect();
        // A pasted paragraph is not a search: the first words decide.
        let truncated = words.len() > MAX_SEARCH_TOKENS;
        words.truncate(MAX_SEARCH_TOKENS);
        let last = words.last()?;
        let prefix = !truncated
            && q.ends_with(|c: char| c.is_alphanumeric())
            && last.chars().count() >= min_prefix;
        let phone = q
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
            && words.len() > 1;
        Some(Words {
            words,
            prefix,
            phone,
        })
    }

    fn render(&self, backend: Backend) -> String {
        match backend {
            Backend::Sqlite => self.fts5(),
            Backend::Postgres => self.tsquery(),
        }
    }

    /// FTS5: every word quoted (so `"`, `AND(`, `*` are plain text), the last one `"word"*`.
    fn fts5(&self) -> String {
        let last = self.words.len() - 1;
        let phrase = self
            .words
            .iter()
            .enumerate()
            .map(|(i, t)| {
                if i == last && self.prefix {
                    format!("\"{t}\"*")
                } else {
                    format!("\"{t}\"")
                }
            })
            .collect::<Vec<_>>()
            .join(" ");
        if self.phone {
            return format!("({phrase}) OR \"{}\"*", self.words.concat());
        }
        phrase
    }

    /// `to_tsquery('simple', …)`: the words normalised like the indexed text (letters and digits
    /// only), joined by `&`, the last one `word:*`.
    fn tsquery(&self) -> String {
        let last = self.words.len() - 1;
        let terms: Vec<String> = self
            .words
            .iter()
            .enumerate()
            .flat_map(|(i, word)| {
                let parts: Vec<String> = normalise(word)
                    .split_whitespace()
                    .map(str::to_string)
                    .collect();
                let n = parts.len();
                parts.into_iter().enumerate().map(move |(j, part)| {
                    if i == last && j + 1 == n && self.prefix {
                        format!("{part}:*")
                    } else {
                        part
                    }
                })
            })
            .collect();
        if terms.is_empty() {
            // Only marks (e.g. a lone combining accent): a term that matches nothing.
            return "''".into();
        }
        let phrase = terms.join(" & ");
        if self.phone {
            return format!("({phrase}) | {}:*", self.words.concat());
        }
        phrase
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fts(q: &str) -> Option<String> {
        Search::parse(Backend::Sqlite, q).map(|s| s.names)
    }

    fn text(backend: Backend, q: &str) -> Option<String> {
        Search::parse(backend, q).and_then(|s| s.text)
    }

    #[test]
    fn message_text_is_searched_from_three_characters() {
        assert_eq!(text(Backend::Sqlite, "re"), None);
        assert_eq!(text(Backend::Sqlite, "ref"), Some("\"ref\"*".into()));
        assert_eq!(text(Backend::Sqlite, "a b"), None);
        assert_eq!(text(Backend::Postgres, "ref"), Some("ref:*".into()));
    }

    #[test]
    fn fts_queries_quote_every_token() {
        assert_eq!(fts("\""), None);
        assert_eq!(fts("AND("), Some("\"AND\"".into()));
        assert_eq!(fts("refund ord"), Some("\"refund\" \"ord\"*".into()));
        assert_eq!(
            text(Backend::Sqlite, "refund or"),
            Some("\"refund\" \"or\"".into())
        );
        assert_eq!(
            fts("+49 151"),
            Some("(\"49\" \"151\"*) OR \"49151\"*".into())
        );
    }

    #[test]
    fn tsqueries_hold_only_letters_digits_and_our_operators() {
        let names = |q: &str| Search::parse(Backend::Postgres, q).map(|s| s.names);
        assert_eq!(names("\""), None);
        assert_eq!(names("AND("), Some("and".into()));
        assert_eq!(names("José Ma"), Some("jose & ma:*".into()));
        assert_eq!(names("refund & !x:* |"), Some("refund & x".into()));
        assert_eq!(names("it's o'br"), Some("it & s & o & br:*".into()));
        assert_eq!(names("+49 151"), Some("(49 & 151:*) | 49151:*".into()));
        assert_eq!(names("\u{301}"), None);
        assert_eq!(normalise("Zoë O'Brien, +49-151"), "zoe o brien   49 151");
    }
}
