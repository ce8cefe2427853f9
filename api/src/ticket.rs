//! Tickets of an external ticketing system, linked to conversations by an integration.

use crate::{Id, Timestamp};
use serde::{Deserialize, Serialize};

crate::conversation::string_enum!(
    /// Where a ticket is in the ticketing system.
    TicketStatus {
        Open = "open" => "Open",
        Pending = "pending" => "Pending",
        Solved = "solved" => "Solved",
        Closed = "closed" => "Closed",
    }
);

/// A ticket linked to a conversation. The newest one is the conversation's `ticket_id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ticket {
    /// The ticket's id in the ticketing system, e.g. `TCK-10042`.
    pub external_id: String,
    pub conversation_id: Id,
    /// The contact of that conversation.
    pub contact_id: Id,
    pub title: String,
    pub status: TicketStatus,
    /// The ticket in the ticketing system (http or https).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// When it was first linked.
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// `PUT /conversations/{id}/tickets/{external_id}`: links the ticket, or updates it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WriteTicket {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 300))]
    pub title: String,
    pub status: TicketStatus,
    /// An absolute http(s) URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub url: Option<String>,
}
