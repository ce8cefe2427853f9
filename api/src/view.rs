use crate::{ConversationFilter, Id, Timestamp};
use serde::{Deserialize, Serialize};

crate::conversation::string_enum!(
    /// A column of the table mode. `conversation_id` is always shown.
    ViewColumn {
        ConversationId = "conversation_id" => "Conversation ID",
        CustomerName = "customer_name" => "Customer name",
        CreatedAt = "created_at" => "Created",
        Agent = "agent" => "Agent",
        Team = "team" => "Team",
        Priority = "priority" => "Priority",
        Direction = "direction" => "Direction",
        Disposition = "disposition" => "Disposition",
        State = "state" => "Conversation state",
        WrapUpNote = "wrap_up_note" => "Wrap-up note",
        Channel = "channel" => "Channel",
        Contact = "contact" => "Contact",
        TicketId = "ticket_id" => "Ticket ID",
        BusinessAddress = "business_address" => "Business number",
        Csat = "csat" => "CSAT",
        HangupSource = "hangup_source" => "Hangup source",
    }
);

/// A saved view: filters plus chosen columns, owned by an agent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct View {
    pub id: Id,
    pub name: String,
    pub owner_id: Id,
    pub filter: ConversationFilter,
    pub columns: Vec<ViewColumn>,
    pub created_at: Timestamp,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WriteView {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
    #[serde(default, deserialize_with = "crate::object_only")]
    pub filter: ConversationFilter,
    pub columns: Vec<ViewColumn>,
}

impl WriteView {
    /// Columns with `conversation_id` first and no repeats, the others in the order given.
    pub fn normalised_columns(&self) -> Vec<ViewColumn> {
        let mut columns = vec![ViewColumn::ConversationId];
        for column in &self.columns {
            if !columns.contains(column) {
                columns.push(*column);
            }
        }
        columns
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_filter_is_an_object_never_an_array() {
        let read = |json: &str| serde_json::from_str::<WriteView>(json);
        assert!(read(r#"{"name":"v","columns":[],"filter":[null,null]}"#).is_err());
        let view = read(r#"{"name":"v","columns":[],"filter":{"status":"open"}}"#).unwrap();
        assert_eq!(view.filter.status, Some(crate::Status::Open));
        assert!(
            read(r#"{"name":"v","columns":[]}"#).is_ok(),
            "filter defaults"
        );
    }
}
