//! Demo conversations with their sessions, messages, notes, labels and reviews.

use super::batch::{Batch, Rng, V};
use super::{ContactSeed, SeedOptions, data, ms_ts};
use crate::ai::{Builtin, Line, Transcript};
use convoroom_api::*;
use sqlx::SqliteConnection;
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
const TEAM_AGENTS: [&[i64]; 3] = [&[1, 2, 5], &[1, 3, 5], &[1, 4]];
const AGENT_NAMES: [&str; 5] = [
    "Maya Patel",
    "Jonas Weber",
    "Aiko Tanaka",
    "Luis Romero",
    "Priya Shah",
];
const MINUTE: i64 = 60_000;
const DAY: i64 = 86_400_000;

struct Msg {
    kind: MessageKind,
    author: Option<i64>,
    body: String,
    attachments: Option<String>,
    call: Option<String>,
    session: usize,
    at: i64,
}

struct Batches {
    conversations: Batch,
    labels: Batch,
    collaborators: Batch,
    sessions: Batch,
    messages: Batch,
    notes: Batch,
    channels: Batch,
}

pub async fn generate(
    conn: &mut SqliteConnection,
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
                "ticket_id",
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
        notes: Batch::new(
            "notes",
            &[
                "conversation_id",
                "author_id",
                "body",
                "created_at",
                "updated_at",
            ],
        ),
        channels: Batch::new("contact_channels", &["channel", "identifier", "contact_id"]),
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
        one(
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
        one(
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
        &mut b.notes,
        &mut b.channels,
    ] {
        batch.flush(conn).await?;
    }
    Ok(())
}

struct Ids {
    message: i64,
    session: i64,
}

fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (key, value) in vars {
        if out.contains(key) {
            out = out.replace(key, value);
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
async fn one(
    conn: &mut SqliteConnection,
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
    let systems =
        (sessions - 1) + if resolved { sessions } else { 0 } + usize::from(assignee.is_some());
    let content = count.saturating_sub(systems).max(2);
    let with_note = !long && rng.chance(0.1);
    let mut msgs: Vec<Msg> = Vec::with_capacity(count);
    let mut t: i64 = 0;
    let per_session = content.div_ceil(sessions);
    let (mut ci, mut ai) = (0usize, 0usize);
    for session in 0..sessions {
        if session > 0 {
            t += rng.range(1, 20) * DAY;
            msgs.push(Msg {
                kind: MessageKind::System,
                author: None,
                body: format!("Session {} started", session + 1),
                attachments: None,
                call: None,
                session,
                at: t,
            });
        }
        let mut customer_turn = !(outgoing && session == 0);
        let in_session = per_session
            .min(content.saturating_sub(session * per_session))
            .max(1);
        for j in 0..in_session {
            let previous = msgs
                .iter()
                .rev()
                .find(|m| m.kind != MessageKind::System)
                .map(|m| m.kind);
            t += match (previous, customer_turn) {
                (None, _) => 0,
                (Some(MessageKind::Inbound), true) => rng.range(10, 180) * 1000,
                (Some(MessageKind::Inbound), false) if ai == 0 => rng.range(1, 90) * MINUTE,
                (Some(_), false) => rng.range(1, 30) * MINUTE,
                (Some(_), true) => {
                    if long {
                        rng.range(1, 3) * MINUTE
                    } else {
                        rng.range(1, 180) * MINUTE
                    }
                }
            };
            let kind = if customer_turn {
                MessageKind::Inbound
            } else {
                MessageKind::Outbound
            };
            let msg_id = ids.message + msgs.len() as i64;
            let (mut body, mut attachments, mut call) = (String::new(), None, None);
            if channel == Channel::Voice && j == 0 {
                let outcome = [
                    CallOutcome::Answered,
                    CallOutcome::Missed,
                    CallOutcome::Voicemail,
                ][rng.weighted(&[70, 20, 10])];
                let duration = match outcome {
                    CallOutcome::Answered => rng.range(45, 900),
                    CallOutcome::Missed => 0,
                    CallOutcome::Voicemail => rng.range(8, 60),
                } as u32;
                let recording_url = (outcome != CallOutcome::Missed)
                    .then(|| format!("/media/recordings/{msg_id}.wav"));
                call = serde_json::to_string(&CallEvent {
                    outcome,
                    duration_seconds: duration,
                    recording_url,
                })
                .ok();
            } else if customer_turn {
                body = match topic.customer.get(ci) {
                    Some(line) => fill(line, &vars),
                    None => rng.pick(data::SMALL_TALK).to_string(),
                };
                ci += 1;
                let roll = rng.below(100);
                if channel != Channel::Voice && roll < 8 {
                    let attachment = if roll < 5 {
                        Attachment {
                            kind: AttachmentKind::Image,
                            url: format!("/media/images/{msg_id}.svg"),
                            name: format!("photo-{msg_id}.svg"),
                            mime_type: Some("image/svg+xml".into()),
                            size_bytes: Some(1200),
                        }
                    } else {
                        Attachment {
                            kind: AttachmentKind::File,
                            url: format!("/media/files/invoice-{msg_id}.pdf"),
                            name: format!("invoice-{msg_id}.pdf"),
                            mime_type: Some("application/pdf".into()),
                            size_bytes: Some(620),
                        }
                    };
                    attachments = serde_json::to_string(&[attachment]).ok();
                }
            } else {
                body = match topic.agent.get(ai) {
                    Some(line) => fill(line, &vars),
                    None => format!(
                        "Thanks {}, I'm on it and will update you shortly.",
                        contact.first
                    ),
                };
                ai += 1;
            }
            msgs.push(Msg {
                kind,
                author: (!customer_turn).then_some(resolver),
                body,
                attachments,
                call,
                session,
                at: t,
            });
            if with_note && msgs.len() == 2 {
                t += rng.range(1, 5) * MINUTE;
                msgs.push(Msg {
                    kind: MessageKind::Note,
                    author: Some(resolver),
                    body: rng.pick(data::NOTES).to_string(),
                    attachments: None,
                    call: None,
                    session,
                    at: t,
                });
            }
            if session == 0
                && j == 0
                && let Some(agent) = assignee
            {
                msgs.push(Msg {
                    kind: MessageKind::System,
                    author: None,
                    body: format!("Assigned to {}", AGENT_NAMES[agent as usize - 1]),
                    attachments: None,
                    call: None,
                    session,
                    at: t + 1000,
                });
            }
            // Customers sometimes send two messages in a row.
            customer_turn = if customer_turn { rng.chance(0.2) } else { true };
        }
        if resolved || session + 1 < sessions {
            t += rng.range(1, 10) * MINUTE;
            msgs.push(Msg {
                kind: MessageKind::System,
                author: None,
                body: format!("Resolved by {}", AGENT_NAMES[resolver as usize - 1]),
                attachments: None,
                call: None,
                session,
                at: t,
            });
        }
    }
    // Shift so the last message happened `age` before the anchor.
    let shift = anchor - age - t;
    for m in &mut msgs {
        m.at += shift;
    }
    let first_id = ids.message;
    let session_base = ids.session;
    let mut session_counts = vec![0i64; sessions];
    for (k, m) in msgs.iter().enumerate() {
        session_counts[m.session] += 1;
        let delivery = (m.kind == MessageKind::Outbound)
            .then(|| ["read", "read", "delivered", "sent"][rng.weighted(&[55, 10, 30, 5])]);
        b.messages
            .push(
                conn,
                vec![
                    V::I(first_id + k as i64),
                    V::I(id),
                    V::I(session_base + m.session as i64),
                    m.kind.as_str().into(),
                    m.author.into(),
                    m.body.clone().into(),
                    m.attachments.clone().into(),
                    m.call.clone().into(),
                    delivery.into(),
                    ms_ts(m.at).into(),
                ],
            )
            .await?;
    }
    ids.message += msgs.len() as i64;
    for (s, message_count) in session_counts.iter().enumerate() {
        let started = msgs
            .iter()
            .find(|m| m.session == s)
            .map(|m| m.at)
            .unwrap_or(shift);
        let ended = (resolved || s + 1 < sessions).then(|| {
            msgs.iter()
                .rev()
                .find(|m| m.session == s)
                .map(|m| m.at)
                .unwrap_or(started)
        });
        b.sessions
            .push(
                conn,
                vec![
                    V::I(session_base + s as i64),
                    V::I(id),
                    V::I(s as i64 + 1),
                    ms_ts(started).into(),
                    ended.map(ms_ts).into(),
                    ended.map(|_| resolver).into(),
                    V::I(*message_count),
                ],
            )
            .await?;
    }
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
    let priority = [
        Priority::None,
        Priority::Low,
        Priority::Medium,
        Priority::High,
        Priority::Urgent,
    ][rng.weighted(&[40, 20, 20, 15, 5])];
    let stage = (rng.chance(if team == 1 { 0.9 } else { 0.35 }))
        .then(|| rng.pick(&DEFAULT_PIPELINE_STAGES).0);
    let mut labels: Vec<&str> = Vec::new();
    if matches!(priority, Priority::High | Priority::Urgent) && rng.chance(0.7) {
        labels.push("priority::high");
    } else if priority == Priority::Low && rng.chance(0.5) {
        labels.push("priority::low");
    }
    if topic.reason == "Refund" && rng.chance(0.8) {
        labels.push("refund request");
    }
    if rng.chance(0.2) {
        let extra = *rng.pick(data::EXTRA_LABELS);
        if !labels.contains(&extra) {
            labels.push(extra);
        }
    }
    for label in &labels {
        b.labels.push(conn, vec![V::I(id), (*label).into()]).await?;
    }
    let collaborators: Vec<i64> = if !long && rng.chance(0.12) {
        let other = rng.range(1, 5);
        if Some(other) != assignee {
            vec![other]
        } else {
            vec![]
        }
    } else {
        vec![]
    };
    for agent in &collaborators {
        b.collaborators
            .push(conn, vec![V::I(id), V::I(*agent)])
            .await?;
    }
    let answered = first_out.is_some();
    let state = if answered {
        Some(ConversationState::Answered)
    } else if resolved {
        Some(
            [
                ConversationState::Dropped,
                ConversationState::AgentAssignmentFailed,
                ConversationState::CustomerDidNotRespond,
                ConversationState::EnqueueFailed,
                ConversationState::OutOfBusinessHours,
                ConversationState::QueueTimeout,
            ][rng.below(6) as usize],
        )
    } else {
        None
    };
    let disposition = resolved.then(|| {
        if topic.reason == "Refund" {
            "Refund issued"
        } else {
            *rng.pick(data::DISPOSITIONS)
        }
    });
    let wrap_up = (resolved && rng.chance(0.6)).then(|| fill(topic.wrap_up, &vars));
    let csat = (resolved && rng.chance(0.45)).then(|| rng.weighted(&[3, 5, 10, 30, 52]) as i64 + 1);
    let hangup = (resolved && matches!(channel, Channel::Voice | Channel::LiveChat)).then(|| {
        [
            HangupSource::Customer,
            HangupSource::Agent,
            HangupSource::System,
        ][rng.weighted(&[50, 40, 10])]
        .as_str()
    });
    let ticket_id = rng.chance(0.3).then(|| format!("TCK-{ticket}"));
    let mut attributes = serde_json::json!({
        "reason": {"type": "list", "value": topic.reason},
        "product": {"type": "text", "value": product},
    });
    if topic.customer.iter().any(|l| l.contains("{order}")) {
        attributes["order_number"] = serde_json::json!({"type": "text", "value": order});
    }
    let session_info = if channel == Channel::LiveChat || rng.chance(0.25) {
        let (device, os, browser) = *rng.pick(data::DEVICES);
        serde_json::json!({"country": country.name, "city": city, "region": region, "device": device, "os": os, "browser": browser})
    } else {
        serde_json::json!({})
    };
    let ai_enabled = rng.chance(0.92);
    let reviewed = ai_enabled
        && (if resolved {
            rng.chance(0.4)
        } else {
            rng.chance(0.1)
        });
    let review = reviewed.then(|| {
        let lines = customer_msgs
            .iter()
            .map(|m| Line {
                kind: m.kind,
                body: m.body.clone(),
                at: String::new(),
            })
            .collect();
        let first_in = msgs
            .iter()
            .find(|m| m.kind == MessageKind::Inbound)
            .map(|m| m.at);
        let first_response_seconds = match (first_in, first_out) {
            (Some(a), Some(b)) => Some(((b - a) / 1000).max(0)),
            _ => None,
        };
        Builtin::review(&Transcript {
            lines,
            resolved,
            first_response_seconds,
        })
    });
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
                ticket_id.into(),
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
                V::I(read_upto),
            ],
        )
        .await?;
    if !long && rng.chance(0.15) {
        for _ in 0..rng.range(1, 2) {
            let at = ms_ts(created + rng.range(1, 30) * MINUTE);
            b.notes
                .push(
                    conn,
                    vec![
                        V::I(id),
                        V::I(resolver),
                        rng.pick(data::NOTES).to_string().into(),
                        at.clone().into(),
                        at.into(),
                    ],
                )
                .await?;
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
