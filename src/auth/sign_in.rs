use super::use_auth;
use crate::nav::use_navigate;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignInPage() -> impl IntoView {
    let auth = use_auth();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let query = use_query_map();
    let navigate = use_navigate();

    let sign_in = Action::new_local(move |(email, password): &(String, String)| {
        let client = auth.client();
        let (email, password) = (email.clone(), password.clone());
        async move { client.sign_in(email, password).await }
    });

    Effect::new(move |_| {
        if let Some(Ok(session)) = sign_in.value().get() {
            auth.start(session);
            let next = query
                .with_untracked(|q| q.get("next"))
                .filter(|next| next.starts_with('/') && !next.starts_with("//"))
                .unwrap_or_else(|| "/conversations".into());
            navigate(&next, Default::default());
        }
    });

    let error = move || match sign_in.value().get() {
        Some(Err(err)) if err.status() == Some(401) => Some(
            "That email and password don't match an agent. Check them and try again.".to_string(),
        ),
        Some(Err(err)) => Some(err.to_string()),
        _ => None,
    };

    view! {
        <main class="sign-in">
            <form
                class="sign-in__card"
                on:submit=move |ev| {
                    ev.prevent_default();
                    sign_in.dispatch((email.get_untracked(), password.get_untracked()));
                }
            >
                <h1 class="sign-in__brand">
                    <span class="brand-mark" aria-hidden="true"></span>
                    "Convoroom"
                </h1>
                <p class="sign-in__lead">"Sign in to your agent workspace."</p>
                <label class="field">
                    <span class="field__label">"Email"</span>
                    <input
                        type="email"
                        name="email"
                        autocomplete="username"
                        required
                        autofocus
                        prop:value=email
                        on:input:target=move |ev| email.set(ev.target().value())
                    />
                </label>
                <label class="field">
                    <span class="field__label">"Password"</span>
                    <input
                        type="password"
                        name="password"
                        autocomplete="current-password"
                        required
                        prop:value=password
                        on:input:target=move |ev| password.set(ev.target().value())
                    />
                </label>
                <Show when=move || error().is_some()>
                    <p class="form-error" role="alert">{error}</p>
                </Show>
                <button class="button button--primary" type="submit" disabled=move || sign_in.pending().get()>
                    {move || if sign_in.pending().get() { "Signing in…" } else { "Sign in" }}
                </button>
            </form>
        </main>
    }
}
