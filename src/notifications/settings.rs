//! The switches under the notification list: which kinds the agent hears about (saved on the
//! agent, so they follow them to any browser), the tone, and desktop notifications, which
//! the browser is asked about only when the agent presses "Turn on desktop notifications".

use super::{Notifications, alert};
use convoroom_api as api;
use leptos::prelude::*;

#[component]
pub fn NotificationSettings(notifications: Notifications) -> impl IntoView {
    let workspace = notifications.workspace;
    let error = RwSignal::new(None::<String>);
    let save = Action::new_local(move |prefs: &api::NotificationPrefs| {
        let client = notifications.auth.client();
        let prefs = *prefs;
        async move { client.save_notification_prefs(prefs).await.map(|_| prefs) }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(prefs)) => {
            error.set(None);
            workspace.set_notification_prefs(prefs);
        }
        Some(Err(err)) => error.set(Some(format!(
            "Couldn't save your notification settings. {err}"
        ))),
        None => {}
    });
    // What the box shows: the change being saved, else what is saved. The switches stay
    // enabled while saving: disabling the focused one would drop the keyboard's place.
    let shown = move || {
        save.input()
            .get()
            .unwrap_or_else(|| workspace.with(|w| w.notification_prefs))
    };
    let switch = move |kind: api::NotificationKind, name: &'static str| {
        view! {
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=move || shown().wants(kind)
                    on:change:target=move |ev| {
                        save.dispatch(shown().with(kind, ev.target().checked()));
                    }
                />
                {name}
            </label>
        }
    };
    let permission = notifications.permission;
    view! {
        <details class="bell-settings">
            <summary>"Notification settings"</summary>
            <fieldset class="bell-settings__kinds">
                <legend>"Tell me about"</legend>
                {switch(api::NotificationKind::Assigned, "Conversations assigned to me")}
                {switch(api::NotificationKind::Message, "New messages in my conversations")}
                {switch(api::NotificationKind::Mention, "Mentions in notes")}
                {switch(api::NotificationKind::Waiting, "Customers waiting too long")}
            </fieldset>
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=move || shown().sound
                    on:change:target=move |ev| {
                        let on = ev.target().checked();
                        save.dispatch(api::NotificationPrefs { sound: on, ..shown() });
                        if on {
                            alert::chime();
                        }
                    }
                />
                "Play a sound"
            </label>
            <div class="bell-settings__desktop" role="status">
                {move || match permission.get() {
                    "granted" => view! { <p>"Desktop notifications are on in this browser."</p> }.into_any(),
                    "denied" => view! {
                        <p>"This browser blocks Convoroom's desktop notifications. Allow them in the site settings (the icon left of the address)."</p>
                    }.into_any(),
                    "unsupported" => view! { <p>"This browser has no desktop notifications."</p> }.into_any(),
                    _ => view! {
                        <button type="button" class="button button--small"
                            on:click=move |_| alert::ask(move |answer| permission.set(answer))>
                            "Turn on desktop notifications"
                        </button>
                    }.into_any(),
                }}
            </div>
            <Show when=move || error.get().is_some()>
                <p class="form-error" role="alert">{move || error.get()}</p>
            </Show>
        </details>
    }
}
