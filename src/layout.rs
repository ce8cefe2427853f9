//! What the panes of an open conversation tell each other, so that neither the chat nor the
//! details panel reaches into the other or into the shell that lays them out:
//!
//! - [`DetailsVisible`]: whether the details panel is shown beside the chat (its Close button,
//!   the chat header's button and the `i` shortcut). Provided by the signed-in shell; an
//!   embedded panel has none (it is always shown and cannot be closed).
//! - [`SessionJump`]: the details panel's session history asks the chat to show a session.
//!   Provided where a chat is shown beside the panel.

use leptos::prelude::*;

/// Width (px) under which the details panel overlays the chat instead of sitting beside it.
const OVERLAY_BELOW: f64 = 1101.0;
const STORAGE_KEY: &str = "convoroom.details-open";

/// Wide windows remember the agent's choice; on narrow windows the panel is an overlay that
/// starts closed, so opening a conversation shows the chat.
#[derive(Clone, Copy)]
pub struct DetailsVisible {
    wide: RwSignal<bool>,
    narrow: RwSignal<bool>,
    is_narrow: RwSignal<bool>,
}

fn window_width() -> f64 {
    window()
        .inner_width()
        .ok()
        .and_then(|w| w.as_f64())
        .unwrap_or(1440.0)
}

impl DetailsVisible {
    /// Provides the switch to everything below; opening another conversation (a change of
    /// `selected`) closes the overlay on narrow windows.
    pub fn provide(selected: Memo<Option<String>>) -> DetailsVisible {
        let wide = RwSignal::new(crate::storage::load::<bool>(STORAGE_KEY).unwrap_or(true));
        Effect::new(move |_| {
            crate::storage::save(STORAGE_KEY, &wide.get());
        });
        let is_narrow = RwSignal::new(window_width() < OVERLAY_BELOW);
        let resize = window_event_listener(leptos::ev::resize, move |_| {
            let narrow = window_width() < OVERLAY_BELOW;
            if narrow != is_narrow.get_untracked() {
                is_narrow.set(narrow);
            }
        });
        on_cleanup(move || resize.remove());
        let details = DetailsVisible {
            wide,
            narrow: RwSignal::new(false),
            is_narrow,
        };
        Effect::new(move |_| {
            selected.track();
            details.narrow.set(false);
        });
        provide_context(details);
        details
    }

    pub fn get(&self) -> bool {
        if self.is_narrow.get() {
            self.narrow.get()
        } else {
            self.wide.get()
        }
    }

    pub fn set(&self, open: bool) {
        if self.is_narrow.get_untracked() {
            self.narrow.set(open)
        } else {
            self.wide.set(open)
        }
    }

    pub fn toggle(&self) {
        let open = if self.is_narrow.get_untracked() {
            self.narrow.get_untracked()
        } else {
            self.wide.get_untracked()
        };
        self.set(!open);
    }
}

/// The switch, where the panel can be hidden (`None` in an embedded panel).
pub fn use_details_visible() -> Option<DetailsVisible> {
    use_context::<DetailsVisible>()
}

/// A session the chat should bring into view (its id), set by the details panel.
#[derive(Clone, Copy)]
pub struct SessionJump(pub RwSignal<Option<String>>);

impl SessionJump {
    pub fn provide() -> SessionJump {
        let jump = SessionJump(RwSignal::new(None));
        provide_context(jump);
        jump
    }
}

/// Where the chat can show a session (`None` in an embedded panel).
pub fn use_session_jump() -> Option<SessionJump> {
    use_context::<SessionJump>()
}

/// An address that led to a merged conversation, and where it went: the open conversation says
/// so once ("Conversation #12 was merged into this one").
#[derive(Clone, Copy)]
pub struct MergedAway {
    merged: RwSignal<Option<(String, String)>>,
    open: StoredValue<OpenConversation, LocalStorage>,
}

/// Navigates to a conversation by id (made where the router's hooks are available).
type OpenConversation = Box<dyn Fn(&str)>;

impl MergedAway {
    /// Called where the router's hooks work (in a component); `follow` then works anywhere.
    pub fn provide() -> MergedAway {
        let location = leptos_router::hooks::use_location();
        let navigate = crate::nav::use_navigate();
        let open = move |into: &str| {
            let query = location.search.get_untracked();
            navigate(
                &crate::nav::with_query(&format!("/conversations/{into}"), &query),
                leptos_router::NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        };
        let merged = MergedAway {
            merged: RwSignal::new(None),
            open: StoredValue::new_local(Box::new(open)),
        };
        provide_context(merged);
        merged
    }

    /// Opens `into` in place of `from` (replacing the address, keeping the list's query).
    pub fn follow(self, from: &str, into: &str) {
        self.merged.set(Some((from.to_string(), into.to_string())));
        self.open.with_value(|open| open(into));
    }

    pub fn dismiss(self) {
        self.merged.set(None);
    }

    /// What to tell the agent on conversation `id`, if it is where a merged one went.
    pub fn notice_for(self, id: &str) -> Option<String> {
        self.merged.with(|m| {
            m.as_ref()
                .filter(|(_, into)| into == id)
                .map(|(from, _)| format!("Conversation #{from} was merged into this one."))
        })
    }
}
