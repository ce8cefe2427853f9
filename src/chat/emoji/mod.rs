//! Emoji in the composer: the picker behind the toolbar button (`picker.rs`) and `:shortcode`
//! completion in the message box (`chat::completion::emoji`), from one list (`data.rs`).

pub mod data;
mod picker;

pub use picker::EmojiButton;

/// One emoji as offered.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Emoji {
    pub code: &'static str,
    pub glyph: &'static str,
    pub words: &'static str,
    pub group: &'static str,
}

/// Every emoji, in list order.
pub fn all() -> impl Iterator<Item = Emoji> {
    data::GROUPS.iter().flat_map(|(group, entries)| {
        entries.iter().map(|(code, glyph, words)| Emoji {
            code,
            glyph,
            words,
            group,
        })
    })
}

/// A readable name: `heart_eyes` → "heart eyes", `+1` → "thumbs up".
pub fn name(code: &str) -> String {
    match code {
        "+1" => "thumbs up".into(),
        "-1" => "thumbs down".into(),
        "100" => "hundred points".into(),
        code => code.replace('_', " "),
    }
}

/// The emoji matching `query` (case ignored), best first: shortcodes that start with it, then
/// shortcodes or words containing it. An empty query matches all.
pub fn search(query: &str) -> Vec<Emoji> {
    let query = query.trim().to_lowercase();
    if query.is_empty() {
        return all().collect();
    }
    let starts: Vec<Emoji> = all().filter(|e| e.code.starts_with(&query)).collect();
    let contains = all().filter(|e| {
        !e.code.starts_with(&query) && (e.code.contains(&query) || e.words.contains(&query))
    });
    starts.into_iter().chain(contains).collect()
}

/// The emoji of an exact shortcode.
pub fn by_code(code: &str) -> Option<Emoji> {
    all().find(|e| e.code == code)
}

/// A known shortcode closed just before `cursor` (`:tada:` typed out): where its first `:`
/// is and the emoji to put in its place.
pub fn closed_code(text: &str, cursor: usize) -> Option<(usize, &'static str)> {
    let inner = text.get(..cursor)?.strip_suffix(':')?;
    let (start, code) = typing_code(inner, inner.len())?;
    by_code(code).map(|e| (start, e.glyph))
}

/// While typing: the `:` offset and what follows it up to `cursor`, when that is the start of
/// a shortcode (at least two characters, so "10:30" or a lone ":" open nothing).
pub fn typing_code(text: &str, cursor: usize) -> Option<(usize, &str)> {
    let before = text.get(..cursor)?;
    let start = before.rfind(':')?;
    let code = &before[start + 1..];
    let starts_word = !before[..start]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric);
    let plausible = code.chars().count() >= 2
        && code.len() <= 32
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '-'))
        && !code.chars().all(|c| c.is_ascii_digit() && code.len() <= 2);
    (starts_word && plausible).then_some((start, code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcodes_are_unique_and_named() {
        let codes: Vec<&str> = all().map(|e| e.code).collect();
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(codes.len(), unique.len());
        assert_eq!(name("heart_eyes"), "heart eyes");
        assert_eq!(name("+1"), "thumbs up");
    }

    #[test]
    fn search_puts_shortcode_starts_first_then_words() {
        let found: Vec<&str> = search("thu").iter().map(|e| e.code).collect();
        assert_eq!(found.first(), Some(&"+1"), "thumbsup is among +1's words");
        let found: Vec<&str> = search("he").iter().map(|e| e.code).collect();
        assert_eq!(&found[..3], ["heart_eyes", "heart", "heavy_check_mark"]);
        assert!(search("parcel").iter().any(|e| e.code == "package"));
        assert!(search("zzzz-nothing").is_empty());
        assert_eq!(search("").len(), all().count());
        assert_eq!(by_code("tada").map(|e| e.glyph), Some("🎉"));
    }

    #[test]
    fn a_shortcode_is_typed_after_a_colon_at_a_word_start() {
        assert_eq!(typing_code("ok :th", 6), Some((3, "th")));
        assert_eq!(typing_code(":+1", 3), Some((0, "+1")));
        assert_eq!(typing_code("at 10:30", 8), None);
        assert_eq!(typing_code("note: x", 7), None);
        assert_eq!(typing_code("ok :t", 5), None);
        assert_eq!(typing_code("see http://x", 12), None);
    }

    #[test]
    fn a_shortcode_typed_out_becomes_its_emoji() {
        assert_eq!(closed_code("yay :tada:", 10), Some((4, "🎉")));
        assert_eq!(closed_code(":+1:", 4), Some((0, "👍")));
        assert_eq!(closed_code("yay :nope:", 10), None);
        assert_eq!(closed_code("at 10:30:", 9), None);
        assert_eq!(closed_code("yay :tada", 9), None);
    }
}
