//! Small typed wrapper over `localStorage`. Every failure (private mode, quota, bad JSON)
//! degrades to "nothing stored" instead of breaking the app.

use serde::{Serialize, de::DeserializeOwned};

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
    let text = local_storage()?.get_item(key).ok()??;
    serde_json::from_str(&text).ok()
}

/// Returns false when the browser refused to store (quota, privacy settings).
pub fn save<T: Serialize>(key: &str, value: &T) -> bool {
    let (Some(storage), Ok(text)) = (local_storage(), serde_json::to_string(value)) else {
        return false;
    };
    storage.set_item(key, &text).is_ok()
}

pub fn remove(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}
