//! Workspace settings that admins change in the app's Settings area: the dispositions list
//! (`dispositions.rs`) and each team's after-conversation requirements (`teams.rs`). Everyone
//! may read them (agents resolve with them); only admins change them.

pub mod dispositions;
pub mod teams;

use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub fn router() -> axum::Router<AppState> {
    axum::Router::new()
        .merge(dispositions::router())
        .merge(teams::router())
}

/// Settings are the admins' to change: 403 for agents (and their API tokens).
pub fn require_admin(caller: &Caller) -> AppResult<()> {
    if caller.is_admin() {
        Ok(())
    } else {
        Err(AppError::forbidden("Only admins can change settings"))
    }
}
