//! The panel's stylesheet for its shadow root: the app's own CSS files, with the document
//! selectors (`:root`, `html, body`) turned into the shadow host's, plus `style/embed.css`.

const SOURCES: &[&str] = &[
    ISOLATION,
    include_str!("../../style/tokens.css"),
    include_str!("../../style/base.css"),
    include_str!("../../style/list.css"),
    include_str!("../../style/chat.css"),
    include_str!("../../style/details.css"),
    include_str!("../../style/embed.css"),
];

/// What the host page sets on the `<convoroom-panel>` element itself — any inherited property
/// (letter-spacing, line-height, text-transform, direction, cursor, visibility…), with or
/// without `!important` — would flow into the shadow tree by inheritance, which no selector can
/// stop. So the root of the tree takes every property's initial value first, and the rules
/// after it (tokens, then the app's own) set what the panel wants. `all` leaves custom
/// properties alone, so the documented `--convoroom-*` variables still come through; it also
/// leaves `direction` and `unicode-bidi` alone, so those are reset by name.
const ISOLATION: &str = ".embed-root {
  all: initial;
  direction: ltr;
  unicode-bidi: isolate;
  display: block;
  color-scheme: light dark;
}
:root[data-theme=\"light\"] .embed-root {
  color-scheme: light;
}
:root[data-theme=\"dark\"] .embed-root {
  color-scheme: dark;
}
";

/// Documented theming hooks: a host sets these on the element; our tokens fall back to
/// their own values.
const HOST_THEME: &str = ":host {
  --color-accent: var(--convoroom-accent, light-dark(#3b5bdb, #7c95f5));
  --font-sans: var(--convoroom-font, system-ui, -apple-system, \"Segoe UI\", Roboto, \"Helvetica Neue\", Arial, sans-serif);
  --radius-md: var(--convoroom-radius, 8px);
}
";

pub fn stylesheet() -> String {
    let mut css = String::new();
    for source in SOURCES {
        css.push_str(&scoped(source));
        css.push('\n');
    }
    css.push_str(HOST_THEME);
    css
}

fn scoped(source: &str) -> String {
    let css = source
        .replace(
            ":root[data-theme=\"light\"]",
            ":host([data-theme=\"light\"])",
        )
        .replace(":root[data-theme=\"dark\"]", ":host([data-theme=\"dark\"])")
        .replace(":root", ":host")
        .replace("html,\nbody {", ".embed-root {")
        .replace("\nbody {", "\n.embed-root {")
        .replace("\nhtml {", "\n:host {");
    rem_to_px(&css)
}

/// `rem` is relative to the host page's root font size, which a shadow root cannot shield:
/// sizes become pixels at the app's 16 px root.
pub fn rem_to_px(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(at) = rest.find("rem") {
        let (before, after) = rest.split_at(at);
        let number_start = before
            .rfind(|c: char| !(c.is_ascii_digit() || c == '.'))
            .map_or(0, |i| i + 1);
        let number = &before[number_start..];
        let is_unit = !number.is_empty()
            && !after[3..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '-');
        match number.parse::<f64>() {
            Ok(value) if is_unit => {
                out.push_str(&before[..number_start]);
                out.push_str(&format!("{}px", value * 16.0));
            }
            _ => {
                out.push_str(before);
                out.push_str("rem");
            }
        }
        rest = &after[3..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn rem_sizes_become_pixels() {
        assert_eq!(
            super::rem_to_px("font-size: 0.8125rem; gap: 1rem; --x: remove; margin: 2rem 0"),
            "font-size: 13px; gap: 16px; --x: remove; margin: 32px 0"
        );
    }

    #[test]
    fn document_selectors_become_host_selectors() {
        let css = super::stylesheet();
        assert!(!css.contains(":root"), "no document-level selector is left");
        assert!(
            !css.contains("html,\nbody") && !css.contains("\nbody {") && !css.contains("\nhtml {")
        );
        assert!(css.contains(":host([data-theme=\"dark\"])"));
        assert!(css.contains(".embed-root {"));
        assert!(
            css.starts_with(".embed-root {\n  all: initial;"),
            "the reset comes first, so the app's rules override it"
        );
        assert!(css.contains(":host([data-theme=\"dark\"]) .embed-root {\n  color-scheme: dark;"));
        assert!(
            !css.contains("rem;"),
            "no size depends on the host's root font size"
        );
    }
}
