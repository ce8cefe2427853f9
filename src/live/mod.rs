//! One event-stream connection per tab. It reconnects by itself with a fresh ticket and
//! resumes after the last event it saw, so nothing is missed across drops and restarts;
//! events are deduplicated by id so none is applied twice.

pub mod presence;

use crate::api::ApiClient;
use convoroom_api::Event;
use leptos::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connection {
    Connecting,
    Live,
    Reconnecting,
}

impl Connection {
    pub fn label(self) -> &'static str {
        match self {
            Connection::Connecting => "Connecting…",
            Connection::Live => "Live",
            Connection::Reconnecting => "Offline — reconnecting…",
        }
    }
}

type Handler = Rc<dyn Fn(&Event)>;

struct Inner {
    client: ApiClient,
    last_event_id: Option<i64>,
    source: Option<web_sys::EventSource>,
    handlers: Vec<(u64, Handler)>,
    next_handler: u64,
    attempt: u32,
    closed: bool,
    /// A connection has been open before (so a new one is a reconnect).
    was_open: bool,
    // Kept alive as long as the connection that calls them.
    _callbacks: Vec<Closure<dyn FnMut(web_sys::Event)>>,
}

#[derive(Clone, Copy)]
pub struct LiveHub {
    pub status: RwSignal<Connection>,
    inner: StoredValue<Rc<RefCell<Inner>>, LocalStorage>,
}

impl LiveHub {
    /// Starts the connection for this signed-in tab and makes it available as context.
    pub fn provide(client: ApiClient) -> LiveHub {
        let hub = LiveHub {
            status: RwSignal::new(Connection::Connecting),
            inner: StoredValue::new_local(Rc::new(RefCell::new(Inner {
                client,
                last_event_id: None,
                source: None,
                handlers: Vec::new(),
                next_handler: 0,
                attempt: 0,
                closed: false,
                was_open: false,
                _callbacks: Vec::new(),
            }))),
        };
        provide_context(hub);
        hub.connect();
        on_cleanup(move || hub.close());
        hub
    }

    /// Calls `handler` for every event until the calling component is cleaned up.
    pub fn subscribe(&self, handler: impl Fn(&Event) + 'static) {
        let inner = self.inner.get_value();
        let id = {
            let mut inner = inner.borrow_mut();
            inner.next_handler += 1;
            let id = inner.next_handler;
            inner.handlers.push((id, Rc::new(handler)));
            id
        };
        let hub = *self;
        on_cleanup(move || {
            if let Some(inner) = hub.inner.try_get_value() {
                inner.borrow_mut().handlers.retain(|(h, _)| *h != id);
            }
        });
    }

    fn close(&self) {
        let Some(inner) = self.inner.try_get_value() else {
            return;
        };
        let mut inner = inner.borrow_mut();
        inner.closed = true;
        if let Some(source) = inner.source.take() {
            source.close();
        }
    }

    fn connect(&self) {
        let hub = *self;
        let inner = self.inner.get_value();
        let client = inner.borrow().client.clone();
        leptos::task::spawn_local(async move {
            let ticket = client.stream_ticket().await;
            if inner.borrow().closed {
                return;
            }
            let ticket = match ticket {
                Ok(ticket) => ticket,
                Err(_) => return hub.retry_later(),
            };
            let url = client.events_url(&ticket.ticket, inner.borrow().last_event_id);
            let Ok(source) = web_sys::EventSource::new(&url) else {
                return hub.retry_later();
            };

            let on_open = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
                let mut blind_reconnect = false;
                if let Some(inner) = hub.inner.try_get_value() {
                    let mut inner = inner.borrow_mut();
                    inner.attempt = 0;
                    // Back without a position to resume from (no event had arrived before the
                    // drop): what happened meanwhile can only be caught up by reloading.
                    blind_reconnect = inner.was_open && inner.last_event_id.is_none();
                    inner.was_open = true;
                }
                hub.status.set(Connection::Live);
                if blind_reconnect {
                    hub.tell_everyone(&Event {
                        id: 0,
                        payload: convoroom_api::EventPayload::ResyncRequired,
                    });
                }
            });
            let on_message =
                Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
                    let Some(data) = ev
                        .dyn_ref::<web_sys::MessageEvent>()
                        .and_then(|m| m.data().as_string())
                    else {
                        return;
                    };
                    if let Ok(event) = Event::from_json(&data) {
                        hub.dispatch(event);
                    }
                });
            let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
                // The browser's own retry would reuse the spent ticket; reconnect ourselves.
                if let Some(inner) = hub.inner.try_get_value()
                    && let Some(source) = inner.borrow_mut().source.take()
                {
                    source.close();
                }
                hub.retry_later();
            });
            source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
            source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            let mut inner = inner.borrow_mut();
            inner.source = Some(source);
            inner._callbacks = vec![on_open, on_message, on_error];
        });
    }

    fn retry_later(&self) {
        let hub = *self;
        let Some(inner) = self.inner.try_get_value() else {
            return;
        };
        let delay = {
            let mut inner = inner.borrow_mut();
            if inner.closed {
                return;
            }
            inner.attempt += 1;
            backoff_ms(inner.attempt)
        };
        self.status.set(Connection::Reconnecting);
        gloo_timers::callback::Timeout::new(delay, move || hub.connect()).forget();
    }

    /// Hands `event` to every handler without counting it as a stream position.
    fn tell_everyone(&self, event: &Event) {
        let Some(inner) = self.inner.try_get_value() else {
            return;
        };
        let handlers: Vec<Handler> = inner
            .borrow()
            .handlers
            .iter()
            .map(|(_, h)| h.clone())
            .collect();
        for handler in handlers {
            handler(event);
        }
    }

    /// Hands an event to every subscriber once (the stream's messages go through here; the
    /// component tests hand theirs in directly).
    pub fn dispatch(&self, event: Event) {
        let Some(inner) = self.inner.try_get_value() else {
            return;
        };
        let handlers = {
            let mut inner = inner.borrow_mut();
            if !is_new(inner.last_event_id, &event) {
                return;
            }
            inner.last_event_id = Some(event.id);
            inner
                .handlers
                .iter()
                .map(|(_, h)| h.clone())
                .collect::<Vec<_>>()
        };
        for handler in handlers {
            handler(&event);
        }
    }
}

/// Whether an event has not been applied yet. A resync notice is always new.
pub fn is_new(last_seen: Option<i64>, event: &Event) -> bool {
    matches!(event.payload, convoroom_api::EventPayload::ResyncRequired)
        || last_seen.is_none_or(|last| event.id > last)
}

/// 0.5 s, 1 s, 2 s, 4 s … capped at 15 s.
pub fn backoff_ms(attempt: u32) -> u32 {
    (250u32 << attempt.min(6)).min(15_000)
}

pub fn use_live() -> LiveHub {
    expect_context::<LiveHub>()
}

#[component]
pub fn ConnectionIndicator() -> impl IntoView {
    let hub = use_live();
    view! {
        <span
            class=move || format!("connection connection--{}", if hub.status.get() == Connection::Live { "live" } else { "down" })
            role="status"
            title="Live updates"
        >
            <span class="connection__dot" aria-hidden="true"></span>
            <span class="connection__label">{move || hub.status.get().label()}</span>
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use convoroom_api::EventPayload;

    #[test]
    fn events_apply_once_in_order() {
        let event = |id| Event {
            id,
            payload: EventPayload::ViewDeleted { id: "1".into() },
        };
        assert!(is_new(None, &event(1)));
        assert!(is_new(Some(1), &event(2)));
        assert!(!is_new(Some(2), &event(2)));
        assert!(!is_new(Some(5), &event(3)));
        assert!(is_new(
            Some(5),
            &Event {
                id: 5,
                payload: EventPayload::ResyncRequired
            }
        ));
    }

    #[test]
    fn backoff_grows_and_caps() {
        assert_eq!(backoff_ms(1), 500);
        assert_eq!(backoff_ms(2), 1_000);
        assert_eq!(backoff_ms(20), 15_000);
    }
}
