//! The workspace catalogue: me, agents, teams, labels, pipeline stages, attribute definitions.

use crate::auth::{Caller, load_agent, load_agents};
use crate::db::Conn;
use crate::error::{ApiJson, AppError, AppResult};
use crate::labels::{clean_label, label_color};
use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use convoroom_api::*;
use sqlx::Row;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me", get(me).patch(crate::profile::update_me))
        .route("/workspace", get(workspace))
        .route("/agents", get(agents))
        .route("/teams", get(teams))
        .route("/labels", get(labels).post(create_label))
}

async fn load_labels(conn: &mut Conn) -> AppResult<Vec<Label>> {
    let rows = sqlx::query("SELECT name, color, description FROM labels ORDER BY name")
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows
        .iter()
        .map(|r| Label {
            name: r.get("name"),
            color: r.get("color"),
            description: r.get("description"),
        })
        .collect())
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
        labels: load_labels(&mut conn).await?,
        pipeline_stages: crate::settings::stages::load_all(&mut conn).await?,
        attribute_definitions: crate::settings::attributes::load_definitions(&mut conn, None)
            .await?,
        dispositions: crate::settings::dispositions::load_all(&mut conn).await?,
        delivered_channels: crate::delivery::integrations::delivered_channels(&mut conn).await?,
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

#[utoipa::path(get, path = "/api/v1/labels", operation_id = "listLabels", tag = "workspace", security(("bearer" = [])), responses((status = 200, body = Vec<Label>)))]
pub async fn labels(
    State(state): State<AppState>,
    _caller: Caller,
) -> AppResult<axum::Json<Vec<Label>>> {
    let mut conn = state.read().await?;
    Ok(axum::Json(load_labels(&mut conn).await?))
}

#[utoipa::path(post, path = "/api/v1/labels", operation_id = "createLabel", tag = "workspace", security(("bearer" = [])), request_body = CreateLabel,
    responses((status = 201, body = Label), (status = 400, body = ErrorBody)))]
pub async fn create_label(
    State(state): State<AppState>,
    _caller: Caller,
    ApiJson(body): ApiJson<CreateLabel>,
) -> AppResult<(StatusCode, axum::Json<Label>)> {
    let name = clean_label(&body.name)
        .map_err(|_| AppError::field("name", "A label is 1–100 characters"))?;
    if Priority::of_label(&name).is_some() {
        return Err(AppError::field(
            "name",
            "priority:: labels are the conversation's priority field, not catalogue labels",
        ));
    }
    let color = match body.color {
        Some(color) if is_hex_color(&color) => color.to_lowercase(),
        Some(_) => return Err(AppError::field("color", "color must look like #rrggbb")),
        None => label_color(&name).to_string(),
    };
    let description = body.description.unwrap_or_default();
    let mut w = state.write().await?;
    sqlx::query("INSERT INTO labels (name, color, description) VALUES ($1, $2, $3)
                 ON CONFLICT (name) DO UPDATE SET color = excluded.color, description = excluded.description")
        .bind(&name)
        .bind(&color)
        .bind(&description)
        .execute(w.conn())
        .await?;
    w.audit(
        None,
        None,
        "label_created",
        serde_json::json!({"label": name}),
    )
    .await?;
    w.commit().await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(Label {
            name,
            color,
            description,
        }),
    ))
}

fn is_hex_color(text: &str) -> bool {
    text.len() == 7 && text.starts_with('#') && text[1..].bytes().all(|b| b.is_ascii_hexdigit())
}
