//! The notification centre: the bell in the top bar with the unread count, the list behind
//! it (and its Mentions), the tab title "(3) Convoroom", desktop notifications once the agent
//! turns them on, and the optional tone. The server decides who is told what (never about
//! their own actions, only kinds switched on); this keeps the list current from the event
//! stream and tells the agent.

mod alert;
mod bell;
pub mod inbox;
mod settings;

pub use bell::Bell;

use crate::live::LiveHub;
use crate::workspace::Workspace;
use convoroom_api as api;
use inbox::Inbox;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Notifications {
    pub inbox: RwSignal<Inbox>,
    /// Why the list could not be loaded, shown in the panel with Try again.
    pub load_error: RwSignal<Option<String>>,
    /// What the browser allows: "granted", "denied", "default" or "unsupported".
    pub permission: RwSignal<&'static str>,
    workspace: Workspace,
    auth: crate::auth::Auth,
}

impl Notifications {
    /// Loads the list, follows the event stream and keeps the tab's title.
    pub fn provide(hub: LiveHub, workspace: Workspace) -> Notifications {
        let notifications = Notifications {
            inbox: RwSignal::new(Inbox::default()),
            load_error: RwSignal::new(None),
            permission: RwSignal::new(alert::permission()),
            workspace,
            auth: crate::auth::use_auth(),
        };
        notifications.load();
        let navigate = crate::nav::use_navigate();
        let path = crate::nav::use_app_path();
        // The agent has this conversation in front of them: told already.
        let looking_at = move |conversation_id: &str| {
            let open = path.with_untracked(|p| {
                p.strip_prefix("/conversations/") == Some(&crate::api::encode(conversation_id))
            });
            open && window()
                .document()
                .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Visible)
        };
        hub.subscribe(move |event| match &event.payload {
            api::EventPayload::NotificationCreated(created) => {
                let created = (**created).clone();
                let news = notifications
                    .inbox
                    .try_update(|inbox| inbox.created(created.clone()))
                    .unwrap_or(false);
                if news && looking_at(&created.conversation_id) {
                    let id = created.id.clone();
                    notifications.mark_read(move |n| n.id == id, false);
                } else if news {
                    notifications.alert(&created, navigate.clone());
                }
            }
            api::EventPayload::NotificationsRead { ids } => {
                notifications.inbox.update(|inbox| inbox.read(ids));
            }
            api::EventPayload::ResyncRequired => notifications.load(),
            _ => {}
        });
        Effect::new(move |_| {
            let title = inbox::title(notifications.inbox.with(Inbox::unread));
            if let Some(document) = window().document() {
                document.set_title(&title);
            }
        });
        on_cleanup(|| {
            if let Some(document) = window().document() {
                document.set_title(&inbox::title(0));
            }
        });
        provide_context(notifications);
        notifications
    }

    /// Reads the list (again).
    pub fn load(&self) {
        let this = *self;
        let client = self.auth.client();
        leptos::task::spawn_local(async move {
            match client.notifications(inbox::HELD).await {
                Ok(list) => {
                    this.load_error.set(None);
                    this.inbox.update(|inbox| inbox.replace(list));
                }
                Err(err) => this
                    .load_error
                    .set(Some(format!("Couldn't load your notifications. {err}"))),
            }
        });
    }

    pub fn prefs(&self) -> api::NotificationPrefs {
        self.workspace.with(|w| w.notification_prefs)
    }

    /// Marks the matching unread notifications read here at once and on the server. A failed
    /// write puts them back (the server still counts them) and says so.
    pub fn mark_read(&self, which: impl Fn(&api::Notification) -> bool, all: bool) {
        let ids = self
            .inbox
            .try_update(|inbox| inbox.read_now(which))
            .unwrap_or_default();
        if ids.is_empty() && !all {
            return;
        }
        let this = *self;
        let client = self.auth.client();
        let body = api::ReadNotifications {
            ids: (!all).then_some(ids),
        };
        leptos::task::spawn_local(async move {
            if let Err(err) = client.read_notifications(&body).await {
                this.load_error
                    .set(Some(format!("Couldn't mark them as read. {err}")));
                this.load();
            }
        });
    }

    fn alert(
        &self,
        notification: &api::Notification,
        navigate: impl Fn(&str, leptos_router::NavigateOptions) + 'static,
    ) {
        let title = self.describe(notification);
        let path = format!(
            "/conversations/{}",
            crate::api::encode(&notification.conversation_id)
        );
        alert::desktop(&title, notification, move || {
            navigate(&path, Default::default())
        });
        if self.prefs().sound {
            alert::chime();
        }
    }

    /// What happened, in a line: "Jonas Weber mentioned you · Greta Kühn".
    pub fn describe(&self, notification: &api::Notification) -> String {
        let actor = notification
            .actor_id
            .as_deref()
            .and_then(|id| self.workspace.agent_name(id));
        let contact = &notification.contact_name;
        match (notification.kind, actor) {
            (api::NotificationKind::Mention, Some(actor)) => {
                format!("{actor} mentioned you · {contact}")
            }
            (api::NotificationKind::Mention, None) => format!("You were mentioned · {contact}"),
            (api::NotificationKind::Assigned, Some(actor)) => {
                format!("{actor} assigned you {contact}")
            }
            (api::NotificationKind::Assigned, None) => format!("{contact} was assigned to you"),
            (api::NotificationKind::Message, _) => format!("New message from {contact}"),
            (api::NotificationKind::Waiting, _) => format!("{contact} is waiting for a reply"),
        }
    }
}

pub fn use_notifications() -> Option<Notifications> {
    use_context::<Notifications>()
}
