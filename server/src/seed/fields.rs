//! The fields of one demo conversation: priority, stage, labels, outcome, attributes, review.

use super::batch::Rng;
use super::data::{self, Topic};
use super::thread::{Msg, fill};
use crate::ai::{Builtin, Line, Review, Transcript};
use convoroom_api::*;

pub struct Ctx<'a> {
    pub team: usize,
    pub topic: &'a Topic,
    pub resolved: bool,
    pub long: bool,
    pub assignee: Option<i64>,
    pub channel: Channel,
    pub vars: &'a [(&'a str, &'a str)],
    pub product: &'a str,
    pub order: &'a str,
    pub ticket: &'a str,
    pub country: &'a data::Country,
    pub city: &'a str,
    pub region: &'a str,
    pub msgs: &'a [Msg],
    /// The state of a conversation that closed before any agent replied, chosen by the caller.
    pub closed_without_reply: Option<ConversationState>,
}

pub struct Fields {
    pub priority: Priority,
    pub stage: Option<&'static str>,
    pub labels: Vec<&'static str>,
    pub collaborators: Vec<i64>,
    pub state: Option<ConversationState>,
    pub disposition: Option<&'static str>,
    pub wrap_up: Option<String>,
    pub csat: Option<i64>,
    pub hangup: Option<&'static str>,
    pub ticket_id: Option<String>,
    pub attributes: serde_json::Value,
    pub session_info: serde_json::Value,
    pub ai_enabled: bool,
    pub review: Option<Review>,
}

pub fn pick(rng: &mut Rng, ctx: &Ctx) -> Fields {
    let Ctx {
        team,
        topic,
        resolved,
        long,
        assignee,
        channel,
        vars,
        product,
        order,
        ticket,
        country,
        city,
        region,
        msgs,
        closed_without_reply,
    } = *ctx;
    let first_out = msgs
        .iter()
        .find(|m| m.kind == MessageKind::Outbound)
        .map(|m| m.at);
    let customer_msgs: Vec<&Msg> = msgs
        .iter()
        .filter(|m| m.kind == MessageKind::Inbound || m.kind == MessageKind::Outbound)
        .collect();
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
    // These draws once chose `priority::` labels, which are now the priority field itself;
    // they stay so that every other seeded value stays the same.
    if matches!(priority, Priority::High | Priority::Urgent) {
        rng.chance(0.7);
    } else if priority == Priority::Low {
        rng.chance(0.5);
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
    let answered = first_out.is_some();
    let state = if closed_without_reply.is_some() {
        closed_without_reply
    } else if answered {
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
    let wrap_up = (resolved && rng.chance(0.6)).then(|| fill(topic.wrap_up, vars));
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
    Fields {
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
    }
}
