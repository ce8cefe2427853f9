//! `GET /conversations`: filters, visibility, full-text search, keyset pagination, counts.

use super::sql::{Bind, Where};
use crate::auth::Caller;
use crate::conversations::model;
use crate::db::{Backend, Conn};
use crate::error::{ApiQuery, AppError, AppResult};
use crate::search::{self, Matches, Search};
use crate::state::AppState;
use crate::util;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use base64::Engine;
use convoroom_api::*;
use serde::Deserialize;
use sqlx::Row;

/// `GET /conversations` (creating one, `POST`, is in the parent module).
pub fn router() -> Router<AppState> {
    Router::new().route("/conversations", get(list))
}

/// The query string of `GET /conversations`: `ConversationFilter` plus paging.
/// (Spelled out because serde's `flatten` breaks typed query fields.)
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    pub ownership: Option<Ownership>,
    pub status: Option<Status>,
    pub channel: Option<Channel>,
    pub team_id: Option<String>,
    pub label: Option<String>,
    pub pipeline_stage: Option<String>,
    /// A conversation attribute's value, `key:value` (booleans `true`/`false`).
    pub attribute: Option<String>,
    /// One priority or several, comma-separated: `high,urgent`.
    pub priority: Option<String>,
    pub assignee_id: Option<String>,
    pub created_from: Option<String>,
    pub created_to: Option<String>,
    pub ai_reviewed: Option<bool>,
    /// One conversation state (`queue_timeout`) or the group `unanswered` (every state but
    /// `answered`).
    pub state: Option<String>,
    pub q: Option<String>,
    pub sort: Option<SortOrder>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, default 50; more than 200 counts as 200.
    #[serde(default, deserialize_with = "crate::util::deserialize_limit")]
    #[param(schema_with = crate::util::limit_schema)]
    pub limit: Option<u32>,
}

impl ListQuery {
    pub fn from_filter(filter: &ConversationFilter) -> ListQuery {
        ListQuery {
            ownership: filter.ownership,
            status: filter.status,
            channel: filter.channel,
            team_id: filter.team_id.clone(),
            label: filter.label.clone(),
            pipeline_stage: filter.pipeline_stage.clone(),
            attribute: filter.attribute.clone(),
            priority: filter.priority.clone(),
            assignee_id: filter.assignee_id.clone(),
            created_from: filter.created_from.clone(),
            created_to: filter.created_to.clone(),
            ai_reviewed: filter.ai_reviewed,
            state: filter.state.clone(),
            q: filter.q.clone(),
            sort: filter.sort,
            ..ListQuery::default()
        }
    }
}

fn normalise_time(field: &str, text: &str) -> AppResult<String> {
    if is_iso_date(text) {
        return Ok(format!("{text}T00:00:00.000Z"));
    }
    util::parse_ts(text).map(util::ts).ok_or_else(|| {
        AppError::field(
            field,
            format!("{field} must be an RFC 3339 timestamp or a YYYY-MM-DD date"),
        )
    })
}

/// The priorities of a `priority` filter (`high,urgent`), or a 400 naming the field.
pub fn parse_priority_filter(text: &str) -> AppResult<Vec<Priority>> {
    Priority::parse_list(text).ok_or_else(|| {
        AppError::field(
            "priority",
            "priority is one or several of none, low, medium, high, urgent, comma-separated",
        )
    })
}

/// The `priority` sort key: the rank digit (`4` urgent … `0` none) followed by the last
/// activity, one text that sorts in list order descending. Indexed as written (migrations
/// `0013_priority_field` / `0006_priority_field`): keep the two spellings identical.
pub fn priority_sort_key() -> String {
    let ranks: String = Priority::ALL
        .iter()
        .filter(|p| p.rank() > 0)
        .map(|p| format!("WHEN '{}' THEN '{}' ", p.as_str(), p.rank()))
        .collect();
    format!("(CASE c.priority {ranks}ELSE '0' END || c.last_activity_at)")
}

pub fn id_or_none(text: &str) -> i64 {
    util::parse_id(text).unwrap_or(-1)
}

/// The states of a `state` filter (`unanswered`, `queue_timeout`), or a 400 naming the field.
pub fn parse_state_filter(text: &str) -> AppResult<Vec<ConversationState>> {
    ConversationState::matching(text).ok_or_else(|| {
        let states: Vec<&str> = ConversationState::ALL.iter().map(|s| s.as_str()).collect();
        AppError::field(
            "state",
            format!("state is unanswered or one of {}", states.join(", ")),
        )
    })
}

/// Filters other than ownership and paging, with visibility.
/// How a set-valued filter (label, search) is applied. A small set is looked up row by row
/// (`c.id IN`, then sorted); a large one is probed while walking the sort index or a narrow
/// covering index (`Backend::probe`), which avoids thousands of random row lookups.
#[derive(Clone)]
struct Sets {
    label_large: bool,
    /// What the search matched, and whether that is a large set.
    search: Option<(Matches, bool)>,
}

impl Sets {
    /// How the counts apply the sets: the label as a small one.
    fn for_counting(&self) -> Sets {
        Sets {
            label_large: false,
            search: self.search.clone(),
        }
    }

    fn search_large(&self) -> bool {
        self.search.as_ref().is_some_and(|(_, large)| *large)
    }
}

static LARGE_SET: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(3000);

/// Sets above this size use the probing plan. Both plans return the same rows; tests lower
/// the threshold to exercise the probing plan on small data.
pub fn set_large_set_threshold(n: i64) {
    LARGE_SET.store(n, std::sync::atomic::Ordering::Relaxed);
}

pub fn large_set_threshold() -> i64 {
    LARGE_SET.load(std::sync::atomic::Ordering::Relaxed)
}

async fn sets(conn: &mut Conn, query: &ListQuery) -> AppResult<Sets> {
    let backend = Backend::of(conn);
    let large = large_set_threshold();
    let mut sets = Sets {
        label_large: false,
        search: None,
    };
    if let Some(label) = &query.label {
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM conversation_labels WHERE label = $1")
                .bind(label)
                .fetch_one(&mut *conn)
                .await?;
        sets.label_large = n > large;
    }
    if let Some(search) = query.q.as_deref().and_then(|q| Search::parse(backend, q)) {
        let matches = search::matches(conn, &search).await?;
        let is_large = matches.count > large;
        sets.search = Some((matches, is_large));
    }
    Ok(sets)
}

fn filters(backend: Backend, caller: &Caller, query: &ListQuery, sets: &Sets) -> AppResult<Where> {
    let plus = backend.not_driving();
    let mut w = Where::default();
    w.push(caller.visibility_sql(), vec![]);
    if let Some(status) = query.status {
        w.push("c.status = ?", vec![Bind::Text(status.as_str().into())]);
    }
    if let Some(channel) = query.channel {
        // Few distinct values: walking the sort index beats an index on channel (the `+`).
        w.push(
            format!("{plus}c.channel = ?"),
            vec![Bind::Text(channel.as_str().into())],
        );
    }
    if let Some(team) = &query.team_id {
        w.push("c.team_id = ?", vec![Bind::Int(id_or_none(team))]);
    }
    if let Some(priority) = &query.priority {
        let priorities = parse_priority_filter(priority)?;
        // Five values: like the channel, walking the sort index beats an index on priority.
        let marks = vec!["?"; priorities.len()].join(", ");
        w.push(
            format!("{plus}c.priority IN ({marks})"),
            priorities
                .iter()
                .map(|p| Bind::Text(p.as_str().into()))
                .collect(),
        );
    }
    // A large set is probed while walking the sort index, a small one looked up and sorted.
    let set = |large: bool, set: &str| {
        if large {
            backend.probe("c.id", set)
        } else {
            backend.look_up("c.id", set)
        }
    };
    if let Some(label) = &query.label {
        w.push(
            set(
                sets.label_large,
                "SELECT l.conversation_id FROM conversation_labels l WHERE l.label = ?",
            ),
            vec![Bind::Text(label.clone())],
        );
    }
    if let Some(stage) = &query.pipeline_stage {
        w.push("c.pipeline_stage = ?", vec![Bind::Text(stage.clone())]);
    }
    if let Some(attribute) = &query.attribute {
        let (key, value) = parse_attribute_filter(attribute)
            .filter(|(key, _)| crate::settings::attributes::is_key(key))
            .ok_or_else(|| {
                AppError::field(
                    "attribute",
                    "An attribute filter is key:value, e.g. reason:Refund",
                )
            })?;
        let (text, key_binds) = backend.attribute_text("c.attributes", key);
        let mut binds: Vec<Bind> = key_binds.into_iter().map(Bind::Text).collect();
        binds.push(Bind::Text(value.to_string()));
        w.push(format!("{text} = ?"), binds);
    }
    if let Some(assignee) = &query.assignee_id {
        w.push("c.assignee_id = ?", vec![Bind::Int(id_or_none(assignee))]);
    }
    if let Some(from) = &query.created_from {
        w.push(
            "c.created_at >= ?",
            vec![Bind::Text(normalise_time("created_from", from)?)],
        );
    }
    if let Some(to) = &query.created_to {
        w.push(
            "c.created_at < ?",
            vec![Bind::Text(normalise_time("created_to", to)?)],
        );
    }
    if let Some(state) = &query.state {
        let states = parse_state_filter(state)?;
        // Seven values: like the priority, walking the sort index beats an index on state.
        let marks = vec!["?"; states.len()].join(", ");
        w.push(
            format!("{plus}c.state IN ({marks})"),
            states
                .iter()
                .map(|s| Bind::Text(s.as_str().into()))
                .collect(),
        );
    }
    match query.ai_reviewed {
        Some(true) => w.push("c.ai_reviewed_at IS NOT NULL", vec![]),
        Some(false) => w.push("c.ai_reviewed_at IS NULL", vec![]),
        None => {}
    }
    if let Some((matches, large)) = &sets.search {
        if *large {
            w.push(
                backend.probe("c.id", &backend.id_array("?")),
                vec![Bind::Text(matches.ids.clone())],
            );
        } else {
            // A few ids (from our own database, so inlining them is safe): both planners look
            // each one up by primary key.
            w.push(
                format!("c.id IN ({})", util::id_list_sql(&matches.id_list())),
                vec![],
            );
        }
    }
    Ok(w)
}

fn sort_key(sort: SortOrder) -> (String, &'static str) {
    match sort {
        SortOrder::LastActivity => ("c.last_activity_at".into(), "DESC"),
        SortOrder::Newest => ("c.created_at".into(), "DESC"),
        SortOrder::WaitingLongest => ("COALESCE(c.waiting_since, '9999-12-31')".into(), "ASC"),
        SortOrder::Priority => (priority_sort_key(), "DESC"),
    }
}

fn encode_cursor(key: &str, id: i64) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(serde_json::json!([key, id]).to_string())
}

fn decode_cursor(cursor: &str) -> AppResult<(String, i64)> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<(String, i64)>(&bytes).ok())
        .ok_or_else(|| AppError::field("cursor", "cursor is not one this server issued"))
}

pub async fn list_page(
    state: &AppState,
    caller: &Caller,
    query: &ListQuery,
) -> AppResult<ConversationPage> {
    let limit = query.limit.unwrap_or(50).clamp(1, crate::util::MAX_PAGE) as i64;
    let sets = {
        let mut conn = state.read().await?;
        sets(&mut conn, query).await?
    };
    let base = filters(state.backend, caller, query, &sets)?;
    // Counting looks label members up (a hash join on PostgreSQL, the narrow index on SQLite:
    // see counts.rs); a large search is counted like it is listed, by walking and probing.
    let count_sets = sets.for_counting();
    let count_base = filters(state.backend, caller, query, &count_sets)?;
    let (key, dir) = sort_key(query.sort.unwrap_or(SortOrder::LastActivity));

    let mut page = base.clone();
    match query.ownership {
        Some(Ownership::Mine) => page.push(format!("c.assignee_id = {}", caller.id), vec![]),
        Some(Ownership::Unassigned) => page.push("c.assignee_id IS NULL", vec![]),
        _ => {}
    }
    if let Some(cursor) = &query.cursor {
        let (k, id) = decode_cursor(cursor)?;
        let op = if dir == "DESC" { "<" } else { ">" };
        page.push(
            format!("({key}, c.id) {op} (?, ?)"),
            vec![Bind::Text(k), Bind::Int(id)],
        );
    }
    let list_sql = format!(
        "SELECT c.id, {key} AS k FROM conversations c WHERE {} ORDER BY {key} {dir}, c.id {dir} LIMIT {}",
        page.sql(),
        limit + 1
    );
    let mut list_conn = state.read().await?;
    let mut count_conn = state.read().await?;
    // The page and its rows on one connection while the counts run on another: the rows are
    // loaded as soon as the page is known, not after the counts.
    let page_and_rows = async {
        let rows = page
            .bind(sqlx::query(&list_sql))
            .fetch_all(&mut *list_conn)
            .await?;
        let mut ids: Vec<(i64, String)> = rows.iter().map(|r| (r.get("id"), r.get("k"))).collect();
        let next_cursor = if ids.len() as i64 > limit {
            ids.truncate(limit as usize);
            ids.last().map(|(id, k)| encode_cursor(k, *id))
        } else {
            None
        };
        let id_list: Vec<i64> = ids.iter().map(|(id, _)| *id).collect();
        let items = model::load_many(&mut list_conn, &id_list, caller.id).await?;
        AppResult::Ok((items, next_cursor))
    };
    let (page, counts) = tokio::join!(
        page_and_rows,
        super::counts::ownership_counts(
            &mut count_conn,
            caller,
            query,
            &count_base,
            sets.search_large()
        )
    );
    let ((items, next_cursor), counts) = (page?, counts?);
    Ok(ConversationPage {
        items,
        next_cursor,
        counts,
    })
}

#[utoipa::path(get, path = "/api/v1/conversations", operation_id = "listConversations", tag = "conversations", security(("bearer" = [])),
    params(ListQuery), responses((status = 200, body = ConversationPage), (status = 400, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> AppResult<axum::Json<ConversationPage>> {
    Ok(axum::Json(list_page(&state, &caller, &query).await?))
}
