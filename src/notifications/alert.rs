//! Telling the agent outside the page: the desktop notification (only once they allowed it,
//! asked from a button, never on load) and the optional tone.

use convoroom_api as api;
use wasm_bindgen::prelude::*;
use web_sys::{Notification, NotificationOptions, NotificationPermission};

/// The browser's answer so far: "granted", "denied" or "default" (not asked yet); "unsupported"
/// where there are no desktop notifications (some phones, the embedded panel's hosts).
pub fn permission() -> &'static str {
    let supported = js_sys::Reflect::has(&js_sys::global(), &JsValue::from_str("Notification"))
        .unwrap_or(false);
    if !supported {
        return "unsupported";
    }
    match Notification::permission() {
        NotificationPermission::Granted => "granted",
        NotificationPermission::Denied => "denied",
        _ => "default",
    }
}

/// Asks the browser, then calls `done` with the answer.
pub fn ask(done: impl FnOnce(&'static str) + 'static) {
    match Notification::request_permission() {
        Ok(promise) => leptos::task::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
            done(permission());
        }),
        Err(_) => done(permission()),
    }
}

/// Whether the agent is looking at this tab (then the bell is enough).
fn page_in_view() -> bool {
    let Some(document) = leptos::prelude::window().document() else {
        return false;
    };
    document.visibility_state() == web_sys::VisibilityState::Visible
        && document.has_focus().unwrap_or(false)
}

/// A desktop notification for `notification`, when allowed and the agent is elsewhere. Its
/// tag is the notification's id, so several open tabs show it once; a click brings the tab
/// forward and calls `open`.
pub fn desktop(title: &str, notification: &api::Notification, open: impl Fn() + 'static) {
    if permission() != "granted" || page_in_view() {
        return;
    }
    let options = NotificationOptions::new();
    options.set_body(&notification.preview);
    options.set_tag(&format!("convoroom-{}", notification.id));
    let Ok(shown) = Notification::new_with_options(title, &options) else {
        return;
    };
    let on_click = Closure::<dyn Fn()>::new(move || {
        let _ = leptos::prelude::window().focus();
        open();
    });
    shown.set_onclick(Some(on_click.as_ref().unchecked_ref()));
    // The notification lives on in the system tray; its click handler must live as long.
    on_click.forget();
}

/// A short, quiet two-note tone (Web Audio: no sound file to download).
pub fn chime() {
    let Ok(audio) = web_sys::AudioContext::new() else {
        return;
    };
    let now = audio.current_time();
    for (i, frequency) in [880.0_f32, 1320.0].into_iter().enumerate() {
        let (Ok(tone), Ok(gain)) = (audio.create_oscillator(), audio.create_gain()) else {
            return;
        };
        let start = now + i as f64 * 0.12;
        tone.frequency().set_value(frequency);
        gain.gain().set_value(0.0);
        let _ = gain.gain().linear_ramp_to_value_at_time(0.08, start + 0.01);
        let _ = gain.gain().linear_ramp_to_value_at_time(0.0, start + 0.11);
        let _ = tone
            .connect_with_audio_node(&gain)
            .and_then(|_| gain.connect_with_audio_node(&audio.destination()));
        let _ = tone.start_with_when(start);
        let _ = tone.stop_with_when(start + 0.12);
    }
}
