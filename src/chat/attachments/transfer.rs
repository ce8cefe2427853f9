//! One upload to `POST /uploads`, by `XMLHttpRequest` because `fetch` reports no upload
//! progress: the progress as it goes, and a handle that cancels it.

use crate::api::{ApiClient, ClientError, encode};
use convoroom_api::Upload;
use js_sys::{Function, Promise};
use leptos::prelude::*;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, ProgressEvent, XmlHttpRequest};

/// How an upload ended, when it did not store the file.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// The agent cancelled it.
    Cancelled,
    /// The network or the server failed: trying again may work.
    Unreachable(String),
    /// The server refused this file (type, size, access): trying again will not help.
    Refused(String),
}

impl Failure {
    pub fn message(&self) -> String {
        match self {
            Failure::Cancelled => "Cancelled.".into(),
            Failure::Unreachable(why) | Failure::Refused(why) => why.clone(),
        }
    }
}

/// An upload in flight: cancel it with [`Transfer::cancel`].
#[derive(Clone)]
pub struct Transfer {
    request: XmlHttpRequest,
    cancelled: Rc<Cell<bool>>,
}

impl Transfer {
    pub fn cancel(&self) {
        self.cancelled.set(true);
        let _ = self.request.abort();
    }
}

/// Starts uploading `blob` for a conversation; `progress` hears the fraction sent (0–1).
/// Returns the handle and the outcome to wait for.
pub fn start(
    client: &ApiClient,
    conversation_id: &str,
    name: &str,
    mime_type: &str,
    blob: &Blob,
    progress: Box<dyn Fn(f64)>,
) -> Result<
    (
        Transfer,
        impl std::future::Future<Output = Result<Upload, Failure>> + use<>,
    ),
    Failure,
> {
    let unreachable = |_| Failure::Unreachable("The upload could not start.".into());
    let request = XmlHttpRequest::new().map_err(unreachable)?;
    let url = client.endpoint(&format!(
        "/uploads?conversation_id={}&name={}",
        encode(conversation_id),
        encode(name)
    ));
    request.open("POST", &url).map_err(unreachable)?;
    if let Some(token) = client.token.get_untracked() {
        request
            .set_request_header("Authorization", &format!("Bearer {token}"))
            .map_err(unreachable)?;
    }
    request
        .set_request_header("Content-Type", mime_type)
        .map_err(unreachable)?;
    request
        .set_request_header("Accept", "application/json")
        .map_err(unreachable)?;
    let on_progress = Closure::<dyn Fn(ProgressEvent)>::new(move |event: ProgressEvent| {
        if event.length_computable() && event.total() > 0.0 {
            progress(event.loaded() / event.total());
        }
    });
    if let Ok(upload) = request.upload() {
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    }
    let finished = Promise::new(&mut |resolve: Function, _reject: Function| {
        let on_end = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        request.set_onloadend(Some(on_end.unchecked_ref()));
    });
    request
        .send_with_opt_blob(Some(blob))
        .map_err(unreachable)?;
    let transfer = Transfer {
        request: request.clone(),
        cancelled: Rc::new(Cell::new(false)),
    };
    let cancelled = transfer.cancelled.clone();
    let client = client.clone();
    let outcome = async move {
        let _ = JsFuture::from(finished).await;
        // Kept alive until the upload ends.
        drop(on_progress);
        if cancelled.get() {
            return Err(Failure::Cancelled);
        }
        let status = request.status().unwrap_or(0);
        let text = request.response_text().ok().flatten().unwrap_or_default();
        if status == 0 {
            return Err(Failure::Unreachable(
                "Can't reach Convoroom: the file is kept and goes up when you send.".into(),
            ));
        }
        if (200..300).contains(&status) {
            return serde_json::from_str(&text)
                .map_err(|e| Failure::Unreachable(ClientError::Decode(e.to_string()).to_string()));
        }
        let error = client.error_reply(status, &text);
        if status >= 500 || status == 429 {
            Err(Failure::Unreachable(error.to_string()))
        } else {
            Err(Failure::Refused(error.to_string()))
        }
    };
    Ok((transfer, outcome))
}
