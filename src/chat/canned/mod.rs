//! Canned responses in the composer: `/` typed as the first character opens a list of the
//! responses matching what follows (the message box keeps the focus: arrows choose, Enter
//! inserts in place of the `/query`, Esc closes and leaves the text alone), and the "Canned
//! responses" button opens the same list with a search box, inserting at the cursor. Variables
//! are filled in for the open conversation; any `{{…}}` left is named under the box and
//! blocks sending until edited (`fill.rs`).

pub mod fill;
mod picker;

pub use picker::{CannedButton, SlashList, VariableWarnings};

use super::ChatState;
use crate::canned::use_canned;
use crate::record::keep_newer;
use convoroom_api as api;
use leptos::html;
use leptos::prelude::*;

/// The id of the slash list and of its options (`canned-slash-3`), for `aria-activedescendant`.
pub const SLASH_LIST_ID: &str = "canned-slash";
pub const SEARCH_LIST_ID: &str = "canned-search";
pub const WARNINGS_ID: &str = "composer-variables";
/// The most options a list shows at once.
pub const SHOWN_MATCHES: usize = 6;

/// The composer's canned-response state. `text` and `set_text` are the composer's draft and
/// its writer (which saves the draft), so an insertion is saved like typing.
#[derive(Clone, Copy)]
pub struct ComposerCanned {
    /// The agent's responses (absent in the embedded panel, which offers none).
    list: Option<crate::canned::CannedResponses>,
    chat: ChatState,
    text: RwSignal<String>,
    set_text: Callback<String>,
    pub textarea: NodeRef<html::Textarea>,
    /// The `/query` whose list Esc closed: it stays closed until the query changes.
    dismissed: RwSignal<Option<String>>,
    pub search_open: RwSignal<bool>,
    pub search: RwSignal<String>,
    /// The highlighted option of whichever list is open.
    pub active: RwSignal<usize>,
    /// The contact's full record, loaded when a variable needs more than their name.
    contact: RwSignal<Option<api::Contact>>,
    contact_requested: RwSignal<bool>,
    /// Why the contact's details could not be loaded (their variables then stay to edit).
    pub error: RwSignal<Option<String>>,
}

impl ComposerCanned {
    pub fn new(chat: ChatState, text: RwSignal<String>, set_text: Callback<String>) -> Self {
        let canned = ComposerCanned {
            list: use_canned(),
            chat,
            text,
            set_text,
            textarea: NodeRef::new(),
            dismissed: RwSignal::new(None),
            search_open: RwSignal::new(false),
            search: RwSignal::new(String::new()),
            active: RwSignal::new(0),
            contact: RwSignal::new(None),
            contact_requested: RwSignal::new(false),
            error: RwSignal::new(None),
        };
        // A new query highlights its best match again, and a list Esc closed opens again
        // once the query is another one.
        Effect::new(move |_| {
            let query = canned.slash_query();
            canned.search.track();
            canned.active.set(0);
            if canned.dismissed.get_untracked() != query {
                canned.dismissed.set(None);
            }
        });
        // A draft holding contact variables (typed, or restored after a reload) is checked
        // against the contact's record, so a warning never calls a field empty that is not.
        Effect::new(move |_| {
            if text.with(|t| fill::needs_contact(t)) {
                canned.load_contact();
            }
        });
        // Another agent's edit of the contact arrives live.
        if let Some(live) = use_context::<crate::live::LiveHub>() {
            live.subscribe(move |event| {
                if let api::EventPayload::ContactUpdated(updated) = &event.payload {
                    canned.contact.update(|held| match held {
                        Some(held) if held.id == updated.id => {
                            keep_newer(held, (**updated).clone());
                        }
                        _ => {}
                    });
                }
            });
        }
        canned
    }

    /// Whether this composer offers canned responses at all (not in the embedded panel).
    pub fn available(&self) -> bool {
        self.list.is_some()
    }

    /// What follows the leading `/` (tracked), while the slash list applies.
    pub fn slash_query(&self) -> Option<String> {
        self.text.with(|t| fill::slash_query(t).map(str::to_string))
    }

    /// Whether the slash list is showing (tracked).
    pub fn slash_open(&self) -> bool {
        self.list.is_some()
            && !self.search_open.get()
            && self
                .slash_query()
                .is_some_and(|q| self.dismissed.with(|d| d.as_deref() != Some(q.as_str())))
    }

    /// The best [`SHOWN_MATCHES`] responses matching `query` (tracked: follows the live
    /// list), and how many match in all. A short list needs no scrolling: typing more of the
    /// short code narrows it, which is quicker than scrolling and keeps the keyboard in the box.
    pub fn matches(&self, query: &str) -> (Vec<api::CannedResponse>, usize) {
        let mut all = self
            .list
            .map_or_else(Vec::new, |c| fill::ranked(&c.list(), query));
        let total = all.len();
        all.truncate(SHOWN_MATCHES);
        (all, total)
    }

    /// Why the list shows nothing yet (tracked): still loading, or the load failed.
    pub fn load_problem(&self) -> Option<String> {
        let list = self.list?;
        match list.resource().get() {
            None => Some("Loading canned responses…".to_string()),
            Some(Err(err)) => Some(format!("Couldn't load your canned responses. {err}")),
            Some(Ok(_)) => None,
        }
    }

    /// Reads the list again after a failed load.
    pub fn reload(&self) {
        if let Some(list) = self.list {
            list.reload();
        }
    }

    /// The sentences naming each `{{…}}` left in the draft (tracked).
    pub fn warnings(&self) -> Vec<String> {
        let text = self.text.get();
        if !text.contains("{{") {
            return Vec::new();
        }
        let values = self.values();
        fill::warnings(&text, &values, self.contact.with(Option::is_some))
    }

    /// Whether sending must wait: a `{{…}}` is left in the draft (tracked).
    pub fn blocks_sending(&self) -> bool {
        self.text.with(|t| !api::placeholders(t).is_empty())
    }

    fn values(&self) -> api::CannedValues {
        let agent = self.chat.auth.agent.get();
        self.chat.conversation.with(|c| {
            self.contact
                .with(|contact| fill::values(&c.id, &c.contact, contact.as_ref(), agent.as_ref()))
        })
    }

    /// Loads the contact's record once per composer (again after a failure, when asked).
    fn load_contact(&self) {
        if self.contact_requested.get_untracked() {
            return;
        }
        self.contact_requested.set(true);
        let canned = *self;
        leptos::task::spawn_local(async move {
            canned.fetch_contact().await;
        });
    }

    async fn fetch_contact(self) {
        let id = self
            .chat
            .conversation
            .with_untracked(|c| c.contact.id.clone());
        match self.chat.auth.client().contact(&id).await {
            Ok(contact) => {
                self.error.set(None);
                self.contact.set(Some(contact));
            }
            Err(err) => {
                self.contact_requested.set(false);
                self.error.set(Some(format!(
                    "Couldn't load the contact's details to fill in the variables: {err}"
                )));
            }
        }
    }

    /// Moves the highlight by `step` through `count` options, wrapping around.
    pub fn step(&self, step: i32, count: usize) {
        if count == 0 {
            return;
        }
        let at = self.active.get_untracked().min(count - 1) as i32;
        self.active
            .set((at + step).rem_euclid(count as i32) as usize);
    }

    /// Keys for the slash list, before the composer's own (Enter sends). True when handled.
    pub fn on_keydown(&self, ev: &web_sys::KeyboardEvent) -> bool {
        if ev.is_composing() || !self.slash_open_untracked() {
            return false;
        }
        let query = self.slash_query_untracked().unwrap_or_default();
        let (options, _) = self.matches_untracked(&query);
        match ev.key().as_str() {
            "ArrowDown" | "ArrowUp" if !options.is_empty() => {
                ev.prevent_default();
                self.step(if ev.key() == "ArrowDown" { 1 } else { -1 }, options.len());
                true
            }
            "Enter" if !ev.shift_key() && !options.is_empty() => {
                ev.prevent_default();
                let at = self.active.get_untracked().min(options.len() - 1);
                self.insert(options[at].clone(), Placement::ReplaceAll);
                true
            }
            "Escape" => {
                ev.prevent_default();
                self.dismissed.set(Some(query));
                true
            }
            _ => false,
        }
    }

    fn slash_open_untracked(&self) -> bool {
        untrack(|| self.slash_open())
    }

    fn slash_query_untracked(&self) -> Option<String> {
        untrack(|| self.slash_query())
    }

    pub fn matches_untracked(&self, query: &str) -> (Vec<api::CannedResponse>, usize) {
        untrack(|| self.matches(query))
    }

    /// Fills `response` in for this conversation and puts it in the draft, then gives the
    /// message box the focus with the cursor after the inserted text.
    pub fn insert(&self, response: api::CannedResponse, placement: Placement) {
        let canned = *self;
        let selection = self.textarea.get_untracked().map(|area| {
            (
                area.selection_start().ok().flatten().unwrap_or(0),
                area.selection_end().ok().flatten().unwrap_or(0),
            )
        });
        self.search_open.set(false);
        self.search.set(String::new());
        leptos::task::spawn_local(async move {
            if fill::needs_contact(&response.body) && canned.contact.get_untracked().is_none() {
                canned.contact_requested.set(true);
                canned.fetch_contact().await;
            }
            let filled = api::fill_variables(&response.body, &untrack(|| canned.values()));
            let current = canned.text.get_untracked();
            let (next, cursor) = match (placement, selection) {
                (Placement::AtCursor, Some((start, end))) => {
                    fill::insert_at(&current, start, end, &filled)
                }
                (Placement::AtCursor, None) => {
                    fill::insert_at(&current, u32::MAX, u32::MAX, &filled)
                }
                (Placement::ReplaceAll, _) => {
                    let cursor = filled.encode_utf16().count() as u32;
                    (filled, cursor)
                }
            };
            if let Some(area) = canned.textarea.get_untracked() {
                area.set_value(&next);
                let _ = area.focus();
                let _ = area.set_selection_range(cursor, cursor);
            }
            canned.set_text.run(next);
        });
    }

    /// Closes the search list and returns to the message box.
    pub fn close_search(&self) {
        self.search_open.set(false);
        self.search.set(String::new());
        if let Some(area) = self.textarea.get_untracked() {
            let _ = area.focus();
        }
    }

    /// The option id `aria-activedescendant` names in the slash list (tracked).
    pub fn slash_active_id(&self) -> Option<String> {
        if !self.slash_open() {
            return None;
        }
        let count = self
            .matches(&self.slash_query().unwrap_or_default())
            .0
            .len();
        (count > 0).then(|| format!("{SLASH_LIST_ID}-{}", self.active.get().min(count - 1)))
    }
}

/// Where an inserted response goes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// In place of the whole draft, which is the `/query` that found it.
    ReplaceAll,
    /// At the cursor (or in place of the selection) of the message box.
    AtCursor,
}
