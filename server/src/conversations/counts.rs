//! The list's ownership counts (`mine`, `unassigned`, `all`) under the other filters.
//!
//! Filters on status, channel, team and assignee, with or without one label, are answered
//! from the trigger-maintained `conversation_counts` and `conversation_label_counts` tables
//! (a few thousand rows) instead of scanning conversations. Other filters (stage, priority,
//! dates, search) count the matching rows; a search whose matches exceed the large-set threshold is
//! counted only up to `COUNT_CAP` and reported as `approximate`.

use super::list::{ListQuery, id_or_none};
use super::sql::{Bind, Where};
use crate::auth::Caller;
use crate::db::{Backend, Conn};
use crate::error::AppResult;
use convoroom_api::OwnershipCounts;
use sqlx::Row;

/// Recounts `conversation_label_counts` from scratch (after bulk seeding).
pub const REBUILD_LABEL_COUNTS_SQL: &str = "DELETE FROM conversation_label_counts;
    INSERT INTO conversation_label_counts (label, status, team_id, assignee_id, channel, n)
    SELECT l.label, c.status, COALESCE(c.team_id, 0), COALESCE(c.assignee_id, 0), c.channel, COUNT(*)
    FROM conversation_labels l JOIN conversations c ON c.id = l.conversation_id
    GROUP BY 1, 2, 3, 4, 5;";

pub async fn ownership_counts(
    conn: &mut Conn,
    caller: &Caller,
    query: &ListQuery,
    base: &Where,
    search_large: bool,
) -> AppResult<OwnershipCounts> {
    let summary_applies = query.pipeline_stage.is_none()
        && query.attribute.is_none()
        && query.priority.is_none()
        && query.created_from.is_none()
        && query.created_to.is_none()
        && query.ai_reviewed.is_none()
        && query.state.is_none()
        && !query
            .q
            .as_deref()
            .is_some_and(|q| q.chars().any(char::is_alphanumeric));
    if summary_applies {
        summary(conn, caller, query).await
    } else if search_large {
        capped(conn, caller, base).await
    } else {
        // A label or search set: look its ids up in the narrow id-first index rather than in
        // the wide rows (SQLite's planner would pick the table; Postgres needs no hint).
        let hint = if query.label.is_some() || query.q.is_some() {
            Backend::of(conn).indexed_by("conversations_narrow")
        } else {
            String::new()
        };
        scan(conn, caller, base, &hint).await
    }
}

/// A search matching more conversations than the large-set threshold is counted only up to
/// this many visible matches…
const COUNT_CAP: i64 = 1000;
/// …among this many of the most recently active conversations.
const COUNT_WINDOW: i64 = 10_000;

/// Counts a large search's visible matches, walking the conversations from the most recently
/// active, until `COUNT_CAP` of them are found or `COUNT_WINDOW` conversations were looked
/// at: beyond that the numbers are lower bounds, which is all a tab badge needs ("1000+").
/// Counting tens of thousands of matches of a common word would cost more than the search;
/// so would looking through all conversations for the few an agent may see.
async fn capped(conn: &mut Conn, caller: &Caller, base: &Where) -> AppResult<OwnershipCounts> {
    let cap = super::list::large_set_threshold().clamp(1, COUNT_CAP);
    // The activity of the COUNT_WINDOW-th most recent conversation (none: fewer than that).
    let edge: Option<String> = sqlx::query_scalar(&format!(
        "SELECT last_activity_at FROM conversations ORDER BY last_activity_at DESC, id DESC LIMIT 1 OFFSET {}",
        COUNT_WINDOW - 1
    ))
    .fetch_optional(&mut *conn)
    .await?;
    let mut walk = base.clone();
    if let Some(edge) = &edge {
        walk.push("c.last_activity_at >= ?", vec![Bind::Text(edge.clone())]);
    }
    let sql = format!(
        "SELECT c.assignee_id FROM conversations c WHERE {}
         ORDER BY c.last_activity_at DESC, c.id DESC LIMIT {}",
        walk.sql(),
        cap + 1
    );
    let assignees: Vec<Option<i64>> = walk
        .bind(sqlx::query(&sql))
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|row| row.get(0))
        .collect();
    let approximate = assignees.len() as i64 > cap || edge.is_some();
    let counted = &assignees[..assignees.len().min(cap as usize)];
    Ok(OwnershipCounts {
        mine: counted.iter().filter(|a| **a == Some(caller.id)).count() as u64,
        unassigned: counted.iter().filter(|a| a.is_none()).count() as u64,
        all: counted.len() as u64,
        approximate,
    })
}

async fn scan(
    conn: &mut Conn,
    caller: &Caller,
    base: &Where,
    hint: &str,
) -> AppResult<OwnershipCounts> {
    let sql = format!(
        "SELECT COUNT(*) AS n_all,
                CAST(COALESCE(SUM(CASE WHEN c.assignee_id = {me} THEN 1 ELSE 0 END), 0) AS BIGINT) AS n_mine,
                CAST(COALESCE(SUM(CASE WHEN c.assignee_id IS NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS n_unassigned
         FROM conversations c {hint} WHERE {}",
        base.sql(),
        me = caller.id
    );
    let row = base.bind(sqlx::query(&sql)).fetch_one(&mut *conn).await?;
    Ok(OwnershipCounts {
        mine: row.get::<i64, _>("n_mine") as u64,
        unassigned: row.get::<i64, _>("n_unassigned") as u64,
        all: row.get::<i64, _>("n_all") as u64,
        approximate: false,
    })
}

/// The column filters, for a table aliased `prefix` (NULL team/assignee are 0 in the summary).
fn column_filters(query: &ListQuery, prefix: &str) -> Where {
    let mut w = Where::default();
    if let Some(status) = query.status {
        w.push(
            format!("{prefix}status = ?"),
            vec![Bind::Text(status.as_str().into())],
        );
    }
    if let Some(channel) = query.channel {
        w.push(
            format!("{prefix}channel = ?"),
            vec![Bind::Text(channel.as_str().into())],
        );
    }
    if let Some(team) = &query.team_id {
        w.push(
            format!("{prefix}team_id = ?"),
            vec![Bind::Int(id_or_none(team))],
        );
    }
    if let Some(assignee) = &query.assignee_id {
        w.push(
            format!("{prefix}assignee_id = ?"),
            vec![Bind::Int(id_or_none(assignee))],
        );
    }
    w
}

async fn summary(
    conn: &mut Conn,
    caller: &Caller,
    query: &ListQuery,
) -> AppResult<OwnershipCounts> {
    let me = caller.id;
    let teams = if caller.team_ids.is_empty() {
        "-1".to_string()
    } else {
        caller
            .team_ids
            .iter()
            .map(|t| t.to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    let mut w = column_filters(query, "");
    let table = match &query.label {
        Some(label) => {
            w.push("label = ?", vec![Bind::Text(label.clone())]);
            "conversation_label_counts"
        }
        None => "conversation_counts",
    };
    if !caller.is_admin() {
        w.push(
            format!("(team_id IN ({teams}) OR assignee_id = {me})"),
            vec![],
        );
    }
    let sql = format!(
        "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) AS n_all,
                CAST(COALESCE(SUM(CASE WHEN assignee_id = {me} THEN n ELSE 0 END), 0) AS BIGINT) AS n_mine,
                CAST(COALESCE(SUM(CASE WHEN assignee_id = 0 THEN n ELSE 0 END), 0) AS BIGINT) AS n_unassigned
         FROM {table} WHERE {}",
        w.sql()
    );
    let row = w.bind(sqlx::query(&sql)).fetch_one(&mut *conn).await?;
    let mut counts = OwnershipCounts {
        mine: row.get::<i64, _>("n_mine") as u64,
        unassigned: row.get::<i64, _>("n_unassigned") as u64,
        all: row.get::<i64, _>("n_all") as u64,
        approximate: false,
    };
    if !caller.is_admin() {
        // Conversations an agent sees only because they collaborate on them.
        let mut extra = column_filters(query, "c.");
        extra.push(
            format!(
                "COALESCE(c.team_id, 0) NOT IN ({teams}) AND COALESCE(c.assignee_id, 0) <> {me}"
            ),
            vec![],
        );
        if let Some(label) = &query.label {
            extra.push(
                "c.id IN (SELECT l.conversation_id FROM conversation_labels l WHERE l.label = ?)",
                vec![Bind::Text(label.clone())],
            );
        }
        let sql = format!(
            "SELECT COUNT(*) AS n_all, CAST(COALESCE(SUM(CASE WHEN c.assignee_id IS NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS n_unassigned
             FROM conversation_collaborators cc JOIN conversations c ON c.id = cc.conversation_id
             WHERE cc.agent_id = {me} AND {}",
            extra.sql()
        );
        let row = extra.bind(sqlx::query(&sql)).fetch_one(&mut *conn).await?;
        counts.all += row.get::<i64, _>("n_all") as u64;
        counts.unassigned += row.get::<i64, _>("n_unassigned") as u64;
    }
    Ok(counts)
}
