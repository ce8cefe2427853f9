//! `PATCH /me`: what every agent changes of their own: availability, name, picture,
//! password and notification switches. A new password needs the current one and ends the agent's other sessions (the
//! one that changed it stays signed in). Every change is `agent_saved` to everyone, so names
//! and pictures change in every open app.

use crate::auth::{Caller, hash_password, verify_password};
use crate::error::{ApiJson, AppError, AppResult};
use crate::state::AppState;
use axum::extract::State;
use convoroom_api::*;

async fn checked_password(
    state: &AppState,
    caller: &Caller,
    change: &PasswordChange,
) -> AppResult<String> {
    if let Some(problem) = password_problem(&change.new) {
        return Err(AppError::field("password.new", problem));
    }
    let mut conn = state.read().await?;
    let stored: Option<String> =
        sqlx::query_scalar("SELECT password_hash FROM agents WHERE id = $1")
            .bind(caller.id)
            .fetch_one(&mut *conn)
            .await?;
    drop(conn);
    let (current, new) = (change.current.clone(), change.new.clone());
    // Argon2 takes a while by design: off the async workers.
    tokio::task::spawn_blocking(move || {
        if stored.is_some_and(|hash| verify_password(&current, &hash)) {
            Ok(hash_password(&new))
        } else {
            Err(AppError::field(
                "password.current",
                "Your current password is not right",
            ))
        }
    })
    .await
    .map_err(|_| AppError::internal())?
}

#[utoipa::path(patch, path = "/api/v1/me", operation_id = "updateMe", tag = "workspace", security(("bearer" = [])), request_body = UpdateMe,
    responses((status = 200, body = Agent), (status = 400, description = "A field is invalid, or the current password is not right", body = ErrorBody)))]
pub async fn update_me(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<UpdateMe>,
) -> AppResult<axum::Json<Agent>> {
    let name = match &body.name {
        Some(name) => Some(crate::agents::checked_name(name)?),
        None => None,
    };
    if let Some(Some(url)) = &body.avatar_url
        && let Some(problem) = avatar_problem(url)
    {
        return Err(AppError::field("avatar_url", problem));
    }
    let password_hash = match &body.password {
        Some(_) if !caller.is_session() => {
            return Err(AppError::forbidden(
                "A password is changed signed in as yourself, not with an API token",
            ));
        }
        Some(change) => Some(checked_password(&state, &caller, change).await?),
        None => None,
    };
    let mut w = state.write().await?;
    if let Some(availability) = body.availability {
        let availability = serde_json::to_value(availability)?
            .as_str()
            .unwrap_or("online")
            .to_string();
        sqlx::query("UPDATE agents SET availability = $1 WHERE id = $2")
            .bind(availability)
            .bind(caller.id)
            .execute(w.conn())
            .await?;
    }
    if let Some(prefs) = &body.notification_prefs {
        crate::notifications::save_prefs(w.conn(), caller.id, prefs).await?;
    }
    if let Some(name) = &name {
        sqlx::query("UPDATE agents SET name = $1 WHERE id = $2")
            .bind(name)
            .bind(caller.id)
            .execute(w.conn())
            .await?;
    }
    if let Some(avatar) = &body.avatar_url {
        sqlx::query("UPDATE agents SET avatar_url = $1 WHERE id = $2")
            .bind(avatar.as_deref())
            .bind(caller.id)
            .execute(w.conn())
            .await?;
    }
    if let Some(hash) = password_hash {
        sqlx::query("UPDATE agents SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(caller.id)
            .execute(w.conn())
            .await?;
        // Whoever else knew the old password is signed out; this session stays.
        let others: Vec<String> = sqlx::query_scalar(
            "DELETE FROM auth_tokens WHERE agent_id = $1 AND kind = 'session' AND token_hash <> $2
             RETURNING token_hash",
        )
        .bind(caller.id)
        .bind(&caller.token_hash)
        .fetch_all(w.conn())
        .await?;
        for hash in others {
            w.revoke(&hash).await?;
        }
        w.audit(
            None,
            Some(caller.id),
            "password_changed",
            serde_json::json!({"agent_id": caller.id.to_string()}),
        )
        .await?;
    }
    let agent = if name.is_some() || body.avatar_url.is_some() {
        crate::agents::saved(&mut w, caller.id).await?
    } else {
        crate::auth::load_agent(w.conn(), caller.id).await?
    };
    w.commit().await?;
    Ok(axum::Json(agent))
}
