//! Files attached to a message. The composer takes them by button, drop or paste, checks them
//! against the contract's limits before anything is uploaded, keeps them in IndexedDB and
//! uploads them at once (with progress and cancel); the outbox sends the message with them,
//! uploading any that did not go up yet, so nothing is lost to a reload or an outage.

pub mod blob_store;
mod sending;
pub mod shown;
pub mod transfer;
pub mod tray;

pub use sending::{release, upload_missing};
pub use tray::{AttachButton, DropZone, Tray};

use super::ChatState;
use crate::storage;
use convoroom_api::upload::{self, MAX_ATTACHMENTS};
use convoroom_api::{AttachUpload, AttachmentKind};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use transfer::{Failure, Transfer};
use web_sys::Blob;

/// A file of a message not sent yet, as the composer and the outbox keep it (its bytes are in
/// [`blob_store`] under `local_id`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileRef {
    pub local_id: String,
    pub name: String,
    pub mime_type: String,
    pub size_bytes: u64,
    pub kind: AttachmentKind,
    /// Set once the server stored it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload_id: Option<String>,
}

impl FileRef {
    pub fn attach(&self) -> Option<AttachUpload> {
        Some(AttachUpload {
            upload_id: self.upload_id.clone()?,
            name: self.name.clone(),
        })
    }
}

/// A file in the composer.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub file: FileRef,
    /// The fraction uploaded, while it uploads.
    pub progress: Option<f64>,
    /// The server refused it: it must be removed before sending.
    pub refused: Option<String>,
    /// The upload failed on the way; the outbox tries again when the message is sent.
    pub waiting: Option<String>,
    /// An object URL of an image, for its thumbnail.
    pub preview: Option<String>,
}

fn drafts_key(conversation_id: &str) -> String {
    format!("convoroom.draft-files.{conversation_id}")
}

/// Whether one more file may join `held`, and what it becomes; the reason in words if not.
pub fn admit(held: usize, name: &str, mime: &str, size: u64) -> Result<AttachmentKind, String> {
    if held >= MAX_ATTACHMENTS {
        return Err(format!(
            "{name} was not attached: at most {MAX_ATTACHMENTS} files go with one message."
        ));
    }
    upload::check(name, mime, size).map_err(|refusal| refusal.message(name))
}

/// The composer's files for the open conversation.
#[derive(Clone, Copy)]
pub struct Drafts {
    chat: ChatState,
    pub files: RwSignal<Vec<Draft>>,
    /// Why files of the last pick, drop or paste were not attached.
    pub refusals: RwSignal<Vec<String>>,
    transfers: StoredValue<HashMap<String, Transfer>, LocalStorage>,
}

impl Drafts {
    pub fn new(chat: ChatState) -> Drafts {
        let stored: Vec<FileRef> = storage::load(&drafts_key(&chat.id())).unwrap_or_default();
        let drafts = Drafts {
            chat,
            files: RwSignal::new(
                stored
                    .iter()
                    .map(|file| Draft {
                        file: file.clone(),
                        progress: None,
                        refused: None,
                        waiting: None,
                        preview: None,
                    })
                    .collect(),
            ),
            refusals: RwSignal::new(Vec::new()),
            transfers: StoredValue::new_local(HashMap::new()),
        };
        // After a reload: the thumbnails again, and the uploads that had not finished.
        for file in stored {
            leptos::task::spawn_local(async move {
                let Some(blob) = blob_store::get(&file.local_id).await else {
                    drafts.forget(&file.local_id);
                    drafts.refusals.update(|r| {
                        r.push(format!(
                            "{} is no longer on this device: attach it again.",
                            file.name
                        ))
                    });
                    return;
                };
                drafts.set_preview(&file, &blob);
                if file.upload_id.is_none() {
                    drafts.upload(file, blob);
                }
            });
        }
        drafts
    }

    fn save(&self) {
        let files: Vec<FileRef> = self
            .files
            .with_untracked(|d| d.iter().map(|d| d.file.clone()).collect());
        let key = drafts_key(&self.chat.id());
        if files.is_empty() {
            storage::remove(&key);
        } else {
            storage::save(&key, &files);
        }
    }

    fn edit(&self, local_id: &str, change: impl FnOnce(&mut Draft)) {
        self.files.update(|files| {
            if let Some(draft) = files.iter_mut().find(|d| d.file.local_id == local_id) {
                change(draft);
            }
        });
    }

    fn set_preview(&self, file: &FileRef, blob: &Blob) {
        if file.kind == AttachmentKind::Image
            && let Ok(url) = web_sys::Url::create_object_url_with_blob(blob)
        {
            self.edit(&file.local_id, |d| d.preview = Some(url));
        }
    }

    /// Files picked, dropped or pasted: those within the limits are kept and start uploading.
    pub fn add(&self, picked: Vec<web_sys::File>) {
        let mut refusals = Vec::new();
        for file in picked {
            let held = self.files.with_untracked(Vec::len);
            let name = file.name();
            let size = file.size() as u64;
            let kind = match admit(held, &name, &file.type_(), size) {
                Ok(kind) => kind,
                Err(why) => {
                    refusals.push(why);
                    continue;
                }
            };
            let now = crate::ui::time::now_ms();
            let file_ref = FileRef {
                local_id: crate::api::new_client_id(now, js_sys::Math::random()),
                name,
                mime_type: upload::normalize_type(&file.type_()),
                size_bytes: size,
                kind,
                upload_id: None,
            };
            self.files.update(|files| {
                files.push(Draft {
                    file: file_ref.clone(),
                    progress: Some(0.0),
                    refused: None,
                    waiting: None,
                    preview: None,
                })
            });
            let blob: Blob = file.into();
            self.set_preview(&file_ref, &blob);
            let drafts = *self;
            leptos::task::spawn_local(async move {
                blob_store::put(&file_ref.local_id, &blob).await;
                drafts.upload(file_ref, blob);
            });
        }
        self.refusals.set(refusals);
        self.save();
    }

    fn upload(&self, file: FileRef, blob: Blob) {
        let drafts = *self;
        let local_id = file.local_id.clone();
        let progress_id = local_id.clone();
        let started = transfer::start(
            &self.chat.auth.client(),
            &self.chat.id(),
            &file.name,
            &file.mime_type,
            &blob,
            Box::new(move |fraction| drafts.edit(&progress_id, |d| d.progress = Some(fraction))),
        );
        let (handle, outcome) = match started {
            Ok(started) => started,
            Err(failure) => {
                self.edit(&local_id, |d| {
                    d.progress = None;
                    d.waiting = Some(failure.message());
                });
                return;
            }
        };
        self.edit(&local_id, |d| {
            d.progress = Some(0.0);
            d.waiting = None;
        });
        self.transfers
            .update_value(|t| drop(t.insert(local_id.clone(), handle)));
        leptos::task::spawn_local(async move {
            let result = outcome.await;
            drafts.transfers.update_value(|t| drop(t.remove(&local_id)));
            match result {
                Ok(stored) => {
                    drafts.edit(&local_id, |d| {
                        d.progress = None;
                        d.file.upload_id = Some(stored.id);
                    });
                    drafts.save();
                }
                Err(Failure::Cancelled) => {}
                Err(Failure::Refused(why)) => drafts.edit(&local_id, |d| {
                    d.progress = None;
                    d.refused = Some(why);
                }),
                Err(Failure::Unreachable(why)) => drafts.edit(&local_id, |d| {
                    d.progress = None;
                    d.waiting = Some(why);
                }),
            }
        });
    }

    fn forget(&self, local_id: &str) {
        if let Some(transfer) = self
            .transfers
            .try_update_value(|t| t.remove(local_id))
            .flatten()
        {
            transfer.cancel();
        }
        self.files.update(|files| {
            files.retain(|d| {
                let keep = d.file.local_id != local_id;
                if !keep && let Some(url) = &d.preview {
                    let _ = web_sys::Url::revoke_object_url(url);
                }
                keep
            })
        });
        self.save();
    }

    /// Removes a file (cancelling its upload) and its stored bytes.
    pub fn remove(&self, local_id: &str) {
        self.forget(local_id);
        let local_id = local_id.to_string();
        leptos::task::spawn_local(async move { blob_store::delete(&local_id).await });
    }

    pub fn is_empty(&self) -> bool {
        self.files.with(Vec::is_empty)
    }

    /// A refused file is still in the composer.
    pub fn blocks_sending(&self) -> bool {
        self.files.with(|f| f.iter().any(|d| d.refused.is_some()))
    }

    /// The files, for a message being sent: the composer lets them go and the outbox owns
    /// their stored bytes from here (it uploads any still missing).
    pub fn take(&self) -> Vec<FileRef> {
        self.transfers.update_value(|t| {
            for (_, transfer) in t.drain() {
                transfer.cancel();
            }
        });
        let taken = self.files.with_untracked(|files| {
            for url in files.iter().filter_map(|d| d.preview.as_ref()) {
                let _ = web_sys::Url::revoke_object_url(url);
            }
            files.iter().map(|d| d.file.clone()).collect()
        });
        self.files.set(Vec::new());
        self.refusals.set(Vec::new());
        self.save();
        taken
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sixth_file_and_files_out_of_bounds_are_refused_with_reasons() {
        assert_eq!(
            admit(0, "a.png", "image/png", 10),
            Ok(AttachmentKind::Image)
        );
        assert!(
            admit(5, "a.png", "image/png", 10)
                .unwrap_err()
                .contains("at most 5")
        );
        assert!(
            admit(0, "a.exe", "application/x-msdownload", 10)
                .unwrap_err()
                .starts_with("a.exe can't be attached")
        );
        assert!(
            admit(0, "big.pdf", "application/pdf", 11 << 20)
                .unwrap_err()
                .contains("larger than 10 MB")
        );
    }

    #[test]
    fn only_uploaded_files_are_attached() {
        let mut file = FileRef {
            local_id: "l".into(),
            name: "a.png".into(),
            mime_type: "image/png".into(),
            size_bytes: 3,
            kind: AttachmentKind::Image,
            upload_id: None,
        };
        assert_eq!(file.attach(), None);
        file.upload_id = Some("abc".into());
        assert_eq!(file.attach().unwrap().upload_id, "abc");
        // Older outbox entries (without files) still read.
        let old: FileRef = serde_json::from_str(
            r#"{"local_id":"l","name":"a","mime_type":"text/plain","size_bytes":1,"kind":"file"}"#,
        )
        .unwrap();
        assert_eq!(old.upload_id, None);
    }
}
