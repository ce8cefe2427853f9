use leptos::prelude::*;

/// Up to two initials from a name; digits and symbols (phone numbers) give `#`.
pub fn initials(name: &str) -> String {
    let letters: String = name
        .split_whitespace()
        .filter_map(|word| word.chars().find(|c| c.is_alphabetic()))
        .take(2)
        .flat_map(char::to_uppercase)
        .collect();
    if letters.is_empty() {
        "#".into()
    } else {
        letters
    }
}

/// A stable hue from the id, so the same person keeps the same colour.
pub fn hue(id: &str) -> u32 {
    id.bytes()
        .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)))
        % 8
}

#[component]
pub fn Avatar(
    #[prop(into)] id: String,
    #[prop(into)] name: String,
    #[prop(optional)] small: bool,
    /// An agent's own picture (`Agent.avatar_url`), shown instead of the initials.
    #[prop(default = None)]
    picture: Option<String>,
) -> impl IntoView {
    let class = format!(
        "avatar avatar--hue{}{}",
        hue(&id),
        if small { " avatar--small" } else { "" }
    );
    match picture {
        Some(src) => {
            view! { <img class=format!("{class} avatar--picture") src=src alt="" aria-hidden="true"/> }
                .into_any()
        }
        None => view! { <span class=class aria-hidden="true">{initials(&name)}</span> }.into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_come_from_words() {
        assert_eq!(initials("maya patel"), "MP");
        assert_eq!(initials("Ana María de la Cruz"), "AM");
        assert_eq!(initials("+44 7700 900123"), "#");
        assert_eq!(initials("  "), "#");
    }
}
