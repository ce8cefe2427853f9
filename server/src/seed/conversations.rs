//! Demo conversations with their sessions, messages, notes, labels and reviews.

use super::all::{Batches, Ids};
use super::batch::{Rng, V};
use super::fields::{self, Fields};
use super::thread::{self, Msg};
use super::{ContactSeed, SeedOptions, data, ms_ts};
use crate::db::{Backend, Conn};
use crate::search::index;
use convoroom_api::*;
use std::collections::HashSet;

const CHANNELS: [Channel; 8] = [
    Channel::Whatsapp,
    Channel::Instagram,
    Channel::Messenger,
    Channel::Telegram,
    Channel::LiveChat,
    Channel::Sms,
    Channel::Email,
    Channel::Voice,
];
/// How the demo's conversations closed without an agent's reply end.
const UNANSWERED: [ConversationState; 6] = [
    ConversationState::Dropped,
    ConversationState::CustomerDidNotRespond,
    ConversationState::QueueTimeout,
    ConversationState::OutOfBusinessHours,
    ConversationState::AgentAssignmentFailed,
    ConversationState::EnqueueFailed,
];
const TEAM_AGENTS: [&[i64]; 3] = [&[1, 2, 5], &[1, 3, 5], &[1, 4]];
const MINUTE: i64 = 60_000;
const DAY: i64 = 86_400_000;

/// The business number or address a conversation used: each team has its own mailbox,
/// the company one number per phone channel and one account per social channel.
fn business_address(channel: Channel, team: usize) -> Option<&'static str> {
    Some(match channel {
        Channel::Whatsapp => "+1 415 555 0134",
        Channel::Sms => "+1 415 555 0178",
        Channel::Voice => "+1 800 555 0199",
        Channel::Email => [
            "support@convoroom.example",
            "sales@convoroom.example",
            "billing@convoroom.example",
        ][team.min(2)],
        Channel::Instagram => "@convoroom",
        Channel::Messenger => "Convoroom (Facebook page)",
        Channel::Telegram => "@ConvoroomBot",
        Channel::LiveChat => return None,
    })
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn one(
    conn: &mut Conn,
    rng: &mut Rng,
    options: &SeedOptions,
    b: &mut Batches,
    ids: &mut Ids,
    seen_channels: &mut HashSet<(usize, usize)>,
    id: i64,
    contact_index: usize,
    contact: &ContactSeed,
    count: usize,
    long: bool,
) -> Result<(), sqlx::Error> {
    let anchor = (options.anchor.unix_timestamp_nanos() / 1_000_000) as i64;
    let channel_index = if long {
        0
    } else {
        rng.weighted(&[30, 10, 8, 5, 15, 8, 12, 12])
    };
    let channel = CHANNELS[channel_index];
    let topic = rng.pick(data::TOPICS);
    let team = if long {
        0
    } else if rng.chance(0.85) {
        topic.team
    } else {
        rng.below(3) as usize
    };
    let assignee = if long {
        Some(2)
    } else if rng.chance(0.75) {
        Some(*rng.pick(TEAM_AGENTS[team]))
    } else {
        None
    };
    let recent = long || rng.chance(0.35);
    let status = if long {
        Status::Open
    } else if recent {
        [Status::Open, Status::Pending, Status::Resolved][rng.weighted(&[50, 20, 30])]
    } else {
        [Status::Open, Status::Pending, Status::Resolved][rng.weighted(&[10, 5, 85])]
    };
    let resolved = status == Status::Resolved;
    let age = if long {
        5 * MINUTE
    } else if recent {
        rng.range(2, 48 * 60) * MINUTE
    } else {
        rng.range(2, 180) * DAY + rng.range(0, 1440) * MINUTE
    };
    let outgoing = !long && rng.chance(if team == 1 { 0.25 } else { 0.08 });
    let sessions = if resolved && count >= 8 && rng.chance(0.2) {
        if rng.chance(0.25) { 3 } else { 2 }
    } else {
        1
    };
    let country = &data::COUNTRIES[contact.country];
    let (city, region) = country.cities[contact.city];
    let product = *rng.pick(data::PRODUCTS);
    let order = format!("#{}", 100_000 + rng.below(900_000));
    let amount = format!("€{}.{:02}", rng.range(9, 499), rng.below(100));
    let ticket = (10_000 + id).to_string();
    let domain = contact
        .email
        .split('@')
        .nth(1)
        .unwrap_or("example.com")
        .to_string();
    let date = ms_ts(anchor - age - rng.range(1, 10) * DAY)[..10].to_string();
    let vars = [
        ("{product}", product),
        ("{order}", order.as_str()),
        ("{amount}", amount.as_str()),
        ("{first}", contact.first.as_str()),
        ("{city}", city),
        ("{ticket}", ticket.as_str()),
        ("{domain}", domain.as_str()),
        ("{date}", date.as_str()),
    ];
    let resolver = assignee.unwrap_or(1);

    // The thread, with times relative to its start.
    let (mut msgs, t) = thread::build(
        rng,
        &thread::Plan {
            count,
            sessions,
            resolved,
            assignee,
            resolver,
            outgoing,
            long,
            channel,
            topic,
            vars: &vars,
            first_name: &contact.first,
            first_message_id: ids.message,
        },
    );
    // Shift so the last message happened `age` before the anchor.
    let shift = anchor - age - t;
    for m in &mut msgs {
        m.at += shift;
    }
    // Some resolved conversations ended before any agent answered (the customer gave up, the
    // queue timed out…): their thread stops where the first reply would have been. Chosen by
    // id, not drawn; the ids and draws the dropped replies would have used are skipped below,
    // so every other conversation keeps the data it had.
    let thread_len = msgs.len() as i64;
    let mut dropped_replies = 0;
    let unanswered_outcome = resolved && !long && !outgoing && sessions == 1 && id % 4 == 1;
    if unanswered_outcome
        && let Some(first_reply) = msgs.iter().position(|m| m.kind == MessageKind::Outbound)
    {
        let closed_at = msgs[first_reply].at;
        dropped_replies = msgs[first_reply..]
            .iter()
            .filter(|m| m.kind == MessageKind::Outbound)
            .count();
        msgs.truncate(first_reply);
        msgs.push(Msg {
            kind: MessageKind::System,
            author: None,
            body: "Closed without a reply".into(),
            attachments: None,
            call: None,
            session: 0,
            at: closed_at,
        });
    }
    // The thread's "Assigned to …" line is the ownership timeline's first entry too.
    if let Some(agent) = assignee
        && let Some(announced) = msgs
            .iter()
            .find(|m| m.kind == MessageKind::System && m.body.starts_with("Assigned to "))
    {
        b.audit
            .push(
                conn,
                vec![
                    V::I(id),
                    None::<i64>.into(),
                    "assigned".into(),
                    serde_json::json!({"from": null, "to": agent.to_string()})
                        .to_string()
                        .into(),
                    ms_ts(announced.at).into(),
                ],
            )
            .await?;
    }
    let first_id = ids.message;
    let stored = thread::Stored {
        conversation_id: id,
        first_message_id: ids.message,
        first_session_id: ids.session,
        sessions,
        resolved,
        resolver,
    };
    thread::store(conn, rng, &mut b.messages, &mut b.sessions, &msgs, &stored).await?;
    // Storing a reply draws its delivery status: the draws of the dropped replies are spent
    // here, so everything drawn after this point is what it was before.
    for _ in 0..dropped_replies {
        rng.next();
    }
    if let Some(search) = &mut b.search {
        // Segments of 50 searchable messages, as search::index keeps them.
        let searchable: Vec<&str> = msgs
            .iter()
            .filter(|m| m.kind != MessageKind::System && !m.body.is_empty())
            .map(|m| m.body.as_str())
            .collect();
        for (segment, chunk) in searchable
            .chunks(index::SEGMENT_MESSAGES as usize)
            .enumerate()
        {
            let text = index::segment_text(Backend::Postgres, chunk.iter().copied());
            search
                .push(
                    conn,
                    vec![V::I(id), V::I(segment as i64), V::I(0), text.into()],
                )
                .await?;
        }
    }
    ids.message += thread_len;
    ids.session += sessions as i64;

    let content_msgs: Vec<(usize, &Msg)> = msgs
        .iter()
        .enumerate()
        .filter(|(_, m)| m.kind != MessageKind::System)
        .collect();
    let last = content_msgs.last().map(|(k, m)| (*k, *m));
    let first_out = msgs
        .iter()
        .find(|m| m.kind == MessageKind::Outbound)
        .map(|m| m.at);
    let customer_msgs: Vec<&Msg> = msgs
        .iter()
        .filter(|m| m.kind == MessageKind::Inbound || m.kind == MessageKind::Outbound)
        .collect();
    let trailing_in = customer_msgs
        .iter()
        .rev()
        .take_while(|m| m.kind == MessageKind::Inbound)
        .count();
    let waiting_since =
        (!resolved && trailing_in > 0).then(|| customer_msgs[customer_msgs.len() - trailing_in].at);
    let last_id = first_id + msgs.len() as i64 - 1;
    let read_upto = if waiting_since.is_some() && rng.chance(0.6) {
        let first_unread = msgs
            .iter()
            .rposition(|m| m.kind == MessageKind::Inbound && Some(m.at) == waiting_since)
            .unwrap_or(0);
        first_id + first_unread as i64 - 1
    } else {
        last_id
    };
    let (last_kind, last_text, last_at) = match last {
        Some((_, m)) => {
            let call: Option<CallEvent> =
                m.call.as_deref().and_then(|c| serde_json::from_str(c).ok());
            let attachments: Vec<Attachment> = m
                .attachments
                .as_deref()
                .and_then(|a| serde_json::from_str(a).ok())
                .unwrap_or_default();
            (
                Some(m.kind.as_str()),
                Some(crate::messages::preview(
                    &m.body,
                    &attachments,
                    call.as_ref(),
                )),
                Some(m.at),
            )
        }
        None => (None, None, None),
    };
    let last_recording = msgs.iter().rev().find_map(|m| {
        let call: CallEvent = serde_json::from_str(m.call.as_deref()?).ok()?;
        call.recording_url
    });
    let Fields {
        priority,
        stage,
        labels,
        collaborators,
        state,
        disposition,
        wrap_up,
        csat,
        hangup,
        ticket_id,
        attributes,
        session_info,
        ai_enabled,
        review,
    } = fields::pick(
        rng,
        &fields::Ctx {
            team,
            topic,
            resolved,
            long,
            assignee,
            channel,
            vars: &vars,
            product,
            order: &order,
            ticket: &ticket,
            // Named, not drawn: an answered conversation draws no state.
            closed_without_reply: (dropped_replies > 0)
                .then(|| UNANSWERED[(id as usize / 4) % UNANSWERED.len()]),
            country,
            city,
            region,
            msgs: &msgs,
        },
    );
    for label in &labels {
        b.labels.push(conn, vec![V::I(id), (*label).into()]).await?;
    }
    if let Some(ticket_id) = ticket_id {
        // Opened once the customer had explained; solved with the conversation.
        let opened = msgs
            .get(1)
            .or(msgs.first())
            .map(|m| m.at)
            .unwrap_or(anchor - age);
        let updated = msgs.last().map(|m| m.at).unwrap_or(opened).max(opened);
        let status = match (resolved, id % 3) {
            (true, 0) => TicketStatus::Closed,
            (true, _) => TicketStatus::Solved,
            (false, 0) => TicketStatus::Pending,
            (false, _) => TicketStatus::Open,
        };
        b.tickets
            .push(
                conn,
                vec![
                    V::I(id),
                    ticket_id.clone().into(),
                    format!("{}: {product}", topic.reason).into(),
                    status.as_str().into(),
                    format!("https://helpdesk.example.com/tickets/{ticket_id}").into(),
                    ms_ts(opened).into(),
                    ms_ts(updated).into(),
                ],
            )
            .await?;
    }
    for agent in &collaborators {
        b.collaborators
            .push(conn, vec![V::I(id), V::I(*agent)])
            .await?;
    }
    let last_activity = last_at.unwrap_or(anchor - age);
    let reviewed_at = review
        .as_ref()
        .map(|_| ms_ts((last_activity + rng.range(10, 15) * MINUTE).min(anchor)));
    let resolved_at = resolved.then(|| ms_ts(msgs.last().map(|m| m.at).unwrap_or(last_activity)));
    let created = msgs.first().map(|m| m.at).unwrap_or(last_activity) - rng.range(0, 60) * 1000;
    b.conversations
        .push(
            conn,
            vec![
                V::I(id),
                V::I(contact_index as i64 + 1),
                channel.as_str().into(),
                V::I(team as i64 + 1),
                assignee.into(),
                status.as_str().into(),
                stage.into(),
                priority.as_str().into(),
                if outgoing { "outgoing" } else { "incoming" }.into(),
                disposition.into(),
                state.map(|s| s.as_str()).into(),
                wrap_up.into(),
                csat.into(),
                hangup.into(),
                business_address(channel, team).into(),
                serde_json::to_string(&labels).unwrap_or_default().into(),
                serde_json::to_string(&collaborators)
                    .unwrap_or_default()
                    .into(),
                attributes.to_string().into(),
                session_info.to_string().into(),
                (stage == Some("spam")).into(),
                ai_enabled.into(),
                review.as_ref().map(|r| r.summary.clone()).into(),
                review.as_ref().map(|r| r.quality_score as i64).into(),
                reviewed_at.into(),
                review.as_ref().map(|_| "builtin").into(),
                ms_ts(created).into(),
                first_out.map(ms_ts).into(),
                waiting_since.map(ms_ts).into(),
                ms_ts(last_activity).into(),
                resolved_at.into(),
                last_kind.into(),
                last_text.into(),
                last_at.map(ms_ts).into(),
                last_recording.into(),
                V::I(read_upto),
            ],
        )
        .await?;
    // The demo's internal notes are the thread's own (seed/thread.rs). Sticky notes used to be
    // drawn here; drawing the same numbers keeps every later conversation as it was.
    if !long && rng.chance(0.15) {
        for _ in 0..rng.range(1, 2) {
            let _ = (rng.range(1, 30), rng.pick(data::NOTES));
        }
    }
    if seen_channels.insert((contact_index, channel_index)) {
        let identifier = match channel {
            Channel::Whatsapp | Channel::Sms | Channel::Voice => contact.phone.clone(),
            Channel::Email | Channel::LiveChat => contact.email.clone(),
            Channel::Instagram | Channel::Telegram => contact.handle.clone(),
            Channel::Messenger => format!("psid-{}", 7_919 * (contact_index as i64 + 1)),
        };
        b.channels
            .push(
                conn,
                vec![
                    channel.as_str().into(),
                    identifier.into(),
                    V::I(contact_index as i64 + 1),
                ],
            )
            .await?;
    }
    let _ = &contact.name;
    Ok(())
}
