//! Component tests in headless Chromium (`cargo xtask test` runs them through
//! wasm-bindgen-test-runner). Native unit tests cover the pure logic beside each module.
#![cfg(target_arch = "wasm32")]

use convoroom::chat::outbox::{self, Pending};
use convoroom_api as api;
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod common;
use common::{container, conversation, workspace};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_row_shows_hostile_text_as_text() {
    let hostile_name = "<img src=x onerror=alert(1)>";
    let hostile_preview = "<script>document.title='owned'</script>";
    let opened = RwSignal::new(None::<String>);
    let host = container();
    let _mounted = mount_to(host.clone(), move || {
        convoroom::workspace::Workspace::provide(workspace());
        view! {
            <convoroom::conversation_list::ConversationRow
                conversation=conversation(hostile_name, hostile_preview)
                index=0
                set_size=1
                selected=Signal::derive(|| true)
                active=Signal::derive(|| false)
                link="/conversations/7".to_string()
                on_open=Callback::new(move |id| opened.set(Some(id)))
            />
        }
    });
    leptos::task::tick().await;

    let option = host
        .query_selector("[role=option]")
        .unwrap()
        .expect("the row is an option");
    assert_eq!(
        option.get_attribute("aria-selected").as_deref(),
        Some("true")
    );
    let text = option.text_content().unwrap();
    assert!(text.contains(hostile_name), "{text}");
    assert!(text.contains(hostile_preview), "{text}");
    assert!(
        text.contains("Quote Request")
            && text.contains("tier::gold")
            && text.contains("Maya Patel")
    );
    assert!(
        host.query_selector("img, script").unwrap().is_none(),
        "markup from the API was interpreted"
    );
    assert_eq!(
        host.query_selector(".badge")
            .unwrap()
            .unwrap()
            .text_content()
            .as_deref(),
        Some("3")
    );

    option.unchecked_ref::<web_sys::HtmlElement>().click();
    assert_eq!(opened.get_untracked().as_deref(), Some("42"));
}

#[wasm_bindgen_test]
fn the_outbox_survives_in_local_storage() {
    let key = outbox::storage_key("test-conversation");
    let pending = vec![Pending {
        client_id: "c1".into(),
        mode: api::ComposeMode::Reply,
        body: "Your refund is on its way".into(),
        failed: Some("Can't reach the server".into()),
        created_at_ms: 1,
        resolve_after: Some(api::ResolveConversation {
            disposition: Some("Refund issued".into()),
            ..Default::default()
        }),
        attachments: vec![convoroom::chat::attachments::FileRef {
            local_id: "f1".into(),
            name: "receipt.pdf".into(),
            mime_type: "application/pdf".into(),
            size_bytes: 1200,
            kind: api::AttachmentKind::File,
            upload_id: None,
        }],
    }];
    assert!(convoroom::storage::save(&key, &pending));
    let restored: Vec<Pending> = convoroom::storage::load(&key).expect("stored");
    assert_eq!(restored, pending);
    convoroom::storage::remove(&key);
    assert!(convoroom::storage::load::<Vec<Pending>>(&key).is_none());
}

/// The bytes of a file waiting to be sent live in IndexedDB (a reload keeps them) until they
/// are released.
#[wasm_bindgen_test]
async fn attached_files_are_kept_in_indexed_db_until_released() {
    use convoroom::chat::attachments::blob_store;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str("receipt text"));
    let blob = web_sys::Blob::new_with_str_sequence(&parts).expect("a blob");
    assert!(blob_store::put("test-file", &blob).await);
    blob_store::drop_page_copies();
    let kept = blob_store::get("test-file").await.expect("kept");
    let text = wasm_bindgen_futures::JsFuture::from(kept.text())
        .await
        .expect("text");
    assert_eq!(text.as_string().as_deref(), Some("receipt text"));
    blob_store::delete("test-file").await;
    assert!(blob_store::get("test-file").await.is_none());
    assert!(blob_store::get("never-stored").await.is_none());
}
