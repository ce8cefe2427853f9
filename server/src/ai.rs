//! AI review: a summary and a 0–100 quality score per conversation.
//!
//! The builtin analyzer works offline (extractive summary + heuristic score); with
//! `--ai-endpoint` an OpenAI-compatible chat-completions API is used instead.

use crate::auth::Caller;
use crate::conversations::{changed, model};
use crate::error::{AppError, AppResult, path_id};
use crate::state::AppState;
use crate::util;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::post;
use convoroom_api::*;
use std::future::Future;
use std::pin::Pin;

pub fn router() -> Router<AppState> {
    Router::new().route("/conversations/{id}/ai-review", post(review_now))
}

/// One line of the transcript given to an analyzer.
#[derive(Debug, Clone)]
pub struct Line {
    pub kind: MessageKind,
    pub body: String,
    pub at: String,
}

#[derive(Debug, Clone)]
pub struct Transcript {
    pub lines: Vec<Line>,
    pub resolved: bool,
    pub first_response_seconds: Option<i64>,
}

pub struct Review {
    pub summary: String,
    pub quality_score: u8,
}

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

pub trait Analyzer: Send + Sync {
    /// The name stored as `AiReview::analyzer`.
    fn name(&self) -> String;
    fn analyze<'a>(&'a self, transcript: &'a Transcript) -> BoxFuture<'a, Result<Review, String>>;
}

pub fn analyzer_for(config: &crate::config::Config) -> std::sync::Arc<dyn Analyzer> {
    match &config.ai_endpoint {
        Some(endpoint) => std::sync::Arc::new(crate::ai_http::OpenAiAnalyzer {
            endpoint: endpoint.clone(),
            model: config.ai_model.clone(),
            api_key: config.ai_api_key.clone(),
        }),
        None => std::sync::Arc::new(Builtin),
    }
}

pub struct Builtin;

const SIGNAL_WORDS: [&str; 16] = [
    "refund", "order", "invoice", "cancel", "broken", "charged", "delivery", "payment", "price",
    "quote", "account", "password", "error", "upgrade", "return", "urgent",
];

/// Words that end in a full stop without ending a sentence.
const ABBREVIATIONS: [&str; 22] = [
    "e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "dr", "st", "no", "nr", "approx", "inc", "ltd",
    "co", "jr", "sr", "dept", "est", "min", "max", "fig",
];

/// The customer's text in sentences worth quoting (12 characters or more). A sentence ends at
/// `.`, `?` or `!` (with any closing quotes or brackets) followed by a space or the end, and at
/// a line break — never inside a number, version, price or URL ("firmware 2.3", "$19.99",
/// "example.com/a?b"), nor after an abbreviation or an initial ("e.g.", "Dr.", "J.").
fn sentences(text: &str) -> Vec<String> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        let mut end = None;
        if c == '\n' {
            end = Some(at);
        } else if matches!(c, '.' | '?' | '!') {
            let mut j = i + 1;
            while j < chars.len()
                && matches!(
                    chars[j].1,
                    '.' | '?' | '!' | '"' | '\'' | '”' | '’' | ')' | ']'
                )
            {
                j += 1;
            }
            let at_break = chars.get(j).is_none_or(|(_, next)| next.is_whitespace());
            if at_break && !(c == '.' && j == i + 1 && abbreviation_before(&text[start..at])) {
                end = Some(chars.get(j).map_or(text.len(), |(k, _)| *k));
                i = j.saturating_sub(1);
            }
        }
        if let Some(end) = end {
            out.push(text[start..end].trim().to_string());
            start = end;
        }
        i += 1;
    }
    out.push(text[start..].trim().to_string());
    out.into_iter()
        .filter(|s| s.chars().count() >= 12)
        .collect()
}

/// Whether the text before a full stop ends in an abbreviation or a one-letter initial.
fn abbreviation_before(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("")
        .to_lowercase();
    (word.chars().count() == 1 && word.chars().all(char::is_alphabetic))
        || ABBREVIATIONS.contains(&word.as_str())
}

/// Informative = mentions what the customer wants (signal words, numbers, questions), not small talk.
fn informativeness(sentence: &str) -> i32 {
    let lower = sentence.to_lowercase();
    let mut score = SIGNAL_WORDS.iter().filter(|w| lower.contains(*w)).count() as i32 * 3;
    score += sentence.chars().filter(char::is_ascii_digit).count().min(6) as i32;
    if sentence.ends_with('?') {
        score += 2;
    }
    score + (sentence.split_whitespace().count().min(20) as i32) / 4
}

impl Builtin {
    pub fn review(transcript: &Transcript) -> Review {
        let customer: Vec<(usize, String)> = transcript
            .lines
            .iter()
            .filter(|l| l.kind == MessageKind::Inbound)
            .flat_map(|l| sentences(&l.body))
            .enumerate()
            .collect();
        let mut ranked = customer.clone();
        ranked.sort_by_key(|(i, s)| (-informativeness(s), *i));
        let mut picked: Vec<(usize, String)> = ranked.into_iter().take(2).collect();
        picked.sort_by_key(|(i, _)| *i);
        let agent_replies = transcript
            .lines
            .iter()
            .filter(|l| l.kind == MessageKind::Outbound)
            .count();
        let unanswered = unanswered_questions(transcript);
        let mut summary = if picked.is_empty() {
            "No customer message yet.".to_string()
        } else {
            format!(
                "Customer: {}",
                picked
                    .into_iter()
                    .map(|(_, s)| s)
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        };
        let outcome = if transcript.resolved {
            format!(
                " Outcome: resolved after {agent_replies} agent repl{}.",
                if agent_replies == 1 { "y" } else { "ies" }
            )
        } else if agent_replies == 0 {
            " Outcome: still waiting for a first reply.".to_string()
        } else if unanswered > 0 {
            format!(" Outcome: open, {unanswered} customer question(s) unanswered.")
        } else {
            format!(
                " Outcome: open, {agent_replies} agent repl{} so far.",
                if agent_replies == 1 { "y" } else { "ies" }
            )
        };
        summary.push_str(&outcome);
        Review {
            summary,
            quality_score: score(transcript, agent_replies, unanswered),
        }
    }
}

fn unanswered_questions(transcript: &Transcript) -> usize {
    let mut pending = 0;
    for line in &transcript.lines {
        match line.kind {
            MessageKind::Inbound if line.body.contains('?') => pending += 1,
            MessageKind::Outbound => pending = 0,
            _ => {}
        }
    }
    pending
}

fn score(transcript: &Transcript, agent_replies: usize, unanswered: usize) -> u8 {
    let mut score: i32 = 50;
    score += match transcript.first_response_seconds {
        Some(s) if s <= 120 => 20,
        Some(s) if s <= 900 => 12,
        Some(s) if s <= 3600 => 4,
        Some(_) => -8,
        None => -20,
    };
    if transcript.resolved {
        score += 20;
    }
    score -= unanswered as i32 * 10;
    score += (agent_replies.min(5) as i32) * 2;
    score.clamp(0, 100) as u8
}

impl Analyzer for Builtin {
    fn name(&self) -> String {
        "builtin".into()
    }
    fn analyze<'a>(&'a self, transcript: &'a Transcript) -> BoxFuture<'a, Result<Review, String>> {
        Box::pin(async move { Ok(Builtin::review(transcript)) })
    }
}

async fn transcript(state: &AppState, id: i64) -> AppResult<Transcript> {
    use sqlx::Row;
    let mut conn = state.read().await?;
    let rows = sqlx::query(
        "SELECT kind, body, created_at FROM (SELECT id, kind, body, created_at FROM messages WHERE conversation_id = $1 AND kind IN ('inbound', 'outbound')
         ORDER BY id DESC LIMIT 400) AS recent ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let lines: Vec<Line> = rows
        .iter()
        .map(|r| Line {
            kind: MessageKind::parse(&r.get::<String, _>("kind")).unwrap_or(MessageKind::System),
            body: r.get("body"),
            at: r.get("created_at"),
        })
        .collect();
    let status: String = sqlx::query_scalar("SELECT status FROM conversations WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    let first_in = lines
        .iter()
        .find(|l| l.kind == MessageKind::Inbound)
        .and_then(|l| util::parse_ts(&l.at));
    let first_out = lines
        .iter()
        .find(|l| l.kind == MessageKind::Outbound)
        .and_then(|l| util::parse_ts(&l.at));
    let first_response_seconds = match (first_in, first_out) {
        (Some(a), Some(b)) => Some((b - a).whole_seconds().max(0)),
        _ => None,
    };
    Ok(Transcript {
        lines,
        resolved: status == "resolved",
        first_response_seconds,
    })
}

/// Reviews one conversation and stores the result; emits `ai_reviewed` and `conversation_updated`.
pub async fn review(state: &AppState, id: i64, actor: i64) -> AppResult<AiReview> {
    let transcript = transcript(state, id).await?;
    let result = state.analyzer.analyze(&transcript).await.map_err(|e| {
        tracing::warn!(conversation_id = id, error = %e, "AI analyzer failed");
        AppError::new(
            ErrorCode::Unavailable,
            "The AI analyzer is unavailable; try again later",
        )
    })?;
    let review = AiReview {
        summary: result.summary,
        quality_score: result.quality_score.min(100),
        reviewed_at: util::now(),
        analyzer: state.analyzer.name(),
    };
    let mut w = state.write().await?;
    let Some(conversation) = model::load_many(w.conn(), &[id], actor).await?.pop() else {
        return Err(AppError::not_found("Conversation"));
    };
    sqlx::query("UPDATE conversations SET ai_summary = $1, ai_score = $2, ai_reviewed_at = $3, ai_analyzer = $4 WHERE id = $5")
        .bind(&review.summary)
        .bind(review.quality_score as i64)
        .bind(&review.reviewed_at)
        .bind(&review.analyzer)
        .bind(id)
        .execute(w.conn())
        .await?;
    w.emit(
        EventPayload::AiReviewed {
            conversation_id: id.to_string(),
            review: review.clone(),
        },
        model::access_of(&conversation),
    )
    .await?;
    w.audit(
        Some(id),
        (actor > 0).then_some(actor),
        "ai_reviewed",
        serde_json::json!({"score": review.quality_score}),
    )
    .await?;
    changed(&mut w, id, actor, None).await?;
    w.commit().await?;
    Ok(review)
}

#[utoipa::path(post, path = "/api/v1/conversations/{id}/ai-review", operation_id = "reviewConversationNow", tag = "conversations", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = AiReview), (status = 403, description = "AI is off for this conversation", body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn review_now(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<axum::Json<AiReview>> {
    let id = path_id(&id, "Conversation")?;
    let conversation = {
        let mut conn = state.read().await?;
        model::load_visible(&mut conn, &caller, id).await?
    };
    if !conversation.access.ai_enabled {
        return Err(AppError::forbidden(
            "AI access is off for this conversation: turn it on to request a review",
        ));
    }
    Ok(axum::Json(review(&state, id, caller.id).await?))
}

/// How long a replica may take to review a conversation it claimed; after that (it died
/// mid-review) another replica takes it on.
const CLAIM: std::time::Duration = std::time::Duration::from_secs(300);

/// Reviews conversations idle for `--ai-idle-minutes` whose last review is older than their
/// last activity. Every replica runs this; each conversation is claimed under the write lock
/// first, so it is reviewed by one of them, once.
pub async fn review_idle(state: &AppState) -> AppResult<usize> {
    let now = time::OffsetDateTime::now_utc();
    let now_ms = (now.unix_timestamp_nanos() / 1_000_000) as i64;
    let idle_before = util::ts(now - time::Duration::minutes(state.config.ai_idle_minutes as i64));
    // Only recent activity: a restart must not re-review the whole history.
    let window_start = util::ts(now - time::Duration::days(2));
    let ids: Vec<i64> = {
        let mut w = state.write().await?;
        sqlx::query("DELETE FROM ai_review_claims WHERE until_ms <= $1")
            .bind(now_ms)
            .execute(w.conn())
            .await?;
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT c.id FROM conversations c
             WHERE c.last_activity_at >= $1 AND c.last_activity_at <= $2 AND c.ai_enabled = TRUE
               AND (c.ai_reviewed_at IS NULL OR c.ai_reviewed_at < c.last_activity_at)
               AND NOT EXISTS (SELECT 1 FROM ai_review_claims k WHERE k.conversation_id = c.id)
             ORDER BY c.last_activity_at LIMIT 25",
        )
        .bind(window_start)
        .bind(idle_before)
        .fetch_all(w.conn())
        .await?;
        for id in &ids {
            sqlx::query("INSERT INTO ai_review_claims (conversation_id, until_ms) VALUES ($1, $2)")
                .bind(id)
                .bind(now_ms + CLAIM.as_millis() as i64)
                .execute(w.conn())
                .await?;
        }
        w.commit().await?;
        ids
    };
    let mut result = Ok(ids.len());
    for id in &ids {
        if let Err(err) = review(state, *id, 0).await {
            result = Err(err);
            break;
        }
    }
    // Reviewed (or failed: tried again on the next round, as before claims existed).
    if !ids.is_empty() {
        let mut w = state.write().await?;
        sqlx::query(&format!(
            "DELETE FROM ai_review_claims WHERE conversation_id IN ({})",
            util::id_list_sql(&ids)
        ))
        .execute(w.conn())
        .await?;
        w.commit().await?;
    }
    result
}

#[cfg(test)]
mod tests {
    use super::sentences;

    #[test]
    fn numbers_versions_prices_urls_and_abbreviations_stay_inside_their_sentence() {
        assert_eq!(
            sentences("It's on firmware 2.3, is there an update?"),
            ["It's on firmware 2.3, is there an update?"]
        );
        assert_eq!(
            sentences("The plan costs $19.99 a month. Can I get a refund for March?"),
            [
                "The plan costs $19.99 a month.",
                "Can I get a refund for March?"
            ]
        );
        assert_eq!(
            sentences("See https://example.com/help/a.b?c=d. It says error 0x1F!"),
            [
                "See https://example.com/help/a.b?c=d.",
                "It says error 0x1F!"
            ]
        );
        assert_eq!(
            sentences("I spoke to Dr. Smith, e.g. about order no. 4411 yesterday. Help!!"),
            ["I spoke to Dr. Smith, e.g. about order no. 4411 yesterday."]
        );
        assert_eq!(
            sentences("Version 10.4.1 crashes on start... Any fix? (I tried reinstalling.) Thanks"),
            [
                "Version 10.4.1 crashes on start...",
                "(I tried reinstalling.)"
            ]
        );
        assert_eq!(
            sentences("first line without a stop\nsecond line, also long enough"),
            ["first line without a stop", "second line, also long enough"]
        );
        assert_eq!(
            sentences("My name is J. R. Tolkien and my card ends in 4.2k"),
            ["My name is J. R. Tolkien and my card ends in 4.2k"]
        );
    }
}
