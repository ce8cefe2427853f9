//! `PATCH /conversations/{id}`: field changes with a required `If-Match`.

use super::labels::{set_labels, set_priority, split_priority};
use super::ownership::{ids_of, set_assignee, set_collaborators};
use super::status::set_status;
use super::{begin, changed, check_len, ensure_agent, ensure_team, model};
use crate::attributes::merge_attributes;
use crate::auth::Caller;
use crate::error::{ApiJson, AppError, AppResult, if_match};
use crate::labels::normalise_labels;
use crate::settings::attributes::load_definitions;
use crate::state::{AppState, Writer};
use crate::util;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use convoroom_api::*;

pub fn router() -> Router<AppState> {
    Router::new().route("/conversations/{id}", axum::routing::patch(patch))
}

/// Sets one optional text column; `column` is always a literal from this module.
async fn set_text(w: &mut Writer, id: i64, column: &str, value: Option<&str>) -> AppResult<()> {
    sqlx::query(&format!(
        "UPDATE conversations SET {column} = $1 WHERE id = $2"
    ))
    .bind(value)
    .bind(id)
    .execute(w.conn())
    .await?;
    Ok(())
}

#[utoipa::path(patch, path = "/api/v1/conversations/{id}", operation_id = "updateConversation", tag = "conversations", security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = String, Header, pattern = r#"^(W/)?"?[0-9]{1,18}"?$"#, description = "The version you last saw: `7`, `\"7\"` or `W/\"7\"`")),
    request_body = UpdateConversation,
    responses((status = 200, body = Conversation), (status = 409, body = ErrorBody), (status = 428, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn patch(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<UpdateConversation>,
) -> AppResult<axum::Json<Conversation>> {
    // Visibility first: an invisible conversation is 404 even without If-Match.
    let version = if_match(&headers)?;
    let (mut w, current) = begin(&state, &caller, &id, version).await?;
    if version.is_none() {
        return Err(AppError::precondition_required());
    }
    let cid: i64 = current.id.parse().unwrap_or_default();
    let before = model::access_of(&current);
    let actor = caller.id;
    let audit = |action: &str, from: serde_json::Value, to: serde_json::Value| {
        (
            action.to_string(),
            serde_json::json!({"from": from, "to": to}),
        )
    };
    let mut audits = Vec::new();
    let json = |v: &dyn erased::Ser| v.to_json();

    if let Some(stage) = &body.pipeline_stage {
        // The stage it is in may be archived; moving it into one is not offered.
        if let Some(s) = stage
            && current.pipeline_stage.as_ref() != Some(s)
            && !crate::settings::stages::offered(w.conn(), s).await?
        {
            return Err(AppError::field(
                "pipeline_stage",
                format!("\"{s}\" is not a pipeline stage (or it is archived)"),
            ));
        }
        set_text(&mut w, cid, "pipeline_stage", stage.as_deref()).await?;
        audits.push(audit(
            "pipeline_stage_changed",
            json(&current.pipeline_stage),
            json(stage),
        ));
    }
    if let Some(priority) = body.priority {
        set_text(&mut w, cid, "priority", Some(priority.as_str())).await?;
        audits.push(audit(
            "priority_changed",
            json(&current.priority),
            json(&priority),
        ));
    }
    if let Some(team) = &body.team_id {
        let team_id = match team {
            Some(t) => Some(ensure_team(w.conn(), t, "team_id").await?),
            None => None,
        };
        sqlx::query("UPDATE conversations SET team_id = $1 WHERE id = $2")
            .bind(team_id)
            .bind(cid)
            .execute(w.conn())
            .await?;
        audits.push(audit("team_changed", json(&current.team_id), json(team)));
    }
    if let Some(assignee) = &body.assignee_id {
        let assignee = match assignee {
            Some(a) => Some(ensure_agent(w.conn(), a, "assignee_id").await?),
            None => None,
        };
        if assignee.map(|a| a.to_string()) != current.assignee_id {
            set_assignee(&mut w, &current, assignee, actor).await?;
        }
    }
    if let Some(collaborators) = &body.collaborator_ids {
        let mut ids = Vec::new();
        for agent in collaborators {
            let agent = ensure_agent(w.conn(), agent, "collaborator_ids").await?;
            if !ids.contains(&agent) {
                ids.push(agent);
            }
        }
        set_collaborators(w.conn(), cid, &ids).await?;
        audits.push(audit(
            "collaborators_changed",
            json(&ids_of(&current.collaborator_ids)),
            json(&ids),
        ));
    }
    if let Some(disposition) = &body.disposition {
        check_len(
            "disposition",
            disposition.as_ref(),
            validate::DISPOSITION_MAX_CHARS,
        )?;
        set_text(&mut w, cid, "disposition", disposition.as_deref()).await?;
        audits.push(audit(
            "disposition_changed",
            json(&current.disposition),
            json(disposition),
        ));
    }
    if let Some(note) = &body.wrap_up_note {
        check_len(
            "wrap_up_note",
            note.as_ref(),
            validate::WRAP_UP_NOTE_MAX_CHARS,
        )?;
        set_text(&mut w, cid, "wrap_up_note", note.as_deref()).await?;
        audits.push(audit(
            "wrap_up_note_changed",
            json(&current.wrap_up_note),
            json(note),
        ));
    }
    if let Some(csat) = body.csat {
        if let Some(score) = csat
            && !(validate::CSAT_MIN..=validate::CSAT_MAX).contains(&score)
        {
            return Err(AppError::field(
                "csat",
                format!(
                    "csat is a score from {} to {}",
                    validate::CSAT_MIN,
                    validate::CSAT_MAX
                ),
            ));
        }
        sqlx::query("UPDATE conversations SET csat = $1 WHERE id = $2")
            .bind(csat.map(i64::from))
            .bind(cid)
            .execute(w.conn())
            .await?;
        audits.push(audit("csat_changed", json(&current.csat), json(&csat)));
    }
    if let Some(labels) = &body.labels {
        // `priority::x` in the list sets the priority field, unless `priority` itself is sent.
        let (labels, alias) = split_priority(labels)?;
        if let Some(priority) = alias
            && body.priority.is_none()
        {
            set_priority(&mut w, &current, priority, actor).await?;
        }
        let labels = normalise_labels(&labels)?;
        set_labels(&mut w, cid, &labels).await?;
        audits.push(audit(
            "labels_changed",
            json(&current.labels),
            json(&labels),
        ));
    }
    if let Some(changes) = &body.attributes {
        let definitions: Vec<_> =
            load_definitions(w.conn(), Some(AttributeTarget::Conversation)).await?;
        let merged = merge_attributes(&current.attributes, changes, &definitions)?;
        set_text(
            &mut w,
            cid,
            "attributes",
            Some(&serde_json::to_string(&merged)?),
        )
        .await?;
        audits.push(audit(
            "attributes_changed",
            json(&current.attributes),
            json(&merged),
        ));
    }
    if let Some(spam) = body.spam {
        sqlx::query("UPDATE conversations SET spam = $1 WHERE id = $2")
            .bind(spam)
            .bind(cid)
            .execute(w.conn())
            .await?;
        audits.push(audit(
            "spam_changed",
            json(&current.access.spam),
            json(&spam),
        ));
    }
    if let Some(enabled) = body.ai_enabled {
        sqlx::query("UPDATE conversations SET ai_enabled = $1, ai_changed_by = $2, ai_changed_at = $3 WHERE id = $4")
            .bind(enabled)
            .bind(actor)
            .bind(util::now())
            .bind(cid)
            .execute(w.conn())
            .await?;
        audits.push(audit(
            "ai_toggled",
            json(&current.access.ai_enabled),
            json(&enabled),
        ));
    }
    if let Some(blocked) = body.blocked
        && blocked != current.access.blocked
    {
        crate::contacts::set_blocked(
            &mut w,
            current.contact.id.parse().unwrap_or_default(),
            blocked,
            actor,
        )
        .await?;
        audits.push(audit(
            if blocked { "blocked" } else { "unblocked" },
            json(&current.access.blocked),
            json(&blocked),
        ));
    }
    if let Some(status) = body.status {
        // Resolving through PATCH records the disposition and wrap-up note sent with it.
        let resolution = ResolveConversation {
            disposition: body.disposition.clone().flatten(),
            wrap_up_note: body.wrap_up_note.clone().flatten(),
            hangup_source: None,
        };
        set_status(&mut w, &current, status, actor, &resolution).await?;
    }
    for (action, detail) in audits {
        w.audit(Some(cid), Some(actor), &action, detail).await?;
    }
    let conversation = changed(&mut w, cid, actor, Some(before)).await?;
    w.commit().await?;
    Ok(axum::Json(conversation))
}

/// Object-safe "to JSON" so the audit details can take any field type.
mod erased {
    pub trait Ser {
        fn to_json(&self) -> serde_json::Value;
    }
    impl<T: serde::Serialize> Ser for T {
        fn to_json(&self) -> serde_json::Value {
            serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
        }
    }
}
