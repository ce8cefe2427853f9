//! The inbound token and signing secret an answer just carried, shown once: the server keeps
//! only their hashes (or, for the secret, never shows it again), so the admin copies them now
//! into the integration's configuration.

use super::state::RevealedSecrets;
use crate::ui::CopyButton;
use leptos::prelude::*;

/// Shows `revealed` until the admin says the secrets are saved, then forgets them. It takes
/// the focus when it appears, so it is read out and scrolled into view.
#[component]
pub fn SecretsOnce(revealed: RwSignal<Option<RevealedSecrets>>) -> impl IntoView {
    move || {
        revealed.get().map(|shown| {
            let section = NodeRef::<leptos::html::Section>::new();
            Effect::new(move |_| {
                if let Some(section) = section.get() {
                    let _ = section.focus();
                }
            });
            let token = shown.inbound_token.clone();
            let secret = shown.signing_secret.clone();
            let what = match (&token, &secret) {
                (Some(_), Some(_)) => "its inbound token and signing secret",
                (Some(_), None) => "its inbound token",
                _ => "its new signing secret",
            };
            view! {
                <section node_ref=section tabindex="-1" class="secrets-once notice notice--warning" aria-labelledby="secrets-once-title">
                    <h4 id="secrets-once-title">{format!("Secrets of “{}”", shown.name)}</h4>
                    <p><strong>"Copy them now: you will not see these again."</strong>
                        {format!(" Put {what} into the integration's configuration; if one is lost, rotate the secret (or create the integration again for a new token).")}</p>
                    {token.map(|token| view! { <SecretLine label="Inbound token" what="inbound token" value=token/> })}
                    {secret.map(|secret| view! { <SecretLine label="Signing secret" what="signing secret" value=secret/> })}
                    <button type="button" class="button button--primary" on:click=move |_| revealed.set(None)>
                        "I've saved them"
                    </button>
                </section>
            }
        })
    }
}

#[component]
fn SecretLine(label: &'static str, what: &'static str, value: String) -> impl IntoView {
    view! {
        <div class="secret-line">
            // Read-only text, so it can also be selected and copied by hand.
            <label class="field secret-line__field">
                <span class="field__label">{label}</span>
                <input type="text" readonly class="secret-line__value" spellcheck="false" autocomplete="off" prop:value=value.clone()/>
            </label>
            <CopyButton text=value what/>
        </div>
    }
}
