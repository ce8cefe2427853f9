//! The workspace catalogue: me, agents, teams, labels, pipeline stages, attribute definitions.

use crate::auth::{Caller, load_agent, load_agents};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use convoroom_api::*;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me", get(me).patch(crate::profile::update_me))
        .route("/workspace", get(workspace))
        .route("/agents", get(agents))
        .route("/teams", get(teams))
}

#[utoipa::path(get, path = "/api/v1/me", operation_id = "getMe", tag = "workspace", security(("bearer" = [])), responses((status = 200, body = Agent), (status = 401, body = ErrorBody)))]
pub async fn me(State(state): State<AppState>, caller: Caller) -> AppResult<axum::Json<Agent>> {
    let mut conn = state.read().await?;
    Ok(axum::Json(load_agent(&mut conn, caller.id).await?))
}

#[utoipa::path(get, path = "/api/v1/workspace", operation_id = "getWorkspace", tag = "workspace", security(("bearer" = [])), responses((status = 200, body = Workspace)))]
pub async fn workspace(
    State(state): State<AppState>,
    caller: Caller,
) -> AppResult<axum::Json<Workspace>> {
    let mut conn = state.read().await?;
    let agents = load_agents(&mut conn, None).await?;
    let me = agents
        .iter()
        .find(|a| a.id == caller.id.to_string())
        .cloned()
        .ok_or_else(AppError::unauthorized)?;
    Ok(axum::Json(Workspace {
        me,
        agents,
        teams: crate::settings::teams::load_all(&mut conn).await?,
        labels: crate::settings::labels::load_all(&mut conn).await?,
        pipeline_stages: crate::settings::stages::load_all(&mut conn).await?,
        attribute_definitions: crate::settings::attributes::load_definitions(&mut conn, None)
            .await?,
        dispositions: crate::settings::dispositions::load_all(&mut conn).await?,
        delivered_channels: crate::delivery::integrations::delivered_channels(&mut conn).await?,
        notification_prefs: crate::notifications::prefs_of(&mut conn, caller.id).await?,
    }))
}

#[utoipa::path(get, path = "/api/v1/agents", operation_id = "listAgents", tag = "workspace", security(("bearer" = [])), responses((status = 200, body = Vec<Agent>)))]
pub async fn agents(
    State(state): State<AppState>,
    _caller: Caller,
) -> AppResult<axum::Json<Vec<Agent>>> {
    let mut conn = state.read().await?;
    Ok(axum::Json(load_agents(&mut conn, None).await?))
}

#[utoipa::path(get, path = "/api/v1/teams", operation_id = "listTeams", tag = "workspace", security(("bearer" = [])), responses((status = 200, body = Vec<Team>)))]
pub async fn teams(
    State(state): State<AppState>,
    _caller: Caller,
) -> AppResult<axum::Json<Vec<Team>>> {
    let mut conn = state.read().await?;
    Ok(axum::Json(
        crate::settings::teams::load_all(&mut conn).await?,
    ))
}
