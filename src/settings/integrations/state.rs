//! What the Integrations page keeps, as plain data: the list (newer version wins), the secrets
//! an answer carried (shown once, never kept in the list), and the delivery log's pages.

use crate::record::keep_newer;
use convoroom_api::{DeliveryAttempt, Integration, Page};

/// The inbound token and signing secret of one integration, as the answer that created it (or
/// rotated its secret) carried them. The server never shows them again, so the page shows
/// them until the admin says they are saved, and nowhere else.
#[derive(Debug, Clone, PartialEq)]
pub struct RevealedSecrets {
    pub integration_id: String,
    pub name: String,
    pub inbound_token: Option<String>,
    pub signing_secret: Option<String>,
}

impl RevealedSecrets {
    /// Takes the secrets out of an answer, leaving a record fit for the list.
    pub fn take_from(integration: &mut Integration) -> Option<RevealedSecrets> {
        let inbound_token = integration.inbound_token.take();
        let signing_secret = integration.signing_secret.take();
        (inbound_token.is_some() || signing_secret.is_some()).then(|| RevealedSecrets {
            integration_id: integration.id.clone(),
            name: integration.name.clone(),
            inbound_token,
            signing_secret,
        })
    }
}

/// Keeps an answer in the list (without its secrets); an older version never replaces a newer.
/// Says which secrets it carried.
pub fn upsert(
    list: &mut Vec<Integration>,
    mut integration: Integration,
) -> Option<RevealedSecrets> {
    let secrets = RevealedSecrets::take_from(&mut integration);
    match list.iter_mut().find(|i| i.id == integration.id) {
        Some(held) => {
            keep_newer(held, integration);
        }
        None => list.push(integration),
    }
    secrets
}

/// A fresh copy of the list from the server replaces what is held, except where this page
/// already holds a newer version (a write's answer that beat the reload).
pub fn replace_all(list: &mut Vec<Integration>, fresh: Vec<Integration>) {
    let held = std::mem::take(list);
    *list = fresh
        .into_iter()
        .map(|mut fresh| {
            fresh.inbound_token = None;
            fresh.signing_secret = None;
            match held.iter().find(|h| h.id == fresh.id) {
                Some(h) if h.version > fresh.version => h.clone(),
                _ => fresh,
            }
        })
        .collect();
}

/// The delivery log of one integration: the pages loaded so far, newest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AttemptLog {
    pub items: Vec<DeliveryAttempt>,
    /// Where "Load more" continues; `None` once the oldest entry is shown.
    pub next_cursor: Option<String>,
    /// Whether a first page has arrived (an empty log reads "No deliveries yet" only then).
    pub loaded: bool,
}

impl AttemptLog {
    /// The newest page, read again: it replaces what is shown (and where "Load more" goes).
    pub fn first_page(page: Page<DeliveryAttempt>) -> AttemptLog {
        AttemptLog {
            items: page.items,
            next_cursor: page.next_cursor,
            loaded: true,
        }
    }

    /// An older page goes below; an entry already shown (the log moved on while the admin
    /// read it, shifting the pages) is not shown twice.
    pub fn append(&mut self, page: Page<DeliveryAttempt>) {
        for attempt in page.items {
            if !self.items.iter().any(|a| a.id == attempt.id) {
                self.items.push(attempt);
            }
        }
        self.next_cursor = page.next_cursor;
        self.loaded = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use convoroom_api::{AttemptOutcome, Channel, IntegrationHealth, WebhookEventType};

    pub fn integration(id: &str, version: i64) -> Integration {
        Integration {
            id: id.into(),
            name: format!("Bridge {id}"),
            channels: vec![Channel::Whatsapp],
            webhook_url: "https://bridge.example/hook".into(),
            paused: false,
            created_at: "2026-12-07T09:00:00Z".into(),
            health: IntegrationHealth::default(),
            version,
            inbound_token: None,
            signing_secret: None,
        }
    }

    fn attempt(id: &str) -> DeliveryAttempt {
        DeliveryAttempt {
            id: id.into(),
            event: WebhookEventType::MessageCreated,
            message_id: None,
            conversation_id: None,
            at: "2026-12-07T09:00:00Z".into(),
            attempt: 1,
            outcome: AttemptOutcome::Delivered,
            http_status: Some(200),
            error: None,
            response_excerpt: None,
            duration_ms: 12,
        }
    }

    #[test]
    fn secrets_leave_the_answer_and_never_enter_the_list() {
        let mut list = vec![];
        let mut created = integration("1", 1);
        created.inbound_token = Some("tok".into());
        created.signing_secret = Some("sec".into());
        let shown = upsert(&mut list, created).expect("secrets");
        assert_eq!(shown.inbound_token.as_deref(), Some("tok"));
        assert_eq!(shown.signing_secret.as_deref(), Some("sec"));
        assert!(list[0].inbound_token.is_none() && list[0].signing_secret.is_none());
        // An answer without secrets reveals nothing.
        assert!(upsert(&mut list, integration("1", 2)).is_none());
        assert_eq!(list[0].version, 2);
    }

    #[test]
    fn a_reload_keeps_a_newer_answer() {
        let mut list = vec![integration("1", 3)];
        replace_all(&mut list, vec![integration("1", 2), integration("2", 1)]);
        assert_eq!(
            list.iter()
                .map(|i| (i.id.as_str(), i.version))
                .collect::<Vec<_>>(),
            [("1", 3), ("2", 1)]
        );
        // Removed elsewhere: gone.
        replace_all(&mut list, vec![integration("2", 1)]);
        assert_eq!(list.len(), 1);
    }

    #[test]
    fn load_more_appends_older_entries_once() {
        let mut log = AttemptLog::first_page(Page {
            items: vec![attempt("9"), attempt("8")],
            next_cursor: Some("c1".into()),
        });
        log.append(Page {
            items: vec![attempt("8"), attempt("7")],
            next_cursor: None,
        });
        let ids: Vec<_> = log.items.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["9", "8", "7"]);
        assert_eq!(log.next_cursor, None);
    }
}
