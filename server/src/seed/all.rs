//! Seeds every demo conversation: row batches, message counts per conversation, the long one.

use super::batch::{Batch, Rng};
use super::{ContactSeed, SeedOptions};
use crate::db::{Backend, Conn};
use crate::search::index;
use std::collections::HashSet;

pub(super) struct Batches {
    pub conversations: Batch,
    pub labels: Batch,
    pub collaborators: Batch,
    pub sessions: Batch,
    pub messages: Batch,
    pub channels: Batch,
    /// Tickets linked to some conversations, as a ticketing integration would.
    pub tickets: Batch,
    /// What the ownership timeline reads (e.g. the assignments the threads announce).
    pub audit: Batch,
    /// PostgreSQL's search segments, written with the messages (SQLite rebuilds its index
    /// from the messages afterwards).
    pub search: Option<Batch>,
}

pub async fn generate(
    conn: &mut Conn,
    rng: &mut Rng,
    options: &SeedOptions,
    contacts: &[ContactSeed],
) -> Result<(), sqlx::Error> {
    let n = options.conversations as usize;
    let mut b = Batches {
        conversations: Batch::new(
            "conversations",
            &[
                "id",
                "contact_id",
                "channel",
                "team_id",
                "assignee_id",
                "status",
                "pipeline_stage",
                "priority",
                "direction",
                "disposition",
                "state",
                "wrap_up_note",
                "csat",
                "hangup_source",
                "business_address",
                "labels",
                "collaborator_ids",
                "attributes",
                "session_info",
                "spam",
                "ai_enabled",
                "ai_summary",
                "ai_score",
                "ai_reviewed_at",
                "ai_analyzer",
                "created_at",
                "first_response_at",
                "waiting_since",
                "last_activity_at",
                "resolved_at",
                "last_message_kind",
                "last_message_text",
                "last_message_at",
                "last_recording_url",
                "default_read_upto",
            ],
        ),
        labels: Batch::new("conversation_labels", &["conversation_id", "label"]),
        collaborators: Batch::new(
            "conversation_collaborators",
            &["conversation_id", "agent_id"],
        ),
        sessions: Batch::new(
            "conversation_sessions",
            &[
                "id",
                "conversation_id",
                "number",
                "started_at",
                "ended_at",
                "resolved_by",
                "message_count",
            ],
        ),
        messages: Batch::new(
            "messages",
            &[
                "id",
                "conversation_id",
                "session_id",
                "kind",
                "author_id",
                "body",
                "attachments",
                "call",
                "delivery",
                "created_at",
            ],
        ),
        channels: Batch::new("contact_channels", &["channel", "identifier", "contact_id"]),
        tickets: Batch::new(
            "tickets",
            &[
                "conversation_id",
                "external_id",
                "title",
                "status",
                "url",
                "created_at",
                "updated_at",
            ],
        ),
        audit: Batch::new(
            "audit_events",
            &["conversation_id", "actor_id", "action", "detail", "at"],
        ),
        search: (Backend::of(conn) == Backend::Postgres).then(|| {
            Batch::new("conversation_search_text", index::POSTGRES_SEGMENT_COLUMNS)
                .wrap(3, index::TO_TSVECTOR)
        }),
    };
    // Message counts: uneven per conversation, summing to about the requested total.
    let weights: Vec<u64> = (0..n).map(|_| 40 + rng.below(120)).collect();
    let weight_sum: u64 = weights.iter().sum::<u64>().max(1);
    let regular_contacts = contacts.len() - usize::from(options.long_conversation > 0);
    let mut ids = Ids {
        message: 1,
        session: 1,
    };
    let mut seen_channels = HashSet::new();
    for (i, weight) in weights.iter().enumerate() {
        let count =
            ((options.messages as u128 * *weight as u128) / weight_sum as u128).max(3) as usize;
        let contact = if i < regular_contacts {
            i
        } else {
            rng.below(regular_contacts as u64) as usize
        };
        super::conversations::one(
            conn,
            rng,
            options,
            &mut b,
            &mut ids,
            &mut seen_channels,
            i as i64 + 1,
            contact,
            &contacts[contact],
            count,
            false,
        )
        .await?;
    }
    if options.long_conversation > 0 {
        let contact = contacts.len() - 1;
        let count = options.long_conversation as usize;
        super::conversations::one(
            conn,
            rng,
            options,
            &mut b,
            &mut ids,
            &mut seen_channels,
            n as i64 + 1,
            contact,
            &contacts[contact],
            count,
            true,
        )
        .await?;
    }
    for batch in [
        &mut b.conversations,
        &mut b.labels,
        &mut b.collaborators,
        &mut b.sessions,
        &mut b.messages,
        &mut b.channels,
        &mut b.tickets,
        &mut b.audit,
    ] {
        batch.flush(conn).await?;
    }
    if let Some(search) = &mut b.search {
        search.flush(conn).await?;
    }
    Ok(())
}

pub(super) struct Ids {
    pub message: i64,
    pub session: i64,
}
