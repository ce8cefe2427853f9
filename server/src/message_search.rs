//! `GET /conversations/{id}/messages/search`: finding text inside one conversation's whole
//! history, not only the pages an app has loaded. Matching is done here rather than in SQL so
//! that case folds the same way (Unicode, not ASCII only) on SQLite and PostgreSQL.

use crate::auth::Caller;
use crate::conversations::model;
use crate::error::{ApiQuery, AppError, AppResult, path_id};
use crate::state::AppState;
use axum::extract::{Path, State};
use convoroom_api::MessageMatches;
use serde::Deserialize;
use sqlx::Row;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// The text to find (case-insensitive), 1–200 characters.
    q: String,
}

#[utoipa::path(get, path = "/api/v1/conversations/{id}/messages/search", operation_id = "searchConversationMessages", tag = "messages", security(("bearer" = [])),
    params(("id" = String, Path), SearchQuery),
    responses((status = 200, body = MessageMatches),
        (status = 400, description = "`q` is empty or longer than 200 characters", body = convoroom_api::ErrorBody),
        (status = 404, body = convoroom_api::ErrorBody)))]
pub async fn search(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<SearchQuery>,
) -> AppResult<axum::Json<MessageMatches>> {
    let id = path_id(&id, "Conversation")?;
    let needle = query.q.trim().to_lowercase();
    if needle.is_empty() || needle.chars().count() > MessageMatches::MAX_QUERY_CHARS {
        return Err(AppError::field(
            "q",
            "Search for 1 to 200 characters of text",
        ));
    }
    let mut conn = state.read().await?;
    model::ensure_visible(&mut conn, &caller, id).await?;
    let rows = sqlx::query(
        "SELECT id, body FROM messages WHERE conversation_id = $1 AND kind <> 'system' ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut ids: Vec<String> = rows
        .iter()
        .filter(|row| {
            row.get::<String, _>("body")
                .to_lowercase()
                .contains(&needle)
        })
        .map(|row| row.get::<i64, _>("id").to_string())
        .collect();
    let total = ids.len() as u32;
    if ids.len() > MessageMatches::MAX_IDS {
        ids.drain(..ids.len() - MessageMatches::MAX_IDS);
    }
    Ok(axum::Json(MessageMatches { ids, total }))
}
