//! The message thread of one demo conversation: sessions, turns, calls, attachments, notes.

use super::batch::{Batch, Rng, V};
use super::data::{self, Topic};
use super::ms_ts;
use crate::db::Conn;
use convoroom_api::*;

const MINUTE: i64 = 60_000;
const DAY: i64 = 86_400_000;
const AGENT_NAMES: [&str; 5] = [
    "Maya Patel",
    "Jonas Weber",
    "Aiko Tanaka",
    "Luis Romero",
    "Priya Shah",
];

pub struct Msg {
    pub kind: MessageKind,
    pub author: Option<i64>,
    pub body: String,
    pub attachments: Option<String>,
    pub call: Option<String>,
    pub session: usize,
    pub at: i64,
}

pub struct Plan<'a> {
    pub count: usize,
    pub sessions: usize,
    pub resolved: bool,
    pub assignee: Option<i64>,
    pub resolver: i64,
    pub outgoing: bool,
    pub long: bool,
    pub channel: Channel,
    pub topic: &'a Topic,
    pub vars: &'a [(&'a str, &'a str)],
    pub first_name: &'a str,
    /// The id the first message will get (recording and attachment URLs use message ids).
    pub first_message_id: i64,
}

pub fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (key, value) in vars {
        if out.contains(key) {
            out = out.replace(key, value);
        }
    }
    out
}

/// The messages with times relative to the start, and the time of the last one.
pub fn build(rng: &mut Rng, plan: &Plan) -> (Vec<Msg>, i64) {
    let Plan {
        count,
        sessions,
        resolved,
        assignee,
        resolver,
        outgoing,
        long,
        channel,
        topic,
        vars,
        ..
    } = *plan;
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
            let msg_id = plan.first_message_id + msgs.len() as i64;
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
                    Some(line) => fill(line, vars),
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
                            upload_id: None,
                            size_bytes: Some(1200),
                        }
                    } else {
                        Attachment {
                            kind: AttachmentKind::File,
                            url: format!("/media/files/invoice-{msg_id}.pdf"),
                            name: format!("invoice-{msg_id}.pdf"),
                            mime_type: Some("application/pdf".into()),
                            upload_id: None,
                            size_bytes: Some(620),
                        }
                    };
                    attachments = serde_json::to_string(&[attachment]).ok();
                }
            } else {
                body = match topic.agent.get(ai) {
                    Some(line) => fill(line, vars),
                    None => format!(
                        "Thanks {}, I'm on it and will update you shortly.",
                        plan.first_name
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
    (msgs, t)
}

/// Where a thread's rows go: its conversation and the first ids to use.
pub struct Stored {
    pub conversation_id: i64,
    pub first_message_id: i64,
    pub first_session_id: i64,
    pub sessions: usize,
    pub resolved: bool,
    pub resolver: i64,
}

/// Queues the thread's messages and sessions (times already absolute).
pub async fn store(
    conn: &mut Conn,
    rng: &mut Rng,
    messages: &mut Batch,
    sessions_batch: &mut Batch,
    msgs: &[Msg],
    stored: &Stored,
) -> Result<(), sqlx::Error> {
    let Stored {
        sessions,
        resolved,
        resolver,
        ..
    } = *stored;
    let first_id = stored.first_message_id;
    let session_base = stored.first_session_id;
    let mut session_counts = vec![0i64; sessions];
    for (k, m) in msgs.iter().enumerate() {
        session_counts[m.session] += 1;
        let delivery = (m.kind == MessageKind::Outbound)
            .then(|| ["read", "read", "delivered", "sent"][rng.weighted(&[55, 10, 30, 5])]);
        messages
            .push(
                conn,
                vec![
                    V::I(first_id + k as i64),
                    V::I(stored.conversation_id),
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
    for (s, message_count) in session_counts.iter().enumerate() {
        let started = msgs
            .iter()
            .find(|m| m.session == s)
            .map(|m| m.at)
            .unwrap_or(0);
        let ended = (resolved || s + 1 < sessions).then(|| {
            msgs.iter()
                .rev()
                .find(|m| m.session == s)
                .map(|m| m.at)
                .unwrap_or(started)
        });
        sessions_batch
            .push(
                conn,
                vec![
                    V::I(session_base + s as i64),
                    V::I(stored.conversation_id),
                    V::I(s as i64 + 1),
                    ms_ts(started).into(),
                    ended.map(ms_ts).into(),
                    ended.map(|_| resolver).into(),
                    V::I(*message_count),
                ],
            )
            .await?;
    }
    Ok(())
}
