//! "Your profile": every agent's own name, picture and password (`PATCH /me`). Each part saves
//! on its own and says what happened; a new password needs the current one and signs the
//! agent out of their other browsers.

use crate::auth::use_auth;
use crate::ui::avatar::Avatar;
use convoroom_api::{self as api, UpdateMe};
use leptos::html;
use leptos::prelude::*;

const NAME_MAX_CHARS: usize = 100;

/// What one part of the dialog last did: its message, and whether it failed.
type Outcome = Option<Result<String, String>>;

fn outcome_view(outcome: RwSignal<Outcome>) -> impl IntoView {
    move || match outcome.get() {
        Some(Ok(done)) => view! { <p class="muted" role="status">{done}</p> }.into_any(),
        Some(Err(problem)) => view! { <p class="form-error" role="alert">{problem}</p> }.into_any(),
        None => ().into_any(),
    }
}

/// Why the new password can't be used, before anything is sent.
pub fn new_password_problem(new: &str, repeated: &str) -> Option<String> {
    api::password_problem(new)
        .map(|p| format!("{p}."))
        .or_else(|| (new != repeated).then(|| "The two new passwords are not the same.".into()))
}

#[component]
pub fn ProfileDialog(open: RwSignal<bool>) -> impl IntoView {
    let auth = use_auth();
    let dialog = NodeRef::<html::Dialog>::new();
    crate::ui::modal_follows(dialog, open);
    let me = move || auth.agent.get();
    let name = RwSignal::new(String::new());
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let repeated = RwSignal::new(String::new());
    let (name_outcome, picture_outcome, password_outcome) = (
        RwSignal::new(None::<Result<String, String>>),
        RwSignal::new(None::<Result<String, String>>),
        RwSignal::new(None::<Result<String, String>>),
    );
    // Opening starts from what is stored, with nothing typed left over.
    Effect::new(move |_| {
        if open.get() {
            name.set(
                auth.agent
                    .with_untracked(|a| a.as_ref().map(|a| a.name.clone()).unwrap_or_default()),
            );
            for field in [current, new, repeated] {
                field.set(String::new());
            }
            for outcome in [name_outcome, picture_outcome, password_outcome] {
                outcome.set(None);
            }
        }
    });
    let save = Action::new_local(move |(change, done): &(UpdateMe, &'static str)| {
        let client = auth.client();
        let (change, done) = (change.clone(), *done);
        async move { client.update_me(&change).await.map(|agent| (agent, done)) }
    });
    // Which part's outcome the running save reports to.
    let reporting = StoredValue::new(name_outcome);
    let dispatch = move |change: UpdateMe, done: &'static str, to: RwSignal<Outcome>| {
        reporting.set_value(to);
        to.set(None);
        save.dispatch((change, done));
    };
    Effect::new(move |_| match save.value().get() {
        Some(Ok((agent, done))) => {
            reporting.get_value().set(Some(Ok(done.to_string())));
            if done == "Password changed." {
                for field in [current, new, repeated] {
                    field.set(String::new());
                }
            }
            auth.agent.set(Some(agent));
        }
        Some(Err(err)) => reporting
            .get_value()
            .set(Some(Err(format!("Not saved. {err}")))),
        None => {}
    });
    let choose_picture = move |file: web_sys::File| {
        picture_outcome.set(Some(Ok("Preparing the picture…".into())));
        leptos::task::spawn_local(async move {
            match super::picture::small_picture(file).await {
                Ok(picture) => dispatch(
                    UpdateMe {
                        avatar_url: Some(Some(picture)),
                        ..Default::default()
                    },
                    "Picture saved.",
                    picture_outcome,
                ),
                Err(problem) => picture_outcome.set(Some(Err(problem))),
            }
        });
    };
    let save_name = move || {
        let typed = name.get_untracked().trim().to_string();
        if typed.is_empty() {
            name_outcome.set(Some(Err("Your name can't be empty.".into())));
        } else {
            dispatch(
                UpdateMe {
                    name: Some(typed),
                    ..Default::default()
                },
                "Name saved.",
                name_outcome,
            );
        }
    };
    let change_password = move || {
        let (typed, again) = (new.get_untracked(), repeated.get_untracked());
        match new_password_problem(&typed, &again) {
            Some(problem) => password_outcome.set(Some(Err(problem))),
            None => dispatch(
                UpdateMe {
                    password: Some(api::PasswordChange {
                        current: current.get_untracked(),
                        new: typed,
                    }),
                    ..Default::default()
                },
                "Password changed.",
                password_outcome,
            ),
        }
    };
    let busy = move || save.pending().get();
    let has_picture = move || {
        auth.agent
            .with(|a| a.as_ref().is_some_and(|a| a.avatar_url.is_some()))
    };
    view! {
        <dialog node_ref=dialog class="dialog profile" aria-labelledby="profile-title" on:close=move |_| open.set(false)>
            <h2 id="profile-title">"Your profile"</h2>
            <form class="profile__part" on:submit=move |ev| { ev.prevent_default(); save_name(); }>
                <label class="field">
                    <span class="field__label">"Name"</span>
                    <input type="text" autocomplete="name" maxlength=NAME_MAX_CHARS.to_string()
                        prop:value=name on:input:target=move |ev| name.set(ev.target().value())/>
                </label>
                <button type="submit" class="button" disabled=busy>"Save name"</button>
                {outcome_view(name_outcome)}
            </form>
            <fieldset class="profile__part">
                <legend>"Picture"</legend>
                <div class="profile__picture">
                    {move || me().map(|agent| view! {
                        <Avatar id=agent.id.clone() name=agent.name.clone() picture=agent.avatar_url.clone()/>
                    })}
                    <label class="button">
                        "Choose picture"
                        <input type="file" class="sr-only" accept="image/png,image/jpeg,image/webp,image/gif" disabled=busy
                            on:change:target=move |ev| {
                                let input = ev.target();
                                if let Some(file) = input.files().and_then(|files| files.get(0)) {
                                    choose_picture(file);
                                }
                                input.set_value("");
                            }/>
                    </label>
                    <Show when=has_picture>
                        <button type="button" class="button button--ghost" disabled=busy
                            on:click=move |_| dispatch(UpdateMe { avatar_url: Some(None), ..Default::default() }, "Picture removed.", picture_outcome)>
                            "Remove picture"
                        </button>
                    </Show>
                </div>
                {outcome_view(picture_outcome)}
            </fieldset>
            <form class="profile__part" on:submit=move |ev| { ev.prevent_default(); change_password(); }>
                <fieldset>
                    <legend>"Password"</legend>
                    <label class="field">
                        <span class="field__label">"Current password"</span>
                        <input type="password" autocomplete="current-password" prop:value=current
                            on:input:target=move |ev| current.set(ev.target().value())/>
                    </label>
                    <label class="field">
                        <span class="field__label">"New password"</span>
                        <input type="password" autocomplete="new-password" prop:value=new
                            on:input:target=move |ev| new.set(ev.target().value())/>
                    </label>
                    <label class="field">
                        <span class="field__label">"New password again"</span>
                        <input type="password" autocomplete="new-password" prop:value=repeated
                            on:input:target=move |ev| repeated.set(ev.target().value())/>
                    </label>
                    <p class="muted">"At least 8 characters. Your other browsers are signed out."</p>
                    <button type="submit" class="button" disabled=busy>"Change password"</button>
                    {outcome_view(password_outcome)}
                </fieldset>
            </form>
            <form method="dialog" class="dialog__actions">
                <button class="button button--primary" type="submit">"Close"</button>
            </form>
        </dialog>
    }
}

#[cfg(test)]
mod tests {
    use super::new_password_problem;

    #[test]
    fn a_new_password_is_long_enough_and_typed_twice_alike() {
        assert!(new_password_problem("short", "short").is_some());
        assert_eq!(
            new_password_problem("long enough", "long enuogh").as_deref(),
            Some("The two new passwords are not the same.")
        );
        assert_eq!(new_password_problem("long enough", "long enough"), None);
    }
}
