//! Ticket history: the tickets a ticketing integration linked to this contact's conversations,
//! newest first. Shown only when the contact has any; kept live by `tickets_changed`.

use super::ConversationSection;
use super::edit::Editor;
use super::section::Section;
use crate::auth::use_auth;
use crate::ui::{ErrorNotice, time};
use convoroom_api::{self as api, Ticket, validate};
use leptos::prelude::*;

/// Where the ticket lives, as a link only when it is a web address (an integration could send
/// anything; a `javascript:` URL stays unclickable text).
fn link_of(ticket: &Ticket) -> Option<String> {
    ticket.url.clone().filter(|url| validate::is_web_url(url))
}

#[component]
pub fn TicketHistory(editor: Editor) -> impl IntoView {
    let auth = use_auth();
    let conversation = editor.current;
    let contact_id = Memo::new(move |_| conversation.with(|c| c.contact.id.clone()));
    // Bumped when an event says the contact's tickets changed: the history is read again.
    let changes = RwSignal::new(0u32);
    let tickets = LocalResource::new(move || {
        let contact = contact_id.get();
        changes.track();
        let client = auth.client();
        async move { client.contact_tickets(&contact).await }
    });
    if let Some(live) = use_context::<crate::live::LiveHub>() {
        live.subscribe(move |event| {
            if let api::EventPayload::TicketsChanged { contact_id: of, .. } = &event.payload
                && contact_id.with_untracked(|id| id == of)
            {
                changes.update(|n| *n += 1);
            }
        });
    }
    let current_id = move || conversation.with(|c| c.id.clone());

    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let list = match tickets.await {
                    Ok(list) if list.is_empty() => return ().into_any(),
                    Ok(list) => list,
                    Err(error) => return view! {
                        <Section section=ConversationSection::TicketHistory>
                            <ErrorNotice what="load the ticket history" error retry=move || tickets.refetch()/>
                        </Section>
                    }.into_any(),
                };
                let here = current_id();
                view! {
                    <Section section=ConversationSection::TicketHistory>
                        <ul class="ticket-list" aria-label="Tickets of this contact">
                            {list.into_iter().map(|ticket| ticket_item(ticket, &here)).collect_view()}
                        </ul>
                    </Section>
                }.into_any()
            })}
        </Transition>
    }
}

fn ticket_item(ticket: Ticket, current_conversation: &str) -> impl IntoView + use<> {
    let updated = time::parse_rfc3339(&ticket.updated_at)
        .map(|ms| time::short_date(ms, time::now_ms()))
        .unwrap_or_default();
    let whose = if ticket.conversation_id == current_conversation {
        "This conversation".to_string()
    } else {
        format!("Conversation #{}", ticket.conversation_id)
    };
    let status = ticket.status;
    view! {
        <li class="ticket-item">
            <div class="ticket-item__head">
                <span class="ticket-item__id">{ticket.external_id.clone()}</span>
                <span class=format!("chip ticket-status ticket-status--{}", status.as_str())>
                    {status.label()}
                </span>
            </div>
            <p class="ticket-item__title">{ticket.title.clone()}</p>
            <p class="ticket-item__meta muted">{format!("{whose} · updated {updated}")}</p>
            {match link_of(&ticket) {
                Some(url) => view! {
                    <a class="ticket-item__link" href=url target="_blank" rel="noopener noreferrer"
                        aria-label=format!("Open ticket {} (new tab)", ticket.external_id)>
                        "Open ticket"
                    </a>
                }.into_any(),
                None => ticket.url.clone().map(|text| view! {
                    <p class="ticket-item__url muted">{text}</p>
                }).into_any(),
            }}
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ticket(url: Option<&str>) -> Ticket {
        Ticket {
            external_id: "TCK-1".into(),
            conversation_id: "4".into(),
            contact_id: "2".into(),
            title: "Refund".into(),
            status: api::TicketStatus::Open,
            url: url.map(str::to_string),
            created_at: "2026-11-03T14:05:00.000Z".into(),
            updated_at: "2026-11-03T14:05:00.000Z".into(),
        }
    }

    #[test]
    fn only_web_addresses_become_links() {
        assert_eq!(
            link_of(&ticket(Some("https://desk.example.com/t/1"))).as_deref(),
            Some("https://desk.example.com/t/1")
        );
        assert_eq!(link_of(&ticket(Some("javascript:alert(1)"))), None);
        assert_eq!(link_of(&ticket(None)), None);
    }
}
