//! Keeping the full-text index: conversation text in segments of up to 50 messages (one index
//! entry per conversation and word instead of per message; appending a message rewrites one
//! small segment), and one entry per contact (name and identifiers).
//!
//! SQLite: FTS5 tables `conversation_fts` (rowid = conversation_id * ROWID_SHIFT + segment)
//! and `contacts_fts`, which tokenise the text themselves. PostgreSQL: the words (a `tsvector`
//! of text normalised here) in `conversation_search_text` and `contact_search_text` under a
//! new version each time they change, and the GIN-indexed rows `conversation_search` and
//! `contact_search` pointing at that version (migrations/postgres/0003_search.sql says why).

use super::normalise;
use crate::db::{Backend, Conn};
use crate::error::AppResult;

pub const SEGMENT_MESSAGES: i64 = 50;
/// SQLite segment rowids are `conversation_id * ROWID_SHIFT + segment`.
pub const ROWID_SHIFT: i64 = 1 << 20;

const SEARCHABLE: &str = "kind <> 'system' AND body <> ''";

/// Rebuilds SQLite's conversation index from `messages` (after bulk seeding; the PostgreSQL
/// seeder writes segments as it generates the messages).
pub const SQLITE_REBUILD_SQL: &str = "INSERT INTO conversation_fts (rowid, body)
    SELECT conversation_id * 1048576 + seg, group_concat(body, ' ')
    FROM (SELECT conversation_id, body, (ROW_NUMBER() OVER (PARTITION BY conversation_id ORDER BY id) - 1) / 50 AS seg
          FROM messages WHERE kind <> 'system' AND body <> '') AS m
    GROUP BY conversation_id, seg";

/// The PostgreSQL seeder's batches of words: (conversation_id, segment, version, tsv) and
/// (contact_id, version, tsv), all of version 0 (the server's versions start at 1); it
/// indexes them at the end with [`POSTGRES_INDEX_SEEDED_SQL`].
pub const POSTGRES_SEGMENT_COLUMNS: &[&str] = &["conversation_id", "segment", "version", "tsv"];
pub const POSTGRES_CONTACT_COLUMNS: &[&str] = &["contact_id", "version", "tsv"];
pub const POSTGRES_INDEX_SEEDED_SQL: &str = "
    INSERT INTO conversation_search (conversation_id, segment, version)
        SELECT conversation_id, segment, version FROM conversation_search_text;
    INSERT INTO contact_search (contact_id, version) SELECT contact_id, version FROM contact_search_text;";
/// How a normalised text parameter becomes the indexed `tsvector`: without word positions
/// (`strip`), which no query uses; that halves the rows a common word's lookup visits.
pub const TO_TSVECTOR: &str = "strip(to_tsvector('simple', {}))";

/// The text a segment of messages is indexed with.
pub fn segment_text<'a>(backend: Backend, bodies: impl Iterator<Item = &'a str>) -> String {
    let joined = bodies.collect::<Vec<_>>().join(" ");
    match backend {
        Backend::Sqlite => joined,
        Backend::Postgres => normalise(&joined),
    }
}

async fn write_segment(
    conn: &mut Conn,
    conversation_id: i64,
    segment: i64,
    text: Option<String>,
) -> AppResult<()> {
    match Backend::of(conn) {
        Backend::Sqlite => {
            let rowid = conversation_id * ROWID_SHIFT + segment;
            sqlx::query("DELETE FROM conversation_fts WHERE rowid = $1")
                .bind(rowid)
                .execute(&mut *conn)
                .await?;
            if let Some(text) = text {
                sqlx::query("INSERT INTO conversation_fts (rowid, body) VALUES ($1, $2)")
                    .bind(rowid)
                    .bind(text)
                    .execute(&mut *conn)
                    .await?;
            }
        }
        Backend::Postgres => match text {
            // New words under a new version, then the indexed row points at it (which makes
            // PostgreSQL index the row again).
            Some(text) => {
                let version: i64 = sqlx::query_scalar(
                    "INSERT INTO conversation_search_text (conversation_id, segment, version, tsv)
                     VALUES ($1, $2, nextval('search_version'), strip(to_tsvector('simple', $3)))
                     ON CONFLICT (conversation_id, segment) DO UPDATE SET version = excluded.version, tsv = excluded.tsv
                     RETURNING version",
                )
                .bind(conversation_id)
                .bind(segment)
                .bind(text)
                .fetch_one(&mut *conn)
                .await?;
                sqlx::query(
                    "INSERT INTO conversation_search (conversation_id, segment, version) VALUES ($1, $2, $3)
                     ON CONFLICT (conversation_id, segment) DO UPDATE SET version = excluded.version",
                )
                .bind(conversation_id)
                .bind(segment)
                .bind(version)
                .execute(&mut *conn)
                .await?;
            }
            None => {
                for table in ["conversation_search", "conversation_search_text"] {
                    sqlx::query(&format!(
                        "DELETE FROM {table} WHERE conversation_id = $1 AND segment = $2"
                    ))
                    .bind(conversation_id)
                    .bind(segment)
                    .execute(&mut *conn)
                    .await?;
                }
            }
        },
    }
    Ok(())
}

async fn rebuild_segment(conn: &mut Conn, conversation_id: i64, segment: i64) -> AppResult<()> {
    let bodies: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT body FROM messages WHERE conversation_id = $1 AND {SEARCHABLE}
         ORDER BY id LIMIT {SEGMENT_MESSAGES} OFFSET $2"
    ))
    .bind(conversation_id)
    .bind(segment * SEGMENT_MESSAGES)
    .fetch_all(&mut *conn)
    .await?;
    let text = (!bodies.is_empty())
        .then(|| segment_text(Backend::of(conn), bodies.iter().map(String::as_str)));
    write_segment(conn, conversation_id, segment, text).await
}

async fn searchable_count(conn: &mut Conn, conversation_id: i64) -> AppResult<i64> {
    Ok(sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM messages WHERE conversation_id = $1 AND {SEARCHABLE}"
    ))
    .bind(conversation_id)
    .fetch_one(&mut *conn)
    .await?)
}

/// Indexes the newest message of a conversation (call after inserting it).
pub async fn index_latest(conn: &mut Conn, conversation_id: i64) -> AppResult<()> {
    let count = searchable_count(conn, conversation_id).await?;
    if count > 0 {
        rebuild_segment(conn, conversation_id, (count - 1) / SEGMENT_MESSAGES).await?;
    }
    Ok(())
}

/// Drops a conversation's segments (merged away).
pub async fn remove(conn: &mut Conn, conversation_id: i64) -> AppResult<()> {
    match Backend::of(conn) {
        Backend::Sqlite => {
            sqlx::query("DELETE FROM conversation_fts WHERE rowid >= $1 AND rowid < $2")
                .bind(conversation_id * ROWID_SHIFT)
                .bind((conversation_id + 1) * ROWID_SHIFT)
                .execute(&mut *conn)
                .await?;
        }
        Backend::Postgres => {
            for table in ["conversation_search", "conversation_search_text"] {
                sqlx::query(&format!("DELETE FROM {table} WHERE conversation_id = $1"))
                    .bind(conversation_id)
                    .execute(&mut *conn)
                    .await?;
            }
        }
    }
    Ok(())
}

/// Re-indexes every segment of a conversation (its messages changed wholesale, e.g. a merge).
pub async fn reindex(conn: &mut Conn, conversation_id: i64) -> AppResult<()> {
    remove(conn, conversation_id).await?;
    let count = searchable_count(conn, conversation_id).await?;
    for segment in 0..(count + SEGMENT_MESSAGES - 1) / SEGMENT_MESSAGES {
        rebuild_segment(conn, conversation_id, segment).await?;
    }
    Ok(())
}

/// The text search matches for a contact: name, identifiers, and their digit runs (phone
/// numbers).
pub fn contact_identifiers(parts: &[Option<&str>]) -> String {
    let mut out = Vec::new();
    for part in parts.iter().flatten() {
        out.push(part.to_string());
        let digits: String = part.chars().filter(char::is_ascii_digit).collect();
        if digits.len() >= 4 {
            out.push(digits);
        }
    }
    out.join(" ")
}

/// (Re)writes a contact's index entry.
pub async fn index_contact(
    conn: &mut Conn,
    contact_id: i64,
    name: &str,
    identifiers: &str,
) -> AppResult<()> {
    match Backend::of(conn) {
        Backend::Sqlite => {
            sqlx::query("DELETE FROM contacts_fts WHERE rowid = $1")
                .bind(contact_id)
                .execute(&mut *conn)
                .await?;
            sqlx::query("INSERT INTO contacts_fts (rowid, name, identifiers) VALUES ($1, $2, $3)")
                .bind(contact_id)
                .bind(name)
                .bind(identifiers)
                .execute(&mut *conn)
                .await?;
        }
        Backend::Postgres => {
            let version: i64 = sqlx::query_scalar(
                "INSERT INTO contact_search_text (contact_id, version, tsv)
                 VALUES ($1, nextval('search_version'), strip(to_tsvector('simple', $2)))
                 ON CONFLICT (contact_id) DO UPDATE SET version = excluded.version, tsv = excluded.tsv
                 RETURNING version",
            )
            .bind(contact_id)
            .bind(contact_text(name, identifiers))
            .fetch_one(&mut *conn)
            .await?;
            sqlx::query(
                "INSERT INTO contact_search (contact_id, version) VALUES ($1, $2)
                 ON CONFLICT (contact_id) DO UPDATE SET version = excluded.version",
            )
            .bind(contact_id)
            .bind(version)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// Forgets a deleted contact's words.
pub async fn remove_contact(conn: &mut Conn, contact_id: i64) -> AppResult<()> {
    let tables: &[&str] = match Backend::of(conn) {
        Backend::Sqlite => &["contacts_fts"],
        Backend::Postgres => &["contact_search", "contact_search_text"],
    };
    for table in tables {
        let column = if *table == "contacts_fts" {
            "rowid"
        } else {
            "contact_id"
        };
        sqlx::query(&format!("DELETE FROM {table} WHERE {column} = $1"))
            .bind(contact_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// What PostgreSQL indexes for a contact.
pub fn contact_text(name: &str, identifiers: &str) -> String {
    normalise(&format!("{name} {identifiers}"))
}
