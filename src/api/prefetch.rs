//! Responses the boot script in `index.html` requested before the app started.
//!
//! The script leaves `window.__convoroomPrefetch = { [url]: { token, response } }`, where
//! `response` is the promise `fetch` returned. Each entry is taken at most once, and only by
//! a GET of the same URL under the same token, so a sign-out or a changed filter in between
//! falls back to an ordinary request.

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The global the boot script leaves its requests in.
pub const GLOBAL: &str = "__convoroomPrefetch";

/// The status and body of the prefetched response for `url` under `token`, if there is a
/// usable one; a failed prefetch is `None`, and the caller requests it itself.
pub async fn reply(url: &str, token: Option<&str>) -> Option<(u16, String)> {
    let promise = take(url, token)?;
    let response: web_sys::Response = JsFuture::from(promise).await.ok()?.dyn_into().ok()?;
    let text = JsFuture::from(response.text().ok()?)
        .await
        .ok()?
        .as_string()?;
    Some((response.status(), text))
}

/// Removes the entry for `url` and hands back its response promise when the token matches.
fn take(url: &str, token: Option<&str>) -> Option<Promise> {
    let window = web_sys::window()?;
    let store = Reflect::get(&window, &JsValue::from_str(GLOBAL)).ok()?;
    let store = store.dyn_into::<Object>().ok()?;
    let key = JsValue::from_str(url);
    let entry = Reflect::get(&store, &key).ok()?;
    if entry.is_undefined() {
        return None;
    }
    let _ = Reflect::delete_property(&store, &key);
    let entry_token = Reflect::get(&entry, &JsValue::from_str("token"))
        .ok()?
        .as_string();
    if entry_token.as_deref() != token {
        return None;
    }
    Reflect::get(&entry, &JsValue::from_str("response"))
        .ok()?
        .dyn_into::<Promise>()
        .ok()
}
