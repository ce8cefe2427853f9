//! The files of unsent messages, kept in IndexedDB (localStorage holds only text) so that a
//! reload, a crash or a server restart loses no attachment: the composer's files until they
//! are sent, the outbox's until the server confirms the message.

use js_sys::{Function, Promise};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, IdbDatabase, IdbRequest, IdbTransactionMode};

thread_local! {
    /// This page's copy, for browsers that keep nothing in IndexedDB (and so that a file just
    /// attached is at hand without a read).
    static IN_PAGE: std::cell::RefCell<std::collections::HashMap<String, Blob>> =
        Default::default();
}

const DATABASE: &str = "convoroom-files";
const STORE: &str = "files";

/// Waits for an IndexedDB request: its result, or its error.
async fn done(request: &IdbRequest) -> Result<JsValue, JsValue> {
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let succeeded = request.clone();
        let on_success = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &succeeded.result().unwrap_or_default());
        });
        let failed = request.clone();
        let on_error = Closure::once_into_js(move || {
            let error = failed.error().ok().flatten().map(JsValue::from);
            let _ = reject.call1(&JsValue::NULL, &error.unwrap_or_default());
        });
        request.set_onsuccess(Some(on_success.unchecked_ref()));
        request.set_onerror(Some(on_error.unchecked_ref()));
    });
    JsFuture::from(promise).await
}

async fn open() -> Result<IdbDatabase, JsValue> {
    let factory = web_sys::window()
        .ok_or(JsValue::NULL)?
        .indexed_db()?
        .ok_or(JsValue::NULL)?;
    let request = factory.open_with_u32(DATABASE, 1)?;
    let upgrading = request.clone();
    let on_upgrade = Closure::once_into_js(move || {
        if let Ok(result) = upgrading.result()
            && let Ok(database) = result.dyn_into::<IdbDatabase>()
            && !database.object_store_names().contains(STORE)
        {
            let _ = database.create_object_store(STORE);
        }
    });
    request.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
    done(&request).await?.dyn_into::<IdbDatabase>()
}

async fn with_store(
    mode: IdbTransactionMode,
    run: impl FnOnce(&web_sys::IdbObjectStore) -> Result<IdbRequest, JsValue>,
) -> Result<JsValue, JsValue> {
    let database = open().await?;
    let store = database
        .transaction_with_str_and_mode(STORE, mode)?
        .object_store(STORE)?;
    let result = done(&run(&store)?).await;
    database.close();
    result
}

/// Keeps a file under `key`; `false` when the browser keeps nothing (private windows of some
/// browsers, or storage full): the file then lives only as long as the page.
pub async fn put(key: &str, blob: &Blob) -> bool {
    IN_PAGE.with(|files| files.borrow_mut().insert(key.to_string(), blob.clone()));
    with_store(IdbTransactionMode::Readwrite, |store| {
        store.put_with_key(blob, &JsValue::from_str(key))
    })
    .await
    .is_ok()
}

pub async fn get(key: &str) -> Option<Blob> {
    if let Some(blob) = IN_PAGE.with(|files| files.borrow().get(key).cloned()) {
        return Some(blob);
    }
    with_store(IdbTransactionMode::Readonly, |store| {
        store.get(&JsValue::from_str(key))
    })
    .await
    .ok()?
    .dyn_into::<Blob>()
    .ok()
}

pub async fn delete(key: &str) {
    IN_PAGE.with(|files| files.borrow_mut().remove(key));
    let _ = with_store(IdbTransactionMode::Readwrite, |store| {
        store.delete(&JsValue::from_str(key))
    })
    .await;
}

/// What a reload does to the page's copies: only IndexedDB's are left (for tests).
pub fn drop_page_copies() {
    IN_PAGE.with(|files| files.borrow_mut().clear());
}
