//! The outbox's side: a message's files that did not go up yet are uploaded before it is sent,
//! and their stored bytes are dropped once the server has the message.

use super::transfer::{self, Failure};
use super::{FileRef, blob_store};
use crate::chat::ChatState;
use convoroom_api::AttachUpload;
use leptos::prelude::*;

/// For the outbox: uploads the files of a message that are not on the server yet (recording
/// each id in the outbox as it comes), then the attachments to send.
pub async fn upload_missing(
    chat: ChatState,
    client_id: &str,
    files: Vec<FileRef>,
) -> Result<Vec<AttachUpload>, transfer::Failure> {
    let client = chat.auth.client();
    let mut attached = Vec::with_capacity(files.len());
    for mut file in files {
        if file.upload_id.is_none() {
            let blob = blob_store::get(&file.local_id).await.ok_or_else(|| {
                Failure::Refused(format!(
                    "{} is no longer on this device: discard this message and attach the file again.",
                    file.name
                ))
            })?;
            let offline = |failure| {
                match failure {
                Failure::Unreachable(_) => Failure::Unreachable(
                    "Can't reach Convoroom — your message and its files are saved and will be sent when you're back online."
                        .into(),
                ),
                other => other,
            }
            };
            let (_, outcome) = transfer::start(
                &client,
                &chat.id(),
                &file.name,
                &file.mime_type,
                &blob,
                Box::new(|_| {}),
            )
            .map_err(offline)?;
            let stored = outcome.await.map_err(offline)?;
            file.upload_id = Some(stored.id.clone());
            chat.outbox.update(|o| {
                if let Some(p) = o.iter_mut().find(|p| p.client_id == client_id)
                    && let Some(f) = p
                        .attachments
                        .iter_mut()
                        .find(|f| f.local_id == file.local_id)
                {
                    f.upload_id = Some(stored.id);
                }
            });
            chat.save_outbox();
        }
        attached.extend(file.attach());
    }
    Ok(attached)
}

/// Drops the stored bytes of files the server now has with their message (or that the agent
/// discarded).
pub fn release(files: &[FileRef]) {
    let ids: Vec<String> = files.iter().map(|f| f.local_id.clone()).collect();
    if ids.is_empty() {
        return;
    }
    leptos::task::spawn_local(async move {
        for id in ids {
            blob_store::delete(&id).await;
        }
    });
}
