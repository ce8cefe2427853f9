//! The notifications the app holds, and the unread count, kept right whatever order the
//! list load and the live events arrive in: a notification the server refreshes (a second
//! customer message) keeps its id, so it replaces the one held instead of counting twice.

use convoroom_api as api;

/// The most notifications held (and loaded): older ones are on the server.
pub const HELD: usize = 100;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inbox {
    items: Vec<api::Notification>,
    /// All unread ones, held or not (the server counts them).
    unread: u32,
    loaded: bool,
}

impl Inbox {
    pub fn items(&self) -> &[api::Notification] {
        &self.items
    }

    pub fn unread(&self) -> u32 {
        self.unread
    }

    pub fn loaded(&self) -> bool {
        self.loaded
    }

    /// The list as loaded. Events that arrived while it loaded are in it already.
    pub fn replace(&mut self, list: api::NotificationList) {
        self.items = list.items;
        self.unread = list.unread;
        self.loaded = true;
        self.sort();
    }

    /// A new or refreshed notification. Returns whether it is news to the agent (to alert):
    /// not when the same notification at the same time was held already (an event replayed
    /// after a reconnect, or one the list load already brought).
    pub fn created(&mut self, notification: api::Notification) -> bool {
        let news = !notification.read;
        match self.items.iter_mut().find(|n| n.id == notification.id) {
            Some(held) => {
                let again = held.created_at == notification.created_at;
                if held.read && !notification.read {
                    self.unread += 1;
                } else if !held.read && notification.read {
                    self.unread = self.unread.saturating_sub(1);
                }
                *held = notification;
                self.sort();
                news && !again
            }
            None => {
                if news {
                    self.unread += 1;
                }
                self.items.push(notification);
                self.sort();
                self.items.truncate(HELD);
                news
            }
        }
    }

    /// These were read (here, in another tab, or by opening their conversation). The server
    /// names only ones that were unread, so ids not held still count down.
    pub fn read(&mut self, ids: &[String]) {
        for id in ids {
            match self.items.iter_mut().find(|n| &n.id == id) {
                Some(held) if held.read => {}
                Some(held) => {
                    held.read = true;
                    self.unread = self.unread.saturating_sub(1);
                }
                None => self.unread = self.unread.saturating_sub(1),
            }
        }
    }

    /// Read at once on this screen, before the server answers (the event then changes
    /// nothing). Returns the ids that were unread, to send.
    pub fn read_now(&mut self, which: impl Fn(&api::Notification) -> bool) -> Vec<String> {
        let ids: Vec<String> = self
            .items
            .iter()
            .filter(|n| !n.read && which(n))
            .map(|n| n.id.clone())
            .collect();
        self.read(&ids);
        ids
    }

    /// The Mentions list: conversations with an unread mention, newest first, each once.
    pub fn mentions(&self) -> Vec<api::Notification> {
        let mut seen: Vec<&str> = Vec::new();
        self.items
            .iter()
            .filter(|n| n.kind == api::NotificationKind::Mention && !n.read)
            .filter(|n| {
                let first = !seen.contains(&n.conversation_id.as_str());
                seen.push(&n.conversation_id);
                first
            })
            .cloned()
            .collect()
    }

    fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (b.created_at.as_str(), id_number(&b.id))
                .cmp(&(a.created_at.as_str(), id_number(&a.id)))
        });
    }
}

fn id_number(id: &str) -> u64 {
    id.parse().unwrap_or_default()
}

/// The tab's title: "(3) Convoroom" while 3 are unread.
pub fn title(unread: u32) -> String {
    match unread {
        0 => "Convoroom".to_string(),
        n if n > 99 => "(99+) Convoroom".to_string(),
        n => format!("({n}) Convoroom"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(
        id: &str,
        kind: api::NotificationKind,
        conversation: &str,
        at: &str,
    ) -> api::Notification {
        api::Notification {
            id: id.into(),
            kind,
            conversation_id: conversation.into(),
            contact_name: "Greta Kühn".into(),
            actor_id: None,
            message_id: None,
            preview: String::new(),
            created_at: format!("2026-12-07T10:00:{at}.000Z"),
            read: false,
        }
    }

    use api::NotificationKind::{Mention, Message};

    #[test]
    fn a_refreshed_notification_replaces_the_held_one_and_counts_once() {
        let mut inbox = Inbox::default();
        assert!(inbox.created(note("1", Message, "7", "01")));
        // Replayed after a reconnect: held already, no alert, no count.
        assert!(!inbox.created(note("1", Message, "7", "01")));
        assert_eq!(inbox.unread(), 1);
        // Refreshed by a second customer message: news, still one.
        assert!(inbox.created(note("1", Message, "7", "05")));
        assert_eq!((inbox.unread(), inbox.items().len()), (1, 1));
        assert!(inbox.created(note("2", Mention, "8", "03")));
        assert_eq!(inbox.items()[0].id, "1", "newest first");
        assert_eq!(inbox.unread(), 2);
    }

    #[test]
    fn reads_count_down_once_even_for_ones_not_held() {
        let mut inbox = Inbox::default();
        inbox.replace(api::NotificationList {
            items: vec![note("1", Message, "7", "01"), note("2", Mention, "8", "02")],
            unread: 5,
        });
        assert_eq!(inbox.read_now(|n| n.conversation_id == "8"), vec!["2"]);
        assert_eq!(inbox.unread(), 4);
        // The server's event for the same read changes nothing more.
        inbox.read(&["2".to_string()]);
        assert_eq!(inbox.unread(), 4);
        // Three older unread ones, not held, read in another tab.
        inbox.read(&["90".into(), "91".into(), "92".into()]);
        assert_eq!(inbox.unread(), 1);
        inbox.read(&["1".into(), "93".into()]);
        assert_eq!(inbox.unread(), 0);
    }

    #[test]
    fn the_mentions_list_holds_each_conversation_with_an_unread_mention_once() {
        let mut inbox = Inbox::default();
        inbox.created(note("1", Mention, "7", "01"));
        inbox.created(note("2", Mention, "7", "02"));
        inbox.created(note("3", Mention, "8", "03"));
        inbox.created(note("4", Message, "9", "04"));
        let ids: Vec<String> = inbox.mentions().into_iter().map(|n| n.id).collect();
        assert_eq!(ids, ["3", "2"]);
        inbox.read_now(|n| n.conversation_id == "8");
        assert_eq!(inbox.mentions().len(), 1);
    }

    #[test]
    fn the_title_counts_unread() {
        assert_eq!(title(0), "Convoroom");
        assert_eq!(title(3), "(3) Convoroom");
        assert_eq!(title(120), "(99+) Convoroom");
    }
}
