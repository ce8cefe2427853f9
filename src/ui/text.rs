//! Message text is untrusted: it is shown as text, with http(s) links made clickable and
//! nothing else interpreted.

use leptos::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Text(String),
    Link(String),
}

/// Text with http(s) links; everything else stays literal text.
pub fn rich_text(body: &str) -> impl IntoView + use<> {
    linkify(body)
        .into_iter()
        .map(|segment| match segment {
            Segment::Text(text) => text.into_any(),
            Segment::Link(url) => view! {
                <a href=url.clone() target="_blank" rel="noopener noreferrer nofollow">{url.clone()}</a>
            }
            .into_any(),
        })
        .collect_view()
}

/// A note's text: [`rich_text`], with `@Name` mentions of the workspace's agents marked (the
/// note stores names, so a mention reads the same with or without the marking).
pub fn note_text(body: &str, agents: &[convoroom_api::Agent]) -> impl IntoView + use<> {
    use convoroom_api::mention::{self, Mentionable, Run};
    let candidates: Vec<Mentionable> = agents
        .iter()
        .map(|a| Mentionable {
            id: &a.id,
            name: &a.name,
        })
        .collect();
    mention::runs(body, &candidates)
        .into_iter()
        .map(|run| match run {
            Run::Text(text) => rich_text(text).into_any(),
            Run::Mention { text, .. } => {
                view! { <span class="mention">{text.to_string()}</span> }.into_any()
            }
        })
        .collect_view()
}

/// Splits text into plain runs and `http(s)://` links. Trailing punctuation stays text.
pub fn linkify(text: &str) -> Vec<Segment> {
    let mut segments = Vec::new();
    let mut rest = text;
    while let Some(start) = find_link_start(rest) {
        let (before, from_link) = rest.split_at(start);
        let end = from_link
            .find(|c: char| {
                c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | '\'')
            })
            .unwrap_or(from_link.len());
        let mut link = &from_link[..end];
        while let Some(trimmed) = link.strip_suffix(['.', ',', ')', '!', '?', ';', ':']) {
            link = trimmed;
        }
        if link.len() <= "https://".len() || !convoroom_api::is_http_url(link) {
            let skip = start + 1;
            push_text(&mut segments, &rest[..skip.min(rest.len())]);
            rest = &rest[skip.min(rest.len())..];
            continue;
        }
        push_text(&mut segments, before);
        segments.push(Segment::Link(link.to_string()));
        rest = &from_link[link.len()..];
    }
    push_text(&mut segments, rest);
    segments
}

fn find_link_start(text: &str) -> Option<usize> {
    let http = text.find("http://");
    let https = text.find("https://");
    match (http, https) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn push_text(segments: &mut Vec<Segment>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(Segment::Text(last)) = segments.last_mut() {
        last.push_str(text);
    } else {
        segments.push(Segment::Text(text.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_found_and_trimmed() {
        assert_eq!(
            linkify("See https://example.com/a?b=1. Thanks"),
            vec![
                Segment::Text("See ".into()),
                Segment::Link("https://example.com/a?b=1".into()),
                Segment::Text(". Thanks".into()),
            ]
        );
    }

    #[test]
    fn scripts_stay_text() {
        let text = "<script>alert(1)</script> javascript:alert(1) http://";
        assert_eq!(linkify(text), vec![Segment::Text(text.into())]);
    }

    #[test]
    fn quotes_end_a_link() {
        let segments = linkify("x https://a.example/\"onmouseover=alert(1)");
        assert_eq!(segments[1], Segment::Link("https://a.example/".into()));
    }
}
