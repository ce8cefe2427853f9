//! Label rules shared by conversations, contacts and the catalogue: naming, scopes
//! (`scope::x` replaces another label of the same scope), catalogue colours, and finding and
//! rewriting everything that holds a label (a catalogue rename or delete).

use crate::db::Conn;
use crate::error::{AppError, AppResult};
use crate::events::EventAccess;
use crate::state::Writer;
use convoroom_api::{EventPayload, Label, label_scope, renamed_labels, validate};
use sqlx::Row;

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

/// Conversations holding `name`: id and labels (the row's copy, in its order).
async fn conversations_holding(conn: &mut Conn, name: &str) -> AppResult<Vec<(i64, Vec<String>)>> {
    let rows = sqlx::query(
        "SELECT c.id, c.labels FROM conversations c
         JOIN conversation_labels l ON l.conversation_id = c.id WHERE l.label = $1",
    )
    .bind(name)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let labels = serde_json::from_str(&r.get::<String, _>("labels")).unwrap_or_default();
            (r.get("id"), labels)
        })
        .collect())
}

/// Contacts holding `name`. Contacts keep their labels only as JSON, so the rows whose text
/// contains the name (as JSON writes it) are read and the exact ones kept.
pub async fn contacts_holding(conn: &mut Conn, name: &str) -> AppResult<Vec<(i64, Vec<String>)>> {
    let quoted = serde_json::to_string(name)?;
    let mut pattern = String::from("%");
    for ch in quoted.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(ch);
    }
    pattern.push('%');
    let rows = sqlx::query("SELECT id, labels FROM contacts WHERE labels LIKE $1 ESCAPE '\\'")
        .bind(pattern)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let labels: Vec<String> =
                serde_json::from_str(&r.get::<String, _>("labels")).unwrap_or_default();
            (r.get("id"), labels)
        })
        .filter(|(_, labels)| labels.iter().any(|l| l == name))
        .collect())
}

/// Saved views (anyone's) whose filter names `name`: id and filter as stored.
pub async fn views_filtering_on(
    conn: &mut Conn,
    name: &str,
) -> AppResult<Vec<(i64, serde_json::Value)>> {
    let rows = sqlx::query("SELECT id, filter FROM views")
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            let filter: serde_json::Value =
                serde_json::from_str(&r.get::<String, _>("filter")).ok()?;
            (filter.get("label").and_then(|l| l.as_str()) == Some(name))
                .then(|| (r.get("id"), filter))
        })
        .collect())
}

/// Rewrites every conversation, contact and saved view holding `from`: `to` in its place (as
/// `renamed_labels` says), or gone when `to` is `None`.
pub async fn rewrite_holders(w: &mut Writer, from: &str, to: Option<&str>) -> AppResult<()> {
    let next = |labels: &[String]| match to {
        Some(to) => renamed_labels(labels, from, to),
        None => labels.iter().filter(|l| *l != from).cloned().collect(),
    };
    for (id, labels) in conversations_holding(w.conn(), from).await? {
        let kept = next(&labels);
        // Link rows are deleted and inserted, never updated: the count triggers follow
        // inserts and deletes only.
        for gone in labels.iter().filter(|l| !kept.contains(l)) {
            sqlx::query(
                "DELETE FROM conversation_labels WHERE conversation_id = $1 AND label = $2",
            )
            .bind(id)
            .bind(gone)
            .execute(w.conn())
            .await?;
        }
        if let Some(to) = to {
            sqlx::query(
                "INSERT INTO conversation_labels (conversation_id, label) VALUES ($1, $2)
                 ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(to)
            .execute(w.conn())
            .await?;
        }
        sqlx::query("UPDATE conversations SET labels = $1 WHERE id = $2")
            .bind(serde_json::to_string(&kept)?)
            .bind(id)
            .execute(w.conn())
            .await?;
    }
    // Ownership counts of the old name emptied by the deletes above.
    sqlx::query("DELETE FROM conversation_label_counts WHERE label = $1 AND n <= 0")
        .bind(from)
        .execute(w.conn())
        .await?;
    for (id, labels) in contacts_holding(w.conn(), from).await? {
        sqlx::query("UPDATE contacts SET labels = $1 WHERE id = $2")
            .bind(serde_json::to_string(&next(&labels))?)
            .bind(id)
            .execute(w.conn())
            .await?;
    }
    for (id, mut filter) in views_filtering_on(w.conn(), from).await? {
        if let Some(fields) = filter.as_object_mut() {
            match to {
                Some(to) => fields.insert("label".into(), to.into()),
                None => fields.remove("label"),
            };
        }
        let row = sqlx::query(
            "UPDATE views SET filter = $1, version = version + 1 WHERE id = $2 RETURNING *",
        )
        .bind(filter.to_string())
        .bind(id)
        .fetch_one(w.conn())
        .await?;
        let view = crate::views::from_row(&row);
        let owner = view.owner_id.parse().unwrap_or_default();
        w.emit(
            EventPayload::ViewSaved(Box::new(view)),
            EventAccess::owner(owner),
        )
        .await?;
    }
    Ok(())
}
