//! Snoozing the open conversation from the header: a menu of presets (in an hour, tomorrow
//! 9:00, next Monday 9:00, all in the browser's time zone) and a time of the agent's choice.
//! The server reopens it at that time, or when the customer writes.

use super::use_chat;
use crate::auth::use_auth;
use crate::ui::icons::icon;
use convoroom_api as api;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;

const HOUR_MS: f64 = 3_600_000.0;

/// Days from `weekday` (0 = Sunday, as `Date.getDay`) to the next Monday, never 0: on a
/// Monday, next week's.
pub fn days_to_next_monday(weekday: u32) -> u32 {
    match (8 - weekday % 7) % 7 {
        0 => 7,
        days => days,
    }
}

/// Today plus `days` at 9:00 local time, in milliseconds.
fn at_nine(days: u32) -> f64 {
    let date = js_sys::Date::new_0();
    date.set_date(date.get_date() + days);
    date.set_hours(9);
    date.set_minutes(0);
    date.set_seconds(0);
    date.set_milliseconds(0);
    date.get_time()
}

/// A `datetime-local` value (`2026-12-08T09:00`), read in the browser's time zone.
fn from_local_input(value: &str) -> Option<f64> {
    if value.len() < 16 {
        return None;
    }
    let time = js_sys::Date::new(&value.into()).get_time();
    (!time.is_nan()).then_some(time)
}

/// `Tue 8 Dec, 09:00` in the browser's time zone.
pub fn local_label(ms: f64) -> String {
    let options = js_sys::Object::new();
    for (key, value) in [
        ("weekday", "short"),
        ("day", "numeric"),
        ("month", "short"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
    ] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    js_sys::Date::new(&ms.into())
        .to_locale_string("en-GB", &options)
        .into()
}

fn iso(ms: f64) -> String {
    js_sys::Date::new(&ms.into()).to_iso_string().into()
}

#[component]
pub fn SnoozeMenu() -> impl IntoView {
    let chat = use_chat();
    let auth = use_auth();
    let open = RwSignal::new(false);
    let custom = RwSignal::new(String::new());
    let menu_ref = NodeRef::<leptos::html::Div>::new();
    let wrapper = NodeRef::<leptos::html::Div>::new();
    let error = chat.status_error;

    let snooze = Action::new_local(move |until: &f64| {
        let client = auth.client();
        let id = chat.id();
        let body = api::SnoozeConversation { until: iso(*until) };
        async move { client.snooze(&id, &body).await }
    });
    Effect::new(move |_| match snooze.value().get() {
        Some(Ok(updated)) => {
            error.set(None);
            chat.update_conversation(updated);
        }
        Some(Err(err)) => error.set(Some(format!("Couldn't snooze the conversation. {err}"))),
        None => {}
    });
    let choose = move |until: f64| {
        open.set(false);
        snooze.dispatch(until);
    };
    // Focus the first choice when the menu opens, so arrows and Enter work at once.
    Effect::new(move |_| {
        if open.get()
            && let Some(menu) = menu_ref.get()
            && let Ok(Some(first)) = menu.query_selector("[role=menuitem]")
            && let Ok(first) = first.dyn_into::<web_sys::HtmlElement>()
        {
            let _ = first.focus();
        }
    });
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        let key = ev.key();
        if key == "Escape" {
            ev.prevent_default();
            open.set(false);
            crate::ui::focus("#snooze-button");
            return;
        }
        // Arrows move between the presets; in the time box they change the time.
        let on_preset = document()
            .active_element()
            .is_some_and(|e| e.get_attribute("role").as_deref() == Some("menuitem"));
        if (key != "ArrowDown" && key != "ArrowUp") || !on_preset {
            return;
        }
        ev.prevent_default();
        let Some(menu) = menu_ref.get() else { return };
        let Ok(items) = menu.query_selector_all("[role=menuitem]") else {
            return;
        };
        let items: Vec<web_sys::HtmlElement> = (0..items.length())
            .filter_map(|i| items.item(i)?.dyn_into().ok())
            .collect();
        let active = document().active_element();
        let at = items
            .iter()
            .position(|item| active.as_ref() == Some(item.as_ref()));
        let next = match (at, key == "ArrowDown") {
            (Some(i), true) => (i + 1) % items.len(),
            (Some(i), false) => (i + items.len() - 1) % items.len(),
            (None, _) => 0,
        };
        if let Some(item) = items.get(next) {
            let _ = item.focus();
        }
    };
    let custom_until = move || custom.with(|v| from_local_input(v));
    let custom_problem = move || match custom_until() {
        None => None,
        Some(at) if at <= js_sys::Date::now() => Some("Pick a time in the future"),
        Some(_) => None,
    };
    let next_monday = move || at_nine(days_to_next_monday(js_sys::Date::new_0().get_day()));

    view! {
        <div
            class="snooze"
            node_ref=wrapper
            on:focusout=move |ev: web_sys::FocusEvent| {
                // Focus leaving the menu (a click elsewhere, Tab past the end) closes it.
                let inside = wrapper
                    .get()
                    .and_then(|wrapper| crate::ui::holds(&wrapper, ev.related_target()));
                if inside != Some(true) {
                    open.set(false);
                }
            }
        >
            <button
                type="button"
                id="snooze-button"
                class="icon-button"
                aria-label="Snooze"
                title="Snooze: hide until a time, or until the customer writes (z)"
                aria-keyshortcuts="z"
                aria-haspopup="dialog"
                aria-expanded=move || open.get().to_string()
                disabled=move || snooze.pending().get() || chat.status_busy.get()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {icon("clock")}
            </button>
            <Show when=move || open.get()>
                <div
                    class="snooze-menu"
                    role="dialog"
                    aria-label="Snooze"
                    node_ref=menu_ref
                    on:keydown=on_keydown
                >
                    <div class="snooze-menu__presets" role="menu" aria-label="Snooze until">
                        <button type="button" role="menuitem" on:click=move |_| choose(js_sys::Date::now() + HOUR_MS)>
                            "For 1 hour"
                        </button>
                        <button type="button" role="menuitem" on:click=move |_| choose(at_nine(1))>
                            "Until tomorrow, 9:00"
                        </button>
                        <button type="button" role="menuitem" on:click=move |_| choose(next_monday())>
                            {move || format!("Until next week ({})", local_label(next_monday()))}
                        </button>
                    </div>
                    <div class="snooze-menu__custom">
                        <label for="snooze-custom">"Until a time"</label>
                        <input
                            id="snooze-custom"
                            type="datetime-local"
                            prop:value=custom
                            on:input:target=move |ev| custom.set(ev.target().value())
                            aria-describedby="snooze-custom-problem"
                        />
                        <p class="form-error" id="snooze-custom-problem" role="status">{custom_problem}</p>
                        <button
                            type="button"
                            class="button button--small button--primary"
                            disabled=move || custom_until().is_none() || custom_problem().is_some()
                            on:click=move |_| {
                                if let Some(at) = custom_until() {
                                    choose(at);
                                }
                            }
                        >
                            "Snooze"
                        </button>
                    </div>
                </div>
            </Show>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::days_to_next_monday;

    #[test]
    fn next_week_is_the_coming_monday_and_a_monday_skips_a_week() {
        assert_eq!(days_to_next_monday(0), 1); // Sunday
        assert_eq!(days_to_next_monday(1), 7); // Monday
        assert_eq!(days_to_next_monday(2), 6);
        assert_eq!(days_to_next_monday(6), 2); // Saturday
    }
}
