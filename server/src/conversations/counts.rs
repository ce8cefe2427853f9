//! The list's ownership counts (`mine`, `unassigned`, `all`) under the other filters.
//!
//! Filters on status, channel, team and assignee are answered from the trigger-maintained
//! `conversation_counts` table (a few hundred rows) instead of scanning conversations;
//! other filters (label, stage, dates, search) fall back to counting the matching rows.

use super::list::{ListQuery, fts_query, id_or_none};
use super::sql::{Bind, Where};
use crate::auth::Caller;
use crate::error::AppResult;
use convoroom_api::OwnershipCounts;
use sqlx::{Row, SqliteConnection};

pub async fn ownership_counts(
    conn: &mut SqliteConnection,
    caller: &Caller,
    query: &ListQuery,
    base: &Where,
) -> AppResult<OwnershipCounts> {
    let summary_applies = query.label.is_none()
        && query.pipeline_stage.is_none()
        && query.created_from.is_none()
        && query.created_to.is_none()
        && query.ai_reviewed.is_none()
        && query.q.as_deref().and_then(fts_query).is_none();
    if summary_applies {
        summary(conn, caller, query).await
    } else {
        // A label or search set: look its ids up in the narrow id-first index rather than in
        // the wide rows (SQLite's planner would pick the table; Postgres needs no hint).
        let hint = if query.label.is_some() || query.q.is_some() {
            "INDEXED BY conversations_narrow"
        } else {
            ""
        };
        scan(conn, caller, base, hint).await
    }
}

async fn scan(
    conn: &mut SqliteConnection,
    caller: &Caller,
    base: &Where,
    hint: &str,
) -> AppResult<OwnershipCounts> {
    let sql = format!(
        "SELECT COUNT(*) AS n_all,
                COALESCE(SUM(CASE WHEN c.assignee_id = {me} THEN 1 ELSE 0 END), 0) AS n_mine,
                COALESCE(SUM(CASE WHEN c.assignee_id IS NULL THEN 1 ELSE 0 END), 0) AS n_unassigned
         FROM conversations c {hint} WHERE {}",
        base.sql(),
        me = caller.id
    );
    let row = base.bind(sqlx::query(&sql)).fetch_one(&mut *conn).await?;
    Ok(OwnershipCounts {
        mine: row.get::<i64, _>("n_mine") as u64,
        unassigned: row.get::<i64, _>("n_unassigned") as u64,
        all: row.get::<i64, _>("n_all") as u64,
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
    conn: &mut SqliteConnection,
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
    if !caller.is_admin() {
        w.push(
            format!("(team_id IN ({teams}) OR assignee_id = {me})"),
            vec![],
        );
    }
    let sql = format!(
        "SELECT COALESCE(SUM(n), 0) AS n_all,
                COALESCE(SUM(CASE WHEN assignee_id = {me} THEN n ELSE 0 END), 0) AS n_mine,
                COALESCE(SUM(CASE WHEN assignee_id = 0 THEN n ELSE 0 END), 0) AS n_unassigned
         FROM conversation_counts WHERE {}",
        w.sql()
    );
    let row = w.bind(sqlx::query(&sql)).fetch_one(&mut *conn).await?;
    let mut counts = OwnershipCounts {
        mine: row.get::<i64, _>("n_mine") as u64,
        unassigned: row.get::<i64, _>("n_unassigned") as u64,
        all: row.get::<i64, _>("n_all") as u64,
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
        let sql = format!(
            "SELECT COUNT(*) AS n_all, COALESCE(SUM(CASE WHEN c.assignee_id IS NULL THEN 1 ELSE 0 END), 0) AS n_unassigned
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
