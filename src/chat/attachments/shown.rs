//! Uploaded files in the log. They need the agent's token, which never goes into a URL, so
//! they are fetched with `Authorization` and shown from an object URL (kept for the page's
//! life, so a message scrolled out of the window and back is not fetched again).

use crate::api::{ApiClient, ClientError};
use crate::ui::icons::icon;
use convoroom_api::{self as api, AttachmentKind, upload::format_size};
use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::JsCast;

thread_local! {
    static OBJECT_URLS: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
}

/// The object URL of an uploaded file, fetched once.
async fn object_url(client: ApiClient, upload_id: String) -> Result<String, String> {
    if let Some(url) = OBJECT_URLS.with(|urls| urls.borrow().get(&upload_id).cloned()) {
        return Ok(url);
    }
    let path = format!("/uploads/{}", crate::api::encode(&upload_id));
    let mut request = gloo_net::http::Request::get(&client.endpoint(&path));
    if let Some(token) = client.token.get_untracked() {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    let unreachable = |e: String| ClientError::Network(e).to_string();
    let response = request
        .send()
        .await
        .map_err(|e| unreachable(e.to_string()))?;
    if !response.ok() {
        let text = response.text().await.unwrap_or_default();
        return Err(client.error_reply(response.status(), &text).to_string());
    }
    let mime = response.headers().get("content-type").unwrap_or_default();
    let bytes = response
        .binary()
        .await
        .map_err(|e| unreachable(e.to_string()))?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(&mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|_| unreachable("no blob".into()))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| unreachable("no object URL".into()))?;
    OBJECT_URLS.with(|urls| urls.borrow_mut().insert(upload_id, url.clone()));
    Ok(url)
}

/// Saves a file under its name, as a link with `download` would.
fn save_as(url: &str, name: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Ok(link) = document.create_element("a")
        && let Ok(link) = link.dyn_into::<web_sys::HtmlAnchorElement>()
    {
        link.set_href(url);
        link.set_download(name);
        link.click();
    }
}

/// An attachment stored through `POST /uploads`.
#[component]
pub fn UploadedAttachment(attachment: api::Attachment, upload_id: String) -> impl IntoView {
    let client = crate::auth::use_auth().client();
    let name = attachment.name.clone();
    let size = attachment.size_bytes.map(format_size).unwrap_or_default();
    match attachment.kind {
        AttachmentKind::Image | AttachmentKind::Audio => {
            let kind = attachment.kind;
            let fetch_client = client.clone();
            let fetch_id = upload_id.clone();
            let loaded =
                LocalResource::new(move || object_url(fetch_client.clone(), fetch_id.clone()));
            let shown_name = name.clone();
            view! {
                <Suspense fallback=move || view! {
                    <span class="attachment attachment--file attachment--loading">{icon("file")}<span>{shown_name.clone()}</span></span>
                }>
                    {move || loaded.get().map(|result| match (result, kind) {
                        (Ok(url), AttachmentKind::Image) => view! {
                            <a class="attachment attachment--image" href=url.clone() target="_blank" rel="noopener noreferrer">
                                <img src=url.clone() alt=name.clone()/>
                            </a>
                        }.into_any(),
                        (Ok(url), _) => view! {
                            <figure class="attachment attachment--audio">
                                <audio controls preload="metadata" src=url aria-label=format!("Audio: {name}")></audio>
                                <figcaption>{name.clone()}</figcaption>
                            </figure>
                        }.into_any(),
                        (Err(why), _) => view! {
                            <span class="attachment attachment--file" role="note">
                                {icon("alert")}<span>{format!("{name} could not be loaded. {why}")}</span>
                            </span>
                        }.into_any(),
                    })}
                </Suspense>
            }
            .into_any()
        }
        AttachmentKind::File => {
            let error = RwSignal::new(None::<String>);
            let busy = RwSignal::new(false);
            let download_name = name.clone();
            let download = move |_| {
                let client = client.clone();
                let upload_id = upload_id.clone();
                let name = download_name.clone();
                busy.set(true);
                leptos::task::spawn_local(async move {
                    match object_url(client, upload_id).await {
                        Ok(url) => {
                            error.set(None);
                            save_as(&url, &name);
                        }
                        Err(why) => {
                            error.set(Some(format!("{name} could not be downloaded. {why}")))
                        }
                    }
                    busy.set(false);
                });
            };
            view! {
                <span class="attachment-download">
                    <button
                        type="button"
                        class="attachment attachment--file"
                        aria-busy=move || busy.get().to_string()
                        on:click=download
                    >
                        {icon("file")}
                        // The name says what the button does; the visible text stays part of it.
                        <span class="sr-only">"Download "</span>
                        <span>{name.clone()}</span>
                        " "
                        <span class="attachment__size">{size.clone()}</span>
                    </button>
                    {move || error.get().map(|why| view! { <span class="attachment__error" role="alert">{why}</span> })}
                </span>
            }
            .into_any()
        }
    }
}
