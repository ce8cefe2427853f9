//! The demo's canned responses: shared ones for everyone and for one team, and a few
//! personal ones, most using variables.

use crate::db::Conn;

/// (short code, title, body, team id for a shared one for one team, owner id for a personal one)
type Canned = (
    &'static str,
    &'static str,
    &'static str,
    Option<i64>,
    Option<i64>,
);

const RESPONSES: &[Canned] = &[
    (
        "hello",
        "Greeting",
        "Hi {{contact.first_name}}, thanks for reaching out! I'm {{agent.first_name}} and I'll help you today.",
        None,
        None,
    ),
    (
        "thanks",
        "Thanks and goodbye",
        "Thanks for your patience, {{contact.first_name}}. If anything else comes up, just reply here — your reference is #{{conversation.id}}.",
        None,
        None,
    ),
    (
        "email-confirm",
        "Confirm email address",
        "Could you confirm that {{contact.email}} is still the best address to send the details to?",
        None,
        None,
    ),
    (
        "refund",
        "Refund timeline",
        "Hi {{contact.first_name}}, your refund is on its way. It usually shows on your statement within 5–10 business days.",
        Some(3),
        None,
    ),
    (
        "demo",
        "Book a demo",
        "Happy to show you around, {{contact.first_name}}! Pick a time that suits you and {{agent.name}} will walk you through it.",
        Some(2),
        None,
    ),
    (
        "lookup",
        "Looking into it",
        "Thanks {{contact.first_name}} — I'm looking into this now and will get back to you shortly.",
        None,
        Some(2),
    ),
    (
        "callback",
        "Call back",
        "I'll call you back at {{contact.phone}} within the hour. Talk soon! — {{agent.first_name}}",
        None,
        Some(2),
    ),
    (
        "escalate",
        "Escalated",
        "I've passed this to our specialists, {{contact.first_name}}. You'll hear from us by tomorrow.",
        None,
        Some(1),
    ),
];

pub async fn responses(conn: &mut Conn) -> Result<(), sqlx::Error> {
    for (short_code, title, body, team_id, owner_id) in RESPONSES {
        let scope = if owner_id.is_some() {
            "personal"
        } else {
            "shared"
        };
        sqlx::query(
            "INSERT INTO canned_responses (short_code, title, body, scope, team_id, owner_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(short_code)
        .bind(title)
        .bind(body)
        .bind(scope)
        .bind(team_id)
        .bind(owner_id)
        .bind(crate::util::now())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
