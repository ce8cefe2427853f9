//! Sending an outbox entry: its files first (those that did not go up yet), then the message,
//! with the same `client_id` however often it is tried; and discarding one.

use super::ChatState;
use convoroom_api as api;
use leptos::prelude::*;

/// Sends (or resends) an outbox entry. Safe to repeat: the server dedupes by `client_id`.
pub fn send_pending(chat: ChatState, client_id: String) {
    let Some(pending) = chat
        .outbox
        .with_untracked(|o| o.iter().find(|p| p.client_id == client_id).cloned())
    else {
        return;
    };
    chat.outbox.update(|o| {
        if let Some(p) = o.iter_mut().find(|p| p.client_id == client_id) {
            p.failed = None;
        }
    });
    let client = chat.auth.client();
    leptos::task::spawn_local(async move {
        let attachments =
            match super::attachments::upload_missing(chat, &client_id, pending.attachments.clone())
                .await
            {
                Ok(attachments) => attachments,
                Err(failure) => {
                    fail(chat, &client_id, failure.message());
                    return;
                }
            };
        let request = api::SendMessage {
            client_id: pending.client_id.clone(),
            mode: pending.mode,
            body: pending.body.clone(),
            attachments,
        };
        match client.send_message(&chat.id(), &request).await {
            Ok(message) => {
                chat.receive(message);
                super::attachments::release(&pending.attachments);
                if let Some(body) = pending.resolve_after {
                    super::resolve::resolve(chat, body);
                }
            }
            Err(err) => fail(
                chat,
                &client_id,
                if err.is_unreachable() {
                    "Can't reach Convoroom — your message is saved and will be sent when you're back online.".to_string()
                } else {
                    err.to_string()
                },
            ),
        }
    });
}

fn fail(chat: ChatState, client_id: &str, reason: String) {
    chat.outbox.update(|o| {
        if let Some(p) = o.iter_mut().find(|p| p.client_id == client_id) {
            p.failed = Some(reason);
        }
    });
    chat.save_outbox();
}

pub fn discard(chat: ChatState, client_id: &str) {
    let mut dropped = Vec::new();
    chat.outbox.update(|o| {
        o.retain(|p| {
            let keep = p.client_id != client_id;
            if !keep {
                dropped.extend(p.attachments.iter().cloned());
            }
            keep
        })
    });
    chat.save_outbox();
    super::attachments::release(&dropped);
}
