//! Label rules shared by conversations, contacts and the catalogue: naming, scopes
//! (`scope::x` replaces another label of the same scope) and catalogue colours.

use crate::error::{AppError, AppResult};
use crate::events::EventAccess;
use crate::state::Writer;
use convoroom_api::{EventPayload, Label, label_scope, validate};

const PALETTE: [&str; 8] = [
    "#2563eb", "#16a34a", "#dc2626", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777",
];

/// The colour a label gets when nobody chose one: stable per name.
pub fn label_color(name: &str) -> &'static str {
    let hash = name
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32));
    PALETTE[(hash as usize) % PALETTE.len()]
}

pub fn clean_label(raw: &str) -> AppResult<String> {
    let name = raw.trim();
    if name.is_empty() || validate::too_long(raw, validate::LABEL_MAX_CHARS) {
        return Err(AppError::field(
            "label",
            format!("A label is 1–{} characters", validate::LABEL_MAX_CHARS),
        ));
    }
    Ok(name.to_string())
}

/// Keeps the last label of each scope (`priority::high` replaces `priority::low`) and drops repeats.
pub fn normalise_labels(labels: &[String]) -> AppResult<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for label in labels {
        let label = clean_label(label)?;
        if let Some(scope) = label_scope(&label) {
            out.retain(|l| label_scope(l) != Some(scope));
        }
        out.retain(|l| *l != label);
        out.push(label);
    }
    Ok(out)
}

/// Adds labels used on a conversation or contact to the catalogue, with their default colour,
/// and tells every open app of each new one (its pickers and the Settings → Labels page).
pub async fn ensure_catalogue(w: &mut Writer, labels: &[String]) -> AppResult<()> {
    for label in labels {
        let added: Option<String> = sqlx::query_scalar(
            "INSERT INTO labels (name, color, description) VALUES ($1, $2, '')
             ON CONFLICT DO NOTHING RETURNING name",
        )
        .bind(label)
        .bind(label_color(label))
        .fetch_optional(w.conn())
        .await?;
        if added.is_some() {
            let saved = Label {
                name: label.clone(),
                color: label_color(label).to_string(),
                description: String::new(),
            };
            w.emit(EventPayload::LabelSaved(saved), EventAccess::everyone())
                .await?;
        }
    }
    Ok(())
}
