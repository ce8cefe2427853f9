//! A Copy button for a value the user must take elsewhere (a secret shown once).

use leptos::prelude::*;

/// Copies `text` with the Clipboard API and says "Copied" beside the button, or that copying
/// failed (no permission, an insecure page) and the value must be selected by hand.
#[component]
pub fn CopyButton(
    text: String,
    /// What is copied, for the button's name: "Copy {what}".
    what: &'static str,
) -> impl IntoView {
    let outcome = RwSignal::new(None::<Result<(), ()>>);
    let copy = Action::new_local(move |text: &String| {
        let text = text.clone();
        async move {
            let clipboard = web_sys::window().ok_or(())?.navigator().clipboard();
            wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&text))
                .await
                .map(drop)
                .map_err(drop)
        }
    });
    Effect::new(move |_| {
        if let Some(result) = copy.value().get() {
            outcome.set(Some(result));
        }
    });
    view! {
        <button
            type="button"
            class="button button--small"
            aria-label=format!("Copy {what}")
            on:click=move |_| {
                outcome.set(None);
                copy.dispatch(text.clone());
            }
        >
            "Copy"
        </button>
        <span class="copy-outcome" role="status">
            {move || match outcome.get() {
                Some(Ok(())) => "Copied".to_string(),
                Some(Err(())) => "Couldn't copy: select the text and copy it yourself.".to_string(),
                None => String::new(),
            }}
        </span>
    }
}
