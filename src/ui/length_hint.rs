//! A text box's length against its limit, said while typing: quiet until the text nears the
//! limit, then "4 812 / 5 000", and in the error colour past it.

use leptos::prelude::*;

/// Where the hint starts to show, as a share of the limit.
const SHOW_FROM: f64 = 0.8;

/// Whether `text` fits `max` characters.
pub fn fits(text: &str, max: usize) -> bool {
    text.chars().count() <= max
}

/// The counter under a text box; give the box `aria-describedby=id`.
#[component]
pub fn LengthHint(
    #[prop(into)] text: Signal<String>,
    max: usize,
    #[prop(into)] id: String,
) -> impl IntoView {
    let count = Memo::new(move |_| text.with(|t| t.chars().count()));
    let shown = move || count.get() as f64 >= max as f64 * SHOW_FROM;
    let over = move || count.get() > max;
    view! {
        <p id=id class="length-hint" class:length-hint--over=over aria-live="polite" hidden=move || !shown()>
            {move || if over() {
                format!("{} / {max} characters: {} too many", count.get(), count.get() - max)
            } else {
                format!("{} / {max} characters", count.get())
            }}
        </p>
    }
}
